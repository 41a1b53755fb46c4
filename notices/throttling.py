"""Objections per client address, on the page and the API together (THROTTLE_OBJECTION, 10/hour)."""

from __future__ import annotations

from rest_framework.throttling import SimpleRateThrottle

from kernel.throttling import CurrentRate


class ObjectionThrottle(CurrentRate, SimpleRateThrottle):
    scope = "objection"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}
