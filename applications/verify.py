"""Public verification of determinations: by code (typed or scanned from the QR code) on a page and
through the API; a PDF uploaded on the page is compared byte for byte (SHA-256) with the issued one.
Shows only number, enterprise name, decision, amount, issue date and SHA-256. Lookups are throttled."""

from __future__ import annotations

import hashlib

from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from applications.models import Determination
from applications.schemas import VerifyOut
from applications.selectors import determination_by_code
from haidong_policy.problems import DomainError
from measures.api import PROBLEM_JSON, _CurrentRate
from measures.schemas import ProblemOut
from measures.serialize import money

MAX_UPLOAD = 20 * 1024 * 1024


class VerifyThrottle(_CurrentRate, AnonRateThrottle):
    """Per client address, signed in or not: codes must not be guessable by trying."""

    scope = "verify"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


def public_dict(d: Determination) -> dict:
    return {"valid": True, "number": d.number, "enterprise_name": d.application.enterprise.name,
            "decision": d.decision, "amount_cny": money(d.amount_cny), "issued_on": d.issued_on.isoformat(),
            "sha256": d.sha256}


class VerifyView(APIView):
    authentication_classes = []
    permission_classes = []
    throttle_classes = [VerifyThrottle]

    @extend_schema(operation_id="verify", summary="Verify a determination by its code",
                   responses={200: VerifyOut,
                              (404, PROBLEM_JSON): OpenApiResponse(ProblemOut),
                              (429, PROBLEM_JSON): OpenApiResponse(ProblemOut)})
    def get(self, request, code: str):
        determination = determination_by_code(code)
        if determination is None:
            raise DomainError(404, _("No determination has this verification code."))
        return Response(public_dict(determination))


def _throttled(request) -> bool:
    return not VerifyThrottle().allow_request(request, None)


def _too_many(request) -> HttpResponse:
    response = render(request, "verify/index.html", {"error": _("Too many lookups. Please wait a minute.")},
                      status=429)
    response["Retry-After"] = "60"
    return response


@require_http_methods(["GET", "HEAD"])
def verify_index(request):
    code = request.GET.get("code", "").strip()
    if code:
        return redirect("verify-code", code=code)
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
