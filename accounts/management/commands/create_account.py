"""python manage.py create_account USERNAME --password P --role enterprise|reviewer|finance|city_admin|system_admin …
(DESIGN §8). A system admin holds the Django admin, for accounts only."""

from django.core.management.base import BaseCommand, CommandError

from accounts.models import JURISDICTIONS, Role
from accounts.services import account_create
from kernel.errors import DomainError


class Command(BaseCommand):
    help = "Create an enterprise user, a reviewer, a city admin or a system admin (accounts only)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--password", required=True)
        parser.add_argument("--role", required=True, choices=Role.values)
        parser.add_argument("--credit-code", default="", help="enterprise users: the enterprise's credit code")
        parser.add_argument("--enterprise-name", default="", help="enterprise users: its name, if new")
        parser.add_argument("--registered-region", default="", help="enterprise users: 6-digit division code")
        parser.add_argument("--jurisdiction", default="", choices=["", *JURISDICTIONS], help="reviewers and finance")
        parser.add_argument("--email", default="")
        parser.add_argument("--phone", default="", help="reviewers: checked against the enterprises they review")

    def handle(self, *args, **o):
        if o["role"] == Role.ENTERPRISE and not o["credit_code"]:
            raise CommandError("--credit-code is required for an enterprise user")
        if o["role"] in (Role.REVIEWER, Role.FINANCE) and not o["jurisdiction"]:
            raise CommandError(f"--jurisdiction is required for {o['role']}")
        try:
            user = account_create(
                username=o["username"], password=o["password"], role=o["role"], credit_code=o["credit_code"],
                enterprise_name=o["enterprise_name"], registered_region=o["registered_region"],
                jurisdiction=o["jurisdiction"], email=o["email"], phone=o["phone"],
            )
        except DomainError as exc:
            raise CommandError(exc.detail) from None
        where = user.enterprise or user.jurisdiction or "all jurisdictions"
        self.stdout.write(f"created {user.role} {user.username} ({where})")
