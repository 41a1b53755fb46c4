"""Runs scope and validity, then the 20 measures. Pure: facts and a date in, an `Evaluation` out."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from functools import lru_cache

from measures import parameters, scope
from measures.facts import Facts
from measures.outcome import Check, Evaluation, MeasureOutcome, ParameterUse, Reason, Status, Warning
from measures.rules import RULES
from measures.rules.base import Context
from measures.version import RULES_VERSION
from measures.what_if import what_if

ZERO = Decimal("0.00")


def evaluate(
    facts: Facts,
    as_of: dt.date,
    *,
    already_granted: bool | None = None,
    recognized_investment: Decimal | None = None,
    with_what_if: bool = True,
) -> Evaluation:
    """`as_of` is the date to judge on (callers default it to today in Asia/Shanghai).

    `already_granted`: None when the one-time rule could not be checked (then a warning says so),
    else whether the project code already holds an approved measure-4 grant.
    `recognized_investment`: a reviewer's lower recognised figure for measure 4.
    `with_what_if`: False leaves every `what_if` empty (statuses and amounts are the same), for
    callers that read only those (screening).
    """
    criteria, warnings = scope.check(facts.enterprise, as_of)
    in_scope = scope.in_scope(criteria)
    in_force = scope.in_force(as_of)
    if already_granted is None:
        warnings.append(Warning("one_time_not_checked"))

    ctx = Context(facts, as_of, already_granted, recognized_investment)
    with parameters.Recording() as reads:
        outcomes = [_evaluate(rule, ctx, reads) for rule in RULES]
    if not (in_force and in_scope):
        outcomes = _blocked(outcomes, criteria, in_force, as_of)
    elif with_what_if:
        outcomes = [_with_what_if(rule, ctx, o) for rule, o in zip(RULES, outcomes, strict=True)]

    total = sum((o.amount for o in outcomes if o.amount is not None), ZERO)
    return Evaluation(as_of, in_force, in_scope, tuple(criteria), tuple(warnings), tuple(outcomes),
                      total, RULES_VERSION)


def _with_what_if(rule, ctx: Context, outcome: MeasureOutcome) -> MeasureOutcome:
    found = what_if(rule, ctx, outcome)
    return _copy(outcome, outcome.parameters, found) if found else outcome  # most have none: no copy then


def _evaluate(rule, ctx: Context, reads: dict[str, dt.date]) -> MeasureOutcome:
    """The rule's outcome, with the dated parameters it read for it (DESIGN §10): `reads` is the
    evaluation's recording, emptied before each rule."""
    reads.clear()
    outcome = rule.evaluate(ctx)
    if not reads:
        return outcome
    return _copy(outcome, _uses(tuple(reads.items())), outcome.what_if)


@lru_cache(maxsize=1024)
def _uses(reads: tuple[tuple[str, dt.date], ...]) -> tuple[ParameterUse, ...]:
    """A rule's few sets of (parameter, date) pairs: each made once."""
    return tuple(ParameterUse(name, valid_from) for name, valid_from in reads)


def _copy(o: MeasureOutcome, parameters: tuple[ParameterUse, ...], what_if: tuple) -> MeasureOutcome:
    """`o` with these parameters and what_if: dataclasses.replace, spelled out (it runs for most
    measures of every evaluation, and replace looks the fields up each time)."""
    return MeasureOutcome(o.number, o.status, o.reasons, o.missing, o.amount, o.payer, parameters, what_if)


def _blocked(
    outcomes: list[MeasureOutcome], criteria: list[Reason], in_force: bool, as_of: dt.date
) -> list[MeasureOutcome]:
    """Every measure when validity or scope stops it (DESIGN §9): not_eligible with the failed
    scope criteria (and `policy_not_in_force`), else needs_info with the missing ones. `missing`
    still lists every fact missing, the scope's and the measure's own, so one round of questions
    is enough."""
    reasons = [r for r in criteria if r.check is Check.FAILED]
    scope_missing = tuple(p for r in criteria if r.check is Check.MISSING for p in r.params["fields"])
    if not in_force:
        reasons.insert(0, scope.not_in_force_reason(as_of))
    if reasons:
        status = Status.NOT_ELIGIBLE
    else:
        status = Status.NEEDS_INFO
        reasons = [r for r in criteria if r.check is Check.MISSING]
    blocked = tuple(reasons)
    return [
        MeasureOutcome(o.number, status, blocked, tuple(dict.fromkeys(scope_missing + o.missing)),
                       parameters=o.parameters)
        for o in outcomes
    ]
