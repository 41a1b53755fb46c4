"""Writes of the reviewing authority: claim, release, return, approve, reject. One transaction
each, under the row lock and the workflow table (`applications.transitions`); approve and reject
issue the determination in the same transaction.

Refusals are domain errors (kernel.errors): `Invalid` names each bad field, `NotAllowed`,
`NotFound`, `WrongState`."""

from __future__ import annotations

from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import User
from applications import transitions
from applications.evaluations import estimate, evaluate_application, filing_date, freeze
from applications.models import Application, Decision, Evaluation, Grant, State
from determinations.services import determination_issue
from kernel.errors import Invalid
from measures.facts import parse_facts
from measures.outcome import MeasureOutcome, Status
from review.notifications import notify_enterprise


@transitions.audit_conflicts
@transaction.atomic
def application_claim(*, application_id: int, reviewer: User) -> Application:
    return transitions.transition(application_id=application_id, user=reviewer, action="claim", claimed_by=reviewer)


@transitions.audit_conflicts
@transaction.atomic
def application_release(*, application_id: int, reviewer: User) -> Application:
    """Give a claimed application back to the queue."""
    return transitions.transition(application_id=application_id, user=reviewer, action="release", claimed_by=None)


@transitions.audit_conflicts
@transaction.atomic
def application_return(*, application_id: int, reviewer: User, note: str) -> Application:
    application = transitions.begin(application_id, reviewer, "return")
    transitions.move(application, reviewer, "return", transitions.note_text(note, required=True),
                     claimed_by=reviewer)
    notify_enterprise(application, State.RETURNED)
    return application


@transitions.audit_conflicts
@transaction.atomic
def application_reject(*, application_id: int, reviewer: User, note: str) -> Evaluation:
    application = transitions.begin(application_id, reviewer, "reject")
    note = transitions.note_text(note, required=True)
    evaluation = freeze(application, Evaluation.Kind.DECISION,
                        evaluate_application(application, as_of=filing_date(application)))
    transitions.move(application, reviewer, "reject", note, claimed_by=reviewer, decided_at=timezone.now())
    determination_issue(application=application, evaluation=evaluation, decision=Decision.REJECTED, actor=reviewer)
    notify_enterprise(application, State.REJECTED)
    return evaluation


@transitions.audit_conflicts
@transaction.atomic
def application_approve(*, application_id: int, reviewer: User, note: str = "",
                        recognized_investment: Decimal | None = None) -> Evaluation:
    """Approve the findings; grant the measure-4 subsidy when it is still eligible. The grant is
    unique per project code in the database: if another approval took it first, this one is
    re-evaluated as already granted and approves the other findings (DESIGN §9)."""
    application = transitions.begin(application_id, reviewer, "approve")
    note = approval_input(application, note=note, recognized_investment=recognized_investment)
    as_of = filing_date(application)
    evaluated = evaluate_application(application, as_of=as_of, recognized_investment=recognized_investment)
    measure4 = evaluated.result.measure(4)
    if measure4.status is Status.ELIGIBLE and not _grant(application, measure4):
        evaluated = evaluate_application(application, as_of=as_of, recognized_investment=recognized_investment,
                                         already_granted=True)
    evaluation = freeze(application, Evaluation.Kind.DECISION, evaluated, recognized_investment)
    transitions.move(application, reviewer, "approve", note, claimed_by=reviewer, decided_at=timezone.now(),
                     **estimate(evaluated.result))
    determination_issue(application=application, evaluation=evaluation, decision=Decision.APPROVED, actor=reviewer)
    notify_enterprise(application, State.APPROVED)
    return evaluation


def approval_input(application: Application, *, note: str, recognized_investment: Decimal | None) -> str:
    """The note (stripped) when the approval's input is acceptable; else `Invalid` naming the field.
    Also checked by the review page before it asks to confirm the approval."""
    note = transitions.note_text(note)
    if recognized_investment is not None:
        facts = parse_facts(application.facts)
        declared = facts.project.equipment_investment_cny if facts.project else None
        if declared is None or recognized_investment < 0 or recognized_investment > declared:
            raise Invalid([{"field": "recognized_investment_cny", "code": "above_declared"}],
                          "invalid recognised investment")
    return note


def _grant(application: Application, measure4: MeasureOutcome) -> bool:
    payer = measure4.payer
    try:
        with transaction.atomic():  # a savepoint: losing the race must not abort the approval
            Grant.objects.create(application=application, project_code=application.project_code,
                                 amount_cny=measure4.amount, payer_kind=payer.kind, payer_region=payer.region or "")
    except IntegrityError:
        return False
    return True
