"""第11条 创新平台建设: a recognised 科技小巨人 or national technology innovation centre in green
computing is rewarded at the provincial standard."""

from measures.facts import Qualification
from measures.outcome import MeasureOutcome, Status
from measures.rules.base import Context, Kind, Measure, when_declared

MEASURE = Measure(11, 4, "创新平台建设", "Innovation platforms", Kind.PROVINCIAL_STANDARD)

RECOGNITIONS = (Qualification.TECH_LITTLE_GIANT, Qualification.NATIONAL_INNOVATION_CENTER)


def evaluate(ctx: Context) -> MeasureOutcome:
    held = [q for q in RECOGNITIONS if q in ctx.facts.enterprise.qualifications]
    return when_declared(MEASURE, "innovation_platform", bool(held), Status.REFERRED, qualifications=held)
