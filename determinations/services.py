"""Issuing a determination (决定书): its authority, its number, its verification code. Called by the
approve and reject services inside their transaction, so no decision exists without one and a
rolled-back decision takes no number.

The PDF carries its number, yet rendering and signing it (the slow part) happen before the series is
locked: the document is made with the number the series will most likely give (`expected_serial`),
then the series is locked and incremented; only when another approval of the same authority took
that number meanwhile is the document made again, under the lock. So the lock is held, in the usual
case, only for storing the file and the row, and numbers stay gapless (issue 14)."""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import connection
from django.utils import timezone

from accounts.models import User
from applications.models import Application, Decision, Determination, Evaluation, NumberSeries
from audit import services as audit
from determinations.pdf import render_pdf
from kernel.errors import Unavailable
from kernel.storage import STORE_UNAVAILABLE, discard_stored
from measures.outcome import Status

# Crockford's base32: no I, L, O or U, so a code read aloud or typed is not misread.
CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 16  # 80 bits of randomness


def verification_code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    return "-".join(raw[i:i + 4] for i in range(0, CODE_LENGTH, 4))


def authority_of(application: Application) -> tuple[str, str, str]:
    """(series key, authority name, number prefix). The authority is the payer of 第4条: the park
    committee for park projects, else the county government; without a claim, the jurisdiction's."""
    key = application.jurisdiction
    name, prefix = settings.DETERMINATION_AUTHORITIES[key]
    return key, name, prefix


def expected_serial(authority: str, year: int) -> int:
    """The number the series will most likely give next (read without a lock: only a guess)."""
    last = NumberSeries.objects.filter(authority=authority, year=year).values_list("last_serial", flat=True).first()
    return (last or 0) + 1


def next_serial(authority: str, year: int) -> int:
    """The next number of the series, under a row lock held until the caller's transaction ends: one
    UPDATE … RETURNING (the row is made first, once a year per authority)."""
    table = connection.ops.quote_name(NumberSeries._meta.db_table)
    sql = f"UPDATE {table} SET last_serial = last_serial + 1 WHERE authority = %s AND year = %s RETURNING last_serial"  # noqa: S608 - our table's name
    with connection.cursor() as cursor:
        cursor.execute(sql, [authority, year])
        row = cursor.fetchone()
        if row is None:
            NumberSeries.objects.get_or_create(authority=authority, year=year)
            cursor.execute(sql, [authority, year])
            row = cursor.fetchone()
    return row[0]


def determination_issue(*, application: Application, evaluation: Evaluation, decision: str,
                        actor: User) -> Determination:
    now = timezone.now()
    today = timezone.localdate(now)
    key, name, prefix = authority_of(application)
    measure4 = evaluation.result.measure(4)
    amount = None
    if decision == Decision.APPROVED and measure4.status is Status.ELIGIBLE:
        amount = measure4.amount
    determination = Determination(
        application=application, evaluation=evaluation, decision=decision, authority=key, authority_name=name,
        year=today.year, verification_code=verification_code(), amount_cny=amount, issued_at=now, issued_on=today,
        issued_by=actor,
    )
    _number(determination, prefix, expected_serial(key, today.year))
    pdf = render_pdf(determination)  # outside the series lock
    serial = next_serial(key, today.year)  # the lock, held until the transaction ends
    if serial != determination.serial:  # another approval took the expected number: make it again
        _number(determination, prefix, serial)
        pdf = render_pdf(determination)
    store_pdf(determination, pdf)
    try:
        determination.save()
        audit.record(action="determination", obj=determination, actor=actor, application=application,
                     note_code="determination_issued", note_params={"number": determination.number})
    except Exception:
        discard_stored(determination.pdf)
        raise
    return determination


def _number(determination: Determination, prefix: str, serial: int) -> None:
    determination.serial = serial
    determination.number = f"{prefix}〔{determination.year}〕{serial}号"


def store_pdf(determination: Determination, pdf: bytes) -> None:
    """Write the bytes once, with their digest. The file is written whole and flushed to disk
    (kernel.storage) before the row commits, so a committed determination always has its file; it
    is never written again. A store that cannot be written is `Unavailable`: the decision's
    transaction rolls back and no number is used."""
    if determination.pdf:
        raise ValueError(f"{determination.number} already has its PDF: it is never regenerated")
    determination.sha256 = hashlib.sha256(pdf).hexdigest()
    try:
        determination.pdf.save(f"{determination.verification_code}.pdf", ContentFile(pdf), save=False)
    except OSError:
        raise Unavailable(STORE_UNAVAILABLE()) from None


def pdf_filename(determination: Determination) -> str:
    """决定书-东园补决〔2025〕7号.pdf"""
    return f"决定书-{determination.number}.pdf"
