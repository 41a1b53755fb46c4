"""One grant from proposal to 已拨付 in a real headless Chromium against a live server, as its users
meet it: the park reviewer proposes it for public notice (a phone, no JavaScript); anyone objects on
the public notices page; the reviewer dismisses the objection; after the notice the reviewer
approves; the park's finance officer records two payments; the city admin sets the budget and reads
the fund pool's charts, with no CSP violation in the console."""

from __future__ import annotations

import datetime as dt

import pytest

from applications.models import Application, Notice, Objection, State
from funds.models import Payment
from tests.personas import PASSWORD, city_admin, finance_officer, reviewer

from .helpers import by_name, click, expect, fits, shot
from .test_review_e2e import file_and_submit

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True),
              pytest.mark.usefixtures("policy_clock", "notices_on")]
SHANGHAI = dt.timezone(dt.timedelta(hours=8))


def log_in(page, base: str, username: str, path: str) -> None:
    page.goto(base + "/accounts/login/?next=" + path)
    by_name(page, "username").fill(username)
    by_name(page, "password").fill(PASSWORD)
    click(page, "登录")


def test_it_walks_a_grant_from_proposal_through_notice_and_objection_to_paid(live_server, new_page, policy_clock):
    from tests.personas import applicant

    alice = applicant()
    app = file_and_submit(alice, "2406-630202-04-01-532198")
    reviewer("park")
    finance_officer("park")
    city_admin()
    base = live_server.url

    # The reviewer proposes the grant for public notice from the review page (phone, no script).
    page = new_page(width=375, javascript=False)
    log_in(page, base, "reviewer_park", f"/review/{app.pk}/")
    expect(page.locator("#propose-form")).to_be_visible()
    by_name(page, "propose-note").fill("经核查，设备投资额属实")
    click(page, "提请并开始公示")
    expect(page.locator("#application-status")).to_have_text("公示中")
    expect(page.locator("#notice-period")).to_contain_text("2025-03-03")
    expect(page.locator("#notice-period")).to_contain_text("2025-03-07")
    expect(page.locator("#reject-form")).to_have_count(0)
    shot(page, "funds-01-proposed")
    fits(page)

    # Anyone reads the notice on a phone without JavaScript and objects.
    public = new_page(width=375, javascript=False)
    public.goto(base + "/notices/")
    notice = Notice.objects.get()
    card = public.locator(f"#notice-{notice.pk}")
    expect(card).to_contain_text("人民币壹佰万元整")
    expect(card).to_contain_text("海东工业园区管理委员会")
    expect(public.locator("main")).not_to_contain_text("91630202MA7ABCDE1Y")
    fits(public)
    shot(public, "funds-02-public-notices")
    card.get_by_role("link", name="对此公示提出异议").click()
    public.wait_for_load_state("load")  # the stylesheet too: it places the honeypot
    assert public.locator("#f-website").bounding_box()["x"] < 0  # the honeypot is off screen, not for people
    by_name(public, "name").fill("张三")
    by_name(public, "contact").fill("zhangsan@example.com")
    click(public, "提交异议")
    expect(public.locator('[data-field="text"]')).to_contain_text("异议内容不能为空")
    expect(by_name(public, "name")).to_have_value("张三")
    by_name(public, "text").fill("该项目机架尚未全部投运。")
    click(public, "提交异议")
    objection = Objection.objects.get()
    expect(public.locator("#objection-reference")).to_have_text(objection.reference)
    fits(public)
    shot(public, "funds-03-objection-received")

    # The reviewer sees the objection in the queue and on the review page, and dismisses it.
    page.goto(base + "/review/")
    expect(page.locator(f"#row-{app.pk} .objections")).to_contain_text("1")
    page.goto(base + f"/review/{app.pk}/")
    box = page.locator(f"#objection-{objection.pk}")
    expect(box).to_contain_text("该项目机架尚未全部投运。")
    box.locator('input[value="dismissed"]').check()
    box.get_by_role("button", name="处理异议").click()
    expect(box).to_contain_text("说明必填")
    box = page.locator(f"#objection-{objection.pk}")
    box.locator('input[value="dismissed"]').check()
    box.locator("textarea").fill("经现场核查，机架已验收投运，异议不成立。")
    box.get_by_role("button", name="处理异议").click()
    expect(page.locator(f"#objection-{objection.pk}")).to_contain_text("不成立")
    shot(page, "funds-04-objection-dismissed")

    # After the notice (Monday 2025-03-10), the queue says 公示期满，待签发 and approval issues the determination.
    policy_clock.move_to(dt.datetime(2025, 3, 10, 9, tzinfo=SHANGHAI))
    log_in(page, base, "reviewer_park", "/review/")
    expect(page.locator(f"#row-{app.pk}")).to_contain_text("公示期满，待签发")
    page.goto(base + f"/review/{app.pk}/")
    expect(page.locator("#notice-status")).to_contain_text("公示期满，待签发")
    click(page, "批准并签发决定书")
    expect(page.locator("#confirm-amount")).to_contain_text("人民币壹佰万元整")
    page.locator("#confirm-decision").click()
    page.wait_for_load_state()
    expect(page.locator("#application-status")).to_have_text("已批准")
    assert Application.objects.get(pk=app.pk).state == State.APPROVED

    # The park's finance officer records two payments; a third above the amount is refused.
    money = new_page(width=375, javascript=False)
    log_in(money, base, "finance_park", "/payments/")
    expect(money.locator(f"#grant-{app.pk}")).to_contain_text("未拨付")
    money.locator(f"#grant-{app.pk}").get_by_role("link").first.click()
    for amount, reference in (("600000", "海财拨〔2025〕1号"), ("400000", "海财拨〔2025〕2号")):
        by_name(money, "amount_cny").fill(amount)
        by_name(money, "paid_on").fill("2025-03-10")
        by_name(money, "reference").fill(reference)
        click(money, "登记此笔拨付")
    expect(money.locator("#payment-status")).to_have_text("已拨付")
    expect(money.locator("#fully-paid")).to_be_visible()
    assert Payment.objects.count() == 2
    fits(money)
    shot(money, "funds-05-paid")

    # The enterprise sees the payments on its application.
    mine = new_page(width=375, javascript=False)
    log_in(mine, base, "applicant", f"/applications/{app.pk}/")
    expect(mine.locator("#payments")).to_contain_text("已拨付")
    expect(mine.locator("#payments")).to_contain_text("海财拨〔2025〕2号")

    # The city admin sets the park's budget and reads the overview's charts (a desktop, scripts on).
    admin = new_page(width=1280)
    problems: list[str] = []
    admin.on("console", lambda m: problems.append(m.text) if m.type in ("error", "warning") else None)
    log_in(admin, base, "cityadmin", "/budgets/?year=2025")
    by_name(admin, "park").fill("5000000")
    click(admin, "保存预算")
    expect(admin.locator("#pool-park")).to_contain_text("¥5,000,000.00")
    expect(admin.locator("#pool-park")).to_contain_text("¥4,000,000.00")  # remaining: 5,000,000 − 1,000,000
    admin.goto(base + "/review/overview/?year=2025")
    for chart in ("#fund-pool-chart", "#monthly-chart"):
        expect(admin.locator(chart)).to_be_visible()
        assert admin.locator(chart).evaluate("img => img.complete && img.naturalWidth > 0"), chart
    expect(admin.locator("#month-3")).to_contain_text("¥1,000,000.00")
    expect(admin.locator("#pool-park")).to_contain_text("¥1,000,000.00")
    shot(admin, "funds-06-overview-charts")
    assert not [p for p in problems if "Content Security Policy" in p or "Refused" in p], problems
