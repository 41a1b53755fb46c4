"""第16条 优化审批流程: a simplified, fast EIA and energy review for green computing projects; a green
data centre is exempt from EIA under the classified management rules. The exemption is noted only
for a project declared a green data centre; nothing is said of it otherwise (DESIGN §10)."""

from measures.outcome import Check, MeasureOutcome, Reason
from measures.rules.base import Context, Kind, Measure, service

MEASURE = Measure(16, 6, "优化审批流程", "Streamlined review", Kind.SERVICE)


def evaluate(ctx: Context) -> MeasureOutcome:
    if ctx.facts.project is not None and ctx.facts.circumstances.green_data_center:
        return service(MEASURE, "simplified_review", Reason("eia_exemption", Check.PASSED, MEASURE.clause))
    return service(MEASURE, "simplified_review")
