"""The overview's two charts as SVG, drawn by matplotlib on the server: no script in the page, no
CDN, nothing the site's CSP has to allow (the page shows them as images, with the same figures in a
table beneath each). Text is drawn as paths, in Noto Sans CJK (the determination's font), so the
SVG needs no font on the reader's machine."""

from __future__ import annotations

import io
from decimal import Decimal
from functools import cache

import matplotlib
from matplotlib import font_manager
from matplotlib.figure import Figure

from funds.selectors import PayerFigures

# paid, committed, in notice, pipeline: one colour each, distinguishable in grey print too.
COLOURS = ("#1a7f37", "#0969da", "#bf8700", "#8c959f")
TEN_THOUSAND = Decimal(10_000)
CJK = "Noto Sans CJK SC"


@cache
def _font() -> str:
    """Noto Sans CJK SC (Debian fonts-noto-cjk, installed by `make`), else matplotlib's own font."""
    try:
        font_manager.findfont(font_manager.FontProperties(family=CJK), fallback_to_default=False)
    except ValueError:
        return "DejaVu Sans"
    return CJK


def _figure(width: float, height: float):
    """A figure of its own (no pyplot: no global state shared between threads), in the CJK font."""
    _configure()
    figure = Figure(figsize=(width, height), dpi=100)
    return figure, figure.subplots()


@cache
def _configure() -> None:
    # Set once per process and never changed: the font, text as paths, a fixed id salt.
    matplotlib.rcParams.update({"font.family": _font(), "svg.fonttype": "path", "svg.hashsalt": "haidong"})


def _svg(figure) -> bytes:
    out = io.BytesIO()
    figure.savefig(out, format="svg", bbox_inches="tight", metadata={"Date": None})
    return out.getvalue()


def _wan(amount: Decimal | None) -> float:
    """CNY in 万元, the unit budgets are read in."""
    return float((amount or Decimal(0)) / TEN_THOUSAND)


def fund_pool_svg(figures: list[PayerFigures], labels: dict[str, str], title: str) -> bytes:
    """Per payer, stacked bars of paid / committed / in notice / pipeline (万元), the budget as a
    black line across its bar."""
    figure, axes = _figure(8, 0.6 * len(figures) + 1.6)
    names = [f.payer for f in figures]
    left = [0.0] * len(figures)
    for (key, label), colour in zip(labels["series"], COLOURS, strict=True):
        values = [_wan(getattr(f, key)) for f in figures]
        axes.barh(names, values, left=left, color=colour, label=label, height=0.6)
        left = [a + b for a, b in zip(left, values, strict=True)]
    labelled = False
    for i, f in enumerate(figures):
        if f.budget is not None:
            axes.plot([_wan(f.budget)] * 2, [i - 0.4, i + 0.4], color="#000000", linewidth=2.5,
                      label=None if labelled else labels["budget"])
            labelled = True
    axes.set_yticks(range(len(figures)), [labels["payers"][f.payer] for f in figures])
    axes.invert_yaxis()
    axes.set_xlabel(labels["unit"])
    axes.set_title(title)
    axes.legend(loc="lower right", fontsize=8, frameon=False)
    axes.grid(axis="x", color="#d0d7de", linewidth=0.5)
    axes.set_axisbelow(True)
    return _svg(figure)


def monthly_svg(months: list[dict], labels: dict[str, str], title: str) -> bytes:
    """Per month, the amount granted by approvals and the amount paid (万元), side by side."""
    figure, axes = _figure(8, 3.2)
    xs = list(range(1, 13))
    axes.bar([x - 0.2 for x in xs], [_wan(m["granted"]) for m in months], width=0.4, color=COLOURS[1],
             label=labels["granted"])
    axes.bar([x + 0.2 for x in xs], [_wan(m["paid"]) for m in months], width=0.4, color=COLOURS[0],
             label=labels["paid"])
    axes.set_xticks(xs, labels["months"])
    axes.set_ylabel(labels["unit"])
    axes.set_title(title)
    axes.legend(loc="upper left", fontsize=8, frameon=False)
    axes.grid(axis="y", color="#d0d7de", linewidth=0.5)
    axes.set_axisbelow(True)
    return _svg(figure)
