"""第2条 绿电价格: the provincial green power price."""

from measures.outcome import MeasureOutcome
from measures.rules.base import Context, Kind, Measure, service

MEASURE = Measure(2, 1, "绿电价格", "Green power price", Kind.SERVICE)


def evaluate(ctx: Context) -> MeasureOutcome:
    return service(MEASURE, "provincial_green_power_price")
