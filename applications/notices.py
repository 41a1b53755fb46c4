"""Reads of the public notices (公示) shared by review, filing and the public pages: the period of a
notice in working days, the notice an application is in, and whether it blocks an approval."""

from __future__ import annotations

import datetime as dt

from django.conf import settings

from applications import workdays
from applications.models import Application, Notice, Objection


def notices_enabled() -> bool:
    return settings.PUBLIC_NOTICE_WORKING_DAYS > 0


def period(proposed_on: dt.date) -> tuple[dt.date, dt.date]:
    """(first day, last day) of a notice of PUBLIC_NOTICE_WORKING_DAYS full working days, starting on
    the working day after the proposal (DESIGN §11): proposed on 2025-09-30, it runs 10-09 to 10-14."""
    days = settings.PUBLIC_NOTICE_WORKING_DAYS
    return workdays.after(proposed_on, 1), workdays.after(proposed_on, days)


def current_notice(application: Application) -> Notice | None:
    """The notice the application is in (not withdrawn), if any."""
    return application.notices.filter(withdrawn_at__isnull=True).order_by("-proposed_at", "-pk").first()


def open_objections(notice: Notice):
    return notice.objections.filter(status=Objection.Outcome.OPEN)


def ready_to_issue(notice: Notice, today: dt.date) -> bool:
    """公示期满，待签发: the period is over and no objection is unresolved."""
    return today > notice.ends_on and not open_objections(notice).exists()
