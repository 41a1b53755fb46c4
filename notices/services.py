"""Writes of the public: an objection (异议) to a notice while it is open (DESIGN §11)."""

from __future__ import annotations

import secrets

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.models import Application, Notice, Objection
from audit import services as audit
from determinations.services import CODE_ALPHABET
from kernel.errors import Invalid, NotFound, WrongState

PUBLIC = "公众 (public)"  # the audit log's actor of an objection: anyone, not signed in
LIMITS = {"name": 100, "contact": 200, "text": 2000}


def objection_input(*, name: str, contact: str, text: str) -> dict[str, str]:
    """The three fields stripped, or `Invalid` naming each blank or too long one."""
    values = {"name": (name or "").strip(), "contact": (contact or "").strip(), "text": (text or "").strip()}
    errors = []
    for field, value in values.items():
        if not value:
            errors.append({"field": f"objection.{field}", "code": "blank"})
        elif len(value) > LIMITS[field]:
            errors.append({"field": f"objection.{field}", "code": "too_long"})
    if errors:
        raise Invalid(errors, "invalid objection")
    return values


def _email_in(contact: str) -> str:
    try:
        validate_email(contact)
    except ValidationError:
        return ""
    return contact


def new_reference(year: int) -> str:
    """YY2025-7K3Q9M (异议): the year and six characters of Crockford's base32 (30 bits)."""
    return f"YY{year}-" + "".join(secrets.choice(CODE_ALPHABET) for _ in range(6))


@transaction.atomic
def objection_submit(*, notice_id: int, name: str, contact: str, text: str) -> Objection:
    notice = Notice.objects.filter(pk=notice_id).first()
    if notice is None:
        raise NotFound(_("No such notice."))
    # The application's row lock, as approval takes it: an objection and an approval at the end of
    # the period happen one after the other, so none arrives unseen after the approval's check.
    Application.objects.select_for_update().filter(pk=notice.application_id).first()
    notice.refresh_from_db()
    today = timezone.localdate()
    status = notice.status_on(today)
    if status != Notice.Status.OPEN:
        raise WrongState(_("Objections are accepted only while the notice is open."), state=status,
                         state_label=str(Notice.Status(status).label), object_id=notice.pk, code="notice_not_open")
    values = objection_input(name=name, contact=contact, text=text)
    while True:
        reference = new_reference(today.year)
        if not Objection.objects.filter(reference=reference).exists():
            break
    objection = Objection.objects.create(notice=notice, reference=reference, email=_email_in(values["contact"]),
                                         **values)
    audit.record(action="objection", obj=objection, application=notice.application, actor_name=PUBLIC,
                 note_code="objection_received", note_params={"reference": reference})
    return objection
