"""Reading request bodies and writing JSON answers, for every API view."""

from __future__ import annotations

import json
import re

import orjson
from django.core.exceptions import RequestDataTooBig
from django.http import HttpResponse, RawPostDataException

from kernel.errors import Invalid
from measures.version import RULES_VERSION

MAX_DEPTH = 16  # the facts are 3 levels deep; nothing we take needs more


def json_response(data: object, status: int = 200) -> HttpResponse:
    body = orjson.dumps(data)
    response = HttpResponse(body, status=status, content_type="application/json")
    response["X-Rules-Version"] = RULES_VERSION
    return response


def read_json(request) -> object:
    """The request body as JSON, or `Invalid` naming `body`. Any content type is read as JSON. Takes
    DRF's request or Django's."""
    try:
        raw = getattr(request, "_request", request).body
    except RequestDataTooBig:
        raise Invalid([{"field": "body", "code": "too_large"}], "body too large") from None
    except RawPostDataException:  # a multipart form was already parsed: not JSON
        raise Invalid([{"field": "body", "code": "invalid_json"}], "invalid JSON") from None
    return json_body(raw)


def json_body(raw: bytes) -> object:
    """The bytes of a request body as JSON, or `Invalid` naming `body` or the bad field."""
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError):  # bad JSON, bad UTF-8, or absurd nesting
        raise Invalid([{"field": "body", "code": "invalid_json"}], "invalid JSON") from None
    problem = None if _plainly_fit(raw) else _unfit(data)
    if problem:
        field, code = problem
        raise Invalid([{"field": field, "code": code}], "invalid JSON")
    return data


BAD_TEXT = re.compile("[\x00\ud800-\udfff]")


def _bad_text(value: str) -> bool:
    """NUL (PostgreSQL cannot store it) or a lone surrogate (no encoding can write it: "\\ud800" is
    valid JSON but not text)."""
    return BAD_TEXT.search(value) is not None


def _plainly_fit(raw: bytes) -> bool:
    """Whether the body cannot hold what `_unfit` looks for, seen from its bytes alone: strict UTF-8
    (json.loads would let an encoded lone surrogate through), no NUL byte (UTF-16 and UTF-32 bodies,
    which json.loads also reads, have them), no escape sequence (the only way UTF-8 JSON writes NUL or
    a lone surrogate), and fewer brackets than MAX_DEPTH (so nothing nested deeper). Most bodies are; the
    others are walked."""
    if b"\\u" in raw or b"\x00" in raw or raw.count(b"[") + raw.count(b"{") >= MAX_DEPTH:
        return False
    try:
        raw.decode()
    except UnicodeDecodeError:
        return False
    return True


def _unfit(data: object) -> tuple[str, str] | None:
    """What no body we accept contains, as (dotted field, code): text that is not text (`_bad_text`)
    or nesting deeper than MAX_DEPTH (copying it would exhaust the stack). Iterative, so any depth
    is safe; the field names where it is (`project.name`, `enterprise.sectors.0`, `body`)."""
    stack: list[tuple[object, int, str]] = [(data, 1, "")]
    while stack:
        value, depth, path = stack.pop()
        if depth > MAX_DEPTH:
            return "body", "too_deep"
        if isinstance(value, str):
            if _bad_text(value):
                return path or "body", "invalid_character"
        elif isinstance(value, dict):
            for key, item in value.items():
                child = f"{path}.{key}" if path else str(key)
                if _bad_text(key):
                    return path or "body", "invalid_character"
                stack.append((item, depth + 1, child))
        elif isinstance(value, list):
            stack.extend((item, depth + 1, f"{path}.{i}" if path else str(i)) for i, item in enumerate(value))
    return None


def read_optional_json(request, allowed: tuple[str, ...]) -> dict:
    """An optional JSON object body (whatever its Content-Type says) with only `allowed` keys. An
    empty body, or an empty form (what many clients send for a bare POST), is {}."""
    if request._request.content_type in ("multipart/form-data", "application/x-www-form-urlencoded"):
        if not request._request.POST and not request._request.FILES:
            return {}
        raise Invalid([{"field": "body", "code": "invalid_json"}], "invalid body")
    if not request.body.strip():
        return {}
    body = read_json(request)
    if not isinstance(body, dict):
        raise Invalid([{"field": "body", "code": "not_an_object"}], "invalid body")
    unknown = [{"field": str(k), "code": "unknown_field"} for k in body if k not in allowed]
    if unknown:
        raise Invalid(unknown, "invalid body")
    return body


def optional_text(body: dict, name: str, *, required: bool = False) -> str:
    """A text member of a JSON body (a note, say): `Invalid` naming it when not a string or, if
    required, blank."""
    value = body.get(name, "")
    if not isinstance(value, str):
        raise Invalid([{"field": name, "code": "invalid_type"}], "invalid body")
    if required and not value.strip():
        raise Invalid([{"field": name, "code": "required"}], f"{name} required")
    return value
