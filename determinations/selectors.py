"""Reads of determinations: for those who may see the application, and by verification code for
anyone."""

from __future__ import annotations

from django.utils.translation import gettext as _

from accounts.models import User
from applications.models import Determination
from applications.selectors import application_get
from determinations.services import CODE_ALPHABET, CODE_LENGTH
from kernel.errors import NotFound


def determination_for(user: User, application_id: int) -> Determination:
    """The determination of an application the user may see; `NotFound` otherwise or when none is issued."""
    application = application_get(user, application_id)
    determination = getattr(application, "determination", None)
    if determination is None or not determination.pdf:
        raise NotFound(_("No determination has been issued for this application."))
    return determination


def determination_by_code(code: str) -> Determination | None:
    """Anyone may verify a determination by its code (normalised: case, spaces, dashes)."""
    raw = "".join(c for c in code.upper() if c.isalnum())
    if len(raw) != CODE_LENGTH or any(c not in CODE_ALPHABET for c in raw):
        return None
    formatted = "-".join(raw[i:i + 4] for i in range(0, CODE_LENGTH, 4))
    return Determination.objects.select_related("application__enterprise", "evaluation").filter(
        verification_code=formatted).first()
