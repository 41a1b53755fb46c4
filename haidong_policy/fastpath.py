"""The public eligibility API on a short path (issue 15): `POST /api/v1/eligibility` from a client
without a token or a session is answered by the same code as the DRF view (facts, rules, throttle,
problem+json) through only the middleware an anonymous API answer needs: the request id and its log
line, the security headers, the body limit, the language. Sessions, CSRF, authentication, messages,
the login lockout and DRF's request machinery are skipped: an anonymous client uses none of them.

Everything else, and any request carrying an Authorization header or a session cookie, goes to
Django's full stack unchanged. The answers are the same bytes either way (tests/api/
test_eligibility_fastpath.py compares them over the rule-case table), and both paths count against
one throttle. Mounted in haidong_policy.wsgi, so gunicorn (production, make serve) serves it."""

from __future__ import annotations

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.utils import build_policy
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.handlers.exception import convert_exception_to_response
from django.core.handlers.wsgi import WSGIRequest, get_script_name
from django.urls import set_script_prefix
from django.utils.cache import patch_vary_headers
from django.utils.module_loading import import_string
from rest_framework import exceptions

from eligibility.api import EligibilityAnonThrottle, eligibility_answer
from kernel.errors import DomainError
from kernel.problems import exception_handler

PATHS = frozenset({"/api/v1/eligibility", "/api/v1/eligibility/"})
# The part of settings.MIDDLEWARE an anonymous API answer goes through, in the same order.
MIDDLEWARE = (
    "haidong_policy.middleware.RequestLogMiddleware",
    "haidong_policy.middleware.SecurityHeadersMiddleware",
    "kernel.limits.BodyLimitMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "haidong_policy.fastpath.ContentSecurityPolicyMiddleware",  # csp.middleware.CSPMiddleware's header
    "haidong_policy.middleware.LanguageMiddleware",
    "haidong_policy.fastpath.AllowedHostMiddleware",  # where CommonMiddleware checks it on the full stack
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
)


class AllowedHostMiddleware:
    """ALLOWED_HOSTS: a request for another host is refused (DisallowedHost: 400), as CommonMiddleware
    does on the full stack by reading the host."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.get_host()
        return self.get_response(request)


class ContentSecurityPolicyMiddleware:
    """The header csp.middleware.CSPMiddleware writes on an answer that sets no policy of its own and
    asks for no nonce, as every JSON answer here: the same text, built once instead of twice a request.
    Like CSPMiddleware, no header on a 404 or 500 in DEBUG (Django's debug pages)."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.headers = [(name, text) for name, text in ((HEADER, build_policy()),
                                                        (HEADER_REPORT_ONLY, build_policy(report_only=True))) if text]

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code in (404, 500) and settings.DEBUG:
            return response
        for name, text in self.headers:
            if name not in response:
                response[name] = text
        return response


def anonymous_eligibility(request):
    """The DRF view's answer for an anonymous client (eligibility.api.EligibilityView)."""
    request.user = AnonymousUser()
    context = {"request": request}
    throttle = EligibilityAnonThrottle()
    try:
        if not throttle.allow_request(request, None):
            raise exceptions.Throttled(throttle.wait())
        response = eligibility_answer(request)
    except (DomainError, exceptions.APIException) as exc:
        response = exception_handler(exc, context)
    response["Allow"] = "POST, OPTIONS"  # as DRF's view says
    patch_vary_headers(response, ("Cookie",))  # a signed-in client is answered differently (第4条's one-time rule)
    response.headers["Content-Length"] = str(len(response.content))  # as CommonMiddleware does
    return response


def takes_json(accept: str) -> bool:
    """Whether the client accepts JSON for sure; any other Accept is left to DRF's negotiation (406)."""
    return not accept.strip() or any(kind in accept for kind in ("application/json", "*/*", "application/*"))


class EligibilityFastPath:
    """WSGI: the short path for anonymous eligibility requests, Django's application for the rest."""

    def __init__(self, django_application):
        self.django = django_application
        handler = convert_exception_to_response(anonymous_eligibility)
        for path in reversed(MIDDLEWARE):
            handler = convert_exception_to_response(import_string(path)(handler))
        self.handler = handler

    def takes(self, environ) -> bool:
        return (environ.get("REQUEST_METHOD") == "POST" and environ.get("PATH_INFO") in PATHS
                and "HTTP_AUTHORIZATION" not in environ
                and settings.SESSION_COOKIE_NAME not in environ.get("HTTP_COOKIE", "")
                and takes_json(environ.get("HTTP_ACCEPT", "")))

    def __call__(self, environ, start_response):
        if not self.takes(environ):
            return self.django(environ, start_response)
        set_script_prefix(get_script_name(environ))
        response = self.handler(WSGIRequest(environ))
        headers = [*response.items(), *(("Set-Cookie", c.OutputString()) for c in response.cookies.values())]
        start_response(f"{response.status_code} {response.reason_phrase}", headers)
        return response
