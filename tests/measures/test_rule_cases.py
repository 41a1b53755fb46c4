"""Table-driven rule cases: `rule_cases.json` facts → parse → evaluate → the DESIGN §4 response.

The expectations in the data file were written from DESIGN §2, §3 and §9, not copied from the
engine's output. Every case runs in both languages: codes and statuses must not depend on it.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from measures import regions
from measures.engine import evaluate
from measures.facts import parse_facts
from measures.rules import m06_tax_policy
from measures.serialize import evaluation
from measures.version import RULES_VERSION

CASES_FILE = Path(__file__).with_name("rule_cases.json")
CASES: list[dict[str, Any]] = json.loads(CASES_FILE.read_text(encoding="utf-8"))
BY_NAME = {case["name"]: case for case in CASES}
NAMES = list(BY_NAME)
LANGUAGES = ("zh-hans", "en")

STATUSES = {"eligible", "referred", "not_eligible", "needs_info", "not_applicable"}
CHECKS = {"passed", "failed", "missing"}
CASE_KEYS = {"name", "note", "facts", "already_granted", "recognized_investment", "expect"}
EXPECT_KEYS = {"in_force", "in_scope", "warnings", "total_amount_cny", "scope", "statuses", "all", "measures"}
MEASURE_KEYS = {"status", "amount_cny", "payer_kind", "payer_region", "missing", "missing_contains",
                "reasons", "reasons_absent"}
TIER_AMOUNTS = {"1000000.00", "2000000.00"}
POLICY = {"document": "东政办〔2024〕59号", "valid_from": "2024-07-01", "valid_to": "2029-06-30"}

# What each measure can answer for an in-scope enterprise in force (DESIGN §2 table and §9); any
# measure is also not_eligible (scope failed or not in force) and needs_info (scope needs_info).
OWN_STATUSES: dict[int, set[str]] = {
    **{n: {"eligible"} for n in (1, 2, 3, 10, 15, 16, 19, 20)},
    4: {"eligible", "not_eligible", "needs_info", "not_applicable"},
    5: {"referred"},
    6: {"referred"},
    **{n: {"referred", "not_applicable"} for n in (7, 9, 11, 13, 18)},  # 13, 18: DESIGN §10
    12: {"referred", "not_applicable", "needs_info"},
    **{n: {"eligible", "not_applicable"} for n in (8, 14, 17)},  # 17: only with a project (DESIGN §10)
}


@cache
def _response(name: str, lang: str) -> dict[str, Any]:
    case = BY_NAME[name]
    facts = parse_facts(case["facts"])
    recognized = case.get("recognized_investment")
    ev = evaluate(
        facts,
        facts.as_of,
        already_granted=case.get("already_granted"),
        recognized_investment=None if recognized is None else Decimal(recognized),
    )
    return evaluation(ev, lang)


def response(name: str, lang: str = "zh-hans") -> dict[str, Any]:
    # Cached per case and language; a copy, so no test can change what another one sees.
    return json.loads(json.dumps(_response(name, lang)))


def _measure_view(got: dict[str, Any], exp: dict[str, Any]) -> dict[str, Any]:
    """`got` reduced to the keys `exp` checks, shaped like `exp`, so a mismatch shows as a diff."""
    codes = {r["code"]: r["status"] for r in got["reasons"]}
    payer = got["payer"] or {}
    view: dict[str, Any] = {}
    for key, want in exp.items():
        if key == "status":
            view[key] = got["status"]
        elif key == "amount_cny":
            view[key] = got["amount_cny"]
        elif key == "payer_kind":
            view[key] = payer.get("kind", "<no payer>")
        elif key == "payer_region":
            view[key] = payer.get("region", "<no payer>")
        elif key == "missing":
            view[key] = sorted(got["missing"])
        elif key == "missing_contains":
            view[key] = [p for p in want if p in got["missing"]]
        elif key == "reasons":
            view[key] = {code: codes.get(code, "<absent>") for code in want}
        elif key == "reasons_absent":
            view[key] = [code for code in want if code not in codes]
    return view


def _expected_measure(exp: dict[str, Any]) -> dict[str, Any]:
    return {k: sorted(v) if k == "missing" else v for k, v in exp.items()}


def _statuses_in(expect: dict[str, Any]) -> set[tuple[int, str]]:
    found = set()
    for n, status in enumerate(expect.get("statuses", []), start=1):
        found.add((n, status))
    if "status" in expect.get("all", {}):
        found |= {(n, expect["all"]["status"]) for n in range(1, 21)}
    for n, exp in expect.get("measures", {}).items():
        if "status" in exp:
            found.add((int(n), exp["status"]))
    return found


# --- the data file itself --------------------------------------------------------------------------


def test_it_reads_well_formed_cases_with_unique_names() -> None:
    assert len(NAMES) == len(CASES), "case names must be unique"
    for case in CASES:
        name = case["name"]
        assert set(case) <= CASE_KEYS, name
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", case["facts"].get("as_of", "")), f"{name}: as_of required"
        assert case.get("already_granted", False) in (True, False), name
        expect = case["expect"]
        assert set(expect) <= EXPECT_KEYS, name
        assert expect.get("measures") or expect.get("all") or expect.get("statuses") or expect.get("scope"), name
        assert set(expect.get("statuses", [])) <= STATUSES and len(expect.get("statuses", [None] * 20)) == 20, name
        assert set(expect.get("scope", {}).values()) <= CHECKS, name
        for n, exp in [*expect.get("measures", {}).items(), ("all", expect.get("all", {}))]:
            assert n == "all" or 1 <= int(n) <= 20, name
            assert set(exp) <= MEASURE_KEYS, f"{name} #{n}"
            assert exp.get("status", "eligible") in STATUSES, f"{name} #{n}"
            assert set(exp.get("reasons", {}).values()) <= CHECKS, f"{name} #{n}"


def test_it_covers_every_status_each_measure_can_take() -> None:
    covered: set[tuple[int, str]] = set()
    for case in CASES:
        covered |= _statuses_in(case["expect"])
    required = {(n, s) for n, own in OWN_STATUSES.items() for s in own | {"not_eligible", "needs_info"}}
    assert sorted(required - covered) == []


def test_it_covers_every_haidong_region_for_registration_and_project() -> None:
    declared, from_code, project = set(), set(), set()
    for case in CASES:
        facts = case["facts"]
        enterprise = facts["enterprise"]
        declared.add(enterprise.get("registered_region"))
        if "registered_region" not in enterprise and "credit_code" in enterprise:
            from_code.add(enterprise["credit_code"][2:8])
        project.add((facts.get("project") or {}).get("region"))
    assert regions.HAIDONG_CODES - declared == set()
    assert regions.HAIDONG_CODES - from_code == set()
    assert regions.HAIDONG_CODES - project == set()
    assert project - regions.HAIDONG_CODES - {None}, "a project outside Haidong"
    assert declared - regions.HAIDONG_CODES - {None}, "a registration outside Haidong"


def test_it_covers_the_boundaries_on_both_sides() -> None:
    investments = {str((c["facts"].get("project") or {}).get("equipment_investment_cny")) for c in CASES}
    investments |= {c["recognized_investment"] for c in CASES if "recognized_investment" in c}
    assert {"99999999.99", "100000000.00", "100000000.01", "499999999.99", "500000000.00",
            "500000000.01"} <= investments
    dates = {c["facts"]["as_of"] for c in CASES}
    assert {"2024-06-30", "2024-07-01", "2029-06-30", "2029-07-01"} <= dates
    completed = {(c["facts"].get("project") or {}).get("completed_on") for c in CASES}
    assert {"2024-06-30", "2024-07-01"} <= completed
    prefixes = {c["facts"]["enterprise"].get("credit_code", "")[:2] for c in CASES}
    assert {"91", "92", "93", "11"} <= prefixes


# --- every case -------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_it_evaluates_the_case_as_expected(name: str) -> None:
    expect = BY_NAME[name]["expect"]
    got = response(name)
    measures = {str(m["number"]): m for m in got["measures"]}
    actual: dict[str, Any] = {}
    expected: dict[str, Any] = {}
    for key in ("in_force", "in_scope", "total_amount_cny"):
        if key in expect:
            actual[key], expected[key] = got[key], expect[key]
    if "warnings" in expect:
        actual["warnings"] = sorted(w["code"] for w in got["warnings"])
        expected["warnings"] = sorted(expect["warnings"])
    if "scope" in expect:
        codes = {r["code"]: r["status"] for r in got["scope"]}
        actual["scope"] = {code: codes.get(code, "<absent>") for code in expect["scope"]}
        expected["scope"] = expect["scope"]
    if "statuses" in expect:
        actual["statuses"] = [m["status"] for m in got["measures"]]
        expected["statuses"] = expect["statuses"]
    if "all" in expect:
        actual["all"] = {n: _measure_view(m, expect["all"]) for n, m in measures.items()}
        expected["all"] = {n: _expected_measure(expect["all"]) for n in measures}
    if "measures" in expect:
        actual["measures"] = {n: _measure_view(measures[n], exp) for n, exp in expect["measures"].items()}
        expected["measures"] = {n: _expected_measure(exp) for n, exp in expect["measures"].items()}
    assert actual == expected


@pytest.mark.parametrize("name", NAMES)
def test_it_answers_the_same_codes_and_statuses_in_both_languages(name: str) -> None:
    def codes_only(resp: dict[str, Any]) -> dict[str, Any]:
        resp = json.loads(json.dumps(resp))
        for item in [*resp["scope"], *resp["warnings"], *(r for m in resp["measures"] for r in m["reasons"])]:
            item.pop("message")
        for m in resp["measures"]:
            if m["payer"]:
                m["payer"].pop("name")
        return resp

    zh, en = response(name, "zh-hans"), response(name, "en")
    assert codes_only(zh) == codes_only(en)
    for resp in (zh, en):
        items = [*resp["scope"], *resp["warnings"], *(r for m in resp["measures"] for r in m["reasons"])]
        for item in items:
            assert item["message"].strip(), item["code"]
            assert "{" not in item["message"] and "}" not in item["message"], item["message"]
        for m in resp["measures"]:
            if m["payer"]:
                assert m["payer"]["name"].strip()
    zh_texts = [r["message"] for m in zh["measures"] for r in m["reasons"]]
    en_texts = [r["message"] for m in en["measures"] for r in m["reasons"]]
    assert all(a != b for a, b in zip(zh_texts, en_texts, strict=True)), "messages follow the language"


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("name", NAMES)
def test_it_keeps_the_response_contract(name: str, lang: str) -> None:
    got = response(name, lang)
    assert got["policy"] == POLICY
    assert got["rules_version"] == RULES_VERSION
    assert got["as_of"] == BY_NAME[name]["facts"]["as_of"]
    assert [m["number"] for m in got["measures"]] == list(range(1, 21))
    granted = Decimal("0.00")
    for m in got["measures"]:
        assert m["status"] in STATUSES
        assert len(m["missing"]) == len(set(m["missing"])), m["number"]
        if m["status"] == "needs_info":
            assert m["missing"], f"#{m['number']} needs_info must name the missing fields"
        assert m["reasons"], m["number"]
        # A rate laid down elsewhere cites its own source (#6: DESIGN §10), never a clause it is not in.
        own_sources = set(m06_tax_policy.SOURCES.values()) if m["number"] == 6 else set()
        for r in m["reasons"]:
            assert r["clause"] in {f"第{m['number']}条", "第七部分", *own_sources}, r
            assert r["passed"] == {"passed": True, "failed": False, "missing": None}[r["status"]], r
            assert r["basis"] in ("text", "reading"), r
        for p in m["parameters"]:
            assert set(p) == {"name", "value", "valid_from", "unit", "reference"} and p["reference"], p
        for change in m["what_if"]:
            assert set(change) == {"field", "value", "status", "amount_cny"}, change
            assert change["status"] in ("eligible", "referred"), change
        if m["number"] == 4 and m["status"] == "eligible":
            assert m["amount_cny"] in TIER_AMOUNTS
            assert m["payer"] is not None
            if m["payer"]["kind"] == "park_committee":
                assert m["payer"]["region"] is None
            else:
                assert m["payer"]["kind"] == "county_finance"
                assert m["payer"]["region"] in regions.COUNTIES
            granted += Decimal(m["amount_cny"])
        else:
            assert m["amount_cny"] is None, m["number"]
            assert m["payer"] is None, m["number"]
    assert got["total_amount_cny"] == f"{granted:.2f}"
    statuses = {m["status"] for m in got["measures"]}
    if not got["in_force"] or got["in_scope"] is False:
        assert statuses == {"not_eligible"}
    elif got["in_scope"] is None:
        assert statuses == {"needs_info"}
