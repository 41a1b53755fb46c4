"""第3条 绿电溯源: traceability of green power, green certificate and carbon trading support."""

from measures.outcome import MeasureOutcome
from measures.rules.base import Context, Kind, Measure, service

MEASURE = Measure(3, 1, "绿电溯源", "Green power traceability", Kind.SERVICE)


def evaluate(ctx: Context) -> MeasureOutcome:
    return service(MEASURE, "green_power_traceability")
