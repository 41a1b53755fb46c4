"""第7条 科研奖励: provincial research funds for computing enterprises with a major research
achievement, at the provincial standard."""

from measures.outcome import MeasureOutcome, Status
from measures.rules.base import Context, Kind, Measure, when_declared

MEASURE = Measure(7, 2, "科研奖励", "Research award", Kind.PROVINCIAL_STANDARD)


def evaluate(ctx: Context) -> MeasureOutcome:
    declared = ctx.facts.circumstances.research_achievement
    return when_declared(MEASURE, "research_achievement", declared, Status.REFERRED)
