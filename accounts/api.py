"""POST /api/v1/auth/token: a token for the API from a username and password."""

from __future__ import annotations

from django.contrib.auth import authenticate
from django.contrib.auth.signals import user_logged_in
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.authtoken.models import Token
from rest_framework.response import Response
from rest_framework.views import APIView

from kernel.errors import Invalid
from kernel.http import read_json
from kernel.problems import PROBLEM_JSON
from kernel.schemas import ProblemOut


class TokenView(APIView):
    authentication_classes = []  # the credentials are in the body
    permission_classes = []

    @extend_schema(operation_id="auth_token", summary="Exchange a username and password for an API token",
                   description="Use it as `Authorization: Token <token>`. Repeated failures lock out the username "
                               "and the client address for a while (429).",
                   request=inline_serializer("TokenIn", {"username": serializers.CharField(),
                                                         "password": serializers.CharField()}),
                   responses={200: inline_serializer("TokenOut", {"token": serializers.CharField()}),
                              (400, PROBLEM_JSON): OpenApiResponse(ProblemOut),
                              (429, PROBLEM_JSON): OpenApiResponse(ProblemOut)})
    def post(self, request):
        body = read_json(request)
        if not isinstance(body, dict):
            raise Invalid([{"field": "body", "code": "not_an_object"}], "invalid body")
        errors = [{"field": f, "code": "required"} for f in ("username", "password")
                  if not isinstance(body.get(f), str) or not body.get(f)]
        if errors:
            raise Invalid(errors, "missing credentials")
        user = authenticate(request._request, username=body["username"], password=body["password"])
        if user is None:
            raise Invalid(detail=_("Wrong username or password."))
        # A login like the pages' one: updates last_login and clears the username's failures.
        user_logged_in.send(sender=user.__class__, request=request._request, user=user)
        token, _created = Token.objects.get_or_create(user=user)
        return Response({"token": token.key})
