#!/usr/bin/env bash
# `make bench`: every benchmark of bench/, each printing its figures beside a baseline measured in the
# same run (README.md here has the before/after figures). About 9 minutes on a 2-core machine.
# PostgreSQL (production) is used where the database matters when BENCH_PG names a server
# (default postgres://postgres@127.0.0.1:5432, skipped with a note when it does not answer).
set -u
cd "$(dirname "$0")/.."
PY=.venv/bin/python
PG="${BENCH_PG:-postgres://postgres@127.0.0.1:5432}"
fresh_db() {  # prints the URL of a new, empty database, or nothing
  local name="haidong_bench_$$_$1"
  $PY - "$PG" "$name" <<'PYEOF' 2>/dev/null && echo "$PG/$name"
import sys, psycopg
with psycopg.connect(sys.argv[1] + "/postgres", autocommit=True, connect_timeout=3) as c:
    c.execute(f'DROP DATABASE IF EXISTS "{sys.argv[2]}"'); c.execute(f'CREATE DATABASE "{sys.argv[2]}"')
PYEOF
}
drop_db() {
  $PY - "$PG" "${1##*/}" <<'PYEOF' >/dev/null 2>&1
import sys, psycopg
with psycopg.connect(sys.argv[1] + "/postgres", autocommit=True) as c:
    c.execute(f'DROP DATABASE IF EXISTS "{sys.argv[2]}"')
PYEOF
}
echo "== eligibility: the rules engine, and the API against a bare Django view, in process"
$PY bench/eligibility.py --seconds 2 --rounds 6
echo; echo "== determination: approval and PDF against a one-line WeasyPrint page"
if db=$(fresh_db det) && [ -n "$db" ]; then DATABASE_URL="$db" $PY bench/determination.py --rounds 15; drop_db "$db"
else echo "(no PostgreSQL at $PG: on SQLite)"; $PY bench/determination.py --rounds 15; fi
echo; echo "== batch: manage.py evaluate, one process against all CPUs"
$PY bench/batch.py --lines 50000
echo; echo "== review queue at 1,000 and 100,000 applications"
if db=$(fresh_db queue) && [ -n "$db" ]; then DATABASE_URL="$db" $PY bench/queue.py --rounds 9; drop_db "$db"
else echo "(no PostgreSQL at $PG: on SQLite)"; $PY bench/queue.py --rounds 9; fi
echo; echo "== screening (免申即享): 100,000 consenting profiles against their evaluation alone"
if db=$(fresh_db screening) && [ -n "$db" ]; then DATABASE_URL="$db" $PY bench/screening.py --profiles 100000; drop_db "$db"
else echo "(no PostgreSQL at $PG: on SQLite, 20,000 profiles)"; $PY bench/screening.py --profiles 20000; fi
if [ -x ../shared/peer/side_by_side.sh ] || [ -f ../shared/peer/side_by_side.sh ]; then
  echo; echo "== eligibility over HTTP against OpenFisca (../shared/peer/side_by_side.sh)"
  CLIENTS="10 50" bash ../shared/peer/side_by_side.sh . 5 1 | grep -E "^clients="
fi
