"""Review queue latency at 1,000 and at 100,000 applications, in the same run.

    python bench/queue.py [--small 1000] [--large 100000] [--rounds 15]

Uses a throw-away SQLite database unless DATABASE_URL is set (point it at an empty PostgreSQL
database to measure production). Prints ms per queue page (API and HTML page, reviewer and city
admin, with and without filters) and the ratio large/small; the goal is a ratio below 2.
"""

from __future__ import annotations

import sys
from pathlib import Path

# This file is named like the standard library's `queue`: take its folder off the import path
# before anything imports `queue`, and put the project root on it instead.
HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE]
sys.path.insert(0, str(ROOT))

import argparse  # noqa: E402
import datetime as dt  # noqa: E402
import os  # noqa: E402
import statistics  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "haidong_policy.settings")
os.environ["DEBUG"] = "false"
os.environ["SECURE_SSL_REDIRECT"] = "false"  # in-process over plain HTTP
os.environ.setdefault("LOG_LEVEL", "WARNING")  # no request log lines in the output
os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-" + "x" * 40)
os.environ["ALLOWED_HOSTS"] = "testserver"
TMP = tempfile.mkdtemp(prefix="bench-queue-")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{TMP}/bench.sqlite3")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from rest_framework.authtoken.models import Token  # noqa: E402

from accounts.services import account_create  # noqa: E402
from applications.models import Application  # noqa: E402

PASSWORD = "Bench-queue-2025!"  # noqa: S105 - throw-away accounts in a throw-away database
MONTH_AGO = (dt.date.today() - dt.timedelta(days=30)).isoformat()
TARGETS = [
    ("API  reviewer (park)", "reviewer", "/api/v1/review/queue", {}),
    ("API  reviewer, overdue", "reviewer", "/api/v1/review/queue", {"overdue": "true"}),
    ("API  reviewer, search", "reviewer", "/api/v1/review/queue", {"q": "示例企业1"}),
    ("API  city admin, all", "city", "/api/v1/review/queue", {}),
    ("API  city admin, page 20", "city", "/api/v1/review/queue", {"page": "20"}),
    ("API  reviewer, in review", "reviewer", "/api/v1/review/queue", {"status": "in_review"}),
    ("API  reviewer, tier 2", "reviewer", "/api/v1/review/queue", {"tier": "2"}),
    ("API  reviewer, not overdue", "reviewer", "/api/v1/review/queue", {"overdue": "false"}),
    ("API  reviewer, submitted from", "reviewer", "/api/v1/review/queue", {"submitted_from": MONTH_AGO}),
    ("API  reviewer, rare search", "reviewer", "/api/v1/review/queue", {"q": "示例企业7号"}),
    ("API  city admin, county", "city", "/api/v1/review/queue", {"county": "630203"}),
    ("API  city admin, jurisdiction", "city", "/api/v1/review/queue", {"jurisdiction": "630203"}),
    ("page reviewer (park)", "reviewer", "/review/", {}),
    ("page city admin, tier 2", "city", "/review/", {"tier": "2"}),
    ("page city admin, page 20", "city", "/review/", {"page": "20"}),
    ("page reviewer, search", "reviewer", "/review/", {"q": "示例企业1"}),
]


def clients() -> dict[str, Client]:
    reviewer = account_create(username="bench_reviewer", password=PASSWORD, role="reviewer", jurisdiction="park")
    city = account_create(username="bench_city", password=PASSWORD, role="city_admin")
    out = {}
    for name, user in (("reviewer", reviewer), ("city", city)):
        token = Token.objects.create(user=user).key
        client = Client(raise_request_exception=False, HTTP_AUTHORIZATION=f"Token {token}")
        client.force_login(user)
        out[name] = client
    return out


def measure(cs: dict[str, Client], rounds: int) -> dict[str, float | None]:
    results: dict[str, float | None] = {}
    for label, who, path, params in TARGETS:
        client = cs[who]
        first = client.get(path, params)
        if first.status_code != 200:
            results[label] = None
            continue
        samples = []
        for _ in range(rounds):
            start = time.perf_counter()
            client.get(path, params)
            samples.append((time.perf_counter() - start) * 1000)
        results[label] = statistics.median(samples)
    return results


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--small", type=int, default=1000)
    parser.add_argument("--large", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=15)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    if Application.objects.exists():
        print("the database is not empty: point DATABASE_URL at an empty one")
        return 2
    cs = clients()
    quiet = open(os.devnull, "w")  # noqa: SIM115 - the seed's progress bar
    call_command("seed_demo", applications=args.small, stdout=quiet)
    small = measure(cs, args.rounds)
    start = time.perf_counter()
    call_command("seed_demo", applications=args.large - args.small, stdout=quiet, seed=8)
    seeded = time.perf_counter() - start
    large = measure(cs, args.rounds)
    engine = django.db.connection.vendor
    print(f"review queue, {engine}, median of {args.rounds} requests (ms); seeding "
          f"{args.large - args.small:,} more took {seeded:.0f} s")
    print(f"  {'target':<32}{args.small:>10,}{args.large:>12,}   ratio")
    for label, *_ in TARGETS:
        a, b = small[label], large[label]
        if a is None or b is None:
            print(f"  {label:<32}{'(not available)':>22}")
        else:
            print(f"  {label:<32}{a:>10.1f}{b:>12.1f}   {b / a:5.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
