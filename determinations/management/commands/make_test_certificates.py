"""python manage.py make_test_certificates: a local test CA and one test certificate per issuing
authority under SIGNING_DIR, when absent (make run, make test). Not for production (README)."""

from django.core.management.base import BaseCommand

from determinations import test_certificates


class Command(BaseCommand):
    help = "Create the test CA and the authorities' test signing certificates when absent (never for production)."

    def handle(self, *args, **options):
        for path in test_certificates.ensure():
            self.stdout.write(str(path))
