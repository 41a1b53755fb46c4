"""The short path of anonymous eligibility requests (haidong_policy.fastpath) against Django's full
stack, both called as the WSGI application gunicorn serves: the same bytes, the same headers, one
throttle; anything not anonymous, not a POST or not this path goes to Django."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.test import RequestFactory

from haidong_policy import wsgi
from haidong_policy.fastpath import EligibilityFastPath
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
def test_it_gives_the_same_answer_as_the_full_stack(case):
    body = json.dumps(case["facts"], ensure_ascii=False)
    for language in ("zh-hans", "en"):
        short, full = both(body, HTTP_ACCEPT_LANGUAGE=language)
        assert short == full
        assert short[0] == "200 OK" and json.loads(short[2])["measures"]


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


def test_it_leaves_everything_else_to_django(monkeypatch):
    taken = []
    real = wsgi.application.handler
    monkeypatch.setattr(wsgi.application, "handler", lambda request: taken.append(request.path) or real(request))
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
    taken = []
    real = wsgi.application.handler
    monkeypatch.setattr(wsgi.application, "handler", lambda request: taken.append(request.path) or real(request))
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
