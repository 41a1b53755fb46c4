"""第16条 优化审批流程: simplified EIA and energy review; green data centres are exempt from EIA
under the classified management rules."""

from measures.outcome import Check, MeasureOutcome, Reason
from measures.rules.base import Context, Kind, Measure, service

MEASURE = Measure(16, 6, "优化审批流程", "Streamlined review", Kind.SERVICE)


def evaluate(ctx: Context) -> MeasureOutcome:
    green = ctx.facts.circumstances.green_data_center
    exemption = Reason("eia_exemption", Check.PASSED if green else Check.FAILED, MEASURE.clause)
    return service(MEASURE, "simplified_review", exemption)
