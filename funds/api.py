"""Payments and budgets API (DESIGN §11). Thin views over funds.services and funds.selectors."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from applications import transitions
from applications.selectors import application_get
from funds import selectors, services
from funds.schemas import BudgetIn, BudgetOut, BudgetsOut, PaymentIn, PaymentsOut
from kernel.errors import Invalid, NotAllowed
from kernel.http import read_json
from kernel.problems import PROBLEMS
from measures.facts import FactsError, parse_money
from measures.serialize import money


def _object(request, allowed: tuple[str, ...], required: tuple[str, ...]) -> dict:
    body = read_json(request)
    if not isinstance(body, dict):
        raise Invalid([{"field": "body", "code": "not_an_object"}], "invalid body")
    errors = [{"field": str(k), "code": "unknown_field"} for k in body if k not in allowed]
    errors += [{"field": k, "code": "required"} for k in required if body.get(k) in (None, "")]
    if errors:
        raise Invalid(errors, "invalid body")
    return body


def parse_day(value, field: str) -> dt.date:
    try:
        if not isinstance(value, str) or len(value) != 10:
            raise ValueError
        return dt.date.fromisoformat(value)
    except ValueError:
        raise Invalid([{"field": field, "code": "invalid_date"}], "invalid date") from None


def payment_dict(payment) -> dict:
    return {"id": payment.pk, "amount_cny": money(payment.amount_cny), "paid_on": payment.paid_on.isoformat(),
            "reference": payment.reference, "recorded_at": timezone.localtime(payment.recorded_at).isoformat()}


def payments_dict(payments: selectors.Payments) -> dict:
    return {"amount_cny": money(payments.amount), "paid_cny": money(payments.paid),
            "unpaid_cny": money(payments.unpaid), "status": payments.status,
            "payments": [payment_dict(p) for p in payments.rows]}


class PaymentsView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(operation_id="payments_list", summary="Payments (拨付) of an application's grant",
                   description="Whoever may see the application: the enterprise, its reviewers, city admins, "
                               "and the finance officers of its jurisdiction once it is granted.",
                   responses={200: PaymentsOut, **PROBLEMS},
                   examples=[OpenApiExample("partly paid", response_only=True, value={
                       "amount_cny": "1000000.00", "paid_cny": "600000.00", "unpaid_cny": "400000.00",
                       "status": "partly_paid", "payments": [{
                           "id": 1, "amount_cny": "600000.00", "paid_on": "2025-11-20",
                           "reference": "海财拨〔2025〕118号", "recorded_at": "2025-11-20T15:02:11+08:00"}]})])
    def get(self, request, application_id: int):
        application = application_get(request.user, application_id)
        return Response(payments_dict(selectors.payments_of(application)))

    @extend_schema(operation_id="payments_record",
                   summary="Record a payment (finance officers of the jurisdiction)",
                   description="Only on an approved application with an amount; the payments never add up to "
                               "more than the determination's amount (400 naming `amount_cny`). The enterprise "
                               "is emailed.",
                   request=PaymentIn, responses={201: PaymentsOut, **PROBLEMS},
                   examples=[OpenApiExample("payment", request_only=True, value={
                       "amount_cny": "600000.00", "paid_on": "2025-11-20", "reference": "海财拨〔2025〕118号"})])
    def post(self, request, application_id: int):
        services.payment_allowed(transitions.existing(application_id), request.user)
        body = _object(request, ("amount_cny", "paid_on", "reference"), ("amount_cny", "paid_on", "reference"))
        errors = []
        try:
            amount = parse_money(body["amount_cny"], "amount_cny")
        except FactsError as exc:
            errors += exc.errors
        try:
            paid_on = parse_day(body["paid_on"], "paid_on")
        except Invalid as exc:
            errors += exc.errors
        if not isinstance(body["reference"], str):
            errors.append({"field": "reference", "code": "invalid_type"})
        if errors:
            raise Invalid(errors, "invalid payment")
        services.payment_record(application_id=application_id, user=request.user, amount=amount, paid_on=paid_on,
                                reference=body["reference"])
        application = application_get(request.user, application_id)
        return Response(payments_dict(selectors.payments_of(application)), status=201)


def budget_dict(f: selectors.PayerFigures) -> dict:
    return {"payer": f.payer, "name": f.name, "year": f.year, "budget_cny": money(f.budget),
            "paid_cny": money(f.paid), "committed_cny": money(f.committed), "in_notice_cny": money(f.in_notice),
            "pipeline_cny": money(f.pipeline), "remaining_cny": money(f.remaining)}


def _city_admin(request) -> None:
    if not request.user.is_city_admin:
        raise NotAllowed(_("Only city administrators see and set budgets."))


def budget_year(value, today: dt.date) -> int:
    if value in (None, ""):
        return today.year
    year = services.budget_year(str(value))
    if year is None:
        raise Invalid([{"field": "year", "code": "out_of_range"}], "invalid year")
    return year


class BudgetsView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(operation_id="budgets_list", summary="The fund pool per payer for a year (city admins)",
                   description="A grant is charged to the year of its determination. remaining = budget − paid − "
                               "committed; in notice and pipeline are shown beside it.",
                   parameters=[OpenApiParameter("year", int, description="Default: this year")],
                   responses={200: BudgetsOut, **PROBLEMS},
                   examples=[OpenApiExample("fund pool", response_only=True, value={"year": 2025, "results": [{
                       "payer": "park", "name": "海东工业园区管理委员会", "year": 2025, "budget_cny": "5000000.00",
                       "paid_cny": "1000000.00", "committed_cny": "2000000.00", "in_notice_cny": "1000000.00",
                       "pipeline_cny": "2000000.00", "remaining_cny": "2000000.00"}]})])
    def get(self, request):
        _city_admin(request)
        today = timezone.localdate()
        year = budget_year(request.query_params.get("year"), today)
        return Response({"year": year, "results": [budget_dict(f) for f in selectors.fund_pool(year, today)]})


class BudgetView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(operation_id="budgets_set", summary="Set a payer's annual budget (city admins)",
                   description="`payer`: park or a county code. A planning figure: proposing beyond it warns, "
                               "never refuses.",
                   request=BudgetIn, responses={200: BudgetOut, **PROBLEMS},
                   examples=[OpenApiExample("budget", request_only=True, value={"amount_cny": "5000000.00"})])
    def put(self, request, payer: str, year: int):
        _city_admin(request)
        body = _object(request, ("amount_cny",), ("amount_cny",))
        amount: Decimal = parse_money(body["amount_cny"], "amount_cny")
        services.budget_set(payer=payer, year=int(year), amount=amount, user=request.user)
        today = timezone.localdate()
        figures = next(f for f in selectors.fund_pool(int(year), today) if f.payer == payer)
        return Response(budget_dict(figures))
