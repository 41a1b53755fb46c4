#!/usr/bin/env python
"""Determination benchmark (issue 14): an approval (evaluate, number, render, sign, store) and the
PDF render alone, against a warm one-line Latin WeasyPrint page in the same process; and the size of
the PDF.

    .venv/bin/python bench/determination.py [--rounds 15]

Rounds of the three are interleaved so drift in the machine's speed hits them alike; medians are
reported with the ratios. Uses its own SQLite database under /tmp (or DATABASE_URL when set: measure on
PostgreSQL for production figures). Reports numbers only: asserts nothing, exits 0.
"""

from __future__ import annotations

import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != BENCH]

import argparse  # noqa: E402
import os  # noqa: E402
import statistics  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402

ROOT = BENCH.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "haidong_policy.settings")
os.environ.setdefault("LOG_LEVEL", "WARNING")
os.environ["PUBLIC_NOTICE_WORKING_DAYS"] = "0"  # approve directly: the notice is not what is measured
TMP = Path(tempfile.mkdtemp(prefix="bench-determination-"))
os.environ.setdefault("DATABASE_URL", f"sqlite:///{TMP / 'db.sqlite3'}")
os.environ["MEDIA_ROOT"] = str(TMP / "media")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.test.utils import override_settings  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=15)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    from weasyprint import HTML

    from applications.models import Application, Determination
    from determinations.pdf import render_pdf
    from review import services as review_services
    from tests.personas import applicant, reviewer, submitted

    alice, park = applicant("bench_applicant"), reviewer("park", username="bench_reviewer")
    latin = HTML(string="<p>Hello, world.</p>")

    def latin_page() -> bytes:
        return latin.write_pdf()

    counter = iter(range(10**6))

    def approval() -> Determination:
        n = next(counter)
        app = submitted(alice, code=f"2406-630202-04-01-{n:06d}")
        start = time.perf_counter()
        review_services.application_approve(application_id=app.pk, reviewer=park, note="材料齐全，予以批准。")
        elapsed = time.perf_counter() - start
        return Application.objects.get(pk=app.pk).determination, elapsed

    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        latin_page()  # warm: fonts and WeasyPrint's caches
        determination, _ = approval()
        render_pdf(determination)
        times: dict[str, list[float]] = {"latin page": [], "render": [], "approval": []}
        for _round in range(args.rounds):
            start = time.perf_counter()
            latin_page()
            times["latin page"].append(time.perf_counter() - start)
            start = time.perf_counter()
            render_pdf(determination)
            times["render"].append(time.perf_counter() - start)
            determination, elapsed = approval()
            times["approval"].append(elapsed)
    base = statistics.median(times["latin page"])
    print(f"rounds: {args.rounds}; database: {django.db.connection.vendor}")
    for name, values in times.items():
        median = statistics.median(values)
        print(f"{name:<11} median {median * 1000:8.1f} ms   ratio to the Latin page {median / base:6.1f}x")
    size = determination.pdf.size
    pages = _pages(determination.pdf.path)
    print(f"determination PDF: {size / 1024:.0f} KB, {pages} pages ({determination.number})")


def _pages(path: str) -> int:
    from pypdf import PdfReader

    return len(PdfReader(path).pages)


if __name__ == "__main__":
    main()
