"""`what_if`, `basis` and `parameters` on every measure outcome (DESIGN §10), table-driven around the
§4 example, with the boundary pairs of 第4条."""

from __future__ import annotations

import copy
import datetime as dt

import pytest

from measures import serialize
from measures.engine import evaluate
from measures.examples import EXAMPLE_FACTS
from measures.facts import parse_facts

AS_OF = dt.date(2025, 3, 1)
INVESTMENT = "project.equipment_investment_cny"


def answer(lang: str = "zh-hans", **changes) -> dict:
    facts = copy.deepcopy(EXAMPLE_FACTS)
    for path, value in changes.items():
        group, name = path.split("__")
        if value is None:
            facts[group].pop(name, None)
        else:
            facts.setdefault(group, {})[name] = value
    return serialize.evaluation(evaluate(parse_facts(facts), AS_OF), lang)


def measure(resp: dict, number: int) -> dict:
    return resp["measures"][number - 1]


@pytest.mark.parametrize(("investment", "expected"), [
    ("80000000.00", [{"field": INVESTMENT, "value": "100000000.00", "status": "eligible", "amount_cny": "1000000.00"}]),
    ("99999999.99", [{"field": INVESTMENT, "value": "100000000.00", "status": "eligible", "amount_cny": "1000000.00"}]),
    ("100000000.00", [{"field": INVESTMENT, "value": "500000000.01", "status": "eligible", "amount_cny": "2000000.00"}]),
    ("320000000.00", [{"field": INVESTMENT, "value": "500000000.01", "status": "eligible", "amount_cny": "2000000.00"}]),
    ("500000000.00", [{"field": INVESTMENT, "value": "500000000.01", "status": "eligible", "amount_cny": "2000000.00"}]),
    ("500000000.01", []),
    ("600000000.00", []),
], ids=["0.8亿", "1亿-0.01", "1亿", "3.2亿", "5亿", "5亿+0.01", "6亿"])
def test_it_shows_the_next_tier_of_article_4(investment, expected):
    assert measure(answer(project__equipment_investment_cny=investment), 4)["what_if"] == expected


def test_it_shows_the_first_rack_of_a_data_centre_with_none():
    assert measure(answer(project__standard_racks=0), 4)["what_if"] == [
        {"field": "project.standard_racks", "value": 1, "status": "eligible", "amount_cny": "1000000.00"}]


@pytest.mark.parametrize(("changes", "why"), [
    ({"project__completed_on": "2025-06-01"}, "not yet built: a date"),
    ({"project__completed_on": "2024-06-30"}, "built before the measures: a date"),
    ({"project__region": "110105"}, "outside Haidong: a region"),
    ({"project__kind": "renovation"}, "改建: the project's kind"),
    ({"enterprise__registered_region": "110105", "enterprise__credit_code": None}, "out of scope"),
])
def test_it_offers_nothing_the_enterprise_cannot_change(changes, why):
    resp = answer(project__equipment_investment_cny="80000000.00", **changes)
    assert measure(resp, 4)["status"] == "not_eligible"
    assert measure(resp, 4)["what_if"] == [], why


def test_it_offers_nothing_when_the_policy_is_not_in_force():
    facts = copy.deepcopy(EXAMPLE_FACTS)
    resp = serialize.evaluation(evaluate(parse_facts(facts), dt.date(2029, 7, 1)), "zh-hans")
    assert all(m["what_if"] == [] for m in resp["measures"])


@pytest.mark.parametrize(("number", "field", "value", "status"), [
    (7, "circumstances.research_achievement", True, "referred"),
    (8, "circumstances.needs_land", True, "eligible"),
    (9, "circumstances.leases_standard_factory", True, "referred"),
    (13, "circumstances.high_level_talents", 1, "referred"),
    (14, "circumstances.joint_training", True, "eligible"),
    (18, "circumstances.seeks_financing", True, "referred"),
])
def test_it_names_the_circumstance_that_raises_a_measure(number, field, value, status):
    resp = answer()
    assert measure(resp, number)["status"] == "not_applicable"
    assert measure(resp, number)["what_if"] == [{"field": field, "value": value, "status": status, "amount_cny": None}]
    declared = answer(**{field.replace(".", "__"): value})
    assert measure(declared, number)["status"] == status and measure(declared, number)["what_if"] == []


def test_it_marks_the_services_readings_and_the_texts_words():
    m4 = {r["code"]: r["basis"] for r in measure(answer(), 4)["reasons"]}
    assert m4["built_within_period"] == m4["standard_racks"] == m4["investment_tier"] == "reading"
    assert m4["project_category"] == m4["project_kind"] == m4["provincial_funds"] == "text"
    city = {r["code"]: r["basis"] for r in measure(answer(project__region="630200"), 4)["reasons"]}
    assert city["project_in_haidong"] == "reading"
    assert {r["basis"] for n in (1, 2, 3, 19, 20) for r in measure(answer(), n)["reasons"]} == {"text"}


def test_it_lists_the_dated_parameters_each_rule_read():
    m4 = measure(answer(), 4)["parameters"]
    tiers = next(p for p in m4 if p["name"] == "m04.tiers")
    assert tiers == {"name": "m04.tiers", "valid_from": "2024-07-01", "unit": "CNY", "reference": "第4条",
                     "value": [{"lower": "100000000.00", "lower_inclusive": True, "amount": "1000000.00"},
                               {"lower": "500000000.00", "lower_inclusive": False, "amount": "2000000.00"}]}
    assert {"m04.rack_power_kw", "m04.built_not_before", "regions.haidong"} <= {p["name"] for p in m4}
    assert [p["name"] for p in measure(answer(), 1)["parameters"]] == ["m01.green_power_share_percent"]
    assert measure(answer(), 15)["parameters"] == []


@pytest.mark.parametrize("lang", ["zh-hans", "en"])
def test_it_promises_no_personal_guarantee_for_industry_commitments(lang):
    resp = answer(lang)
    texts = " ".join(r["message"] for n in (1, 2, 3, 19, 20) for r in measure(resp, n)["reasons"])
    if lang == "en":
        assert "industry" in texts and "you are guaranteed" not in texts
    else:
        assert "绿色算力产业用电享受" not in texts and "本市为绿色算力产业提供" in texts


def test_it_never_marks_a_denial_as_passed():
    no_project = copy.deepcopy(EXAMPLE_FACTS)
    del no_project["project"]
    without = serialize.evaluation(evaluate(parse_facts(no_project), AS_OF), "zh-hans")
    for resp in (answer(), answer(circumstances__green_data_center=False), without):
        for m in resp["measures"]:
            for r in m["reasons"]:
                if r["passed"]:
                    assert not any(word in r["message"] for word in ("不适用", "未申报", "不属于", "低于")), r
