"""第6条 税收政策: referred to the tax authority. A high-tech enterprise or a western-development
encouraged industry may pay 15% corporate income tax; the two do not add up."""

from measures import parameters
from measures.facts import Qualification
from measures.outcome import Check, MeasureOutcome, Reason, Status
from measures.rules.base import Context, Kind, Measure

MEASURE = Measure(6, 2, "税收政策", "Tax policy", Kind.TAX)

PREFERENTIAL = (Qualification.HIGH_TECH_ENTERPRISE, Qualification.WESTERN_ENCOURAGED_INDUSTRY)


def evaluate(ctx: Context) -> MeasureOutcome:
    reasons = [Reason("tax_authority_referral", Check.PASSED, MEASURE.clause)]
    held = [q for q in PREFERENTIAL if q in ctx.facts.enterprise.qualifications]
    if held:
        rate = parameters.value("m06.preferential_cit_rate_percent", ctx.as_of)
        reasons.append(
            Reason("preferential_cit_rate", Check.PASSED, MEASURE.clause, {"qualifications": held, "rate": rate})
        )
    if len(held) > 1:
        reasons.append(Reason("preferential_cit_not_cumulative", Check.PASSED, MEASURE.clause))
    return MeasureOutcome(MEASURE.number, Status.REFERRED, tuple(reasons))
