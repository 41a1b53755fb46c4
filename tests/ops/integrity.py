"""What the crash-safety test (one node killed) and the cluster test (one of two nodes killed behind
nginx) both drive and check: an API client that reports a dropped connection as status 0, complete
drafts, and every invariant of stored work (acknowledged writes complete, histories and audit entries
whole, determination numbers gapless, every file present with its SHA-256)."""

from __future__ import annotations

import copy
import hashlib
import http.client
import itertools
import json
import ssl
import time
import uuid
from pathlib import Path

from measures.examples import EXAMPLE_FACTS

KINDS = ("business_license", "project_filing", "investment_audit", "equipment_invoice", "rack_acceptance")
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
DECIDED = ("approved", "rejected")
PAST_DRAFT = ("submitted", "in_review", "returned", *DECIDED)


class Api:
    """One keep-alive connection; answers (status, JSON or None). No answer at all is status 0."""

    def __init__(self, port: int, token: str = "", *, tls: ssl.SSLContext | None = None, log: list | None = None):
        self.conn = (http.client.HTTPSConnection("127.0.0.1", port, timeout=60, context=tls) if tls
                     else http.client.HTTPConnection("127.0.0.1", port, timeout=60))
        self.auth = {"Authorization": f"Token {token}"} if token else {}
        self.log = log  # if given: (method, path, started, ended, status, request id) of every request
        self.cookies: dict[str, str] = {}  # the last value of each cookie set

    def get(self, path: str) -> tuple[int, bytes]:
        return self.request("GET", path, None, {})

    def request(self, method: str, path: str, body: bytes | None, headers: dict) -> tuple[int, bytes]:
        started, rid = time.monotonic(), uuid.uuid4().hex
        try:
            self.conn.request(method, path, body=body, headers={**self.auth, "X-Request-ID": rid, **headers})
            response = self.conn.getresponse()
            status, data = response.status, response.read()
            for header in response.headers.get_all("Set-Cookie") or []:
                name, _, rest = header.partition("=")
                self.cookies[name.strip()] = rest.split(";")[0]
        except (OSError, http.client.HTTPException):
            self.conn.close()
            status, data = 0, b""
        if self.log is not None:
            self.log.append((method, path, started, time.monotonic(), status, rid))
        return status, data

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
        status, data = self.request("POST", path, body, {"Content-Type": ctype})
        if status == 0:
            return 0, None
        try:
            return status, json.loads(data)
        except ValueError:
            return status, None


def facts(n: int) -> dict:
    facts = copy.deepcopy(EXAMPLE_FACTS)
    del facts["as_of"]
    facts["project"]["code"] = f"2406-630202-04-01-{n:06d}"  # one grant per project: each its own
    return facts


def file_draft(api: Api, n: int) -> int | None:
    """A complete draft (facts and the five attachments) or None if the server did not answer."""
    status, body = api.post("/api/v1/applications", facts(n))
    if status != 201:
        return None
    for kind in KINDS:
        if api.post(f"/api/v1/applications/{body['id']}/attachments", upload=(kind, PDF))[0] != 201:
            return None
    return body["id"]


class Folder:
    """The media store as a folder on the file system."""

    def __init__(self, root: Path):
        self.root = root

    def read(self, name: str) -> bytes | None:
        path = self.root / name
        return path.read_bytes() if name and path.is_file() else None

    def names(self) -> set[str]:
        return {str(p.relative_to(self.root)) for p in self.root.rglob("*") if p.is_file()}


class Bucket:
    """The media store as an S3 bucket (a prefix in it)."""

    def __init__(self, client, bucket: str, prefix: str = ""):
        self.client, self.bucket, self.prefix = client, bucket, f"{prefix}/" if prefix else ""

    def read(self, name: str) -> bytes | None:
        try:
            return self.client.get_object(Bucket=self.bucket, Key=self.prefix + name)["Body"].read() if name else None
        except self.client.exceptions.NoSuchKey:
            return None

    def names(self) -> set[str]:
        pages = self.client.get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=self.prefix)
        return {o["Key"].removeprefix(self.prefix) for page in pages for o in page.get("Contents", [])}


def problems(connect, media: Folder | Bucket, acked_submits: set[int], acked_approvals: dict[int, tuple[str, str]],
             acked_attachments: set[int] = frozenset()) -> list[str]:
    """Everything wrong in the database (`connect()`: a psycopg connection) and the media store;
    empty when all is well."""
    problems: list[str] = []
    with connect() as db:
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
        attachment_ids = {r[0] for r in q("SELECT id FROM applications_attachment")}

    def digest(name: str) -> str | None:
        data = media.read(name)
        return None if data is None else hashlib.sha256(data).hexdigest()

    # Acknowledged requests are stored completely.
    problems += [f"attachment {i}: upload answered 201, no row" for i in sorted(acked_attachments - attachment_ids)]
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


def orphan_files(connect, media: Folder | Bucket) -> list[str]:
    """Files no row points at: what a transaction killed after writing its file leaves behind."""
    with connect() as db:
        known = {r[0] for r in db.execute("SELECT pdf FROM applications_determination UNION "
                                          "SELECT file FROM applications_attachment").fetchall()}
    return sorted(media.names() - known)
