"""The public eligibility contract cases (copied from the shared acceptance set as data), run
through the API with the same comparisons as the black-box checker."""

import json
from decimal import Decimal
from pathlib import Path

import pytest

CASES = json.loads((Path(__file__).with_name("eligibility_cases.json")).read_text(encoding="utf-8"))


def money(value):
    return None if value is None else Decimal(str(value))


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_it_meets_the_contract_case(client, case):
    r = client.post("/api/v1/eligibility", json.dumps(case["request"]), content_type="application/json")
    expect = case["expect"]
    assert r.status_code == expect["http"], r.content
    body = r.json()
    if r.status_code == 400:
        assert r["Content-Type"] == "application/problem+json"
        fields = [e["field"] for e in body["errors"]]
        for want in expect.get("error_fields", []):
            assert any(f == want or f.startswith(want + ".") for f in fields), fields
        return
    measures = body["measures"]
    assert [m["number"] for m in measures] == list(range(1, 21))
    if "in_scope" in expect:
        assert body["in_scope"] == expect["in_scope"]
    if "all_status" in expect:
        assert {m["status"] for m in measures} == {expect["all_status"]}
    for number, want in expect.get("measures", {}).items():
        got = measures[int(number) - 1]
        assert got["status"] == want["status"]
        assert money(got["amount_cny"]) == money(want.get("amount_cny"))
        if "payer_kind" in want:
            assert got["payer"]["kind"] == want["payer_kind"]
            assert got["payer"]["region"] == want.get("payer_region")
        for path in want.get("missing_contains", []):
            assert path in got["missing"]
        for step in want.get("what_if_contains", []):  # DESIGN §10
            assert any(same_step(step, w) for w in got["what_if"]), (step, got["what_if"])
        if want.get("parameters_traced"):
            assert got["parameters"] and all({"name", "value", "valid_from", "reference"} <= p.keys()
                                             for p in got["parameters"])
    if expect.get("basis_everywhere"):
        reasons = [r for m in measures for r in m["reasons"]] + body["scope"]
        assert reasons and all(r["basis"] in ("text", "reading") for r in reasons)


def same_step(want: dict, got: dict) -> bool:
    if got["field"] != want["field"]:
        return False
    for key in ("value", "amount_cny"):
        if key in want and Decimal(str(want[key])) != Decimal(str(got[key])):
            return False
    return "status" not in want or got["status"] == want["status"]
