"""What the review pages show, arranged for templates: jurisdictions, tiers and payers in words,
queue rows, the city overview's tables, audit rows. Built on the application pages' presentation
(`filing.presentation`)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any

from django.utils import translation
from django.utils.translation import gettext_lazy as _

from accounts.models import CITY, JURISDICTIONS
from applications.models import Evaluation
from applications.workflow import State
from audit import messages as audit_messages
from eligibility import presentation as outcome_presentation
from filing.presentation import evaluation_card, state_label
from measures import messages, parameters, regions


def jurisdiction_label(key: str, lang: str) -> str:
    """park, a county code or city, as a reviewer names it."""
    if key == "park":
        return str(_("Haidong Industrial Park"))
    if key == "city":
        return str(_("Haidong (city level)"))
    if regions.is_haidong_county(key):
        return regions.county_name(key, lang)
    return key


def jurisdiction_options(lang: str) -> list[tuple[str, str]]:
    return [(key, jurisdiction_label(key, lang)) for key in (*JURISDICTIONS, CITY)]


def county_options(lang: str) -> list[tuple[str, str]]:
    return [(code, f"{code} {regions.county_name(code, lang)}") for code in sorted(regions.COUNTIES)]


def tier_label(tier: int, as_of: Any) -> str:
    """0: no investment subsidy; 1, 2: the tiers of 第4条 with their amounts."""
    tiers = sorted(Decimal(t["amount"]) for t in parameters.value("m04.tiers", as_of))
    if not tier or tier > len(tiers):
        return str(_("No investment subsidy"))
    return str(_("Tier %(n)s (%(amount)s)") % {"n": tier, "amount": outcome_presentation.figures(tiers[tier - 1])})


def payer_label(kind: str, region: str | None, as_of: Any, lang: str) -> str:
    """The payer of a 第4条 subsidy: the park committee, or a county's own finance."""
    if kind == "park_committee":
        park = parameters.value("m04.park_payer", as_of)
        return park["name_en"] if lang == "en" else park["name"]
    if kind == "county_finance" and region and regions.is_haidong_county(region):
        suffix = parameters.value("m04.county_payer_suffix", as_of)
        if lang == "en":
            return f"{regions.county_name(region, 'en')} {suffix['name_en']}"
        return regions.county_name(region) + suffix["name"]
    return f"{kind} {region or ''}".strip()


def queue_display(row: dict[str, Any], as_of: Any, lang: str) -> dict[str, Any]:
    """A row of `review.api.queue_row` with what the page shows beside the figures."""
    return {
        **row,
        "state_label": state_label(row["status"]),
        "jurisdiction_label": jurisdiction_label(row["jurisdiction"], lang),
        "declared_figures": outcome_presentation.figures(row["declared_investment_cny"]),
        "estimated_figures": outcome_presentation.figures(row["estimated_amount_cny"]),
        "tier_label": tier_label(row["tier"], as_of),
    }


def review_evaluation(evaluation: Evaluation, lang: str) -> dict[str, Any]:
    """A frozen evaluation as `evaluation_card`, with the declared investment beside the recognised
    one, and the warnings to verify apart from the findings."""
    card = evaluation_card(evaluation, lang)
    project = evaluation.facts.get("project") or {}
    declared = project.get("equipment_investment_cny")
    warnings = card["result"]["warnings"]
    card["result"] = {**card["result"], "warnings": []}
    return {**card, "declared_figures": outcome_presentation.figures(declared) if declared is not None else None,
            "warnings": warnings}


def overview_tables(overview: dict[str, Any], as_of: Any, lang: str) -> dict[str, Any]:
    """`selectors.city_overview` as three tables with totals."""
    states = [s for s in State.values if s != State.DRAFT]
    keys = [k for k, _label in jurisdiction_options(lang)]
    keys += sorted(k for k in overview["counts"] if k not in keys)
    counts = []
    for key in keys:
        by_state = overview["counts"].get(key, {})
        counts.append({"key": key, "label": jurisdiction_label(key, lang),
                       "cells": [by_state.get(s, 0) for s in states], "total": sum(by_state.values())})
    column_totals = [sum(row["cells"][i] for row in counts) for i in range(len(states))]

    def money_rows(rows: list[dict[str, Any]], payer: Callable[[dict[str, Any]], str]) -> dict[str, Any]:
        total = sum((Decimal(r["total"] or 0) for r in rows), Decimal(0))
        return {
            "rows": [{"payer": payer(r), "n": r["n"], "total_figures": outcome_presentation.figures(r["total"] or 0)}
                     for r in rows],
            "n": sum(r["n"] for r in rows),
            "total_figures": outcome_presentation.figures(total),
            "total_capitals": outcome_presentation.capitals(total),
        }

    return {
        "states": [{"key": s, "label": state_label(s)} for s in states],
        "counts": counts,
        "column_totals": column_totals,
        "grand_total": sum(column_totals),
        "granted": money_rows(overview["granted"],
                              lambda r: payer_label(r["payer_kind"], r["payer_region"], as_of, lang)),
        "pending": money_rows(overview["pending"], lambda r: payer_label(
            "park_committee" if r["jurisdiction"] == "park" else "county_finance", r["jurisdiction"], as_of, lang)),
        "overdue": overview["overdue"],
    }


def _state_text(state: str) -> str:
    return state_label(state) if state in State.values else state


def _object_parts(object_type: str, object_id: str) -> list[str]:
    """applications.attachment#12 as ["applications.", "attachment", "#12"]: where a narrow column may
    break the line."""
    label, dot, model = object_type.partition(".")
    return [part for part in (label + dot, model, f"#{object_id}" if object_id else "") if part]


def audit_rows(entries: Iterable[Any], lang: str | None = None) -> list[dict[str, Any]]:
    """Audit entries (newest first, as stored) for the log's table and its CSV export, their notes
    in `lang` (by default the active language): a system note from its code, a person's as typed."""
    lang = messages.language(lang or translation.get_language())
    return [{
        "id": e.pk,
        "at": e.at,
        "action": e.action,
        "action_label": str(e.get_action_display()),
        "actor": e.actor_name,
        "object": f"{e.object_type}#{e.object_id}" if e.object_id else e.object_type,
        "object_parts": _object_parts(e.object_type, e.object_id),
        "application_id": e.application_id,
        "from_label": _state_text(e.from_state) if e.from_state else "",
        "to_label": _state_text(e.to_state) if e.to_state else "",
        "note": audit_messages.entry_note(e.note_code, e.note_params, e.note, lang),
        "client_address": e.client_address or "",
    } for e in entries]
