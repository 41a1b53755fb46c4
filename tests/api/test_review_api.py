"""The review API (DESIGN §8): the queue with its filters, claim/release/return/approve/reject, the
permission matrix, the audit entries and notices they leave."""

import json

import pytest
from django.core import mail

from applications.models import Application, Determination, Grant
from audit.models import AuditEntry
from filing import services
from inbox.models import Message
from jobs.models import JobFailure
from review import services as review_services
from tests.personas import (
    application_facts,
    auth,
    city_admin,
    other_enterprise,
    reviewer,
    submitted,
    upload,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]
QUEUE = "/api/v1/review/queue"


def act(client, app_id, action, user, body=None):
    return client.post(f"/api/v1/applications/{app_id}/{action}", json.dumps(body or {}),
                       content_type="application/json", **auth(user))


def problem(r, status):
    assert r.status_code == status, r.content
    assert r["Content-Type"] == "application/problem+json"
    return r.json()


def test_it_lists_the_jurisdictions_queue_oldest_first(client, alice, park, frozen_now):
    first = submitted(alice)
    frozen_now.shift(3600)
    second = submitted(alice, in_industrial_park=False)  # 乐都区, not the park's
    third = submitted(alice, equipment_investment_cny="600000000.00")
    body = client.get(QUEUE, **auth(park)).json()
    assert [r["id"] for r in body["results"]] == [first.pk, third.pk]
    row = body["results"][1]
    assert (row["tier"], row["estimated_amount_cny"], row["declared_investment_cny"]) == (2, "2000000.00",
                                                                                           "600000000.00")
    assert (row["working_days_waiting"], row["overdue"], row["claimed_by"]) == (0, False, None)
    everything = client.get(QUEUE, **auth(city_admin())).json()
    assert {r["id"] for r in everything["results"]} == {first.pk, second.pk, third.pk}


def test_it_filters_the_queue(client, alice, park, frozen_now):
    old = submitted(alice)
    frozen_now.shift(30 * 86400)  # 30 days later: the first one is overdue
    new = submitted(alice, equipment_investment_cny="600000000.00", code="2407-630202-04-01-000001")
    act(client, new.pk, "claim", park)

    def ids(**params):
        return [r["id"] for r in client.get(QUEUE, params, **auth(park)).json()["results"]]

    assert ids(overdue="true") == [old.pk] and ids(overdue="false") == [new.pk]
    assert ids(tier=2) == [new.pk] and ids(tier=1) == [old.pk]
    assert ids(status="in_review") == [new.pk]
    assert ids(q="2407-630202") == [new.pk] and ids(q="青海示例") == [old.pk, new.pk]
    assert ids(q=alice.enterprise.credit_code[:10]) == [old.pk, new.pk]
    assert ids(submitted_from="2025-03-15") == [new.pk] and ids(submitted_to="2025-03-01") == [old.pk]
    assert ids(county="630202") == [old.pk, new.pk]
    body = problem(client.get(QUEUE, {"tier": 7, "submitted_from": "yesterday"}, **auth(park)), 400)
    assert {e["field"] for e in body["errors"]} == {"tier", "submitted_from"}


@pytest.mark.parametrize("few", [100, 0])  # the enterprises' keys in the query, or their subquery
def test_it_searches_names_within_and_short_terms_from_their_start(client, alice, park, few, monkeypatch):
    monkeypatch.setattr("review.selectors.FEW_ENTERPRISES", few)
    app = submitted(alice)  # 青海示例算力科技有限公司

    def ids(q):
        return [r["id"] for r in client.get(QUEUE, {"q": q}, **auth(park)).json()["results"]]

    assert ids("示例算力") == [app.pk] and ids("算力科技") == [app.pk]  # 3+ characters: anywhere in the name
    assert ids("青海") == [app.pk] and ids("青") == [app.pk]  # 1-2 characters: from the name's start
    assert ids("示例") == [] and ids("科技有限公司X") == []
    assert ids("2406-630202") == [app.pk] and ids("630202") == []  # codes: from their start


def test_it_counts_a_long_queue_only_up_to_the_cap_and_says_so(client, alice, park, monkeypatch):
    from kernel import pagination

    monkeypatch.setattr(pagination, "COUNT_CAP", 3)
    monkeypatch.setattr(pagination.CappedPagination, "page_size", 2)
    apps = [submitted(alice, code=f"2406-630202-04-01-00010{i}") for i in range(5)]
    first = client.get(QUEUE, **auth(park))
    body = first.json()
    assert first["X-Count-Exact"] == "false" and body["count"] == 4  # at least 4: counting stopped there
    assert [r["id"] for r in body["results"]] == [a.pk for a in apps[:2]] and "page=2" in body["next"]
    deep = client.get(QUEUE, {"page": 3}, **auth(park))  # counted up to the page asked for: now exact
    assert deep["X-Count-Exact"] == "true" and deep.json()["count"] == 5
    assert [r["id"] for r in deep.json()["results"]] == [apps[4].pk] and deep.json()["next"] is None
    middle = client.get(QUEUE, {"page": 2}, **auth(park)).json()
    assert [r["id"] for r in middle["results"]] == [a.pk for a in apps[2:4]] and "page=3" in middle["next"]
    assert client.get(QUEUE, {"page": 4}, **auth(park)).status_code == 404


def test_it_refuses_a_nul_character_in_the_free_text_filters(client, park):
    # PostgreSQL cannot take NUL in a query: this was a 500 there (found probing inputs while fuzzing).
    for name in ("q", "jurisdiction"):
        body = problem(client.get(QUEUE, {name: "a\x00b"}, **auth(park)), 400)
        assert [(e["field"], e["code"]) for e in body["errors"]] == [(name, "invalid_format")]
    body = problem(client.get(QUEUE, {"q": "a\x00b"}, **auth(city_admin())), 400)
    assert body["errors"][0]["field"] == "q"


def test_it_keeps_the_queue_to_a_constant_number_of_queries(client, alice, park, django_assert_max_num_queries):
    for i in range(3):
        submitted(alice, code=f"2406-630202-04-01-00000{i}")
    headers = auth(park)
    with django_assert_max_num_queries(6):
        small = client.get(QUEUE, **headers)
    for i in range(3, 25):
        submitted(alice, code=f"2406-630202-04-01-0000{i:02d}")
    with django_assert_max_num_queries(6):
        large = client.get(QUEUE, **headers)
    assert len(small.json()["results"]) == 3 and len(large.json()["results"]) == 20


def test_it_refuses_the_queue_to_enterprises_and_anonymous(client, alice):
    problem(client.get(QUEUE, **auth(alice)), 403)
    problem(client.get(QUEUE), 401)


@pytest.mark.parametrize("action", ["claim", "release", "return", "approve", "reject"])
def test_it_applies_the_permission_matrix_to_every_action(client, alice, action):
    app = submitted(alice)
    body = {"note": "请补充"}
    problem(client.post(f"/api/v1/applications/{app.pk}/{action}", "{}", content_type="application/json"), 401)
    problem(act(client, app.pk, action, other_enterprise(), body), 404)
    problem(act(client, app.pk, action, reviewer("630225"), body), 404)
    problem(act(client, app.pk, action, alice, body), 403)
    assert Application.objects.get(pk=app.pk).state == "submitted"


def test_it_claims_releases_returns_and_refuses_what_the_state_forbids(client, alice, park):
    app = submitted(alice)
    problem(act(client, app.pk, "release", park), 409)
    claimed = act(client, app.pk, "claim", park)
    assert claimed.status_code == 200 and claimed.json()["status"] == "in_review"
    problem(act(client, app.pk, "claim", park), 409)
    assert act(client, app.pk, "release", park).json()["status"] == "submitted"
    assert problem(act(client, app.pk, "return", park, {"note": " "}), 400)["errors"][0]["field"] == "note"
    returned = act(client, app.pk, "return", park, {"note": "请补充设备发票"})
    assert returned.json()["status"] == "returned"
    problem(act(client, app.pk, "approve", park), 409)
    assert [t.to_state for t in app.history.all()] == ["draft", "submitted", "in_review", "submitted", "returned"]
    transitions = AuditEntry.objects.filter(application=app, action="transition").order_by("pk")
    assert [(e.from_state, e.to_state) for e in transitions] == [
        ("", "draft"), ("draft", "submitted"), ("submitted", "in_review"), ("in_review", "submitted"),
        ("submitted", "returned")]
    assert [e.actor_name for e in transitions][-3:] == ["reviewer_park"] * 3


def test_it_approves_with_a_determination_and_a_grant(client, alice, park, django_capture_on_commit_callbacks):
    app = submitted(alice, equipment_investment_cny="600000000.00")
    problem(act(client, app.pk, "approve", park, {"recognized_investment_cny": "600000000.01"}), 400)
    problem(act(client, app.pk, "approve", park, {"recognized_investment_cny": 1.5}), 400)
    with django_capture_on_commit_callbacks(execute=True):
        r = act(client, app.pk, "approve", park, {"recognized_investment_cny": "450000000.00", "note": "核减"})
    assert r.status_code == 200, r.content
    determination = r.json()["determination"]
    assert r.json()["status"] == "approved"
    assert determination["number"] == "东园补决〔2025〕1号" and determination["decision"] == "approved"
    assert determination["amount_cny"] == "1000000.00" and len(determination["verification_code"]) == 19
    assert Grant.objects.get().amount_cny == 1_000_000
    assert AuditEntry.objects.filter(application=app, action="determination", note_code="determination_issued",
                                     note_params__number="东园补决〔2025〕1号").exists()
    assert len(mail.outbox) == 1 and "approved" in mail.outbox[0].subject
    assert f"/applications/{app.pk}/" in mail.outbox[0].body
    detail = client.get(f"/api/v1/applications/{app.pk}", **auth(alice)).json()
    assert detail["determination"]["number"] == "东园补决〔2025〕1号"
    assert detail["evaluations"][-1]["recognized_investment_cny"] == "450000000.00"


def test_it_rejects_with_a_determination_numbered_in_the_same_series(client, alice, park,
                                                                     django_capture_on_commit_callbacks):
    first, second = submitted(alice), submitted(alice)
    act(client, first.pk, "approve", park)
    problem(act(client, second.pk, "reject", park, {}), 400)
    with django_capture_on_commit_callbacks(execute=True):
        r = act(client, second.pk, "reject", park, {"note": "不符合条件"})
    assert r.json()["determination"]["number"] == "东园补决〔2025〕2号"
    assert r.json()["determination"]["amount_cny"] is None
    assert "rejected" in mail.outbox[-1].subject and "不符合条件" in mail.outbox[-1].body


def test_it_numbers_per_authority(client, alice, park):
    act(client, submitted(alice).pk, "approve", park)
    ledu = submitted(alice, in_industrial_park=False, code="2406-630202-04-01-999999")
    act(client, ledu.pk, "approve", reviewer("630202"))
    assert sorted(Determination.objects.values_list("number", flat=True)) == ["东园补决〔2025〕1号", "乐补决〔2025〕1号"]


def test_it_does_not_undo_a_decision_when_the_mail_fails(client, alice, park, monkeypatch,
                                                         django_capture_on_commit_callbacks):
    def broken(*args, **kwargs):
        raise ConnectionRefusedError("smtp down")

    monkeypatch.setattr("inbox.tasks.send_mail", broken)
    app = submitted(alice)
    with django_capture_on_commit_callbacks(execute=True):
        r = act(client, app.pk, "return", park, {"note": "请补充"})
    assert r.status_code == 200
    assert Application.objects.get(pk=app.pk).state == "returned"
    message = Message.objects.get(enterprise=app.enterprise)  # the message stands, not mailed
    assert (message.kind, message.title, message.mailed_at) == ("status", "您的申请已退回修改", None)
    failure = JobFailure.objects.get()  # retried, then written down for the operators
    assert failure.task == "inbox.tasks.mail_messages" and failure.arguments[0] == [message.pk]
    assert "smtp down" in failure.error


def test_it_leaves_no_number_when_a_decision_fails(client, alice, park, monkeypatch):
    app = submitted(alice)

    def fail(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr("review.services.notify_enterprise", fail)
    with pytest.raises(RuntimeError):
        review_services.application_approve(application_id=app.pk, reviewer=park)
    assert not Determination.objects.exists() and not Grant.objects.exists()
    assert Application.objects.get(pk=app.pk).state == "submitted"
    monkeypatch.undo()
    review_services.application_approve(application_id=app.pk, reviewer=park)
    assert Determination.objects.get().number == "东园补决〔2025〕1号"  # no gap


def test_it_records_attachment_changes_and_failed_logins(client, alice):
    app = services.application_create(user=alice, facts=application_facts())
    services.attachment_add(application_id=app.pk, user=alice, kind="business_license", upload=upload("a.pdf"))
    services.attachment_add(application_id=app.pk, user=alice, kind="business_license", upload=upload("b.pdf"))
    notes = list(AuditEntry.objects.filter(action="attachment").order_by("pk").values_list("note_code", flat=True))
    assert notes == ["attachment_added", "attachment_replaced"]
    client.post("/api/v1/auth/token", json.dumps({"username": "applicant", "password": "nope"}),
                content_type="application/json", REMOTE_ADDR="192.0.2.77")
    failed = AuditEntry.objects.get(action="login_failed")
    assert (failed.actor_name, failed.client_address) == ("applicant", "192.0.2.77")


@pytest.mark.parametrize("param", ["submitted_from", "submitted_to"])
@pytest.mark.parametrize("value", ["0001-01-01", "9999-12-31"])
def test_it_refuses_dates_at_the_ends_of_the_calendar(client, park, param, value):
    # Found by the fuzzer: such a date cannot become an instant in the database (it was a 500).
    body = problem(client.get(QUEUE, {param: value}, **auth(park)), 400)
    assert [(e["field"], e["code"]) for e in body["errors"]] == [(param, "out_of_range")]
