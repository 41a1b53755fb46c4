"""Public notices API (DESIGN §11): the list, and objections from anyone while a notice is open."""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from applications.models import Notice
from eligibility.presentation import capitals
from kernel.errors import Invalid
from kernel.http import read_json
from kernel.problems import PROBLEMS
from measures.serialize import money
from notices import selectors, services
from notices.schemas import NoticePageOut, ObjectionIn, ObjectionOut
from notices.throttling import ObjectionThrottle
from review.api import query_parameters


def notice_dict(notice: Notice, today) -> dict:
    """What the public sees of a notice: no credit code, no contact (DESIGN §11)."""
    return {"id": notice.pk, "enterprise_name": notice.enterprise_name, "project_name": notice.project_name,
            "amount_cny": money(notice.amount_cny), "amount_capitals": capitals(notice.amount_cny),
            "payer": notice.payer, "payer_name": notice.payer_name, "starts_on": notice.starts_on.isoformat(),
            "ends_on": notice.ends_on.isoformat(), "status": str(notice.status_on(today))}


class NoticeListView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(operation_id="notices_list", summary="Public notices (公示) of proposed grants",
                   description="Open notices first, then closed, then withdrawn; newest first within each.",
                   parameters=query_parameters(selectors.NoticeFilters),
                   responses={200: NoticePageOut, **PROBLEMS},
                   examples=[OpenApiExample("notices", response_only=True, value={
                       "count": 1, "next": None, "previous": None, "results": [{
                           "id": 7, "enterprise_name": "青海示例算力科技有限公司",
                           "project_name": "乐都绿色算力中心一期",
                           "amount_cny": "1000000.00", "amount_capitals": "人民币壹佰万元整", "payer": "park",
                           "payer_name": "海东工业园区管理委员会", "starts_on": "2025-10-09", "ends_on": "2025-10-14",
                           "status": "open"}]})])
    def get(self, request):
        filters = selectors.notice_filters(request.query_params)
        today = timezone.localdate()
        paginator = PageNumberPagination()
        page = paginator.paginate_queryset(selectors.notice_list(filters, today), request, self)
        return paginator.get_paginated_response([notice_dict(n, today) for n in page])


class ObjectionCreateView(APIView):
    permission_classes = [AllowAny]
    throttle_classes = [ObjectionThrottle]

    @extend_schema(operation_id="notices_object", summary="Object to an open notice (anyone; 10 an hour)",
                   request=ObjectionIn, responses={201: ObjectionOut, **PROBLEMS},
                   examples=[OpenApiExample("objection", request_only=True, value={
                       "name": "张三", "contact": "zhangsan@example.com", "text": "该项目设备投资额与实际不符。"}),
                             OpenApiExample("received", response_only=True, status_codes=["201"],
                                            value={"id": 3, "reference": "YY2025-7K3Q9M", "status": "open"})])
    def post(self, request, notice_id: int):
        body = read_json(request)
        if not isinstance(body, dict):
            raise Invalid([{"field": "body", "code": "not_an_object"}], "invalid body")
        texts = {}
        for name in ("name", "contact", "text"):
            value = body.get(name, "")
            texts[name] = value if isinstance(value, str) else None
        bad = [{"field": f"objection.{k}", "code": "invalid_type"} for k, v in texts.items() if v is None]
        unknown = [{"field": str(k), "code": "unknown_field"} for k in body if k not in texts]
        if bad or unknown:
            raise Invalid(bad + unknown, "invalid objection")
        objection = services.objection_submit(notice_id=notice_id, **texts)
        return Response({"id": objection.pk, "reference": objection.reference, "status": objection.status},
                        status=201)
