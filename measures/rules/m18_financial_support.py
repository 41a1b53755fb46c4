"""第18条 强化金融支持: the city seeks provincial government investment funds and encourages banks to
favour the computing industry. For an enterprise seeking financing that is a referral to the funds and
banks, who decide (DESIGN §10)."""

from measures.outcome import MeasureOutcome, Status
from measures.rules.base import Context, Kind, Measure, when_declared

MEASURE = Measure(18, 6, "强化金融支持", "Financial support", Kind.SERVICE)


def evaluate(ctx: Context) -> MeasureOutcome:
    return when_declared(MEASURE, "seeks_financing", ctx.facts.circumstances.seeks_financing, Status.REFERRED)
