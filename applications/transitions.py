"""The one locked-transition helper every service uses: take the row lock, check who may act and
from which state (the table in `applications.workflow`), then write the move to the history and
the audit log. Refusals are domain errors (kernel.errors), never HTTP statuses."""

from __future__ import annotations

from functools import wraps
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from applications.models import Application, Transition
from applications.selectors import applications_visible_to
from applications.workflow import WORKFLOW, Actor, State
from audit import services as audit
from kernel.errors import Invalid, NotAllowed, NotFound, WrongState

NOTE_MAX = 2000  # characters of a note on a state change, on every surface (pages and API)


def note_text(note: str, *, required: bool = False) -> str:
    """A note on a state change, stripped: `Invalid` when required and blank, or longer than NOTE_MAX."""
    text = (note or "").strip()
    if required and not text:
        raise Invalid([{"field": "note", "code": "required"}], "note required")
    if len(text) > NOTE_MAX:
        raise Invalid([{"field": "note", "code": "too_long"}], "note too long")
    return text


def locked(application_id: int) -> Application:
    """The application under a row lock held until the caller's transaction ends."""
    application = Application.objects.select_for_update().filter(pk=application_id).first()
    if application is None:
        raise NotFound(_("No such application."))
    return application


def existing(application_id: int) -> Application:
    """The application (unlocked), or NotFound: for a permission check before the input is read."""
    application = Application.objects.filter(pk=application_id).first()
    if application is None:
        raise NotFound(_("No such application."))
    return application


def refusal(application: Application, user: User) -> NotAllowed | NotFound:
    """NotAllowed for what the user may see but not do; NotFound for what it may not even see. A
    finance officer works its jurisdiction's applications, and may never review them: NotAllowed."""
    if (user.is_authenticated and user.is_finance and application.jurisdiction == user.jurisdiction
            and application.submitted_at is not None):  # a draft is the enterprise's alone
        return NotAllowed(_("Finance officers record payments; they do not review applications."))
    if applications_visible_to(user).filter(pk=application.pk).exists():
        return NotAllowed(_("You may not do this with this application."))
    return NotFound(_("No such application."))


def may_act(application: Application, user: User, actor: Actor) -> bool:
    if not user.is_authenticated:
        return False
    if actor is Actor.OWNER:
        return user.is_enterprise and application.enterprise_id == user.enterprise_id
    in_reach = user.is_city_admin or (user.is_reviewer and application.jurisdiction == user.jurisdiction)
    return in_reach and application.state != State.DRAFT


class ConflictOfInterest(NotAllowed):
    """A reviewer linked to the applying enterprise (the same email or phone) may not act on it."""

    def __init__(self, application: Application, user: User, action: str):
        super().__init__(_("You are linked to this enterprise (the same email or phone): another reviewer must "
                           "handle application no. %(id)s.") % {"id": application.pk})
        self.application, self.user, self.action = application, user, action


def _digits(phone: str) -> str:
    return "".join(c for c in phone if c.isdigit())


def linked(user: User, application: Application) -> bool:
    """The same email as the enterprise or one of its users, or the same phone as the enterprise."""
    enterprise = application.enterprise
    emails = {e.casefold() for e in (enterprise.email, *enterprise.users.values_list("email", flat=True)) if e}
    if user.email and user.email.casefold() in emails:
        return True
    return bool(user.phone) and len(_digits(user.phone)) >= 5 and _digits(user.phone) == _digits(enterprise.phone)


def audit_conflicts(service):
    """Around a reviewer's service (outside its transaction, which the refusal rolls back): a
    refusal for a conflict of interest is written to the audit log."""

    @wraps(service)
    def wrapper(*args, **kwargs):
        try:
            return service(*args, **kwargs)
        except ConflictOfInterest as exc:
            audit.record(action="refused", obj=exc.application, actor=exc.user, application=exc.application,
                         note_code="conflict_of_interest", note_params={"action": exc.action})
            raise

    return wrapper


def check(application: Application, user: User, action: str) -> None:
    """Who may (else NotAllowed/NotFound), no conflict of interest, then from which state (else
    WrongState)."""
    step = WORKFLOW[action]
    if not may_act(application, user, step.actor):
        raise refusal(application, user)
    if step.actor is Actor.REVIEWER and linked(user, application):
        raise ConflictOfInterest(application, user, action)
    if application.state not in step.sources:
        label = str(State(application.state).label)
        raise WrongState(_("Not possible while the application is %(state)s.") % {"state": label},
                         state=application.state, state_label=label, object_id=application.pk)


def begin(application_id: int, user: User, action: str) -> Application:
    """Lock, then check: the start of every service that changes an application."""
    application = locked(application_id)
    check(application, user, action)
    return application


def move(application: Application, actor: User, action: str, note: str = "", *, note_code: str = "",
         **fields: Any) -> None:
    """Write the action's state change: history, audit log, and the row (with `fields`). A note the
    system writes may also name its code of `audit.messages.NOTES` (`note_code`): the history keeps
    `note`, the audit log the code, shown in its reader's language."""
    to = WORKFLOW[action].target
    now = timezone.now()
    Transition.objects.create(application=application, actor=actor, at=now, from_state=application.state,
                              to_state=to, note=note)
    audit.record(action="transition", obj=application, actor=actor, application=application,
                 from_state=application.state, to_state=to, note="" if note_code else note, note_code=note_code)
    application.state = to
    application.updated_at = now
    for name, value in fields.items():
        setattr(application, name, value)
    application.save(update_fields=["state", "updated_at", *fields])


def transition(*, application_id: int, user: User, action: str, **fields: Any) -> Application:
    """A whole plain transition without a note (claim, release): lock, check, move."""
    application = begin(application_id, user, action)
    move(application, user, action, **fields)
    return application
