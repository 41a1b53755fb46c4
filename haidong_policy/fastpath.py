"""The public eligibility API on a short path (issue 15): `POST /api/v1/eligibility` from a client
without a token or a session is answered by the same code as the DRF view (facts, rules, throttle,
problem+json) through only the middleware an anonymous API answer needs: the request id and its log
line, the security headers, the body limit, the language. Sessions, CSRF, authentication, messages,
the login lockout and DRF's request machinery are skipped: an anonymous client uses none of them.

The plain case, an answer of 200 to a host allowed with a body within the limit, is written without
even those middleware objects (`LeanAnswer`): the same steps, headers and log line, read from the
WSGI environ and written as one header list (the middleware chain cost as much as the rules). Any
other outcome (bad facts, throttled, a host or a body refused, an SSL redirect, a failure) is left to
the middleware chain, which then answers with the throttle already counted, the body already read and
the same request id.

Everything else (a query string, an Accept without JSON's media type, any request carrying an
Authorization header or a session cookie) goes to Django's full stack unchanged. The answers are the
same bytes either way (tests/api/test_eligibility_fastpath.py compares them over the rule-case table),
and both paths count against one throttle. Mounted in haidong_policy.wsgi, so gunicorn (production,
make serve) serves it."""

from __future__ import annotations

import io
import logging
import time

import orjson
from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.utils import build_policy
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import DisallowedHost
from django.core.handlers.exception import convert_exception_to_response, response_for_exception
from django.core.handlers.wsgi import WSGIRequest, get_script_name
from django.http import HttpRequest, HttpResponse
from django.middleware.security import SecurityMiddleware
from django.urls import set_script_prefix
from django.utils import timezone, translation
from django.utils.cache import patch_vary_headers
from django.utils.module_loading import import_string
from rest_framework import exceptions

from eligibility.api import EligibilityAnonThrottle, eligibility_answer, outcome
from haidong_policy import logs
from haidong_policy.middleware import PERMISSIONS_POLICY, REQUEST_ID, api_language, log_request, request_id_from
from kernel.clients import client_address
from kernel.errors import DomainError
from kernel.http import json_body
from kernel.limits import body_limit
from kernel.problems import exception_handler
from measures.facts import FactsError, parse_facts
from measures.version import RULES_VERSION

logger = logging.getLogger("haidong_policy.fastpath")
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


# Set by `LeanAnswer` when it leaves a request to the middleware chain after counting it: None when
# the throttle let it through, else the seconds to wait. WSGI servers put client headers under
# HTTP_*, so no client can set it.
THROTTLE_DECIDED = "haidong.eligibility.throttle"


def anonymous_eligibility(request):
    """The DRF view's answer for an anonymous client (eligibility.api.EligibilityView)."""
    request.user = AnonymousUser()
    context = {"request": request}
    finished = True
    try:
        if THROTTLE_DECIDED in request.META:
            if request.META[THROTTLE_DECIDED] is not None:
                raise exceptions.Throttled(request.META[THROTTLE_DECIDED])
        else:
            throttle = EligibilityAnonThrottle()
            if not throttle.allow_request(request, None):
                raise exceptions.Throttled(throttle.wait())
        response = eligibility_answer(request)
    except (DomainError, exceptions.APIException) as exc:
        response = exception_handler(exc, context)
    except Exception as exc:
        # Django's 500 (logged, with got_request_exception) with the full stack's Vary and length, and
        # no Allow: DRF adds it only to an answer its view finished.
        response = response_for_exception(request, exc)
        finished = False
    if finished:
        response["Allow"] = "POST, OPTIONS"  # as DRF's view says
    patch_vary_headers(response, ("Cookie",))  # a signed-in client is answered differently (第4条's one-time rule)
    response.headers["Content-Length"] = str(len(response.content))  # as CommonMiddleware does
    return response


JSON_RANGES = frozenset({"application/json", "*/*", "application/*"})


def takes_json(accept: str) -> bool:
    """Whether the client accepts JSON for sure (no Accept, or one of its media ranges is exactly JSON's);
    any other Accept is left to DRF's negotiation (406)."""
    return not accept.strip() or not JSON_RANGES.isdisjoint(
        part.split(";", 1)[0].strip() for part in accept.split(","))


class EnvironRequest(HttpRequest):
    """What the lean path reads of a request (scheme, host, client address, user), straight from the
    WSGI environ by Django's own methods, without building a WSGIRequest."""

    def __init__(self, environ):
        self.META = self.environ = environ
        self.path = self.path_info = environ["PATH_INFO"]
        self.method = "POST"
        self.user = ANONYMOUS

    def _get_scheme(self):
        return self.environ.get("wsgi.url_scheme")


ANONYMOUS = AnonymousUser()


class LeanAnswer:
    """The 200 answer of the short path without its middleware objects: what RequestLogMiddleware,
    SecurityHeadersMiddleware, BodyLimitMiddleware, SecurityMiddleware, the CSP header,
    LanguageMiddleware, the host check and XFrameOptionsMiddleware do to an anonymous eligibility
    answer, in that order, as one list of headers. `None` for anything else (the chain answers)."""

    def __init__(self, csp_headers: list[tuple[str, str]]):
        self.security = SecurityMiddleware(lambda request: None)  # its settings, read once as the chain's
        self.csp_headers = csp_headers
        # The headers SecurityMiddleware adds to an answer that sets none of them, for a request over
        # HTTP and over HTTPS: made once, by the middleware itself.
        self.security_headers = {secure: self._security_headers(secure) for secure in (False, True)}

    def _security_headers(self, secure: bool) -> list[tuple[str, str]]:
        class Request:
            def is_secure(self):
                return secure

        before = HttpResponse()
        mine = set(before.headers)
        return [(k, v) for k, v in self.security.process_response(Request(), before).items() if k not in mine]

    def __call__(self, environ):
        """(status, headers, body) of a 200 answer, or None. A request left to the chain has its body
        put back and its throttle decision noted (THROTTLE_DECIDED), so it is read and counted once."""
        start = time.perf_counter()
        if environ.get("SCRIPT_NAME") or settings.FORCE_SCRIPT_NAME:
            return None
        request = EnvironRequest(environ)
        secure = request.is_secure()
        if self.security.redirect and not secure:
            return None
        try:
            declared = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0
        if declared > body_limit(request.path):
            return None
        try:
            request.get_host()
        except DisallowedHost:
            return None
        rid = environ[REQUEST_ID] = request_id_from(environ.get("HTTP_X_REQUEST_ID", ""))  # the chain's too
        lang = api_language(environ.get("HTTP_ACCEPT_LANGUAGE", ""))
        translation.activate(lang)
        token = logs.request_id.set(rid)
        try:
            return self.answer(environ, request, declared, secure, rid, lang, start)
        except Exception:
            # The chain meets it again and answers as the full stack does (a 500 as problem+json, logged).
            logger.warning("eligibility short path failed; the middleware chain answers", exc_info=True)
            return None
        finally:
            logs.request_id.reset(token)

    def answer(self, environ, request, declared, secure, rid, lang, start):
        throttle = EligibilityAnonThrottle()
        if not throttle.allow_request(request, None):
            environ[THROTTLE_DECIDED] = throttle.wait()
            return None
        environ[THROTTLE_DECIDED] = None
        raw = environ["wsgi.input"].read(declared) if declared > 0 else b""
        environ["wsgi.input"] = io.BytesIO(raw)  # for the chain, should it answer instead
        try:
            facts = parse_facts(json_body(raw))
        except (DomainError, FactsError):
            return None  # the chain reads the body again and says what is wrong
        body = orjson.dumps(outcome(facts, facts.as_of or timezone.localdate(), None, lang))
        headers = [
            ("Content-Type", "application/json"), ("X-Rules-Version", RULES_VERSION),
            ("Allow", "POST, OPTIONS"), ("Vary", "Cookie"), ("Content-Length", str(len(body))),
            ("X-Frame-Options", settings.X_FRAME_OPTIONS.upper()), ("Content-Language", lang),
            *self.csp_headers, *self.security_headers[secure],
            ("Permissions-Policy", PERMISSIONS_POLICY), ("Cache-Control", "private, no-store"),
            ("X-Request-ID", rid),
        ]
        log_request({"method": "POST", "path": request.path, "status": 200,
                     "ms": round((time.perf_counter() - start) * 1000, 1), "user": None,
                     "client": client_address(request)})
        return "200 OK", headers, body


class EligibilityFastPath:
    """WSGI: the short path for anonymous eligibility requests, Django's application for the rest."""

    def __init__(self, django_application):
        self.django = django_application
        handler = convert_exception_to_response(anonymous_eligibility)
        for path in reversed(MIDDLEWARE):
            handler = convert_exception_to_response(import_string(path)(handler))
        self.handler = handler
        self.lean = LeanAnswer(ContentSecurityPolicyMiddleware(None).headers)

    def takes(self, environ) -> bool:
        return (environ.get("REQUEST_METHOD") == "POST" and environ.get("PATH_INFO") in PATHS
                and not environ.get("QUERY_STRING")  # ?format=… is DRF's to read
                and "HTTP_AUTHORIZATION" not in environ
                and settings.SESSION_COOKIE_NAME not in environ.get("HTTP_COOKIE", "")
                and takes_json(environ.get("HTTP_ACCEPT", "")))

    def __call__(self, environ, start_response):
        if not self.takes(environ):
            return self.django(environ, start_response)
        set_script_prefix(get_script_name(environ))
        answer = self.lean(environ)
        if answer is not None:
            status, headers, body = answer
            start_response(status, headers)
            return [body]
        response = self.handler(WSGIRequest(environ))
        headers = [*response.items(), *(("Set-Cookie", c.OutputString()) for c in response.cookies.values())]
        start_response(f"{response.status_code} {response.reason_phrase}", headers)
        return response
