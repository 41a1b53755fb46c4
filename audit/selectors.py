"""Reads of the audit log (city admins): the filtered entries, newest first."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from audit.models import AuditEntry


def _day_start(day: dt.date) -> dt.datetime:
    # Days are Asia/Shanghai days (TIME_ZONE), as the log shows its times.
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def audit_entries(filters: dict[str, Any]) -> QuerySet[AuditEntry]:
    """`filters`: action, actor (part of the name), date_from / date_to (inclusive), application id;
    empty ones are ignored."""
    qs = AuditEntry.objects.all()
    if filters.get("action"):
        qs = qs.filter(action=filters["action"])
    if filters.get("actor"):
        qs = qs.filter(actor_name__icontains=filters["actor"])
    if filters.get("date_from"):
        qs = qs.filter(at__gte=_day_start(filters["date_from"]))
    if filters.get("date_to"):
        qs = qs.filter(at__lt=_day_start(filters["date_to"] + dt.timedelta(days=1)))
    if filters.get("application"):
        qs = qs.filter(application_id=filters["application"])
    return qs.order_by("-at", "-pk")
