"""python manage.py load_demo [FILE]: demo accounts, budgets and applications in several states, made
through the services like real ones (operations/fixtures/demo.json): public notices open, over and
withdrawn, objections open, dismissed and upheld, grants paid in full and in part. Idempotent: does
nothing if they exist.

The one thing no service does: `notice_over` moves a notice made today back in time so that its
period has just ended (a demo cannot wait five working days); nothing else is changed by hand."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from accounts.models import User
from accounts.services import account_create
from applications import workdays
from applications.models import Application, Notice
from applications.notices import current_notice
from filing import services
from funds import services as funds_services
from measures.facts import parse_facts
from notices import services as notices_services
from review import services as review_services

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
DEMO = FIXTURES / "demo.json"
SAMPLE_PDF = FIXTURES / "demo-files" / "sample.pdf"


class Command(BaseCommand):
    help = "Load the demo accounts and applications (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", default=str(DEMO))

    def handle(self, *args, file: str, **options):
        demo = json.loads(Path(file).read_text(encoding="utf-8"))
        names = [a["username"] for a in demo["accounts"]]
        if User.objects.filter(username__in=names).exists():
            self.stdout.write("demo data already loaded")
        else:
            # The demo's emails would only flood the console: keep them in memory. Its notices are
            # shown whatever the setting (5 working days when notices are off).
            days = settings.PUBLIC_NOTICE_WORKING_DAYS or 5
            with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
                                   PUBLIC_NOTICE_WORKING_DAYS=days), transaction.atomic():
                self._load(demo)
            self.stdout.write(f"loaded {len(names)} accounts and {len(demo['applications'])} applications")
        self.stdout.write(f"demo accounts (password {demo['password']}):")
        for account in demo["accounts"]:
            what = account.get("enterprise_name") or account.get("jurisdiction") or (
                "accounts only, in /admin/" if account["role"] == "system_admin" else "all jurisdictions")
            self.stdout.write(f"  {account['username']:<16} {account['role']:<12} {what}")

    def _load(self, demo: dict) -> None:
        users = {}
        for account in demo["accounts"]:
            fields = {k: v for k, v in account.items() if k != "username"}
            users[account["username"]] = account_create(username=account["username"], password=demo["password"],
                                                        **fields)
        admin = next(u for u in users.values() if u.is_city_admin)
        year = timezone.localdate().year
        for payer, amount in demo.get("budgets", {}).items():
            funds_services.budget_set(payer=payer, year=year, amount=Decimal(amount), user=admin)
        for spec in demo["applications"]:
            self._application(spec, users)

    def _application(self, spec: dict, users: dict[str, User]) -> Application:
        owner = users[spec["owner"]]
        app = services.application_create(user=owner, facts=spec["facts"])
        for kind in services.required_attachments(parse_facts(app.facts)):
            upload = SimpleUploadedFile(f"{kind}.pdf", SAMPLE_PDF.read_bytes(), content_type="application/pdf")
            services.attachment_add(application_id=app.pk, user=owner, kind=kind, upload=upload)
        reviewer = users.get(spec.get("reviewer", ""))
        note = spec.get("note", "")
        for step in spec["steps"]:
            if step == "submit":
                services.application_submit(application_id=app.pk, user=owner, declaration=True)
            elif step == "claim":
                review_services.application_claim(application_id=app.pk, reviewer=reviewer)
            elif step == "return":
                review_services.application_return(application_id=app.pk, reviewer=reviewer, note=note)
            elif step == "propose":
                review_services.application_propose(application_id=app.pk, reviewer=reviewer)
            elif step.startswith("object:"):
                self._objection(app, spec, reviewer, step.split(":", 1)[1])
            elif step == "notice_over":
                _end_notice_yesterday(app)
            elif step.startswith("pay:"):
                funds_services.payment_record(application_id=app.pk, user=users[_finance_of(app, users)],
                                              amount=Decimal(step.split(":", 1)[1]), paid_on=timezone.localdate(),
                                              reference=f"DEMO-{app.pk}-{len(app.payments.all()) + 1}")
            elif step == "approve":
                review_services.application_approve(application_id=app.pk, reviewer=reviewer, note=note)
            elif step == "reject":
                review_services.application_reject(application_id=app.pk, reviewer=reviewer, note=note)
        return app

    def _objection(self, app: Application, spec: dict, reviewer: User, outcome: str) -> None:
        notice = current_notice(app)
        objection = notices_services.objection_submit(notice_id=notice.pk, **spec["objection"])
        if outcome in ("dismiss", "uphold"):
            review_services.objection_resolve(objection_id=objection.pk, reviewer=reviewer,
                                              outcome="dismissed" if outcome == "dismiss" else "upheld",
                                              note=spec["resolution"])


def _finance_of(app: Application, users: dict[str, User]) -> str:
    app.refresh_from_db()
    return next(name for name, u in users.items() if u.is_finance and u.jurisdiction == app.jurisdiction)


def _end_notice_yesterday(app: Application) -> None:
    """Demo only: the notice proposed today is moved back so that its last day was the last working
    day before today (same length in working days)."""
    notice = current_notice(app)
    today = timezone.localdate()
    ends = today - dt.timedelta(days=1)
    while not workdays.is_workday(ends):
        ends -= dt.timedelta(days=1)
    proposed_on = workdays.start_for(ends, settings.PUBLIC_NOTICE_WORKING_DAYS)
    Notice.objects.filter(pk=notice.pk).update(
        starts_on=workdays.after(proposed_on, 1), ends_on=ends,
        proposed_at=timezone.make_aware(dt.datetime.combine(proposed_on, dt.time(10))))
