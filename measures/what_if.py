"""How to qualify (DESIGN §10 `what_if`): for each measure, the smallest change of one fact the
enterprise controls that improves its outcome — more investment up to the next tier of 第4条, a
first standard rack for a data centre, or the circumstance that raises a claim. Each candidate is
checked by evaluating the rule again with that one fact changed, so a change is offered only when
it really helps. Dates, regions, kinds and scope are not the enterprise's to change: none offered."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from measures import parameters
from measures.facts import Facts, ProjectCategory
from measures.outcome import MeasureOutcome, Status, WhatIf
from measures.rules.base import Context

CENT = Decimal("0.01")
GAINED = (Status.ELIGIBLE, Status.REFERRED)
# Measures raised by a declared circumstance, and the declaration that raises them.
CIRCUMSTANCES: dict[int, tuple[str, Any]] = {
    7: ("circumstances.research_achievement", True),
    8: ("circumstances.needs_land", True),
    9: ("circumstances.leases_standard_factory", True),
    13: ("circumstances.high_level_talents", 1),
    14: ("circumstances.joint_training", True),
    18: ("circumstances.seeks_financing", True),
}


def _next_tier(investment: Decimal, ctx: Context) -> Decimal | None:
    """The least investment of the next tier above `investment`, if there is one."""
    for tier in parameters.value("m04.tiers", ctx.as_of):
        lower = Decimal(tier["lower"])
        threshold = lower if tier["lower_inclusive"] else lower + CENT
        if investment < threshold:
            return threshold
    return None


def candidates(number: int, ctx: Context) -> list[tuple[str, Any]]:
    facts = ctx.facts
    if number in CIRCUMSTANCES:
        return [CIRCUMSTANCES[number]]
    if number == 4 and facts.project is not None:
        project = facts.project
        out: list[tuple[str, Any]] = []
        investment = project.equipment_investment_cny
        if investment is not None and ctx.recognized_investment is None:
            threshold = _next_tier(investment, ctx)
            if threshold is not None:
                out.append(("project.equipment_investment_cny", threshold))
        minimum = parameters.value("m04.min_racks_data_center", ctx.as_of)
        if (project.category is ProjectCategory.DATA_CENTER and project.standard_racks is not None
                and project.standard_racks < minimum):
            out.append(("project.standard_racks", minimum))
        return out
    return []


def changed(facts: Facts, field: str, value: Any) -> Facts:
    group, name = field.split(".", 1)
    part = getattr(facts, group)
    return facts.model_copy(update={group: part.model_copy(update={name: value})})


def improves(before: MeasureOutcome, after: MeasureOutcome) -> bool:
    """A real gain: the measure becomes eligible or referred, or pays more. Merely moving to
    needs_info (other facts still missing) is not offered: `missing` says what to give."""
    if after.status not in GAINED:
        return False
    return before.status not in GAINED or (after.amount or Decimal(0)) > (before.amount or Decimal(0))


def current(facts: Facts, field: str) -> Any:
    group, name = field.split(".", 1)
    return getattr(getattr(facts, group), name)


def what_if(rule, ctx: Context, outcome: MeasureOutcome) -> tuple[WhatIf, ...]:
    found = []
    for field, value in candidates(outcome.number, ctx):
        if current(ctx.facts, field) == value:  # no change: the outcome is this one, which cannot improve on itself
            continue
        after = rule.evaluate(Context(changed(ctx.facts, field, value), ctx.as_of, ctx.already_granted,
                                      ctx.recognized_investment))
        if improves(outcome, after):
            found.append(WhatIf(field, value, after.status, after.amount))
    return tuple(found)
