"""Writes of the fund pool: payments (拨付) by the payer's finance officers, budgets by city admins.
One transaction each; refusals are domain errors (kernel.errors)."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from applications import transitions
from applications.models import Grant, State
from applications.notifications import notify_enterprise
from audit import services as audit
from funds.models import Budget, Payment
from funds.selectors import PAYERS, paid_total
from kernel.errors import Invalid, NotAllowed, NotFound, WrongState

REFERENCE_MAX = 100
# The measures are in force 2024-07-01 to 2029-06-30 (第二十条); payments may trail the last grants.
BUDGET_YEARS = range(2024, 2032)


def budget_year(raw: str | None) -> int | None:
    """A budget year from a query string: four ASCII digits within BUDGET_YEARS, else None."""
    if raw and re.fullmatch(r"[0-9]{4}", raw) and int(raw) in BUDGET_YEARS:
        return int(raw)
    return None


def _payment_input(*, amount: Decimal, paid_on: dt.date, reference: str, issued_on: dt.date) -> str:
    errors = []
    if amount <= 0:
        errors.append({"field": "amount_cny", "code": "not_positive"})
    if paid_on > timezone.localdate():
        errors.append({"field": "paid_on", "code": "in_the_future"})
    elif paid_on < issued_on:
        errors.append({"field": "paid_on", "code": "before_determination"})
    errors += reference_errors(reference)
    if errors:
        raise Invalid(errors, "invalid payment")
    return reference.strip()


def reference_errors(reference: str) -> list[dict[str, str]]:
    """The voucher reference is required, at most REFERENCE_MAX characters."""
    reference = (reference or "").strip()
    if not reference:
        return [{"field": "reference", "code": "blank"}]
    if len(reference) > REFERENCE_MAX:
        return [{"field": "reference", "code": "too_long"}]
    return []


def payment_allowed(application, user: User) -> None:
    """Only a finance officer of the application's jurisdiction records its payments: else
    NotAllowed for who may see it, NotFound for who may not (checked before the input is read)."""
    if not (user.is_authenticated and user.is_finance and application.jurisdiction == user.jurisdiction
            and application.submitted_at is not None):  # a draft is the enterprise's alone
        raise transitions.refusal(application, user)


@transaction.atomic
def payment_record(*, application_id: int, user: User, amount: Decimal, paid_on: dt.date,
                   reference: str) -> Payment:
    """Record one payment of a granted amount. The application row stays locked until commit, so
    two payments recorded at once are summed one after the other and never exceed the amount."""
    application = transitions.locked(application_id)
    payment_allowed(application, user)
    grant = Grant.objects.filter(application=application).first()
    if application.state != State.APPROVED or grant is None:
        label = str(State(application.state).label)
        raise WrongState(_("Only an approved grant is paid: application no. %(id)s is %(state)s.") % {
            "id": application.pk, "state": label}, state=application.state, state_label=label,
            object_id=application.pk, code="not_granted")
    reference = _payment_input(amount=amount, paid_on=paid_on, reference=reference,
                               issued_on=application.determination.issued_on)
    total = paid_total(application) + amount
    if total > grant.amount_cny:
        raise Invalid([{"field": "amount_cny", "code": "above_unpaid"}], "more than the amount still unpaid")
    payment = Payment.objects.create(application=application, amount_cny=amount, paid_on=paid_on,
                                     reference=reference, recorded_by=user)
    audit.record(action="payment", obj=payment, actor=user, application=application, note_code="payment_recorded",
                 note_params={"amount": f"{amount:.2f}", "paid_on": paid_on.isoformat(), "reference": reference,
                              "total": f"{total:.2f}"})
    notify_enterprise(application, "paid",
                      detail=(f"本次拨付 {amount:.2f} 元（{paid_on:%Y-%m-%d}），累计 {total:.2f} 元",
                              f"Paid {amount:.2f} CNY on {paid_on:%Y-%m-%d}, {total:.2f} CNY in all"))
    return payment


@transaction.atomic
def budget_set(*, payer: str, year: int, amount: Decimal, user: User) -> Budget:
    """Set (or change) a payer's annual budget: a planning figure, never a limit on grants."""
    if not (user.is_authenticated and user.is_city_admin):
        raise NotAllowed(_("Only city administrators set budgets."))
    if payer not in PAYERS:
        raise NotFound(_("No such payer."))
    errors = []
    if year not in BUDGET_YEARS:
        errors.append({"field": "year", "code": "out_of_range"})
    if amount < 0:
        errors.append({"field": "amount_cny", "code": "negative"})
    if errors:
        raise Invalid(errors, "invalid budget")
    budget, _created = Budget.objects.update_or_create(
        payer=payer, year=year, defaults={"amount_cny": amount, "set_by": user, "set_at": timezone.now()})
    audit.record(action="budget", obj=budget, actor=user, note_code="budget_set",
                 note_params={"payer": payer, "year": year, "amount": f"{amount:.2f}"})
    return budget
