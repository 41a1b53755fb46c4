"""python manage.py seed_demo --applications 100000: a realistic spread of applications over the
jurisdictions and states, for scale tests and benchmarks. Written in batches with bulk inserts
(no attachments, and frozen evaluations only where a notice needs one: what the queues, the public
notices and the fund pool read). Also: public notices (open, over, withdrawn) with objections, the
grants of approved applications with payments (paid, partly paid, unpaid), a finance officer per
jurisdiction, and this year's budgets."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.utils import timezone

from accounts.models import JURISDICTIONS, Enterprise, Role, User
from applications import workdays
from applications.models import Application, Evaluation, Grant, Notice, Objection, State, Transition
from funds.models import Budget, Payment
from measures.facts import credit_code_check_char

COUNTIES = ("630202", "630203", "630222", "630223", "630224", "630225")
# (state, share): what a live system looks like after a while.
STATES = ((State.DRAFT, 10), (State.SUBMITTED, 28), (State.IN_REVIEW, 14), (State.RETURNED, 10),
          (State.IN_NOTICE, 3), (State.APPROVED, 22), (State.REJECTED, 8), (State.WITHDRAWN, 5))
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
        finance = self._officers()
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
                self._notices(rng, apps, finance)
                self._grants(rng, apps, finance)
            done += size
            self._progress(done, applications)
        self._budgets(rng, finance)
        if connection.vendor == "postgresql" and connection.get_autocommit():
            # After a bulk load the planner's statistics and the visibility map are stale until
            # autovacuum comes by (a minute or so; it does after inserts since PostgreSQL 13): bring
            # them up to date now, so that what follows sees the tables as a running service has them.
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
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
        if state == State.IN_NOTICE and not tier:  # only a grant is noticed
            state = State.IN_REVIEW
        decided = state in (State.APPROVED, State.REJECTED)
        return Application(
            enterprise=enterprise, created_by=users[enterprise.pk], state=state, facts=facts,
            jurisdiction="park" if in_park else region, project_code=code, county=region,
            declared_investment_cny=investment, estimated_amount_cny=amount if state != State.DRAFT else Decimal(0),
            tier=tier if state != State.DRAFT else 0, created_at=created, updated_at=submitted or created,
            submitted_at=submitted, decided_at=submitted + dt.timedelta(days=5) if decided else None,
        )

    def _officers(self) -> dict[str, User]:
        """A finance officer per jurisdiction (unusable password), who records the seeded payments
        and acts as the seeded reviewer and city admin of notices and budgets."""
        password = make_password(None)
        officers = {}
        for jurisdiction in JURISDICTIONS:
            officers[jurisdiction], _ = User.objects.get_or_create(
                username=f"seed_finance_{jurisdiction}",
                defaults={"password": password, "role": Role.FINANCE, "jurisdiction": jurisdiction})
        return officers

    def _notices(self, rng: random.Random, apps: list[Application], finance: dict[str, User]) -> None:
        """A notice for each application in notice (open, or over awaiting the decision) and for some
        in review (withdrawn after an upheld objection); objections on a fifth of them."""
        noticed = [a for a in apps if a.state == State.IN_NOTICE
                   or (a.state == State.IN_REVIEW and a.tier and rng.random() < 0.1)]
        if not noticed:
            return
        outcome = _outcome_per_tier()
        evaluations = Evaluation.objects.bulk_create([
            Evaluation(application=a, kind=Evaluation.Kind.PROPOSAL, created_at=a.updated_at,
                       as_of=timezone.localdate(a.submitted_at), facts=a.facts, outcome=outcome[a.tier][0],
                       outcome_en=outcome[a.tier][1], rules_version=outcome[a.tier][2],
                       total_amount_cny=a.estimated_amount_cny) for a in noticed])
        notices = []
        for a, evaluation in zip(noticed, evaluations, strict=True):
            proposed_on = timezone.localdate(a.updated_at)
            payer = a.jurisdiction
            notices.append(Notice(
                application=a, evaluation=evaluation, enterprise_name=a.enterprise.name,
                project_name=a.facts["project"]["name"], amount_cny=a.estimated_amount_cny, payer=payer,
                payer_name=settings.DETERMINATION_AUTHORITIES[payer][0], proposed_by=finance[payer],
                proposed_at=a.updated_at, starts_on=workdays.after(proposed_on, 1),
                ends_on=workdays.after(proposed_on, 5),
                withdrawn_at=a.updated_at + dt.timedelta(days=3) if a.state == State.IN_REVIEW else None))
        notices = Notice.objects.bulk_create(notices)
        objections = []
        for notice in notices:
            withdrawn = notice.withdrawn_at is not None
            if withdrawn or rng.random() < 0.2:
                objections.append(Objection(
                    notice=notice, reference=f"YY{notice.starts_on.year}-S{notice.pk:06d}"[:20], name="异议人",
                    contact="13800000000", text="示例异议：设备投资额存疑。", created_at=notice.proposed_at,
                    status=Objection.Outcome.UPHELD if withdrawn else Objection.Outcome.OPEN,
                    resolution_note="示例：异议成立。" if withdrawn else "",
                    resolved_by=finance[notice.payer] if withdrawn else None,
                    resolved_at=notice.withdrawn_at))
        Objection.objects.bulk_create(objections)

    def _grants(self, rng: random.Random, apps: list[Application], finance: dict[str, User]) -> None:
        """The grant of each approved application with an amount (one per project code), and its
        payments: half paid in full, a quarter in part, the rest unpaid."""
        taken = set(Grant.objects.values_list("project_code", flat=True))
        grants = []
        for a in apps:
            if a.state == State.APPROVED and a.tier and a.project_code not in taken:
                taken.add(a.project_code)
                grants.append(Grant(application=a, project_code=a.project_code, amount_cny=a.estimated_amount_cny,
                                    payer_kind="park_committee" if a.jurisdiction == "park" else "county_finance",
                                    payer_region="" if a.jurisdiction == "park" else a.jurisdiction,
                                    granted_at=a.decided_at))
        Grant.objects.bulk_create(grants)
        payments = []
        for grant in grants:
            share = rng.random()
            if share < 0.75:
                amount = grant.amount_cny if share < 0.5 else (grant.amount_cny / 2).quantize(Decimal("0.01"))
                paid_on = min(timezone.localdate(grant.granted_at) + dt.timedelta(days=rng.randint(5, 40)),
                              timezone.localdate())
                payments.append(Payment(application=grant.application, amount_cny=amount, paid_on=paid_on,
                                        reference=f"SEED-{grant.application.pk}",
                                        recorded_by=finance[grant.application.jurisdiction]))
        Payment.objects.bulk_create(payments)

    def _budgets(self, rng: random.Random, finance: dict[str, User]) -> None:
        """This year's budget per payer, where none is set: a planning figure of 10 to 60 million."""
        year = timezone.localdate().year
        admin = finance["park"]
        for payer in JURISDICTIONS:
            Budget.objects.get_or_create(payer=payer, year=year, defaults={
                "amount_cny": Decimal(rng.randint(10, 60) * 1_000_000), "set_by": admin})


def _outcome_per_tier() -> dict[int, tuple[dict, dict, str]]:
    """The frozen outcome of a typical seeded project per 第4条 tier, evaluated once by the rules."""
    from measures import serialize
    from measures.engine import evaluate
    from measures.examples import EXAMPLE_FACTS
    from measures.facts import parse_facts

    outcomes = {}
    for tier, (investment, _tier, _amount) in enumerate(TIERS):
        facts = {**EXAMPLE_FACTS, "project": {**EXAMPLE_FACTS["project"], "equipment_investment_cny": f"{investment}"}}
        result = evaluate(parse_facts({k: v for k, v in facts.items() if k != "as_of"}), timezone.localdate())
        outcomes[tier] = (serialize.evaluation(result, "zh-hans"), serialize.evaluation(result, "en"),
                          result.rules_version)
    return outcomes
