"""python manage.py load_demo [FILE]: demo accounts and applications in several states, made through
the services like real ones (operations/fixtures/demo.json). Idempotent: does nothing if they exist."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand
from django.db import transaction
from django.test.utils import override_settings

from accounts.models import User
from accounts.services import account_create
from applications.models import Application
from filing import services
from measures.facts import parse_facts
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
            # The demo's notices would only flood the console: keep them in memory.
            with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"), \
                    transaction.atomic():
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
            elif step == "approve":
                review_services.application_approve(application_id=app.pk, reviewer=reviewer, note=note)
            elif step == "reject":
                review_services.application_reject(application_id=app.pk, reviewer=reviewer, note=note)
        return app
