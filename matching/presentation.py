"""The screening figures as the review pages show them."""

from __future__ import annotations

from matching import selectors
from measures.rules import MEASURES


def figures(jurisdiction: str | None, lang: str) -> dict:
    found = selectors.figures(jurisdiction)
    return {**found, "by_measure": [
        {"number": n, "title": MEASURES[n - 1].title_en if lang == "en" else MEASURES[n - 1].title, "projects": count}
        for n, count in found["by_measure"]]}
