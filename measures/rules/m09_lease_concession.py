"""第9条 租赁优惠: tenants of standard factory space in Haidong's parks get terms case by case
(一事一议、一企一策)."""

from measures.outcome import MeasureOutcome, Status
from measures.rules.base import Context, Kind, Measure, when_declared

MEASURE = Measure(9, 3, "租赁优惠", "Lease concession", Kind.CASE_BY_CASE)


def evaluate(ctx: Context) -> MeasureOutcome:
    declared = ctx.facts.circumstances.leases_standard_factory
    return when_declared(MEASURE, "leases_standard_factory", declared, Status.REFERRED)
