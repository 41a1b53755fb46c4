"""消息中心 (DESIGN §13): a decision becomes a message of the enterprise, stored with the decision and
mailed through the job queue after it commits; each enterprise sees only its own messages."""

from __future__ import annotations

import pytest
from django.core import mail

from inbox.models import Kind, Message
from inbox.services import message_send
from inbox.tasks import mail_messages
from review import services as review_services
from tests.personas import auth, other_enterprise, reviewer, submitted

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]


def send(enterprise, key: str = "", title=("标题", "Title")) -> Message | None:
    return message_send(enterprise=enterprise, kind=Kind.MATCH, title=title, body=("正文", "Body"),
                        link="/applications/", key=key)


def test_it_writes_a_status_message_with_the_decision_and_mails_it_after_commit(alice, park,
                                                                              django_capture_on_commit_callbacks):
    app = submitted(alice)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        review_services.application_return(application_id=app.pk, reviewer=park, note="请补充发票")
    message = Message.objects.get(enterprise=app.enterprise)
    assert (message.kind, message.title, message.title_en) == ("status", "您的申请已退回修改",
                                                               "Your application was returned for correction")
    assert "请补充发票" in message.body and message.link == f"/applications/{app.pk}/"
    assert mail.outbox == [] and message.mailed_at is None  # nothing goes before the commit
    for callback in callbacks:
        callback()
    message.refresh_from_db()
    assert message.mailed_at is not None
    assert [m.to for m in mail.outbox] == [[alice.email]] and "请补充发票" in mail.outbox[0].body


def test_it_mails_a_message_once_however_often_the_job_runs(alice, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        message = send(alice.enterprise)
    assert len(mail.outbox) == 1  # at commit, in this process (no broker configured)
    assert mail_messages([message.pk]) == 0  # delivered again (a worker died after sending): not mailed again
    assert len(mail.outbox) == 1


def test_it_sends_a_keyed_message_once(alice):
    assert send(alice.enterprise, key="expiry:2029-06-30:90") is not None
    assert send(alice.enterprise, key="expiry:2029-06-30:90") is None
    assert send(other_enterprise().enterprise, key="expiry:2029-06-30:90") is not None
    assert Message.objects.filter(key="expiry:2029-06-30:90").count() == 2


def test_it_lists_only_the_enterprises_own_messages_in_the_clients_language(client, alice):
    mine, theirs = send(alice.enterprise, title=("我的", "Mine")), send(other_enterprise().enterprise)
    body = client.get("/api/v1/messages", **auth(alice), HTTP_ACCEPT_LANGUAGE="en").json()
    assert body["count"] == 1
    assert body["results"] == [{"id": mine.pk, "kind": "match", "title": "Mine", "body": "Body",
                                "created_at": mine.created_at.isoformat(), "read": False,
                                "link": "/applications/"}]
    assert client.get("/api/v1/messages", **auth(alice)).json()["results"][0]["title"] == "我的"
    response = client.post(f"/api/v1/messages/{theirs.pk}/read", **auth(alice))
    assert response.status_code == 404 and response["Content-Type"] == "application/problem+json"
    assert Message.objects.get(pk=theirs.pk).read_at is None


def test_it_marks_messages_read_one_or_all(client, alice):
    first, second, third = send(alice.enterprise), send(alice.enterprise), send(alice.enterprise)
    response = client.post(f"/api/v1/messages/{first.pk}/read", **auth(alice))
    assert response.status_code == 200 and response.json()["read"] is True
    assert client.post("/api/v1/messages/read", **auth(alice)).json() == {"marked": 2}
    assert not Message.objects.filter(read_at__isnull=True).exists()
    assert {second.pk, third.pk} <= set(Message.objects.values_list("pk", flat=True))


def test_it_refuses_messages_to_other_roles_and_to_strangers(client):
    response = client.get("/api/v1/messages", **auth(reviewer("park")))
    assert response.status_code == 403 and response["Content-Type"] == "application/problem+json"
    assert client.get("/api/v1/messages").status_code == 401


def test_it_shows_the_unread_count_in_the_header_and_the_messages_page(client, alice):
    send(alice.enterprise, title=("您可申请第4条投资补助", "You may claim measure 4"))
    send(alice.enterprise)
    client.force_login(alice)
    page = client.get("/messages/").content.decode()
    assert "您可申请第4条投资补助" in page and 'class="badge"' in page and ">2</span>" in page
    client.post("/messages/read/")
    page = client.get("/messages/").content.decode()
    assert 'class="badge"' not in page


def test_it_opens_a_messages_link_and_marks_it_read(client, alice):
    message = send(alice.enterprise)
    client.force_login(alice)
    response = client.post(f"/messages/{message.pk}/read/", {"open": "1"})
    assert response.status_code == 302 and response["Location"] == "/applications/"
    message.refresh_from_db()
    assert message.read_at is not None
    other = send(other_enterprise().enterprise)
    assert client.post(f"/messages/{other.pk}/read/").status_code == 404


def test_it_does_not_retry_a_failing_mail_inside_the_request_and_sends_it_later(alice, monkeypatch,
                                                                                 django_capture_on_commit_callbacks):
    import datetime as dt

    import time_machine

    from inbox.tasks import mail_unsent
    from jobs.models import JobFailure

    calls = []

    def refused(*args, **kwargs):
        calls.append(1)
        raise ConnectionRefusedError("smtp down")

    monkeypatch.setattr("inbox.tasks.send_mail", refused)
    with django_capture_on_commit_callbacks(execute=True):
        message = send(alice.enterprise)
    assert len(calls) == 1 and JobFailure.objects.count() == 1  # no broker: one try, then written down
    monkeypatch.undo()
    assert mail_unsent() == 0  # not yet: it may still be on its way
    with time_machine.travel(dt.datetime(2025, 3, 1, 2, 30, tzinfo=dt.UTC), tick=False):
        assert mail_unsent() == 1
    message.refresh_from_db()
    assert message.mailed_at is not None and len(mail.outbox) == 1


def test_it_writes_a_payment_message_in_each_language(alice):
    from applications.notifications import notify_enterprise
    from tests.personas import submitted

    app = submitted(alice)
    notify_enterprise(app, "paid", detail=("本次拨付 1.00 元", "Paid 1.00 CNY"))
    message = Message.objects.filter(enterprise=alice.enterprise).first()
    assert message.body.endswith("本次拨付 1.00 元") and message.body_en.endswith("Paid 1.00 CNY")
    assert "拨付" not in message.body_en
