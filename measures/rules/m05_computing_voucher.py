"""第5条 “算力券”补助: provincial computing vouchers at the provincial standard; AI foundation or
industry model training in Haidong receives key support."""

from measures.facts import ModelTraining
from measures.outcome import Check, MeasureOutcome, Reason, Status
from measures.rules.base import Context, Kind, Measure

MEASURE = Measure(5, 2, "算力券补助", "Computing voucher subsidy", Kind.PROVINCIAL_STANDARD)


def evaluate(ctx: Context) -> MeasureOutcome:
    reasons = [Reason("provincial_voucher_standard", Check.PASSED, MEASURE.clause)]
    training = ctx.facts.circumstances.ai_model_training
    if training is not ModelTraining.NONE:
        reasons.append(Reason("model_training_key_support", Check.PASSED, MEASURE.clause, {"training": training}))
    return MeasureOutcome(MEASURE.number, Status.REFERRED, tuple(reasons))
