"""第19条 增强用能需求: non-fossil energy is excluded from energy-consumption caps."""

from measures.outcome import MeasureOutcome
from measures.rules.base import Context, Kind, Measure, service

MEASURE = Measure(19, 6, "增强用能需求", "Energy demand", Kind.SERVICE)


def evaluate(ctx: Context) -> MeasureOutcome:
    return service(MEASURE, "non_fossil_cap_exclusion")
