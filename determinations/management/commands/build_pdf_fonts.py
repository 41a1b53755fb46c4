"""python manage.py build_pdf_fonts: cut the determination's fonts once (determinations.fonts)."""

from django.core.management.base import BaseCommand

from determinations import fonts


class Command(BaseCommand):
    help = "Cut the Noto CJK faces of the determination to GB 2312 + ASCII, once (cached in PDF_FONT_DIR)."

    def handle(self, *args, **options):
        if not fonts.faces():
            self.stderr.write("the Noto CJK fonts are not installed (Debian fonts-noto-cjk): nothing to cut")
            return
        for path in fonts.build_all():
            self.stdout.write(f"{path} ({path.stat().st_size // 1024} KB)")
