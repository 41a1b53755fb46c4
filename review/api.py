"""Review API (DESIGN §8): the queue and the reviewer's actions. Thin views over services."""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema, inline_serializer
from pydantic import BaseModel
from rest_framework import serializers
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
from kernel.pagination import CappedPagination
from kernel.problems import PROBLEMS
from measures.facts import parse_money
from measures.serialize import money
from review import selectors, services
from review.schemas import DecisionOut, ObjectionResolvedOut, ProposalOut, QueuePageOut

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
        **notice_columns(app, today),
    }


def notice_columns(app: Application, today) -> dict:
    """公示 in the queue: the last day of the current notice, unresolved objections, and whether the
    period is over with none unresolved (公示期满，待签发)."""
    ends_on = getattr(app, "notice_ends_on", None) if app.state == "in_notice" else None
    objections = getattr(app, "open_objections", 0) or 0
    return {"notice_ends_on": ends_on.isoformat() if ends_on else None, "open_objections": objections,
            "ready_to_issue": bool(ends_on) and today > ends_on and not objections}


class ReviewQueueView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(operation_id="review_queue", summary="Your jurisdiction's submitted and in-review applications",
                   description="Oldest first. City admins see every jurisdiction (or one, with `jurisdiction`). "
                               "`count` is exact up to 1,000 (or up to the page asked for); beyond, it is a lower "
                               "bound and the header `X-Count-Exact` is `false`.",
                   parameters=query_parameters(selectors.QueueFilters),
                   responses={200: QueuePageOut, **PROBLEMS})
    def get(self, request):
        filters = selectors.queue_filters(request.query_params)
        today = timezone.localdate()
        paginator = CappedPagination()
        page = paginator.paginate_queryset(selectors.review_queue_for(request.user, filters, today), request, self,
                                           fetch=selectors.queue_rows)
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


def notice_out(notice) -> dict:
    return {"id": notice.pk, "starts_on": notice.starts_on.isoformat(), "ends_on": notice.ends_on.isoformat(),
            "amount_cny": money(notice.amount_cny), "over_budget": bool(getattr(notice, "over_budget", False))}


class ProposeView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(operation_id="review_propose", summary="Propose the grant for public notice (公示)",
                   description="Re-evaluates with `recognized_investment_cny` (optional, at most the declared "
                               "investment); when 第4条 is eligible, opens a notice of PUBLIC_NOTICE_WORKING_DAYS "
                               "full working days from the next working day. `over_budget` warns that the amount "
                               "is beyond the payer's remaining budget (never a refusal). 409 `nothing_to_notice` "
                               "when 第4条 grants nothing, `notices_disabled` when notices are off.",
                   request=inline_serializer("ProposeIn", {
                       "note": serializers.CharField(required=False, max_length=NOTE_MAX),
                       "recognized_investment_cny": serializers.CharField(required=False)}),
                   responses={200: ProposalOut, **PROBLEMS},
                   examples=[OpenApiExample("propose", request_only=True,
                                            value={"note": "经核查，设备投资额属实",
                                                   "recognized_investment_cny": "450000000.00"}),
                             OpenApiExample("proposed", response_only=True, value={
                                 "status": "in_notice", "notice": {"id": 7, "starts_on": "2025-10-09",
                                                                   "ends_on": "2025-10-14", "amount_cny": "1000000.00",
                                                                   "over_budget": False}})])
    def post(self, request, application_id: int):
        body = read_optional_json(request, ("note", "recognized_investment_cny"))
        recognized = body.get("recognized_investment_cny")
        if recognized is not None:
            recognized = parse_money(recognized, "recognized_investment_cny")
        notice = services.application_propose(application_id=application_id, reviewer=request.user,
                                              note=optional_text(body, "note"), recognized_investment=recognized)
        return Response({"status": "in_notice", "notice": notice_out(notice)})


class WithdrawProposalView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(operation_id="review_withdraw_proposal",
                   summary="Withdraw a proposal (note required): the notice is withdrawn, back to in_review",
                   request=NoteIn, responses={200: ApplicationOut, **PROBLEMS},
                   examples=[OpenApiExample("withdraw", request_only=True, value={"note": "需补充投资审计报告"})])
    def post(self, request, application_id: int):
        note = optional_text(read_optional_json(request, ("note",)), "note", required=True)
        services.application_withdraw_proposal(application_id=application_id, reviewer=request.user, note=note)
        return _detail(request, application_id)


class ObjectionResolveView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(operation_id="review_resolve_objection",
                   summary="Resolve an objection (note required); upheld withdraws the notice",
                   request=inline_serializer("ResolveIn", {
                       "outcome": serializers.ChoiceField(choices=["upheld", "dismissed"]),
                       "note": serializers.CharField(max_length=NOTE_MAX)}),
                   responses={200: ObjectionResolvedOut, **PROBLEMS},
                   examples=[OpenApiExample("dismiss", request_only=True,
                                            value={"outcome": "dismissed",
                                                   "note": "经核查，投资额有审计报告支撑，异议不成立"})])
    def post(self, request, objection_id: int):
        body = read_optional_json(request, ("outcome", "note"))
        outcome = optional_text(body, "outcome", required=True)
        objection = services.objection_resolve(objection_id=objection_id, reviewer=request.user, outcome=outcome,
                                               note=optional_text(body, "note"))
        application = objection.notice.application
        application.refresh_from_db()
        return Response({"id": objection.pk, "reference": objection.reference, "status": objection.status,
                         "application": {"id": application.pk, "status": application.state}})
