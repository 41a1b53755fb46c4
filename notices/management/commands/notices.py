"""python manage.py notices [--date YYYY-MM-DD]: the public notices (公示) ending today and those
already over, waiting for a reviewer (to issue the determination, or to resolve an objection). It
only lists: every decision stays with a person (DESIGN §11)."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from applications.models import Notice, State


class Command(BaseCommand):
    help = "List the public notices ending today and the overdue ones (notice over, not yet decided). Changes nothing."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="the day to list for (default: today in Asia/Shanghai)")

    def handle(self, *args, **options):
        try:
            today = dt.date.fromisoformat(options["date"]) if options["date"] else timezone.localdate()
        except ValueError:
            raise CommandError(f"--date {options['date']!r}: expected YYYY-MM-DD") from None
        current = (Notice.objects.filter(withdrawn_at__isnull=True, application__state=State.IN_NOTICE)
                   .select_related("application").order_by("ends_on", "pk"))
        ending = [n for n in current if n.ends_on == today]
        overdue = [n for n in current if n.ends_on < today]
        self.stdout.write(f"Notices ending today ({today}): {len(ending)}")
        for notice in ending:
            self.stdout.write(self._line(notice))
        self.stdout.write(f"Notices over, waiting for a decision: {len(overdue)}")
        for notice in overdue:
            self.stdout.write(self._line(notice))

    def _line(self, notice: Notice) -> str:
        unresolved = notice.objections.filter(status="open").count()
        waiting = f"{unresolved} objection(s) unresolved" if unresolved else "ready to issue"
        return (f"  #{notice.application_id} {notice.enterprise_name} {notice.amount_cny} CNY "
                f"({notice.payer}), {notice.starts_on}–{notice.ends_on}: {waiting}")
