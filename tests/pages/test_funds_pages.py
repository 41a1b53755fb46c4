"""The funds pages: the finance officer's payments, the enterprise's view of them, the city admin's
budgets, the overview's fund pool with its charts and CSV."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from applications.models import Application
from funds.models import Budget, Payment
from review import services as review_services
from tests.personas import city_admin, finance_officer, reviewer, submitted

from .html import INLINE_SCRIPT, element

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]


def approved(user, park, **project):
    app = submitted(user, **project)
    review_services.application_approve(application_id=app.pk, reviewer=park)
    return Application.objects.get(pk=app.pk)


def test_it_lets_finance_record_payments_with_errors_beside_the_fields(client, alice, park, finance):
    app = approved(alice, park)
    client.force_login(finance)
    listing = client.get(reverse("payments")).content.decode()
    assert "未拨付" in element(listing, id=f"grant-{app.pk}")
    url = reverse("payment-detail", args=[app.pk])
    bad = client.post(url, {"amount_cny": "1000000.01", "paid_on": "2025-03-01", "reference": "凭证1"})
    assert bad.status_code == 400
    page = bad.content.decode()
    assert "超过尚未拨付的金额" in element(page, data_field="amount_cny") and 'value="1000000.01"' in page
    bad = client.post(url, {"amount_cny": "1", "paid_on": "2025-13-01", "reference": ""})
    page = bad.content.decode()
    assert "拨付日期" in element(page, data_field="paid_on") and "凭证号" in element(page, data_field="reference")
    client.post(url, {"amount_cny": "600,000.00", "paid_on": "2025-03-01", "reference": "海财拨〔2025〕1号"})
    client.post(url, {"amount_cny": "400000", "paid_on": "2025-03-01", "reference": "海财拨〔2025〕2号"})
    page = client.get(url).content.decode()
    assert "已拨付" in element(page, id="payment-status") and "fully-paid" in page
    assert Payment.objects.count() == 2
    client.force_login(alice)
    mine = client.get(reverse("application-detail", args=[app.pk])).content.decode()
    section = element(mine, id="payments")
    assert "已拨付" in section and "海财拨〔2025〕2号" in section and "1,000,000.00" in section


def test_it_keeps_everyone_but_finance_of_the_jurisdiction_out_of_payment_pages(client, alice, park):
    app = approved(alice, park)
    url = reverse("payment-detail", args=[app.pk])
    assert client.get(url).status_code == 302
    for user in (alice, park, city_admin()):
        client.force_login(user)
        assert client.get(reverse("payments")).status_code == 403
        assert client.post(url, {"amount_cny": "1"}).status_code == 403
    client.force_login(finance_officer("630225"))
    assert client.get(url).status_code == 404
    assert Payment.objects.count() == 0


def test_it_sets_budgets_on_a_page_and_shows_the_fund_pool(client, alice, park):
    approved(alice, park)
    admin = city_admin()
    client.force_login(admin)
    url = reverse("budgets") + "?year=2025"
    bad = client.post(url, {"park": "-5", "630202": "abc"})
    assert bad.status_code == 400
    page = bad.content.decode()
    assert "不能为负数" in element(page, data_field="park") and 'value="-5"' in page
    client.post(url, {"park": "3,000,000.00", "630202": ""})
    assert Budget.objects.get(payer="park", year=2025).amount_cny == 3_000_000
    assert not Budget.objects.filter(payer="630202").exists()
    page = client.get(url).content.decode()
    row = element(page, id="pool-park")
    assert "3,000,000.00" in row and "1,000,000.00" in row and "2,000,000.00" in row  # budget, committed, remaining
    export = client.get(reverse("fund-pool-csv") + "?year=2025")
    rows = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig"))))
    park_row = next(r for r in rows if r[1] == "park")
    assert park_row[3:] == ["3000000.00", "0.00", "1000000.00", "0.00", "0.00", "2000000.00"]


def test_it_draws_the_charts_with_the_same_figures_in_tables(client, alice, park):
    approved(alice, park)
    client.force_login(city_admin())
    page = client.get(reverse("review-overview") + "?year=2025").content.decode()
    assert not INLINE_SCRIPT.search(page)
    assert page.split("<title>")[1].split("</title>")[0].startswith("统计概览")
    assert page.count('id="funds"') == 1
    figure = element(page, id="fund-pool-figure")
    assert 'id="fund-pool-chart" src="/budgets/charts/fund-pool.svg?year=2025"' in figure and 'alt="' in figure
    assert "1,000,000.00" in element(page, id="pool-park")
    assert "1,000,000.00" in element(page, id="month-3")
    for name in ("fund-pool-chart", "monthly-chart"):
        svg = client.get(reverse(name) + "?year=2025")
        assert svg.status_code == 200 and svg["Content-Type"] == "image/svg+xml"
        assert b"<svg" in svg.content and b"<script" not in svg.content
    client.force_login(reviewer("630202", username="r2"))
    assert client.get(reverse("fund-pool-chart")).status_code == 403
    assert client.get(reverse("budgets")).status_code == 403


def test_it_shows_reviewers_the_payments_and_refuses_a_budget_year_that_does_not_exist(client, alice, park, finance):
    app = approved(alice, park)
    Payment.objects.create(application=app, amount_cny=600000, paid_on=app.determination.issued_on, reference="R1",
                           recorded_by=finance)
    client.force_login(park)
    assert "部分拨付" in element(client.get(reverse("review-application", args=[app.pk])).content.decode(),
                                 id="payment-status")
    client.force_login(city_admin())
    r = client.post(reverse("budgets") + "?year=1999", {"park": "1"}, follow=True)
    assert "1999" in r.content.decode() and not Budget.objects.exists()
