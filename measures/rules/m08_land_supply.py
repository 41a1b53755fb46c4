"""第8条 土地供应: priority planning of industrial land for computing enterprises that need land."""

from measures.outcome import MeasureOutcome, Status
from measures.rules.base import Context, Kind, Measure, when_declared

MEASURE = Measure(8, 3, "土地供应", "Land supply", Kind.SERVICE)


def evaluate(ctx: Context) -> MeasureOutcome:
    return when_declared(MEASURE, "needs_land", ctx.facts.circumstances.needs_land, Status.ELIGIBLE)
