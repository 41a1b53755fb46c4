"""`manage.py screen [--enterprise ID] [--jobs N]`: screen consenting profiles now (what the nightly
job does), or one enterprise's."""

from __future__ import annotations

import os
import sys

from django.core.management.base import BaseCommand, CommandError

from matching import batch, services
from matching.models import Profile


class Command(BaseCommand):
    help = "Screen the profiles of consenting enterprises against the measures in force (免申即享)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--enterprise", type=int, metavar="ID", help="only this enterprise (its id)")
        parser.add_argument("--jobs", type=int, default=1, metavar="N",
                            help="processes screening at once (default 1; 0: one per CPU)")

    def handle(self, *args, enterprise: int | None = None, jobs: int = 1, **options) -> None:
        if jobs < 0:
            raise CommandError("--jobs must be 0 (one per CPU) or more")
        if enterprise is not None:
            if not Profile.objects.filter(enterprise_id=enterprise).exists():
                raise CommandError(f"enterprise {enterprise} has no profile")
            told = services.screen_enterprise(enterprise)
            self.stdout.write(f"screened enterprise {enterprise}: {told} message(s)")
            return
        tty = sys.stderr.isatty() and options.get("stderr") is None

        def progress(done: int, total: int) -> None:
            if tty:
                sys.stderr.write(f"\r{done}/{total} profiles")

        result = batch.screen_profiles(jobs=jobs or os.cpu_count() or 1, progress=progress)
        if tty:
            sys.stderr.write("\n")
        self.stdout.write(f"screened {result['profiles']} profile(s): {result['messages']} message(s)")
