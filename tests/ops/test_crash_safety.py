"""Crash safety (issue 6, item 6): gunicorn on PostgreSQL is killed with SIGKILL in the middle of a
burst of filings, submissions and approvals, then restarted. Every request that was answered 2xx
must be stored completely, and nothing may be half-written anywhere.

It runs its own server on its own database (created and dropped here, never the pytest test
database), so it reads that database with plain SQL and the files from its own MEDIA_ROOT.
"""

from __future__ import annotations

import contextlib
import copy
import hashlib
import http.client
import itertools
import json
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

from measures.examples import EXAMPLE_FACTS

ROOT = Path(__file__).resolve().parents[2]
DATABASE_URL = os.environ.get("DATABASE_URL", "")
PASSWORD = "Haidong-crash-2025!"
CREDIT_CODE = "91630202MA7ABCDE1Y"
KINDS = ("business_license", "project_filing", "investment_audit", "equipment_invoice", "rack_acceptance")
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
DECIDED = ("approved", "rejected")
PAST_DRAFT = ("submitted", "in_review", "returned", *DECIDED)

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


class Api:
    """One keep-alive connection; answers (status, JSON or None). No answer at all is status 0."""

    def __init__(self, port: int, token: str = ""):
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.auth = {"Authorization": f"Token {token}"} if token else {}

    def post(self, path: str, payload: object = None, *, upload: tuple[str, bytes] | None = None):
        if upload is None:
            body, ctype = json.dumps(payload if payload is not None else {}).encode(), "application/json"
        else:
            kind, content = upload
            b = uuid.uuid4().hex
            body = (f"--{b}\r\nContent-Disposition: form-data; name=\"kind\"\r\n\r\n{kind}\r\n--{b}\r\n"
                    f"Content-Disposition: form-data; name=\"file\"; filename=\"{kind}.pdf\"\r\n"
                    "Content-Type: application/pdf\r\n\r\n").encode() + content + f"\r\n--{b}--\r\n".encode()
            ctype = f"multipart/form-data; boundary={b}"
        try:
            self.conn.request("POST", path, body=body, headers={**self.auth, "Content-Type": ctype})
            response = self.conn.getresponse()
            data = response.read()
        except (OSError, http.client.HTTPException):
            self.conn.close()
            return 0, None
        try:
            return response.status, json.loads(data)
        except ValueError:
            return response.status, None


def _facts(n: int) -> dict:
    facts = copy.deepcopy(EXAMPLE_FACTS)
    del facts["as_of"]
    facts["project"]["code"] = f"2406-630202-04-01-{n:06d}"  # one grant per project: each its own
    return facts


def _file_draft(api: Api, n: int) -> int | None:
    """A complete draft (facts and the five attachments) or None if the server did not answer."""
    status, body = api.post("/api/v1/applications", _facts(n))
    if status != 201:
        return None
    for kind in KINDS:
        if api.post(f"/api/v1/applications/{body['id']}/attachments", upload=(kind, PDF))[0] != 201:
            return None
    return body["id"]


def _problems(server: Server, acked_submits: set[int], acked_approvals: dict[int, tuple[str, str]]) -> list[str]:
    """Everything wrong in the database and the media directory; empty when all is well."""
    problems: list[str] = []
    with server.sql(server.dbname) as db:
        q = lambda sql: db.execute(sql).fetchall()  # noqa: E731
        apps = {i: (state, decided) for i, state, decided in
                q("SELECT id, state, decided_at FROM applications_application")}
        evals = {(a, k) for a, k in q("SELECT application_id, kind FROM applications_evaluation")}
        history: dict[int, list[tuple[str, str]]] = {}
        for a, f, t in q("SELECT application_id, from_state, to_state FROM applications_transition ORDER BY at, id"):
            history.setdefault(a, []).append((f, t))
        audited = {}
        for a, t in q("SELECT application_id, to_state FROM audit_auditentry WHERE action = 'transition'"):
            audited[(a, t)] = audited.get((a, t), 0) + 1
        determinations = {r[0]: r for r in q(
            "SELECT d.application_id, d.number, d.sha256, d.pdf, d.decision, d.authority, d.year, d.serial, e.kind, "
            "EXISTS (SELECT 1 FROM audit_auditentry x WHERE x.action = 'determination' "
            "AND x.note_params ->> 'number' = d.number) "
            "FROM applications_determination d JOIN applications_evaluation e ON e.id = d.evaluation_id")}
        series = {(a, y): last for a, y, last in q("SELECT authority, year, last_serial FROM applications_numberseries")}
        attachments = q("SELECT application_id, file, sha256 FROM applications_attachment")

    def digest(relative: str) -> str | None:
        path = server.media / relative
        return hashlib.sha256(path.read_bytes()).hexdigest() if relative and path.is_file() else None

    # Acknowledged requests are stored completely.
    for a in sorted(acked_submits):
        state = apps.get(a, (None,))[0]
        if state not in PAST_DRAFT:
            problems.append(f"#{a}: submission answered 2xx, state now {state}")
        if (a, "submission") not in evals:
            problems.append(f"#{a}: submission answered 2xx, no frozen submission evaluation")
        if not any(t == "submitted" for _, t in history.get(a, [])) or not audited.get((a, "submitted")):
            problems.append(f"#{a}: submission answered 2xx, no history or audit entry")
    for a, (number, sha) in sorted(acked_approvals.items()):
        d = determinations.get(a)
        if apps.get(a, (None,))[0] != "approved" or (a, "decision") not in evals:
            problems.append(f"#{a}: approval answered 2xx, state {apps.get(a)}, decision evaluation "
                            f"{(a, 'decision') in evals}")
        if not any(t == "approved" for _, t in history.get(a, [])) or not audited.get((a, "approved")):
            problems.append(f"#{a}: approval answered 2xx, no history or audit entry")
        if d is None or d[1] != number or d[2] != sha:
            problems.append(f"#{a}: approval answered 2xx with {number}, stored {d and d[1]}")

    # Nothing half-written, acknowledged or not.
    for a, (state, decided) in apps.items():
        chain = history.get(a, [])
        if not chain or chain[0] != ("", "draft") or chain[-1][1] != state or any(
                f != prev_t for (_, prev_t), (f, _) in itertools.pairwise(chain)):
            problems.append(f"#{a}: state {state} but history {chain}")
        for _, t in chain:
            if audited.get((a, t), 0) < sum(1 for _, t2 in chain if t2 == t):
                problems.append(f"#{a}: transition to {t} without its audit entry")
        if state in PAST_DRAFT and (a, "submission") not in evals:
            problems.append(f"#{a}: {state} without a submission evaluation")
        if state in DECIDED and (a not in determinations or decided is None or (a, "decision") not in evals):
            problems.append(f"#{a}: {state} without its determination / decision evaluation")
        if a in determinations and (state not in DECIDED or determinations[a][4] != state):
            problems.append(f"#{a}: determination {determinations[a][1]} but state {state}")
    by_series: dict[tuple[str, int], list[int]] = {}
    for a, number, sha, pdf, _decision, authority, year, serial, kind, audit_entry in determinations.values():
        by_series.setdefault((authority, year), []).append(serial)
        if kind != "decision" or not audit_entry:
            problems.append(f"{number}: evaluation kind {kind}, audit entry {audit_entry}")
        stored = digest(pdf)
        if stored is None:
            problems.append(f"{number} (#{a}): PDF file {pdf!r} missing")
        elif stored != sha:
            problems.append(f"{number} (#{a}): PDF SHA-256 {stored} does not match the recorded {sha}")
    for key, serials in by_series.items():
        if sorted(serials) != list(range(1, len(serials) + 1)) or series.get(key) != len(serials):
            problems.append(f"series {key}: serials {sorted(serials)}, last_serial {series.get(key)}")
    for a, relative, sha in attachments:
        if digest(relative) != sha:
            problems.append(f"#{a}: attachment {relative} missing or not matching its SHA-256")
    return problems


def _orphan_files(server: Server) -> list[str]:
    """Files no row points at: what a transaction killed after writing its file leaves behind."""
    with server.sql(server.dbname) as db:
        known = {r[0] for r in db.execute("SELECT pdf FROM applications_determination UNION "
                                          "SELECT file FROM applications_attachment").fetchall()}
    return sorted(str(p.relative_to(server.media)) for p in server.media.rglob("*")
                  if p.is_file() and str(p.relative_to(server.media)) not in known)


def test_acknowledged_work_survives_sigkill_and_nothing_is_half_written(tmp_path):
    started = time.monotonic()
    server = Server(tmp_path)
    server.create()
    try:
        server.start()
        tokens = {}
        for username in ("crash_ent", "crash_rev"):
            status, body = Api(server.port).post("/api/v1/auth/token", {"username": username, "password": PASSWORD})
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
            api = Api(server.port, tokens["crash_ent"])
            for _ in range(3):
                drafts.append(_file_draft(api, next_number()))

        threads = [threading.Thread(target=prepare) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert None not in drafts and len(drafts) == 12
        ent = Api(server.port, tokens["crash_ent"])
        for a in drafts:
            assert ent.post(f"/api/v1/applications/{a}/submit", {"declaration": True})[0] == 200
        acked_submits: set[int] = set(drafts)
        acked_approvals: dict[int, tuple[str, str]] = {}

        def approve(api: Api, a: int) -> int:
            status, body = api.post(f"/api/v1/applications/{a}/approve", {"note": "crash test"})
            if status == 200:
                with lock:
                    acked_approvals[a] = (body["determination"]["number"], body["determination"]["sha256"])
            return status

        warm = [threading.Thread(target=approve, args=(Api(server.port, tokens["crash_rev"]), a)) for a in drafts[:2]]
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
            api = Api(server.port, tokens["crash_ent"])
            while not killed.is_set():
                with lock:
                    in_flight["other"] += 1
                a = _file_draft(api, next_number())
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
            api = Api(server.port, tokens["crash_rev"])
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
        rev = Api(server.port, tokens["crash_rev"])
        with server.sql(server.dbname) as db:
            waiting = [r[0] for r in db.execute(
                "SELECT id FROM applications_application WHERE state = 'submitted' ORDER BY id LIMIT 3")]
        for a in waiting:
            assert approve(rev, a) == 200, f"#{a} could not be approved after the restart"
        server.stop()

        problems = _problems(server, acked_submits, acked_approvals)
        orphans = _orphan_files(server)
        print(f"crash test: killed with {during} in flight, unanswered {unanswered}; acknowledged "
              f"{len(acked_submits)} submissions, {len(acked_approvals)} approvals; orphan files {orphans}; "
              f"{time.monotonic() - started:.1f} s")
        assert not problems, "\n".join(problems)
    finally:
        server.stop()
        server.drop()
