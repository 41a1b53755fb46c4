"""What people type on the pages, read as facts (issue 12): a table of inputs → value or refusal,
with boundary pairs; the API stays strict (DESIGN §9)."""

import json

import pytest
from django.urls import reverse

from eligibility import typed_input
from eligibility.typed_input import Unreadable

from .html import element

MONEY = [
    ("320000000", "320000000.00"), ("320000000.00", "320000000.00"), ("3.2亿", "320000000.00"),
    ("3.2亿元", "320000000.00"), ("32000万", "320000000.00"), ("32000万元", "320000000.00"),
    ("320,000,000", "320000000.00"), ("320，000，000", "320000000.00"), ("３２０００００００", "320000000.00"),
    ("¥320000000.5", "320000000.50"), ("￥3.2亿", "320000000.00"), ("320 000 000", "320000000.00"),
    ("1亿", "100000000.00"), ("0.99999999亿", "99999999.00"), ("5亿", "500000000.00"),
    ("5.0000000001亿", "500000000.01"), ("1.5万", "15000.00"), ("0", "0.00"),
    ("3,2", None), ("3.2e8", None), ("-1", None), ("1.234", None), ("5.00000000001亿", None), ("三亿", None),
    ("1,2345,678", None), ("亿", None), ("", None),
]


@pytest.mark.parametrize(("text", "value"), MONEY, ids=[t or "empty" for t, _v in MONEY])
def test_it_reads_money_as_people_write_it(text, value):
    if value is None:
        with pytest.raises(Unreadable):
            typed_input.money(text)
    else:
        assert typed_input.money(text) == value


@pytest.mark.parametrize(("text", "value"), [("1200", 1200), ("1,200", 1200), ("１，２００", 1200), ("0", 0),
                                             ("1,2", None), ("12.5", None), ("9" * 16, None)])
def test_it_reads_counts_with_separators(text, value):
    if value is None:
        with pytest.raises(Unreadable):
            typed_input.count(text)
    else:
        assert typed_input.count(text) == value


@pytest.mark.parametrize(("text", "value"), [
    ("2025-01-15", "2025-01-15"), ("2025-1-15", "2025-01-15"), ("2025/01/15", "2025-01-15"),
    ("2025.1.15", "2025-01-15"), ("2025年1月15日", "2025-01-15"), ("２０２５－１－１５", "2025-01-15"),
    ("2025-02-29", None), ("2024-02-29", "2024-02-29"), ("15/01/2025", None), ("2025-13-01", None)])
def test_it_reads_dates_as_people_write_them(text, value):
    if value is None:
        with pytest.raises(Unreadable):
            typed_input.date(text)
    else:
        assert typed_input.date(text) == value


@pytest.mark.parametrize(("text", "value"), [("乐都区", "630202"), ("乐都", "630202"), ("互助土族自治县", "630223"),
                                             ("Ledu District", "630202"), ("630202", "630202"), ("632123", "632123"),
                                             ("海东市", "630200"), ("北京市", None)])
def test_it_reads_county_names_as_their_codes(text, value):
    if value is None:
        with pytest.raises(Unreadable):
            typed_input.region(text)
    else:
        assert typed_input.region(text) == value


def test_it_evaluates_what_people_type_on_the_calculator(client):
    data = {"as_of": "2025/3/1", "enterprise.credit_code": "91630202MA7ABCDE1Y",
            "enterprise.sectors": ["cloud_computing"], "enterprise.activities": ["operation"],
            "project.code": "2406-630202-04-01-532198", "project.kind": "new", "project.category": "data_center",
            "project.region": "乐都区", "project.in_industrial_park": "yes", "project.standard_racks": "1,200",
            "project.equipment_investment_cny": "3.2亿", "project.completed_on": "2025-1-15"}
    html = client.post(reverse("calculator"), data).content.decode()
    m4 = element(html, id="r4")
    assert "人民币壹佰万元整" in m4 and "320,000,000.00" in m4
    assert "= ¥320,000,000.00 元" in element(html, data_field="project.equipment_investment_cny")


def test_it_says_what_it_could_not_read_with_an_example_and_keeps_the_rest(client):
    html = client.post(reverse("calculator"), {"project.code": "2406-630202-04-01-532198",
                                               "project.equipment_investment_cny": "3,2",
                                               "project.standard_racks": "很多"}).content.decode()
    money = element(html, data_field="project.equipment_investment_cny")
    assert "机架及算力设备实际投资额（元）无法识别（例如：3.2亿、32000万、320,000,000）" in money
    assert 'value="3,2"' in money
    assert "无法识别（例如：1200、1,200）" in element(html, data_field="project.standard_racks")
    assert 'value="2406-630202-04-01-532198"' in html


def test_it_keeps_the_api_strict(client):
    body = {"enterprise": {"credit_code": "91630202MA7ABCDE1Y", "sectors": ["cloud_computing"],
                           "activities": ["operation"]},
            "project": {"code": "2406-630202-04-01-532198", "equipment_investment_cny": "3.2亿"}}
    r = client.post("/api/v1/eligibility", json.dumps(body), content_type="application/json")
    assert r.status_code == 400 and r.json()["errors"][0]["field"] == "project.equipment_investment_cny"
