"""Determination API (DESIGN §8): the issued PDF for those who may see the application, and public
verification by code (throttled per client address). Thin views over selectors."""

from __future__ import annotations

from django.http import FileResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from applications.models import Determination
from determinations import selectors
from determinations.schemas import VerifyOut
from determinations.services import pdf_filename
from determinations.verification import stored_signature
from kernel.errors import NotFound
from kernel.problems import PROBLEM_JSON, PROBLEMS
from kernel.schemas import ProblemOut
from kernel.storage import open_stored
from kernel.throttling import CurrentRate
from measures.serialize import money


def determination_dict(d: Determination, request) -> dict:
    pdf_url = None
    if d.pdf:
        pdf_url = request.build_absolute_uri(reverse("api:determination-pdf", args=[d.application_id]))
    return {"number": d.number, "verification_code": d.verification_code, "decision": d.decision,
            "amount_cny": money(d.amount_cny), "sha256": d.sha256,
            "pdf_url": pdf_url}


def determination_response(determination: Determination) -> FileResponse:
    """The stored bytes, never regenerated, under a name built from the number."""
    response = FileResponse(open_stored(determination.pdf), as_attachment=True,
                            filename=pdf_filename(determination), content_type="application/pdf")
    response["X-Content-Type-Options"] = "nosniff"
    response["X-Determination-SHA256"] = determination.sha256
    return response


class DeterminationPdfView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(operation_id="determination_pdf", summary="The determination as issued (the stored bytes)",
                   responses={(200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY, description="the PDF"),
                              **PROBLEMS})
    def get(self, request, application_id: int):
        return determination_response(selectors.determination_for(request.user, application_id))


class VerifyThrottle(CurrentRate, AnonRateThrottle):
    """Per client address, signed in or not: codes must not be guessable by trying."""

    scope = "verify"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


def public_dict(d: Determination) -> dict:
    return {"valid": True, "number": d.number, "enterprise_name": d.application.enterprise.name,
            "decision": d.decision, "amount_cny": money(d.amount_cny), "issued_on": d.issued_on.isoformat(),
            "sha256": d.sha256, "signature": stored_signature(d).as_dict()}


class VerifyView(APIView):
    authentication_classes = []
    permission_classes = []
    throttle_classes = [VerifyThrottle]

    @extend_schema(operation_id="verify", summary="Verify a determination by its code",
                   responses={200: VerifyOut,
                              (404, PROBLEM_JSON): OpenApiResponse(ProblemOut),
                              (429, PROBLEM_JSON): OpenApiResponse(ProblemOut)})
    def get(self, request, code: str):
        determination = selectors.determination_by_code(code)
        if determination is None:
            raise NotFound(_("No determination has this verification code."))
        return Response(public_dict(determination))
