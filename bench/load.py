#!/usr/bin/env python
"""Load bench: gunicorn (2 workers, the production config) on a fresh PostgreSQL database, driven by
a bounded client on loopback.

    .venv/bin/python bench/load.py [--seconds 30] [--clients 50] [--mix-clients 20] [--reviewers 5]
                                   [--rounds 6] [--workers 2] [--max-requests N] [--keep]
    .venv/bin/python bench/load.py --seconds 5     # a quick run
    .venv/bin/python bench/load.py --cluster       # through nginx: one node against two (below)

Creates the database `haidong_load_<pid>` (dropped at the end, unless --keep), migrates it, creates
accounts, and starts gunicorn with `haidong_policy/gunicorn.conf.py` on a free port, DEBUG off, media
in a temporary directory, settings `bench.bare_settings` (the project's, plus one URL `/bench/bare`).
Then, each phase for --seconds, every client sending one request at a time (threads, keep-alive
http.client; sync workers close the connection after each response, so the client reconnects):

  (a) POST /api/v1/eligibility from --clients clients (anonymous; the throttle rate is lifted, see below);
  (b) POST /bench/bare, a bare Django JsonResponse view behind the same middleware, same server, same
      clients: what Django itself costs per request here. (a) and (b) alternate in --rounds slices
      that add up to --seconds each, so other work on the machine hits both alike;
  (c) a mix from --mix-clients clients: enterprise users file a draft, upload the five required
      attachments (small valid PDFs) and submit; reviewers approve what was submitted (each approval
      renders and stores the determination PDF).

Reported per phase: requests, errors (any status but the expected one, or no answer), throughput,
client latency p50/p95/p99, and the time inside Django from the server's request log (without the
wait in the listen queue); then the CPU gunicorn spent per request (a figure that other load on the
machine does not distort, unlike throughput) and how much of the machine gunicorn, this client and
other processes used.

Afterwards it checks the database: no duplicate determination numbers and, per authority and year,
serials 1..n without gaps; every submission answered 2xx stored (state past draft, with its frozen
submission evaluation); every approval answered 2xx approved with its determination; every
determination's PDF present with a matching SHA-256. Exit status 1 if a check fails or a request erred.

With --cluster, it starts two clusters with `scripts/cluster.py` (what `make cluster` runs: nginx with
TLS, gunicorn nodes of --workers workers each, a Celery worker), one with one node and one with two,
each on a database and media folder of its own, and drives (a) eligibility and (c) the mix through
each nginx over HTTPS, the two clusters alternating in --rounds slices; it reports the throughput of
two nodes against one and runs the same checks on both databases. On one machine the nodes share its
cores: two nodes can only add what the cores left idle by one node allow (README "Cluster").
"""

from __future__ import annotations

import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
# `python bench/load.py` puts bench/ first on sys.path, where bench/queue.py would shadow the
# standard library's queue (which threading tools import).
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != BENCH]
sys.path.insert(0, str(ROOT))

import argparse  # noqa: E402
import contextlib  # noqa: E402
import copy  # noqa: E402
import hashlib  # noqa: E402
import http.client  # noqa: E402
import itertools  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import queue  # noqa: E402
import re  # noqa: E402
import shutil  # noqa: E402
import signal  # noqa: E402
import socket  # noqa: E402
import ssl  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import threading  # noqa: E402
import time  # noqa: E402
import uuid  # noqa: E402
from collections import Counter  # noqa: E402
from dataclasses import dataclass, field  # noqa: E402

import psycopg  # noqa: E402

from measures.examples import EXAMPLE_FACTS  # noqa: E402 - a plain dict, no Django needed

PASSWORD = "Haidong-load-2025!"  # noqa: S105 - accounts of a throw-away database
# The anonymous eligibility throttle keeps one timestamp per request in its window; a per-second
# window keeps that list short, so the throttle does its real work without refusing or dominating.
THROTTLE = "1000000/s"
JURISDICTIONS = (  # (jurisdiction, project region, in the industrial park)
    ("park", "630202", True), ("630202", "630202", False), ("630203", "630203", False))
ATTACHMENT_KINDS = ("business_license", "project_filing", "investment_audit", "equipment_invoice",
                    "rack_acceptance")
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
CREDIT_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def credit_code(first17: str) -> str:
    total = sum(CREDIT_CHARS.index(c) * w for c, w in zip(first17, CREDIT_WEIGHTS, strict=True))
    return first17 + CREDIT_CHARS[(31 - total % 31) % 31]


def accounts(enterprises: int) -> list[dict]:
    """`enterprises` enterprise accounts, then one reviewer per jurisdiction of JURISDICTIONS."""
    spec = [{"username": f"load_ent{i}", "password": PASSWORD, "role": "enterprise",
             "credit_code": credit_code(f"91630202MA7L{i:05d}"), "enterprise_name": f"海东负载测试企业{i}有限公司",
             "email": f"ent{i}@example.com"} for i in range(enterprises)]
    return spec + [{"username": f"load_rev_{j}", "password": PASSWORD, "role": "reviewer", "jurisdiction": j}
                   for j, _, _ in JURISDICTIONS]


def eligibility_cases() -> list[bytes]:
    """Valid requests (HTTP 200), differing in amount, tier and payer."""
    cases = []
    for investment, region, park in (("320000000.00", "630202", True), ("600000000.00", "630202", True),
                                     ("99999999.99", "630202", True), ("150000000.00", "630223", False)):
        facts = copy.deepcopy(EXAMPLE_FACTS)
        facts["project"].update(equipment_investment_cny=investment, region=region, in_industrial_park=park)
        cases.append(json.dumps(facts).encode())
    return cases


# --- the server and its database -----------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Stack:
    """A fresh database, a media directory and gunicorn on them; `close()` undoes it all."""

    def __init__(self, admin_url: str, workers: int, keep: bool):
        self.admin_url, self.workers, self.keep = admin_url, workers, keep
        self.db = f"haidong_load_{os.getpid()}"
        self.tmp = Path(tempfile.mkdtemp(prefix="haidong-load-"))
        self.media = self.tmp / "media"
        self.log_path = self.tmp / "gunicorn.log"
        self.port = free_port()
        self.proc: subprocess.Popen | None = None
        self.created = False
        base = psycopg.conninfo.conninfo_to_dict(admin_url)
        self.db_url = (f"postgres://{base.get('user', 'postgres')}@{base.get('host', '127.0.0.1')}:"
                       f"{base.get('port', 5432)}/{self.db}")
        self.env = {
            **os.environ, "DJANGO_SETTINGS_MODULE": "bench.bare_settings", "DEBUG": "false",
            "SECRET_KEY": "load-bench-" + uuid.uuid4().hex * 2, "ALLOWED_HOSTS": "127.0.0.1",
            "DATABASE_URL": self.db_url, "SECURE_SSL_REDIRECT": "false", "MEDIA_ROOT": str(self.media),
            "THROTTLE_ELIGIBILITY_ANON": THROTTLE, "THROTTLE_ELIGIBILITY_USER": THROTTLE,
            "WEB_CONCURRENCY": str(workers), "BIND": f"127.0.0.1:{self.port}", "PYTHONUNBUFFERED": "1",
            # Approvals of grants straight away: what is measured is approving, not the notice (公示).
            "PUBLIC_NOTICE_WORKING_DAYS": "0",
        }

    def sql(self, dbname: str | None = None) -> psycopg.Connection:
        info = psycopg.conninfo.conninfo_to_dict(self.admin_url)
        if dbname:
            info["dbname"] = dbname
        return psycopg.connect(psycopg.conninfo.make_conninfo(**info), autocommit=True)

    def create_database(self) -> None:
        with self.sql() as conn:
            conn.execute(f'CREATE DATABASE "{self.db}"')
        self.created = True
        subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=self.env,
                       check=True)

    def create_accounts(self, spec: list[dict]) -> None:
        code = ("import json, os, django; django.setup()\n"
                "from accounts.services import account_create\n"
                "for a in json.loads(os.environ['LOAD_ACCOUNTS']): account_create(**a)\n")
        env = {**self.env, "LOAD_ACCOUNTS": json.dumps(spec)}
        subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, check=True)  # noqa: S603 - our own code

    def start(self) -> None:
        log = open(self.log_path, "ab")  # noqa: SIM115 - the server's, closed with it
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "haidong_policy.wsgi", "-c", "haidong_policy/gunicorn.conf.py"],
            cwd=ROOT, env=self.env, stdout=log, stderr=log, start_new_session=True)
        log.close()
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.proc.returncode}; see {self.log_path}")
            with contextlib.suppress(OSError):
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                conn.request("GET", "/readyz")
                if conn.getresponse().status == 200:
                    return
            time.sleep(0.2)
        raise RuntimeError("gunicorn did not become ready in 60 s")

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.send_signal(signal.SIGTERM)  # the arbiter stops its workers gracefully
        try:
            self.proc.wait(timeout=35)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()

    def close(self) -> None:
        self.stop()
        if self.created and not self.keep:
            with self.sql() as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{self.db}" WITH (FORCE)')
        if not self.keep:
            shutil.rmtree(self.tmp, ignore_errors=True)

    def cpu_seconds(self) -> float:
        """CPU time used by gunicorn so far: its live processes, plus the workers it has reaped."""
        if self.proc is None:
            return 0.0
        total = 0
        for stat in Path("/proc").glob("[0-9]*/stat"):
            with contextlib.suppress(OSError, ValueError, IndexError):
                fields = stat.read_text().rsplit(")", 1)[1].split()
                if int(fields[2]) == self.proc.pid:  # the process group (start_new_session)
                    total += int(fields[11]) + int(fields[12])  # utime, stime
                    if int(stat.parent.name) == self.proc.pid:
                        total += int(fields[13]) + int(fields[14])  # cutime, cstime: reaped workers
        return total / os.sysconf("SC_CLK_TCK")

    def server_ms(self) -> dict[tuple[str, str], list[float]]:
        """Time inside Django per (method, path kind), from the request log (RequestLogMiddleware):
        the service time, without the wait in the listen queue that the client also sees."""
        found: dict[tuple[str, str], list[float]] = {}
        text = self.log_path.read_text(errors="replace") if self.log_path.exists() else ""
        for line in text.splitlines():
            if '"haidong_policy.requests"' not in line:
                continue
            with contextlib.suppress(ValueError, KeyError):
                entry = json.loads(line)
                kind = re.sub(r"/\d+(?=/|$)", "/{id}", entry["path"])
                found.setdefault((entry["method"], kind), []).append(float(entry["ms"]))
        return found

    def log_summary(self) -> dict[str, int]:
        text = self.log_path.read_text(errors="replace") if self.log_path.exists() else ""
        return {"worker boots": text.count("Booting worker"), "worker timeouts": text.count("WORKER TIMEOUT"),
                "5xx logged": len(re.findall(r'"status": 5\d\d', text)),
                "tracebacks": text.count("Traceback (most recent call last)")}


# --- the client ----------------------------------------------------------------------------------

@dataclass
class Sample:
    op: str
    status: int  # 0: no response (connection error)
    seconds: float
    ok: bool


@dataclass
class Recorder:
    samples: list[Sample] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    submitted: list[int] = field(default_factory=list)  # answered 2xx
    approved: dict[int, tuple[str, str]] = field(default_factory=dict)  # id -> (number, sha256), answered 2xx
    errors: Counter = field(default_factory=Counter)

    def merge(self, other: Recorder) -> None:
        """Take in what another recorder saw (one slice of an interleaved phase)."""
        self.samples += other.samples
        self.errors += other.errors
        self.submitted += other.submitted
        self.approved.update(other.approved)

    def add(self, op: str, status: int, seconds: float, expected: int, detail: str = "") -> bool:
        ok = status == expected
        with self.lock:
            self.samples.append(Sample(op, status, seconds, ok))
            if not ok:
                self.errors[f"{op} {status} {detail[:120]}".strip()] += 1
        return ok


TLS: list[ssl.SSLContext] = []  # --cluster: the clusters' certificates, trusted for HTTPS to their nginx


class Client:
    """One connection, one request at a time."""

    def __init__(self, port: int, token: str = ""):
        self.conn = (http.client.HTTPSConnection("127.0.0.1", port, timeout=120, context=TLS[0]) if TLS
                     else http.client.HTTPConnection("127.0.0.1", port, timeout=120))
        self.headers = {"Authorization": f"Token {token}"} if token else {}

    def send(self, method: str, path: str, body: bytes, content_type: str) -> tuple[int, bytes, float]:
        headers = {**self.headers, "Content-Type": content_type, "Content-Length": str(len(body))}
        start = time.perf_counter()
        try:
            self.conn.request(method, path, body=body, headers=headers)
            response = self.conn.getresponse()
            data = response.read()
            return response.status, data, time.perf_counter() - start
        except (OSError, http.client.HTTPException) as exc:
            self.conn.close()
            return 0, repr(exc).encode(), time.perf_counter() - start

    def post_json(self, path: str, payload: object) -> tuple[int, bytes, float]:
        return self.send("POST", path, json.dumps(payload).encode(), "application/json")

    def upload(self, path: str, kind: str, content: bytes) -> tuple[int, bytes, float]:
        boundary = uuid.uuid4().hex
        body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"kind\"\r\n\r\n{kind}\r\n"
                f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{kind}.pdf\"\r\n"
                f"Content-Type: application/pdf\r\n\r\n").encode() + content + f"\r\n--{boundary}--\r\n".encode()
        return self.send("POST", path, body, f"multipart/form-data; boundary={boundary}")


def busy_cpu_seconds() -> float:
    """CPU time the whole machine has spent busy (all cores), from /proc/stat."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle + iowait
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


CPU: dict[str, tuple[float, float, float, float]] = {}  # phase -> wall, CPU s: client, server, whole machine
SERVER: list[Stack] = []


def run_clients(targets: list, seconds: float, name: str = "") -> float:
    """Run each target(deadline) in its own thread, all started together; the wall time taken."""
    barrier = threading.Barrier(len(targets) + 1)
    box: dict[str, float] = {}

    def wrap(target):
        barrier.wait()
        target(box["deadline"])

    threads = [threading.Thread(target=wrap, args=(t,), daemon=True) for t in targets]
    for t in threads:
        t.start()
    server = SERVER[0].cpu_seconds if SERVER else float
    start, cpu, served, busy = time.perf_counter(), time.process_time(), server(), busy_cpu_seconds()
    box["deadline"] = start + seconds
    barrier.wait()
    for t in threads:
        t.join()
    wall = time.perf_counter() - start
    used = (wall, time.process_time() - cpu, server() - served, busy_cpu_seconds() - busy)
    CPU[name] = tuple(a + b for a, b in zip(CPU.get(name, (0.0,) * 4), used, strict=True))
    return wall


def hammer(port: int, path: str, bodies: list[bytes], clients: int, seconds: float, op: str) -> tuple[Recorder, float]:
    rec = Recorder()

    def client(offset: int):
        def loop(deadline: float):
            c = Client(port)
            for i in itertools.count(offset):
                if time.perf_counter() >= deadline:
                    return
                status, data, took = c.send("POST", path, bodies[i % len(bodies)], "application/json")
                rec.add(op, status, took, 200, data.decode(errors="replace") if status != 200 else "")
        return loop

    return rec, run_clients([client(i) for i in range(clients)], seconds, op)


def interleaved(port: int, bodies: list[bytes], clients: int, seconds: float, rounds: int) -> dict:
    """Phases (a) and (b), each for `seconds` in all, in `rounds` alternating slices (a b, b a, a b…),
    so that a change in what else the machine is doing hits both alike."""
    paths = {"eligibility": "/api/v1/eligibility", "bare": "/bench/bare"}
    done = {name: (Recorder(), 0.0) for name in paths}
    for r in range(rounds):
        for name in (list(paths) if r % 2 == 0 else list(paths)[::-1]):
            rec, wall = hammer(port, paths[name], bodies, clients, seconds / rounds, name)
            total, walls = done[name]
            total.merge(rec)
            done[name] = (total, walls + wall)
    return done


def mix(port: int, enterprises: list[tuple[str, str]], reviewers: dict[str, str], reviewer_clients: int,
        seconds: float, name: str = "mix") -> tuple[Recorder, float, int]:
    """Enterprise clients file, upload and submit; reviewer clients approve what was submitted."""
    rec = Recorder()
    todo: queue.Queue = queue.Queue()
    serial = itertools.count(1)
    jurisdictions = itertools.cycle(JURISDICTIONS)
    lock = threading.Lock()

    def facts_for(code: str) -> tuple[dict, str]:
        with lock:
            n, (jurisdiction, region, park) = next(serial), next(jurisdictions)
        facts = copy.deepcopy(EXAMPLE_FACTS)
        del facts["as_of"]
        facts["enterprise"]["credit_code"] = code
        facts["project"].update(code=f"2406-{region}-04-01-{n:06d}", region=region, in_industrial_park=park,
                                equipment_investment_cny=("320000000.00", "600000000.00")[n % 2])
        return facts, jurisdiction

    def enterprise(token: str, code: str):
        def loop(deadline: float):
            c = Client(port, token)
            while time.perf_counter() < deadline:
                facts, jurisdiction = facts_for(code)
                status, data, took = c.post_json("/api/v1/applications", facts)
                if not rec.add("file draft", status, took, 201, data.decode(errors="replace")):
                    continue
                app_id = json.loads(data)["id"]
                uploaded = True
                for kind in ATTACHMENT_KINDS:
                    status, data, took = c.upload(f"/api/v1/applications/{app_id}/attachments", kind, PDF)
                    uploaded &= rec.add("upload attachment", status, took, 201, data.decode(errors="replace"))
                if not uploaded:
                    continue
                status, data, took = c.post_json(f"/api/v1/applications/{app_id}/submit", {"declaration": True})
                if rec.add("submit", status, took, 200, data.decode(errors="replace")):
                    with rec.lock:
                        rec.submitted.append(app_id)
                    todo.put((app_id, jurisdiction))
        return loop

    def reviewer():
        def loop(deadline: float):
            clients = {j: Client(port, token) for j, token in reviewers.items()}
            while time.perf_counter() < deadline:
                try:
                    app_id, jurisdiction = todo.get(timeout=0.05)
                except queue.Empty:
                    continue
                status, data, took = clients[jurisdiction].post_json(f"/api/v1/applications/{app_id}/approve",
                                                                     {"note": "load bench approval"})
                if rec.add("approve", status, took, 200, data.decode(errors="replace")):
                    d = json.loads(data)["determination"]
                    with rec.lock:
                        rec.approved[app_id] = (d["number"], d["sha256"])
        return loop

    targets = [enterprise(t, c) for t, c in enterprises] + [reviewer() for _ in range(reviewer_clients)]
    took = run_clients(targets, seconds, name)
    return rec, took, todo.qsize()


def token(port: int, username: str) -> str:
    status, data, _ = Client(port).post_json("/api/v1/auth/token", {"username": username, "password": PASSWORD})
    if status != 200:
        raise RuntimeError(f"token for {username}: {status} {data[:200]!r}")
    return json.loads(data)["token"]


# --- report --------------------------------------------------------------------------------------

def pct(sorted_values: list[float], p: float) -> float:
    if not sorted_values:
        return float("nan")
    return sorted_values[min(len(sorted_values) - 1, max(0, round(p / 100 * len(sorted_values) + 0.5) - 1))]


def row(name: str, clients: str, samples: list[Sample], seconds: float, server: list[float]) -> list[str]:
    lat = sorted(s.seconds * 1000 for s in samples)
    errors = sum(not s.ok for s in samples)
    inside = sorted(server)
    return [name, clients, str(len(samples)), str(errors), f"{len(samples) / seconds:.1f}",
            f"{pct(lat, 50):.1f}", f"{pct(lat, 95):.1f}", f"{pct(lat, 99):.1f}",
            f"{pct(inside, 50):.1f}" if inside else "-", f"{pct(inside, 99):.1f}" if inside else "-"]


def table(rows: list[list[str]]) -> str:
    head = ["phase", "clients", "requests", "errors", "req/s", "p50 ms", "p95 ms", "p99 ms", "in Django p50",
            "p99"]
    widths = [max(len(r[i]) for r in [head, *rows]) for i in range(len(head))]
    line = "  ".join("-" * w for w in widths)

    def fmt(r: list[str]) -> str:  # names left, numbers right
        return "  ".join(c.ljust(w) if i < 2 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths, strict=True)))

    return "\n".join([fmt(head), line, *map(fmt, rows)])


# --- checks --------------------------------------------------------------------------------------

def verify(stack: Stack, rec: Recorder) -> list[tuple[str, bool, str]]:
    results = []
    with stack.sql(stack.db) as db:
        dets = db.execute("SELECT application_id, authority, year, serial, number, pdf, sha256, decision "
                          "FROM applications_determination").fetchall()
        numbers = Counter(d[4] for d in dets)
        dupes = [n for n, c in numbers.items() if c > 1]
        results.append(("no duplicate determination numbers", not dupes, f"{len(dets)} determinations"
                        + (f"; duplicated: {dupes[:5]}" if dupes else "")))
        series: dict[tuple[str, int], list[int]] = {}
        for d in dets:
            series.setdefault((d[1], d[2]), []).append(d[3])
        last = dict(((a, y), s) for a, y, s in db.execute(
            "SELECT authority, year, last_serial FROM applications_numberseries").fetchall())
        bad = {k: (min(v), max(v), len(v), last.get(k)) for k, v in series.items()
               if sorted(v) != list(range(1, len(v) + 1)) or last.get(k) != len(v)}
        results.append(("serials 1..n without gaps per authority/year", not bad,
                         ", ".join(f"{a}/{y}: 1..{len(v)}" for (a, y), v in sorted(series.items()))
                         + (f"; bad: {bad}" if bad else "")))
        states = dict(db.execute("SELECT id, state FROM applications_application").fetchall())
        frozen = {r[0] for r in db.execute(
            "SELECT DISTINCT application_id FROM applications_evaluation WHERE kind = 'submission'").fetchall()}
        lost = [a for a in rec.submitted if states.get(a) in (None, "draft", "withdrawn") or a not in frozen]
        results.append(("every 2xx submission stored (state >= submitted, frozen evaluation)", not lost,
                        f"{len(rec.submitted)} acknowledged" + (f"; missing: {lost[:10]}" if lost else "")))
        by_app = {d[0]: d for d in dets}
        wrong = [a for a, (number, sha) in rec.approved.items()
                 if states.get(a) != "approved" or a not in by_app or by_app[a][4] != number or by_app[a][6] != sha]
        results.append(("every 2xx approval stored (approved, its determination)", not wrong,
                        f"{len(rec.approved)} acknowledged" + (f"; wrong: {wrong[:10]}" if wrong else "")))
        undetermined = [a for a, s in states.items() if s in ("approved", "rejected") and a not in by_app]
        results.append(("no decision without determination", not undetermined, f"{len(undetermined)} found"))
        bad_files = []
        for d in dets:
            path = stack.media / d[5] if d[5] else None
            if path is None or not path.is_file() or hashlib.sha256(path.read_bytes()).hexdigest() != d[6]:
                bad_files.append(d[4])
        results.append(("every determination PDF present, SHA-256 matches", not bad_files,
                        f"{len(dets) - len(bad_files)}/{len(dets)} ok"))
    return results


# --- --cluster: one node against two, through nginx ------------------------------------------------

class ClusterStack(Stack):
    """A cluster of `nodes` app nodes as `make cluster` starts it (scripts/cluster.py), on a database
    and in a folder of its own; `port` is its nginx (HTTPS)."""

    def __init__(self, admin_url: str, workers: int, keep: bool, nodes: int):
        super().__init__(admin_url, workers, keep)
        self.nodes = nodes
        self.db = f"haidong_load_{os.getpid()}_{nodes}node"
        self.db_url = self.db_url.rsplit("/", 1)[0] + f"/{self.db}"
        self.dir = self.tmp / "cluster"
        self.media = self.dir / "media"
        self.port, *node_ports = [free_port() for _ in range(nodes + 1)]
        self.env = {
            **{k: v for k, v in os.environ.items() if k not in ("MEDIA_STORAGE_URL", "DJANGO_SETTINGS_MODULE")},
            "DATABASE_URL": self.db_url, "REDIS_URL": os.environ.get("LOAD_REDIS_URL", "redis://127.0.0.1:6379/11"),
            "CLUSTER_DIR": str(self.dir), "CLUSTER_PORT": str(self.port),
            "CLUSTER_NODE_PORTS": ",".join(map(str, node_ports)), "CLUSTER_WORKERS": str(workers),
            "CLUSTER_DEMO": "no", "THROTTLE_ELIGIBILITY_ANON": THROTTLE, "THROTTLE_ELIGIBILITY_USER": THROTTLE,
            "PUBLIC_NOTICE_WORKING_DAYS": "0",
        }

    def create_database(self) -> None:
        """scripts/cluster.py creates and migrates it (start)."""

    def create_accounts(self, spec: list[dict]) -> None:
        env, self.env = self.env, {**self.env, "DJANGO_SETTINGS_MODULE": "haidong_policy.settings", "DEBUG": "true"}
        try:
            super().create_accounts(spec)
        finally:
            self.env = env

    def start(self) -> None:
        self.created = True  # scripts/cluster.py creates the database: close() drops it
        done = subprocess.run([sys.executable, "scripts/cluster.py", "start"], cwd=ROOT, env=self.env,
                              capture_output=True, text=True)
        if done.returncode:
            raise RuntimeError(f"scripts/cluster.py start failed:\n{done.stdout}{done.stderr}")
        self.log_path = self.dir / "log" / "node-1.log"

    def stop(self) -> None:
        subprocess.run([sys.executable, "scripts/cluster.py", "stop"], cwd=ROOT, env=self.env, capture_output=True)

    def cpu_seconds(self) -> float:
        """CPU time used by nginx, the nodes and the worker (their process groups)."""
        groups = {int(p.read_text().split()[0]) for p in self.dir.glob("*.pid")}  # the PID, then its start time
        total = 0
        for stat in Path("/proc").glob("[0-9]*/stat"):
            with contextlib.suppress(OSError, ValueError, IndexError):
                fields = stat.read_text().rsplit(")", 1)[1].split()
                if int(fields[2]) in groups:
                    total += int(fields[11]) + int(fields[12])
        return total / os.sysconf("SC_CLK_TCK")


def cluster_main(args) -> int:
    stacks = [ClusterStack(args.pg, args.workers, args.keep, nodes) for nodes in (1, 2)]
    n_enterprises = args.mix_clients - args.reviewers
    spec = accounts(n_enterprises)
    try:
        for stack in stacks:
            stack.start()
            stack.create_accounts(spec)
        context = ssl.create_default_context()
        for stack in stacks:
            context.load_verify_locations(cafile=str(stack.dir / "tls" / "cert.pem"))
        TLS.append(context)
        print(f"two clusters through nginx (HTTPS): 1 node and 2 nodes of {args.workers} gunicorn workers each, "
              f"on a machine of {os.cpu_count()} cores; throttle lifted ({THROTTLE})")
        tokens = {s.nodes: ([(token(s.port, a["username"]), a["credit_code"]) for a in spec[:n_enterprises]],
                            {j: token(s.port, f"load_rev_{j}") for j, _, _ in JURISDICTIONS}) for s in stacks}
        bodies = eligibility_cases()
        for s in stacks:  # warm every worker's code paths, the PDF rendering too
            hammer(s.port, "/api/v1/eligibility", bodies, 4 * s.nodes, 1.0, "warm-up")
            mix(s.port, tokens[s.nodes][0][:2], tokens[s.nodes][1], 2, 2.0, "warm-up")
        done = {(s.nodes, phase): [Recorder(), 0.0] for s in stacks for phase in ("eligibility", "mix")}
        for r in range(args.rounds):
            for s in (stacks if r % 2 == 0 else stacks[::-1]):
                SERVER[:] = [s]  # the CPU the phase took is this cluster's
                rec, wall = hammer(s.port, "/api/v1/eligibility", bodies, args.clients, args.seconds / args.rounds,
                                   f"{s.nodes} eligibility")
                done[(s.nodes, "eligibility")][0].merge(rec)
                done[(s.nodes, "eligibility")][1] += wall
                rec, wall, _ = mix(s.port, *tokens[s.nodes], args.reviewers, args.seconds / args.rounds,
                                   f"{s.nodes} mix")
                done[(s.nodes, "mix")][0].merge(rec)
                done[(s.nodes, "mix")][1] += wall
        for s in stacks:
            s.stop()
        rows = []
        for s in stacks:
            rec, wall = done[(s.nodes, "eligibility")]
            rows.append(row(f"{s.nodes} node(s): POST /api/v1/eligibility", str(args.clients), rec.samples, wall, []))
            rec, wall = done[(s.nodes, "mix")]
            rows.append(row(f"{s.nodes} node(s): mix (file, upload, submit, approve)",
                            f"{n_enterprises}+{args.reviewers}", rec.samples, wall, []))
        print()
        print(table(rows))

        def rate(nodes: int, phase: str) -> float:
            rec, wall = done[(nodes, phase)]
            return len(rec.samples) / wall

        print(f"\ntwo nodes / one node throughput: eligibility {rate(2, 'eligibility') / rate(1, 'eligibility'):.2f}, "
              f"mix {rate(2, 'mix') / rate(1, 'mix'):.2f}")
        cores = os.cpu_count() or 1
        print(f"CPU of the {cores} cores used: " + "; ".join(
            f"{name}: the cluster {served / wall / cores:.0%}, this client {cpu / wall / cores:.0%}"
            for name, (wall, cpu, served, _busy) in CPU.items() if name != "warm-up"))
        errors = sum((rec.errors for rec, _ in done.values()), Counter())
        for what, count in errors.most_common(10):
            print(f"  error x{count}: {what}")
        ok = not errors
        print("\nchecks in the databases:")
        for s in stacks:
            for name, passed, detail in verify(s, done[(s.nodes, "mix")][0]):
                ok &= passed
                print(f"  [{'ok' if passed else 'FAIL'}] {s.nodes} node(s): {name}: {detail}")
        return 0 if ok else 1
    finally:
        for s in stacks:
            s.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=30, help="length of each phase (default 30)")
    parser.add_argument("--clients", type=int, default=50, help="clients in phases a and b (default 50)")
    parser.add_argument("--mix-clients", type=int, default=20, help="clients in phase c (default 20)")
    parser.add_argument("--reviewers", type=int, default=5, help="of the mix clients, how many approve (default 5)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    parser.add_argument("--pg", default=os.environ.get("LOAD_PG_URL", "postgresql://postgres@127.0.0.1:5432/postgres"),
                        help="PostgreSQL to create the throw-away database in")
    parser.add_argument("--rounds", type=int, default=6,
                        help="phases a and b alternate in this many slices each (default 6; 1: one block each)")
    parser.add_argument("--max-requests", type=int, default=None,
                        help="override the config's max_requests (worker recycling; 0 turns it off)")
    parser.add_argument("--keep", action="store_true", help="keep the database and the media directory")
    parser.add_argument("--cluster", action="store_true",
                        help="through nginx: a cluster of one node against one of two (scripts/cluster.py)")
    args = parser.parse_args()
    if not 0 < args.reviewers < args.mix_clients:
        parser.error("--reviewers must be between 1 and --mix-clients - 1")
    if args.cluster:
        return cluster_main(args)

    stack = Stack(args.pg, args.workers, args.keep)
    if args.max_requests is not None:
        stack.env["GUNICORN_CMD_ARGS"] = f"--max-requests {args.max_requests}"
    try:
        override = f", {stack.env['GUNICORN_CMD_ARGS']}" if args.max_requests is not None else ""
        print(f"database {stack.db}, media {stack.media}, gunicorn {args.workers} sync workers "
              f"(haidong_policy/gunicorn.conf.py{override}) on 127.0.0.1:{stack.port}, DEBUG off")
        print(f"throttle: THROTTLE_ELIGIBILITY_ANON/USER={THROTTLE} (lifted, so it counts but never refuses)")
        t = time.perf_counter()
        stack.create_database()
        n_enterprises = args.mix_clients - args.reviewers
        spec = accounts(n_enterprises)
        stack.create_accounts(spec)
        stack.start()
        SERVER.append(stack)
        enterprises = [(token(stack.port, a["username"]), a["credit_code"]) for a in spec[:n_enterprises]]
        reviewers = {j: token(stack.port, f"load_rev_{j}") for j, _, _ in JURISDICTIONS}
        print(f"setup {time.perf_counter() - t:.1f} s: migrated, {len(spec)} accounts, "
              "tokens via POST /api/v1/auth/token")

        bodies = eligibility_cases()
        for path in ("/api/v1/eligibility", "/bench/bare"):  # warm both workers' code paths
            hammer(stack.port, path, bodies, 4, 1.0, "warm-up")
        warm, _, _ = mix(stack.port, enterprises[:2], reviewers, 2, 2.0, "warm-up")  # and the PDF rendering of both
        print(f"phases of {args.seconds:g} s each; a and b alternate in {args.rounds} slices of "
              f"{args.seconds / args.rounds:g} s ...", flush=True)
        ab = interleaved(stack.port, bodies, args.clients, args.seconds, args.rounds)
        (elig, elig_s), (bare, bare_s) = ab["eligibility"], ab["bare"]
        mixed, mix_s, backlog = mix(stack.port, enterprises, reviewers, args.reviewers, args.seconds)

        stack.stop()
        inside = stack.server_ms()  # includes the warm-ups' few requests
        mix_paths = {"file draft": "/api/v1/applications", "upload attachment": "/api/v1/applications/{id}/attachments",
                     "submit": "/api/v1/applications/{id}/submit", "approve": "/api/v1/applications/{id}/approve"}
        rows = [row("(a) POST /api/v1/eligibility", str(args.clients), elig.samples, elig_s,
                    inside.get(("POST", "/api/v1/eligibility"), [])),
                row("(b) POST /bench/bare (bare view)", str(args.clients), bare.samples, bare_s,
                    inside.get(("POST", "/bench/bare"), [])),
                row("(c) mix, all requests", f"{n_enterprises}+{args.reviewers}", mixed.samples, mix_s,
                    [ms for path in mix_paths.values() for ms in inside.get(("POST", path), [])])]
        for op, path in mix_paths.items():
            rows.append(row(f"    {op}", "", [s for s in mixed.samples if s.op == op], mix_s,
                            inside.get(("POST", path), [])))
        print()
        print(table(rows))
        ratio = (len(elig.samples) / elig_s) / (len(bare.samples) / bare_s)
        print(f"\neligibility/bare throughput: {ratio:.2f}")
        cores = os.cpu_count() or 1
        per_request = {name: CPU[name][2] / len(r.samples) * 1000 for name, r in
                       (("eligibility", elig), ("bare", bare), ("mix", mixed)) if r.samples}
        print("server CPU per request (independent of other load on the machine): " + ", ".join(
            f"{name} {ms:.2f} ms" for name, ms in per_request.items())
            + (f"; eligibility/bare {per_request['eligibility'] / per_request['bare']:.2f}" if len(per_request) == 3
               else ""))
        print(f"CPU of the {cores} cores used: " + "; ".join(
            f"{name}: gunicorn {served / wall / cores:.0%}, this client {cpu / wall / cores:.0%}, "
            f"other processes {max(0.0, busy - served - cpu) / wall / cores:.0%}"
            for name, (wall, cpu, served, busy) in CPU.items() if name != "warm-up"))
        print(f"mix: {len(mixed.submitted)} submitted, {len(mixed.approved)} approved with a determination "
              f"({len(mixed.approved) / mix_s:.1f}/s), {backlog} left in the reviewers' queue at the end")
        print("server log: " + ", ".join(f"{k} {v}" for k, v in stack.log_summary().items()))
        errors = elig.errors + bare.errors + mixed.errors + warm.errors
        for what, count in errors.most_common(10):
            print(f"  error x{count}: {what}")

        print("\nchecks in the database:")
        mixed.submitted += warm.submitted  # the warm-up's acknowledged work is checked too
        mixed.approved.update(warm.approved)
        results = verify(stack, mixed)
        for name, ok, detail in results:
            print(f"  [{'ok' if ok else 'FAIL'}] {name}: {detail}")
        return 0 if all(ok for _, ok, _ in results) and not errors else 1
    finally:
        stack.close()


if __name__ == "__main__":
    sys.exit(main())
