"""Crash safety (issue 6, item 6): gunicorn on PostgreSQL is killed with SIGKILL in the middle of a
burst of filings, submissions and approvals, then restarted. Every request that was answered 2xx
must be stored completely, and nothing may be half-written anywhere.

It runs its own server on its own database (created and dropped here, never the pytest test
database), so it reads that database with plain SQL and the files from its own MEDIA_ROOT.
"""

from __future__ import annotations

import contextlib
import http.client
import os
import queue
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import pytest

from tests.ops import integrity

ROOT = Path(__file__).resolve().parents[2]
DATABASE_URL = os.environ.get("DATABASE_URL", "")
PASSWORD = "Haidong-crash-2025!"
CREDIT_CODE = "91630202MA7ABCDE1Y"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.postgres,
    pytest.mark.skipif(not DATABASE_URL.startswith(("postgres://", "postgresql://")),
                       reason="needs DATABASE_URL=postgres://… (gunicorn on a PostgreSQL database of its own)"),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """gunicorn (2 workers, the production config) on a database and media directory of its own."""

    def __init__(self, tmp: Path):
        import dj_database_url

        base = dj_database_url.parse(DATABASE_URL)
        self.dbname = f"haidong_crash_{os.getpid()}_{uuid.uuid4().hex[:6]}"
        self.admin = {"host": base["HOST"] or "127.0.0.1", "port": base["PORT"] or 5432,
                      "user": base["USER"] or "postgres", "password": base["PASSWORD"] or None}
        self.media = tmp / "media"
        self.log = tmp / "gunicorn.log"
        self.port = _free_port()
        self.proc: subprocess.Popen | None = None
        auth = base["USER"] + (f":{base['PASSWORD']}" if base["PASSWORD"] else "")
        self.env = {
            **os.environ, "DJANGO_SETTINGS_MODULE": "haidong_policy.settings", "DEBUG": "false",
            "SECRET_KEY": "crash-test-" + uuid.uuid4().hex * 2, "ALLOWED_HOSTS": "127.0.0.1",
            "DATABASE_URL": f"postgres://{auth}@{self.admin['host']}:{self.admin['port']}/{self.dbname}",
            "SECURE_SSL_REDIRECT": "false", "MEDIA_ROOT": str(self.media), "WEB_CONCURRENCY": "2",
            "BIND": f"127.0.0.1:{self.port}", "PYTHONUNBUFFERED": "1",
            # Approvals of grants straight away: what is measured is approving, not the notice (公示).
            "PUBLIC_NOTICE_WORKING_DAYS": "0",
        }

    def sql(self, dbname: str = "postgres"):
        import psycopg

        return psycopg.connect(dbname=dbname, autocommit=True, **self.admin)

    def create(self) -> None:
        with self.sql() as conn:
            conn.execute(f'CREATE DATABASE "{self.dbname}"')
        setup = ("import django; django.setup()\n"
                 "from django.core.management import call_command\n"
                 "from accounts.services import account_create\n"
                 "call_command('migrate', interactive=False, verbosity=0)\n"
                 f"account_create(username='crash_ent', password={PASSWORD!r}, role='enterprise', "
                 f"credit_code={CREDIT_CODE!r}, enterprise_name='青海示例算力科技有限公司', email='e@example.com')\n"
                 f"account_create(username='crash_rev', password={PASSWORD!r}, role='reviewer', jurisdiction='park')\n")
        subprocess.run([sys.executable, "-c", setup], cwd=ROOT, env=self.env, check=True, timeout=120)

    def drop(self) -> None:
        with self.sql() as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{self.dbname}" WITH (FORCE)')

    def start(self) -> None:
        with open(self.log, "ab") as log:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "haidong_policy.wsgi", "-c", "haidong_policy/gunicorn.conf.py"],
                cwd=ROOT, env=self.env, stdout=log, stderr=log, start_new_session=True)
        deadline = time.monotonic() + 45
        while time.monotonic() < deadline:
            assert self.proc.poll() is None, f"gunicorn exited:\n{self.log.read_text()[-3000:]}"
            with contextlib.suppress(OSError, http.client.HTTPException):
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                conn.request("GET", "/readyz")
                if conn.getresponse().status == 200:
                    return
            time.sleep(0.2)
        raise AssertionError(f"gunicorn not ready in 45 s:\n{self.log.read_text()[-3000:]}")

    def kill(self) -> None:
        """SIGKILL to the arbiter and every worker at once: no graceful anything."""
        if self.proc is not None and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()
        if self.proc is not None:
            with contextlib.suppress(ProcessLookupError):  # any worker left behind
                os.killpg(self.proc.pid, signal.SIGKILL)


def test_acknowledged_work_survives_sigkill_and_nothing_is_half_written(tmp_path):
    started = time.monotonic()
    server = Server(tmp_path)
    server.create()
    try:
        server.start()
        tokens = {}
        for username in ("crash_ent", "crash_rev"):
            status, body = integrity.Api(server.port).post("/api/v1/auth/token", {"username": username, "password": PASSWORD})
            assert status == 200, body
            tokens[username] = body["token"]

        # Before the burst: complete drafts, some submitted (for the reviewers), two approved (so both
        # workers have rendered a PDF once and the burst's approvals are not slowed by a cold start).
        numbers = iter(range(1, 1_000_000))
        lock = threading.Lock()

        def next_number() -> int:
            with lock:
                return next(numbers)

        drafts: list[int] = []

        def prepare():
            api = integrity.Api(server.port, tokens["crash_ent"])
            for _ in range(3):
                drafts.append(integrity.file_draft(api, next_number()))

        threads = [threading.Thread(target=prepare) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert None not in drafts and len(drafts) == 12
        ent = integrity.Api(server.port, tokens["crash_ent"])
        for a in drafts:
            assert ent.post(f"/api/v1/applications/{a}/submit", {"declaration": True})[0] == 200
        acked_submits: set[int] = set(drafts)
        acked_approvals: dict[int, tuple[str, str]] = {}

        def approve(api: integrity.Api, a: int) -> int:
            status, body = api.post(f"/api/v1/applications/{a}/approve", {"note": "crash test"})
            if status == 200:
                with lock:
                    acked_approvals[a] = (body["determination"]["number"], body["determination"]["sha256"])
            return status

        warm = [threading.Thread(target=approve, args=(integrity.Api(server.port, tokens["crash_rev"]), a)) for a in drafts[:2]]
        for t in warm:
            t.start()
        for t in warm:
            t.join()
        assert len(acked_approvals) == 2

        # The burst: enterprise threads file, upload and submit; reviewer threads approve. SIGKILL
        # once several of each have been answered, while requests of both kinds are in flight.
        todo: queue.Queue = queue.Queue()
        for a in drafts[2:]:
            todo.put(a)
        killed = threading.Event()
        in_flight = {"approve": 0, "other": 0}
        unanswered: list[str] = []
        burst_submits: set[int] = set()

        def enterprise():
            api = integrity.Api(server.port, tokens["crash_ent"])
            while not killed.is_set():
                with lock:
                    in_flight["other"] += 1
                a = integrity.file_draft(api, next_number())
                status = api.post(f"/api/v1/applications/{a}/submit", {"declaration": True})[0] if a else 0
                with lock:
                    in_flight["other"] -= 1
                    if status == 200:
                        burst_submits.add(a)
                        todo.put(a)
                    elif status == 0:
                        unanswered.append(f"file/submit #{a}")
                        return

        def reviewer():
            api = integrity.Api(server.port, tokens["crash_rev"])
            while not killed.is_set():
                try:
                    a = todo.get(timeout=0.05)
                except queue.Empty:
                    continue
                with lock:
                    in_flight["approve"] += 1
                status = approve(api, a)
                with lock:
                    in_flight["approve"] -= 1
                if status == 0:
                    unanswered.append(f"approve #{a}")
                    return

        workers = [threading.Thread(target=f, daemon=True) for f in (enterprise,) * 3 + (reviewer,) * 3]
        for t in workers:
            t.start()
        burst_started = time.monotonic()
        while time.monotonic() - burst_started < 20:
            with lock:
                enough = len(acked_approvals) >= 5 and len(burst_submits) >= 3 and in_flight["approve"] > 0
            if enough:
                break
            time.sleep(0.01)
        with lock:
            during = dict(in_flight)
        server.kill()
        killed.set()
        for t in workers:
            t.join(timeout=30)
        acked_submits |= burst_submits
        assert len(acked_approvals) >= 3, "the burst was too short to mean anything (machine too slow?)"

        # Restart on the same database and files: it must be ready, and the work left must go on.
        server.start()
        rev = integrity.Api(server.port, tokens["crash_rev"])
        with server.sql(server.dbname) as db:
            waiting = [r[0] for r in db.execute(
                "SELECT id FROM applications_application WHERE state = 'submitted' ORDER BY id LIMIT 3")]
        for a in waiting:
            assert approve(rev, a) == 200, f"#{a} could not be approved after the restart"
        server.stop()

        problems = integrity.problems(lambda: server.sql(server.dbname), integrity.Folder(server.media), acked_submits,
                                      acked_approvals)
        orphans = integrity.orphan_files(lambda: server.sql(server.dbname), integrity.Folder(server.media))
        print(f"crash test: killed with {during} in flight, unanswered {unanswered}; acknowledged "
              f"{len(acked_submits)} submissions, {len(acked_approvals)} approvals; orphan files {orphans}; "
              f"{time.monotonic() - started:.1f} s")
        assert not problems, "\n".join(problems)
    finally:
        server.stop()
        server.drop()
