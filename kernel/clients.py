"""Who is asking: the one function that computes a request's client address. Throttles, the login
lockout, the audit log and the request log all read it, so behind a proxy they agree."""

from __future__ import annotations

import ipaddress

from django.conf import settings


def _valid(address: str) -> bool:
    try:
        ipaddress.ip_address(address)
    except ValueError:
        return False
    return True


def client_address(request) -> str | None:
    """REMOTE_ADDR; behind NUM_PROXIES trusted proxies, the address the client connected to the first
    of them from: the NUM_PROXIES-th entry from the right of X-Forwarded-For (what a client writes
    further left is never trusted). An entry that is not an address is ignored."""
    remote = request.META.get("REMOTE_ADDR") or None
    proxies = settings.REST_FRAMEWORK.get("NUM_PROXIES") or 0
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if not proxies or not forwarded:
        return remote
    hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
    if not hops:
        return remote
    candidate = hops[-min(proxies, len(hops))]
    return candidate if _valid(candidate) else remote
