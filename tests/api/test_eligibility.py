"""POST /api/v1/eligibility beyond the contract cases: shape, language, headers, bad bodies,
throttling. DESIGN §4 and §9."""

import copy
import datetime as dt
import json
from unittest import mock

import pytest
from django.conf import settings
from django.test import Client, override_settings
from django.utils import timezone

from eligibility.schemas import EligibilityOut
from kernel.schemas import ProblemOut
from measures.examples import EXAMPLE_FACTS
from measures.version import RULES_VERSION

URL = "/api/v1/eligibility"


def post(client, body, **headers):
    data = body if isinstance(body, bytes | str) else json.dumps(body)
    return client.post(URL, data, content_type="application/json", headers=headers)


def assert_problem(r, status, field=None, code=None):
    assert r.status_code == status, r.content
    assert r["Content-Type"] == "application/problem+json"
    problem = ProblemOut.model_validate(r.json())
    assert problem.status == status
    if field:
        errors = {(e.field, e.code) for e in problem.errors}
        assert (field, code) in errors, errors
    return problem


def test_it_answers_in_the_documented_shape(client):
    r = post(client, EXAMPLE_FACTS)
    assert r.status_code == 200
    out = EligibilityOut.model_validate(r.json())
    assert [m.number for m in out.measures] == list(range(1, 21))
    m4 = out.measures[3]
    assert (m4.status, m4.amount_cny, m4.payer.kind, m4.payer.region) == ("eligible", "1000000.00", "park_committee", None)
    assert out.total_amount_cny == "1000000.00"
    assert out.policy.document == "东政办〔2024〕59号"
    assert all(m.amount_cny is None and m.payer is None for m in out.measures if m.number != 4)


def test_it_sends_the_rules_version_in_body_and_header(client):
    r = post(client, EXAMPLE_FACTS)
    assert r["X-Rules-Version"] == r.json()["rules_version"] == RULES_VERSION


def test_it_writes_messages_in_the_requested_language_with_the_same_codes(client):
    zh = post(client, EXAMPLE_FACTS).json()
    en = post(client, EXAMPLE_FACTS, accept_language="en").json()
    assert zh["measures"][3]["reasons"][0]["message"] != en["measures"][3]["reasons"][0]["message"]
    assert "项目" in zh["measures"][3]["reasons"][0]["message"]
    assert "category" in en["measures"][3]["reasons"][0]["message"]

    def codes(body):
        return [(m["status"], [r["code"] for r in m["reasons"]], m["missing"]) for m in body["measures"]]

    assert codes(zh) == codes(en)


def test_it_defaults_to_chinese_for_other_languages(client):
    body = post(client, EXAMPLE_FACTS, accept_language="fr-FR, de;q=0.8").json()
    assert "注册地" in body["scope"][0]["message"]


def test_it_works_with_a_trailing_slash_without_redirecting(client):
    r = client.post(URL + "/", json.dumps(EXAMPLE_FACTS), content_type="application/json")
    assert r.status_code == 200
    assert r.json()["measures"][3]["status"] == "eligible"


def test_it_defaults_as_of_to_today_in_shanghai(client):
    facts = copy.deepcopy(EXAMPLE_FACTS)
    del facts["as_of"]
    # 17:30 UTC on 1 March is already 2 March in Asia/Shanghai.
    frozen = dt.datetime(2025, 3, 1, 17, 30, tzinfo=dt.UTC)
    with mock.patch.object(timezone, "now", return_value=frozen):
        body = post(client, facts).json()
    assert body["as_of"] == "2025-03-02"


def test_it_warns_that_anonymous_answers_do_not_check_the_one_time_rule(client):
    body = post(client, EXAMPLE_FACTS).json()
    assert [w["code"] for w in body["warnings"]] == ["one_time_not_checked"]


@pytest.mark.parametrize(
    ("body", "code"),
    [
        (b"[1, 2]", "not_an_object"),
        (b'"text"', "not_an_object"),
        (b"null", "not_an_object"),
        (b"{not json", "invalid_json"),
        (b"", "invalid_json"),
        (b"\xff\xfe\x00", "invalid_json"),
        (b"[" * 100_000, "invalid_json"),
        (b'{"n": ' + b"9" * 5000 + b"}", "invalid_json"),
    ],
    ids=["list", "string", "null", "broken", "empty", "not-utf8", "deep-nesting", "huge-int"],
)
def test_it_rejects_a_body_that_is_not_a_json_object(client, body, code):
    assert_problem(post(client, body), 400, "body", code)


def test_it_rejects_a_form_encoded_body_as_json(client):
    r = client.post(URL, {"enterprise": "x"})  # multipart form
    assert_problem(r, 400, "body", "invalid_json")


@pytest.mark.parametrize(
    ("path", "value", "field", "code"),
    [
        (("enterprise", "credit_code"), "91630202MA7ABCDE10", "enterprise.credit_code", "invalid_checksum"),
        (("enterprise", "credit_code"), "9163", "enterprise.credit_code", "invalid_format"),
        (("enterprise", "registered_region"), "63020", "enterprise.registered_region", "invalid_format"),
        (("enterprise", "sectors"), ["mining"], "enterprise.sectors.0", "invalid_choice"),
        (("enterprise", "activities"), "operation", "enterprise.activities", "invalid_type"),
        (("enterprise", "qualifications"), ["nobel"], "enterprise.qualifications.0", "invalid_choice"),
        (("enterprise", "nickname"), "x", "enterprise.nickname", "unknown_field"),
        (("project", "code"), "2406630202", "project.code", "invalid_format"),
        (("project", "kind"), "rebuild", "project.kind", "invalid_choice"),
        (("project", "in_industrial_park"), "yes", "project.in_industrial_park", "invalid_type"),
        (("project", "standard_racks"), -1, "project.standard_racks", "out_of_range"),
        (("project", "standard_racks"), 1.5, "project.standard_racks", "invalid_type"),
        (("project", "equipment_investment_cny"), 320000000.5, "project.equipment_investment_cny", "invalid_type"),
        (("project", "equipment_investment_cny"), "1e8", "project.equipment_investment_cny", "invalid_format"),
        (("project", "equipment_investment_cny"), "1,000", "project.equipment_investment_cny", "invalid_format"),
        (("project", "equipment_investment_cny"), "-1", "project.equipment_investment_cny", "negative"),
        (("project", "equipment_investment_cny"), "1.001", "project.equipment_investment_cny", "too_many_decimals"),
        (("project", "equipment_investment_cny"), "10000000000000", "project.equipment_investment_cny", "too_large"),
        (("project", "equipment_investment_cny"), True, "project.equipment_investment_cny", "invalid_type"),
        (("project", "completed_on"), "2025-02-30", "project.completed_on", "invalid_date"),
        (("project", "completed_on"), "2025/01/15", "project.completed_on", "invalid_format"),
        (("project", "completed_on"), 1736899200, "project.completed_on", "invalid_type"),
        (("circumstances", "ai_model_training"), "gpt", "circumstances.ai_model_training", "invalid_choice"),
        (("circumstances", "high_level_talents"), "3", "circumstances.high_level_talents", "invalid_type"),
        (("as_of",), "yesterday", "as_of", "invalid_format"),
        (("surprise",), 1, "surprise", "unknown_field"),
    ],
)
def test_it_names_the_bad_field(client, path, value, field, code):
    facts = copy.deepcopy(EXAMPLE_FACTS)
    target = facts
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    problem = assert_problem(post(client, facts), 400, field, code)
    assert all(e.message for e in problem.errors)


def test_it_lists_one_error_per_bad_field(client):
    facts = copy.deepcopy(EXAMPLE_FACTS)
    facts["enterprise"]["credit_code"] = "91630202MA7ABCDE10"
    facts["project"]["equipment_investment_cny"] = "-5"
    facts["project"]["kind"] = "rebuild"
    problem = assert_problem(post(client, facts), 400)
    assert sorted(e.field for e in problem.errors) == [
        "enterprise.credit_code", "project.equipment_investment_cny", "project.kind"]


def test_it_requires_the_project_code_when_a_project_is_given(client):
    facts = copy.deepcopy(EXAMPLE_FACTS)
    del facts["project"]["code"]
    assert_problem(post(client, facts), 400, "project.code", "required")


def test_it_writes_error_messages_in_the_requested_language(client):
    facts = copy.deepcopy(EXAMPLE_FACTS)
    facts["enterprise"]["credit_code"] = "91630202MA7ABCDE10"
    zh = post(client, facts).json()["errors"][0]["message"]
    en = post(client, facts, accept_language="en").json()["errors"][0]["message"]
    assert "统一社会信用代码" in zh
    assert "credit code" in en


def test_it_treats_absence_as_needs_info_not_as_an_error(client):
    r = post(client, {"as_of": "2025-03-01", "enterprise": {}})
    body = r.json()
    assert r.status_code == 200
    assert body["in_scope"] is None
    assert {m["status"] for m in body["measures"]} == {"needs_info"}
    assert "enterprise.sectors" in body["measures"][0]["missing"]


def test_it_refuses_other_methods_as_problem_json(client):
    assert_problem(client.get(URL), 405)


def rates(anon: str):
    """The project's REST_FRAMEWORK settings with only the anonymous eligibility rate changed."""
    changed = {**settings.REST_FRAMEWORK}
    changed["DEFAULT_THROTTLE_RATES"] = {**changed["DEFAULT_THROTTLE_RATES"], "eligibility_anon": anon}
    return override_settings(REST_FRAMEWORK=changed)


def test_it_throttles_anonymous_use_at_120_a_minute_by_default():
    assert settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["eligibility_anon"] == "120/min"


@rates("3/min")
def test_it_throttles_anonymous_clients_with_a_429_problem(client):
    for _ in range(3):
        assert post(client, EXAMPLE_FACTS).status_code == 200
    r = post(client, EXAMPLE_FACTS)
    assert_problem(r, 429)
    assert int(r["Retry-After"]) > 0


@rates("2/min")
def test_it_does_not_let_a_client_dodge_the_throttle_with_x_forwarded_for(client):
    codes = [post(client, EXAMPLE_FACTS, x_forwarded_for=f"198.51.100.{i}").status_code for i in range(3)]
    assert codes == [200, 200, 429]


def test_it_throttles_each_client_address_separately(client):
    with rates("1/min"):
        first = client.post(URL, json.dumps(EXAMPLE_FACTS), content_type="application/json", REMOTE_ADDR="192.0.2.1")
        other = client.post(URL, json.dumps(EXAMPLE_FACTS), content_type="application/json", REMOTE_ADDR="192.0.2.2")
        again = client.post(URL, json.dumps(EXAMPLE_FACTS), content_type="application/json", REMOTE_ADDR="192.0.2.1")
    assert (first.status_code, other.status_code, again.status_code) == (200, 200, 429)


def test_it_answers_unknown_api_paths_with_a_problem_whatever_the_method():
    strict = Client(enforce_csrf_checks=True)
    assert_problem(strict.get("/api/v1/nothing-here"), 404)
    for method in ("post", "put", "patch", "delete"):
        assert_problem(getattr(strict, method)("/api/v1/nothing-here", "{}", content_type="application/json"), 404)
    assert_problem(strict.post(URL + "//", "{}", content_type="application/json"), 404)


def test_it_answers_a_bad_host_with_a_problem(client):
    assert_problem(post(client, EXAMPLE_FACTS, host="evil.example"), 400)


def test_it_ignores_a_language_the_client_refuses(client):
    body = post(client, EXAMPLE_FACTS, accept_language="en;q=0, fr").json()
    assert "注册地" in body["scope"][0]["message"]


def test_it_names_an_unknown_nested_field_by_its_own_name(client):
    facts = copy.deepcopy(EXAMPLE_FACTS)
    facts["project"]["foo"] = 1
    problem = assert_problem(post(client, facts, accept_language="en"), 400, "project.foo", "unknown_field")
    assert "foo" in problem.errors[0].message


def test_it_answers_an_empty_object_with_the_facts_it_needs(client):
    r = post(client, {"as_of": "2025-03-01"})
    assert r.status_code == 200
    body = r.json()
    assert body["in_scope"] is None
    assert {"enterprise.sectors", "enterprise.activities"} <= set(body["measures"][0]["missing"])
