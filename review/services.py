"""Writes of the reviewing authority: claim, release, return, propose (公示), withdraw a proposal,
resolve an objection, approve, reject. One transaction each, under the row lock and the workflow
table (`applications.transitions`); approve and reject issue the determination in the same
transaction.

Refusals are domain errors (kernel.errors): `Invalid` names each bad field, `NotAllowed`,
`NotFound`, `WrongState`."""

from __future__ import annotations

from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from applications import notices, transitions
from applications.evaluations import estimate, evaluate_application, filing_date, freeze
from applications.models import Application, Decision, Evaluation, Grant, Notice, Objection, State
from applications.notifications import notify_enterprise, notify_objector
from applications.workflow import Actor
from audit import services as audit
from determinations.services import determination_issue
from funds.selectors import payer_figures
from kernel.errors import Invalid, NotFound, WrongState
from measures.facts import parse_facts
from measures.outcome import MeasureOutcome, Status


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
    if application.state == State.IN_NOTICE:
        recognized_investment = _after_notice(application, recognized_investment)
    as_of = filing_date(application)
    evaluated = evaluate_application(application, as_of=as_of, recognized_investment=recognized_investment)
    measure4 = evaluated.result.measure(4)
    _notice_first(application, measure4)
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


def _notice_first(application: Application, measure4: MeasureOutcome) -> None:
    """With notices on, a grant is approved only after its notice (WrongState, code notice_required)."""
    if measure4.status is Status.ELIGIBLE and application.state != State.IN_NOTICE and notices.notices_enabled():
        raise _refused(application, "notice_required", _(
            "A grant is publicly noticed before it is approved: propose it for public notice first."))


def require_notice(application: Application, recognized_investment: Decimal | None) -> None:
    """For the review page, before it asks to confirm an approval: `WrongState` (notice_required)
    when the approval would grant 第4条 without a notice."""
    if application.state != State.IN_NOTICE and notices.notices_enabled():
        evaluated = evaluate_application(application, as_of=filing_date(application),
                                         recognized_investment=recognized_investment)
        _notice_first(application, evaluated.result.measure(4))


def _refused(application: Application, code: str, detail: str) -> WrongState:
    label = str(State(application.state).label)
    return WrongState(detail, state=application.state, state_label=label, object_id=application.pk, code=code)


def _after_notice(application: Application, recognized_investment: Decimal | None) -> Decimal | None:
    """An application in notice is approved once the period is over with no objection unresolved,
    on the figure that was noticed (DESIGN §11)."""
    notice = notices.current_notice(application)
    today = timezone.localdate()
    if today <= notice.ends_on:
        raise _refused(application, "notice_open", _(
            "The public notice runs until %(date)s: approve after it ends.") % {"date": notice.ends_on.isoformat()})
    if notices.open_objections(notice).exists():
        raise _refused(application, "objection_unresolved", _(
            "An objection to the public notice is not resolved yet."))
    if recognized_investment is not None and recognized_investment != notice.recognized_investment_cny:
        raise Invalid([{"field": "recognized_investment_cny", "code": "not_noticed_amount"}],
                      "not the noticed recognised investment")
    return notice.recognized_investment_cny


@transitions.audit_conflicts
@transaction.atomic
def application_propose(*, application_id: int, reviewer: User, note: str = "",
                        recognized_investment: Decimal | None = None) -> Notice:
    """Propose the grant of 第4条 for public notice (公示): re-evaluated with the recognised
    investment, frozen, and noticed for PUBLIC_NOTICE_WORKING_DAYS from the next working day. Beyond
    the payer's remaining budget it is still proposed, with a warning in the audit log (DESIGN §11)."""
    _lock_project(application_id)
    application = transitions.begin(application_id, reviewer, "propose")
    note = approval_input(application, note=note, recognized_investment=recognized_investment)
    if not notices.notices_enabled():
        raise _refused(application, "notices_disabled", _("Public notices are off here: approve directly."))
    evaluated = evaluate_application(application, as_of=filing_date(application),
                                     recognized_investment=recognized_investment)
    measure4 = evaluated.result.measure(4)
    if measure4.status is not Status.ELIGIBLE:
        raise _refused(application, "nothing_to_notice", _(
            "Article 4 grants nothing here, so there is nothing to notice: approve or reject directly."))
    # 第4条 is one-time per project: one grant, so one notice at a time for a project code.
    if (application.project_code and Application.objects.filter(project_code=application.project_code,
                                                                state=State.IN_NOTICE).exists()):
        raise _refused(application, "project_in_notice", _(
            "Another application for project %(code)s is in public notice: its grant is decided first.")
            % {"code": application.project_code})
    evaluation = freeze(application, Evaluation.Kind.PROPOSAL, evaluated, recognized_investment)
    today = timezone.localdate()
    starts_on, ends_on = notices.period(today)
    payer = "park" if measure4.payer.kind == "park_committee" else measure4.payer.region
    facts = parse_facts(application.facts)
    notice = Notice.objects.create(
        application=application, evaluation=evaluation, enterprise_name=application.enterprise.name,
        project_name=facts.project.name if facts.project and facts.project.name else "",
        amount_cny=measure4.amount, payer=payer, payer_name=measure4.payer.name,
        recognized_investment_cny=recognized_investment, proposed_by=reviewer, starts_on=starts_on, ends_on=ends_on)
    transitions.move(application, reviewer, "propose", note, claimed_by=reviewer, **estimate(evaluated.result))
    params = {"starts_on": starts_on.isoformat(), "ends_on": ends_on.isoformat(), "amount": f"{notice.amount_cny:.2f}"}
    # What is left of the year's budget once the grants already in notice are granted too.
    figures = payer_figures(payer, today.year, today)
    remaining = None if figures.remaining is None else figures.remaining - (figures.in_notice - notice.amount_cny)
    over = remaining is not None and measure4.amount > remaining
    if over:
        params.update(payer=payer, year=today.year, remaining=f"{remaining:.2f}")
    audit.record(action="notice", obj=notice, actor=reviewer, application=application,
                 note_code="notice_opened_over_budget" if over else "notice_opened", note_params=params)
    notice.over_budget = over  # for the caller's warning; not stored (the audit entry is the record)
    notify_enterprise(application, State.IN_NOTICE, "")
    return notice


@transitions.audit_conflicts
@transaction.atomic
def application_withdraw_proposal(*, application_id: int, reviewer: User, note: str) -> Application:
    """Withdraw a proposal: the notice is withdrawn and the application is back in review."""
    application = transitions.begin(application_id, reviewer, "withdraw_proposal")
    note = transitions.note_text(note, required=True)
    _withdraw_notice(application, reviewer)
    transitions.move(application, reviewer, "withdraw_proposal", note, claimed_by=reviewer)
    return application


def _lock_project(application_id: int) -> None:
    """Lock every application of the project, in id order (so two proposals cannot deadlock), so
    that two proposals for one project are checked one after the other."""
    code = Application.objects.filter(pk=application_id).values_list("project_code", flat=True).first()
    if code:
        list(Application.objects.select_for_update().filter(project_code=code).order_by("pk").values_list("pk"))


def _withdraw_notice(application: Application, actor: User) -> Notice:
    notice = notices.current_notice(application)
    notice.withdrawn_at = timezone.now()
    notice.save(update_fields=["withdrawn_at"])
    audit.record(action="notice", obj=notice, actor=actor, application=application, note_code="notice_withdrawn")
    return notice


OUTCOMES = (Objection.Outcome.UPHELD, Objection.Outcome.DISMISSED)


@transitions.audit_conflicts
@transaction.atomic
def objection_resolve(*, objection_id: int, reviewer: User, outcome: str, note: str) -> Objection:
    """Resolve an objection with a note. Upheld: the notice is withdrawn and the application goes
    back to review (the enterprise is told); dismissed: recorded. The objector is told either way."""
    objection = Objection.objects.select_related("notice").filter(pk=objection_id).first()
    if objection is None:
        raise NotFound(_("No such objection."))
    application = transitions.locked(objection.notice.application_id)
    if not transitions.may_act(application, reviewer, Actor.REVIEWER):
        raise transitions.refusal(application, reviewer)
    if transitions.linked(reviewer, application):
        raise transitions.ConflictOfInterest(application, reviewer, "resolve_objection")
    objection = Objection.objects.select_for_update().get(pk=objection_id)
    errors = []
    if outcome not in OUTCOMES:
        errors.append({"field": "outcome", "code": "invalid_choice"})
    try:
        note = transitions.note_text(note, required=True)
    except Invalid as exc:
        errors += exc.errors
    if errors:
        raise Invalid(errors, "invalid resolution")
    if objection.status != Objection.Outcome.OPEN:
        raise WrongState(_("Objection %(reference)s is already resolved.") % {"reference": objection.reference},
                         state=objection.status, state_label=str(Objection.Outcome(objection.status).label),
                         object_id=application.pk, code="objection_resolved")
    objection.status, objection.resolution_note = outcome, note
    objection.resolved_by, objection.resolved_at = reviewer, timezone.now()
    objection.save(update_fields=["status", "resolution_note", "resolved_by", "resolved_at"])
    audit.record(action="objection", obj=objection, actor=reviewer, application=application, note=note,
                 note_code=f"objection_{outcome}", note_params={"reference": objection.reference})
    # Upheld while the notice stands: it is withdrawn and the application goes back to review (an
    # objection to a notice already withdrawn, or to a decided application, is only recorded).
    if (outcome == Objection.Outcome.UPHELD and objection.notice.withdrawn_at is None
            and application.state == State.IN_NOTICE):
        _withdraw_notice(application, reviewer)
        transitions.move(application, reviewer, "withdraw_proposal", note, claimed_by=reviewer)
        notify_enterprise(application, "objection_upheld", note)
    notify_objector(objection)
    return objection
