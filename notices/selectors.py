"""Reads of the public notices: the list the public sees (open first, then closed, then withdrawn),
one notice, and the query filters of the page and the API."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from accounts.models import JURISDICTIONS
from applications.models import Notice
from kernel.errors import Invalid


class NoticeFilters(BaseModel):
    model_config = ConfigDict(extra="ignore")

    status: Literal["open", "closed", "withdrawn"] | None = None
    payer: Literal[JURISDICTIONS] | None = None  # type: ignore[valid-type]
    year: int | None = Field(default=None, ge=2024, le=2100)
    page: int = Field(default=1, ge=1, le=1_000_000)


def notice_filters(params) -> NoticeFilters:
    """The query's filters, or `Invalid` naming each bad one; empty values are no filter."""
    data = {k: params.get(k) for k in NoticeFilters.model_fields if params.get(k) not in (None, "")}
    try:
        return NoticeFilters.model_validate(data)
    except ValidationError as exc:
        codes = {"literal_error": "invalid_choice", "int_parsing": "invalid_format"}
        raise Invalid([{"field": str(e["loc"][0]), "code": codes.get(e["type"], "out_of_range")}
                       for e in exc.errors()], "invalid filters") from None


def _open(today: dt.date) -> Q:
    return Q(withdrawn_at__isnull=True, ends_on__gte=today)


def notice_list(filters: NoticeFilters, today: dt.date) -> QuerySet[Notice]:
    qs = Notice.objects.all()
    if filters.status == "open":
        qs = qs.filter(_open(today))
    elif filters.status == "closed":
        qs = qs.filter(withdrawn_at__isnull=True, ends_on__lt=today)
    elif filters.status == "withdrawn":
        qs = qs.filter(withdrawn_at__isnull=False)
    if filters.payer:
        qs = qs.filter(payer=filters.payer)
    if filters.year:
        qs = qs.filter(starts_on__year=filters.year)
    rank = Case(When(_open(today), then=Value(0)), When(withdrawn_at__isnull=True, then=Value(1)), default=Value(2),
                output_field=IntegerField())
    return qs.annotate(rank=rank).order_by("rank", "-proposed_at", "-pk")


def recent_notices(limit: int = 50) -> QuerySet[Notice]:
    """The feed: newest proposals first."""
    return Notice.objects.order_by("-proposed_at", "-pk")[:limit]
