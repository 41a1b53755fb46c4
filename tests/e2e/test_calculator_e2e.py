"""The calculator in a real headless Chromium (Debian's /usr/bin/chromium) against a live server."""

from __future__ import annotations

import pytest

from .helpers import expect

pytestmark = [pytest.mark.e2e]

TIER_1_TEXT = {
    "enterprise.name": "青海示例算力科技有限公司",
    "enterprise.credit_code": "91630202MA7ABCDE1Y",
    "enterprise.registered_region": "630202",
    "project.code": "2406-630202-04-01-532198",
    "project.name": "乐都绿色算力中心一期",
    "project.region": "630202",
    "project.standard_racks": "1200",
    "project.equipment_investment_cny": "320000000.00",
    "project.completed_on": "2025-01-15",
    "as_of": "2025-03-01",
}


def field(page, path: str):
    return page.locator(f'#calculator-form [name="{path}"]')


def fill_tier_1(page) -> None:
    for path, value in TIER_1_TEXT.items():
        if path.endswith("region"):  # a select of the counties by name, codes as values
            field(page, path).select_option(value)
        else:
            field(page, path).fill(value)
    for path, value in (("enterprise.sectors", "cloud_computing"), ("enterprise.sectors", "artificial_intelligence"),
                        ("enterprise.activities", "operation")):
        page.locator(f'#calculator-form [name="{path}"][value="{value}"]').check()
    field(page, "project.kind").select_option("new")
    field(page, "project.category").select_option("data_center")
    page.locator('#calculator-form [name="project.in_industrial_park"][value="yes"]').check()


def submit(page) -> None:
    page.get_by_role("button", name="开始评估").click()
    page.wait_for_load_state()


def test_it_evaluates_the_tier_1_example_without_javascript(live_server, new_page):
    page = new_page(javascript=False)
    page.goto(live_server.url + "/")
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hans")
    fill_tier_1(page)
    submit(page)
    m4 = page.locator("#r4")
    expect(m4).to_contain_text("第4条")
    expect(m4).to_contain_text("人民币壹佰万元整")
    expect(m4).to_contain_text("¥1,000,000.00")
    expect(m4.locator(".badge")).to_have_text("可享受")
    clause = m4.locator("details.clause").first
    assert clause.get_attribute("title").startswith("投资补助。")
    expect(clause.locator("blockquote")).to_be_hidden()
    clause.locator("summary").click()
    expect(clause.locator("blockquote")).to_be_visible()
    expect(page.locator(".total")).to_contain_text("人民币壹佰万元整")


def test_it_shows_an_invalid_credit_code_beside_the_field_and_keeps_the_rest(live_server, new_page):
    page = new_page()
    page.goto(live_server.url + "/")
    fill_tier_1(page)
    field(page, "enterprise.credit_code").fill("91630202MA7ABCDE1X")
    submit(page)
    credit = page.locator('[data-field="enterprise.credit_code"]')
    expect(credit.locator(".field__error")).to_have_text("统一社会信用代码校验位不正确（应为18位统一社会信用代码）")
    expect(field(page, "enterprise.credit_code")).to_have_value("91630202MA7ABCDE1X")
    expect(field(page, "enterprise.credit_code")).to_have_attribute("aria-invalid", "true")
    for path, value in TIER_1_TEXT.items():
        if path != "enterprise.credit_code":
            expect(field(page, path)).to_have_value(value)
    expect(page.locator('#calculator-form [name="enterprise.sectors"][value="artificial_intelligence"]')).to_be_checked()
    expect(page.locator('#calculator-form [name="project.in_industrial_park"][value="yes"]')).to_be_checked()
    expect(field(page, "project.category")).to_have_value("data_center")
    expect(page.locator("#result")).to_have_count(0)


def test_it_links_a_missing_fact_to_its_field(live_server, new_page):
    page = new_page()
    page.goto(live_server.url + "/")
    fill_tier_1(page)
    field(page, "project.equipment_investment_cny").fill("")
    submit(page)
    link = page.locator("#r4 .missing a")
    expect(link).to_have_text("机架及算力设备实际投资额（元）")
    link.click()
    assert page.url.endswith("#f-project.equipment_investment_cny")
    expect(field(page, "project.equipment_investment_cny")).to_be_in_viewport()


def test_it_switches_to_english_and_back(live_server, new_page):
    page = new_page()
    page.goto(live_server.url + "/")
    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("h1")).to_have_text("Policy calculator")
    expect(page.locator('label[for="f-enterprise.credit_code"]')).to_have_text("Unified social credit code")
    fill_tier_1(page)
    page.get_by_role("button", name="Evaluate").click()
    page.wait_for_load_state()
    expect(page.locator("#r4 .badge")).to_have_text("Eligible")
    expect(page.locator("#r4")).to_contain_text("人民币壹佰万元整")
    page.get_by_role("button", name="中文").click()
    page.wait_for_load_state()
    expect(page.locator("h1")).to_have_text("政策计算器")
    # The switch after a submission keeps the facts and shows the same result in the other language.
    expect(page.locator("#r4 .badge")).to_have_text("可享受")
    expect(page.locator('#calculator-form [name="project.equipment_investment_cny"]')).to_have_value("320000000.00")


@pytest.mark.parametrize("path", ["/", "/measures/"])
def test_it_fits_a_375px_phone_without_horizontal_scroll(live_server, new_page, path):
    page = new_page(width=375)
    page.goto(live_server.url + path)
    expect(page.locator("link[rel=stylesheet]")).to_have_count(1)
    assert page.evaluate("getComputedStyle(document.body).marginTop") == "0px", "the stylesheet did not load"
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 375
    if path == "/":
        fill_tier_1(page)
        submit(page)
        expect(page.locator("#r4")).to_contain_text("人民币壹佰万元整")
        # Measures open where there is money or something to do; the rest open on a tap.
        assert page.locator("#r4").evaluate("d => d.open") is True
        closed = page.locator("details.measure:not([open])")
        n = closed.count()
        assert n > 0
        closed.first.locator("> summary").click()
        expect(closed).to_have_count(n - 1)
        # Everything expanded still fits the phone.
        page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")
        assert page.evaluate("document.scrollingElement.scrollWidth") <= 375


def test_it_reads_amounts_as_people_type_them_and_says_so_while_typing(live_server, new_page):
    page = new_page()  # with JavaScript: the echo before submission (static/js/forms.js)
    page.goto(live_server.url + "/")
    money = field(page, "project.equipment_investment_cny")
    echo = page.locator('[data-echo-for="f-project.equipment_investment_cny"]')
    money.fill("3.2亿")
    expect(echo).to_have_text("= ¥320,000,000.00 元")
    money.fill("3,2")
    expect(echo).to_contain_text("无法识别")
    fill_tier_1(page)
    field(page, "project.region").select_option(label="乐都区（630202）")
    money.fill("32000万")
    submit(page)
    expect(page.locator("#r4 .badge")).to_have_text("可享受")
    expect(page.locator("#r4")).to_contain_text("320,000,000.00")
    expect(echo).to_have_text("= ¥320,000,000.00 元")  # the server's reading, after the submission too


def test_it_numbers_the_catalogue_contents_once(live_server, new_page):
    page = new_page(width=1280)
    page.goto(live_server.url + "/measures/")
    first = page.locator(".toc__chapters > li").first
    expect(first.locator("> a")).to_have_text("一、绿电保障")
    # No list marker ("1.") in front of the chapter's own numeral.
    assert first.evaluate("li => getComputedStyle(li).listStyleType") == "none"
