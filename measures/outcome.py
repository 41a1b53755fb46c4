"""What an evaluation returns. Plain frozen dataclasses: no Django, no I/O.

A `Reason` is one criterion checked (or one note given) with the clause it applies. Its text is
not stored: `messages.render` writes it in the requested language from `code` and `params`, so
codes and outcomes never depend on the language.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Any


class Status(StrEnum):
    ELIGIBLE = "eligible"
    REFERRED = "referred"
    NOT_ELIGIBLE = "not_eligible"
    NEEDS_INFO = "needs_info"
    NOT_APPLICABLE = "not_applicable"


class Check(StrEnum):
    PASSED = "passed"
    FAILED = "failed"
    MISSING = "missing"


class Basis(StrEnum):
    TEXT = "text"  # what the legal text says
    READING = "reading"  # this service's reading where the text is silent (DESIGN §10)


@dataclass(frozen=True, slots=True)
class Reason:
    code: str
    check: Check
    clause: str
    params: Mapping[str, Any] | None = None  # None rather than {}: cheaper, and most reasons have none
    message_key: str | None = None  # defaults to "code.check"
    basis: Basis = Basis.TEXT

    @property
    def key(self) -> str:
        return self.message_key or f"{self.code}.{self.check}"


@dataclass(frozen=True, slots=True)
class Warning:
    code: str
    params: Mapping[str, Any] | None = None


@dataclass(frozen=True, slots=True)
class Payer:
    kind: str  # park_committee | county_finance
    region: str | None
    name: str
    name_en: str


@dataclass(frozen=True, slots=True)
class ParameterUse:
    """A dated parameter a rule read for this answer: which one, and the value in force."""

    name: str
    valid_from: dt.date


@dataclass(frozen=True, slots=True)
class WhatIf:
    """The smallest change of one fact the enterprise controls that improves the outcome."""

    field: str  # dotted path, as in the facts
    value: Any
    status: Status
    amount: Decimal | None = None


@dataclass(frozen=True, slots=True)
class MeasureOutcome:
    number: int
    status: Status
    reasons: tuple[Reason, ...]
    missing: tuple[str, ...] = ()
    amount: Decimal | None = None
    payer: Payer | None = None
    parameters: tuple[ParameterUse, ...] = ()
    what_if: tuple[WhatIf, ...] = ()


@dataclass(frozen=True, slots=True)
class Evaluation:
    as_of: dt.date
    in_force: bool
    in_scope: bool | None
    scope: tuple[Reason, ...]
    warnings: tuple[Warning, ...]
    measures: tuple[MeasureOutcome, ...]
    total_amount: Decimal
    rules_version: str

    def measure(self, number: int) -> MeasureOutcome:
        return self.measures[number - 1]


def status_from_checks(reasons: tuple[Reason, ...] | list[Reason], success: Status) -> Status:
    """not_eligible > needs_info > success (DESIGN §9)."""
    checks = {r.check for r in reasons}
    if Check.FAILED in checks:
        return Status.NOT_ELIGIBLE
    if Check.MISSING in checks:
        return Status.NEEDS_INFO
    return success
