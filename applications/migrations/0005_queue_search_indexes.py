"""The review queue's search without scanning, on PostgreSQL (issue 15); SQLite, the embedded
default, has no such operator classes and keeps its plain indexes.

Each index serves one part of `review.selectors.search` (Django writes `icontains` / `istartswith`
as `UPPER(col::text) LIKE UPPER(%s)`; the database is UTF-8, so pg_trgm splits CJK text too):
- enterprise_name_trgm: UPPER(name) LIKE '%term%' for terms of 3+ characters (trigrams);
- enterprise_name_prefix: UPPER(name) LIKE 'term%' for 1-2 characters (too short for trigrams);
- enterprise_code_prefix: UPPER(credit_code) LIKE 'TERM%';
- app_project_code_prefix: project_code LIKE 'term%' (text_pattern_ops: the database's collation is
  not "C", so the plain btree cannot serve LIKE).
"""

import logging

from django.db import DatabaseError, migrations, transaction

logger = logging.getLogger(__name__)

INDEXES = [
    "CREATE INDEX IF NOT EXISTS enterprise_name_trgm ON accounts_enterprise USING gin (UPPER(name) gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS enterprise_name_prefix ON accounts_enterprise (UPPER(name) text_pattern_ops)",
    "CREATE INDEX IF NOT EXISTS enterprise_code_prefix ON accounts_enterprise (UPPER(credit_code) text_pattern_ops)",
    "CREATE INDEX IF NOT EXISTS app_project_code_prefix ON applications_application (project_code varchar_pattern_ops)",
]
NAMES = ["enterprise_name_trgm", "enterprise_name_prefix", "enterprise_code_prefix", "app_project_code_prefix"]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    try:
        with transaction.atomic():  # a managed server may refuse extensions to this role: search still works
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except DatabaseError:
        logger.warning("pg_trgm could not be created: the queue's name search runs without its trigram index")
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
        trigrams = cursor.fetchone() is not None
    for sql in INDEXES:
        if trigrams or "gin_trgm_ops" not in sql:
            schema_editor.execute(sql)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in NAMES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0005_finance_role"),
        ("applications", "0004_grant_granted_at_index"),
    ]

    operations = [migrations.RunPython(create, drop)]
