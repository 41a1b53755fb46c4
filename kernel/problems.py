"""One error shape for the API: application/problem+json (RFC 9457), rendered in one place.

`exception_handler` is the one mapping from domain errors (kernel.errors) to HTTP statuses."""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.utils import OpenApiResponse
from rest_framework import exceptions
from rest_framework.views import exception_handler as drf_exception_handler

from kernel.errors import DomainError, Invalid, NotAllowed, NotFound, Unavailable, WrongState
from kernel.schemas import ProblemOut
from measures import messages
from measures.facts import FactsError

PROBLEM_TYPE = "about:blank"
CONTENT_TYPE = PROBLEM_JSON = "application/problem+json"

TITLES = {
    400: ("请求内容有误", "Bad request"),
    401: ("未登录", "Authentication required"),
    403: ("无权执行此操作", "Forbidden"),
    404: ("未找到", "Not found"),
    405: ("不支持该请求方法", "Method not allowed"),
    406: ("无法提供所请求的格式", "Not acceptable"),
    409: ("当前状态不允许此操作", "Conflict"),
    413: ("请求内容过大", "Payload too large"),
    415: ("不支持的内容类型", "Unsupported media type"),
    429: ("请求过于频繁", "Too many requests"),
    500: ("服务器内部错误", "Internal server error"),
    503: ("服务暂时不可用", "Service unavailable"),
}


# The one table from domain errors to HTTP statuses (DESIGN §8).
STATUS_OF = {NotFound: 404, NotAllowed: 403, WrongState: 409, Invalid: 400, Unavailable: 503}


def status_of(exc: DomainError) -> int:
    return next(status for kind, status in STATUS_OF.items() if isinstance(exc, kind))


# For the OpenAPI documents: the problem answers an operation may give.
PROBLEMS = {(code, CONTENT_TYPE): OpenApiResponse(ProblemOut) for code in (400, 401, 403, 404, 409)}
# Anonymous use is allowed, but a token that is sent must be valid (a revoked one is not ignored).
BAD_TOKEN = OpenApiResponse(ProblemOut, description="An Authorization token was sent and is not valid")


def problem(status: int, detail: str, lang: str, errors: list[dict[str, str]] | None = None,
            headers: dict[str, str] | None = None, code: str = "") -> JsonResponse:
    zh, en = TITLES.get(status, TITLES[500] if status >= 500 else TITLES[400])
    body = {"type": PROBLEM_TYPE, "title": en if lang == "en" else zh, "status": status, "detail": detail}
    if code:
        body["code"] = code
    if errors is not None:
        body["errors"] = errors
    response = JsonResponse(body, status=status, content_type=CONTENT_TYPE,
                            json_dumps_params={"ensure_ascii": False})
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def field_errors_response(errors: list[dict[str, str]], lang: str) -> JsonResponse:
    """400 with one `{"field", "code", "message"}` per bad field (DESIGN §4)."""
    described = [{**e, "message": messages.field_error(e["field"], e["code"], lang)} for e in errors]
    detail = "; ".join(e["message"] for e in described) if lang == "en" else "；".join(e["message"] for e in described)
    return problem(400, detail, lang, described)


def _lang(request) -> str:
    return getattr(request, "LANGUAGE_CODE", messages.DEFAULT_LANGUAGE)


def exception_handler(exc, context):
    request = context.get("request")
    lang = _lang(request)
    if isinstance(exc, FactsError):
        return field_errors_response(exc.errors, lang)
    if isinstance(exc, Invalid) and exc.errors is not None:
        return field_errors_response(exc.errors, lang)
    if isinstance(exc, DomainError):
        return problem(status_of(exc), exc.detail, lang, code=getattr(exc, "code", ""))
    response = drf_exception_handler(exc, context)
    if response is None:
        return None  # a real bug: let Django's 500 handler answer (also problem+json under /api/)
    headers = {k: v for k, v in response.items() if k in ("Retry-After", "WWW-Authenticate", "Allow")}
    if isinstance(exc, exceptions.Throttled):
        detail = _("Too many requests: try again in %(wait)s seconds.") % {"wait": headers.get("Retry-After", "?")}
    elif isinstance(exc, exceptions.APIException):
        detail = str(exc.detail) if not isinstance(exc.detail, dict | list) else str(exc.default_detail)
    else:
        detail = str(exc)
    return problem(response.status_code, detail, lang, headers=headers)


@csrf_exempt  # answers every method with the 404, rather than a CSRF page for POSTs
def api_not_found(request: HttpRequest, exception=None):
    return problem(404, _("There is nothing at this address."), _lang(request))


def handler400(request: HttpRequest, exception=None):
    from django.views.defaults import bad_request

    if request.path.startswith("/api/"):
        return problem(400, _("The request could not be read."), _lang(request))
    return bad_request(request, exception)


def handler404(request: HttpRequest, exception=None):
    from django.views.defaults import page_not_found

    if request.path.startswith("/api/"):
        return api_not_found(request)
    return page_not_found(request, exception)


def handler500(request: HttpRequest):
    from django.views.defaults import server_error

    if request.path.startswith("/api/"):
        return problem(500, _("Internal server error; it has been logged."), _lang(request))
    return server_error(request)
