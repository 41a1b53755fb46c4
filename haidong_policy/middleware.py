"""Language choice. Pages are Chinese unless the visitor picked English (the language cookie set
by the switch); the API follows `Accept-Language` (zh-hans|en, default zh-hans) as DESIGN §4 says."""

from __future__ import annotations

import logging
import re
import time
import uuid

from django.conf import settings
from django.utils import translation
from django.utils.translation.trans_real import parse_accept_lang_header

from haidong_policy import logs
from kernel.clients import client_address
from measures.messages import DEFAULT_LANGUAGE, language

logger = logging.getLogger("haidong_policy.requests")
REQUEST_ID_RE = re.compile(r"[A-Za-z0-9._-]{8,64}")
# The id the eligibility short path gave a request before leaving it to the middleware (fastpath.py),
# so that its log lines and the answer carry one id. Not a header: no client can set it.
REQUEST_ID = "haidong.request_id"


def api_language(header: str) -> str:
    """The first of zh / en in the client's order of preference; zh-hans when neither is asked."""
    for tag, q in parse_accept_lang_header(header or ""):
        if q > 0 and tag.startswith(("zh", "en")):
            return language(tag)
    return DEFAULT_LANGUAGE


class LanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith("/api/"):
            lang = api_language(request.headers.get("Accept-Language", ""))
        else:
            lang = language(request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME))
        translation.activate(lang)
        request.LANGUAGE_CODE = lang
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", lang)
        return response


def request_id_from(incoming: str) -> str:
    """The client's X-Request-ID when it is sane, else a new one."""
    return incoming if REQUEST_ID_RE.fullmatch(incoming) else uuid.uuid4().hex


def log_request(fields: dict) -> None:
    """The one log line of a request. The record is made directly: `logger.info` would also look up
    the calling frame (file, line), which no log line shows and which cost a fifth of an eligibility
    answer's time behind the middleware (issue 15)."""
    if logger.isEnabledFor(logging.INFO):
        logger.handle(logger.makeRecord(logger.name, logging.INFO, "", 0, "request", None, None,
                                        extra={"fields": fields}))


class RequestLogMiddleware:
    """A request id for every request (the client's X-Request-ID when it is sane, else a new one),
    sent back in the response and written on one structured log line with status and duration."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        rid = request.META.get(REQUEST_ID) or request_id_from(request.META.get("HTTP_X_REQUEST_ID", ""))
        token = logs.request_id.set(rid)
        start = time.perf_counter()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = rid
            user = getattr(request, "user", None)
            log_request({
                "method": request.method, "path": request.path, "status": response.status_code,
                "ms": round((time.perf_counter() - start) * 1000, 1),
                "user": user.pk if user is not None and user.is_authenticated else None,
                "client": client_address(request)})
            return response
        finally:
            logs.request_id.reset(token)


PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=()"


class SecurityHeadersMiddleware:
    """Permissions-Policy on every answer; `Cache-Control: no-store` on every API answer and on
    everything a signed-in user is shown (pages, downloads, CSV exports): no shared or browser cache
    keeps an applicant's data."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        if signed_in or request.path.startswith("/api/"):
            response["Cache-Control"] = "private, no-store"
        return response
