"""python manage.py seed_demo --applications 100000: a realistic spread of applications over the
jurisdictions and states, for scale tests and benchmarks. Written in batches with bulk inserts
(no frozen evaluations or attachments: only what the queues read)."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from accounts.models import Enterprise, Role, User
from applications.models import Application, State, Transition
from measures.facts import credit_code_check_char

COUNTIES = ("630202", "630203", "630222", "630223", "630224", "630225")
# (state, share): what a live system looks like after a while.
STATES = ((State.DRAFT, 10), (State.SUBMITTED, 30), (State.IN_REVIEW, 15), (State.RETURNED, 10),
          (State.APPROVED, 22), (State.REJECTED, 8), (State.WITHDRAWN, 5))
TIERS = ((Decimal("80000000.00"), 0, Decimal("0")), (Decimal("320000000.00"), 1, Decimal("1000000.00")),
         (Decimal("650000000.00"), 2, Decimal("2000000.00")))
CODE_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"


class Command(BaseCommand):
    help = "Create many applications (bulk) for scale tests."

    def add_arguments(self, parser):
        parser.add_argument("--applications", type=int, default=1000)
        parser.add_argument("--batch", type=int, default=2000)
        parser.add_argument("--seed", type=int, default=7)

    def handle(self, *args, applications: int, batch: int, seed: int, **options):
        rng = random.Random(seed)  # noqa: S311 - reproducible sample data, not secrets
        enterprises = self._enterprises(max(20, applications // 50), rng)
        users = {u.enterprise_id: u for u in User.objects.filter(enterprise__in=enterprises)}
        now = timezone.now()
        done = 0
        while done < applications:
            size = min(batch, applications - done)
            with transaction.atomic():
                apps = Application.objects.bulk_create(
                    [self._application(rng, rng.choice(enterprises), users, now) for _ in range(size)])
                Transition.objects.bulk_create(
                    [Transition(application=a, actor=users[a.enterprise_id], at=a.created_at, from_state="",
                                to_state=State.DRAFT) for a in apps]
                    + [Transition(application=a, actor=users[a.enterprise_id], at=a.updated_at,
                                  from_state=State.DRAFT, to_state=a.state) for a in apps if a.state != State.DRAFT])
            done += size
            self._progress(done, applications)
        self.stdout.write(f"\ncreated {applications} applications for {len(enterprises)} enterprises")

    def _progress(self, done: int, total: int) -> None:
        width = 30
        filled = width * done // total
        self.stdout.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total}", ending="")
        self.stdout.flush()

    def _enterprises(self, count: int, rng: random.Random) -> list[Enterprise]:
        existing = list(Enterprise.objects.filter(name__startswith="示例企业"))
        missing = count - len(existing)
        if missing <= 0:
            return existing
        new = []
        taken = set(Enterprise.objects.values_list("credit_code", flat=True))
        while len(new) < missing:
            region = rng.choice(COUNTIES)
            first17 = "91" + region + "".join(rng.choice(CODE_CHARS) for _ in range(9))
            code = first17 + credit_code_check_char(first17)
            if code in taken:
                continue
            taken.add(code)
            new.append(Enterprise(name=f"示例企业{len(existing) + len(new) + 1}号算力科技有限公司", credit_code=code,
                                  registered_region=region, contact_person="联系人", phone="0972-0000000",
                                  email="seed@example.invalid"))
        created = Enterprise.objects.bulk_create(new)
        password = make_password(None)  # unusable: seeded users cannot log in
        User.objects.bulk_create([User(username=f"seed_{e.credit_code.lower()}", password=password,
                                       role=Role.ENTERPRISE, enterprise=e) for e in created])
        return existing + created

    def _application(self, rng: random.Random, enterprise: Enterprise, users: dict, now: dt.datetime) -> Application:
        state = rng.choices([s for s, _ in STATES], weights=[w for _, w in STATES])[0]
        in_park = rng.random() < 0.4
        region = enterprise.registered_region if rng.random() < 0.7 else rng.choice(COUNTIES)
        investment, tier, amount = rng.choice(TIERS)
        created = now - dt.timedelta(days=rng.uniform(1, 90))
        submitted = None if state == State.DRAFT else created + dt.timedelta(days=rng.uniform(0, 1))
        code = f"{rng.randint(2407, 2612)}-{region}-04-0{rng.randint(1, 3)}-{rng.randint(0, 999999):06d}"
        facts = {
            "enterprise": {"name": enterprise.name, "credit_code": enterprise.credit_code,
                           "registered_region": enterprise.registered_region, "sectors": ["cloud_computing"],
                           "activities": ["operation"], "qualifications": []},
            "project": {"code": code, "name": "示例绿色算力项目", "kind": "new", "category": "data_center",
                        "region": region, "in_industrial_park": in_park, "standard_racks": rng.randint(50, 3000),
                        "equipment_investment_cny": f"{investment:.2f}", "completed_on": "2025-01-15"},
            "circumstances": {},
        }
        decided = state in (State.APPROVED, State.REJECTED)
        return Application(
            enterprise=enterprise, created_by=users[enterprise.pk], state=state, facts=facts,
            jurisdiction="park" if in_park else region, project_code=code, county=region,
            declared_investment_cny=investment, estimated_amount_cny=amount if state != State.DRAFT else Decimal(0),
            tier=tier if state != State.DRAFT else 0, created_at=created, updated_at=submitted or created,
            submitted_at=submitted, decided_at=submitted + dt.timedelta(days=5) if decided else None,
        )
