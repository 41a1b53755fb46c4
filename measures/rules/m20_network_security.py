"""第20条 网络安全保障: network services and tariffs for the computing network."""

from measures.outcome import MeasureOutcome
from measures.rules.base import Context, Kind, Measure, service

MEASURE = Measure(20, 6, "网络安全保障", "Network assurance", Kind.SERVICE)


def evaluate(ctx: Context) -> MeasureOutcome:
    return service(MEASURE, "network_services")
