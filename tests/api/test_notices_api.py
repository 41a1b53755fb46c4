"""公示 (DESIGN §11): propose, the notice period in working days, objections, approval after the
notice, withdrawal; the public list; the permission matrix of the new actions."""

import datetime as dt
import json
from contextlib import contextmanager

import pytest
import time_machine
from django.core import mail

from applications.models import Application, Notice, Objection
from audit.models import AuditEntry
from tests.personas import auth, city_admin, finance_officer, other_enterprise, reviewer, submitted

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now", "notices_on")]
SHANGHAI = dt.timezone(dt.timedelta(hours=8))


@contextmanager
def at(day: str, hour: int = 10):
    """The clock on that day; API tokens are issued afresh (they expire after API_TOKEN_TTL_HOURS)."""
    from rest_framework.authtoken.models import Token

    with time_machine.travel(dt.datetime.fromisoformat(day).replace(hour=hour, tzinfo=SHANGHAI), tick=False):
        Token.objects.all().delete()
        yield


def act(client, path, user=None, body=None):
    return client.post(path, json.dumps(body or {}), content_type="application/json", **(auth(user) if user else {}))


def app_action(client, app, action, user, body=None):
    return act(client, f"/api/v1/applications/{app.pk}/{action}", user, body)


def problem(r, status):
    assert r.status_code == status, r.content
    assert r["Content-Type"] == "application/problem+json"
    return r.json()


def object_to(client, notice_id, **changes):
    body = {"name": "张三", "contact": "zhangsan@example.com", "text": "设备投资额与实际不符。", **changes}
    return act(client, f"/api/v1/notices/{notice_id}/objections", None, body)


def test_it_notices_for_five_working_days_after_the_national_day_holiday(client, alice, park):
    with at("2025-09-26"):
        app = submitted(alice)
    with at("2025-09-30"):
        r = app_action(client, app, "propose", park, {"note": "经核查，投资额属实"})
        assert r.status_code == 200, r.content
        notice = r.json()["notice"]
        # 10-01…10-08 are the holiday; 10-11 (a Saturday) is worked in its place (调休).
        assert (notice["starts_on"], notice["ends_on"], notice["amount_cny"]) == ("2025-10-09", "2025-10-14",
                                                                                   "1000000.00")
        assert r.json()["status"] == "in_notice" and notice["over_budget"] is False
        assert Application.objects.get(pk=app.pk).claimed_by == park
    with at("2025-10-14", 23):
        assert problem(app_action(client, app, "approve", park), 409)["code"] == "notice_open"
    with at("2025-10-15"):
        r = app_action(client, app, "approve", park, {"note": "公示期满无异议"})
        assert r.status_code == 200, r.content
        assert r.json()["determination"]["amount_cny"] == "1000000.00"
    assert [t.to_state for t in app.history.all()][-2:] == ["in_notice", "approved"]
    assert app.evaluations.filter(kind="proposal").count() == 1


def test_it_refuses_to_approve_a_grant_without_a_notice_but_not_a_rejection(client, alice, park):
    app = submitted(alice)
    body = problem(app_action(client, app, "approve", park), 409)
    assert body["code"] == "notice_required"
    assert Application.objects.get(pk=app.pk).state == "submitted"
    assert app_action(client, app, "reject", park, {"note": "材料不全"}).json()["status"] == "rejected"


def test_it_approves_without_a_notice_when_there_is_no_grant(client, alice, park):
    app = submitted(alice, equipment_investment_cny="90000000.00")  # below 第4条's 100 million
    assert problem(app_action(client, app, "propose", park), 409)["code"] == "nothing_to_notice"
    r = app_action(client, app, "approve", park)
    assert r.status_code == 200 and r.json()["determination"]["amount_cny"] is None


def test_it_approves_directly_with_notices_off(client, alice, park, settings):
    settings.PUBLIC_NOTICE_WORKING_DAYS = 0
    app = submitted(alice)
    assert problem(app_action(client, app, "propose", park), 409)["code"] == "notices_disabled"
    assert app_action(client, app, "approve", park).json()["determination"]["amount_cny"] == "1000000.00"


def test_it_blocks_approval_until_an_objection_is_resolved_and_tells_the_objector(
        client, alice, park, django_capture_on_commit_callbacks):
    app = submitted(alice)
    notice_id = app_action(client, app, "propose", park).json()["notice"]["id"]  # 2025-03-03 to 03-07
    r = object_to(client, notice_id)
    assert r.status_code == 201, r.content
    objection = r.json()
    assert objection["status"] == "open" and objection["reference"].startswith("YY2025-")
    assert client.get(f"/api/v1/applications/{app.pk}", **auth(alice)).json()["notice"]["open_objections"] == 1
    with at("2025-03-10"):
        assert problem(app_action(client, app, "approve", park), 409)["code"] == "objection_unresolved"
        path = f"/api/v1/objections/{objection['id']}/resolve"
        errors = problem(act(client, path, park, {"outcome": "dismissed", "note": " "}), 400)["errors"]
        assert [e["field"] for e in errors] == ["note"]
        assert problem(act(client, path, park, {"outcome": "maybe", "note": "x"}), 400)["errors"][0]["field"] == \
            "outcome"
        with django_capture_on_commit_callbacks(execute=True):
            r = act(client, path, park, {"outcome": "dismissed", "note": "投资额有审计报告支撑，异议不成立"})
        assert r.status_code == 200 and r.json()["status"] == "dismissed"
        assert r.json()["application"]["status"] == "in_notice"
        assert [m.to for m in mail.outbox] == [["zhangsan@example.com"]]
        assert objection["reference"] in mail.outbox[0].body and "不成立" in mail.outbox[0].body
        problem(act(client, path, park, {"outcome": "upheld", "note": "again"}), 409)
        assert app_action(client, app, "approve", park).json()["status"] == "approved"
    assert AuditEntry.objects.filter(action="objection", note_code="objection_dismissed").count() == 1
    assert AuditEntry.objects.filter(action="objection", note_code="objection_received",
                                     actor__isnull=True).count() == 1


def test_it_returns_the_application_to_review_when_an_objection_is_upheld(
        client, alice, park, django_capture_on_commit_callbacks):
    app = submitted(alice)
    notice_id = app_action(client, app, "propose", park).json()["notice"]["id"]
    objection = object_to(client, notice_id, contact="13800000000").json()
    with django_capture_on_commit_callbacks(execute=True):
        r = act(client, f"/api/v1/objections/{objection['id']}/resolve", park,
                {"outcome": "upheld", "note": "设备发票与审计报告不一致"})
    assert r.json()["application"]["status"] == "in_review"
    assert Notice.objects.get(pk=notice_id).withdrawn_at is not None
    assert [m.to for m in mail.outbox] == [["applicant@example.com"]]  # no email to a phone-only objector
    assert "设备发票与审计报告不一致" in mail.outbox[0].body
    listed = client.get("/api/v1/notices", {"status": "withdrawn"}).json()["results"]
    assert [n["id"] for n in listed] == [notice_id]
    problem(object_to(client, notice_id), 409)
    # Reviewed again, it may be proposed again: a new notice.
    assert app_action(client, app, "propose", park).json()["notice"]["id"] != notice_id


def test_it_lets_a_reviewer_withdraw_a_proposal(client, alice, park):
    app = submitted(alice)
    notice_id = app_action(client, app, "propose", park).json()["notice"]["id"]
    problem(app_action(client, app, "withdraw-proposal", park, {"note": ""}), 400)
    r = app_action(client, app, "withdraw-proposal", park, {"note": "需补充审计报告"})
    assert r.status_code == 200 and r.json()["status"] == "in_review"
    assert (r.json()["notice"]["id"], r.json()["notice"]["status"]) == (notice_id, "withdrawn")
    assert AuditEntry.objects.filter(application=app, action="notice", note_code="notice_withdrawn").exists()
    problem(app_action(client, app, "withdraw-proposal", park, {"note": "again"}), 409)


def test_it_accepts_objections_only_while_the_notice_is_open(client, alice, park):
    app = submitted(alice)
    notice_id = app_action(client, app, "propose", park).json()["notice"]["id"]
    with at("2025-03-07", 23):
        assert object_to(client, notice_id).status_code == 201
    with at("2025-03-08"):
        assert problem(object_to(client, notice_id), 409)["code"] == "notice_not_open"
    problem(object_to(client, 999999), 404)


def test_it_names_each_bad_field_of_an_objection(client, alice, park):
    app = submitted(alice)
    notice_id = app_action(client, app, "propose", park).json()["notice"]["id"]
    errors = problem(object_to(client, notice_id, name=" ", text="x" * 2001, extra=1), 400)["errors"]
    assert {(e["field"], e["code"]) for e in errors} == {("extra", "unknown_field")}
    errors = problem(object_to(client, notice_id, name=" ", text="x" * 2001), 400)["errors"]
    assert {(e["field"], e["code"]) for e in errors} == {("objection.name", "blank"), ("objection.text", "too_long")}
    assert all(e["message"] for e in errors)
    assert Objection.objects.count() == 0


def test_it_throttles_objections_to_ten_an_hour_per_client(client, alice, park, frozen_now):
    app = submitted(alice)
    notice_id = app_action(client, app, "propose", park).json()["notice"]["id"]
    assert [object_to(client, notice_id).status_code for _ in range(10)] == [201] * 10
    r = object_to(client, notice_id)
    assert problem(r, 429) and int(r["Retry-After"]) > 0
    frozen_now.shift(3601)
    assert object_to(client, notice_id).status_code == 201


def test_it_lists_notices_publicly_open_first_without_credit_codes(client, alice, park):
    old = submitted(alice)
    old_notice = app_action(client, old, "propose", park).json()["notice"]["id"]
    with at("2025-03-11"):  # the first notice has closed
        new = submitted(alice, equipment_investment_cny="600000000.00", code="2407-630202-04-01-000001")
        new_notice = app_action(client, new, "propose", park).json()["notice"]["id"]
        body = client.get("/api/v1/notices").json()
    assert [(n["id"], n["status"]) for n in body["results"]] == [(new_notice, "open"), (old_notice, "closed")]
    first = body["results"][0]
    assert first["amount_cny"] == "2000000.00" and first["amount_capitals"] == "人民币贰佰万元整"
    assert first["enterprise_name"] == "青海示例算力科技有限公司" and first["payer"] == "park"
    raw = json.dumps(body, ensure_ascii=False)
    assert "91630202MA7ABCDE1Y" not in raw and "applicant@example.com" not in raw
    assert [n["id"] for n in client.get("/api/v1/notices", {"status": "closed"}).json()["results"]] == []
    assert client.get("/api/v1/notices", {"payer": "630202"}).json()["count"] == 0
    assert client.get("/api/v1/notices", {"year": "2025", "payer": "park"}).json()["count"] == 2
    errors = problem(client.get("/api/v1/notices", {"status": "sideways", "year": "x"}), 400)["errors"]
    assert {e["field"] for e in errors} == {"status", "year"}


@pytest.mark.parametrize("action", ["propose", "withdraw-proposal"])
def test_it_applies_the_permission_matrix_to_the_notice_actions(client, alice, action):
    app = submitted(alice)
    body = {"note": "说明"}
    problem(act(client, f"/api/v1/applications/{app.pk}/{action}", None, body), 401)
    problem(app_action(client, app, action, other_enterprise(), body), 404)
    problem(app_action(client, app, action, reviewer("630225"), body), 404)
    problem(app_action(client, app, action, finance_officer("630225"), body), 404)
    problem(app_action(client, app, action, alice, body), 403)
    problem(app_action(client, app, action, finance_officer("park"), body), 403)
    assert Application.objects.get(pk=app.pk).state == "submitted"


def test_it_applies_the_permission_matrix_to_resolving_objections(client, alice, park):
    app = submitted(alice)
    notice_id = app_action(client, app, "propose", park).json()["notice"]["id"]
    objection_id = object_to(client, notice_id).json()["id"]
    path = f"/api/v1/objections/{objection_id}/resolve"
    body = {"outcome": "dismissed", "note": "不成立"}
    problem(act(client, path, None, body), 401)
    for outsider in (other_enterprise(), reviewer("630225"), finance_officer("630225")):
        problem(act(client, path, outsider, body), 404)
    for insider in (alice, finance_officer("park")):  # may know of the application, never resolve
        problem(act(client, path, insider, body), 403)
    assert Objection.objects.get().status == "open"
    assert act(client, path, city_admin(), body).status_code == 200


def test_it_lists_notices_ending_today_and_overdue_ones_without_changing_anything(client, alice, park):
    from io import StringIO

    from django.core.management import call_command

    first = submitted(alice)
    app_action(client, first, "propose", park)  # 2025-03-03 to 03-07
    second = submitted(alice, code="2407-630202-04-01-000001")
    notice_id = app_action(client, second, "propose", park).json()["notice"]["id"]
    object_to(client, notice_id)
    out = StringIO()
    call_command("notices", "--date", "2025-03-07", stdout=out)
    assert "ending today (2025-03-07): 2" in out.getvalue() and "waiting for a decision: 0" in out.getvalue()
    out = StringIO()
    call_command("notices", "--date", "2025-03-10", stdout=out)
    text = out.getvalue()
    assert "ending today (2025-03-10): 0" in text and "waiting for a decision: 2" in text
    assert f"#{first.pk} " in text and "ready to issue" in text and "1 objection(s) unresolved" in text
    assert set(Application.objects.values_list("state", flat=True)) == {"in_notice"}


NEW_OPERATIONS = [
    ("post", "/api/v1/applications/{application_id}/propose"),
    ("post", "/api/v1/applications/{application_id}/withdraw-proposal"),
    ("post", "/api/v1/objections/{objection_id}/resolve"),
    ("get", "/api/v1/notices"),
    ("post", "/api/v1/notices/{notice_id}/objections"),
    ("get", "/api/v1/applications/{application_id}/payments"),
    ("post", "/api/v1/applications/{application_id}/payments"),
    ("get", "/api/v1/budgets"),
    ("put", "/api/v1/budgets/{payer}/{year}"),
]


@pytest.mark.parametrize(("method", "path"), NEW_OPERATIONS)
def test_it_documents_every_new_operation_with_an_example(client, method, path):
    schema = client.get("/api/v1/schema", {"format": "json"}).json()
    operation = schema["paths"][path][method]
    bodies = [operation.get("requestBody", {}).get("content", {}).get("application/json", {})]
    bodies += [r.get("content", {}).get("application/json", {}) for r in operation["responses"].values()]
    assert operation.get("summary") and any(b.get("examples") for b in bodies), (method, path)


def test_it_notices_one_application_per_project_at_a_time(client, alice, park):
    first, second = submitted(alice), submitted(alice)  # the same project code
    assert app_action(client, first, "propose", park).status_code == 200
    assert problem(app_action(client, second, "propose", park), 409)["code"] == "project_in_notice"


def test_it_does_not_count_the_notice_as_review_time(client, alice, park):
    app = submitted(alice)
    app_action(client, app, "propose", park)
    with at("2025-04-30"):  # long after the review deadline of 10 working days
        rows = client.get("/api/v1/review/queue", **auth(park)).json()["results"]
        assert [(r["id"], r["overdue"], r["ready_to_issue"]) for r in rows] == [(app.pk, False, True)]
        assert client.get("/api/v1/review/queue", {"overdue": "true"}, **auth(park)).json()["count"] == 0
        assert client.get("/api/v1/review/queue", {"overdue": "false"}, **auth(park)).json()["count"] == 1


def test_it_never_moves_a_decided_application_back_when_an_objection_is_upheld(client, alice, park):
    app = submitted(alice)
    notice_id = app_action(client, app, "propose", park).json()["notice"]["id"]
    with at("2025-03-10"):
        assert app_action(client, app, "approve", park).json()["status"] == "approved"
        # An objection that slipped in beside the approval (the locks now prevent it) is only recorded.
        late = Objection.objects.create(notice_id=notice_id, reference="YY2025-LATE01", name="x", contact="y",
                                        text="z")
        r = act(client, f"/api/v1/objections/{late.pk}/resolve", park, {"outcome": "upheld", "note": "迟到的异议"})
        assert r.status_code == 200 and r.json()["application"]["status"] == "approved"
    assert Notice.objects.get(pk=notice_id).withdrawn_at is None


def test_it_lists_objections_with_contacts_to_reviewers_only(client, alice, park):
    app = submitted(alice)
    notice_id = app_action(client, app, "propose", park).json()["notice"]["id"]
    reference = object_to(client, notice_id).json()["reference"]
    seen = client.get(f"/api/v1/applications/{app.pk}", **auth(park)).json()["objections"]
    assert [(o["reference"], o["contact"], o["status"]) for o in seen] == [(reference, "zhangsan@example.com", "open")]
    assert client.get(f"/api/v1/applications/{app.pk}", **auth(city_admin())).json()["objections"]
    owner = client.get(f"/api/v1/applications/{app.pk}", **auth(alice)).json()
    assert owner["objections"] is None and "zhangsan" not in json.dumps(owner)


def test_it_answers_a_bad_page_of_notices_with_400_naming_it(client):
    assert problem(client.get("/api/v1/notices", {"page": "9223372036854775807"}), 400)["errors"][0]["field"] == \
        "page"
    assert client.get("/notices/", {"page": "9223372036854775807"}).status_code == 400
