"""Issue 12: from the calculator to an application — "按此结果申报" as a visitor, through registration,
to a draft with the same facts on the review step (Debian Chromium via Playwright)."""

import pytest
from playwright.sync_api import expect

from applications.models import Application

from .helpers import by_name, click, fits, shot
from .test_calculator_e2e import field, fill_tier_1, submit

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("policy_clock")]

REGISTRATION = {
    "username": "huzhu_green",
    "password1": "Green-Compute-2025",
    "password2": "Green-Compute-2025",
    "name": "互助绿色算力有限公司",
    "credit_code": "91630223MA7QRT012X",
    "contact_person": "李四",
    "phone": "0972-1234567",
    "email": "contact@huzhu-green.example",
}


@pytest.mark.django_db(transaction=True)
def test_it_applies_with_the_facts_of_a_result_after_registering(live_server, new_page):
    page = new_page(width=375, javascript=False)
    page.goto(live_server.url + "/")
    fill_tier_1(page)
    field(page, "project.equipment_investment_cny").fill("3.2亿")  # read as 320,000,000.00
    submit(page)
    expect(page.locator("#r4 .badge")).to_have_text("可享受")
    shot(page, "journey-01-calculator-result")
    page.locator("#next-step").get_by_role("link", name="按此结果申报").click()
    # A visitor: the sign-in page, and from it the registration, which comes back with the facts.
    expect(page.locator("h1")).to_have_text("登录")
    shot(page, "journey-02-sign-in")
    page.get_by_role("link", name="企业注册").last.click()
    expect(page.locator("h1")).to_have_text("企业注册")
    for name, value in REGISTRATION.items():
        by_name(page, name).fill(value)
    by_name(page, "registered_region").select_option("630223")
    shot(page, "journey-03-registration")
    click(page, "注册")
    expect(page.locator("h1")).to_have_text("按此结果申报")
    expect(page.locator(".review-facts")).to_contain_text("2406-630202-04-01-532198")
    fits(page)
    shot(page, "journey-04-apply-with-these-facts")
    click(page, "开始申报")
    expect(page.locator("h1")).to_contain_text("核对并提交")
    app = Application.objects.get()
    assert app.enterprise.credit_code == REGISTRATION["credit_code"]  # the account's identity
    assert app.facts["project"]["equipment_investment_cny"] == "320000000.00"
    assert app.facts["project"]["code"] == "2406-630202-04-01-532198"
    assert app.facts["enterprise"]["sectors"] == ["cloud_computing", "artificial_intelligence"]
    expect(page.locator("#r4")).to_contain_text("人民币壹佰万元整")
    fits(page)
    shot(page, "journey-05-review-step")
