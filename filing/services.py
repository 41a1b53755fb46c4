"""Writes of the enterprise: file a draft, change its facts, attach evidence, submit, withdraw.
One transaction each, under the row lock and the workflow table (`applications.transitions`).

Refusals are domain errors (kernel.errors): `Invalid` names each bad field, `NotAllowed`,
`NotFound`, `WrongState`."""

from __future__ import annotations

import copy
import hashlib
from pathlib import PurePosixPath
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Enterprise, User
from accounts.services import jurisdiction_of_region
from applications import transitions
from applications.evaluations import estimate, evaluate_application, freeze
from applications.models import Application, Attachment, AttachmentKind, Evaluation, State, Transition
from audit import services as audit
from kernel.errors import Invalid, NotAllowed, Unavailable
from kernel.storage import STORE_UNAVAILABLE, discard_stored
from measures import outcome, regions
from measures.facts import Facts, FactsError, ProjectCategory, parse_facts

MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024
# (leading bytes, content type, file suffix): the content decides, never the file name.
SIGNATURES = (
    (b"%PDF-", "application/pdf", ".pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png", ".png"),
    (b"\xff\xd8\xff", "image/jpeg", ".jpg"),
)
SUFFIX_OF = {content_type: suffix for _magic, content_type, suffix in SIGNATURES}
PROJECT_FIELDS = ("code", "name", "kind", "category", "region", "in_industrial_park", "standard_racks",
                  "equipment_investment_cny", "completed_on")
DECLARATION_NOTE = "已签署承诺书 / declaration of truthfulness made"


def display_name(name: str, suffix: str) -> str:
    """The uploaded name in the user's words, with the extension of what the file really is:
    `营业执照.hta` → `营业执照.pdf`, `invoice.pdf.bat` → `invoice.pdf`, `扫描件` → `扫描件.png`."""
    stem = PurePosixPath((name or "").replace("\\", "/")).name
    while True:
        head, dot, extension = stem.rpartition(".")
        if not (dot and head.strip() and 1 <= len(extension) <= 5 and extension.isascii() and extension.isalnum()):
            break
        stem = head
    stem = stem.strip().lstrip(".").strip() or "file"
    return stem[:255 - len(suffix)] + suffix


def download_name(attachment: Attachment) -> str:
    """What a download is called: also for files stored before names were cleaned."""
    return display_name(attachment.original_name, SUFFIX_OF.get(attachment.content_type, ""))


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


def checked_facts(enterprise: Enterprise, data: Any) -> tuple[dict, Facts]:
    """Client facts with the enterprise identity taken from the account; `Invalid` naming each bad field."""
    if not isinstance(data, dict):
        raise Invalid([{"field": "body", "code": "not_an_object"}], "invalid facts")
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
        raise Invalid(errors, "invalid facts")
    facts = copy.deepcopy(data)
    identity = {"name": enterprise.name, "credit_code": enterprise.credit_code,
                "registered_region": enterprise.registered_region}
    facts["enterprise"] = {**(given if isinstance(given, dict) else {}), **identity}
    try:
        model = parse_facts(facts)
    except FactsError as exc:
        raise Invalid(exc.errors, "invalid facts") from None
    return model.model_dump(mode="json", exclude_none=True, exclude={"as_of"}), model


def jurisdiction_for(facts: Facts, registered_region: str) -> str:
    """park for a project in the industrial park, else the project's county; with no project (or
    no county yet), the enterprise's registered region (DESIGN §5, §9)."""
    project = facts.project
    if project is not None and project.in_industrial_park:
        return "park"
    if project is not None and project.region and regions.is_haidong_county(project.region):
        return regions.normalize(project.region)
    return jurisdiction_of_region(registered_region)


def required_attachments(facts: Facts) -> list[str]:
    kinds = [AttachmentKind.BUSINESS_LICENSE]
    if facts.project is not None:
        kinds += [AttachmentKind.PROJECT_FILING, AttachmentKind.INVESTMENT_AUDIT, AttachmentKind.EQUIPMENT_INVOICE]
        if facts.project.category is ProjectCategory.DATA_CENTER:
            kinds.append(AttachmentKind.RACK_ACCEPTANCE)
    return [str(k) for k in kinds]


def submission_problems(application: Application, facts: Facts, result: outcome.Evaluation) -> list[dict[str, str]]:
    """Every fact and attachment still missing before the application can be submitted."""
    missing: list[str] = []
    if not facts.enterprise.sectors:
        missing.append("enterprise.sectors")
    if not facts.enterprise.activities:
        missing.append("enterprise.activities")
    if facts.project is not None:
        missing += [f"project.{name}" for name in PROJECT_FIELDS if getattr(facts.project, name) is None]
    for measure in result.measures:
        missing += measure.missing
    problems = [{"field": path, "code": "required"} for path in dict.fromkeys(missing)]
    present = set(application.attachments.filter(superseded_at__isnull=True).values_list("kind", flat=True))
    problems += [{"field": f"attachments.{kind}", "code": "required"}
                 for kind in required_attachments(facts) if kind not in present]
    return problems


def _set_facts(application: Application, stored: dict, model: Facts) -> None:
    """The facts, and what the queue reads from them without parsing JSON."""
    project = model.project
    application.facts = stored
    application.jurisdiction = jurisdiction_for(model, application.enterprise.registered_region)
    application.project_code = project.code if project else ""
    region = project.region if project is not None and project.region else application.enterprise.registered_region
    application.county = regions.normalize(region)
    application.declared_investment_cny = project.equipment_investment_cny if project else None
    application.updated_at = timezone.now()


# --- the enterprise's actions --------------------------------------------------------------------

@transaction.atomic
def application_create(*, user: User, facts: Any) -> Application:
    if not (user.is_authenticated and user.is_enterprise):
        raise NotAllowed(_("Only enterprise users file applications."))
    stored, model = checked_facts(user.enterprise, facts)
    application = Application(enterprise=user.enterprise, created_by=user)
    _set_facts(application, stored, model)
    application.save()
    Transition.objects.create(application=application, actor=user, from_state="", to_state=State.DRAFT)
    audit.record(action="transition", obj=application, actor=user, application=application, to_state=State.DRAFT)
    return application


@transaction.atomic
def application_update(*, application_id: int, user: User, patch: Any) -> Application:
    """Merge-patch the facts of a draft or returned application (RFC 7396)."""
    application = transitions.begin(application_id, user, "update")
    if not isinstance(patch, dict):
        raise Invalid([{"field": "body", "code": "not_an_object"}], "invalid facts")
    stored, model = checked_facts(application.enterprise, merge_patch(application.facts, patch))
    _set_facts(application, stored, model)
    application.save(update_fields=["facts", "jurisdiction", "project_code", "county", "declared_investment_cny",
                                    "updated_at"])
    return application


@transaction.atomic
def application_submit(*, application_id: int, user: User, declaration: bool) -> Evaluation:
    """Submit a draft or a corrected returned application with the 承诺书 declaration; freezes the
    evaluation. `Invalid` naming every missing fact and attachment."""
    application = transitions.begin(application_id, user, "submit")
    evaluated = evaluate_application(application)
    problems = submission_problems(application, evaluated.facts, evaluated.result)
    if not declaration:
        problems.append({"field": "declaration", "code": "required"})
    if problems:
        raise Invalid(problems, "incomplete application")
    evaluation = freeze(application, Evaluation.Kind.SUBMISSION, evaluated)
    # Stored, so in both languages rather than the submitter's.
    transitions.move(application, user, "submit", DECLARATION_NOTE, note_code="declaration_made",
                     submitted_at=timezone.now(), claimed_by=None, **estimate(evaluated.result))
    return evaluation


@transaction.atomic
def application_withdraw(*, application_id: int, user: User, note: str = "") -> Application:
    application = transitions.begin(application_id, user, "withdraw")
    transitions.move(application, user, "withdraw", transitions.note_text(note))
    return application


@transaction.atomic
def attachment_add(*, application_id: int, user: User, kind: str, upload: UploadedFile) -> Attachment:
    """Store a PDF, JPEG or PNG (by content) under a random name; a file of the same kind is kept
    as history, marked superseded."""
    application = transitions.begin(application_id, user, "attach")
    if kind not in AttachmentKind.values:
        raise Invalid([{"field": "kind", "code": "invalid_choice"}], "invalid attachment")
    if upload is None:
        raise Invalid([{"field": "file", "code": "required"}], "invalid attachment")
    if upload.size > MAX_ATTACHMENT_BYTES:
        raise Invalid([{"field": "file", "code": "file_too_large"}], "invalid attachment")
    head = upload.read(16)
    upload.seek(0)
    detected = next(((ctype, suffix) for magic, ctype, suffix in SIGNATURES if head.startswith(magic)), None)
    if detected is None:
        raise Invalid([{"field": "file", "code": "unsupported_type"}], "invalid attachment")
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    now = timezone.now()
    application.attachments.filter(kind=kind, superseded_at__isnull=True).update(superseded_at=now)
    attachment = Attachment(application=application, kind=kind, original_name=display_name(upload.name, detected[1]),
                            content_type=detected[0], size=upload.size, sha256=digest.hexdigest(),
                            uploaded_by=user, uploaded_at=now)
    try:
        attachment.file.save(f"upload{detected[1]}", upload, save=False)
    except OSError:  # the store is full or read-only: kernel.storage has removed the partial file
        raise Unavailable(STORE_UNAVAILABLE()) from None
    try:
        attachment.save()
        replaced = application.attachments.filter(kind=kind).count() > 1
        audit.record(action="attachment", obj=attachment, actor=user, application=application,
                     note_code="attachment_replaced" if replaced else "attachment_added",
                     note_params={"kind": kind, "name": attachment.original_name, "sha256": attachment.sha256})
    except Exception:
        discard_stored(attachment.file)
        raise
    application.updated_at = now
    application.save(update_fields=["updated_at"])
    return attachment
