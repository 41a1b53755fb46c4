"""免申即享 in a real headless Chromium, as an enterprise meets it on a phone and on a desktop: the
profile prefilled from its submitted application, a second project added with a mistake corrected
beside the field, consent given, the match message in 消息中心 with the unread count in the header,
and 一键申报 opening a prefilled draft at the review step."""

from __future__ import annotations

import pytest

from applications.models import Application
from inbox.models import Message

from .helpers import by_id, by_name, click, expect, fits, shot
from .test_funds_e2e import log_in
from .test_review_e2e import file_and_submit

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("policy_clock")]


@pytest.mark.parametrize("width", [375, 1280])
def test_it_goes_from_profile_and_consent_to_a_match_message_and_a_draft(live_server, new_page, width):
    from tests.personas import applicant

    alice = applicant()
    file_and_submit(alice, "2406-630202-04-01-532198")
    page = new_page(width=width)
    log_in(page, live_server.url, "applicant", "/profile/")
    expect(page.get_by_role("heading", name="企业画像", exact=True)).to_be_visible()
    expect(page.get_by_text("尚未保存")).to_be_visible()
    expect(page.get_by_text("2406-630202-04-01-532198").first).to_be_visible()
    fits(page)
    shot(page, f"profile-prefilled-{width}")

    page.get_by_role("link", name="添加项目").click()
    page.wait_for_load_state()
    for path, value in {"project.code": "2406-630202-04-01-777777", "project.name": "乐都绿色算力中心二期",
                        "project.standard_racks": "-1", "project.equipment_investment_cny": "600000000",
                        "project.completed_on": "2025-02-01"}.items():
        by_name(page, path).fill(value)
    for path, value in {"project.kind": "new", "project.category": "data_center", "project.region": "630202"}.items():
        by_name(page, path).select_option(value)
    page.locator('[name="project.in_industrial_park"][value="yes"]').check()
    click(page, "保存")
    error = by_id(page, "f-project.standard_racks_error")
    expect(error).to_be_visible()
    expect(by_name(page, "project.name")).to_have_value("乐都绿色算力中心二期")  # nothing typed is lost
    shot(page, f"profile-project-error-{width}")
    by_name(page, "project.standard_racks").fill("1500")
    click(page, "保存")
    expect(page.get_by_text("企业画像已保存")).to_be_visible()

    click(page, "我同意：比对我的企业画像")
    expect(page.get_by_role("button", name="撤回同意")).to_be_visible()
    assert Message.objects.filter(kind="match").count() >= 1  # screened after the consent committed
    badge = page.locator(".site-nav .badge")
    expect(badge).to_be_visible()
    shot(page, f"profile-consented-{width}")

    page.get_by_role("link", name="消息中心").click()
    page.wait_for_load_state()
    expect(page.get_by_text("可享受新的政策").first).to_be_visible()
    fits(page)
    shot(page, f"messages-{width}")
    click(page, "全部标为已读")
    expect(page.locator(".site-nav .badge")).to_have_count(0)

    page.goto(live_server.url + "/profile/")
    page.locator("#project-1").get_by_role("button", name="一键申报").click()
    page.wait_for_load_state()
    draft = Application.objects.filter(state="draft").get()
    assert page.url.endswith(f"/applications/{draft.pk}/edit/review/")
    assert draft.facts["project"]["code"] == "2406-630202-04-01-777777"
    shot(page, f"profile-one-step-draft-{width}")
