"""Reads of the reviewing authority: the queue and its filters, working days waiting, the city
overview."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Literal

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from accounts.models import Enterprise, User
from applications import workdays
from applications.models import Application, Grant, Notice, Objection, State, Transition
from applications.workflow import QUEUE_STATES, UNDECIDED
from kernel.errors import Invalid, NotAllowed
from measures.facts import field_errors

NO_NUL = r"^[^\x00]*$"
# A day at the very ends of the calendar cannot become an instant in the database (it was a 500).
EARLIEST, LATEST = dt.date.min + dt.timedelta(days=1), dt.date.max - dt.timedelta(days=1)


class QueueFilters(BaseModel):
    """The review queue's filters, from a query string; a bad one is `Invalid`, naming it."""

    # Other query parameters (a shared link's tracking, say) are ignored, not refused.
    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)

    status: Literal[tuple(str(s) for s in QUEUE_STATES)] | None = None  # type: ignore[valid-type]
    tier: int | None = Field(default=None, ge=0, le=2)  # 0: no 第4条 subsidy
    county: str | None = Field(default=None, pattern=r"^\d{6}$")
    # Free text goes into SQL: no NUL, which PostgreSQL cannot take (it was a 500 there).
    jurisdiction: str | None = Field(default=None, max_length=10, pattern=NO_NUL)  # city admins: one's queue
    submitted_from: dt.date | None = Field(default=None, ge=EARLIEST, le=LATEST)
    submitted_to: dt.date | None = Field(default=None, ge=EARLIEST, le=LATEST)
    overdue: bool | None = None
    q: str | None = Field(default=None, max_length=100, pattern=NO_NUL)
    page: int = Field(default=1, ge=1, le=1_000_000)


def queue_filters(params: Mapping[str, str]) -> QueueFilters:
    data = {k: v for k, v in params.items() if v != ""}
    try:
        return QueueFilters.model_validate(data)
    except ValidationError as exc:
        raise Invalid(field_errors(exc), "invalid filters") from None


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def overdue_before(today: dt.date) -> dt.datetime:
    """Submitted before this instant, an application has waited more working days than the deadline."""
    last_day = workdays.start_for(today, settings.REVIEW_DEADLINE_WORKING_DAYS + 1)
    return _day_start(last_day + dt.timedelta(days=1))


def review_queue_for(user: User, filters: QueueFilters, today: dt.date) -> QuerySet[Application]:
    """Submitted and in-review applications a reviewer (its jurisdiction) or a city admin (all) may
    work, oldest first. One query, whatever the size: everything shown is on the row or joined."""
    qs = Application.objects.filter(in_queue=1)
    if user.is_authenticated and user.is_reviewer:
        qs = qs.filter(jurisdiction=user.jurisdiction)
    elif user.is_authenticated and user.is_city_admin:
        if filters.jurisdiction:
            qs = qs.filter(jurisdiction=filters.jurisdiction)
    else:
        raise NotAllowed(_("Only reviewers and city administrators have a review queue."))
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
        # The review deadline runs until the proposal: the public notice (公示) is not review time.
        late = Q(submitted_at__lt=cutoff) & ~Q(state=State.IN_NOTICE)
        # Written out rather than exclude(late), so that each side can use an index (a range of the
        # queue index, and (jurisdiction, state)); every row in the queue has a submission time.
        on_time = Q(submitted_at__gte=cutoff) | Q(state=State.IN_NOTICE)
        qs = qs.filter(late if filters.overdue else on_time)
    if filters.q:
        qs = qs.filter(search(filters.q))
    return with_columns(qs).order_by("submitted_at", "id")


def with_columns(qs: QuerySet[Application]) -> QuerySet[Application]:
    """What the queue shows beside the row: the enterprise, who claimed it, whether it was returned
    once and submitted again, its notice (joins and subqueries on the row, still one query)."""
    qs = qs.select_related("enterprise", "claimed_by").annotate(
        resubmitted=Exists(Transition.objects.filter(application=OuterRef("pk"), to_state=State.RETURNED)))
    return with_notice(qs)


def queue_rows(keys: list[int]) -> QuerySet[Application]:
    """A page of the queue read by its keys (found by `review_queue_for`), with its columns, without
    evaluating the filters again (kernel.pagination.CappedPaginator's `fetch`)."""
    return with_columns(Application.objects.filter(pk__in=keys))


SHORT_TERM = 3  # fewer characters than a trigram: names are matched from their start
FEW_ENTERPRISES = 100  # up to this many matching enterprises, their applications are read by key


def search(term: str) -> Q:
    """The enterprise's name containing the term (from its start when the term has 1-2 characters),
    its credit code or the project code starting with it. The enterprises are found first, in their
    own table (PostgreSQL indexes: applications migration 0005). When few match, their applications
    are read through the enterprise index; when many do, the queue's own order finds a page soon."""
    names = Q(name__icontains=term) if len(term) >= SHORT_TERM else Q(name__istartswith=term)
    enterprises = Enterprise.objects.filter(names | Q(credit_code__istartswith=term)).values_list("pk", flat=True)
    few = list(enterprises[:FEW_ENTERPRISES + 1])
    by_enterprise = Q(enterprise_id__in=few) if len(few) <= FEW_ENTERPRISES else Q(enterprise_id__in=enterprises)
    return by_enterprise | Q(project_code__startswith=term)


def with_notice(qs: QuerySet[Application]) -> QuerySet[Application]:
    """The current notice's last day and its unresolved objections, as subqueries on the row (the
    queue's 公示 column and objection badge, still one query)."""
    current = Notice.objects.filter(application=OuterRef("pk"), withdrawn_at__isnull=True)
    # Every unresolved objection, also to a notice since withdrawn: each waits for a resolution.
    objections = (Objection.objects.filter(notice__application=OuterRef("pk"), status=Objection.Outcome.OPEN)
                  .order_by().values("notice__application").annotate(n=Count("pk")).values("n"))
    return qs.annotate(notice_ends_on=Subquery(current.order_by("-proposed_at", "-pk").values("ends_on")[:1]),
                       open_objections=Coalesce(Subquery(objections), 0))


def waiting(application: Application, today: dt.date) -> tuple[int, bool]:
    """(working days waiting since submission, overdue). In public notice it is not overdue: the
    review deadline runs until the proposal."""
    if application.submitted_at is None:
        return 0, False
    if application.state == State.IN_NOTICE:
        return workdays.between(timezone.localdate(application.submitted_at), today), False
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
    pending = list(Application.objects.filter(in_queue=1, state__in=UNDECIDED, tier__gt=0).values("jurisdiction")
                   .annotate(total=Sum("estimated_amount_cny"), n=Count("id")).order_by("jurisdiction"))
    overdue = (Application.objects.filter(in_queue=1, submitted_at__lt=overdue_before(today))
               .exclude(state=State.IN_NOTICE).count())
    return {"counts": counts, "granted": granted, "pending": pending, "overdue": overdue}
