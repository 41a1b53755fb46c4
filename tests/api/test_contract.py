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
