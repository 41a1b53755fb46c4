"""第16条 优化审批流程: simplified EIA and energy review; green data centres are exempt from EIA
under the classified management rules."""

from measures.outcome import Check, MeasureOutcome, Reason
from measures.rules.base import Context, Kind, Measure, service

MEASURE = Measure(16, 6, "优化审批流程", "Streamlined review", Kind.SERVICE)


def evaluate(ctx: Context) -> MeasureOutcome:
    # The exemption is a note on an entitlement every enterprise has, never a failed criterion.
    key = None if ctx.facts.circumstances.green_data_center else "eia_exemption.not_green"
    exemption = Reason("eia_exemption", Check.PASSED, MEASURE.clause, message_key=key)
    return service(MEASURE, "simplified_review", exemption)
