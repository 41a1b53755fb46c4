"""What the application pages show (the filing pages, and the review pages that build on them),
arranged for templates: the facts as a summary, what is still
missing with links to where it is entered, the history, the attachments, frozen evaluations.

Pure functions of already loaded data (the views pass querysets' rows in), so the views stay thin.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from applications import workdays
from applications.models import Application, Attachment, AttachmentKind, Decision, Determination, Evaluation, Transition
from applications.workflow import DECIDED_STATES, State
from eligibility import presentation as outcome_presentation
from eligibility.forms import SPEC
from measures import labels, parameters, regions

# A URL for (step, anchor) on the wizard of one application.
StepUrl = Callable[[str, str], str]

# Transitions whose note is the reviewer's word to the enterprise.
NOTED_STATES = (State.RETURNED, *DECIDED_STATES)


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

def department(actor: Any) -> str | None:
    """A reviewer or city admin as the enterprise knows them: by their authority, not a login name."""
    if actor.is_reviewer:
        return settings.DETERMINATION_AUTHORITIES.get(actor.jurisdiction, (actor.jurisdiction,))[0]
    if actor.is_city_admin:
        return settings.DETERMINATION_AUTHORITIES["city"][0]
    return None


def timeline(transitions: Iterable[Transition], lang: str) -> list[dict[str, Any]]:
    rows = []
    for t in transitions:
        actor = t.actor
        role = actor.get_role_display() if actor.role else ""
        rows.append({
            "id": t.pk,
            "department": department(actor),
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


# --- deadlines (issue 12) -------------------------------------------------------------------------

def deadlines(application: Application, returned_at: Any, lang: str) -> dict[str, Any] | None:
    """What the enterprise can expect next, with dates in working days (State Council calendar):
    the decision expected after a submission, the correction deadline after a return, what follows
    a decision."""
    state = application.state
    if state in (State.SUBMITTED, State.IN_REVIEW) and application.submitted_at:
        submitted = timezone.localdate(application.submitted_at)
        days = settings.REVIEW_DEADLINE_WORKING_DAYS
        return {"kind": "decision", "date": workdays.after(submitted, days), "days": days}
    if state == State.RETURNED and returned_at:
        days = settings.CORRECTION_DEADLINE_WORKING_DAYS
        return {"kind": "correction", "date": workdays.after(timezone.localdate(returned_at), days), "days": days}
    if state == State.APPROVED:
        grant = getattr(application, "grant", None)
        return {"kind": "approved", "payer": _payer_name(grant, lang) if grant else None,
                "amount": outcome_presentation.figures(grant.amount_cny) if grant else None}
    if state == State.REJECTED:
        return {"kind": "rejected", "remedy_days": 60, "remedy_months": 6}
    return None


def late_resubmission(returned_at: Any, resubmitted_at: Any) -> dict[str, Any] | None:
    """For the reviewer: resubmitted after the correction deadline (a warning, not a refusal)."""
    if not (returned_at and resubmitted_at):
        return None
    days = settings.CORRECTION_DEADLINE_WORKING_DAYS
    deadline = workdays.after(timezone.localdate(returned_at), days)
    resubmitted = timezone.localdate(resubmitted_at)
    return {"deadline": deadline, "resubmitted": resubmitted, "days": days} if resubmitted > deadline else None


def _payer_name(grant: Any, lang: str) -> str:
    if grant.payer_kind == "park_committee":
        park = parameters.value("m04.park_payer", timezone.localdate(grant.granted_at))
        return park["name_en"] if lang == "en" else park["name"]
    name = regions.county_name(grant.payer_region, lang) if grant.payer_region else ""
    return f"{name} government (own budget)" if lang == "en" else f"{name}本级财政"


def changes_since_return(application: Application, returned_at: Any, lang: str) -> dict[str, Any] | None:
    """For a resubmitted application: the facts that differ between the submission before the
    return and the latest one, and the files uploaded since the return (issue 12)."""
    if not returned_at:
        return None
    frozen = [e for e in application.evaluations.all() if e.kind == Evaluation.Kind.SUBMISSION]
    before = [e for e in frozen if e.created_at <= returned_at]
    after = [e for e in frozen if e.created_at > returned_at]
    if not before or not after:
        return None
    old, new = _flat_facts(before[-1].facts), _flat_facts(after[-1].facts)
    facts = [{"label": labels.field(path, lang), "old": _value(path, old.get(path), lang),
              "new": _value(path, new.get(path), lang)}
             for path in dict.fromkeys([*old, *new]) if old.get(path) != new.get(path)]
    files = [{"kind": labels.field(f"attachments.{a.kind}", lang), "name": a.original_name, "at": a.uploaded_at}
             for a in application.attachments.all() if a.uploaded_at > returned_at]
    return {"facts": facts, "files": files, "returned_at": returned_at}


def _flat_facts(facts: dict[str, Any]) -> dict[str, Any]:
    return {f"{group}.{name}": value for group, part in facts.items() if isinstance(part, dict)
            for name, value in part.items()}
