"""Messages API (DESIGN §13): an enterprise's messages, newest first, in the request's language."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from inbox import selectors, services
from inbox.schemas import MarkedOut, MessageOut, MessagePageOut
from kernel.problems import PROBLEMS


class MessageListView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(operation_id="messages_list", summary="Your enterprise's messages (消息中心), newest first",
                   parameters=[OpenApiParameter("page", int)], responses={200: MessagePageOut, **PROBLEMS})
    def get(self, request):
        paginator = PageNumberPagination()
        page = paginator.paginate_queryset(selectors.messages_for(request.user), request, self)
        return paginator.get_paginated_response([selectors.message_dict(m, request.LANGUAGE_CODE) for m in page])


class MessageReadView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(operation_id="messages_read", summary="Mark one message read", request=None,
                   responses={200: MessageOut, **PROBLEMS})
    def post(self, request, message_id: int):
        message = services.message_mark_read(user=request.user, message_id=message_id)
        return Response(selectors.message_dict(message, request.LANGUAGE_CODE))


class MessagesReadView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(operation_id="messages_read_all", summary="Mark every message read", request=None,
                   responses={200: MarkedOut, **PROBLEMS})
    def post(self, request):
        return Response({"marked": services.messages_mark_all_read(user=request.user)})
