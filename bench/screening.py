#!/usr/bin/env python
"""Screening benchmark (issue 16): `matching.batch.screen_profiles` over N consenting profiles, one
process and --jobs N, against the evaluation alone of the same facts in one process (no database), in
the same run.

    DATABASE_URL=postgres://…/empty_db .venv/bin/python bench/screening.py [--profiles 100000] [--jobs 2]

The profiles are the peer's 500 varied bodies (../shared/peer/ours.jsonl) repeated, one project each,
on their own enterprises. Figures: the first screening (every profile is new: a screening row and a
match message each) and a screening again (nothing changed: nothing written), in seconds of wall time.
Reports numbers only: asserts nothing, exits 0. Use an empty database (it is filled).
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE]
sys.path.insert(0, str(ROOT))

import argparse  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "haidong_policy.settings")
os.environ.setdefault("LOG_LEVEL", "WARNING")
os.environ.pop("REDIS_URL", None)
# As in production, the match mails are queued for the workers (on a spare Redis database, emptied
# after): the screening stores and queues, the workers send. Without Redis they run in-process.
BROKER = "redis://127.0.0.1:6379/14"
try:
    import redis

    redis.Redis.from_url(BROKER, socket_connect_timeout=0.5).ping()
    os.environ["CELERY_BROKER_URL"] = BROKER
except Exception:  # no Redis: mails in-process
    os.environ.pop("CELERY_BROKER_URL", None)
os.environ.setdefault("DATABASE_URL", f"sqlite:///{tempfile.mkdtemp(prefix='bench-screening-')}/db.sqlite3")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import (  # noqa: E402
    Enterprise,
    Role,
    User,
)
from matching import batch, screening  # noqa: E402
from matching.models import Consent, Profile  # noqa: E402
from matching.services import CONSENT_VERSION  # noqa: E402
from measures.facts import credit_code_check_char  # noqa: E402

PEER = ROOT.parent / "shared" / "peer" / "ours.jsonl"
CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def bodies() -> list[dict]:
    return [json.loads(line) for line in PEER.read_text(encoding="utf-8").splitlines() if line.strip()]


def seed(count: int) -> list[dict]:
    facts = bodies()
    profiles = []
    enterprises = []
    for i in range(count):
        body = facts[i % len(facts)]
        region = body["enterprise"].get("registered_region") or "630202"
        serial = "".join(CHARS[(i // len(CHARS) ** k) % len(CHARS)] for k in range(9))
        first17 = "91" + region[:6].ljust(6, "0") + serial
        enterprises.append(Enterprise(name=f"画像企业{i}", credit_code=first17 + credit_code_check_char(first17),
                                      registered_region=region[:6], email=""))
    created = []
    for start in range(0, count, 5000):
        created += Enterprise.objects.bulk_create(enterprises[start:start + 5000])
    user = User.objects.create(username="bench_screening", role=Role.ENTERPRISE, enterprise=created[0])
    rows, consents = [], []
    for i, enterprise in enumerate(created):
        body = facts[i % len(facts)]
        own = {k: v for k, v in body["enterprise"].items() if k not in ("name", "credit_code", "registered_region")}
        profile = {"enterprise": {**own, "name": enterprise.name, "credit_code": enterprise.credit_code,
                                  "registered_region": enterprise.registered_region},
                   "projects": [body["project"]] if body.get("project") else [],
                   "circumstances": body.get("circumstances") or {}}
        profiles.append(profile)
        rows.append(Profile(enterprise=enterprise, facts=profile))
        consents.append(Consent(enterprise=enterprise, given_by=user, text_version=CONSENT_VERSION))
    for start in range(0, count, 5000):
        Profile.objects.bulk_create(rows[start:start + 5000])
        Consent.objects.bulk_create(consents[start:start + 5000])
    return profiles


def timed(function) -> float:
    start = time.perf_counter()
    function()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--profiles", type=int, default=100_000)
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    call_command("migrate", verbosity=0)
    if Profile.objects.exists():
        sys.exit("bench/screening.py needs an empty database")
    started = time.perf_counter()
    profiles = seed(args.profiles)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    seeded = time.perf_counter() - started
    print(f"{args.profiles:,} consenting profiles on {connection.vendor} (seeded in {seeded:.0f} s)")
    today = timezone.localdate()

    def evaluate_alone() -> None:
        for profile in profiles:
            screening.screen(profile, today, set())

    alone = timed(evaluate_alone)
    del profiles[:]  # as in `manage.py screen`, the screenings below read the profiles from the database
    print(f"  evaluation alone, 1 process, no database      {alone:7.1f} s   (baseline)")
    first = timed(lambda: batch.screen_profiles(jobs=args.jobs))
    print(f"  first screening, --jobs {args.jobs} (rows + messages)  {first:7.1f} s   {alone / first:5.2f}x")
    again_1 = timed(lambda: batch.screen_profiles(jobs=1))
    print(f"  screening again, 1 process (nothing changed)  {again_1:7.1f} s   {alone / again_1:5.2f}x")
    again_n = timed(lambda: batch.screen_profiles(jobs=args.jobs))
    print(f"  screening again, --jobs {args.jobs} (nothing changed)   {again_n:7.1f} s   {alone / again_n:5.2f}x")
    if os.environ.get("CELERY_BROKER_URL"):
        redis.Redis.from_url(BROKER).flushdb()
        print("  (match mails were queued on Redis for the workers, then dropped)")
    else:
        print("  (no Redis: the match mails were sent in-process, to the locmem backend)")


if __name__ == "__main__":
    main()
