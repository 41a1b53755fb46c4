"""Writes: every change to an application is one of these functions, one transaction each, taken
on the current state under a row lock (select_for_update) and written to the history.

Refusals raise `DomainError`: 400 bad input (naming each field), 403 not allowed, 404 not yours,
409 not allowed from the current state.
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Enterprise, User
from accounts.services import jurisdiction_of_region
from applications.determinations import determination_issue
from applications.models import (
    Application,
    Attachment,
    AttachmentKind,
    Decision,
    Evaluation,
    Grant,
    State,
    Transition,
)
from applications.notifications import notify_enterprise
from applications.selectors import applications_visible_to, project_already_granted
from audit import services as audit
from haidong_policy.problems import DomainError
from measures import parameters, regions, serialize
from measures.engine import evaluate
from measures.facts import Facts, FactsError, ProjectCategory, parse_facts

MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024
# (leading bytes, content type, file suffix): the content decides, never the file name.
SIGNATURES = (
    (b"%PDF-", "application/pdf", ".pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png", ".png"),
    (b"\xff\xd8\xff", "image/jpeg", ".jpg"),
)
PROJECT_FIELDS = ("code", "name", "kind", "category", "region", "in_industrial_park", "standard_racks",
                  "equipment_investment_cny", "completed_on")
EDITABLE = (State.DRAFT, State.RETURNED)
DECLARATION_NOTE = "已签署承诺书 / declaration of truthfulness made"
UNDECIDED = (State.SUBMITTED, State.IN_REVIEW)


# --- facts ---------------------------------------------------------------------------------------

def merge_patch(target: Any, patch: Any) -> Any:
    """RFC 7396 JSON merge patch: objects merge, null deletes, anything else replaces."""
    if not isinstance(patch, dict):
        return copy.deepcopy(patch)
    result = copy.deepcopy(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = merge_patch(result.get(key), value)
    return result


def _checked_facts(enterprise: Enterprise, data: Any) -> tuple[dict, Facts]:
    """Client facts with the enterprise identity taken from the account; 400 naming each bad field."""
    if not isinstance(data, dict):
        raise DomainError(400, "invalid facts", [{"field": "body", "code": "not_an_object"}])
    errors = []
    if "as_of" in data:
        errors.append({"field": "as_of", "code": "unknown_field"})
    given = data.get("enterprise")
    code = given.get("credit_code") if isinstance(given, dict) else None
    if code is not None and not isinstance(code, str):
        errors.append({"field": "enterprise.credit_code", "code": "invalid_type"})
    elif code is not None and code.strip().upper() != enterprise.credit_code:
        errors.append({"field": "enterprise.credit_code", "code": "not_your_enterprise"})
    if errors:
        raise DomainError(400, "invalid facts", errors)
    facts = copy.deepcopy(data)
    identity = {"name": enterprise.name, "credit_code": enterprise.credit_code,
                "registered_region": enterprise.registered_region}
    facts["enterprise"] = {**(given if isinstance(given, dict) else {}), **identity}
    try:
        model = parse_facts(facts)
    except FactsError as exc:
        raise DomainError(400, "invalid facts", exc.errors) from None
    return model.model_dump(mode="json", exclude_none=True, exclude={"as_of"}), model


def jurisdiction_for(facts: Facts, enterprise: Enterprise) -> str:
    """park for a project in the industrial park, else the project's county; with no project (or
    no county yet), the enterprise's registered region (DESIGN §5, §9)."""
    project = facts.project
    if project is not None and project.in_industrial_park:
        return "park"
    if project is not None and project.region and regions.is_haidong_county(project.region):
        return regions.normalize(project.region)
    return jurisdiction_of_region(enterprise.registered_region)


def required_attachments(facts: Facts) -> list[str]:
    kinds = [AttachmentKind.BUSINESS_LICENSE]
    if facts.project is not None:
        kinds += [AttachmentKind.PROJECT_FILING, AttachmentKind.INVESTMENT_AUDIT, AttachmentKind.EQUIPMENT_INVOICE]
        if facts.project.category is ProjectCategory.DATA_CENTER:
            kinds.append(AttachmentKind.RACK_ACCEPTANCE)
    return [str(k) for k in kinds]


def evaluate_application(application: Application, *, as_of: dt.date | None = None,
                         recognized_investment: Decimal | None = None,
                         already_granted: bool | None = None) -> tuple[Facts, dict, dict]:
    """The live evaluation (facts model, zh-hans outcome, en outcome), with the one-time rule
    checked against the grants unless `already_granted` says."""
    facts = parse_facts(application.facts)
    code = facts.project.code if facts.project else None
    granted = already_granted
    if granted is None:
        granted = project_already_granted(code, exclude_application_id=application.pk)
    result = evaluate(facts, as_of or timezone.localdate(), already_granted=granted,
                      recognized_investment=recognized_investment)
    return facts, serialize.evaluation(result, "zh-hans"), serialize.evaluation(result, "en")


def submission_problems(application: Application, facts: Facts, outcome: dict) -> list[dict[str, str]]:
    """Every fact and attachment still missing before the application can be submitted."""
    missing: list[str] = []
    if not facts.enterprise.sectors:
        missing.append("enterprise.sectors")
    if not facts.enterprise.activities:
        missing.append("enterprise.activities")
    if facts.project is not None:
        missing += [f"project.{name}" for name in PROJECT_FIELDS if getattr(facts.project, name) is None]
    for measure in outcome["measures"]:
        missing += measure["missing"]
    problems = [{"field": path, "code": "required"} for path in dict.fromkeys(missing)]
    present = set(application.attachments.filter(superseded_at__isnull=True).values_list("kind", flat=True))
    problems += [{"field": f"attachments.{kind}", "code": "required"}
                 for kind in required_attachments(facts) if kind not in present]
    return problems


# --- permissions ---------------------------------------------------------------------------------

def _refuse(application: Application, user: User) -> DomainError:
    """403 for what the user may see but not do; 404 for what the user may not even see."""
    if applications_visible_to(user).filter(pk=application.pk).exists():
        return DomainError(403, _("You may not do this with this application."))
    return DomainError(404, _("No such application."))


def _check_owner(application: Application, user: User) -> None:
    if not (user.is_authenticated and user.is_enterprise and application.enterprise_id == user.enterprise_id):
        raise _refuse(application, user)


def _check_reviewer(application: Application, user: User) -> None:
    allowed = user.is_authenticated and (
        user.is_city_admin or (user.is_reviewer and application.jurisdiction == user.jurisdiction))
    if not allowed or application.state == State.DRAFT:
        raise _refuse(application, user)


def _locked(application_id: int) -> Application:
    application = Application.objects.select_for_update().filter(pk=application_id).first()
    if application is None:
        raise DomainError(404, _("No such application."))
    return application


def _require_state(application: Application, allowed: tuple[str, ...]) -> None:
    if application.state not in allowed:
        raise DomainError(409, _("Not possible while the application is %(state)s.")
                          % {"state": State(application.state).label})


def _move(application: Application, actor: User, to: str, note: str = "", **fields: Any) -> None:
    now = timezone.now()
    Transition.objects.create(application=application, actor=actor, at=now, from_state=application.state,
                              to_state=to, note=note)
    audit.record(action="transition", obj=application, actor=actor, application=application,
                 from_state=application.state, to_state=to, note=note)
    application.state = to
    application.updated_at = now
    for name, value in fields.items():
        setattr(application, name, value)
    application.save(update_fields=["state", "updated_at", *fields])


def _freeze(application: Application, kind: str, facts: Facts, outcome: dict, outcome_en: dict,
            recognized_investment: Decimal | None = None) -> Evaluation:
    return Evaluation.objects.create(
        application=application, kind=kind, as_of=dt.date.fromisoformat(outcome["as_of"]),
        facts=application.facts, outcome=outcome, outcome_en=outcome_en, rules_version=outcome["rules_version"],
        recognized_investment_cny=recognized_investment, total_amount_cny=Decimal(outcome["total_amount_cny"]),
    )


def _required_note(note: str) -> str:
    if not note or not note.strip():
        raise DomainError(400, "note required", [{"field": "note", "code": "required"}])
    return note.strip()


# --- enterprise actions --------------------------------------------------------------------------

@transaction.atomic
def application_create(*, user: User, facts: Any) -> Application:
    if not (user.is_authenticated and user.is_enterprise):
        raise DomainError(403, _("Only enterprise users file applications."))
    stored, model = _checked_facts(user.enterprise, facts)
    application = Application(enterprise=user.enterprise, created_by=user)
    _set_facts(application, stored, model)
    application.save()
    Transition.objects.create(application=application, actor=user, from_state="", to_state=State.DRAFT)
    audit.record(action="transition", obj=application, actor=user, application=application, to_state=State.DRAFT)
    return application


def _set_facts(application: Application, stored: dict, model: Facts) -> None:
    """The facts, and what the queue reads from them without parsing JSON."""
    project = model.project
    application.facts = stored
    application.jurisdiction = jurisdiction_for(model, application.enterprise)
    application.project_code = project.code if project else ""
    region = project.region if project is not None and project.region else application.enterprise.registered_region
    application.county = regions.normalize(region)
    application.declared_investment_cny = project.equipment_investment_cny if project else None
    application.updated_at = timezone.now()


def _set_estimate(application: Application, outcome: dict) -> None:
    """The estimated 第4条 amount and its tier, from the latest frozen evaluation."""
    amount = Decimal(outcome["measures"][3]["amount_cny"] or "0")
    tiers = sorted({Decimal(t["amount"]) for t in parameters.value("m04.tiers", timezone.localdate())})
    application.estimated_amount_cny = amount
    application.tier = tiers.index(amount) + 1 if amount in tiers else 0


@transaction.atomic
def application_update(*, application_id: int, user: User, patch: Any) -> Application:
    """Merge-patch the facts of a draft or returned application (RFC 7396)."""
    application = _locked(application_id)
    _check_owner(application, user)
    _require_state(application, EDITABLE)
    if not isinstance(patch, dict):
        raise DomainError(400, "invalid facts", [{"field": "body", "code": "not_an_object"}])
    stored, model = _checked_facts(application.enterprise, merge_patch(application.facts, patch))
    _set_facts(application, stored, model)
    application.save(update_fields=["facts", "jurisdiction", "project_code", "county", "declared_investment_cny",
                                    "updated_at"])
    return application


@transaction.atomic
def application_submit(*, application_id: int, user: User, declaration: bool) -> Evaluation:
    """Submit a draft or a corrected returned application with the 承诺书 declaration; freezes the
    evaluation. 400 naming every missing fact and attachment."""
    application = _locked(application_id)
    _check_owner(application, user)
    _require_state(application, EDITABLE)
    facts, outcome, outcome_en = evaluate_application(application)
    problems = submission_problems(application, facts, outcome)
    if not declaration:
        problems.append({"field": "declaration", "code": "required"})
    if problems:
        raise DomainError(400, "incomplete application", problems)
    evaluation = _freeze(application, Evaluation.Kind.SUBMISSION, facts, outcome, outcome_en)
    _set_estimate(application, outcome)
    # Stored, so in both languages rather than the submitter's.
    _move(application, user, State.SUBMITTED, DECLARATION_NOTE, submitted_at=timezone.now(), claimed_by=None,
          estimated_amount_cny=application.estimated_amount_cny, tier=application.tier)
    return evaluation


@transaction.atomic
def application_withdraw(*, application_id: int, user: User, note: str = "") -> Application:
    application = _locked(application_id)
    _check_owner(application, user)
    _require_state(application, EDITABLE)
    _move(application, user, State.WITHDRAWN, note.strip())
    return application


@transaction.atomic
def attachment_add(*, application_id: int, user: User, kind: str, upload: UploadedFile) -> Attachment:
    """Store a PDF, JPEG or PNG (by content) under a random name; a file of the same kind is kept
    as history, marked superseded."""
    application = _locked(application_id)
    _check_owner(application, user)
    _require_state(application, EDITABLE)
    if kind not in AttachmentKind.values:
        raise DomainError(400, "invalid attachment", [{"field": "kind", "code": "invalid_choice"}])
    if upload is None:
        raise DomainError(400, "invalid attachment", [{"field": "file", "code": "required"}])
    if upload.size > MAX_ATTACHMENT_BYTES:
        raise DomainError(400, "invalid attachment", [{"field": "file", "code": "file_too_large"}])
    head = upload.read(16)
    upload.seek(0)
    detected = next(((ctype, suffix) for magic, ctype, suffix in SIGNATURES if head.startswith(magic)), None)
    if detected is None:
        raise DomainError(400, "invalid attachment", [{"field": "file", "code": "unsupported_type"}])
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    now = timezone.now()
    application.attachments.filter(kind=kind, superseded_at__isnull=True).update(superseded_at=now)
    attachment = Attachment(application=application, kind=kind, original_name=(upload.name or "")[-255:],
                            content_type=detected[0], size=upload.size, sha256=digest.hexdigest(),
                            uploaded_by=user, uploaded_at=now)
    attachment.file.save(f"upload{detected[1]}", upload, save=False)
    try:
        attachment.save()
        replaced = " (replaces an earlier file)" if application.attachments.filter(kind=kind).count() > 1 else ""
        audit.record(action="attachment", obj=attachment, actor=user, application=application,
                     note=f"{kind}: {attachment.original_name} sha256 {attachment.sha256}{replaced}")
    except Exception:
        attachment.file.delete(save=False)  # no row, no file
        raise
    application.updated_at = now
    application.save(update_fields=["updated_at"])
    return attachment


# --- reviewer actions (the review pages and API build on these) ------------------------------------

@transaction.atomic
def application_claim(*, application_id: int, reviewer: User) -> Application:
    application = _locked(application_id)
    _check_reviewer(application, reviewer)
    _require_state(application, (State.SUBMITTED,))
    _move(application, reviewer, State.IN_REVIEW, claimed_by=reviewer)
    return application


@transaction.atomic
def application_release(*, application_id: int, reviewer: User) -> Application:
    """Give a claimed application back to the queue."""
    application = _locked(application_id)
    _check_reviewer(application, reviewer)
    _require_state(application, (State.IN_REVIEW,))
    _move(application, reviewer, State.SUBMITTED, claimed_by=None)
    return application


@transaction.atomic
def application_return(*, application_id: int, reviewer: User, note: str) -> Application:
    application = _locked(application_id)
    _check_reviewer(application, reviewer)
    _require_state(application, UNDECIDED)
    _move(application, reviewer, State.RETURNED, _required_note(note), claimed_by=reviewer)
    notify_enterprise(application, State.RETURNED)
    return application


@transaction.atomic
def application_reject(*, application_id: int, reviewer: User, note: str) -> Evaluation:
    application = _locked(application_id)
    _check_reviewer(application, reviewer)
    _require_state(application, UNDECIDED)
    note = _required_note(note)
    facts, outcome, outcome_en = evaluate_application(application)
    evaluation = _freeze(application, Evaluation.Kind.DECISION, facts, outcome, outcome_en)
    _move(application, reviewer, State.REJECTED, note, claimed_by=reviewer, decided_at=timezone.now())
    determination_issue(application=application, evaluation=evaluation, decision=Decision.REJECTED, actor=reviewer)
    notify_enterprise(application, State.REJECTED)
    return evaluation


@transaction.atomic
def application_approve(*, application_id: int, reviewer: User, note: str = "",
                        recognized_investment: Decimal | None = None) -> Evaluation:
    """Approve the findings; grant the measure-4 subsidy when it is still eligible. The grant is
    unique per project code in the database: if another approval took it first, this one is
    re-evaluated as already granted and approves the other findings (DESIGN §9)."""
    application = _locked(application_id)
    _check_reviewer(application, reviewer)
    _require_state(application, UNDECIDED)
    facts = parse_facts(application.facts)
    if recognized_investment is not None:
        declared = facts.project.equipment_investment_cny if facts.project else None
        if declared is None or recognized_investment < 0 or recognized_investment > declared:
            raise DomainError(400, "invalid recognised investment",
                              [{"field": "recognized_investment_cny", "code": "above_declared"}])
    facts, outcome, outcome_en = evaluate_application(application, recognized_investment=recognized_investment)
    if outcome["measures"][3]["status"] == "eligible" and not _grant(application, outcome["measures"][3]):
        facts, outcome, outcome_en = evaluate_application(
            application, recognized_investment=recognized_investment, already_granted=True)
    evaluation = _freeze(application, Evaluation.Kind.DECISION, facts, outcome, outcome_en, recognized_investment)
    _set_estimate(application, outcome)
    _move(application, reviewer, State.APPROVED, note.strip(), claimed_by=reviewer, decided_at=timezone.now(),
          estimated_amount_cny=application.estimated_amount_cny, tier=application.tier)
    determination_issue(application=application, evaluation=evaluation, decision=Decision.APPROVED, actor=reviewer)
    notify_enterprise(application, State.APPROVED)
    return evaluation


def _grant(application: Application, measure4: dict) -> bool:
    payer = measure4["payer"]
    try:
        with transaction.atomic():  # a savepoint: losing the race must not abort the approval
            Grant.objects.create(application=application, project_code=application.project_code,
                                 amount_cny=Decimal(measure4["amount_cny"]), payer_kind=payer["kind"],
                                 payer_region=payer["region"] or "")
    except IntegrityError:
        return False
    return True
