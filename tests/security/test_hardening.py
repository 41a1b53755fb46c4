"""Issue 10: one regression test (or a few) per row of the table of what was tried as an attacker
and as an operator. The row number is in each test's name."""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import re
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse

from accounts.models import User
from applications.models import Application, Attachment, Determination, NumberSeries
from audit.models import AuditEntry
from review import services as review_services
from tests.personas import (
    APPLICANT_CODE,
    NOW,
    PASSWORD,
    PDF,
    applicant,
    application_facts,
    auth,
    city_admin,
    finance_officer,
    reviewer,
    submitted,
    upload,
    valid_code,
)

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]
TOKEN = "/api/v1/auth/token"


def login(client, username, password, **extra):
    return client.post(TOKEN, json.dumps({"username": username, "password": password}),
                       content_type="application/json", **extra)


def behind_proxy(settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}


def via(address: str) -> dict:
    """A request that reached us through the one trusted proxy (127.0.0.1) from `address`."""
    return {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": address}


# --- row 1: lockout behind a proxy ------------------------------------------------------------------

def test_row_1_locks_out_the_client_behind_the_proxy_not_the_proxy(client, settings):
    behind_proxy(settings)
    applicant()
    other = applicant("second_user")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, "nobody", "wrong", **via("203.0.113.9"))
    assert login(client, "applicant", PASSWORD, **via("203.0.113.9")).status_code == 429
    # Another client behind the same proxy is not locked out.
    assert login(client, other.username, PASSWORD, **via("198.51.100.7")).status_code == 200
    # The audit log names the client, not the proxy; a forged leftmost entry is not believed.
    addresses = set(AuditEntry.objects.filter(action="login_failed").values_list("client_address", flat=True))
    assert addresses == {"203.0.113.9"}
    login(client, "nobody", "wrong", **via("10.9.9.9, 198.51.100.20"))
    assert AuditEntry.objects.filter(action="login_failed").latest("at").client_address == "198.51.100.20"


def test_row_1_counts_throttles_per_client_behind_the_proxy(client, settings):
    behind_proxy(settings)
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {
        **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "eligibility_anon": "2/min"}}
    body = json.dumps(application_facts())
    post = [client.post("/api/v1/eligibility", body, content_type="application/json", **via("203.0.113.9"))
            .status_code for _ in range(3)]
    assert post == [200, 200, 429]
    assert client.post("/api/v1/eligibility", body, content_type="application/json",
                       **via("198.51.100.7")).status_code == 200


# --- row 2: password spraying -----------------------------------------------------------------------

def test_row_2_does_not_forget_an_address_spraying_passwords_when_one_login_succeeds(client, settings):
    applicant()
    address = {"REMOTE_ADDR": "203.0.113.50"}
    rounds = []
    for _round in range(2):
        codes = [login(client, f"victim{i}", "wrong", **address).status_code for i in range(4)]
        codes.append(login(client, "applicant", PASSWORD, **address).status_code)
        rounds.append(codes)
    assert rounds[0] == [400, 400, 400, 400, 200]
    assert 429 in rounds[1] and rounds[1][-1] == 429  # the address is locked out in the second round


def test_row_2_still_forgets_the_own_username_failures_after_a_success(client, settings):
    applicant()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        login(client, "applicant", "wrong", REMOTE_ADDR="192.0.2.1")
    assert login(client, "applicant", PASSWORD, REMOTE_ADDR="192.0.2.1").status_code == 200
    assert login(client, "applicant", "wrong", REMOTE_ADDR="192.0.2.1").status_code == 400


# --- row 3: lone surrogates and NUL on every JSON endpoint ------------------------------------------

SURROGATE = "\ud800"


def _operations_with_json_bodies(client) -> set[tuple[str, str]]:
    schema = client.get("/api/v1/schema", {"format": "json"}).json()
    return {(method.upper(), path) for path, ops in schema["paths"].items() for method, op in ops.items()
            if "application/json" in (op.get("requestBody") or {}).get("content", {})}


@pytest.fixture
def json_endpoints(client):
    """Each JSON operation of the OpenAPI document with a body carrying bad text, and who calls it."""
    alice, park = applicant(), reviewer("park")
    draft = submitted(alice).pk
    Application.objects.filter(pk=draft).update(state="draft", submitted_at=None)
    queued = submitted(alice).pk
    facts = {"enterprise": {"sectors": ["cloud_computing"], "name": "x" + SURROGATE}}
    note = {"note": "ok" + SURROGATE}
    return [
        ("POST", "/api/v1/eligibility", None, facts, "enterprise.name"),
        ("POST", "/api/v1/auth/token", None, {"username": "a" + SURROGATE, "password": "x"}, "username"),
        ("POST", "/api/v1/applications", alice, facts, "enterprise.name"),
        ("PATCH", f"/api/v1/applications/{draft}", alice, facts, "enterprise.name"),
        ("POST", f"/api/v1/applications/{draft}/submit", alice, {"declaration": True, "x": SURROGATE}, "x"),
        ("POST", f"/api/v1/applications/{draft}/withdraw", alice, note, "note"),
        ("POST", f"/api/v1/applications/{queued}/return", park, note, "note"),
        ("POST", f"/api/v1/applications/{queued}/reject", park, note, "note"),
        ("POST", f"/api/v1/applications/{queued}/approve", park, note, "note"),
        ("POST", f"/api/v1/applications/{queued}/propose", park, note, "note"),
        ("POST", f"/api/v1/applications/{queued}/withdraw-proposal", park, note, "note"),
        ("POST", "/api/v1/objections/1/resolve", park, {"outcome": "dismissed", **note}, "note"),
        ("POST", "/api/v1/notices/1/objections", None,
         {"name": "张三" + SURROGATE, "contact": "13800000000", "text": "异议"}, "name"),
        ("POST", f"/api/v1/applications/{queued}/payments", finance_officer("park"),
         {"amount_cny": "1.00", "paid_on": "2025-03-01", "reference": "x" + SURROGATE}, "reference"),
        ("PUT", "/api/v1/budgets/park/2025", city_admin(), {"amount_cny": "1" + SURROGATE}, "amount_cny"),
        ("PATCH", "/api/v1/profile", alice, {"projects": [{"name": "x" + SURROGATE}]}, "projects.0.name"),
        ("POST", "/api/v1/profile/consent", alice, {"screening": True, "x": SURROGATE}, "x"),
    ]


def _template(path: str) -> str:
    path = re.sub(r"^/api/v1/budgets/[a-z0-9]+/\d+$", "/api/v1/budgets/{payer}/{year}", path)
    path = re.sub(r"^/api/v1/objections/\d+", "/api/v1/objections/{objection_id}", path)
    path = re.sub(r"^/api/v1/notices/\d+", "/api/v1/notices/{notice_id}", path)
    return re.sub(r"/\d+(/|$)", r"/{application_id}\1", path)


@pytest.mark.parametrize("bad", [SURROGATE, "\x00"], ids=["lone surrogate", "NUL"])
def test_row_3_refuses_bad_text_on_every_json_operation_naming_the_field(client, json_endpoints, bad):
    covered = {(method, _template(path)) for method, path, *_rest in json_endpoints}
    assert covered == _operations_with_json_bodies(client), "a JSON operation is missing from this table"
    for method, path, user, body, field in json_endpoints:
        text = json.dumps(body).replace("\\ud800", json.dumps(bad)[1:-1])
        response = client.generic(method, path, text, content_type="application/json", **(auth(user) if user else {}))
        assert response.status_code == 400, (method, path, response.content)
        assert response["Content-Type"] == "application/problem+json"
        assert [(e["field"], e["code"]) for e in response.json()["errors"]] == [(field, "invalid_character")], path


def test_row_3_caps_notes_on_every_surface(client):
    alice, park = applicant(), reviewer("park")
    app = submitted(alice)
    long_note = "审" * 2001
    for action in ("return", "reject", "approve"):
        r = client.post(f"/api/v1/applications/{app.pk}/{action}", json.dumps({"note": long_note}),
                        content_type="application/json", **auth(park))
        assert r.status_code == 400 and r.json()["errors"][0] == {
            "field": "note", "code": "too_long", "message": r.json()["errors"][0]["message"]}, action
    client.force_login(park)
    page = client.post(reverse("review-approve", args=[app.pk]), {"approve-note": long_note})
    assert page.status_code == 200 and "approve-note" in page.content.decode()
    assert Application.objects.get(pk=app.pk).state == "submitted"


# --- row 4: a slash in a verification code -----------------------------------------------------------

def test_row_4_answers_a_code_that_cannot_be_a_code_with_a_message(client):
    for code in ("a/b", "../../etc", "<script>"):
        r = client.get("/verify/", {"code": code})
        assert r.status_code == 400, code
        assert "16" in r.content.decode()


# --- row 5: Redis down or silent -------------------------------------------------------------------

def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def silent_redis():
    """A local socket that accepts connections and never answers."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    yield f"redis://127.0.0.1:{server.getsockname()[1]}/0"
    server.close()


def _redis_at(url: str):
    return override_settings(CACHES={"default": {
        "BACKEND": "kernel.cache.ResilientRedisCache", "LOCATION": url, "KEY_PREFIX": "haidong",
        "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2}}})


@pytest.mark.parametrize("where", ["closed port", "silent socket"])
def test_row_5_serves_and_reports_degraded_when_redis_is_unreachable(client, where, silent_redis, monkeypatch,
                                                                   caplog):
    from django.core.cache.backends.redis import RedisCacheClient

    calls = []
    real_client = RedisCacheClient.get_client
    monkeypatch.setattr(RedisCacheClient, "get_client",
                        lambda self, *a, **k: calls.append(a) or real_client(self, *a, **k))
    url = f"redis://127.0.0.1:{_free_port()}/0" if where == "closed port" else silent_redis
    body = json.dumps(application_facts())
    with _redis_at(url), caplog.at_level(logging.WARNING, logger="haidong_policy.cache"):
        codes = [client.post("/api/v1/eligibility", body, content_type="application/json").status_code
                 for _ in range(5)]
        code = applicant()
        codes.append(client.get(f"/api/v1/verify/{'0' * 16}").status_code)
        ready = client.get("/readyz")
        assert cache.degraded
    assert codes == [200] * 5 + [404]
    # one try with a key, then the per-process counters until Redis is tried again (/readyz pings it apart)
    assert len([key for key in calls if key]) == 1
    assert ready.status_code == 200
    assert ready.json()["status"] == "degraded" and ready.json()["checks"]["redis"]["degraded"] is True
    assert len([r for r in caplog.records if "redis unavailable" in r.getMessage()]) == 1
    assert code.pk


def test_row_5_still_throttles_on_the_per_process_counters(client, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {
        **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "eligibility_anon": "2/min"}}
    body = json.dumps(application_facts())
    with _redis_at(f"redis://127.0.0.1:{_free_port()}/0"):
        cache.clear()  # the per-process fallback too: no counts from an earlier test
        codes = [client.post("/api/v1/eligibility", body, content_type="application/json").status_code
                 for _ in range(3)]
    assert codes == [200, 200, 429]


def test_row_5_counts_in_redis_one_window_at_a_time(client, settings, frozen_now):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {
        **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "eligibility_anon": "2/min"}}
    body = json.dumps(application_facts())
    with _redis_at("redis://127.0.0.1:6379/15"):
        cache.clear()  # falls back to the process's memory when there is no Redis
        if not cache.ping():
            pytest.skip("no Redis at 127.0.0.1:6379")
        frozen_now.move_to("2025-03-01 10:00:20+08:00")
        codes = [client.post("/api/v1/eligibility", body, content_type="application/json") for _ in range(4)]
        raw = cache._cache.get_client(write=True)
        counters = {k.decode(): int(raw.get(k)) for k in raw.keys("*throttle_eligibility_anon*")}
        ttl = max(raw.ttl(k) for k in raw.keys("*throttle_eligibility_anon*"))
        frozen_now.move_to("2025-03-01 10:01:00+08:00")  # the next minute: a new window
        after = client.post("/api/v1/eligibility", body, content_type="application/json").status_code
        assert not cache.degraded
        cache.clear()
    assert [r.status_code for r in codes] == [200, 200, 429, 429]
    assert codes[2]["Retry-After"] == "40"  # until 10:01:00
    assert list(counters.values()) == [2] and 0 < ttl <= 61  # refused requests taken back; one key a window
    assert after == 200


# --- row 6: executable names on uploaded files ---------------------------------------------------------

@pytest.mark.parametrize(("name", "stored"), [("营业执照.hta", "营业执照.pdf"), ("invoice.pdf.bat", "invoice.pdf"),
                                              ("licence.pdf", "licence.pdf")])
def test_row_6_names_downloads_after_what_the_file_is(client, name, stored):
    alice = applicant()
    r = client.post("/api/v1/applications", json.dumps(application_facts()), content_type="application/json",
                    **auth(alice))
    app_id = r.json()["id"]
    r = client.post(f"/api/v1/applications/{app_id}/attachments", {"kind": "business_license",
                    "file": upload(name)}, **auth(alice))
    assert r.status_code == 201 and r.json()["original_name"] == stored
    download = client.get(r.json()["url"], **auth(alice))
    disposition = download["Content-Disposition"]
    assert ".pdf" in disposition and ".hta" not in disposition and ".bat" not in disposition


def test_row_6_names_a_file_stored_before_by_its_type_too(client):
    alice = applicant()
    app = submitted(alice)
    attachment = Attachment.objects.filter(application=app).first()
    Attachment.objects.filter(pk=attachment.pk).update(original_name="old.hta")
    download = client.get(f"/api/v1/applications/{app.pk}/attachments/{attachment.pk}", **auth(alice))
    assert 'filename="old.pdf"' in download["Content-Disposition"]


# --- row 7: huge bodies ------------------------------------------------------------------------------

def test_row_7_refuses_a_25_mb_body_before_writing_a_temporary_file(client, settings, tmp_path):
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path / "uploads")
    os.makedirs(settings.FILE_UPLOAD_TEMP_DIR)
    big = upload("big.pdf", PDF + b"0" * (25 * 1024 * 1024))
    r = client.post("/verify/0000-0000-0000-0000/", {"file": big})
    assert r.status_code == 413
    assert os.listdir(settings.FILE_UPLOAD_TEMP_DIR) == []
    big = upload("big.pdf", PDF + b"0" * (25 * 1024 * 1024))
    api = client.post("/api/v1/applications/1/attachments", {"kind": "business_license", "file": big})
    assert api.status_code == 413 and api["Content-Type"] == "application/problem+json"


def test_row_7_takes_at_most_1_mb_where_nothing_is_uploaded(client):
    r = client.post("/api/v1/eligibility", "{" + " " * (1024 * 1024 + 10) + "}", content_type="application/json")
    assert r.status_code == 413
    page = client.post(reverse("register"), {"name": "x" * (1024 * 1024 + 10)})
    assert page.status_code == 413


# --- row 8: tokens ---------------------------------------------------------------------------------

def test_row_8_revokes_the_token_on_logout(client):
    applicant()
    token = login(client, "applicant", PASSWORD).json()["token"]
    header = {"HTTP_AUTHORIZATION": f"Token {token}"}
    assert client.get("/api/v1/applications", **header).status_code == 200
    assert client.post("/api/v1/auth/logout", **header).status_code == 204
    assert client.get("/api/v1/applications", **header).status_code == 401
    token = login(client, "applicant", PASSWORD).json()["token"]
    assert client.delete(TOKEN, HTTP_AUTHORIZATION=f"Token {token}").status_code == 204
    assert client.get("/api/v1/applications", HTTP_AUTHORIZATION=f"Token {token}").status_code == 401


def test_row_8_revokes_tokens_and_other_sessions_when_the_password_changes(client):
    from django.test import Client

    user = applicant()
    token = login(client, "applicant", PASSWORD).json()["token"]
    elsewhere = Client()
    elsewhere.force_login(user)
    client.force_login(user)
    r = client.post(reverse("password_change"), {"old_password": PASSWORD, "new_password1": "Fresh-Start-2026",
                                                 "new_password2": "Fresh-Start-2026"})
    assert r.status_code == 302
    assert client.get("/api/v1/applications", HTTP_AUTHORIZATION=f"Token {token}").status_code == 401
    assert client.get(reverse("my-applications")).status_code == 200  # this session goes on
    assert elsewhere.get(reverse("my-applications")).status_code == 302  # the other one ended


def test_row_8_revokes_tokens_when_the_password_is_reset(client):
    applicant()
    token = login(client, "applicant", PASSWORD).json()["token"]
    client.post(reverse("password_reset"), {"email": "applicant@example.com"})
    link = re.search(r"https?://[^/]+(/accounts/password/reset/\S+/)", mail.outbox[0].body).group(1)
    form_url = client.get(link)["Location"]
    client.post(form_url, {"new_password1": "Fresh-Start-2026", "new_password2": "Fresh-Start-2026"})
    assert client.get("/api/v1/applications", HTTP_AUTHORIZATION=f"Token {token}").status_code == 401


def test_row_8_expires_tokens_and_says_when(client, settings, time_machine):
    time_machine.move_to(NOW, tick=False)
    applicant()
    body = login(client, "applicant", PASSWORD).json()
    assert dt.datetime.fromisoformat(body["expires_at"]) == NOW + dt.timedelta(hours=settings.API_TOKEN_TTL_HOURS)
    header = {"HTTP_AUTHORIZATION": f"Token {body['token']}"}
    time_machine.shift(dt.timedelta(hours=settings.API_TOKEN_TTL_HOURS) - dt.timedelta(seconds=1))
    assert client.get("/api/v1/applications", **header).status_code == 200
    time_machine.shift(dt.timedelta(seconds=2))
    expired = client.get("/api/v1/applications", **header)
    assert expired.status_code == 401 and expired["Content-Type"] == "application/problem+json"
    assert login(client, "applicant", PASSWORD).json()["token"] != body["token"]


# --- row 9: mail in production, log lines --------------------------------------------------------------

def _deploy_check(extra: dict[str, str]) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("EMAIL_HOST", "EMAIL_BACKEND", "DEBUG")}
    env.update({"DEBUG": "false", "SECRET_KEY": "k" * 60, "ALLOWED_HOSTS": "policy.haidong.example",
                "DATABASE_URL": "sqlite:////tmp/haidong-deploy-check.db", **extra})
    return subprocess.run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "ERROR"], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=120, check=False)


def test_row_9_refuses_production_with_mail_on_the_console():
    refused = _deploy_check({})
    assert refused.returncode != 0 and "operations.E001" in refused.stderr + refused.stdout
    assert _deploy_check({"EMAIL_HOST": "smtp.haidong.example"}).returncode == 0
    explicit = _deploy_check({"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"})
    assert explicit.returncode == 0  # a deliberate choice, documented in the README


def test_row_9_keeps_one_request_on_one_log_line(client, caplog):
    from haidong_policy.logs import JsonFormatter

    with caplog.at_level(logging.INFO, logger="haidong_policy.requests"):
        client.get("/nowhere%0A%7B%22level%22:%22INFO%22,%22message%22:%22forged%22%7D")
    written = [JsonFormatter().format(r) for r in caplog.records if r.name == "haidong_policy.requests"]
    assert len(written) == 1 and "\n" not in written[0]
    assert json.loads(written[0])["path"].startswith("/nowhere\n")


def test_row_9_never_writes_mail_to_the_console_in_development():
    from django.conf import settings

    assert settings.EMAIL_BACKEND != "django.core.mail.backends.console.EmailBackend"


# --- row 10: an enormous note on approval --------------------------------------------------------------

def test_row_10_refuses_a_2_4_mb_note_before_rendering_anything(client):
    park = reviewer("park")
    app = submitted(applicant())
    r = client.post(f"/api/v1/applications/{app.pk}/approve", json.dumps({"note": "x" * 2_400_000}),
                    content_type="application/json", **auth(park))
    assert r.status_code == 413 and r["Content-Type"] == "application/problem+json"
    assert not Determination.objects.exists()


# --- row 11: the media store fails --------------------------------------------------------------------

def _failing_write(monkeypatch):
    """The disk fills up after the first bytes of a file are written."""
    from kernel import storage

    real_fsync = os.fsync

    def full(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(storage.os, "fsync", full)
    return real_fsync


def _files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_row_11_leaves_no_file_and_answers_503_when_an_upload_cannot_be_written(client, settings, monkeypatch):
    alice = applicant()
    r = client.post("/api/v1/applications", json.dumps(application_facts()), content_type="application/json",
                    **auth(alice))
    app_id = r.json()["id"]
    _failing_write(monkeypatch)
    r = client.post(f"/api/v1/applications/{app_id}/attachments", {"kind": "business_license", "file": upload()},
                    **auth(alice))
    assert r.status_code == 503 and r["Content-Type"] == "application/problem+json"
    assert not Attachment.objects.exists()
    assert _files(Path(settings.MEDIA_ROOT)) == []


def test_row_11_uses_no_number_when_a_determination_cannot_be_written(client, settings, monkeypatch):
    park = reviewer("park")
    app = submitted(applicant())
    before = _files(Path(settings.MEDIA_ROOT))
    _failing_write(monkeypatch)
    r = client.post(f"/api/v1/applications/{app.pk}/approve", "{}", content_type="application/json", **auth(park))
    assert r.status_code == 503
    assert not Determination.objects.exists() and not NumberSeries.objects.filter(last_serial__gt=0).exists()
    assert Application.objects.get(pk=app.pk).state == "submitted"
    assert _files(Path(settings.MEDIA_ROOT)) == before
    monkeypatch.undo()
    assert client.post(f"/api/v1/applications/{app.pk}/approve", "{}", content_type="application/json",
                       **auth(park)).json()["determination"]["number"].endswith("〕1号")


def test_row_11_is_not_ready_when_the_media_store_cannot_be_written(client, settings, tmp_path):
    (tmp_path / "a-file").write_text("x")
    settings.MEDIA_ROOT = tmp_path / "a-file" / "media"  # under a file: nothing can be created there
    r = client.get("/readyz")
    assert r.status_code == 503 and r.json()["checks"]["media"]["ok"] is False


# --- row 12: look-alike usernames ---------------------------------------------------------------------

REGISTRATION = {
    "password1": "Green-Compute-2025", "password2": "Green-Compute-2025", "name": "互助云算科技有限公司",
    "credit_code": valid_code("91630223MA7QRT012"), "registered_region": "630223", "contact_person": "李四",
    "phone": "0972-1234567", "email": "contact@huzhu-cloud.example",
}


@pytest.mark.parametrize("lookalike", ["ｌｅｄｕ_cloud", "lеdu_cloud", "LEDU_cloud", "1edu_cloud"],
                         ids=["full width", "cyrillic e", "upper case", "digit one"])
def test_row_12_refuses_a_username_that_looks_like_a_taken_one(client, lookalike):
    applicant("ledu_cloud")
    r = client.post(reverse("register"), {**REGISTRATION, "username": lookalike})
    assert r.status_code == 200 and User.objects.count() == 1
    assert "用户名" in r.content.decode() and ("已被使用" in r.content.decode() or "过于相似" in r.content.decode())


def test_row_12_signs_in_whatever_the_width_or_case_and_locks_out_one_account(client, settings):
    applicant("ledu_cloud")
    assert login(client, "ＬＥＤＵ_CLOUD", PASSWORD).status_code == 200
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, "LEDU_cloud", "wrong", REMOTE_ADDR=f"192.0.2.{_}")
    # The failures under another spelling count against the same, one account.
    assert login(client, "ledu_cloud", PASSWORD, REMOTE_ADDR="198.51.100.3").status_code == 429


# --- row 13: sessions ---------------------------------------------------------------------------------

def test_row_13_signs_out_after_idle_minutes_and_says_why(client, settings, time_machine):
    time_machine.move_to(NOW, tick=False)
    client.force_login(applicant())
    assert client.get(reverse("my-applications")).status_code == 200
    time_machine.shift(dt.timedelta(minutes=settings.SESSION_IDLE_MINUTES - 1))
    assert client.get(reverse("my-applications")).status_code == 200  # activity keeps it going
    time_machine.shift(dt.timedelta(minutes=settings.SESSION_IDLE_MINUTES + 1))
    r = client.get(reverse("my-applications"), follow=True)
    assert r.redirect_chain and reverse("login") in r.redirect_chain[-1][0]
    assert f"超过{settings.SESSION_IDLE_MINUTES}分钟未操作" in r.content.decode()


def test_row_13_signs_out_at_the_latest_after_max_hours(client, settings, time_machine):
    time_machine.move_to(NOW, tick=False)
    client.force_login(applicant())
    for _ in range(settings.SESSION_MAX_HOURS * 3):  # active every 20 minutes
        time_machine.shift(dt.timedelta(minutes=20))
        last = client.get(reverse("my-applications"))
    assert last.status_code == 200
    time_machine.shift(dt.timedelta(minutes=20))
    r = client.get(reverse("my-applications"), follow=True)
    assert reverse("login") in r.redirect_chain[-1][0] and f"最长有效{settings.SESSION_MAX_HOURS}小时" in r.content.decode()


# --- row 14: separation of duties (the admin: tests/applications/test_admin.py) -------------------------

def test_row_14_refuses_a_reviewer_linked_to_the_enterprise_and_audits_it(client):
    alice = applicant()  # applicant@example.com
    linked = reviewer("park", username="linked_reviewer")
    User.objects.filter(pk=linked.pk).update(email="APPLICANT@example.com")
    app = submitted(alice)
    r = client.post(f"/api/v1/applications/{app.pk}/approve", "{}", content_type="application/json",
                    **auth(linked))
    assert r.status_code == 403 and "关联" in r.json()["detail"]
    assert Application.objects.get(pk=app.pk).state == "submitted"
    entry = AuditEntry.objects.get(action="refused")
    assert entry.actor_id == linked.pk and entry.application_id == app.pk
    assert (entry.note_code, entry.note_params) == ("conflict_of_interest", {"action": "approve"})
    client.force_login(linked)
    page = client.post(reverse("review-claim", args=[app.pk]))
    assert page.status_code == 403 and "关联" in page.content.decode()
    assert AuditEntry.objects.filter(action="refused").count() == 2


def test_row_14_refuses_a_reviewer_with_the_enterprise_phone(client):
    alice = applicant()
    alice.enterprise.phone = "0972-8888888"
    alice.enterprise.save()
    linked = reviewer("park", username="phone_reviewer")
    User.objects.filter(pk=linked.pk).update(phone="0972 888 8888")
    app = submitted(alice)
    with pytest.raises(review_services.transitions.ConflictOfInterest):
        review_services.application_claim(application_id=app.pk, reviewer=User.objects.get(pk=linked.pk))
    # An unrelated reviewer works it as before.
    review_services.application_claim(application_id=app.pk, reviewer=reviewer("park"))


# --- row 15: headers ----------------------------------------------------------------------------------

def test_row_15_sends_permissions_policy_and_no_store_where_there_is_personal_data(client):
    assert "camera=()" in client.get("/")["Permissions-Policy"]
    assert "no-store" not in client.get("/").get("Cache-Control", "")  # the public calculator may be cached
    eligibility = client.post("/api/v1/eligibility", json.dumps(application_facts()), content_type="application/json")
    assert "no-store" in eligibility["Cache-Control"]
    alice = applicant()
    app = submitted(alice)
    client.force_login(alice)
    assert "no-store" in client.get(reverse("my-applications"))["Cache-Control"]
    attachment = Attachment.objects.filter(application=app).first()
    assert "no-store" in client.get(reverse("attachment-download", args=[app.pk, attachment.pk]))["Cache-Control"]
    client.force_login(city_admin())
    assert "no-store" in client.get(reverse("audit-export"))["Cache-Control"]


# --- row 16: passwords and registration -----------------------------------------------------------------

@pytest.mark.parametrize("password", ["haidong1", "haidongcloud", "2024202420", "HAIDONGCLOUD"])
def test_row_16_refuses_weak_passwords(client, password):
    r = client.post(reverse("register"), {**REGISTRATION, "username": "new_user", "password1": password,
                                          "password2": password})
    assert r.status_code == 200 and not User.objects.exists()
    assert "密码不符合密码要求" in r.content.decode()


def test_row_16_throttles_registration_per_address(client):
    codes = [client.post(reverse("register"), {**REGISTRATION, "username": f"user_{i}", "name": ""},
                         REMOTE_ADDR="203.0.113.77").status_code for i in range(6)]
    assert codes == [200] * 5 + [429]
    assert client.post(reverse("register"), {**REGISTRATION, "username": "user_x", "name": ""},
                       REMOTE_ADDR="203.0.113.78").status_code == 200


def test_row_16_names_a_taken_username_or_credit_code_only_once_all_else_is_right(client):
    applicant("taken_name")
    clash = {**REGISTRATION, "username": "taken_name", "credit_code": APPLICANT_CODE}
    html = client.post(reverse("register"), {**clash, "email": "not-an-email"}).content.decode()
    assert "电子邮箱格式不正确" in html and "已被使用" not in html and "已注册" not in html
    html = client.post(reverse("register"), clash).content.decode()
    assert "已被使用" in html and "已注册" in html
