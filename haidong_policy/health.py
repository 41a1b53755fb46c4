"""GET /healthz (the process answers) and GET /readyz (it can serve: database reachable, migrations
applied, the CJK fonts and HarfBuzz subsetting the determinations need)."""

from __future__ import annotations

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


@never_cache
@require_safe
def readyz(request):
    db_ok, db_detail = _database()
    missing = missing_pdf_requirements()
    checks = {
        "database": {"ok": db_ok, "detail": db_detail},
        "pdf": {"ok": not missing, "detail": "; ".join(missing) or "ok"},
    }
    ready = all(c["ok"] for c in checks.values())
    return JsonResponse({"status": "ok" if ready else "unavailable", "checks": checks}, status=200 if ready else 503)
