"""Reviewing an application in a real headless Chromium (Debian's /usr/bin/chromium) against a live
server: a park reviewer logs in, filters the queue, claims an application, returns it with a note;
the enterprise sees the note, corrects the facts and resubmits (through the services); the reviewer
approves with a lower recognised investment and sees the determination number."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from applications.models import Application, Determination, State
from filing import services
from tests.personas import (
    PASSWORD,
    REQUIRED_FOR_DATA_CENTRE,
    applicant,
    application_facts,
    city_admin,
    other_enterprise,
    reviewer,
    upload,
)

from .helpers import by_name, click, expect, fits, shot

# The clock stands inside the policy's validity (see conftest.policy_clock), for the data the test
# files through the services as for the pages the live server renders.
pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("policy_clock")]


def file_and_submit(user, code: str) -> Application:
    facts = application_facts(code=code)
    for identity in ("name", "credit_code", "registered_region"):
        del facts["enterprise"][identity]
    app = services.application_create(user=user, facts=facts)
    for kind in REQUIRED_FOR_DATA_CENTRE:
        services.attachment_add(application_id=app.pk, user=user, kind=kind, upload=upload(f"{kind}.pdf"))
    services.application_submit(application_id=app.pk, user=user, declaration=True)
    return app


def log_in(page, username: str) -> None:
    by_name(page, "username").fill(username)
    by_name(page, "password").fill(PASSWORD)
    click(page, "登录")


def test_it_reviews_an_application_from_the_queue_to_the_determination(live_server, new_page):
    alice = applicant()
    app = file_and_submit(alice, "2406-630202-04-01-532198")
    other = file_and_submit(other_enterprise(), "2406-630203-04-01-100001")
    reviewer("park")

    # A phone-sized window with JavaScript off: the queue and the review page are plain forms.
    page = new_page(width=375, javascript=False)
    page.goto(live_server.url + "/review/")
    expect(page.locator("h1")).to_have_text("登录")
    log_in(page, "reviewer_park")
    expect(page.locator("h1")).to_have_text("审核队列")
    expect(page.locator(".site-nav")).to_contain_text("审核队列")
    expect(page.locator(f"#row-{app.pk}")).to_contain_text("¥320,000,000.00")
    expect(page.locator(f"#row-{other.pk}")).to_be_visible()
    fits(page)

    # Filter by the enterprise's name, then claim its application from the list.
    by_name(page, "q").fill("青海示例")
    click(page, "查看")
    expect(page.locator(f"#row-{other.pk}")).to_have_count(0)
    expect(by_name(page, "q")).to_have_value("青海示例")
    page.locator(f"#select-{app.pk}").check()
    click(page, "认领所选申请")
    expect(page.locator(f"#report-{app.pk}")).to_contain_text("已认领")
    expect(page.locator(f"#row-{app.pk}")).to_contain_text("reviewer_park")
    expect(by_name(page, "q")).to_have_value("青海示例")
    fits(page)

    # The review page: return without a note is refused beside the field, then with one.
    page.locator(f"#row-{app.pk}").get_by_role("link", name=f"申请编号{app.pk}").click()
    expect(page.locator("#application-status")).to_have_text("审核中")
    expect(page.locator("#frozen .measure")).to_have_count(20)
    fits(page)
    click(page, "退回企业")
    expect(page.locator('#return-form [data-field="note"] .field__error')).to_have_text("说明必填")
    expect(page.locator("#application-status")).to_have_text("审核中")
    by_name(page, "return-note").fill("请上传加盖公章的设备发票，并按发票核实设备投资额。")
    click(page, "退回企业")
    expect(page.locator(".flash")).to_contain_text("已退回补正")
    expect(page.locator("#application-status")).to_have_text("退回修改")
    expect(page.locator("#history")).to_contain_text("请上传加盖公章的设备发票")
    expect(page.locator("#actions")).to_have_count(0)

    # The enterprise sees the note on its own page, corrects the investment and resubmits.
    enterprise_page = new_page(width=375, javascript=False)
    enterprise_page.goto(live_server.url + f"/applications/{app.pk}/")
    log_in(enterprise_page, "applicant")
    expect(enterprise_page.locator('[role="alert"]')).to_contain_text("请上传加盖公章的设备发票")
    # The note stays in view on every step of the correction.
    enterprise_page.locator(".actions-box").get_by_role("link", name="修改并重新提交").click()
    expect(enterprise_page.locator("#return-note")).to_contain_text("请上传加盖公章的设备发票")
    enterprise_page.locator(".steps").get_by_role("link", name="核对并提交").click()
    expect(enterprise_page.locator("#return-note")).to_contain_text("请上传加盖公章的设备发票")
    fits(enterprise_page)
    services.application_update(application_id=app.pk, user=alice,
                                patch={"project": {"equipment_investment_cny": "300000000.00"}})
    services.attachment_add(application_id=app.pk, user=alice, kind="equipment_invoice",
                            upload=upload("设备发票（盖章）.pdf"))
    services.application_submit(application_id=app.pk, user=alice, declaration=True)

    # Back in the queue; approve with a recognised investment below the declared one.
    page.locator(".site-nav").get_by_role("link", name="审核队列").click()
    expect(page.locator(f"#row-{app.pk}")).to_contain_text("已提交")
    expect(page.locator(f"#row-{app.pk}")).to_contain_text("¥300,000,000.00")
    expect(page.locator(f"#row-{app.pk} .resubmitted")).to_have_text("重新提交")
    page.locator(f"#row-{app.pk}").get_by_role("link", name=f"申请编号{app.pk}").click()
    expect(page.locator("#attachments")).to_contain_text("设备发票（盖章）.pdf")
    # What changed since the return: the corrected investment, old and new, and the new file.
    changes = page.locator("#changes")
    expect(changes).to_contain_text("¥320,000,000.00")
    expect(changes).to_contain_text("¥300,000,000.00")
    expect(changes).to_contain_text("设备发票（盖章）.pdf")
    shot(page, "review-01-changed-since-return")
    by_name(page, "approve-recognized_investment_cny").fill("300000000.01")
    click(page, "批准并签发决定书")
    field = page.locator('[data-field="recognized_investment_cny"]')
    expect(field.locator(".field__error")).to_have_text("认定投资额（元）不能高于申报的投资额")
    expect(by_name(page, "approve-recognized_investment_cny")).to_have_value("300000000.01")
    expect(page.locator("#application-status")).to_have_text("已提交")
    fits(page)
    by_name(page, "approve-recognized_investment_cny").fill("250000000")
    click(page, "批准并签发决定书")
    # The confirmation restates the decision before the numbered determination is issued.
    expect(page.locator("h1")).to_have_text("确认批准")
    expect(page.locator("#confirm-amount")).to_contain_text("人民币壹佰万元整")
    shot(page, "review-02-confirm-approval")
    fits(page)
    page.locator("#confirm-decision").click()
    page.wait_for_load_state()

    number = "东园补决〔2025〕1号"
    expect(page.locator(".flash")).to_contain_text(number)
    expect(page.locator("#application-status")).to_have_text("已批准")
    expect(page.locator("#determination-number")).to_have_text(number)
    shot(page, "review-03-determination-issued")
    expect(page.locator("#determination")).to_contain_text("人民币壹佰万元整")
    expect(page.locator("#declared-investment")).to_have_text("¥300,000,000.00")
    expect(page.locator("#recognised-investment")).to_have_text("¥250,000,000.00")
    expect(page.locator("#frozen")).to_contain_text("决定时评估")
    fits(page)
    assert Application.objects.get(pk=app.pk).state == State.APPROVED

    # The PDF as issued, through the reviewer's session, and its public verification page.
    determination = Determination.objects.get(application=app)
    expect(page.locator("#determination-sha256")).to_have_text(determination.sha256)
    with page.expect_download() as download:
        page.locator("#determination-pdf").click()
    assert hashlib.sha256(Path(download.value.path()).read_bytes()).hexdigest() == determination.sha256
    page.locator("#determination-verify").click()
    expect(page.locator("#determination-facts")).to_contain_text(number)
    expect(page.locator("#determination-facts")).to_contain_text(determination.sha256)
    fits(page)


def test_it_gives_city_admins_the_overview_and_the_audit_log_on_a_phone(live_server, new_page):
    app = file_and_submit(applicant(), "2406-630202-04-01-532198")
    city_admin()
    page = new_page(width=375, javascript=False)
    page.goto(live_server.url + "/review/overview/")
    log_in(page, "cityadmin")
    expect(page.locator("h1")).to_have_text("统计概览")
    expect(page.locator("#counts-park")).to_contain_text("海东工业园区")
    expect(page.locator("#pending-total")).to_contain_text("¥1,000,000.00")
    fits(page)
    page.locator("#overdue-link").click()
    expect(page.locator("h1")).to_have_text("审核队列")
    expect(page.locator('[name="overdue"]')).to_have_value("true")
    expect(page.locator("#queue-empty")).to_be_visible()

    page.locator(".site-nav").get_by_role("link", name="审计日志").click()
    expect(page.locator("h1")).to_have_text("审计日志")
    fits(page)
    by_name(page, "action").select_option("transition")
    by_name(page, "application").fill(str(app.pk))
    click(page, "查看")
    expect(page.locator(".audit-table tbody tr")).to_have_count(2)
    expect(page.locator(".audit-table")).to_contain_text("草稿 → 已提交")
    expect(page.locator("#export-csv")).to_have_attribute(
        "href", f"/audit/export.csv?action=transition&application={app.pk}")
    fits(page)


def test_it_keeps_the_decision_bar_in_view_on_a_desktop_while_the_facts_are_read(live_server, new_page):
    app = file_and_submit(applicant(), "2406-630202-04-01-532198")
    reviewer("park")
    page = new_page(width=1280)
    page.goto(live_server.url + f"/review/{app.pk}/")
    log_in(page, "reviewer_park")
    # The forms sit below the facts, out of the first screen; the bar linking to them does not.
    bar = page.locator("#decision-bar")
    box, height = bar.bounding_box(), page.viewport_size["height"]
    assert box["y"] + box["height"] <= height + 1
    assert page.locator("#approve-form").bounding_box()["y"] > height
    bar.get_by_role("link", name="批准", exact=True).click()
    expect(page.locator("#approve-form")).to_be_in_viewport()
    fits(page)
