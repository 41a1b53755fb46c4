"""Payments (拨付) and budgets (DESIGN §11): who may, never above the amount, the figures to the cent."""

import json
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse

from applications.models import Application
from audit.models import AuditEntry
from funds.models import Payment
from review import services as review_services
from tests.personas import auth, city_admin, finance_officer, other_enterprise, reviewer, submitted

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]


def post(client, path, user=None, body=None, method="post"):
    return getattr(client, method)(path, json.dumps(body or {}), content_type="application/json",
                                   **(auth(user) if user else {}))


def problem(r, status):
    assert r.status_code == status, r.content
    assert r["Content-Type"] == "application/problem+json"
    return r.json()


def approved(user, park, **project):
    app = submitted(user, **project)
    review_services.application_approve(application_id=app.pk, reviewer=park)
    return Application.objects.get(pk=app.pk)


def pay(client, app, user, amount, paid_on="2025-03-01", reference="海财拨〔2025〕1号"):
    return post(client, f"/api/v1/applications/{app.pk}/payments", user,
                {"amount_cny": amount, "paid_on": paid_on, "reference": reference})


def test_it_records_payments_up_to_the_amount_and_tells_the_enterprise(
        client, alice, park, finance, django_capture_on_commit_callbacks):
    app = approved(alice, park)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        first = pay(client, app, finance, "600000.00", reference="海财拨〔2025〕1号")
    assert first.status_code == 201, first.content
    assert (first.json()["status"], first.json()["paid_cny"], first.json()["unpaid_cny"]) == (
        "partly_paid", "600000.00", "400000.00")
    assert len(mail.outbox) == 1 and "600000.00" in mail.outbox[0].body
    errors = problem(pay(client, app, finance, "400000.01"), 400)["errors"]
    assert [(e["field"], e["code"]) for e in errors] == [("amount_cny", "above_unpaid")]
    assert pay(client, app, finance, 400000).json()["status"] == "paid"
    seen = client.get(f"/api/v1/applications/{app.pk}/payments", **auth(alice)).json()
    assert [p["amount_cny"] for p in seen["payments"]] == ["600000.00", "400000.00"]
    assert client.get(f"/api/v1/applications/{app.pk}", **auth(alice)).json()["payments"]["status"] == "paid"
    problem(pay(client, app, finance, "0.01"), 400)
    notes = list(AuditEntry.objects.filter(action="payment").order_by("pk").values_list("note_params", flat=True))
    assert [n["total"] for n in notes] == ["600000.00", "1000000.00"]


def test_it_names_each_bad_field_of_a_payment(client, alice, park, finance):
    app = approved(alice, park)
    errors = problem(pay(client, app, finance, "0", paid_on="2025-03-02", reference=" "), 400)["errors"]
    assert {(e["field"], e["code"]) for e in errors} == {
        ("amount_cny", "not_positive"), ("paid_on", "in_the_future"), ("reference", "blank")}
    assert all(e["message"] for e in errors)
    errors = problem(pay(client, app, finance, "-1.001", paid_on="2025-02-30"), 400)["errors"]
    assert {e["field"] for e in errors} == {"amount_cny", "paid_on"}
    assert problem(pay(client, app, finance, "1", paid_on="2025-02-30"), 400)["errors"][0]["code"] == "invalid_date"
    assert problem(pay(client, app, finance, "1", paid_on="2025-02-28"), 400)["errors"][0]["code"] == \
        "before_determination"
    r = post(client, f"/api/v1/applications/{app.pk}/payments", finance, {"amount_cny": "1"})
    assert {e["field"] for e in problem(r, 400)["errors"]} == {"paid_on", "reference"}
    assert Payment.objects.count() == 0


def test_it_applies_the_permission_matrix_to_payments(client, alice, park, finance):
    app = approved(alice, park)
    path = f"/api/v1/applications/{app.pk}/payments"
    problem(pay(client, app, None, "1"), 401)
    problem(client.get(path), 401)
    for user in (alice, park, city_admin()):  # may see the application, may not pay
        problem(pay(client, app, user, "1"), 403)
        assert client.get(path, **auth(user)).status_code == 200
    for user in (other_enterprise(), reviewer("630225"), finance_officer("630225")):
        problem(pay(client, app, user, "1"), 404)
        problem(client.get(path, **auth(user)), 404)
    pending = submitted(alice, code="2407-630202-04-01-000001")
    assert problem(pay(client, pending, finance, "1"), 409)["code"] == "not_granted"  # its jurisdiction's
    problem(client.get(f"/api/v1/applications/{pending.pk}/payments", **auth(finance)), 404)
    assert Payment.objects.count() == 0


@pytest.mark.parametrize("action", ["claim", "release", "return", "propose", "approve", "reject"])
def test_it_never_lets_finance_review(client, alice, finance, action):
    app = submitted(alice)
    problem(post(client, f"/api/v1/applications/{app.pk}/{action}", finance, {"note": "x"}), 403)
    problem(client.get("/api/v1/review/queue", **auth(finance)), 403)
    assert Application.objects.get(pk=app.pk).state == "submitted"


def test_it_lists_only_granted_applications_to_finance(client, alice, park, finance):
    granted = approved(alice, park)
    submitted(alice, code="2407-630202-04-01-000001")
    listed = client.get("/api/v1/applications", **auth(finance)).json()["results"]
    assert [a["id"] for a in listed] == [granted.pk]


def test_it_sets_budgets_and_reports_the_fund_pool_to_the_cent(client, alice, park, finance, frozen_now, settings):
    admin = city_admin()
    r = post(client, "/api/v1/budgets/park/2025", admin, {"amount_cny": "3500000.50"}, method="put")
    assert r.status_code == 200, r.content
    assert r.json()["budget_cny"] == "3500000.50" and r.json()["remaining_cny"] == "3500000.50"
    # Two grants of 1,000,000 and 2,000,000 approved; 600,000.25 paid on the first.
    first = approved(alice, park)
    approved(alice, park, equipment_investment_cny="600000000.00", code="2407-630202-04-01-000001")
    assert pay(client, first, finance, "600000.25").status_code == 201
    # One in notice (1,000,000) and one in the queue (estimated 2,000,000).
    settings.PUBLIC_NOTICE_WORKING_DAYS = 5
    noticed = submitted(alice, code="2407-630202-04-01-000002")
    notice = review_services.application_propose(application_id=noticed.pk, reviewer=park)
    assert notice.over_budget is True  # 3,500,000.50 − 3,000,000 = 500,000.50 left: a warning only
    assert AuditEntry.objects.filter(note_code="notice_opened_over_budget", note_params__remaining="500000.50").exists()
    submitted(alice, equipment_investment_cny="700000000.00", code="2407-630202-04-01-000003")
    body = client.get("/api/v1/budgets", {"year": "2025"}, **auth(admin)).json()
    park_row = next(r for r in body["results"] if r["payer"] == "park")
    assert park_row == {"payer": "park", "name": "海东工业园区管理委员会", "year": 2025, "budget_cny": "3500000.50",
                        "paid_cny": "600000.25", "committed_cny": "2399999.75", "in_notice_cny": "1000000.00",
                        "pipeline_cny": "2000000.00", "remaining_cny": "500000.50"}
    county = next(r for r in body["results"] if r["payer"] == "630202")
    assert county["budget_cny"] is None and county["remaining_cny"] is None and county["paid_cny"] == "0.00"
    assert len(body["results"]) == 7
    last_year = client.get("/api/v1/budgets", {"year": "2024"}, **auth(admin)).json()["results"][0]
    assert (last_year["committed_cny"], last_year["pipeline_cny"]) == ("0.00", "0.00")


def test_it_refuses_budgets_to_all_but_city_admins_and_names_bad_input(client, alice, park, finance):
    admin = city_admin()
    for user in (alice, park, finance):
        problem(post(client, "/api/v1/budgets/park/2025", user, {"amount_cny": "1"}, method="put"), 403)
        problem(client.get("/api/v1/budgets", **auth(user)), 403)
    problem(post(client, "/api/v1/budgets/park/2025", None, {"amount_cny": "1"}, method="put"), 401)
    problem(post(client, "/api/v1/budgets/nowhere/2025", admin, {"amount_cny": "1"}, method="put"), 404)
    assert problem(post(client, "/api/v1/budgets/park/1999", admin, {"amount_cny": "1"}, method="put"),
                   400)["errors"][0]["field"] == "year"
    assert problem(post(client, "/api/v1/budgets/park/2025", admin, {"amount_cny": "-1"}, method="put"),
                   400)["errors"][0]["field"] == "amount_cny"
    assert problem(client.get("/api/v1/budgets", {"year": "abc"}, **auth(admin)), 400)["errors"][0]["field"] == "year"
    assert Decimal(client.get("/api/v1/budgets", **auth(admin)).json()["results"][0]["paid_cny"]) == 0


def test_it_checks_who_may_pay_before_reading_the_body(client, alice, park, finance):
    app = approved(alice, park)
    draft = submitted(alice, code="2407-630202-04-01-000009")
    Application.objects.filter(pk=draft.pk).update(state="draft", submitted_at=None)
    path = f"/api/v1/applications/{app.pk}/payments"
    problem(post(client, path, park, {"amount_cny": "x"}), 403)
    problem(post(client, path, finance_officer("630225"), {"amount_cny": "x"}), 404)
    problem(post(client, f"/api/v1/applications/{draft.pk}/payments", finance, {}), 404)
    problem(post(client, f"/api/v1/applications/{draft.pk}/claim", finance), 404)  # drafts: unseen


@pytest.mark.parametrize("year", ["²⁰²⁵", "٢٠٢٥", "99999999999999999999", "-1"])
def test_it_reads_only_ascii_years_and_never_fails_on_others(client, year):
    admin = city_admin()
    assert problem(client.get("/api/v1/budgets", {"year": year}, **auth(admin)), 400)["errors"][0]["field"] == "year"
    client.force_login(admin)
    for name in ("budgets", "fund-pool-csv", "fund-pool-chart", "monthly-chart", "review-overview"):
        assert client.get(reverse(name), {"year": year}).status_code == 200, name


def test_it_gives_finance_only_what_it_pays_on_the_endpoints_that_were_there_before(client, alice, park, finance):
    granted = approved(alice, park)
    queued = submitted(alice, code="2407-630202-04-01-000007")
    base = "/api/v1/applications"
    assert client.get(f"{base}/{granted.pk}", **auth(finance)).status_code == 200
    assert client.get(f"{base}/{granted.pk}/determination.pdf", **auth(finance)).status_code == 200
    problem(client.get(f"{base}/{queued.pk}", **auth(finance)), 404)
    problem(post(client, base, finance, {"enterprise": {}}), 403)  # filing is for enterprises
    problem(post(client, f"{base}/{granted.pk}", finance, {}, method="patch"), 403)
    # The enterprise's actions: 403 on what finance may see (the grant), 404 on what it may not.
    problem(post(client, f"{base}/{granted.pk}/submit", finance, {"declaration": True}), 403)
    problem(post(client, f"{base}/{queued.pk}/submit", finance, {"declaration": True}), 404)
    problem(post(client, f"{base}/{queued.pk}/withdraw", finance), 404)
    problem(client.post(f"{base}/{queued.pk}/attachments", {"kind": "business_license"}, **auth(finance)), 404)
    problem(post(client, "/api/v1/budgets/park/2025", finance, {"amount_cny": "1"}, method="put"), 403)
    assert Application.objects.get(pk=queued.pk).state == "submitted"
