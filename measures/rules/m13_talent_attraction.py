"""第13条 人才引进: high-level talents brought in get the 昆仑英才 programme's treatment."""

from measures.outcome import MeasureOutcome, Status
from measures.rules.base import Context, Kind, Measure, when_declared

MEASURE = Measure(13, 5, "人才引进", "Talent attraction", Kind.SERVICE)


def evaluate(ctx: Context) -> MeasureOutcome:
    talents = ctx.facts.circumstances.high_level_talents
    return when_declared(MEASURE, "high_level_talents", talents > 0, Status.ELIGIBLE, count=talents)
