"""Public verification pages: by code (typed or scanned from the QR code); a PDF uploaded on the
page is compared byte for byte (SHA-256) with the issued one. Shows only the public facts of the
determination: number, issuing authority, enterprise, project name and code, decision, amount,
issue date and SHA-256. An unknown code answers 404 with its own page (the code kept in the form,
and a warning that a paper bearing it may not be genuine). Lookups are throttled (the API's
throttle)."""

from __future__ import annotations

import hashlib
import re
from typing import Any

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from applications.models import Determination
from determinations.api import VerifyThrottle
from determinations.selectors import determination_by_code
from determinations.verification import Signature, signature_of, stored_signature
from eligibility.presentation import capitals, figures

MAX_UPLOAD = 20 * 1024 * 1024
PDF_MAGIC = b"%PDF-"  # how every PDF file begins, the issued one included


def _throttled(request) -> bool:
    return not VerifyThrottle().allow_request(request, None)


def _too_many(request) -> HttpResponse:
    response = render(request, "verify/index.html", {"error": _("Too many lookups. Please wait a minute.")},
                      status=429)
    response["Retry-After"] = "60"
    return response


# What a verification code can be, typed with spaces or dashes (determinations.selectors normalises).
CODE_TYPED = re.compile(r"[0-9A-Za-z -]{1,40}")


@require_http_methods(["GET", "HEAD"])
def verify_index(request):
    code = request.GET.get("code", "").strip()
    if code and CODE_TYPED.fullmatch(code):
        return redirect("verify-code", code=code.replace(" ", ""))
    if code:  # "a/b" and the like cannot be a code (and cannot be a URL either): say so, keep it
        return render(request, "verify/index.html", {
            "error": _("A verification code has 16 letters and digits, like XXXX-XXXX-XXXX-XXXX."), "code": code},
            status=400)
    return render(request, "verify/index.html", {})


def _public_facts(d: Determination) -> dict[str, Any]:
    """What the page shows of a determination; None where a fact is absent (the template says "—")."""
    project = (d.evaluation.facts or {}).get("project") or {}
    return {
        "number": d.number,
        "verification_code": d.verification_code,
        "authority_name": d.authority_name,
        "enterprise_name": d.application.enterprise.name,
        "project_name": project.get("name") or None,
        "project_code": project.get("code") or None,
        "decision": d.decision,
        "decision_label": d.get_decision_display(),
        "amount_figures": figures(d.amount_cny),
        "amount_capitals": capitals(d.amount_cny),
        "issued_on": d.issued_on,
        "sha256": d.sha256,
    }


def _upload_error(upload) -> str:
    """Why an uploaded file cannot be compared, or "" when it can."""
    if upload is None or upload.size == 0:
        return _("Choose the PDF file to compare.")
    if upload.size > MAX_UPLOAD:
        return _("The file is larger than 20 MB: it cannot be the issued determination.")
    head = upload.read(len(PDF_MAGIC))
    upload.seek(0)
    if head != PDF_MAGIC:
        return _("This is not a PDF file: the determination is issued as a PDF. Choose the PDF file you hold.")
    return ""


@require_http_methods(["GET", "HEAD", "POST"])
def verify_code(request, code: str):
    if _throttled(request):
        return _too_many(request)
    determination = determination_by_code(code)
    if determination is None:
        # Our own page, not the generic 404: the code stays in the form, and the reader is told
        # that a paper bearing it may not be genuine.
        return render(request, "verify/index.html", {"not_found": True, "code": code}, status=404)
    stored = stored_signature(determination)
    ctx = {"d": _public_facts(determination), "match": None, "error": "", "signature": stored,
           "signature_words": signature_words(stored)}
    if request.method == "POST":
        upload = request.FILES.get("file")
        ctx["error"] = _upload_error(upload)
        if not ctx["error"]:
            data = upload.read()
            digest = hashlib.sha256(data).hexdigest()
            ctx["match"] = digest == determination.sha256
            ctx["uploaded_sha256"] = digest
            if not ctx["match"]:
                ctx["upload_words"] = upload_words(signature_of(data), stored)
    return render(request, "verify/code.html", ctx)


def signature_words(signature: Signature) -> str:
    """The stored file's signature, in words."""
    if not signature.signed:
        return _("Not signed (an early determination): issued before determinations were signed; its SHA-256 "
                 "is still checked against any copy.")
    if signature.valid:
        return _("Signed by %(signer)s on %(at)s. The signature is valid: the file is unchanged since it was "
                 "signed and the certificate chains to the trusted root.") % {
            "signer": signature.signer, "at": timezone.localtime(signature.signed_at).strftime("%Y-%m-%d %H:%M")}
    return _("The stored file's signature does not verify: report it to the issuing authority.")


def upload_words(uploaded: Signature, stored: Signature) -> str:
    """Why an uploaded file that differs from the issued one differs, as far as its signature tells."""
    if not uploaded.signed:
        return _("The file carries no signature: it is not the issued determination.")
    same_name = stored.signed and uploaded.signer == stored.signer
    if same_name and not uploaded.intact:
        return _("The file carries the signature of %(signer)s, but what was signed has been changed: the "
                 "signature is broken.") % {"signer": uploaded.signer}
    if same_name and uploaded.trusted and not uploaded.whole_file:
        return _("The file carries the issued signature of %(signer)s, and the signed part is intact, but the file "
                 "was changed or re-saved after signing: use the issued file.") % {"signer": uploaded.signer}
    if same_name and uploaded.valid:
        return _("The file carries a valid signature of %(signer)s, but it is not byte for byte the issued file "
                 "(bytes were added after its end): use the issued file.") % {"signer": uploaded.signer}
    return _("The file is signed by %(signer)s, not by this service's issuing authority: it is not the issued "
             "determination.") % {"signer": uploaded.signer or _("an unknown signer")}
