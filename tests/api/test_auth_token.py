"""POST /api/v1/auth/token, and the lockout of repeated failed logins (django-axes)."""

import json

import pytest

from tests.personas import PASSWORD, applicant

pytestmark = pytest.mark.django_db
URL = "/api/v1/auth/token"


def login(client, username, password, address="192.0.2.10"):
    return client.post(URL, json.dumps({"username": username, "password": password}),
                       content_type="application/json", REMOTE_ADDR=address)


def test_it_gives_a_token_that_authenticates_api_calls(client):
    applicant()
    r = login(client, "applicant", PASSWORD)
    assert r.status_code == 200
    token = r.json()["token"]
    listing = client.get("/api/v1/applications", HTTP_AUTHORIZATION=f"Token {token}")
    assert listing.status_code == 200 and listing.json()["count"] == 0


def test_it_refuses_wrong_credentials_as_a_problem(client):
    applicant()
    r = login(client, "applicant", "wrong")
    assert r.status_code == 400 and r["Content-Type"] == "application/problem+json"
    r = client.post(URL, json.dumps({"username": "applicant"}), content_type="application/json")
    assert [e["field"] for e in r.json()["errors"]] == ["password"]


def test_it_locks_out_a_username_after_repeated_failures(client, settings):
    applicant()
    codes = [login(client, "applicant", "wrong", address=f"192.0.2.{i}").status_code
             for i in range(settings.AXES_FAILURE_LIMIT)]
    assert codes == [400] * (settings.AXES_FAILURE_LIMIT - 1) + [429]  # the failure reaching the limit locks
    # Even the right password, from yet another address, is refused for now.
    r = login(client, "applicant", PASSWORD, address="198.51.100.7")
    assert r.status_code == 429 and r["Content-Type"] == "application/problem+json"
    assert "minutes" in r.json()["detail"] or "分钟" in r.json()["detail"]
    assert int(r["Retry-After"]) > 0


def test_it_locks_out_an_address_trying_many_usernames(client, settings):
    applicant()
    for i in range(settings.AXES_FAILURE_LIMIT):
        login(client, f"nobody{i}", "wrong", address="203.0.113.9")
    assert login(client, "applicant", PASSWORD, address="203.0.113.9").status_code == 429
    assert login(client, "applicant", PASSWORD, address="203.0.113.10").status_code == 200


def test_it_forgets_the_failures_after_a_successful_login(client, settings):
    applicant()
    below_limit = settings.AXES_FAILURE_LIMIT - 1
    for _ in range(below_limit):
        assert login(client, "applicant", "wrong").status_code == 400
    assert login(client, "applicant", PASSWORD).status_code == 200
    assert [login(client, "applicant", "wrong").status_code for _ in range(below_limit)] == [400] * below_limit
    assert login(client, "applicant", "wrong").status_code == 429
