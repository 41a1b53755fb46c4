"""Expiry warnings (DESIGN §13): 180, 90 and 30 days before the policy's `valid_to`, to enterprises
with a draft, a returned application, or a match not yet filed. Each warning goes once per enterprise
(its message key); a day missed (the worker was down) is caught up the next day, saying the days
actually left."""

from __future__ import annotations

import datetime as dt

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone

from accounts.models import Enterprise
from applications.models import Application
from applications.workflow import EDITABLE_STATES
from inbox.models import Kind
from inbox.services import message_send
from matching.models import Screening
from matching.selectors import filed
from measures import parameters

WARN_DAYS = (180, 90, 30)


def due(today: dt.date) -> tuple[dt.date, int, int] | None:
    """(valid_to, the threshold reached, days left) when a warning is due today, else None."""
    valid_to = parameters.value("policy.valid_to", today)
    left = (valid_to - today).days
    reached = [days for days in WARN_DAYS if 0 < left <= days]
    return (valid_to, min(reached), left) if reached else None


def unfiled_match(enterprise_id) -> Exists:
    """A screened project matching any measure with no application for it (selectors.filed)."""
    return Exists(Screening.objects.filter(profile__enterprise_id=enterprise_id).exclude(matches={})
                  .exclude(filed()))


def enterprises_to_warn():
    open_application = Application.objects.filter(enterprise_id=OuterRef("pk"), state__in=EDITABLE_STATES)
    return Enterprise.objects.filter(Exists(open_application) | unfiled_match(OuterRef("pk")))


def warn(today: dt.date | None = None) -> int:
    today = today or timezone.localdate()
    found = due(today)
    if found is None:
        return 0
    valid_to, threshold, left = found
    sent = 0
    for enterprise in enterprises_to_warn().order_by("pk").iterator():
        message = message_send(
            enterprise=enterprise, kind=Kind.EXPIRY,
            title=(f"政策将于{valid_to:%Y年%-m月%-d日}到期，还有 {left} 天",
                   f"The measures expire on {valid_to:%Y-%m-%d}: {left} days left"),
            body=("《海东市促进绿色算力产业发展若干措施（试行）》有效期至"
                  f"{valid_to:%Y年%-m月%-d日}。您有尚未提交的申请或尚未申报的可享受政策，请在有效期内完成申报。",
                  f"The Haidong green computing measures are in force until {valid_to:%Y-%m-%d}. You have an "
                  "application not yet submitted or a measure you may claim and have not applied for: please "
                  "apply before then."),
            link=reverse("my-applications"), key=f"expiry:{valid_to.isoformat()}:{threshold}")
        sent += message is not None
    return sent
