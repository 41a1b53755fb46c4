"""Screening one profile's facts against the rules in force: pure (facts in, matches out), so that a
batch can run it in other processes. A match is a measure the project is eligible for or referred to
(with #4's amount); what counts as news is a measure newly matched, or #4's amount risen."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from filing.services import jurisdiction_for
from measures.engine import evaluate
from measures.facts import FactsError, parse_facts
from measures.outcome import Status

MATCHED = (Status.ELIGIBLE, Status.REFERRED)


def project_facts(profile: dict, project: dict | None) -> dict:
    """The facts of §4 for one project of the profile (or the enterprise alone)."""
    facts = {"enterprise": profile.get("enterprise") or {}, "circumstances": profile.get("circumstances") or {}}
    if project:
        facts["project"] = project
    return facts


def matches(facts: dict, today: dt.date, granted: bool) -> tuple[dict[str, dict[str, Any]], str]:
    """({"4": {"status": "eligible", "amount_cny": "1000000.00"}, …}, jurisdiction) for the facts on
    `today`; no match when the stored facts no longer parse (a rules change made a value invalid:
    nothing is promised then)."""
    region = (facts.get("enterprise") or {}).get("registered_region") or ""
    try:
        parsed = parse_facts(facts)
    except FactsError:
        return {}, ""
    result = evaluate(parsed, today, already_granted=granted, with_what_if=False)  # statuses and amounts only
    # str(): a Status is a StrEnum, and str() gives its value without the enum's slower `.value`.
    found = {str(o.number): {"status": str(o.status), "amount_cny": None if o.amount is None else f"{o.amount:.2f}"}
             for o in result.measures if o.status in MATCHED}
    return found, jurisdiction_for(parsed, region)


def news(before: dict, after: dict) -> list[str]:
    """The measures (numbers as text) newly matched in `after`, or paying more than in `before`."""
    found = []
    for number, now in after.items():
        then = before.get(number)
        if then is None or Decimal(now["amount_cny"] or 0) > Decimal(then["amount_cny"] or 0):
            found.append(number)
    return sorted(found, key=int)


def project_key(project: dict | None, index: int) -> str:
    """A project by its code; one without a code yet by its place ("#2"); "" the enterprise alone."""
    if project is None:
        return ""
    return project.get("code") or f"#{index + 1}"


def screen(profile: dict, today: dt.date, granted_codes: frozenset[str] | set[str]) -> list[tuple]:
    """(project key, project name, matches, jurisdiction) for each project of the profile, or
    ("", "", …) for the enterprise when it declares none."""
    projects = profile.get("projects") or [None]
    out = []
    for index, project in enumerate(projects):
        code = (project or {}).get("code") or ""
        found, jurisdiction = matches(project_facts(profile, project), today, bool(code) and code in granted_codes)
        out.append((project_key(project, index), (project or {}).get("name") or "", found, jurisdiction))
    return out
