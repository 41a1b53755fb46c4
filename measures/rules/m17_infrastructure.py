"""第17条 基础配套保障: water, power, gas and network connections for key computing projects."""

from measures.outcome import MeasureOutcome
from measures.rules.base import Context, Kind, Measure, service

MEASURE = Measure(17, 6, "基础配套保障", "Infrastructure support", Kind.SERVICE)


def evaluate(ctx: Context) -> MeasureOutcome:
    return service(MEASURE, "infrastructure_support")
