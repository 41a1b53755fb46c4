"""第15条 项目备案审批: one-stop, minimal and remote approval, fast track."""

from measures.outcome import MeasureOutcome
from measures.rules.base import Context, Kind, Measure, service

MEASURE = Measure(15, 6, "项目备案审批", "Project filing and approval", Kind.SERVICE)


def evaluate(ctx: Context) -> MeasureOutcome:
    return service(MEASURE, "fast_track_approval")
