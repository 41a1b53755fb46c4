"""Production mode: `check --deploy` passes with the production environment; health endpoints;
security headers; request ids."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PRODUCTION = {"DEBUG": "false", "SECRET_KEY": "k" * 30 + "-production-like-secret-" + "q" * 30,
              "ALLOWED_HOSTS": "policy.haidong.example", "DATABASE_URL": "sqlite:////tmp/haidong-deploy-check.db",
              "EMAIL_HOST": "smtp.haidong.example"}
MAIL = ("EMAIL_HOST", "EMAIL_BACKEND")


def test_it_passes_the_deployment_checklist_in_production_mode():
    env = {**{k: v for k, v in os.environ.items() if k not in PRODUCTION}, **PRODUCTION}
    r = subprocess.run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"], cwd=ROOT,
                       env=env, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "no issues" in r.stdout


def test_it_reports_health_and_readiness(client):
    assert client.get("/healthz").json() == {"status": "ok"}


@pytest.mark.django_db
def test_it_is_ready_with_the_database_migrated_and_the_pdf_fonts_present(client):
    body = client.get("/readyz").json()
    assert body["status"] == "ok" and body["checks"]["database"]["ok"] and body["checks"]["pdf"]["ok"]


@pytest.mark.django_db
def test_it_is_not_ready_without_the_pdf_requirements(client, monkeypatch):
    monkeypatch.setattr("haidong_policy.health.missing_pdf_requirements", lambda: ["the font X"])
    r = client.get("/readyz")
    assert r.status_code == 503 and r.json()["checks"]["pdf"] == {"ok": False, "detail": "the font X"}


@pytest.mark.django_db
def test_it_is_not_ready_when_the_database_is_unreachable(client, monkeypatch):
    def broken(*args, **kwargs):
        raise OSError("connection refused")

    monkeypatch.setattr("haidong_policy.health.MigrationExecutor", broken)
    r = client.get("/readyz")
    assert r.status_code == 503 and r.json()["checks"]["database"]["ok"] is False


def test_it_sends_the_security_headers(client):
    r = client.get("/")
    csp = r["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "'unsafe-inline'" not in csp and "frame-ancestors 'none'" in csp
    assert r["X-Frame-Options"] == "DENY"
    assert r["Referrer-Policy"] == "same-origin"
    assert r["X-Content-Type-Options"] == "nosniff"


def test_it_tags_every_response_with_a_request_id(client):
    first, second = client.get("/healthz"), client.get("/healthz")
    assert len(first["X-Request-ID"]) == 32 and first["X-Request-ID"] != second["X-Request-ID"]
    assert client.get("/healthz", HTTP_X_REQUEST_ID="trace-12345678")["X-Request-ID"] == "trace-12345678"
    assert client.get("/healthz", HTTP_X_REQUEST_ID="bad id\n")["X-Request-ID"] != "bad id\n"


def test_it_logs_one_structured_line_per_request(client, caplog):
    import json

    from haidong_policy.logs import JsonFormatter

    with caplog.at_level("INFO", logger="haidong_policy.requests"):
        response = client.get("/healthz")
    record = next(r for r in caplog.records if r.name == "haidong_policy.requests")
    line = json.loads(JsonFormatter().format(record))
    assert line["path"] == "/healthz" and line["status"] == 200 and "ms" in line
    assert record.fields["method"] == "GET" and response["X-Request-ID"]


def test_it_serves_the_api_docs_without_inline_scripts(client):
    page = client.get("/api/docs").content.decode()
    assert "<script>" not in page and "cdn" not in page.lower()


def test_it_shares_throttle_counters_through_redis_when_configured():
    code = ("from django.conf import settings; from django.core.cache import cache; "
            "cache.set('probe', 1, 5); print(settings.CACHES['default']['BACKEND'], cache.ping(), cache.get('probe'))")
    env = {**os.environ, "REDIS_URL": "redis://127.0.0.1:6379/15"}
    r = subprocess.run([sys.executable, "manage.py", "shell", "-c", code], cwd=ROOT, env=env, capture_output=True,
                       text=True, timeout=60)
    if "Connection refused" in r.stderr:
        pytest.skip("no Redis at 127.0.0.1:6379")
    assert r.stdout.split()[-3:] == ["kernel.cache.ResilientRedisCache", "True", "1"], r.stderr
