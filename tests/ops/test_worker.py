"""The production worker (haidong_policy.workers): gunicorn's sync worker that closes a connection at
once after its answer when the client sent nothing more, and lingers as gunicorn does when it did.
Run against a real gunicorn with the production config (a small WSGI app of this module, no Django)."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from gunicorn import util
from gunicorn.http.body import Body, EOFReader, LengthReader

from haidong_policy import workers
from tests.ops.conftest import free_port

ROOT = Path(__file__).resolve().parents[2]
ANSWER = bytes(range(256)) * 1024  # 256 KB: more than a socket buffer, so it leaves in many writes


def application(environ, start_response):
    """Echoes the length of the body it read, then ANSWER; on /early, answers without reading it (as a
    413 or 429 does)."""
    body = b"" if environ["PATH_INFO"] == "/early" else environ["wsgi.input"].read()
    start_response("200 OK", [("Content-Type", "application/octet-stream"), ("X-Read", str(len(body))),
                              ("Content-Length", str(len(ANSWER)))])
    return [ANSWER]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    port = free_port()
    log = tmp_path_factory.mktemp("worker") / "gunicorn.log"
    env = {**os.environ, "WEB_CONCURRENCY": "1", "BIND": f"127.0.0.1:{port}"}
    with open(log, "wb") as out:
        proc = subprocess.Popen([sys.executable, "-m", "gunicorn", "tests.ops.test_worker:application",
                                 "-c", "haidong_policy/gunicorn.conf.py"], cwd=ROOT, env=env,
                                stdout=out, stderr=subprocess.STDOUT)
    try:
        for _ in range(100):
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
                break
            time.sleep(0.1)
        yield port, log
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def exchange(port: int, request: bytes, late: bytes = b"") -> bytes:
    """Everything the server sends until it closes the connection; `late` is sent 50 ms after
    `request`."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as conn:
        conn.sendall(request)
        if late:
            time.sleep(0.05)
            conn.sendall(late)
        time.sleep(0.05)  # the client reads late: the answer must wait for it in full
        chunks = []
        while chunk := conn.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


def post(body: bytes, extra: bytes = b"", path: bytes = b"/x") -> bytes:
    head = b"POST %s HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: %d\r\n\r\n" % (path, len(body))
    return head + body + extra


def test_it_is_the_worker_of_the_production_config(server):
    port, log = server
    exchange(port, post(b"{}"))
    assert "Using worker: haidong_policy.workers.SyncWorker" in log.read_text()


# 62 KB more than the request: beyond what gunicorn reads of a request, within what its lingering close
# drains (64 KB; past that, stock gunicorn resets the connection too).
@pytest.mark.parametrize("extra", [b"", b"GET /more HTTP/1.1\r\nHost: x\r\n\r\n" * 1900],
                         ids=["nothing more", "more than was read"])
def test_it_delivers_the_whole_answer_then_closes(server, extra):
    port, _ = server
    answer = exchange(port, post(b'{"a": 1}', extra))
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 200 OK") and b"X-Read: 8" in head and b"Connection: close" in head
    assert body == ANSWER


def test_it_delivers_the_whole_answer_when_the_body_comes_after_it(server):
    port, _ = server
    body = b"x" * 20_000
    request = post(body, path=b"/early")
    answer = exchange(port, request[: -len(body)], late=body)  # headers now, the body 50 ms later
    head, _, received = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 200 OK") and b"X-Read: 0" in head
    assert received == ANSWER


class Request:
    """What close_after_answer reads of gunicorn's request: its body's reader."""

    def __init__(self, reader):
        self.body = Body(reader)


def read_whole():
    return Request(LengthReader(None, 0))


@pytest.fixture
def lingered(monkeypatch):
    lingered = []
    monkeypatch.setattr(util, "close_graceful", lingered.append)
    return lingered


def test_it_closes_at_once_when_the_request_was_read_whole(lingered):
    ours, theirs = socket.socketpair()
    with theirs:
        workers.close_after_answer(ours, read_whole())
        assert ours.fileno() == -1 and lingered == []
        assert theirs.recv(1) == b""  # closed: the peer reads the end


def test_it_lingers_as_gunicorn_does_when_the_client_sent_more(lingered):
    ours, theirs = socket.socketpair()
    with ours, theirs:
        theirs.sendall(b"unread")
        workers.close_after_answer(ours, read_whole())
        assert lingered == [ours] and ours.fileno() != -1  # gunicorn's close_graceful closes it


@pytest.mark.parametrize("req", [None, Request(LengthReader(None, 10)), Request(EOFReader(None))],
                         ids=["no request", "body not read", "body of unknown length"])
def test_it_lingers_as_gunicorn_does_while_part_of_the_request_may_still_come(lingered, req):
    ours, theirs = socket.socketpair()
    with ours, theirs:
        workers.close_after_answer(ours, req)
        assert lingered == [ours]


def test_it_lingers_when_reading_the_body_failed(lingered):
    req = read_whole()
    req.body.failed = True
    ours, theirs = socket.socketpair()
    with ours, theirs:
        workers.close_after_answer(ours, req)
        assert lingered == [ours]
