"""Review API (DESIGN §8): the queue and the reviewer's actions. Thin views over services."""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from pydantic import BaseModel
from rest_framework import serializers
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from applications.models import Application
from applications.selectors import application_get
from applications.transitions import NOTE_MAX
from determinations.api import determination_dict
from filing.api import application_dict, application_summary
from filing.schemas import ApplicationOut
from kernel.http import optional_text, read_optional_json
from kernel.problems import PROBLEMS
from measures.facts import parse_money
from measures.serialize import money
from review import selectors, services
from review.schemas import DecisionOut, QueuePageOut

NoteIn = inline_serializer("NoteIn", {"note": serializers.CharField(max_length=NOTE_MAX)})


def query_parameters(model: type[BaseModel]) -> list[OpenApiParameter]:
    """The query parameters a pydantic filters model validates, documented as it checks them."""
    parameters = []
    for name, prop in model.model_json_schema()["properties"].items():
        variants = [v for v in prop.get("anyOf", [prop]) if v.get("type") != "null"]
        schema = {k: v for k, v in variants[0].items() if k not in ("title", "default")}
        parameters.append(OpenApiParameter(name, schema))
    return parameters


def queue_row(app: Application, today) -> dict:
    days, overdue = selectors.waiting(app, today)
    return {
        **application_summary(app),
        "declared_investment_cny": money(app.declared_investment_cny),
        "estimated_amount_cny": money(app.estimated_amount_cny), "tier": app.tier, "county": app.county or None,
        "working_days_waiting": days, "overdue": overdue,
        "claimed_by": app.claimed_by.username if app.claimed_by else None,
        "resubmitted": bool(getattr(app, "resubmitted", False)),
    }


class ReviewQueueView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(operation_id="review_queue", summary="Your jurisdiction's submitted and in-review applications",
                   description="Oldest first. City admins see every jurisdiction (or one, with `jurisdiction`).",
                   parameters=query_parameters(selectors.QueueFilters),
                   responses={200: QueuePageOut, **PROBLEMS})
    def get(self, request):
        filters = selectors.queue_filters(request.query_params)
        today = timezone.localdate()
        paginator = PageNumberPagination()
        page = paginator.paginate_queryset(selectors.review_queue_for(request.user, filters, today), request, self)
        return paginator.get_paginated_response([queue_row(a, today) for a in page])


def _detail(request, application_id: int) -> Response:
    return Response(application_dict(application_get(request.user, application_id), request))


class ClaimView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(operation_id="review_claim", request=None, responses={200: ApplicationOut, **PROBLEMS})
    def post(self, request, application_id: int):
        services.application_claim(application_id=application_id, reviewer=request.user)
        return _detail(request, application_id)


class ReleaseView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(operation_id="review_release", request=None, responses={200: ApplicationOut, **PROBLEMS})
    def post(self, request, application_id: int):
        services.application_release(application_id=application_id, reviewer=request.user)
        return _detail(request, application_id)


class ReturnView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(operation_id="review_return", summary="Return for correction (note required)",
                   request=NoteIn, responses={200: ApplicationOut, **PROBLEMS})
    def post(self, request, application_id: int):
        note = optional_text(read_optional_json(request, ("note",)), "note", required=True)
        services.application_return(application_id=application_id, reviewer=request.user, note=note)
        return _detail(request, application_id)


class RejectView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(operation_id="review_reject", summary="Reject (note required); issues the determination",
                   request=NoteIn, responses={200: DecisionOut, **PROBLEMS})
    def post(self, request, application_id: int):
        note = optional_text(read_optional_json(request, ("note",)), "note", required=True)
        evaluation = services.application_reject(application_id=application_id, reviewer=request.user, note=note)
        return Response({"status": "rejected", "determination": determination_dict(evaluation.determination,
                                                                                   request)})


class ApproveView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(operation_id="review_approve",
                   summary="Approve; issues the determination",
                   description="`recognized_investment_cny` (optional, a decimal string or integer, at most the "
                               "declared investment) replaces the declared figure for 第4条.",
                   request=inline_serializer("ApproveIn", {
                       "note": serializers.CharField(required=False, max_length=NOTE_MAX),
                       "recognized_investment_cny": serializers.CharField(required=False)}),
                   responses={200: DecisionOut, **PROBLEMS})
    def post(self, request, application_id: int):
        body = read_optional_json(request, ("note", "recognized_investment_cny"))
        recognized = body.get("recognized_investment_cny")
        if recognized is not None:
            recognized = parse_money(recognized, "recognized_investment_cny")
        evaluation = services.application_approve(application_id=application_id, reviewer=request.user,
                                                  note=optional_text(body, "note"), recognized_investment=recognized)
        return Response({"status": "approved", "determination": determination_dict(evaluation.determination,
                                                                                   request)})
