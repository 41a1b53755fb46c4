"""Pages of the fund pool: the finance officer's payments (拨付), the city admin's budgets, and the
overview's charts and CSV. Thin views: reads through funds.selectors, writes through funds.services."""

from __future__ import annotations

import csv
import datetime as dt
import io

from django.contrib import messages as notices
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_safe

from applications.selectors import application_get
from eligibility.presentation import figures
from funds import charts, presentation, selectors, services
from funds.forms import BudgetForm, PaymentForm
from kernel.errors import Invalid
from kernel.pages import domain_errors, invalid_into
from measures import messages
from measures.facts import FactsError, parse_money

refusals = domain_errors("payment-detail", gettext_lazy(
    "Not possible in the current state: application no. %(id)s is %(state)s. Nothing was changed."))


def _lang(request: HttpRequest) -> str:
    return messages.language(getattr(request, "LANGUAGE_CODE", None))


def _year(request: HttpRequest, today: dt.date) -> int:
    """The year asked for, or this year when none (or none that budgets have) is asked for."""
    return services.budget_year(request.GET.get("year")) or today.year


def _require(request: HttpRequest, allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


# --- payments (finance officers) ------------------------------------------------------------------

@login_required
@require_safe
def payment_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    _require(request, user.is_finance, _("Only finance officers record payments."))
    lang = _lang(request)
    rows = [{**row, "amount_figures": figures(row["amount"]), "paid_figures": figures(row["paid"]),
             "unpaid_figures": figures(row["unpaid"]), "status_label": presentation.status_label(row["status"], lang),
             "url": reverse("payment-detail", args=[row["application"].pk])}
            for row in selectors.finance_queue(user)]
    ctx = {"page": "payments", "rows": rows, "payer": presentation.payer_label(user.jurisdiction, lang)}
    return render(request, "funds/payments.html", ctx)


def _payment_page(request: HttpRequest, application, form: PaymentForm | None = None, status: int = 200):
    lang = _lang(request)
    payments = selectors.payments_of(application)
    unpaid = figures(payments.unpaid)
    ctx = {"page": "payments", "application": application, "determination": application.determination,
           **presentation.payments_context(payments, lang),
           "form": form or PaymentForm(unpaid=unpaid), "can_pay": payments.unpaid > 0}
    return render(request, "funds/payment.html", ctx, status=status)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
@refusals
def payment_detail(request: HttpRequest, application_id: int) -> HttpResponse:
    """One grant's payments, and the form to record one (finance officers of its jurisdiction)."""
    _require(request, request.user.is_finance, _("Only finance officers record payments."))
    application = application_get(request.user, application_id)
    if request.method != "POST":
        return _payment_page(request, application)
    payments = selectors.payments_of(application)
    form = PaymentForm(request.POST, unpaid=figures(payments.unpaid))
    if form.is_valid():
        with invalid_into(form, _lang(request)):
            data = form.cleaned_data
            errors, amount, paid_on = [], None, None
            try:
                amount = parse_money(data["amount_cny"].replace(",", "").replace("，", "").strip(), "amount_cny")
            except FactsError as exc:
                errors += exc.errors
            try:
                paid_on = dt.date.fromisoformat(data["paid_on"].strip())
            except ValueError:
                errors.append({"field": "paid_on", "code": "invalid_date"})
            if errors:  # with the reference's, so that every field is named at once
                raise Invalid(errors + services.reference_errors(data["reference"]), "invalid payment")
            services.payment_record(application_id=application.pk, user=request.user, amount=amount,
                                    paid_on=paid_on, reference=data["reference"])
            notices.success(request, _("Payment of %(amount)s recorded; the enterprise has been told.") % {
                "amount": figures(amount)})
            return redirect("payment-detail", application.pk)
    return _payment_page(request, application, form, status=400)


# --- budgets and the fund pool (city admins) ------------------------------------------------------

def _city_admin(request: HttpRequest) -> None:
    _require(request, request.user.is_city_admin, _("Only city administrators see and set budgets."))


def _pool_request(request: HttpRequest) -> tuple[str, dt.date, int]:
    """A city admin's request about the fund pool: (language, today, the year asked for)."""
    _city_admin(request)
    today = timezone.localdate()
    return _lang(request), today, _year(request, today)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def budgets(request: HttpRequest) -> HttpResponse:
    """The year's budget per payer, set on one form, beside the fund pool's figures."""
    _city_admin(request)
    lang = _lang(request)
    today = timezone.localdate()
    if request.method == "POST" and request.GET.get("year") and not services.budget_year(request.GET["year"]):
        notices.error(request, _("There is no budget year %(year)s: budgets are set for %(first)s to %(last)s. "
                                 "Nothing was changed.") % {"year": request.GET["year"][:10],
                                                            "first": services.BUDGET_YEARS[0],
                                                            "last": services.BUDGET_YEARS[-1]})
        return redirect("budgets")
    year = _year(request, today)
    pool = selectors.fund_pool(year, today)
    payers = [(f.payer, presentation.payer_label(f.payer, lang), f"{f.budget:.2f}" if f.budget is not None else "")
              for f in pool]
    form = BudgetForm(request.POST if request.method == "POST" else None, payers=payers)
    if request.method == "POST" and form.is_valid():
        changed = 0
        for payer, _label, current in payers:
            raw = form.cleaned_data[payer].replace(",", "").replace("，", "").strip()
            if not raw or raw == current:
                continue
            try:
                services.budget_set(payer=payer, year=year, amount=parse_money(raw, "amount_cny"), user=request.user)
                changed += 1
            except (Invalid, FactsError) as exc:
                code = (exc.errors or [{"code": "invalid_format"}])[0]["code"]
                form.add_error(payer, messages.field_error("amount_cny", code, lang))
        if not form.errors:
            notices.success(request, _("Budgets for %(year)s saved (%(n)s changed).") % {"year": year, "n": changed})
            return redirect(reverse("budgets") + f"?year={year}")
    ctx = {"page": "budgets", "year": year, "years": list(services.BUDGET_YEARS), "form": form,
           "pool": presentation.pool_rows(pool, lang), "csv_url": reverse("fund-pool-csv") + f"?year={year}"}
    return render(request, "funds/budgets.html", ctx, status=400 if form.errors else 200)


@login_required
@require_safe
def fund_pool_csv(request: HttpRequest) -> HttpResponse:
    lang, today, year = _pool_request(request)
    out = io.StringIO()
    writer = csv.writer(out)
    labels = presentation.column_labels()
    writer.writerow([_("Year"), _("Payer code"), _("Payer"), *(f"{labels[c]} (CNY)" for c in presentation.COLUMNS)])
    for f in selectors.fund_pool(year, today):
        writer.writerow([year, f.payer, presentation.payer_label(f.payer, lang),
                         *("" if getattr(f, c) is None else f"{getattr(f, c):.2f}" for c in presentation.COLUMNS)])
    response = HttpResponse("\ufeff" + out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="fund-pool-{year}.csv"'
    return response


def _chart_response(svg: bytes) -> HttpResponse:
    response = HttpResponse(svg, content_type="image/svg+xml")
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_safe
def fund_pool_chart(request: HttpRequest) -> HttpResponse:
    lang, today, year = _pool_request(request)
    labels = presentation.column_labels()
    svg = charts.fund_pool_svg(selectors.fund_pool(year, today), {
        "series": [(c, labels[c]) for c in ("paid", "committed", "in_notice", "pipeline")],
        "budget": labels["budget"], "unit": _("10,000 CNY"),
        "payers": {p: presentation.payer_label(p, lang) for p in selectors.PAYERS}},
        _("Fund pool %(year)s by payer") % {"year": year})
    return _chart_response(svg)


@login_required
@require_safe
def monthly_chart(request: HttpRequest) -> HttpResponse:
    lang, _today, year = _pool_request(request)
    english = lang == "en"
    svg = charts.monthly_svg(selectors.monthly(year), {
        "granted": _("Granted by approvals"), "paid": _("Paid"), "unit": _("10,000 CNY"),
        "months": [dt.date(2000, m, 1).strftime("%b") if english else f"{m}月" for m in range(1, 13)]},
        _("Approvals and payments by month, %(year)s") % {"year": year})
    return _chart_response(svg)
