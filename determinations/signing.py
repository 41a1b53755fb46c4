"""Signing the determination (PAdES, pyHanko) with its issuing authority's certificate (DESIGN §12).

`Signer` is the seam: one method, `sign(pdf, authority, box)` → the signed bytes. The default,
`Pkcs12Signer`, holds each authority's key and certificate as a PKCS#12 file: in production from the
environment (`SIGNING_P12_<AUTHORITY>`, e.g. SIGNING_P12_PARK or SIGNING_P12_630202, and its
password in `SIGNING_P12_PASSWORD_<AUTHORITY>`); for `make run` and `make test`, the test
certificates that `manage.py make_test_certificates` writes under var/signing/ (named as test
certificates, issued by a local test CA). A provincial e-seal platform or an HSM through PKCS#11
(SM2 per GB/T 38540) replaces it by another class with the same method, named in
`settings.DETERMINATION_SIGNER` (README)."""

from __future__ import annotations

import asyncio
import io
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

from determinations import seal

FIELD = "Seal"  # the signature field's name
SIGNATURE_ROOM = 12 * 1024  # bytes of DER reserved for the CMS signature


def signers_module():
    from pyhanko.sign import signers

    return signers


@cache
def _kept_key_signer():
    """pyHanko's SimpleSigner, keeping the private key loaded: it parses and checks the key (tens of
    milliseconds for RSA) on every signature otherwise."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
    from pyhanko.sign import signers
    from pyhanko.sign.general import get_pyca_cryptography_hash

    class KeptKeySigner(signers.SimpleSigner):
        def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
            mechanism = self.get_signature_mechanism_for_digest(digest_algorithm)
            if mechanism.signature_algo != "rsassa_pkcs1v15":
                return super().sign_raw(data, digest_algorithm)
            key = self.__dict__.get("_kept_key")
            if key is None:
                key = self.__dict__["_kept_key"] = serialization.load_der_private_key(self.signing_key.dump(), None)
            return key.sign(data, PKCS1v15(), get_pyca_cryptography_hash(digest_algorithm))

    return KeptKeySigner


@dataclass(frozen=True)
class Box:
    """Where the seal stands: the page (0-based) and the rectangle in PDF points from the bottom left."""

    page: int
    x1: float
    y1: float
    x2: float
    y2: float


class Signer(Protocol):
    def sign(self, pdf: bytes, *, authority: str, box: Box) -> bytes: ...


def p12_path(authority: str) -> Path:
    configured = os.environ.get(f"SIGNING_P12_{authority.upper()}")
    return Path(configured) if configured else Path(settings.SIGNING_DIR) / f"{authority}.p12"


def p12_password(authority: str) -> bytes | None:
    configured = os.environ.get(f"SIGNING_P12_PASSWORD_{authority.upper()}")
    if configured is not None:
        return configured.encode()
    return settings.TEST_SIGNING_PASSWORD.encode() if not os.environ.get(f"SIGNING_P12_{authority.upper()}") else None


class Pkcs12Signer:
    """PAdES signatures with one PKCS#12 (key, certificate, chain) per issuing authority."""

    @staticmethod
    @cache
    def _signer(authority: str):
        path = p12_path(authority)
        if not path.exists():
            raise FileNotFoundError(f"no signing certificate for {authority}: {path} (README: Signing)")
        loaded = signers_module().SimpleSigner.load_pkcs12(str(path), passphrase=p12_password(authority))
        if loaded is None:
            raise ValueError(f"the signing certificate of {authority} cannot be read: {path} (wrong password?)")
        kept = _kept_key_signer()
        return kept(signing_key=loaded.signing_key, signing_cert=loaded.signing_cert,
                    cert_registry=loaded.cert_registry, signature_mechanism=loaded.signature_mechanism)

    def sign(self, pdf: bytes, *, authority: str, box: Box) -> bytes:
        return outside_event_loop(self._sign, pdf, authority, box)

    def _sign(self, pdf: bytes, authority: str, box: Box) -> bytes:
        from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
        from pyhanko.sign import fields, signers
        name = settings.DETERMINATION_AUTHORITIES[authority][0]
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
        field = fields.SigFieldSpec(FIELD, on_page=box.page, box=(box.x1, box.y1, box.x2, box.y2))
        meta = signers.PdfSignatureMetadata(field_name=FIELD, name=name, reason="海东市绿色算力产业政策决定书",
                                            location="海东市", subfilter=fields.SigSeedSubFilter.PADES)
        style = _seal_style(authority)
        out = io.BytesIO()
        # A fixed room for the signature (no trial signature to measure it): ample for RSA-4096 or SM2
        # with a chain of four certificates.
        signers.PdfSigner(meta, signer=self._signer(authority), stamp_style=style,
                          new_field_spec=field).sign_pdf(writer, output=out, bytes_reserved=SIGNATURE_ROOM)
        return out.getvalue()


def outside_event_loop(function, *args):
    """pyHanko's synchronous calls run their own event loop (asyncio.run), which cannot start in a
    thread whose loop is running (an async view, a test driving a browser): there, in a worker thread."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return function(*args)
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(function, *args).result()


@cache
def _seal_style(authority: str):
    from pyhanko.stamp import StaticStampStyle

    return StaticStampStyle.from_pdf_file(str(seal_file(authority)), border_width=0)


def seal_file(authority: str) -> Path:
    name = settings.DETERMINATION_AUTHORITIES[authority][0]
    return seal.seal_pdf(name, Path(settings.SIGNING_DIR) / f"seal-{authority}.pdf")


@cache
def signer() -> Signer:
    return import_string(settings.DETERMINATION_SIGNER)()
