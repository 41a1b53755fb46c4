"""第17条 基础配套保障: water, power, gas and network connections for key computing projects (算力重点项目):
eligible with a project, else not applicable (DESIGN §10)."""

from measures.outcome import MeasureOutcome, Status
from measures.rules.base import Context, Kind, Measure, when_declared

MEASURE = Measure(17, 6, "基础配套保障", "Infrastructure support", Kind.SERVICE)


def evaluate(ctx: Context) -> MeasureOutcome:
    return when_declared(MEASURE, "infrastructure_support", ctx.facts.project is not None, Status.ELIGIBLE)
