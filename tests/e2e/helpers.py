"""Small helpers of the browser tests (the fixtures are in conftest.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

playwright_api = pytest.importorskip("playwright.sync_api", reason="Playwright for Python is not installed")
expect = playwright_api.expect


def by_name(page, name: str):
    return page.locator(f'[name="{name}"]')


def by_id(page, id_: str):
    # Attribute form: ids like f-attachments.business_license hold dots.
    return page.locator(f'[id="{id_}"]')


def click(page, role_name: str) -> None:
    page.get_by_role("button", name=role_name, exact=True).click()
    page.wait_for_load_state()


def fits(page) -> None:
    """No horizontal scrolling at the page's width, measured once the stylesheet has loaded: a link
    followed returns as soon as the new page's markup is there, and under the frozen clock the
    stylesheet's Date header is older than its Last-Modified, so the browser fetches it again."""
    page.wait_for_load_state("load")
    assert page.evaluate("document.scrollingElement.scrollWidth") <= page.viewport_size["width"], page.url


SCREENSHOTS = Path(__file__).resolve().parents[2] / "build" / "screenshots"


def shot(page, name: str) -> Path:
    """A full-page screenshot kept for the people reading the run (build/screenshots/<name>.png)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.wait_for_load_state("load")
    page.screenshot(path=str(path), full_page=True)
    return path
