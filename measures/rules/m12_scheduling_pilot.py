"""第12条 绿算科技攻关: the integrated compute-network scheduling pilot is supported from provincial
funds by the computing scale brought under integrated scheduling."""

from measures.outcome import Check, MeasureOutcome, Reason, Status
from measures.rules.base import Context, Kind, Measure, when_declared

MEASURE = Measure(12, 4, "绿算科技攻关", "Green computing R&D", Kind.PROVINCIAL_STANDARD)

SCALE_FIELD = "circumstances.scheduled_compute_pflops"


def evaluate(ctx: Context) -> MeasureOutcome:
    circumstances = ctx.facts.circumstances
    if not circumstances.scheduling_pilot:
        return when_declared(MEASURE, "scheduling_pilot", False, Status.REFERRED)
    pilot = Reason("scheduling_pilot", Check.PASSED, MEASURE.clause)
    scale = circumstances.scheduled_compute_pflops
    if not scale:  # missing, or 0 while in the pilot: the scale decides the support (DESIGN §10)
        missing = Reason("scheduled_compute", Check.MISSING, MEASURE.clause)
        return MeasureOutcome(MEASURE.number, Status.NEEDS_INFO, (pilot, missing), (SCALE_FIELD,))
    scale_reason = Reason("scheduled_compute", Check.PASSED, MEASURE.clause, {"pflops": scale})
    return MeasureOutcome(MEASURE.number, Status.REFERRED, (pilot, scale_reason))
