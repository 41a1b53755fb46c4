"""第10条 算力企业培育: guidance to apply for tech-SME, high-tech and 专精特新 status."""

from measures.facts import Qualification
from measures.outcome import Check, MeasureOutcome, Reason
from measures.rules.base import Context, Kind, Measure, service

MEASURE = Measure(10, 4, "算力企业培育", "Enterprise cultivation", Kind.SERVICE)

STATUSES = (Qualification.HIGH_TECH_ENTERPRISE, Qualification.SPECIALIZED_SME, Qualification.TECH_SME)


def evaluate(ctx: Context) -> MeasureOutcome:
    held = [q for q in STATUSES if q in ctx.facts.enterprise.qualifications]
    to_apply = [q for q in STATUSES if q not in held]
    notes = []
    if held:
        notes.append(Reason("qualifications_held", Check.PASSED, MEASURE.clause, {"qualifications": held}))
    if to_apply:
        notes.append(Reason("qualifications_to_apply", Check.PASSED, MEASURE.clause, {"qualifications": to_apply}))
    return service(MEASURE, "cultivation_guidance", *notes)
