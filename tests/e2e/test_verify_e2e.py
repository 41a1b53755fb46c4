"""The public verification page in a real headless Chromium (Debian's /usr/bin/chromium) against a
live server: an unknown code typed into /verify/ lands on the not-found page, code kept."""

from __future__ import annotations

import pytest

from .helpers import by_id, expect, fits, shot

pytestmark = [pytest.mark.e2e]

UNKNOWN = "AAAA-BBBB-CCCC-DDDD"


def test_it_keeps_an_unknown_code_on_the_not_found_page(live_server, new_page):
    page = new_page(width=375, javascript=False)
    page.goto(live_server.url + "/verify/")
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hans")
    fits(page)
    by_id(page, "f-code").fill(UNKNOWN)
    with page.expect_response(lambda r: r.url.endswith(f"/verify/{UNKNOWN}/")) as answer:
        page.get_by_role("button", name="验证", exact=True).click()
    page.wait_for_load_state()
    assert answer.value.status == 404
    notice = page.locator("#not-found")
    expect(notice).to_be_visible()
    expect(notice).to_contain_text(UNKNOWN)
    expect(by_id(page, "f-code")).to_have_value(UNKNOWN)
    expect(page.get_by_role("button", name="验证", exact=True)).to_be_visible()  # the retry form
    expect(page.locator("h1")).not_to_have_text("页面不存在")  # our page, not the generic 404
    fits(page)
    shot(page, "verify-01-not-found")
    page.set_viewport_size({"width": 1280, "height": 800})
    fits(page)
