"""Evaluating an application with the rules, and freezing the answer.

`evaluate_application` returns the typed outcome (`measures.outcome.Evaluation`) beside the JSON
that is stored; business code reads the typed one (`result.measure(4).status`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from applications.models import Application, Evaluation
from applications.selectors import project_already_granted
from measures import outcome, parameters, serialize
from measures.engine import evaluate
from measures.facts import Facts, parse_facts


@dataclass(frozen=True)
class Evaluated:
    facts: Facts
    result: outcome.Evaluation  # typed: what business code reads
    outcome: dict  # DESIGN §4 JSON, zh-hans: what is stored
    outcome_en: dict  # the same, English messages


def evaluate_application(application: Application, *, as_of: dt.date | None = None,
                         recognized_investment: Decimal | None = None,
                         already_granted: bool | None = None) -> Evaluated:
    """The live evaluation, with the one-time rule checked against the grants unless
    `already_granted` says."""
    facts = parse_facts(application.facts)
    granted = already_granted
    if granted is None:
        code = facts.project.code if facts.project else None
        granted = project_already_granted(code, exclude_application_id=application.pk)
    result = evaluate(facts, as_of or timezone.localdate(), already_granted=granted,
                      recognized_investment=recognized_investment)
    return Evaluated(facts, result, serialize.evaluation(result, "zh-hans"), serialize.evaluation(result, "en"))


def filing_date(application: Application) -> dt.date:
    """The date an application is judged on: its latest submission, in Asia/Shanghai (DESIGN §9) —
    never the decision's. One filed on 2029-06-30 and decided in July is judged in force."""
    return timezone.localdate(application.submitted_at) if application.submitted_at else timezone.localdate()


def freeze(application: Application, kind: str, evaluated: Evaluated,
           recognized_investment: Decimal | None = None) -> Evaluation:
    """Store the evaluation as it was answered: facts, outcome in both languages, rules version."""
    result = evaluated.result
    return Evaluation.objects.create(
        application=application, kind=kind, as_of=result.as_of, facts=application.facts,
        outcome=evaluated.outcome, outcome_en=evaluated.outcome_en, rules_version=result.rules_version,
        recognized_investment_cny=recognized_investment, total_amount_cny=result.total_amount,
    )


def estimate(result: outcome.Evaluation) -> dict:
    """What the queue shows without reading JSON: the estimated 第4条 amount and its tier (0 none)."""
    amount = result.measure(4).amount or Decimal("0")
    tiers = sorted({Decimal(t["amount"]) for t in parameters.value("m04.tiers", timezone.localdate())})
    return {"estimated_amount_cny": amount, "tier": tiers.index(amount) + 1 if amount in tiers else 0}
