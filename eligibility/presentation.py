"""What the pages show: the §4 evaluation JSON and the catalogue arranged for templates.

Pure functions of already computed data (no request, no ORM), so the views stay thin. Texts of
outcomes come from `measures.messages` via `serialize`; only page wording lives here.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _

from measures import catalogue, labels, parameters
from measures.rmb import rmb_capitals

STATUS_LABELS = {
    "eligible": _("Eligible"),
    "referred": _("Referred"),
    "not_eligible": _("Not eligible"),
    "needs_info": _("Needs information"),
    "not_applicable": _("Not applicable"),
}
STATUS_ORDER = tuple(STATUS_LABELS)

KIND_LABELS = {
    "service": _("Service"),
    "subsidy": _("Subsidy"),
    "provincial_standard": _("At the provincial standard"),
    "tax": _("Tax incentive"),
    "case_by_case": _("Case by case"),
}

CHECK_LABELS = {"passed": _("Met"), "failed": _("Not met"), "missing": _("Missing")}

# Units shown beside a parameter's value; lists, texts and dates speak for themselves.
UNIT_LABELS = {
    "CNY": _("CNY"),
    "percent": "",
    "list": "",
    "text": "",
    "date": "",
    "kW": "kW",
    "racks": _("racks"),
}

# Parameters whose list values are enum values with display names.
VALUE_GROUPS = {
    "scope.listed_sectors": "sector",
    "scope.listed_activities": "activity",
    "m04.eligible_categories": "category",
    "m04.eligible_kinds": "kind",
}


def figures(amount: Decimal | str | None) -> str | None:
    """¥1,000,000.00"""
    if amount is None:
        return None
    return f"¥{Decimal(amount):,.2f}"


def capitals(amount: Decimal | str | None) -> str | None:
    return None if amount is None else rmb_capitals(Decimal(amount))


def clause_texts() -> dict[str, dict[str, str]]:
    """Each clause citation ("第4条", "第七部分") with its Chinese text and English rendering."""
    zh = catalogue.legal_clauses()
    en = catalogue.english_clauses()
    return {clause: {"zh": text, "en": en.get(clause, "")} for clause, text in zh.items()}


def _reason(r: dict[str, Any], clauses: dict[str, dict[str, str]], lang: str) -> dict[str, Any]:
    texts = clauses.get(r["clause"], {})
    text = texts.get("en") if lang == "en" else None
    return {
        "code": r["code"],
        "status": r["status"],
        "status_label": CHECK_LABELS[r["status"]],
        "message": r["message"],
        "clause": r["clause"],
        # The hover text and expanded text: the page's language, Chinese when nothing else exists.
        "clause_text": text or texts.get("zh", ""),
        "clause_text_zh": texts.get("zh", ""),
        "clause_text_en": texts.get("en", ""),
    }


def _missing(paths: list[str], lang: str) -> list[dict[str, str]]:
    return [{"path": p, "label": labels.field(p, lang), "anchor": f"f-{p}"} for p in paths]


def outcome(result: dict[str, Any], lang: str) -> dict[str, Any]:
    """The §4 evaluation JSON (`serialize.evaluation`) as chapters of measure cards."""
    clauses = clause_texts()
    chapters: dict[int, dict[str, Any]] = {}
    counts = dict.fromkeys(STATUS_ORDER, 0)
    for m in result["measures"]:
        counts[m["status"]] += 1
        chapter = chapters.setdefault(m["chapter"], _chapter(m["chapter"], lang))
        payer = m["payer"]
        chapter["measures"].append({
            "number": m["number"],
            "anchor": f"r{m['number']}",
            "clause": m["clause"],
            "title": m["title_en"] if lang == "en" else m["title"],
            "title_other": m["title"] if lang == "en" else m["title_en"],
            "kind": m["kind"],
            "kind_label": KIND_LABELS[m["kind"]],
            "status": m["status"],
            "status_label": STATUS_LABELS[m["status"]],
            "amount": m["amount_cny"],
            "amount_figures": figures(m["amount_cny"]),
            "amount_capitals": capitals(m["amount_cny"]),
            "payer": None if payer is None else {"kind": payer["kind"], "name": payer["name"]},
            "reasons": [_reason(r, clauses, lang) for r in m["reasons"]],
            "missing": _missing(m["missing"], lang),
        })
    # A scope fact that is missing blocks every measure with the same missing fields (DESIGN §9).
    scope_open = any(r["status"] == "missing" for r in result["scope"])
    scope_missing = result["measures"][0]["missing"] if scope_open else []
    return {
        "as_of": result["as_of"],
        "rules_version": result["rules_version"],
        "policy": result["policy"],
        "in_force": result["in_force"],
        "in_scope": result["in_scope"],
        "scope": [_reason(r, clauses, lang) for r in result["scope"]],
        "scope_missing": _missing(scope_missing, lang),
        "warnings": result["warnings"],
        "chapters": [chapters[n] for n in sorted(chapters)],
        "counts": [{"status": s, "label": STATUS_LABELS[s], "count": counts[s]} for s in STATUS_ORDER if counts[s]],
        "total_figures": figures(result["total_amount_cny"]),
        "total_capitals": capitals(result["total_amount_cny"]),
    }


def _chapter(number: int, lang: str) -> dict[str, Any]:
    zh, en = catalogue.CHAPTERS[number]
    return {
        "number": number,
        "numeral": catalogue.CHAPTER_NUMERALS[number - 1],
        "title": en if lang == "en" else zh,
        "title_other": zh if lang == "en" else en,
        "measures": [],
    }


# --- catalogue ---------------------------------------------------------------------------------


def catalogue_chapters(as_of: dt.date, lang: str) -> list[dict[str, Any]]:
    chapters: dict[int, dict[str, Any]] = {}
    for e in catalogue.entries():
        m = e.measure
        chapter = chapters.setdefault(m.chapter, _chapter(m.chapter, lang))
        chapter["measures"].append({
            "number": m.number,
            "anchor": f"m{m.number}",
            "clause": m.clause,
            "title": m.title,
            "title_en": m.title_en,
            "kind": m.kind.value,
            "kind_label": KIND_LABELS[m.kind.value],
            "text": e.text,
            "text_en": e.text_en,
            "parameters": [_parameter(p, lang) for p in catalogue.parameters_in_force(m.number, as_of)],
        })
    return [chapters[n] for n in sorted(chapters)]


def scope_clause(as_of: dt.date, lang: str) -> dict[str, Any]:
    """第七部分: scope and validity, with the parameters that carry it."""
    texts = clause_texts()[catalogue.SCOPE_CLAUSE]
    params = []
    for name, p in parameters.all_parameters().items():
        if name.startswith(("policy.", "scope.")):
            valid_from = max((d for d, _v in p.values if d <= as_of), default=p.values[0][0])
            params.append(_parameter({
                "name": name, "description": p.description, "reference": p.reference, "unit": p.unit,
                "value": p.at(as_of), "valid_from": valid_from.isoformat(),
            }, lang))
    return {"clause": catalogue.SCOPE_CLAUSE, "text": texts["zh"], "text_en": texts["en"], "parameters": params}


def _parameter(p: dict[str, Any], lang: str) -> dict[str, Any]:
    return {
        "name": p["name"],
        "description": p["description"],
        "reference": p["reference"],
        "unit": UNIT_LABELS.get(p["unit"], p["unit"]),
        "value": _value(p["name"], p["unit"], p["value"], lang),
        "valid_from": p["valid_from"],
    }


def _value(name: str, unit: str, value: Any, lang: str) -> str:
    sep = ", " if lang == "en" else "、"
    if isinstance(value, list) and value and all(isinstance(v, dict) and "amount" in v for v in value):
        return "\n".join(
            f"{'≥' if t['lower_inclusive'] else '>'} {figures(t['lower'])} → {figures(t['amount'])}" for t in value
        )
    if isinstance(value, list):
        group = VALUE_GROUPS.get(name)
        return sep.join(labels.choice(group, v, lang) if group else str(v) for v in value)
    if isinstance(value, dict):
        if "name" in value:
            return str(value.get("name_en") if lang == "en" else value["name"])
        return sep.join(f"{k}: {v}" for k, v in value.items())
    if isinstance(value, dt.date):
        return value.isoformat()
    if unit == "CNY":
        return figures(value) or ""
    if unit == "percent":
        return f"{value}%"
    return str(value)
