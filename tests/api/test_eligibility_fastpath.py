"""The short path of anonymous eligibility requests (haidong_policy.fastpath) against Django's full
stack, both called as the WSGI application gunicorn serves: the same bytes, the same headers, one
throttle; anything not anonymous, not a POST or not this path goes to Django. A 200 is written by the
lean answer, anything else by the middleware chain: both are compared with the full stack."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest
from django.core.wsgi import get_wsgi_application
from django.test import RequestFactory, override_settings

from haidong_policy import wsgi
from haidong_policy.fastpath import EligibilityFastPath
from haidong_policy.logs import JsonFormatter
from measures.examples import EXAMPLE_FACTS
from tests.api.test_eligibility import rates
from tests.personas import applicant, auth

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_now")]
RULE_CASES = json.loads((Path(__file__).parent.parent / "measures" / "rule_cases.json").read_text(encoding="utf-8"))
URL = "/api/v1/eligibility"
VARYING = {"X-Request-ID", "Date"}


def call(application, body: bytes | str, path: str = URL, method: str = "post", **headers):
    """(status, headers without the per-request ones, body bytes) of one WSGI call."""
    environ = getattr(RequestFactory(), method)(path, body, content_type="application/json", **headers).environ
    seen = {}

    def start_response(status, response_headers, exc_info=None):
        seen["status"], seen["headers"] = status, response_headers

    chunks = application(environ, start_response)
    content = b"".join(chunks)
    getattr(chunks, "close", lambda: None)()
    head = sorted((k, v) for k, v in seen["headers"] if k not in VARYING)
    return seen["status"], head, content


def both(body, **headers):
    return call(wsgi.application, body, **headers), call(wsgi.django_application, body, **headers)


def test_it_is_the_application_gunicorn_serves():
    assert isinstance(wsgi.application, EligibilityFastPath)
    assert wsgi.application.takes(RequestFactory().post(URL, "{}", content_type="application/json").environ)


@pytest.mark.parametrize("case", RULE_CASES, ids=[c["name"] for c in RULE_CASES])
def test_it_gives_the_same_answer_as_the_full_stack(case, monkeypatch):
    written = lean_answers(monkeypatch)
    body = json.dumps(case["facts"], ensure_ascii=False)
    for language in ("zh-hans", "en"):
        short, full = both(body, HTTP_ACCEPT_LANGUAGE=language)
        assert short == full
        assert short[0] == "200 OK" and json.loads(short[2])["measures"]
    assert written == ["200 OK", "200 OK"]  # by the lean answer


@pytest.mark.parametrize("body", ["{not json", json.dumps({"enterprise": {"credit_code": "91630202MA7ABCDE10"}}),
                                  json.dumps({**EXAMPLE_FACTS, "as_of": "2025-02-30"}), "[]", '"\\u0000"'])
def test_it_refuses_bad_facts_as_the_full_stack_does(body):
    short, full = both(body)
    assert short == full and short[0].startswith("400")
    assert ("Content-Type", "application/problem+json") in short[1]


def test_it_counts_against_the_full_stacks_throttle(settings):
    body = json.dumps(EXAMPLE_FACTS)
    with rates("3/min"):
        statuses = [call(wsgi.application, body)[0] for _ in range(2)]
        statuses.append(call(wsgi.django_application, body)[0])
        short, full = both(body)
    assert statuses == ["200 OK"] * 3
    assert short == full and short[0].startswith("429")
    assert dict(short[1])["Retry-After"] == "60"


def short_path_calls(monkeypatch) -> list[str]:
    """The paths of the requests the short path takes (its lean answer is its first step)."""
    taken = []
    real = wsgi.application.lean
    monkeypatch.setattr(wsgi.application, "lean", lambda environ: taken.append(environ["PATH_INFO"]) or real(environ))
    return taken


def lean_answers(monkeypatch) -> list[str]:
    """The statuses the lean answer wrote itself (None: left to the middleware chain)."""
    written = []
    real = wsgi.application.lean
    monkeypatch.setattr(wsgi.application, "lean",
                        lambda environ: written.append((answer := real(environ)) and answer[0]) or answer)
    return written


def test_it_writes_the_plain_answer_without_the_middleware_chain(monkeypatch):
    written = lean_answers(monkeypatch)
    short, full = both(json.dumps(EXAMPLE_FACTS), HTTP_ACCEPT_LANGUAGE="en")
    assert short == full and written == ["200 OK"]


def test_it_leaves_everything_else_to_django(monkeypatch):
    taken = short_path_calls(monkeypatch)
    token = auth(applicant())["HTTP_AUTHORIZATION"]
    body = json.dumps(EXAMPLE_FACTS)
    call(wsgi.application, body, HTTP_AUTHORIZATION=token)  # a signed-in client: the one-time rule is checked
    call(wsgi.application, body, HTTP_COOKIE="sessionid=abc")
    call(wsgi.application, body, method="put")
    call(wsgi.application, body, path="/api/v1/measures")
    assert taken == []
    call(wsgi.application, body, path=URL + "/")
    assert taken == [URL + "/"]


def test_it_refuses_a_body_over_the_limit_before_reading_it(settings):
    settings.BODY_MAX_BYTES = 100
    short, full = both(json.dumps(EXAMPLE_FACTS))
    assert short == full and short[0].startswith("413")


def test_it_refuses_a_host_not_allowed_as_the_full_stack_does(settings):
    settings.ALLOWED_HOSTS = ["good.example"]
    short, full = both(json.dumps(EXAMPLE_FACTS), HTTP_HOST="evil.example")
    assert short == full and short[0].startswith("400")


def test_it_leaves_other_media_types_to_drf(monkeypatch):
    taken = short_path_calls(monkeypatch)
    short, full = both(json.dumps(EXAMPLE_FACTS), HTTP_ACCEPT="text/html")
    assert short == full and short[0].startswith("406") and taken == []
    call(wsgi.application, json.dumps(EXAMPLE_FACTS), HTTP_ACCEPT="application/json, text/plain;q=0.5")
    assert taken == [URL]


def test_it_refuses_on_the_counter_even_when_it_is_gone_before_it_can_be_taken_back(monkeypatch):
    from django.core.cache import cache

    def gone(*args, **kwargs):
        raise ValueError("Key not found.")

    monkeypatch.setattr(cache, "decr", gone)
    body = json.dumps(EXAMPLE_FACTS)
    with rates("1/min"):
        statuses = [call(wsgi.application, body)[0] for _ in range(2)]
    assert statuses == ["200 OK", "429 Too Many Requests"]


def test_it_sends_the_security_headers_of_a_secure_request_as_the_full_stack_does():
    secure = {"SECURE_PROXY_SSL_HEADER": ("HTTP_X_FORWARDED_PROTO", "https"), "SECURE_HSTS_SECONDS": 600,
              "SECURE_HSTS_INCLUDE_SUBDOMAINS": True, "SECURE_HSTS_PRELOAD": True,
              "SECURE_REFERRER_POLICY": "same-origin, strict-origin"}
    with override_settings(**secure):  # both applications read these when they are made
        short_app, full_app = EligibilityFastPath(get_wsgi_application()), get_wsgi_application()
        body = json.dumps(EXAMPLE_FACTS)
        for proto in ("https", "http"):
            short = call(short_app, body, HTTP_X_FORWARDED_PROTO=proto)
            assert short == call(full_app, body, HTTP_X_FORWARDED_PROTO=proto)
            hsts = dict(short[1]).get("Strict-Transport-Security")
            assert hsts == ("max-age=600; includeSubDomains; preload" if proto == "https" else None)
        assert dict(short[1])["Referrer-Policy"] == "same-origin,strict-origin"


def test_it_leaves_a_redirect_to_https_to_the_middleware_chain():
    with override_settings(SECURE_SSL_REDIRECT=True):
        short_app, full_app = EligibilityFastPath(get_wsgi_application()), get_wsgi_application()
    body = json.dumps(EXAMPLE_FACTS)
    short = call(short_app, body)
    assert short == call(full_app, body) and short[0].startswith("301")
    assert short_app.lean(RequestFactory().post(URL, body, content_type="application/json").environ) is None


def test_it_sends_back_the_clients_request_id_or_a_new_one():
    body = json.dumps(EXAMPLE_FACTS)
    seen = {}
    for rid in ("client-chosen-id-1234", "bad id!", ""):
        environ = RequestFactory().post(URL, body, content_type="application/json", HTTP_X_REQUEST_ID=rid).environ
        wsgi.application(environ, lambda status, headers, exc_info=None: seen.update(headers=dict(headers)))
        sent = seen["headers"]["X-Request-ID"]
        assert sent == rid if rid == "client-chosen-id-1234" else len(sent) == 32 and sent != rid


def test_it_counts_a_refused_body_once(monkeypatch):
    written = lean_answers(monkeypatch)
    good, bad = json.dumps(EXAMPLE_FACTS), json.dumps({**EXAMPLE_FACTS, "as_of": "2025-02-30"})
    with rates("3/min"):
        statuses = [call(wsgi.application, body)[0] for body in (bad, good, good, good)]
    assert statuses == ["400 Bad Request", "200 OK", "200 OK", "429 Too Many Requests"]
    assert written == [None, "200 OK", "200 OK", None]


def test_it_logs_one_line_with_the_request_id():
    lines = []

    class Written(logging.Handler):  # formats each record as it is emitted, as the console handler does
        def emit(self, record):
            lines.append(json.loads(JsonFormatter().format(record)))

    logger, handler = logging.getLogger("haidong_policy.requests"), Written()
    logger.addHandler(handler)
    try:
        environ = RequestFactory().post(URL, json.dumps(EXAMPLE_FACTS), content_type="application/json",
                                        HTTP_X_REQUEST_ID="trace-me-12345678", REMOTE_ADDR="10.1.2.3").environ
        wsgi.application(environ, lambda status, headers, exc_info=None: None)
    finally:
        logger.removeHandler(handler)
    [line] = lines
    assert {k: line[k] for k in ("message", "request_id", "method", "path", "status", "user", "client")} == {
        "message": "request", "request_id": "trace-me-12345678", "method": "POST", "path": URL, "status": 200,
        "user": None, "client": "10.1.2.3"}
    assert isinstance(line["ms"], float)


def test_it_answers_a_failure_as_the_full_stack_does_and_counts_it_once(monkeypatch):
    import eligibility.api

    def broken(*args, **kwargs):
        raise RuntimeError("a bug in the rules")

    monkeypatch.setattr(eligibility.api, "evaluate", broken)  # both paths' outcome()
    written, body = lean_answers(monkeypatch), json.dumps(EXAMPLE_FACTS)
    with rates("2/min"):
        short, full = both(body)
        after = call(wsgi.application, body)[0]
    assert short == full and short[0].startswith("500")
    assert ("Content-Type", "application/problem+json") in short[1] and written == [None, None]
    assert after.startswith("429")  # the failed request and the full stack's: two, each counted once


def test_it_carries_one_request_id_to_the_chain(monkeypatch):
    lines = []

    class Written(logging.Handler):
        def emit(self, record):
            lines.append(json.loads(JsonFormatter().format(record)))

    handler = Written(level=logging.INFO)
    root = logging.getLogger()
    monkeypatch.setattr(root, "level", logging.INFO)
    root.addHandler(handler)
    seen = {}
    try:
        environ = RequestFactory().post(URL, "{not json", content_type="application/json").environ
        wsgi.application(environ, lambda status, headers, exc_info=None: seen.update(headers=dict(headers)))
    finally:
        root.removeHandler(handler)
    [line] = [line for line in lines if line["logger"] == "haidong_policy.requests"]
    assert line["status"] == 400 and line["request_id"] == seen["headers"]["X-Request-ID"]


@pytest.mark.parametrize(("query", "accept"), [("format=xml", ""), ("format=json", ""), ("", "application/jsonx"),
                                               ("", "text/html, application/json-seq")])
def test_it_leaves_format_overrides_and_other_media_types_to_drf(monkeypatch, query, accept):
    taken = short_path_calls(monkeypatch)
    headers = {"QUERY_STRING": query, **({"HTTP_ACCEPT": accept} if accept else {})}
    short, full = both(json.dumps(EXAMPLE_FACTS), **headers)
    assert short == full and taken == []
