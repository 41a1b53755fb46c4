"""A real Celery worker process against the local Redis (a free database number, or a redis-server
started for the test): a queued mail is delivered; a worker killed mid-task leaves the task queued
(acks late), another worker does it, and it is done once. PostgreSQL only: the worker is another
process and must see the test's committed rows."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
import redis
from django.conf import settings
from django.utils import timezone

from haidong_policy.celery import app as celery_app
from inbox.models import Kind, Message
from inbox.tasks import mail_messages
from tests.personas import applicant

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
                       reason="the worker is another process: needs DATABASE_URL=postgres://… (CI's second run)"),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def broker(tmp_path):
    """A Redis URL on an empty database number: the machine's Redis, else a redis-server of our own."""
    server = None
    try:
        redis.Redis(host="127.0.0.1", port=6379, socket_connect_timeout=0.5).ping()
        port = 6379
    except redis.exceptions.ConnectionError:
        binary = "/usr/bin/redis-server"
        if not os.path.exists(binary):
            pytest.skip("no Redis on 127.0.0.1:6379 and no redis-server to start")
        port = _free_port()
        server = subprocess.Popen([binary, "--port", str(port), "--save", "", "--appendonly", "no",
                                   "--dir", str(tmp_path)], stdout=subprocess.DEVNULL)
        time.sleep(0.5)
    number = next(n for n in range(15, 0, -1) if redis.Redis(port=port, db=n).dbsize() == 0)
    yield f"redis://127.0.0.1:{port}/{number}"
    redis.Redis(port=port, db=number).flushdb()
    if server is not None:
        server.terminate()
        server.wait(10)


def _database_url() -> str:
    db = settings.DATABASES["default"]
    auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def worker_env(broker, tmp_path):
    env = {**os.environ, "DATABASE_URL": _database_url(), "CELERY_BROKER_URL": broker, "CELERY_VISIBILITY_TIMEOUT": "10",
           "EMAIL_BACKEND": "tests.jobs.holding_mail.HoldingBackend", "MAIL_STARTED_FILE": str(tmp_path / "started"),
           "MAIL_HOLD_FILE": str(tmp_path / "hold"), "MAIL_SENT_LOG": str(tmp_path / "sent.log"),
           "DEBUG": "true", "LOG_LEVEL": "WARNING", "PYTHONPATH": str(ROOT)}
    env.pop("REDIS_URL", None)
    return env


@contextmanager
def worker(env, name: str):
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "haidong_policy", "worker", "--pool=solo", "-n", f"{name}@%h",
         "--without-gossip", "--without-mingle", "--without-heartbeat", "-l", "warning"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        yield process
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)


@contextmanager
def queued_through(broker: str):
    """This process sends tasks to the broker (instead of running them in-process, as configured)."""
    before = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False
    try:
        with celery_app.connection_for_write(broker) as connection:
            yield connection
    finally:
        celery_app.conf.task_always_eager = before


def wait_for(check, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.2)
    return False


def a_message() -> Message:
    user = applicant()
    return Message.objects.create(enterprise=user.enterprise, kind=Kind.STATUS, title="您的申请已获批准",
                                  title_en="Your application was approved", body="正文", body_en="Body",
                                  created_at=timezone.now())


def mailed(message: Message) -> bool:
    message.refresh_from_db()
    return message.mailed_at is not None


def test_it_delivers_a_queued_mail_through_a_real_worker(broker, worker_env, tmp_path):
    message = a_message()
    with worker(worker_env, "deliver"), queued_through(broker) as connection:
        mail_messages.apply_async(([message.pk],), connection=connection)
        assert wait_for(lambda: mailed(message), 60), "the worker did not deliver the mail"
    assert (tmp_path / "sent.log").read_text(encoding="utf-8").splitlines() == [
        "您的申请已获批准 / Your application was approved"]


@pytest.mark.slow
def test_it_does_a_task_once_when_its_worker_is_killed_mid_task(broker, worker_env, tmp_path):
    message = a_message()
    (tmp_path / "hold").touch()  # the first worker's send waits here
    with queued_through(broker) as connection:
        mail_messages.apply_async(([message.pk],), connection=connection)
    with worker(worker_env, "first") as first:
        assert wait_for(lambda: (tmp_path / "started").exists(), 60), "the first worker never started the task"
        os.killpg(first.pid, signal.SIGKILL)
        first.wait(10)
    assert not mailed(message) and not (tmp_path / "sent.log").exists()
    (tmp_path / "hold").unlink()
    with worker(worker_env, "second"):
        # Not acknowledged by the killed worker, the task is delivered again once its visibility
        # timeout (10 s here) has passed.
        assert wait_for(lambda: mailed(message), 90), "the task was not delivered again"
        time.sleep(2)  # and not a third time
    assert (tmp_path / "sent.log").read_text(encoding="utf-8").splitlines() == [
        "您的申请已获批准 / Your application was approved"]
