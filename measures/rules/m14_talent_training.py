"""第14条 人才培养: joint training with research institutes, universities and colleges."""

from measures.outcome import MeasureOutcome, Status
from measures.rules.base import Context, Kind, Measure, when_declared

MEASURE = Measure(14, 5, "人才培养", "Talent training", Kind.SERVICE)


def evaluate(ctx: Context) -> MeasureOutcome:
    return when_declared(MEASURE, "joint_training", ctx.facts.circumstances.joint_training, Status.ELIGIBLE)
