"""Public verification pages: by code (typed or scanned from the QR code); a PDF uploaded on the
page is compared byte for byte (SHA-256) with the issued one. Shows only number, enterprise name,
decision, amount, issue date and SHA-256. Lookups are throttled (the API's throttle)."""

from __future__ import annotations

import hashlib
import re

from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from determinations.api import VerifyThrottle, public_dict
from determinations.selectors import determination_by_code

MAX_UPLOAD = 20 * 1024 * 1024


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


@require_http_methods(["GET", "HEAD", "POST"])
def verify_code(request, code: str):
    if _throttled(request):
        return _too_many(request)
    determination = determination_by_code(code)
    if determination is None:
        raise Http404(_("No determination has this verification code."))
    ctx = {"d": determination, "public": public_dict(determination), "match": None, "error": ""}
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            ctx["error"] = _("Choose the PDF file to compare.")
        elif upload.size > MAX_UPLOAD:
            ctx["error"] = _("The file is larger than 20 MB: it cannot be the issued determination.")
        else:
            digest = hashlib.sha256()
            for chunk in upload.chunks():
                digest.update(chunk)
            ctx["match"] = digest.hexdigest() == determination.sha256
            ctx["uploaded_sha256"] = digest.hexdigest()
    return render(request, "verify/code.html", ctx)
