"""Reads of the fund pool: payments per application, their status, and the figures per payer and
year that budgets are measured against (DESIGN §11).

A grant is charged to the year it was granted (its approval, the day of its determination): `paid`
and `committed` of year Y are the paid and unpaid parts of the grants of Y. `in_notice` (the grants
in public notice) and `pipeline` (the estimates of the applications submitted and in review) are
what is on its way now: the current year's only. remaining = budget − paid − committed."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, Sum
from django.db.models.functions import ExtractMonth

from accounts.models import JURISDICTIONS
from applications.models import Application, Grant, Notice, State
from applications.workflow import UNDECIDED
from funds.models import Budget, Payment

ZERO = Decimal("0.00")
PAYERS = JURISDICTIONS  # the park committee and each county government pay (第4条)


class PaymentStatus:
    UNPAID, PARTLY_PAID, PAID = "unpaid", "partly_paid", "paid"
    LABELS = {UNPAID: ("未拨付", "Not paid"), PARTLY_PAID: ("部分拨付", "Partly paid"), PAID: ("已拨付", "Paid")}


def payer_of_grant(grant: Grant) -> str:
    return "park" if grant.payer_kind == "park_committee" else grant.payer_region


def payer_name(payer: str) -> str:
    return settings.DETERMINATION_AUTHORITIES[payer][0]


def paid_total(application: Application) -> Decimal:
    return application.payments.aggregate(total=Sum("amount_cny"))["total"] or ZERO


def payment_status(amount: Decimal | None, paid: Decimal) -> str | None:
    """未拨付 / 部分拨付 / 已拨付 of a grant of `amount`; None without an amount."""
    if not amount:
        return None
    if paid <= 0:
        return PaymentStatus.UNPAID
    return PaymentStatus.PAID if paid >= amount else PaymentStatus.PARTLY_PAID


@dataclass(frozen=True)
class Payments:
    amount: Decimal | None  # the determination's amount (the grant)
    paid: Decimal
    status: str | None
    rows: list[Payment]

    @property
    def unpaid(self) -> Decimal:
        return (self.amount or ZERO) - self.paid


def payments_of(application: Application) -> Payments:
    grant = Grant.objects.filter(application=application).first()
    rows = list(application.payments.select_related("recorded_by").order_by("paid_on", "pk"))
    paid = sum((p.amount_cny for p in rows), ZERO)
    amount = grant.amount_cny if grant else None
    return Payments(amount, paid, payment_status(amount, paid), rows)


def finance_queue(user) -> list[dict]:
    """A finance officer's grants to pay, unpaid first, oldest determination first."""
    grants = (Grant.objects.filter(application__jurisdiction=user.jurisdiction, application__state=State.APPROVED)
              .select_related("application__enterprise", "application__determination")
              .annotate(paid=Sum("application__payments__amount_cny")).order_by("granted_at", "pk"))
    rows = []
    for grant in grants:
        paid = grant.paid or ZERO
        rows.append({"grant": grant, "application": grant.application, "amount": grant.amount_cny, "paid": paid,
                     "unpaid": grant.amount_cny - paid, "status": payment_status(grant.amount_cny, paid),
                     "determination": grant.application.determination})
    rows.sort(key=lambda r: r["status"] == PaymentStatus.PAID)
    return rows


@dataclass(frozen=True)
class PayerFigures:
    payer: str
    name: str
    year: int
    budget: Decimal | None
    paid: Decimal
    committed: Decimal
    in_notice: Decimal
    pipeline: Decimal

    @property
    def remaining(self) -> Decimal | None:
        return None if self.budget is None else self.budget - self.paid - self.committed


def _by_payer(rows, key: str, value: str) -> dict[str, Decimal]:
    totals: dict[str, Decimal] = {}
    for row in rows:
        totals[row[key]] = totals.get(row[key], ZERO) + (row[value] or ZERO)
    return totals


def fund_pool(year: int, today: dt.date) -> list[PayerFigures]:
    """Budget, paid, committed, in notice, pipeline and remaining per payer for `year`, to the cent."""
    budgets = dict(Budget.objects.filter(year=year).values_list("payer", "amount_cny"))
    granted: dict[str, Decimal] = {}
    paid: dict[str, Decimal] = {}
    # One query: WHERE granted_at in year Y (Asia/Shanghai), with the sum of each grant's payments.
    grants = Grant.objects.filter(granted_at__year=year).annotate(paid=Sum("application__payments__amount_cny"))
    for grant in grants:
        key = payer_of_grant(grant)
        granted[key] = granted.get(key, ZERO) + grant.amount_cny
        paid[key] = paid.get(key, ZERO) + min(grant.paid or ZERO, grant.amount_cny)
    in_notice: dict[str, Decimal] = {}
    pipeline: dict[str, Decimal] = {}
    if year == today.year:  # what is on its way now, to be charged to the year it is granted
        in_notice = _by_payer(Notice.objects.filter(application__state=State.IN_NOTICE, withdrawn_at__isnull=True)
                              .values("payer", "amount_cny"), "payer", "amount_cny")
        pipeline = _by_payer(Application.objects.filter(state__in=UNDECIDED, estimated_amount_cny__gt=0)
                             .values("jurisdiction").annotate(total=Sum("estimated_amount_cny")),
                             "jurisdiction", "total")
    return [PayerFigures(payer=p, name=payer_name(p), year=year, budget=budgets.get(p),
                         paid=paid.get(p, ZERO), committed=granted.get(p, ZERO) - paid.get(p, ZERO),
                         in_notice=in_notice.get(p, ZERO), pipeline=pipeline.get(p, ZERO))
            for p in PAYERS]


def payer_figures(payer: str, year: int, today: dt.date) -> PayerFigures:
    return next(f for f in fund_pool(year, today) if f.payer == payer)


def monthly(year: int) -> list[dict]:
    """Approvals (count and amount granted) and payments (amount) per month of `year`."""
    approvals = {r["month"]: r for r in Grant.objects.filter(granted_at__year=year)
                 .annotate(month=ExtractMonth("granted_at")).values("month").annotate(total=Sum("amount_cny"))}
    counts = {r["month"]: r["n"] for r in Application.objects.filter(state=State.APPROVED, decided_at__year=year)
              .annotate(month=ExtractMonth("decided_at")).values("month").annotate(n=Count("pk"))}
    payments = {r["month"]: r["total"] for r in Payment.objects.filter(paid_on__year=year)
                .annotate(month=ExtractMonth("paid_on")).values("month").annotate(total=Sum("amount_cny"))}
    return [{"month": m, "approvals": counts.get(m, 0),
             "granted": (approvals[m]["total"] if m in approvals else ZERO),
             "paid": payments.get(m) or ZERO} for m in range(1, 13)]
