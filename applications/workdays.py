"""Working days in mainland China: Monday to Friday, minus public holidays, plus the weekend days
worked in their place (data/workdays.toml). Used for review deadlines."""

from __future__ import annotations

import datetime as dt
import tomllib
from functools import cache
from pathlib import Path

CALENDAR = Path(__file__).with_name("data") / "workdays.toml"


@cache
def _calendar() -> tuple[frozenset[dt.date], frozenset[dt.date]]:
    raw = tomllib.loads(CALENDAR.read_text(encoding="utf-8"))
    holidays = frozenset(dt.date.fromisoformat(d) for year in raw.values() for d in year["holidays"])
    workdays = frozenset(dt.date.fromisoformat(d) for year in raw.values() for d in year["workdays"])
    return holidays, workdays


def is_workday(day: dt.date) -> bool:
    holidays, workdays = _calendar()
    if day in workdays:
        return True
    return day.weekday() < 5 and day not in holidays


def between(start: dt.date, end: dt.date) -> int:
    """Working days after `start` up to and including `end` (0 when end <= start): submitted on a
    Friday and looked at on Monday is 1 day waiting."""
    days, day = 0, start
    while day < end:
        day += dt.timedelta(days=1)
        days += is_workday(day)
    return days


def start_for(end: dt.date, working_days: int) -> dt.date:
    """The latest date from which `between(date, end) >= working_days`: submitted on or before it is
    overdue by `end`."""
    day, counted = end, 0
    while counted < working_days:
        counted += is_workday(day)
        day -= dt.timedelta(days=1)
    return day


def after(start: dt.date, working_days: int) -> dt.date:
    """The day on which `working_days` working days after `start` have passed (a deadline of that
    many working days, counted from the day after `start`)."""
    day, counted = start, 0
    while counted < working_days:
        day += dt.timedelta(days=1)
        counted += is_workday(day)
    return day
