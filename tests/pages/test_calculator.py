"""The calculator page (政策计算器) through Django's test client."""

from __future__ import annotations

import datetime as dt
import re
from html import unescape

import pytest
from django.conf import settings
from django.urls import reverse

from eligibility.forms import CalculatorForm
from kernel.forms import field_for_path

from .html import INLINE_SCRIPT, element

# DESIGN §4's example: a tier-1 data centre in the industrial park, as the form posts it.
TIER_1 = {
    "as_of": "2025-03-01",
    "enterprise.name": "青海示例算力科技有限公司",
    "enterprise.credit_code": "91630202MA7ABCDE1Y",
    "enterprise.registered_region": "630202",
    "enterprise.sectors": ["cloud_computing", "artificial_intelligence"],
    "enterprise.activities": ["operation"],
    "enterprise.qualifications": ["high_tech_enterprise"],
    "project.code": "2406-630202-04-01-532198",
    "project.name": "乐都绿色算力中心一期",
    "project.kind": "new",
    "project.category": "data_center",
    "project.region": "630202",
    "project.in_industrial_park": "yes",
    "project.standard_racks": "1200",
    "project.equipment_investment_cny": "320000000.00",
    "project.completed_on": "2025-01-15",
    "circumstances.ai_model_training": "industry_model",
    "circumstances.green_data_center": "on",
}


def _field_block(html: str, path: str) -> str:
    """The markup of one form field: its label, input(s), error and help."""
    return element(html, data_field=path)


def _measure(html: str, number: int) -> str:
    return element(html, id=f"r{number}")


@pytest.fixture
def page(client):
    def post(data, **extra):
        response = client.post(reverse("calculator"), data, **extra)
        assert response.status_code == 200
        return response.content.decode()

    return post


def test_it_renders_in_chinese_by_default(client):
    response = client.get(reverse("calculator"))
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="zh-Hans">' in html
    assert "<h1>政策计算器</h1>" in html
    for group in ("企业信息", "项目信息", "其他情况"):
        assert group in html
    assert '<label class="field__label" for="f-enterprise.credit_code">统一社会信用代码</label>' in html
    assert "2.5 kW" in html  # the standard rack, from the dated parameter
    assert "csrfmiddlewaretoken" in html


def test_it_has_no_inline_scripts_or_styles(client):
    html = client.get(reverse("calculator")).content.decode()
    assert not INLINE_SCRIPT.search(html)  # a script file (static/js) is fine: CSP script-src 'self'
    assert "style=" not in html
    assert "<style" not in html


def test_it_defaults_the_evaluation_date_to_today(client):
    from django.utils import timezone

    html = client.get(reverse("calculator")).content.decode()
    assert f'value="{timezone.localdate().isoformat()}"' in _field_block(html, "as_of")


def test_it_offers_tri_state_for_the_industrial_park(client):
    block = _field_block(client.get(reverse("calculator")).content.decode(), "project.in_industrial_park")
    assert "是" in block and "否" in block and "未填" in block
    assert re.search(r'value=""[^>]*checked', block), "未填 is the initial choice"


def test_it_offers_the_haidong_counties_for_regions(client):
    html = client.get(reverse("calculator")).content.decode()
    # A select of the counties by name, the code as the value (issue 12).
    assert '<select name="project.region"' in _field_block(html, "project.region")
    assert '<option value="630202">乐都区（630202）</option>' in _field_block(html, "project.region")
    assert '<option value="630202">乐都区（630202）</option>' in _field_block(html, "enterprise.registered_region")


def test_it_shows_the_tier_1_subsidy_with_its_clause(page):
    html = page(TIER_1)
    m4 = _measure(html, 4)
    assert "第4条" in m4
    assert "¥1,000,000.00" in m4
    assert "人民币壹佰万元整" in m4
    assert "海东工业园区管理委员会" in m4
    assert "可享受" in m4
    assert 'class="total"' in html and "补助合计" in html


def test_it_groups_the_20_outcomes_by_chapter(page):
    html = page(TIER_1)
    assert len(re.findall(r'<details class="measure measure--', html)) == 20
    for heading in ("一、绿电保障", "二、补助奖励", "三、土地供给", "四、科技创新", "五、人才支持", "六、营商环境"):
        assert heading in html
    assert "转有关部门" in _measure(html, 6)  # tax: referred to the tax authority
    assert "不适用" in _measure(html, 8)  # no land needed


def test_it_gives_each_reason_its_clause_text_on_expand_and_hover(page):
    m4 = _measure(page(TIER_1), 4)
    details = re.search(r'<details class="clause" title="([^"]+)">\s*<summary>第4条</summary>(.*?)</details>', m4, re.S)
    assert details
    assert unescape(details.group(1)).startswith("投资补助。支持绿色算力产业发展")
    assert "一次性补助100万元" in details.group(2)


def test_it_shows_scope_results_and_warnings(page):
    html = page(TIER_1)
    scope = element(html, id="result-scope")
    assert "适用范围和有效期" in scope
    assert "注册地乐都区（630202）在海东市行政区域内" in scope
    assert "第七部分" in scope
    assert "未登录查询不核查该项目是否已获投资补助" in html


def test_it_keeps_the_values_after_a_successful_evaluation(page):
    html = page(TIER_1)
    assert 'value="320000000.00"' in _field_block(html, "project.equipment_investment_cny")


def test_it_shows_an_invalid_credit_code_beside_the_field_and_keeps_the_other_values(page):
    html = page({**TIER_1, "enterprise.credit_code": "91630202MA7ABCDE1X"})
    block = _field_block(html, "enterprise.credit_code")
    assert "统一社会信用代码校验位不正确" in block
    assert 'aria-invalid="true"' in block
    assert 'value="91630202MA7ABCDE1X"' in block
    assert 'id="result"' not in html
    assert 'value="青海示例算力科技有限公司"' in _field_block(html, "enterprise.name")
    assert 'value="320000000.00"' in _field_block(html, "project.equipment_investment_cny")
    assert 'value="2025-01-15"' in _field_block(html, "project.completed_on")
    assert re.search(r'value="cloud_computing"[^>]*checked', _field_block(html, "enterprise.sectors"))
    assert re.search(r'value="yes"[^>]*checked', _field_block(html, "project.in_industrial_park"))
    assert re.search(r'value="data_center"\s+selected', _field_block(html, "project.category"))
    assert '<a href="#f-enterprise.credit_code">' in html  # the error summary links to the field


def test_it_puts_a_list_item_error_on_its_list(page):
    html = page({**TIER_1, "enterprise.sectors": ["cloud_computing", "quantum"]})
    assert "field__error" in _field_block(html, "enterprise.sectors")


def test_it_maps_an_error_path_to_its_field():
    form = CalculatorForm(lang="zh-hans", today=dt.date(2025, 3, 1))
    assert field_for_path("enterprise.sectors.1", form) == "enterprise.sectors"
    assert field_for_path("project.equipment_investment_cny", form) == "project.equipment_investment_cny"
    assert field_for_path("project.foo", form) is None


def test_it_reports_an_absurdly_long_number_beside_its_field(page):
    html = page({**TIER_1, "project.standard_racks": "9" * 5000})
    assert "field__error" in _field_block(html, "project.standard_racks")


def test_it_reports_a_bad_number_as_a_format_error(page):
    html = page({**TIER_1, "project.standard_racks": "很多", "project.equipment_investment_cny": "3.2e8"})
    # The message names the field and shows a value that would be read (issue 12); the input is kept.
    racks = _field_block(html, "project.standard_racks")
    assert "实际建成标准机架数无法识别（例如：1200、1,200）" in racks and 'value="很多"' in racks
    money = _field_block(html, "project.equipment_investment_cny")
    assert "机架及算力设备实际投资额（元）无法识别（例如：3.2亿、32000万、320,000,000）" in money
    assert 'value="3.2e8"' in money


def test_it_needs_a_project_code_when_the_project_is_described(page):
    html = page({**TIER_1, "project.code": ""})
    assert "投资项目统一代码必填" in _field_block(html, "project.code")


def test_it_links_a_missing_investment_to_its_field(page):
    data = {k: v for k, v in TIER_1.items() if k != "project.equipment_investment_cny"}
    html = page(data)
    m4 = _measure(html, 4)
    assert "需补充信息" in m4
    assert '<a href="#f-project.equipment_investment_cny">机架及算力设备实际投资额（元）</a>' in m4
    assert 'id="f-project.equipment_investment_cny"' in html


def test_it_treats_an_empty_form_as_needing_information(page):
    html = page({"as_of": "2025-03-01"})
    assert 'id="result"' in html
    assert "field__error" not in html
    assert len(re.findall(r'badge badge--needs_info">需补充信息<', html)) >= 20
    assert '<a href="#f-enterprise.sectors">所属领域</a>' in html
    assert "¥0.00" in html and "人民币零元整" in html


def test_it_evaluates_without_a_project(page):
    data = {k: v for k, v in TIER_1.items() if not k.startswith("project.")}
    html = page(data)
    assert "不适用" in _measure(html, 4)
    assert "未申报新建、扩建项目" in _measure(html, 4)


def test_it_shows_the_county_as_payer_outside_the_park(page):
    html = page({**TIER_1, "project.in_industrial_park": "no", "project.equipment_investment_cny": "500000000.01"})
    m4 = _measure(html, 4)
    assert "人民币贰佰万元整" in m4
    assert "¥2,000,000.00" in m4
    assert "乐都区" in m4


def test_it_renders_in_english_with_the_language_cookie(client, page):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    get_html = client.get(reverse("calculator")).content.decode()
    assert '<html lang="en">' in get_html
    assert "<h1>Policy calculator</h1>" in get_html
    assert "Unified social credit code" in get_html
    html = page(TIER_1)
    m4 = _measure(html, 4)
    assert "Investment subsidy" in m4
    assert ">Eligible<" in m4
    assert "人民币壹佰万元整" in m4
    assert "Haidong Industrial Park Administrative Committee" in m4
    assert 'lang="en">Investment subsidy. To support' in m4  # the English rendering on expand
    error_html = page({**TIER_1, "enterprise.credit_code": "91630202MA7ABCDE1X"})
    assert "Unified social credit code has a wrong check character" in _field_block(
        error_html, "enterprise.credit_code"
    )


def test_it_keeps_the_submitted_facts_when_switching_language(client):
    first = client.post("/", {**TIER_1})
    carried = re.search(r'<form class="lang-switch" action="/" method="post">(.*?)</form>', first.content.decode(), re.S)
    assert carried and 'name="project.equipment_investment_cny" value="320000000.00"' in carried.group(1)
    switched = client.post("/", {**TIER_1, "switch_language": "en"})
    html = switched.content.decode()
    assert switched.cookies["django_language"].value == "en"
    assert '<html lang="en"' in html and "Eligible" in html and 'value="320000000.00"' in html


def test_it_switches_language_with_a_form_post_to_set_language(client):
    html = client.get(reverse("calculator")).content.decode()
    form = re.search(r'<form class="lang-switch" action="([^"]+)" method="post">(.*?)</form>', html, re.S)
    assert form and form.group(1) == reverse("set_language")
    assert 'name="language" value="en"' in form.group(2)
    assert 'name="next" value="/"' in form.group(2)
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302 and response["Location"] == "/"
    assert "<h1>Policy calculator</h1>" in client.get("/").content.decode()


def test_it_refuses_other_methods(client):
    assert client.put(reverse("calculator")).status_code == 405


def test_it_reads_full_width_digits_typed_with_a_chinese_input_method(page):
    html = page({**TIER_1, "enterprise.credit_code": "９１６３０２０２ＭＡ７ＡＢＣＤＥ１Ｙ",
                 "project.code": "２４０６－６３０２０２－０４－０１－５３２１９８",
                 "project.standard_racks": "１２００", "project.equipment_investment_cny": "３２０００００００"})
    assert "人民币壹佰万元整" in _measure(html, 4)


# --- issue 11: readings marked, how to qualify, a link that reproduces the result, 对比 -----------------

def test_it_marks_the_services_readings(page):
    m4 = _measure(page(TIER_1), 4)
    assert "本服务的理解，以主管部门认定为准" in m4  # built on/after 2024-07-01, 2.5 kW, the tier base
    assert "本服务的理解" not in _measure(page(TIER_1), 1)


def test_it_shows_how_to_qualify_beside_the_measure(page):
    low = {**TIER_1, "project.equipment_investment_cny": "80000000"}
    m4 = _measure(page(low), 4)
    assert "如何可以享受" in m4 and "标准机架和算力设备实际投资额达到1亿元，即可获得100万元补助" in m4
    assert "超过5亿元，即可获得200万元补助" in _measure(page(TIER_1), 4)
    assert "有产业用地需求的，可享受优先规划保障" in _measure(page(TIER_1), 8)


def test_it_offers_a_link_that_reproduces_the_result(client, page):
    html = page(TIER_1)
    url = re.search(r'id="share-url" type="text" readonly value="([^"]+)"', html).group(1)
    assert "链接中包含您填写的信息" in html
    again = client.get(url.replace("http://testserver", "")).content.decode()
    assert "人民币壹佰万元整" in again and _measure(again, 4).count("可享受") >= 1
    assert 'value="320000000.00"' in again  # the facts are back in the form


def test_it_says_so_when_a_shared_link_is_damaged(client):
    html = client.get(reverse("calculator"), {"f": "not-a-link!!"}).content.decode()
    assert "该链接已损坏" in html and 'id="result"' not in html


def test_it_compares_today_with_what_it_takes(client, page):
    html = page({**TIER_1, "project.equipment_investment_cny": "80000000"})
    compare = re.search(r'href="(/compare/\?a=[^"]+)"', html).group(1).replace("&amp;", "&")
    table = client.get(compare).content.decode()
    assert "对比两个结果" in table
    changed = re.findall(r'<tr class="compare--changed">(.*?)</tr>', table, re.S)
    assert any("第4条" in row and "不符合" in row and "¥1,000,000.00" in row for row in changed)
    assert any("¥80,000,000.00" in row and "¥100,000,000.00" in row for row in changed)  # the fact that differs
    assert not any("第1条" in row for row in changed)  # unchanged measures are not marked
    assert client.get(reverse("compare"), {"a": "x", "b": "y"}).status_code == 400
