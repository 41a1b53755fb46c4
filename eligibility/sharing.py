"""A calculator result as a link: the facts entered, as compact JSON, compressed (zlib) and
base64url-encoded into `?f=`. Opening the link evaluates them again, so it shows the answer of the
rules in force then (the page says so, and that the link carries the facts entered)."""

from __future__ import annotations

import base64
import binascii
import json
import zlib
from typing import Any

from django.utils.datastructures import MultiValueDict

from eligibility.forms import FLAG, MULTI, NO, SPEC, TRISTATE, YES

MAX_LINK = 4000  # characters of `f`: a browser and a proxy take URLs well beyond this
MAX_JSON = 64 * 1024  # bytes once inflated: no "zip bomb" in a link


class BadLink(ValueError):
    """The link's facts cannot be read."""


def encode(facts: dict[str, Any]) -> str:
    raw = json.dumps(facts, ensure_ascii=False, separators=(",", ":"), default=str).encode()
    return base64.urlsafe_b64encode(zlib.compress(raw, 9)).decode().rstrip("=")


def decode(token: str) -> dict[str, Any]:
    if not token or len(token) > MAX_LINK:
        raise BadLink("length")
    try:
        packed = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        inflater = zlib.decompressobj()
        raw = inflater.decompress(packed, MAX_JSON)
        if inflater.unconsumed_tail:
            raise BadLink("too large")
        facts = json.loads(raw)
    except (binascii.Error, zlib.error, ValueError, UnicodeDecodeError) as exc:
        raise BadLink(str(exc)) from None
    if not isinstance(facts, dict):
        raise BadLink("not an object")
    return facts


def form_data(facts: dict[str, Any]) -> MultiValueDict:
    """The calculator form's data for these facts (what the form would have posted)."""
    data = MultiValueDict()
    if facts.get("as_of"):
        data["as_of"] = str(facts["as_of"])
    for path, (kind, _group, _attrs) in SPEC.items():
        group, name = path.split(".", 1)
        part = facts.get(group)
        value = part.get(name) if isinstance(part, dict) else None
        if value is None:
            continue
        if kind == MULTI:
            data.setlist(path, [str(v) for v in value] if isinstance(value, list) else [str(value)])
        elif kind == TRISTATE:
            data[path] = YES if value is True else NO if value is False else str(value)
        elif kind == FLAG:
            if value is True:
                data[path] = "on"
        else:
            data[path] = str(value)
    return data
