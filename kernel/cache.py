"""A Redis cache that degrades instead of failing: when Redis is unreachable or slow (short connect
and read timeouts), the calls go to a per-process memory cache for a while and the request is
served. Throttle counters are then per process (looser, never absent); a log line says so at most
once a minute; /readyz reports Redis as degraded."""

from __future__ import annotations

import logging
import pickle
import threading
import time

from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger("haidong_policy.cache")
RETRY_AFTER_SECONDS = 15  # after a failure, Redis is tried again this much later
LOG_EVERY_SECONDS = 60
FAILURES = (RedisError, OSError)


class LocalCache(LocMemCache):
    """Django's per-process memory cache (the default without REDIS_URL) with the throttles' counter in
    one call, as ResilientRedisCache has it: read, added to and written under one lock, where add()
    then incr() take it twice and pickle three times (issue 15)."""

    def hit(self, key: str, timeout: int) -> int:
        """Add one to the counter `key` (made with `timeout` seconds to live) and return it."""
        key = self.make_and_validate_key(key)
        with self._lock:
            if self._has_expired(key):
                count = 1
                self._set(key, pickle.dumps(count, self.pickle_protocol), timeout)
            else:
                count = pickle.loads(self._cache[key]) + 1  # noqa: S301 - written by this class only
                self._cache[key] = pickle.dumps(count, self.pickle_protocol)
                self._cache.move_to_end(key, last=False)
        return count


class ResilientRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        # One memory per process and Redis address, shared by the threads' cache objects.
        self._fallback = LocalCache(f"redis-fallback:{server}", {"TIMEOUT": params.get("TIMEOUT", 300)})
        self._down_until = 0.0
        self._logged_at = 0.0
        self._lock = threading.Lock()

    @property
    def degraded(self) -> bool:
        return time.monotonic() < self._down_until

    def _failed(self, exc: Exception) -> None:
        now = time.monotonic()
        with self._lock:
            self._down_until = now + RETRY_AFTER_SECONDS
            if now - self._logged_at >= LOG_EVERY_SECONDS:
                self._logged_at = now
                logger.warning("redis unavailable (%s): throttle counters are per process for now",
                               type(exc).__name__)

    def _call(self, name: str, *args, **kwargs):
        if not self.degraded:
            try:
                return getattr(super(), name)(*args, **kwargs)
            except FAILURES as exc:
                self._failed(exc)
        return getattr(self._fallback, name)(*args, **kwargs)

    def add(self, *args, **kwargs):
        return self._call("add", *args, **kwargs)

    def get(self, *args, **kwargs):
        return self._call("get", *args, **kwargs)

    def set(self, *args, **kwargs):
        return self._call("set", *args, **kwargs)

    def touch(self, *args, **kwargs):
        return self._call("touch", *args, **kwargs)

    def delete(self, *args, **kwargs):
        return self._call("delete", *args, **kwargs)

    def get_many(self, *args, **kwargs):
        return self._call("get_many", *args, **kwargs)

    def has_key(self, *args, **kwargs):
        return self._call("has_key", *args, **kwargs)

    def incr(self, *args, **kwargs):
        return self._call("incr", *args, **kwargs)

    def decr(self, *args, **kwargs):
        return self._call("decr", *args, **kwargs)

    def hit(self, key: str, timeout: int) -> int:
        """Add one to the counter `key` and return it, with `timeout` seconds to live from now: INCR and
        EXPIRE in one round trip (the throttles' counters, kernel.throttling, one key per window)."""
        if not self.degraded:
            try:
                name = self.make_and_validate_key(key)
                pipe = self._cache.get_client(name, write=True).pipeline(transaction=False)
                pipe.incr(name)
                pipe.expire(name, timeout)
                return int(pipe.execute()[0])
            except FAILURES as exc:
                self._failed(exc)
        return self._fallback.hit(key, timeout)

    def set_many(self, *args, **kwargs):
        return self._call("set_many", *args, **kwargs)

    def delete_many(self, *args, **kwargs):
        return self._call("delete_many", *args, **kwargs)

    def clear(self):
        self._fallback.clear()
        return self._call("clear")

    def ping(self) -> bool:
        """For /readyz: whether Redis answers now (not counting the fallback)."""
        try:
            return bool(self._cache.get_client(write=True).ping())
        except FAILURES as exc:
            self._failed(exc)
            return False
