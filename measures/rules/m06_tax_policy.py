"""第6条 税收政策: the state's tax incentives for innovation and western development are applied in full
(corporate income tax, property tax, urban land use tax, urban maintenance and construction tax
among others). Enterprises judge for themselves and declare them (自行判别、申报享受); the tax
authority decides. The 15% corporate income tax rate is not in 第6条: it comes from its own sources,
which the reasons cite — 企业所得税法第二十八条 for high-tech enterprises, 公告2020年第23号 for
western-development encouraged industries; an enterprise applies one of them, not both."""

from measures import parameters
from measures.facts import Qualification
from measures.outcome import Check, MeasureOutcome, Reason, Status
from measures.rules.base import Context, Kind, Measure

MEASURE = Measure(6, 2, "税收政策", "Tax policy", Kind.TAX)
# The preferential rate, and where each qualification's rate is laid down.
SOURCES = {
    Qualification.HIGH_TECH_ENTERPRISE: "企业所得税法第二十八条",
    Qualification.WESTERN_ENCOURAGED_INDUSTRY: "财政部 税务总局 国家发展改革委公告2020年第23号",
}


def evaluate(ctx: Context) -> MeasureOutcome:
    reasons = [Reason("tax_authority_referral", Check.PASSED, MEASURE.clause)]
    held = [q for q in SOURCES if q in ctx.facts.enterprise.qualifications]
    if held:
        rate = parameters.value("m06.preferential_cit_rate_percent", ctx.as_of)
        reasons += [Reason("preferential_cit_rate", Check.PASSED, SOURCES[q], {"qualifications": [q], "rate": rate})
                    for q in held]
    if len(held) > 1:
        reasons.append(Reason("preferential_cit_not_cumulative", Check.PASSED, SOURCES[held[1]]))
    return MeasureOutcome(MEASURE.number, Status.REFERRED, tuple(reasons))
