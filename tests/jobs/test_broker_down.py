"""A broker (Redis) that cannot be reached never fails the request that queued a job (issue 17: no
node-local state, and Redis never a point of failure): the job is recorded as failed for the
operators and the periodic jobs make up for it."""

from __future__ import annotations

import pytest
from kombu.exceptions import OperationalError

from jobs.models import JobFailure
from matching import services, tasks
from tests.matching.test_matching import PROJECT, profile
from tests.personas import auth

pytestmark = pytest.mark.django_db(transaction=True)  # on_commit runs inside the request, as in production


def test_it_answers_and_records_the_job_when_the_broker_is_unreachable(client, alice, monkeypatch):
    services.profile_update(user=alice, patch=profile(PROJECT))
    assert client.post("/api/v1/profile/consent", {"screening": True}, content_type="application/json",
                       **auth(alice)).status_code == 201

    def unreachable(*args):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(tasks.screen_enterprise, "delay", unreachable)
    response = client.patch("/api/v1/profile", {"circumstances": {"needs_land": True}},
                            content_type="application/json", **auth(alice))
    assert response.status_code == 200
    assert response.json()["circumstances"]["needs_land"] is True  # stored
    failure = JobFailure.objects.get()
    assert failure.task == "matching.tasks.screen_enterprise" and failure.arguments == [alice.enterprise.pk, {}]
    assert failure.error.startswith("not queued, the broker is unreachable")


@pytest.fixture
def broker_down():
    """The Celery app pointed at a closed port: a real connection refused, as with Redis down."""
    from haidong_policy.celery import app

    saved = (app.conf.broker_url, app.conf.task_always_eager)
    app.conf.broker_url, app.conf.task_always_eager = "redis://127.0.0.1:1/0", False
    app._pool, app.amqp._producer_pool = None, None
    yield
    app.conf.broker_url, app.conf.task_always_eager = saved
    app._pool, app.amqp._producer_pool = None, None


def test_it_records_a_job_the_real_broker_connection_refused(broker_down):
    from jobs.queue import enqueue

    enqueue(tasks.screen_enterprise, 12345)  # outside a transaction: published at once
    failure = JobFailure.objects.get()
    assert failure.task == "matching.tasks.screen_enterprise" and failure.arguments == [12345, {}]
    assert "OperationalError" in failure.error and "127.0.0.1:1" in failure.error  # kombu's own, not a mock
