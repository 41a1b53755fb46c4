"""The determination as a PDF (决定书): A4, laid out after GB/T 9704, Chinese in Noto CJK fonts
subset through HarfBuzz, PDF/A-3b. Rendered once, when the determination is issued."""

from __future__ import annotations

import atexit
import base64
import ctypes.util
import datetime as dt
import functools
import json
import subprocess  # fc-list, to find the CJK fonts
from functools import cache

import segno
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from applications.models import Decision, Determination
from determinations import fonts, signing
from eligibility.presentation import figures
from measures import catalogue, parameters, regions
from measures.outcome import Status
from measures.rmb import rmb_capitals

CHINESE_DIGITS = "〇一二三四五六七八九"
FONT_FAMILIES = ("Noto Serif CJK SC", "Noto Sans CJK SC")
REMEDY_DAYS, REMEDY_MONTHS = 60, 6


def chinese_date(day: dt.date) -> str:
    """二〇二五年三月一日: the year digit by digit, month and day as numbers in words (GB/T 9704)."""
    def number(n: int) -> str:
        tens, ones = divmod(n, 10)
        if tens == 0:
            return CHINESE_DIGITS[ones]
        return ("" if tens == 1 else CHINESE_DIGITS[tens]) + "十" + (CHINESE_DIGITS[ones] if ones else "")
    year = "".join(CHINESE_DIGITS[int(c)] for c in str(day.year))
    return f"{year}年{number(day.month)}月{number(day.day)}日"


def verification_url(code: str) -> str:
    return settings.SITE_URL + reverse("verify-code", args=[code])


def qr_data_uri(url: str) -> str:
    svg = segno.make(url, error="m").svg_inline(scale=3, border=2)
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


@cache
def _font_config():
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()  # reused across renders: fonts are loaded once per process


def context(determination: Determination) -> dict:
    application = determination.application
    evaluation = determination.evaluation
    outcome = evaluation.result
    facts = evaluation.facts
    project = facts.get("project") or {}
    measure4 = outcome.measure(4)
    approved = determination.decision == Decision.APPROVED
    granted = [m for m in outcome.measures if m.granted and m.number != 4]
    # Refusals name what the application asked for (第4条's grant) and the scope; measures that merely
    # do not apply to the enterprise are not refusals (issue 14).
    refused_reasons = [(m, r) for m in outcome.measures if m.number == 4 and m.status is Status.NOT_ELIGIBLE
                       for r in m.reasons if r.passed is False]
    scope_failed = [r for r in outcome.scope if r.passed is False]
    decision_note = application.history.filter(to_state=determination.decision).values_list("note", flat=True).last()
    region = project.get("region")
    clauses = catalogue.legal_clauses()
    return {
        "d": determination,
        "enterprise": application.enterprise,
        "application": application,
        "project": project,
        "project_county": regions.county_name(region) if region and regions.is_haidong_county(region) else region,
        "declared": figures(project.get("equipment_investment_cny")),
        "recognized": figures(evaluation.recognized_investment_cny),
        "approved": approved,
        "measure4": measure4,
        "amount_figures": None if determination.amount_cny is None else f"{determination.amount_cny:,.2f}",
        "amount_capitals": rmb_capitals(determination.amount_cny) if determination.amount_cny is not None else "",
        "granted": granted,
        "refused_reasons": refused_reasons[:40],
        "scope_failed": scope_failed,
        "note": decision_note or "",
        "submitted_on": chinese_date(timezone.localdate(application.submitted_at)) if application.submitted_at else "",
        "issued_on": chinese_date(determination.issued_on),
        "rules_version": evaluation.rules_version,
        "document": parameters.value("policy.document", determination.issued_on),
        "remedy_days": REMEDY_DAYS, "remedy_months": REMEDY_MONTHS,
        "reconsideration_body": settings.RECONSIDERATION_BODIES[determination.authority],
        "verification_url": verification_url(determination.verification_code),
        "qr": qr_data_uri(verification_url(determination.verification_code)),
        "clause4": clauses["第4条"],
    }


@cache
def stylesheet():
    """The template's stylesheet with the cut faces' @font-face rules, parsed once per process."""
    from weasyprint import CSS

    source = fonts.font_face_css() + "\n" + render_to_string("pdf/determination.css")
    return CSS(string=source, font_config=_font_config())


@atexit.register
def _release_fonts() -> None:
    """Let the font configuration remove its temporary folder while the interpreter still can."""
    stylesheet.cache_clear()
    _font_config.cache_clear()


PX_TO_PT = 0.75  # CSS pixels (1/96 in) to PDF points (1/72 in)


def render_pdf(determination: Determination, lang: str = "zh-hans") -> bytes:
    """The determination's PDF, signed by its authority with the seal over the 落款 (DESIGN §12)."""
    from weasyprint import HTML

    with translation.override(lang):
        html = render_to_string("pdf/determination.html", context(determination))
    document = HTML(string=html, base_url=str(settings.BASE_DIR)).render(font_config=_font_config(),
                                                                         stylesheets=[stylesheet()])
    pdf = document.write_pdf(pdf_variant="pdf/a-3b", uncompressed_pdf=False, custom_metadata=True,
                             attachments=embedded_data(determination))
    return signing.signer().sign(pdf, authority=determination.authority, box=seal_box(document))


FACTS_FILE, EVALUATION_FILE = "facts.json", "evaluation.json"


def embedded_data(determination: Determination) -> list:
    """The frozen facts and outcome as associated files of the PDF/A-3b (AFRelationship /Source and
    /Data), so that anyone can re-run them: `python manage.py evaluate facts.json` (README)."""
    from weasyprint import Attachment

    evaluation = determination.evaluation
    facts = {**evaluation.facts, "as_of": evaluation.as_of.isoformat()}
    record = {"determination": determination.number, "verification_code": determination.verification_code,
              "rules_version": evaluation.rules_version, "as_of": evaluation.as_of.isoformat(),
              "recognized_investment_cny": None if evaluation.recognized_investment_cny is None
              else f"{evaluation.recognized_investment_cny:.2f}", "outcome": evaluation.outcome}
    dump = functools.partial(json.dumps, ensure_ascii=False, indent=2, sort_keys=True)
    return [Attachment(string=dump(facts), name=FACTS_FILE, relationship="Source",
                       description="事实（申报材料，冻结）/ the frozen facts"),
            Attachment(string=dump(record), name=EVALUATION_FILE, relationship="Data",
                       description="测算结果与规则版本 / the frozen outcome, rules version and parameters")]


def seal_box(document) -> signing.Box:
    """Where the template put the seal (its `#seal` box), in PDF points from the page's bottom left."""
    for index, page in enumerate(document.pages):
        if "seal" in page.anchors:
            x1, y1, x2, y2 = page.anchors["seal"]  # CSS px from the top left
            return signing.Box(index, x1 * PX_TO_PT, (page.height - y2) * PX_TO_PT, x2 * PX_TO_PT,
                               (page.height - y1) * PX_TO_PT)
    raise ValueError("the determination template has no #seal")


def missing_pdf_requirements() -> list[str]:
    """What the PDFs need from the system and is absent (checked at start-up)."""
    missing = []
    if ctypes.util.find_library("harfbuzz-subset") is None:
        missing.append("libharfbuzz-subset0 (without it font subsetting takes ~10 s a page)")
    try:
        fc_list = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True,  # noqa: S607
                                 text=True, timeout=10, check=False).stdout
    except (OSError, subprocess.SubprocessError):
        fc_list = ""
    for family in FONT_FAMILIES:
        if family not in fc_list:
            missing.append(f"the font {family} (Debian fonts-noto-cjk)")
    return missing

