"""Settings from the environment, failing loudly on a value that cannot be right."""

from __future__ import annotations

import os
import re

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}
_RATE = re.compile(r"^\d+/(s|sec|second|m|min|minute|h|hour|d|day)$")


def get_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    if raw.lower() in _TRUE:
        return True
    if raw.lower() in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r}: expected one of true/false/1/0/yes/no/on/off")


def get_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    items = [item.strip() for item in raw.split(",") if item.strip()]
    if not items:
        raise ImproperlyConfigured(f"{name} is set but empty: give a comma-separated list")
    return items


def get_rate(name: str, default: str) -> str:
    raw = os.environ.get(name, default).strip()
    if not _RATE.match(raw):
        raise ImproperlyConfigured(f"{name}={raw!r}: expected a rate like 120/min or 10/s")
    return raw


def get_int(name: str, default: int, minimum: int = 0) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r}: expected an integer") from None
    if value < minimum:
        raise ImproperlyConfigured(f"{name}={raw!r}: must be at least {minimum}")
    return value


def get_media_storage(name: str) -> dict:
    """The Django STORAGES entry for uploads and determinations: the file system (MEDIA_ROOT) when
    `name` is unset; S3-compatible object storage for `s3://bucket[/prefix]?endpoint=https://…&region=…`
    (optional `addressing=path|virtual`). Credentials come from the environment
    (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, as boto3 reads them), never from the URL."""
    from urllib.parse import parse_qs, urlsplit

    raw = os.environ.get(name, "").strip()
    if not raw:
        return {"BACKEND": "kernel.storage.AtomicFileSystemStorage"}
    url = urlsplit(raw)
    query = {key: values[-1] for key, values in parse_qs(url.query, keep_blank_values=True).items()}
    unknown = sorted(set(query) - {"endpoint", "region", "addressing"})
    endpoint = query.get("endpoint", "")
    problem = (
        "expected s3://bucket?endpoint=https://…&region=…" if url.scheme != "s3" or not url.hostname
        else "put credentials in AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, not in the URL"
        if url.username is not None or url.password is not None
        else f"unknown parameter {unknown[0]!r} (endpoint, region, addressing)" if unknown
        else "endpoint must be an http(s):// address" if not re.match(r"^https?://[^/?#]+/?$", endpoint)
        else "addressing must be path or virtual" if query.get("addressing", "virtual") not in ("path", "virtual")
        else ""
    )
    if problem:
        shown = "(not shown: it holds credentials)" if "@" in url.netloc else repr(raw)
        raise ImproperlyConfigured(f"{name}={shown}: {problem}")
    return {"BACKEND": "kernel.objectstorage.ConfirmedS3Storage", "OPTIONS": {
        "bucket_name": url.hostname, "location": url.path.strip("/"), "endpoint_url": query["endpoint"].rstrip("/"),
        "region_name": query.get("region") or None, "addressing_style": query.get("addressing", "virtual")}}
