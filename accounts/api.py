"""POST /api/v1/auth/token: a token for the API from a username and password."""

from __future__ import annotations

from django.contrib.auth import authenticate
from django.contrib.auth.signals import user_logged_in
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import exceptions, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import tokens
from accounts.services import revoke_token
from accounts.tokens import ExpiringTokenAuthentication
from kernel.errors import Invalid
from kernel.http import read_json
from kernel.problems import PROBLEM_JSON
from kernel.schemas import ProblemOut


class TokenView(APIView):
    authentication_classes = []  # the credentials are in the body (POST) or the header (DELETE, read there)
    permission_classes = []

    def get_authenticate_header(self, request):
        return "Token"  # a missing or bad token on DELETE is 401, not 403

    @extend_schema(operation_id="auth_token", summary="Exchange a username and password for an API token",
                   description="Use it as `Authorization: Token <token>`. Repeated failures lock out the username "
                               "and the client address for a while (429).",
                   request=inline_serializer("TokenIn", {"username": serializers.CharField(),
                                                         "password": serializers.CharField()}),
                   responses={200: inline_serializer("TokenOut", {
                       "token": serializers.CharField(),
                       "expires_at": serializers.DateTimeField(help_text="After this the token is refused (401): "
                                                                         "ask for a new one")}),
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
        token = tokens.token_for(user)
        return Response({"token": token.key, "expires_at": tokens.expires_at(token).isoformat()})

    @extend_schema(operation_id="auth_token_revoke", summary="Revoke your API token (sign out)",
                   request=None, responses={204: None, (401, PROBLEM_JSON): OpenApiResponse(ProblemOut)})
    def delete(self, request):
        return _revoke(request)


def _revoke(request) -> Response:
    user, _auth = ExpiringTokenAuthentication().authenticate(request) or (None, None)
    if user is None:
        raise exceptions.NotAuthenticated()
    revoke_token(user=user, actor=user)
    return Response(status=204)


class LogoutView(APIView):
    """POST /api/v1/auth/logout: the same as DELETE /api/v1/auth/token."""

    authentication_classes = []
    permission_classes = []

    def get_authenticate_header(self, request):
        return "Token"

    @extend_schema(operation_id="auth_logout", summary="Sign out: revoke your API token",
                   request=None, responses={204: None, (401, PROBLEM_JSON): OpenApiResponse(ProblemOut)})
    def post(self, request):
        return _revoke(request)
