"""Application API for enterprises (DESIGN §8): thin views over services and selectors."""

from __future__ import annotations

from django.http import FileResponse
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.pagination import PageNumberPagination
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from applications import selectors
from applications.models import Application, Attachment, Objection
from applications.notices import open_objections
from applications.transitions import NOTE_MAX
from applications.workflow import State
from determinations.api import determination_dict
from filing import services
from filing.schemas import ApplicationOut, ApplicationPageOut, AttachmentOut, SubmitOut
from funds.api import payments_dict
from funds.selectors import payments_of
from kernel.errors import Invalid
from kernel.http import optional_text, read_json, read_optional_json
from kernel.problems import PROBLEM_JSON, PROBLEMS
from kernel.schemas import ProblemOut
from kernel.storage import open_stored
from measures.facts import Facts
from measures.serialize import money


class ApplicationFacts(Facts):
    """The facts of an application: those of POST /api/v1/eligibility without `as_of` (a separate
    name in the OpenAPI document only)."""


def _time(value) -> str | None:
    return value.isoformat() if value else None


def attachment_dict(a: Attachment, request) -> dict:
    return {
        "id": a.pk, "kind": a.kind, "size": a.size, "sha256": a.sha256, "content_type": a.content_type,
        "original_name": a.original_name, "uploaded_at": _time(a.uploaded_at),
        "superseded_at": _time(a.superseded_at),
        "url": request.build_absolute_uri(reverse("api:attachment-detail", args=[a.application_id, a.pk])),
    }


def application_summary(app: Application) -> dict:
    facts = app.facts
    project = facts.get("project") or {}
    return {
        "id": app.pk, "status": app.state, "jurisdiction": app.jurisdiction,
        "enterprise": {"name": app.enterprise.name, "credit_code": app.enterprise.credit_code},
        "project_code": app.project_code or None, "project_name": project.get("name"),
        "created_at": _time(app.created_at), "updated_at": _time(app.updated_at),
        "submitted_at": _time(app.submitted_at), "decided_at": _time(app.decided_at),
    }


def actor_label(actor, viewer) -> str:
    """Enterprises see who acted by role, not a reviewer's login name (which could be locked out)."""
    if viewer.is_enterprise and actor.enterprise_id != viewer.enterprise_id:
        return actor.role
    return actor.username


def application_dict(app: Application, request) -> dict:
    lang = request.LANGUAGE_CODE
    return {
        **application_summary(app),
        "facts": app.facts,
        "evaluations": [
            {"id": e.pk, "kind": e.kind, "created_at": _time(e.created_at), "rules_version": e.rules_version,
             "recognized_investment_cny": money(e.recognized_investment_cny),
             "outcome": e.outcome_en if lang == "en" else e.outcome}
            for e in app.evaluations.all()
        ],
        "attachments": [attachment_dict(a, request) for a in app.attachments.all()],
        "history": [
            {"at": _time(t.at), "from": t.from_state or None, "to": t.to_state, "note": t.note,
             "actor": actor_label(t.actor, request.user)}
            for t in app.history.select_related("actor")
        ],
        "determination": determination_dict(app.determination, request) if hasattr(app, "determination") else None,
        "notice": notice_dict(app),
        "payments": payments_dict(payments_of(app)),
        "objections": objections_list(app) if request.user.is_reviewer or request.user.is_city_admin else None,
    }


def objections_list(app: Application) -> list[dict]:
    return [{"id": o.pk, "notice_id": o.notice_id, "reference": o.reference, "name": o.name, "contact": o.contact,
             "text": o.text, "created_at": _time(o.created_at), "status": o.status,
             "resolution_note": o.resolution_note, "resolved_at": _time(o.resolved_at)}
            for o in Objection.objects.filter(notice__application=app).order_by("created_at", "pk")]


def notice_dict(app: Application) -> dict | None:
    notice = app.notices.order_by("-proposed_at", "-pk").first()
    if notice is None:
        return None
    return {"id": notice.pk, "starts_on": notice.starts_on.isoformat(), "ends_on": notice.ends_on.isoformat(),
            "amount_cny": money(notice.amount_cny), "status": str(notice.status_on(timezone.localdate())),
            "open_objections": open_objections(notice).count()}


def _detail(application_id: int, request, status: int = 200) -> Response:
    app = selectors.application_get(request.user, application_id)
    return Response(application_dict(app, request), status=status)


class ApplicationsView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(operation_id="applications_list", summary="Applications you may see, newest first",
                   parameters=[OpenApiParameter("status", str, enum=State.values), OpenApiParameter("page", int)],
                   responses={200: ApplicationPageOut, **PROBLEMS})
    def get(self, request):
        status = request.query_params.get("status") or None
        if status is not None and status not in State.values:
            raise Invalid([{"field": "status", "code": "invalid_choice"}], "invalid status")
        paginator = PageNumberPagination()
        page = paginator.paginate_queryset(selectors.application_list(request.user, status=status), request, self)
        return paginator.get_paginated_response([application_summary(a) for a in page])

    @extend_schema(operation_id="applications_create", summary="File a draft (enterprise users)",
                   description="The facts of POST /api/v1/eligibility without `as_of`. The enterprise's name, "
                               "credit code and region come from the account; a credit code in the body must be it.",
                   request=ApplicationFacts, responses={201: ApplicationOut, **PROBLEMS})
    def post(self, request):
        app = services.application_create(user=request.user, facts=read_json(request))
        return _detail(app.pk, request, status=201)


class ApplicationView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(operation_id="applications_get", responses={200: ApplicationOut, **PROBLEMS})
    def get(self, request, application_id: int):
        return _detail(application_id, request)

    @extend_schema(operation_id="applications_patch", summary="Change the facts (draft or returned)",
                   description="JSON merge patch (RFC 7396) of the facts: objects merge, null removes.",
                   request=ApplicationFacts, responses={200: ApplicationOut, **PROBLEMS})
    def patch(self, request, application_id: int):
        services.application_update(application_id=application_id, user=request.user, patch=read_json(request))
        return _detail(application_id, request)


class SubmitView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(operation_id="applications_submit",
                   summary="Submit (draft or returned) under the declaration of truthfulness (承诺书)",
                   description="Submitting through the API makes the declaration; `{\"declaration\": false}` "
                               "refuses it. Incomplete facts or attachments: 400 naming each one.",
                   request=inline_serializer("SubmitIn", {"declaration": serializers.BooleanField(default=True)}),
                   responses={200: SubmitOut, **PROBLEMS})
    def post(self, request, application_id: int):
        selectors.application_get(request.user, application_id)  # 404 before reading what is not yours
        # An empty body is a plain submission; a body must be a JSON object, at most {"declaration": …}.
        body = read_optional_json(request, ("declaration",))
        declaration = body.get("declaration", True)
        if not isinstance(declaration, bool):
            raise Invalid([{"field": "declaration", "code": "invalid_type"}], "invalid body")
        evaluation = services.application_submit(application_id=application_id, user=request.user,
                                                 declaration=declaration)
        outcome = evaluation.outcome_en if request.LANGUAGE_CODE == "en" else evaluation.outcome
        return Response({"id": int(application_id), "status": State.SUBMITTED, "evaluation": outcome})


class WithdrawView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(operation_id="applications_withdraw", summary="Withdraw (draft or returned)",
                   request=inline_serializer("WithdrawIn", {"note": serializers.CharField(
                       required=False, max_length=NOTE_MAX, help_text="Why (optional)")}),
                   responses={200: ApplicationOut, **PROBLEMS})
    def post(self, request, application_id: int):
        selectors.application_get(request.user, application_id)  # 404 before reading what is not yours
        note = optional_text(read_optional_json(request, ("note",)), "note")
        services.application_withdraw(application_id=application_id, user=request.user, note=note)
        return _detail(application_id, request)


class AttachmentsView(APIView):
    permission_classes = [IsAuthenticated]
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(operation_id="attachments_upload", summary="Upload evidence (PDF, JPEG or PNG, ≤ 20 MB)",
                   request={"multipart/form-data": inline_serializer("AttachmentIn", {
                       "kind": serializers.ChoiceField(["business_license", "project_filing", "investment_audit",
                                                        "equipment_invoice", "rack_acceptance"]),
                       "file": serializers.FileField()})},
                   responses={201: AttachmentOut, **PROBLEMS, (415, PROBLEM_JSON): OpenApiResponse(
                       ProblemOut, description="The body is not multipart/form-data")})
    def post(self, request, application_id: int):
        selectors.application_get(request.user, application_id)  # 404 before reading what is not yours
        attachment = services.attachment_add(application_id=application_id, user=request.user,
                                             kind=request.data.get("kind", ""), upload=request.FILES.get("file"))
        return Response(attachment_dict(attachment, request), status=201)


class AttachmentView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(operation_id="attachments_download", summary="The stored file",
                   responses={**{(200, media): OpenApiResponse(OpenApiTypes.BINARY, description="the file as uploaded")
                                 for _signature, media, _suffix in services.SIGNATURES},
                              **PROBLEMS})
    def get(self, request, application_id: int, attachment_id: int):
        return attachment_response(selectors.attachment_get(request.user, application_id, attachment_id))


def attachment_response(attachment: Attachment) -> FileResponse:
    """The stored bytes, under the uploaded name, never rendered inline by type sniffing."""
    response = FileResponse(open_stored(attachment.file), as_attachment=True,
                            filename=services.download_name(attachment), content_type=attachment.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    return response
