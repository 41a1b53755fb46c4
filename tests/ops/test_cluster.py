"""Two nodes behind nginx, one lost under load (issue 17, DESIGN §13).

`make cluster` starts nginx (TLS), two gunicorn nodes and a Celery worker on a PostgreSQL database of
this test's own. A bounded mixed load (eligibility, reads, filings with uploads, submissions,
approvals) runs through nginx; halfway, one node is killed with SIGKILL (its gunicorn master and
workers at once). Then: no errors except requests that node had in flight (reads in flight are sent to
the other node by nginx and succeed), every acknowledged write stored completely, determination
numbers gapless, every file present with its SHA-256 (tests/ops/integrity.py, as after the crash
test); `make cluster-stop` stops exactly what was started.
"""

from __future__ import annotations

import contextlib
import json
import os
import queue
import re
import signal
import socket
import ssl
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import pytest

from measures.examples import EXAMPLE_FACTS
from tests.ops import integrity

ROOT = Path(__file__).resolve().parents[2]
DATABASE_URL = os.environ.get("DATABASE_URL", "")
PASSWORD = "Haidong-cluster-2025!"
CREDIT_CODE = "91630202MA7ABCDE1Y"
LOAD_SECONDS = 8  # before the kill, and again after it

pytestmark = [
    pytest.mark.slow,
    pytest.mark.postgres,
    pytest.mark.skipif(not DATABASE_URL.startswith(("postgres://", "postgresql://")),
                       reason="needs DATABASE_URL=postgres://… (the cluster runs on a PostgreSQL database of its own)"),
]


def _free_ports(n: int) -> list[int]:
    sockets = [socket.socket() for _ in range(n)]
    try:
        for s in sockets:
            s.bind(("127.0.0.1", 0))
        return [s.getsockname()[1] for s in sockets]
    finally:
        for s in sockets:
            s.close()


class Cluster:
    def __init__(self, tmp: Path, media_url: str = ""):
        import dj_database_url

        base = dj_database_url.parse(DATABASE_URL)
        self.dbname = f"haidong_cluster_{os.getpid()}_{uuid.uuid4().hex[:6]}"
        self.admin = {"host": base["HOST"] or "127.0.0.1", "port": base["PORT"] or 5432,
                      "user": base["USER"] or "postgres", "password": base["PASSWORD"] or None}
        auth = base["USER"] + (f":{base['PASSWORD']}" if base["PASSWORD"] else "")
        self.dir = tmp / "cluster"
        self.port, *self.node_ports = _free_ports(3)
        self.env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST"))},
            "DATABASE_URL": f"postgres://{auth}@{self.admin['host']}:{self.admin['port']}/{self.dbname}",
            "REDIS_URL": "redis://127.0.0.1:6379/12", "CLUSTER_DIR": str(self.dir), "CLUSTER_PORT": str(self.port),
            "CLUSTER_NODE_PORTS": ",".join(map(str, self.node_ports)), "CLUSTER_DEMO": "no",
            "THROTTLE_ELIGIBILITY_ANON": "100000/min", "THROTTLE_VERIFY": "20/min", "PUBLIC_NOTICE_WORKING_DAYS": "0",
        }
        self.env.pop("MEDIA_STORAGE_URL", None)
        if media_url:
            self.env.update(MEDIA_STORAGE_URL=media_url, AWS_ACCESS_KEY_ID="test-key", AWS_SECRET_ACCESS_KEY="test-secret")

    def make(self, target: str) -> subprocess.CompletedProcess:
        return subprocess.run(["make", "-s", target], cwd=ROOT, env=self.env, capture_output=True, text=True,
                              timeout=300)

    def sql(self, dbname: str = "postgres"):
        import psycopg

        return psycopg.connect(dbname=dbname, autocommit=True, **self.admin)

    def pid(self, name: str) -> int:
        return int((self.dir / f"{name}.pid").read_text().split()[0])  # the PID, then its start time

    def tls(self) -> ssl.SSLContext:
        return ssl.create_default_context(cafile=str(self.dir / "tls" / "cert.pem"))

    def accounts(self) -> None:
        setup = ("import django; django.setup()\n"
                 "from accounts.services import account_create\n"
                 f"account_create(username='cl_ent', password={PASSWORD!r}, role='enterprise', "
                 f"credit_code={CREDIT_CODE!r}, enterprise_name='青海示例算力科技有限公司', email='e@example.com')\n"
                 f"account_create(username='cl_rev', password={PASSWORD!r}, role='reviewer', jurisdiction='park')\n"
                 f"account_create(username='cl_locked', password={PASSWORD!r}, role='reviewer', jurisdiction='park')\n")
        subprocess.run([sys.executable, "-c", setup], cwd=ROOT, env={**self.env, "DEBUG": "true", "DJANGO_SETTINGS_MODULE": "haidong_policy.settings"}, check=True,
                       timeout=120)

    def drop(self) -> None:
        with self.sql() as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{self.dbname}" WITH (FORCE)')


def _group(leader: int) -> list[int]:
    """The live processes of the leader's process group (a node: its gunicorn master and workers)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, IndexError, ValueError):
            fields = stat.read_text().rsplit(")", 1)[-1].split()
            if int(fields[2]) == leader and fields[0] != "Z":
                found.append(int(stat.parent.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[-1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.fixture(params=["folder", "s3"])
def media_store(request, tmp_path):
    """(MEDIA_STORAGE_URL, the store to check): the folder both nodes share, or a bucket on the local
    S3-compatible endpoint (moto, tests/ops/conftest.py)."""
    if request.param == "folder":
        return "", integrity.Folder(tmp_path / "cluster" / "media")
    import boto3

    endpoint = request.getfixturevalue("s3_endpoint")
    name = f"haidong-cluster-{uuid.uuid4().hex[:8]}"
    client = boto3.client("s3", endpoint_url=endpoint, region_name="cn-northwest-1", aws_access_key_id="test-key",
                          aws_secret_access_key="test-secret")
    client.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": "cn-northwest-1"})
    return (f"s3://{name}/media?endpoint={endpoint}&region=cn-northwest-1&addressing=path",
            integrity.Bucket(client, name, "media"))


def test_a_node_killed_under_load_loses_nothing_acknowledged(tmp_path, media_store):
    started = time.monotonic()
    media_url, media = media_store
    cluster = Cluster(tmp_path, media_url)
    import redis

    redis.Redis.from_url(cluster.env["REDIS_URL"]).flushdb()  # no throttle counts of an earlier run
    up = cluster.make("cluster")
    try:
        assert up.returncode == 0, up.stdout + up.stderr
        print(up.stdout)
        url = (cluster.dir / "url").read_text().strip()
        assert url == f"https://127.0.0.1:{cluster.port}"
        pids = {name: cluster.pid(name) for name in ("node-1", "node-2", "worker", "nginx")}
        assert all(_alive(p) for p in pids.values())
        cluster.accounts()
        tls = cluster.tls()
        tokens = {}
        for username in ("cl_ent", "cl_rev"):
            status, body = integrity.Api(cluster.port, tls=tls).post(
                "/api/v1/auth/token", {"username": username, "password": PASSWORD})
            assert status == 200, body
            tokens[username] = body["token"]

        _it_keeps_no_state_on_a_node(cluster, tls)

        log: list[tuple] = []  # every request of the load: (method, path, started, ended, status)
        lock = threading.Lock()
        numbers = iter(range(1, 1_000_000))
        todo: queue.Queue = queue.Queue()
        decided: queue.Queue = queue.Queue()
        acked_submits: set[int] = set()
        acked_attachments: set[int] = set()
        acked_approvals: dict[int, tuple[str, str]] = {}
        stop = threading.Event()

        def api(user: str = "") -> integrity.Api:
            return integrity.Api(cluster.port, tokens.get(user, ""), tls=tls, log=log)

        def enterprise():
            client = api("cl_ent")
            while not stop.is_set():
                with lock:
                    n = next(numbers)
                status, body = client.post("/api/v1/applications", integrity.facts(n))
                if status != 201:
                    continue
                uploaded = [client.post(f"/api/v1/applications/{body['id']}/attachments", upload=(kind, integrity.PDF))
                            for kind in integrity.KINDS]
                with lock:
                    acked_attachments.update(b["id"] for s, b in uploaded if s == 201)
                if all(s == 201 for s, _ in uploaded) and client.post(
                        f"/api/v1/applications/{body['id']}/submit", {"declaration": True})[0] == 200:
                    with lock:
                        acked_submits.add(body["id"])
                    todo.put(body["id"])

        def reviewer():
            client = api("cl_rev")
            while not stop.is_set():
                try:
                    a = todo.get(timeout=0.05)
                except queue.Empty:
                    continue
                status, body = client.post(f"/api/v1/applications/{a}/approve", {"note": "cluster test"})
                if status == 200:
                    with lock:
                        acked_approvals[a] = (body["determination"]["number"], body["determination"]["sha256"])
                    decided.put(a)

        def reader():  # idempotent requests: the enterprise's application and its determination
            client = api("cl_ent")
            seen: list[int] = []
            while not stop.is_set():
                with contextlib.suppress(queue.Empty):
                    seen.append(decided.get_nowait())
                if seen:
                    a = seen[len(log) % len(seen)]
                    client.get(f"/api/v1/applications/{a}/determination.pdf")
                    client.get(f"/api/v1/applications/{a}")
                else:
                    client.get("/api/v1/measures")

        def eligibility():
            client, body = api(), {**EXAMPLE_FACTS}
            while not stop.is_set():
                client.post("/api/v1/eligibility", body)

        threads = [threading.Thread(target=f, daemon=True)
                   for f in (enterprise,) * 3 + (reviewer,) * 2 + (reader,) * 2 + (eligibility,) * 3]
        for t in threads:
            t.start()
        # Bounded: at least LOAD_SECONDS and 5 approvals before the kill, the same after it (at most
        # a minute each way on a slow machine).
        _run_until(lambda: len(acked_approvals) >= 5)
        with lock:
            approvals_before = len(acked_approvals)
        killed_at = time.monotonic()
        os.killpg(pids["node-1"], signal.SIGKILL)  # the node: its gunicorn master and workers at once
        _run_until(lambda: len(acked_approvals) >= approvals_before + 5)
        stop.set()
        for t in threads:
            t.join(timeout=90)
        assert not any(t.is_alive() for t in threads)
        assert not _group(pids["node-1"]), "a process of the killed node is still running"
        assert all(_alive(pids[n]) for n in ("node-2", "worker", "nginx"))

        # Errors: only requests the killed node had in flight, only non-idempotent ones (nginx sends a
        # GET on to the other node; a POST that reached a node is never sent twice). nginx's log says
        # which node each request went to (the client's X-Request-ID).
        routed = _nginx_log(cluster.dir / "log" / "nginx-access.log", [r[5] for r in log if r[4]])
        killed_node = f"127.0.0.1:{cluster.node_ports[0]}"
        errors = [r for r in log if r[4] == 0 or r[4] >= 500]
        in_flight = [r for r in log if r[2] < killed_at < r[3]]
        # On the killed node: what nginx had handed to it when it died (sent before the kill, or in the
        # moment the kernel still queued connections for it), as nginx's log shows.
        on_killed = [r for r in log if r[2] < killed_at + 0.5 and r[3] > killed_at
                     and routed.get(r[5], ("", ""))[1].split(", ")[0] == killed_node]
        retried = [r for r in log if ", " in routed.get(r[5], ("", ""))[1]]
        for r in errors:
            assert r[0] == "POST" and r[4] == 502 and r[2] < killed_at + 0.5, r
            assert routed[r[5]] == (502, killed_node), (r, routed.get(r[5]))
        assert {r[5] for r in errors} <= {r[5] for r in on_killed}
        after = [r for r in log if r[2] > killed_at + 1]
        assert after and all(r[4] in (200, 201) for r in after), "requests after the kill failed"
        with lock:
            assert approvals_before >= 5 and len(acked_approvals) >= approvals_before + 5, (
                f"{approvals_before} approvals before the kill, {len(acked_approvals)} in all: the load was too "
                "light to mean anything")

        stopped = cluster.make("cluster-stop")
        assert stopped.returncode == 0, stopped.stdout + stopped.stderr
        assert not any(_group(p) for p in pids.values()), "cluster-stop left a process running"
        assert not list(cluster.dir.glob("*.pid")) and not (cluster.dir / "url").exists()

        if media_url:  # nothing on the nodes' disk (MEDIA_ROOT is set, and unused)
            assert not (cluster.dir / "media").exists() or not any((cluster.dir / "media").rglob("*"))
        problems = integrity.problems(lambda: cluster.sql(cluster.dbname), media, acked_submits, acked_approvals,
                                      acked_attachments)
        orphans = integrity.orphan_files(lambda: cluster.sql(cluster.dbname), media)
        kinds: dict[str, int] = {}
        for method, path, *_ in log:
            kinds[_kind(method, path)] = kinds.get(_kind(method, path), 0) + 1
        print(f"cluster test ({'S3' if media_url else 'shared folder'}): {len(log)} requests ({json.dumps(kinds, ensure_ascii=False)}); "
              f"{len(in_flight)} in flight at the kill; {len(on_killed)} handed to the killed node as it died, "
              f"{len(errors)} of them errors "
              f"({', '.join(f'{m} {p} {s}' for m, p, _, _, s, _ in errors) or 'none'}); nginx sent {len(retried)} "
              f"request(s) ({', '.join(sorted({_kind(m, p) for m, p, *_ in retried}))}) "
              f"on to the other node; acknowledged {len(acked_submits)} submissions, {len(acked_attachments)} "
              f"uploads, {len(acked_approvals)} approvals ({approvals_before} before the kill); orphan files "
              f"{orphans}; {time.monotonic() - started:.1f} s")
        assert not problems, "\n".join(problems)
    finally:
        cluster.make("cluster-stop")
        cluster.drop()


def _it_keeps_no_state_on_a_node(cluster: Cluster, tls: ssl.SSLContext) -> None:
    """A session, a throttle and a lockout each hold whichever node answers (nginx alternates)."""
    log: list[tuple] = []
    api = integrity.Api(cluster.port, tls=tls, log=log)
    status, page = api.get("/accounts/login/")
    csrf = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1].decode()
    cookie = f"csrftoken={api.cookies['csrftoken']}"
    form = f"csrfmiddlewaretoken={csrf}&username=cl_ent&password={PASSWORD}".encode()
    status, _ = api.request("POST", "/accounts/login/", form, {
        "Cookie": cookie, "Referer": f"https://127.0.0.1:{cluster.port}/accounts/login/",
        "Content-Type": "application/x-www-form-urlencoded"})
    assert status == 302 and "sessionid" in api.cookies
    signed_in = [api.request("GET", "/applications/", None, {"Cookie": f"sessionid={api.cookies['sessionid']}"})
                 for _ in range(4)]
    assert [s for s, _ in signed_in] == [200] * 4  # signed out, each would be a 302 to the login page
    verify = [api.get("/api/v1/verify/AAAA-BBBB-CCCC-DDDD")[0] for _ in range(21)]
    assert verify == [404] * 20 + [429], verify  # one limit for the client, not one per node
    token = "/api/v1/auth/token"
    failures = [api.post(token, {"username": "cl_locked", "password": "wrong-password"})[0] for _ in range(5)]
    assert failures == [400] * 4 + [429], failures
    assert [api.post(token, {"username": "cl_locked", "password": PASSWORD})[0] for _ in range(2)] == [429, 429]
    routed = _nginx_log(cluster.dir / "log" / "nginx-access.log", [r[5] for r in log if r[4]])
    nodes = {routed[r[5]][1] for r in log}
    assert nodes == {f"127.0.0.1:{p}" for p in cluster.node_ports}, nodes


def _run_until(enough, *, least: float = LOAD_SECONDS, most: float = 60) -> None:
    started = time.monotonic()
    while time.monotonic() - started < most and (time.monotonic() - started < least or not enough()):
        time.sleep(0.05)


def _kind(method: str, path: str) -> str:
    return f"{method} {re.sub(r'[0-9]+', 'N', path)}"


def _nginx_log(access_log: Path, ids: list[str]) -> dict[str, tuple[int, str]]:
    """request id -> (status nginx answered, the nodes it tried: "$upstream_addr"), once every id of
    `ids` is there (nginx writes its line just after answering)."""
    deadline = time.monotonic() + 10
    while True:
        routed = {}
        for line in access_log.read_text().splitlines():
            match = re.match(r"^\S+ (\S+) (\d+) \S+ \S+ \S+ upstream=(.*) upstream_status=", line)
            if match:
                routed[match[1]] = (int(match[2]), match[3])
        missing = [i for i in ids if i not in routed]
        if not missing:
            return routed
        assert time.monotonic() < deadline, f"nginx logged no line for {missing[:5]}"
        time.sleep(0.1)
