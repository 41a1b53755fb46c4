"""What every rule module shares: its `Measure` description, the `Context` it reads, and the
two shapes most measures take (an unconditional service, or a claim that applies only when a
circumstance is declared)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from functools import lru_cache

from measures.facts import Facts
from measures.outcome import Check, MeasureOutcome, Reason, Status


class Kind(StrEnum):
    SERVICE = "service"
    SUBSIDY = "subsidy"
    PROVINCIAL_STANDARD = "provincial_standard"
    TAX = "tax"
    CASE_BY_CASE = "case_by_case"


@dataclass(frozen=True, slots=True)
class Measure:
    number: int
    chapter: int
    title: str
    title_en: str
    kind: Kind
    clause: str = field(init=False)  # "第4条"

    def __post_init__(self) -> None:
        object.__setattr__(self, "clause", f"第{self.number}条")


@dataclass(frozen=True, slots=True)
class Context:
    facts: Facts
    as_of: dt.date
    # None: the one-time rule was not checked (anonymous query); else whether the project code
    # already has an approved measure-4 grant.
    already_granted: bool | None = None
    # A reviewer's recognised investment for measure 4, at most the declared one; None: declared.
    recognized_investment: Decimal | None = None


def service(measure: Measure, code: str, *notes: Reason) -> MeasureOutcome:
    """A service every in-scope enterprise is entitled to."""
    if not notes:
        return _plain(measure, code, True, Status.ELIGIBLE)
    return MeasureOutcome(
        measure.number, Status.ELIGIBLE, (Reason(code, Check.PASSED, measure.clause), *notes)
    )


def when_declared(measure: Measure, code: str, declared: bool, status: Status, **params) -> MeasureOutcome:
    """A claim raised only by a declared circumstance; otherwise the measure does not apply."""
    if not params:
        return _plain(measure, code, declared, status)
    check = Check.PASSED if declared else Check.FAILED
    reason = Reason(code, check, measure.clause, params)
    return MeasureOutcome(measure.number, status if declared else Status.NOT_APPLICABLE, (reason,))


@lru_cache(maxsize=256)
def _plain(measure: Measure, code: str, declared: bool, status: Status) -> MeasureOutcome:
    """The outcomes without parameters depend on these four values alone: each is made once and
    shared (outcomes are immutable)."""
    check = Check.PASSED if declared else Check.FAILED
    return MeasureOutcome(measure.number, status if declared else Status.NOT_APPLICABLE,
                          (Reason(code, check, measure.clause),))
