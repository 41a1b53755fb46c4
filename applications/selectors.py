"""Reads: what a user may see, and the one-time grants."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Literal

from django.conf import settings
from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from accounts.models import User
from applications import workdays
from applications.models import Application, Attachment, Grant, State, Transition
from haidong_policy.problems import DomainError
from measures.facts import field_errors


def applications_visible_to(user: User) -> QuerySet[Application]:
    """Enterprise users: their enterprise's; reviewers: their jurisdiction's, drafts excepted;
    city admins: all but drafts (DESIGN §5). Anyone else: none."""
    qs = Application.objects.select_related("enterprise")
    if not user.is_authenticated:
        return qs.none()
    if user.is_enterprise:
        return qs.filter(enterprise_id=user.enterprise_id)
    # Never submitted (a draft, or a draft withdrawn before submission): the enterprise's alone.
    if user.is_reviewer:
        return qs.filter(jurisdiction=user.jurisdiction, submitted_at__isnull=False)
    if user.is_city_admin:
        return qs.filter(submitted_at__isnull=False)
    return qs.none()


def application_get(user: User, application_id: int) -> Application:
    """The application if the user may see it; 404 otherwise, so others cannot tell it exists."""
    application = applications_visible_to(user).filter(pk=application_id).first()
    if application is None:
        raise DomainError(404, _("No such application."))
    return application


def application_list(user: User, *, status: str | None = None) -> QuerySet[Application]:
    qs = applications_visible_to(user)
    if status:
        qs = qs.filter(state=status)
    return qs.order_by("-created_at", "-pk")


def latest_return(application: Application) -> Transition | None:
    """The latest return for correction (with the reviewer's note), if the application was ever returned."""
    return (application.history.select_related("actor").filter(to_state=State.RETURNED)
            .order_by("-at", "-pk").first())


def attachment_get(user: User, application_id: int, attachment_id: int) -> Attachment:
    application = application_get(user, application_id)
    attachment = application.attachments.filter(pk=attachment_id).first()
    if attachment is None:
        raise DomainError(404, _("No such attachment."))
    return attachment


def project_already_granted(project_code: str | None, *, exclude_application_id: int | None = None) -> bool:
    """Whether the project code holds an approved measure-4 grant (第4条: one-time per project)."""
    if not project_code:
        return False
    return Grant.objects.filter(project_code=project_code).exclude(application_id=exclude_application_id).exists()


# --- review ---------------------------------------------------------------------------------------

QUEUE_STATES = (State.SUBMITTED, State.IN_REVIEW)


NO_NUL = r"^[^\x00]*$"


class QueueFilters(BaseModel):
    """The review queue's filters, from a query string; a bad one is a 400 naming it."""

    # Other query parameters (a shared link's tracking, say) are ignored, not refused.
    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)

    status: Literal["submitted", "in_review"] | None = None
    tier: int | None = Field(default=None, ge=0, le=2)  # 0: no 第4条 subsidy
    county: str | None = Field(default=None, pattern=r"^\d{6}$")
    # Free text goes into SQL: no NUL, which PostgreSQL cannot take (it was a 500 there).
    jurisdiction: str | None = Field(default=None, max_length=10, pattern=NO_NUL)  # city admins: one's queue
    submitted_from: dt.date | None = None
    submitted_to: dt.date | None = None
    overdue: bool | None = None
    q: str | None = Field(default=None, max_length=100, pattern=NO_NUL)
    page: int = Field(default=1, ge=1, le=1_000_000)


def queue_filters(params: Mapping[str, str]) -> QueueFilters:
    data = {k: v for k, v in params.items() if v != ""}
    try:
        return QueueFilters.model_validate(data)
    except ValidationError as exc:
        raise DomainError(400, "invalid filters", field_errors(exc)) from None


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def overdue_before(today: dt.date) -> dt.datetime:
    """Submitted before this instant, an application has waited more working days than the deadline."""
    last_day = workdays.start_for(today, settings.REVIEW_DEADLINE_WORKING_DAYS + 1)
    return _day_start(last_day + dt.timedelta(days=1))


def review_queue_for(user: User, filters: QueueFilters, today: dt.date) -> QuerySet[Application]:
    """Submitted and in-review applications a reviewer (its jurisdiction) or a city admin (all) may
    work, oldest first. One query, whatever the size: everything shown is on the row or joined."""
    qs = Application.objects.filter(in_queue=1).select_related("enterprise", "claimed_by")
    if user.is_authenticated and user.is_reviewer:
        qs = qs.filter(jurisdiction=user.jurisdiction)
    elif user.is_authenticated and user.is_city_admin:
        if filters.jurisdiction:
            qs = qs.filter(jurisdiction=filters.jurisdiction)
    else:
        raise DomainError(403, _("Only reviewers and city administrators have a review queue."))
    if filters.status:
        qs = qs.filter(state=filters.status)
    if filters.tier is not None:
        qs = qs.filter(tier=filters.tier)
    if filters.county:
        qs = qs.filter(county=filters.county)
    if filters.submitted_from:
        qs = qs.filter(submitted_at__gte=_day_start(filters.submitted_from))
    if filters.submitted_to:
        qs = qs.filter(submitted_at__lt=_day_start(filters.submitted_to + dt.timedelta(days=1)))
    if filters.overdue is not None:
        cutoff = overdue_before(today)
        qs = qs.filter(submitted_at__lt=cutoff) if filters.overdue else qs.filter(submitted_at__gte=cutoff)
    if filters.q:
        term = filters.q
        qs = qs.filter(Q(enterprise__name__icontains=term) | Q(enterprise__credit_code__istartswith=term)
                       | Q(project_code__startswith=term))
    return qs.order_by("submitted_at", "id")


def waiting(application: Application, today: dt.date) -> tuple[int, bool]:
    """(working days waiting since submission, overdue)."""
    if application.submitted_at is None:
        return 0, False
    days = workdays.between(timezone.localdate(application.submitted_at), today)
    return days, days > settings.REVIEW_DEADLINE_WORKING_DAYS


def city_overview(today: dt.date) -> dict:
    """Counts by state per jurisdiction, subsidies granted and pending by payer, overdue count:
    four aggregate queries."""
    counts: dict[str, dict[str, int]] = {}
    for row in (Application.objects.exclude(state=State.DRAFT).values("jurisdiction", "state")
                .annotate(n=Count("id")).order_by()):
        counts.setdefault(row["jurisdiction"], {})[row["state"]] = row["n"]
    granted = list(Grant.objects.values("payer_kind", "payer_region")
                   .annotate(total=Sum("amount_cny"), n=Count("id")).order_by("payer_kind", "payer_region"))
    pending = list(Application.objects.filter(in_queue=1, tier__gt=0).values("jurisdiction")
                   .annotate(total=Sum("estimated_amount_cny"), n=Count("id")).order_by("jurisdiction"))
    overdue = Application.objects.filter(in_queue=1, submitted_at__lt=overdue_before(today)).count()
    return {"counts": counts, "granted": granted, "pending": pending, "overdue": overdue}


# --- determinations -------------------------------------------------------------------------------

def determination_for(user: User, application_id: int):
    """The determination of an application the user may see; 404 otherwise or when none is issued."""
    application = application_get(user, application_id)
    determination = getattr(application, "determination", None)
    if determination is None or not determination.pdf:
        raise DomainError(404, _("No determination has been issued for this application."))
    return determination


def determination_by_code(code: str):
    """Anyone may verify a determination by its code (normalised: case, spaces, dashes)."""
    from applications.determinations import CODE_ALPHABET, CODE_LENGTH
    from applications.models import Determination

    raw = "".join(c for c in code.upper() if c.isalnum())
    if len(raw) != CODE_LENGTH or any(c not in CODE_ALPHABET for c in raw):
        return None
    formatted = "-".join(raw[i:i + 4] for i in range(0, CODE_LENGTH, 4))
    return Determination.objects.select_related("application__enterprise").filter(
        verification_code=formatted).first()
