"""Checking a determination's signature (DESIGN §12): intact (the signed bytes unchanged), covering the
whole file (nothing added after signing), the signer's certificate chained to a configured trust root
(SIGNING_TRUST_ROOTS), the signer and the signing time. Used by the verification page and API, on the
stored file and on a file someone uploads."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from functools import cache

from django.conf import settings
from django.core.cache import cache as django_cache

from applications.models import Determination
from determinations.signing import outside_event_loop
from kernel.storage import open_stored


@dataclass(frozen=True)
class Signature:
    signed: bool
    intact: bool = False  # the signed byte ranges are as signed
    whole_file: bool = False  # nothing was added or changed after the signature
    trusted: bool = False  # the signer's certificate chains to a trust root
    signer: str | None = None
    signed_at: dt.datetime | None = None

    @property
    def valid(self) -> bool:
        return self.signed and self.intact and self.whole_file and self.trusted

    def as_dict(self) -> dict:
        return {"valid": self.valid, "signer": self.signer,
                "signed_at": self.signed_at.isoformat() if self.signed_at else None}


UNSIGNED = Signature(signed=False)


@cache
def _trust_roots() -> tuple:
    from asn1crypto import pem, x509

    roots = []
    for path in settings.SIGNING_TRUST_ROOTS:
        if path.exists():
            for _type, _headers, der in pem.unarmor(path.read_bytes(), multiple=True):
                roots.append(x509.Certificate.load(der))
    return tuple(roots)


def _common_name(certificate) -> str:
    return certificate.subject.native.get("common_name") or certificate.subject.human_friendly


def signature_of(pdf: bytes) -> Signature:
    """The first signature of `pdf` checked; UNSIGNED when there is none (or the file is not a PDF)."""
    return outside_event_loop(_signature_of, pdf)


def _signature_of(pdf: bytes) -> Signature:
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.errors import SignatureValidationError
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    try:
        signatures = PdfFileReader(io.BytesIO(pdf), strict=False).embedded_signatures
    except Exception:  # not a PDF we can read: no signature to speak of
        return UNSIGNED
    if not signatures:
        return UNSIGNED
    context = ValidationContext(trust_roots=list(_trust_roots()), allow_fetching=False)
    try:
        status = validate_pdf_signature(signatures[0], context)
    except (SignatureValidationError, ValueError):
        return Signature(signed=True)
    return Signature(signed=True, intact=status.intact and status.valid,
                     whole_file=status.coverage == SignatureCoverageLevel.ENTIRE_FILE,
                     trusted=bool(status.trusted), signer=_common_name(status.signing_cert),
                     signed_at=status.signer_reported_dt)


def stored_signature(determination: Determination) -> Signature:
    """The stored file's signature, checked once per file (it never changes): cached by its SHA-256."""
    key = f"determination-signature:{determination.sha256}"
    cached = django_cache.get(key)
    if cached is not None:
        return cached
    with open_stored(determination.pdf) as handle:
        result = signature_of(handle.read())
    django_cache.set(key, result, timeout=24 * 3600)
    return result
