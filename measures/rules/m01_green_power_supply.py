"""第1条 绿电供给: ≥80% green power and dual-circuit supply for green computing users."""

from measures import parameters
from measures.outcome import Check, MeasureOutcome, Reason, Status
from measures.rules.base import Context, Kind, Measure

MEASURE = Measure(1, 1, "绿电供给", "Green power supply", Kind.SERVICE)


def evaluate(ctx: Context) -> MeasureOutcome:
    share = parameters.value("m01.green_power_share_percent", ctx.as_of)
    reason = Reason("green_power_supply", Check.PASSED, MEASURE.clause, {"share": share})
    return MeasureOutcome(MEASURE.number, Status.ELIGIBLE, (reason,))
