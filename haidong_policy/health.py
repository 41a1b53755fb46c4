"""GET /healthz (the process answers) and GET /readyz (it can serve: database reachable, migrations
applied, the media store writable, the fonts the determinations need;
Redis, when configured, reported as degraded without making the service unready)."""

from __future__ import annotations

import tempfile
import uuid
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, default_storage
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from determinations.pdf import missing_pdf_requirements


@never_cache
@require_safe
def healthz(request):
    return JsonResponse({"status": "ok"})


def _database() -> tuple[bool, str]:
    try:
        connection = connections[DEFAULT_DB_ALIAS]
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        pending = MigrationExecutor(connection).migration_plan(
            MigrationExecutor(connection).loader.graph.leaf_nodes())
    except Exception as exc:  # any failure to reach or read the database means not ready
        return False, f"database unreachable: {type(exc).__name__}"
    if pending:
        return False, f"{len(pending)} migrations not applied"
    return True, "ok"


def _media() -> tuple[bool, str]:
    """Uploads and determinations can be written: a file is created, flushed and removed (on object
    storage: an object written through the storage API, then deleted)."""
    if not isinstance(default_storage, FileSystemStorage):
        try:
            name = default_storage.save(f".readyz/{uuid.uuid4().hex}", ContentFile(b"ok"))
            default_storage.delete(name)
        except OSError as exc:
            return False, f"media store not writable: {type(exc).__name__}"
        return True, "ok"
    try:
        root = Path(settings.MEDIA_ROOT)
        root.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=root, prefix=".readyz-") as probe:
            probe.write(b"ok")
            probe.flush()
    except OSError as exc:
        return False, f"media store not writable: {type(exc).__name__}"
    return True, "ok"


def _redis() -> dict | None:
    ping = getattr(cache, "ping", None)
    if ping is None:
        return None  # no Redis configured: per-process counters by design
    if ping():
        return {"ok": True, "detail": "ok"}
    # Still ready: throttles fall back to per-process counters (kernel.cache).
    return {"ok": False, "degraded": True, "detail": "unreachable: throttle counters are per process"}


@never_cache
@require_safe
def readyz(request):
    db_ok, db_detail = _database()
    media_ok, media_detail = _media()
    missing = missing_pdf_requirements()
    checks = {
        "database": {"ok": db_ok, "detail": db_detail},
        "media": {"ok": media_ok, "detail": media_detail},
        "pdf": {"ok": not missing, "detail": "; ".join(missing) or "ok"},
    }
    redis = _redis()
    if redis is not None:
        checks["redis"] = redis
    ready = all(c["ok"] or c.get("degraded") for c in checks.values())
    status = "unavailable" if not ready else "degraded" if any(not c["ok"] for c in checks.values()) else "ok"
    return JsonResponse({"status": status, "checks": checks}, status=200 if ready else 503)
