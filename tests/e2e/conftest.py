"""What every browser test shares: Debian's headless Chromium (/usr/bin/chromium, never a
downloaded one) driven by Playwright, a page factory, and a clock inside the policy's validity.

A test without Chromium or Playwright is skipped with the reason, not failed."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]


@pytest.fixture(scope="module", autouse=True)
def _allow_async_unsafe():
    # Playwright's sync API runs an event loop in this thread; Django's database teardown would
    # otherwise refuse to run "from an async context". Module-scoped, as the browser: nothing of it
    # outlives the browser tests.
    before = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    if before is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = before


@pytest.fixture(scope="session", autouse=True)
def _one_request_at_a_time_on_sqlite(django_db_setup, django_db_blocker):
    """On SQLite the live server's request threads share the test's one in-memory connection
    (Django's LiveServerThread): two requests at once on it can wait on each other for ever (seen:
    the overview's two chart images, under load). There the application answers one request at a
    time (the server stays threaded, so an idle keep-alive connection blocks nobody); on PostgreSQL
    (each thread its own connection, as in production) nothing changes."""
    import threading

    from django.core.servers.basehttp import ThreadedWSGIServer
    from django.db import connection
    from django.test import testcases

    with django_db_blocker.unblock():
        vendor = connection.vendor
    if vendor != "sqlite":
        yield
        return

    class OneAppCallAtATime(ThreadedWSGIServer):
        def set_app(self, application):
            lock = threading.Lock()

            def serial(environ, start_response):
                with lock:
                    return application(environ, start_response)

            super().set_app(serial)

    threaded = testcases.LiveServerThread.server_class
    testcases.LiveServerThread.server_class = OneAppCallAtATime
    yield
    testcases.LiveServerThread.server_class = threaded


@pytest.fixture(scope="module")
def browser(_allow_async_unsafe):
    if not Path(CHROMIUM).exists():
        pytest.skip(f"no Chromium at {CHROMIUM} (apt install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright for Python is not installed")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser):
    """`new_page(width=375, javascript=False)`: a page in a fresh context (its own cookies), closed
    after the test."""
    contexts = []

    def make(width: int = 1024, javascript: bool = True):
        context = browser.new_context(viewport={"width": width, "height": 800}, java_script_enabled=javascript)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def policy_clock():
    """2025-03-01 10:00 Asia/Shanghai, inside the policy's validity (2024-07-01 to 2029-06-30), for
    the whole test: the test's own code and the live server's thread alike (time-machine patches
    the process's clock). It ticks, so timestamps still move on; Playwright's timeouts use the
    monotonic clock, which is left alone."""
    import time_machine

    from tests.personas import NOW

    with time_machine.travel(NOW, tick=True) as traveller:
        yield traveller
