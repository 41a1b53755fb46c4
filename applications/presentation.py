"""What the filing pages show, arranged for templates: the facts as a summary, what is still
missing with links to where it is entered, the history, the attachments, frozen evaluations.

Pure functions of already loaded data (the views pass querysets' rows in), so the views stay thin.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import CITY, JURISDICTIONS
from applications.models import Attachment, AttachmentKind, Decision, Determination, Evaluation, State, Transition
from measures import labels, parameters, regions
from measures import presentation as outcome_presentation
from measures.forms import SPEC

# A URL for (step, anchor) on the wizard of one application.
StepUrl = Callable[[str, str], str]

EDITABLE_STATES = (State.DRAFT, State.RETURNED)
NOTED_STATES = (State.RETURNED, State.APPROVED, State.REJECTED)
DECIDED_STATES = (State.APPROVED, State.REJECTED)


def state_label(state: str) -> str:
    return str(State(state).label)


def step_of(path: str) -> str:
    """The wizard step where a dotted path is entered."""
    head = path.split(".", 1)[0]
    if head in ("enterprise", "project", "circumstances"):
        return head
    if head == "attachments":
        return "attachments"
    return "review"


def anchor_of(path: str) -> str:
    parts = path.split(".")
    # list items (enterprise.sectors.0) are entered in their list's field
    if parts[-1].isdigit():
        parts.pop()
    return "f-" + ".".join(parts)


def link_missing(result: dict[str, Any], step_url: StepUrl) -> dict[str, Any]:
    """Point every 'still needed' link of an outcome at the wizard step holding the field."""
    items = [*result["scope_missing"]]
    for chapter in result["chapters"]:
        for measure in chapter["measures"]:
            items += measure["missing"]
    for item in items:
        item["href"] = step_url(step_of(item["path"]), anchor_of(item["path"]))
    return result


def problem_links(problems: Iterable[dict[str, str]], lang: str, step_url: StepUrl) -> list[dict[str, str]]:
    """Submission problems (`{"field", "code"}`) as labelled links to where each is fixed."""
    return [{"path": p["field"], "label": labels.field(p["field"], lang),
             "href": step_url(step_of(p["field"]), anchor_of(p["field"]))} for p in problems]


# --- the facts ---------------------------------------------------------------------------------

def _value(path: str, value: Any, lang: str) -> str:
    sep = ", " if lang == "en" else "、"
    group = SPEC[path][1] if path in SPEC else None
    if isinstance(value, list):
        if not value:
            return str(_("None"))
        return sep.join(labels.choice(group, v, lang) if group else str(v) for v in value)
    if isinstance(value, bool):
        return str(_("Yes")) if value else str(_("No"))
    if group and isinstance(value, str) and value in labels.CHOICES[group]:
        return labels.choice(group, value, lang)
    if path.endswith("region") and isinstance(value, str):
        if regions.is_haidong_county(value):
            return f"{value} {regions.county_name(value, lang)}"
        if regions.is_haidong(value):
            return f"{value} {'Haidong (city level)' if lang == 'en' else '海东市（市本级）'}"
    if path.endswith("_cny") and value is not None:
        return outcome_presentation.figures(Decimal(str(value))) or ""
    return str(value)


def facts_summary(facts: dict[str, Any], lang: str, step_url: StepUrl | None = None) -> list[dict[str, Any]]:
    """The facts by group, each row labelled, empty ones marked, with a link to change the group."""
    groups = []
    for group, fields in (
        ("enterprise", ("name", "credit_code", "registered_region", "sectors", "activities", "qualifications")),
        ("project", tuple(p.split(".", 1)[1] for p in SPEC if p.startswith("project."))),
        ("circumstances", tuple(p.split(".", 1)[1] for p in SPEC if p.startswith("circumstances."))),
    ):
        values = facts.get(group)
        rows = []
        if values is not None:
            for name in fields:
                path = f"{group}.{name}"
                value = values.get(name)
                rows.append({"path": path, "label": labels.field(path, lang),
                             "value": None if value is None else _value(path, value, lang)})
        groups.append({
            "key": group,
            "title": labels.field(group, lang),
            "rows": rows,
            "empty_text": _("No project declared: the application claims the other measures only.")
            if group == "project" else "",
            "href": step_url(group, "") if step_url else None,
        })
    return groups


# --- history, attachments, evaluations -----------------------------------------------------------

def timeline(transitions: Iterable[Transition], lang: str) -> list[dict[str, Any]]:
    rows = []
    for t in transitions:
        actor = t.actor
        role = actor.get_role_display() if actor.role else ""
        rows.append({
            "at": t.at,
            "from_state": t.from_state,
            "from_label": state_label(t.from_state) if t.from_state else "",
            "to_state": t.to_state,
            "to_label": state_label(t.to_state),
            "actor": actor.get_username(),
            "actor_role": role,
            "note": t.note,
            "reviewer_note": t.to_state in NOTED_STATES and bool(t.note),
        })
    return rows


def return_note(transition: Transition | None) -> dict[str, Any] | None:
    """The reviewer's note of the latest return, for the top of every wizard step."""
    if transition is None:
        return None
    return {"at": transition.at, "note": transition.note}


def attachment_groups(attachments: Iterable[Attachment], required: Iterable[str], lang: str,
                      download_url: Callable[[Attachment], str]) -> list[dict[str, Any]]:
    """One entry per attachment kind: required or not, the current file and the replaced ones."""
    needed = set(required)
    by_kind: dict[str, list[Attachment]] = {kind: [] for kind in AttachmentKind.values}
    for a in attachments:
        by_kind.setdefault(a.kind, []).append(a)
    groups = []
    for kind, files in by_kind.items():
        rows = [{
            "id": a.pk, "name": a.original_name, "size": a.size, "content_type": a.content_type,
            "uploaded_at": a.uploaded_at, "superseded_at": a.superseded_at, "sha256": a.sha256,
            "url": download_url(a),
        } for a in sorted(files, key=lambda a: (a.uploaded_at, a.pk), reverse=True)]
        groups.append({
            "kind": kind,
            "label": labels.field(f"attachments.{kind}", lang),
            "anchor": f"a-{kind}",
            "field_id": f"f-attachments.{kind}",
            "required": kind in needed,
            "current": next((r for r in rows if r["superseded_at"] is None), None),
            "superseded": [r for r in rows if r["superseded_at"] is not None],
        })
    # Required kinds first, in the order of the list of kinds.
    return sorted(groups, key=lambda g: not g["required"])


def evaluation_card(evaluation: Evaluation, lang: str) -> dict[str, Any]:
    """A frozen evaluation: when, on which rules, the total and each measure's finding."""
    result = outcome_presentation.outcome(evaluation.outcome_en if lang == "en" else evaluation.outcome, lang)
    return {
        "id": evaluation.pk,
        "kind": evaluation.kind,
        "kind_label": evaluation.get_kind_display(),
        "created_at": evaluation.created_at,
        "as_of": evaluation.as_of,
        "rules_version": evaluation.rules_version,
        "recognized_figures": outcome_presentation.figures(evaluation.recognized_investment_cny),
        "result": result,
        "measures": [m for chapter in result["chapters"] for m in chapter["measures"]],
    }


def determination_card(determination: Determination | None) -> dict[str, Any] | None:
    """The issued determination (决定书): number, decision, amount in figures and capitals, issue
    date, verification code with its public page, the PDF as issued and its SHA-256."""
    if determination is None:
        return None
    return {
        "number": determination.number,
        "decision": determination.decision,
        "decision_label": str(determination.get_decision_display()),
        "approved": determination.decision == Decision.APPROVED,
        "amount_figures": outcome_presentation.figures(determination.amount_cny),
        "amount_capitals": outcome_presentation.capitals(determination.amount_cny),
        "issued_on": determination.issued_on,
        "authority_name": determination.authority_name,
        "verification_code": determination.verification_code,
        "verify_url": reverse("verify-code", args=[determination.verification_code]),
        "pdf_url": reverse("api:determination-pdf", args=[determination.application_id])
        if determination.pdf else None,
        "sha256": determination.sha256,
    }


# --- review pages ----------------------------------------------------------------------------------

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
    """A row of `review_api.queue_row` with what the page shows beside the figures."""
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


def audit_rows(entries: Iterable[Any]) -> list[dict[str, Any]]:
    """Audit entries (newest first, as stored) for the log's table and its CSV export."""
    return [{
        "id": e.pk,
        "at": e.at,
        "action": e.action,
        "action_label": str(e.get_action_display()),
        "actor": e.actor_name,
        "object": f"{e.object_type}#{e.object_id}" if e.object_id else e.object_type,
        "application_id": e.application_id,
        "from_label": _state_text(e.from_state) if e.from_state else "",
        "to_label": _state_text(e.to_state) if e.to_state else "",
        "note": e.note,
        "client_address": e.client_address or "",
    } for e in entries]
