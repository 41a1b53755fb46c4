"""python manage.py import_data ARCHIVE.tar.gz: restore an export_data archive into an empty, migrated
database and MEDIA_ROOT (operations.backup). Checks everything before writing; all or nothing."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from operations.backup import BackupError, import_data


class Command(BaseCommand):
    help = "Restore an export_data archive into an empty database (after migrate)."

    def add_arguments(self, parser):
        parser.add_argument("archive")
        parser.add_argument("--database", default="default")

    def handle(self, *args, archive: str, database: str, **options):
        try:
            result = import_data(archive, using=database)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        manifest = result.manifest
        self.stdout.write(f"restored {sum(result.row_counts.values())} rows and {result.files_written} files "
                          f"({result.files_present} already present) from the export of {manifest['exported_at']}")
        for label, count in result.row_counts.items():
            self.stdout.write(f"  {label}: {count}")
        self.stdout.write("API tokens and sessions are not restored: users sign in again and request new tokens.")
