"""The determination as a PDF (决定书): A4, laid out after GB/T 9704, Chinese in Noto CJK fonts
subset through HarfBuzz, PDF/A-3b. Rendered once, when the determination is issued."""

from __future__ import annotations

import base64
import ctypes.util
import datetime as dt
import subprocess  # fc-list, to find the CJK fonts
from functools import cache

import segno
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from applications.models import Decision, Determination
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
    refused_reasons = [(m, r) for m in outcome.measures if m.status is Status.NOT_ELIGIBLE
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
        "verification_url": verification_url(determination.verification_code),
        "qr": qr_data_uri(verification_url(determination.verification_code)),
        "clause4": clauses["第4条"],
    }


def render_pdf(determination: Determination, lang: str = "zh-hans") -> bytes:
    from weasyprint import HTML

    with translation.override(lang):
        html = render_to_string("pdf/determination.html", context(determination))
    document = HTML(string=html, base_url=str(settings.BASE_DIR))
    return document.write_pdf(font_config=_font_config(), pdf_variant="pdf/a-3b",
                              uncompressed_pdf=False, custom_metadata=True)


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

