"""python manage.py export_data OUT.tar.gz: the records and stored files in one archive with a manifest
of SHA-256 sums (operations.backup). Never overwrites OUT."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from operations.backup import EXCLUDED, BackupError, export_data


class Command(BaseCommand):
    help = "Export applications, evaluations, history, audit log, determinations and their files to a tar.gz."

    def add_arguments(self, parser):
        parser.add_argument("out", help="the archive to write (must not exist), e.g. backup-2025-03-01.tar.gz")
        parser.add_argument("--database", default="default")

    def handle(self, *args, out: str, database: str, **options):
        try:
            result = export_data(out, using=database)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        rows = sum(result.row_counts.values())
        self.stdout.write(f"wrote {result.path} ({result.size} bytes): {rows} rows, {result.files} files")
        for label, count in result.row_counts.items():
            self.stdout.write(f"  {label}: {count}")
        self.stdout.write(f"not exported: {', '.join(sorted(EXCLUDED))}")
