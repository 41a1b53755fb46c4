"""Profile and consent API (DESIGN §13)."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from kernel.errors import Invalid
from kernel.http import read_json
from kernel.problems import PROBLEMS
from matching import selectors, services
from matching.schemas import ConsentIn, ConsentOut, ProfileIn, ProfileOut


class ProfileView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(operation_id="profile_get", summary="Your enterprise's profile, consent and latest screening",
                   description="Until it is first saved, the profile is prefilled from the latest submitted "
                               "application (`saved: false`).",
                   responses={200: ProfileOut, **PROBLEMS})
    def get(self, request):
        enterprise = services.enterprise_of(request.user)
        return Response(selectors.profile_dict(enterprise, request.LANGUAGE_CODE))

    @extend_schema(operation_id="profile_patch", summary="Change the profile",
                   description="JSON merge patch (RFC 7396): objects merge, null removes, `projects` is replaced "
                               "whole. Each project is validated with the enterprise facts and circumstances "
                               "exactly as an application's facts; errors name `projects.N.field`.",
                   request=ProfileIn, responses={200: ProfileOut, **PROBLEMS})
    def patch(self, request):
        profile = services.profile_update(user=request.user, patch=read_json(request))
        return Response(selectors.profile_dict(profile.enterprise, request.LANGUAGE_CODE))


class ConsentView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(operation_id="profile_consent", summary="Consent to proactive screening and messages (意愿确认)",
                   request=ConsentIn, responses={201: ConsentOut, 200: ConsentOut, **PROBLEMS},
                   examples=[OpenApiExample("consent", request_only=True, value={"screening": True})])
    def post(self, request):
        body = read_json(request)
        if not isinstance(body, dict):
            raise Invalid([{"field": "body", "code": "not_an_object"}], "invalid body")
        errors = [{"field": str(k), "code": "unknown_field"} for k in body if k != "screening"]
        if body.get("screening") is not True:
            errors.append({"field": "screening", "code": "required" if "screening" not in body else "invalid_choice"})
        if errors:
            raise Invalid(errors, "invalid consent")
        enterprise = services.enterprise_of(request.user)
        had = services.consent_in_force(enterprise) is not None
        services.consent_give(user=request.user)
        return Response(selectors.consent_dict(enterprise, request.LANGUAGE_CODE), status=200 if had else 201)

    @extend_schema(operation_id="profile_consent_withdraw", summary="Withdraw the consent: screening stops at once",
                   responses={200: ConsentOut, **PROBLEMS})
    def delete(self, request):
        consent = services.consent_withdraw(user=request.user)
        return Response(selectors.consent_dict(consent.enterprise, request.LANGUAGE_CODE))
