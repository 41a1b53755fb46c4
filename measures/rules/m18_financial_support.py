"""第18条 强化金融支持: government investment funds and bank products for enterprises seeking
financing."""

from measures.outcome import MeasureOutcome, Status
from measures.rules.base import Context, Kind, Measure, when_declared

MEASURE = Measure(18, 6, "强化金融支持", "Financial support", Kind.SERVICE)


def evaluate(ctx: Context) -> MeasureOutcome:
    return when_declared(MEASURE, "seeks_financing", ctx.facts.circumstances.seeks_financing, Status.ELIGIBLE)
