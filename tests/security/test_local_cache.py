"""The throttles' counter in the per-process cache (kernel.cache.LocalCache, the default without
REDIS_URL): one call adds one and answers the count; a window's counter expires with its timeout."""

from __future__ import annotations

import pytest
from django.core.cache import caches

from kernel.cache import LocalCache


@pytest.fixture
def store():
    store = LocalCache("test-local-cache", {})
    store.clear()
    yield store
    store.clear()


def test_it_is_the_default_cache():
    assert isinstance(caches["default"], LocalCache)


def test_it_counts_each_key_apart(store):
    assert [store.hit("a", 60) for _ in range(3)] == [1, 2, 3]
    assert store.hit("b", 60) == 1
    assert store.get("a") == 3  # an ordinary cache value: decr and get still work on it
    store.decr("a")
    assert store.hit("a", 60) == 3


def test_it_starts_again_when_the_counter_expired(store, frozen_now):
    assert [store.hit("a", 2) for _ in range(2)] == [1, 2]
    frozen_now.shift(1)
    assert store.hit("a", 2) == 3  # the timeout runs from the first count, as add() then incr() did
    frozen_now.shift(2)
    assert store.hit("a", 2) == 1
