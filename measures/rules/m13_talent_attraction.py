"""第13条 人才引进: high-level talents of green computing are encouraged to apply to the 昆仑英才 programme;
talents brought in directly and recognised as 杰出、领军 or 拔尖人才 get its treatment. Whether each
person is recognised is the talent authority's decision: referred (DESIGN §10)."""

from measures.outcome import MeasureOutcome, Status
from measures.rules.base import Context, Kind, Measure, when_declared

MEASURE = Measure(13, 5, "人才引进", "Talent attraction", Kind.SERVICE)


def evaluate(ctx: Context) -> MeasureOutcome:
    talents = ctx.facts.circumstances.high_level_talents
    return when_declared(MEASURE, "high_level_talents", talents > 0, Status.REFERRED, count=talents)
