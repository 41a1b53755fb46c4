"""What every throttle shares: rates read per request (so settings overrides apply), the client
address of `kernel.clients` (the same one the login lockout and the audit log use), and a counter
per client and window instead of DRF's list of every request's time.

DRF's SimpleRateThrottle keeps, per client, the list of its request times in the cache, read and
written whole on every request: at a high rate that list (and its pickling) grows with the rate
(issue 15). Here each client has one integer per window of the rate's duration (a fixed window:
`N/min` lets N requests through per calendar minute), added to and read back in one round trip to
Redis (`kernel.cache.ResilientRedisCache.hit`). A refused request is taken back, so a client that
keeps trying is let in again when the window turns, as with DRF."""

from __future__ import annotations

import contextlib
import math

from django.core.cache import cache
from rest_framework.settings import api_settings

from kernel.clients import client_address


def hit(key: str, timeout: int) -> int:
    """Add one to the counter `key` (created with `timeout` seconds to live) and return it."""
    return cache.hit(key, timeout)  # every cache of settings.CACHES has it (kernel.cache)


class CurrentRate:
    # DRF binds the rates table at import; read it per request so settings overrides apply.
    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES[self.scope]

    def get_ident(self, request):
        return client_address(request) or ""

    def allow_request(self, request, view) -> bool:
        if self.rate is None:
            return True
        key = self.get_cache_key(request, view)
        if key is None:
            return True
        now = self.timer()
        window = int(now // self.duration)
        self._ends = (window + 1) * self.duration
        counter = f"{key}:{window}"
        if hit(counter, self.duration + 1) <= self.num_requests:
            return True
        with contextlib.suppress(ValueError):  # gone meanwhile (expired, or Redis came or went): nothing to take back
            cache.decr(counter)  # a refused request does not count
        self._refused_at = now
        return False

    def wait(self) -> float:
        """Seconds until the window turns (Retry-After); at least one."""
        return max(1, math.ceil(self._ends - self._refused_at))
