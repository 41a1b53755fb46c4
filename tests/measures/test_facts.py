"""Validation of the facts (DESIGN §4, §9): a wrong value names its dotted field and a stable code;
absence is not an error (except the project's code)."""

from __future__ import annotations

import copy
import datetime as dt
import json
from decimal import Decimal
from typing import Any

import pytest

from measures.examples import EXAMPLE_FACTS
from measures.facts import (
    CREDIT_CODE_CHARS,
    CREDIT_CODE_WEIGHTS,
    FactsError,
    credit_code_check_char,
    parse_facts,
)

VALID = EXAMPLE_FACTS

_DROP = object()


def with_value(path: str, value: Any) -> dict[str, Any]:
    """The valid facts with one dotted path set (or dropped with `_DROP`)."""
    data = copy.deepcopy(VALID)
    *parents, leaf = path.split(".")
    node: Any = data
    for key in parents:
        node = node[int(key)] if isinstance(node, list) else node[key]
    if value is _DROP:
        del node[leaf]
    elif isinstance(node, list):
        node[int(leaf)] = value
    else:
        node[leaf] = value
    return data


def errors_of(data: Any) -> list[dict[str, str]]:
    with pytest.raises(FactsError) as caught:
        parse_facts(data)
    return caught.value.errors


def valid_code(first17: str) -> str:
    return first17 + credit_code_check_char(first17)


def test_it_accepts_the_design_example() -> None:
    facts = parse_facts(VALID)
    assert facts.as_of == dt.date(2025, 3, 1)
    assert facts.project is not None
    assert facts.project.equipment_investment_cny == Decimal("320000000.00")


BAD_VALUES = [
    # credit code (GB 32100-2015)
    ("enterprise.credit_code", "91630202MA7ABCDE10", "invalid_checksum"),
    ("enterprise.credit_code", "91630202MA7ABCDE1X", "invalid_checksum"),
    ("enterprise.credit_code", "91630202MA7ABCDE1", "invalid_format"),
    ("enterprise.credit_code", "91630202MA7ABCDE1YY", "invalid_format"),
    ("enterprise.credit_code", "", "invalid_format"),
    ("enterprise.credit_code", "91630202MA7ABCDI1Y", "invalid_format"),  # I is not in the alphabet
    ("enterprise.credit_code", "91630202MA7ABCDO1Y", "invalid_format"),  # nor O
    ("enterprise.credit_code", "91630202MA7ABCDS1Y", "invalid_format"),  # nor S
    ("enterprise.credit_code", "9163O202MA7ABCDE1Y", "invalid_format"),  # region digits only
    ("enterprise.credit_code", "91-630202-MA7ABCDE", "invalid_format"),
    ("enterprise.credit_code", 916302021234567890, "invalid_type"),
    # division code
    ("enterprise.registered_region", "63020", "invalid_format"),
    ("enterprise.registered_region", "6302021", "invalid_format"),
    ("enterprise.registered_region", "63020A", "invalid_format"),
    ("enterprise.registered_region", 630202, "invalid_type"),
    ("project.region", "乐都区", "invalid_format"),
    # project code (投资项目统一代码)
    ("project.code", "2406-630202-04-01-53219", "invalid_format"),
    ("project.code", "2406630202040153219800", "invalid_format"),
    ("project.code", "2406-630202-04-01-53219X", "invalid_format"),
    ("project.code", "24-06-630202-04-01-532198", "invalid_format"),
    ("project.code", 2406630202, "invalid_type"),
    # money
    ("project.equipment_investment_cny", 320000000.5, "invalid_type"),
    ("project.equipment_investment_cny", 320000000.0, "invalid_type"),
    ("project.equipment_investment_cny", "3.2e8", "invalid_format"),
    ("project.equipment_investment_cny", "1E8", "invalid_format"),
    ("project.equipment_investment_cny", -1, "negative"),
    ("project.equipment_investment_cny", "-100000000.00", "negative"),
    ("project.equipment_investment_cny", "+100000000.00", "invalid_format"),
    ("project.equipment_investment_cny", "1,000", "invalid_format"),
    ("project.equipment_investment_cny", "100 000 000", "invalid_format"),
    ("project.equipment_investment_cny", "100000000.001", "too_many_decimals"),
    ("project.equipment_investment_cny", "0.125", "too_many_decimals"),
    ("project.equipment_investment_cny", "100.", "invalid_format"),
    ("project.equipment_investment_cny", ".50", "invalid_format"),
    ("project.equipment_investment_cny", "", "invalid_format"),
    ("project.equipment_investment_cny", "¥100", "invalid_format"),
    ("project.equipment_investment_cny", "10000000000000", "too_large"),
    ("project.equipment_investment_cny", "10000000000000.00", "too_large"),
    ("project.equipment_investment_cny", 10**13, "too_large"),
    ("project.equipment_investment_cny", True, "invalid_type"),
    ("project.equipment_investment_cny", False, "invalid_type"),
    ("project.equipment_investment_cny", ["100"], "invalid_type"),
    # enums
    ("enterprise.sectors.0", "cloud", "invalid_choice"),
    ("enterprise.sectors.1", "Cloud_Computing", "invalid_choice"),
    ("enterprise.activities.0", "sales", "invalid_choice"),
    ("enterprise.qualifications.0", "unicorn", "invalid_choice"),
    ("project.kind", "rebuild", "invalid_choice"),
    ("project.category", "office", "invalid_choice"),
    ("circumstances.ai_model_training", "gpt", "invalid_choice"),
    ("enterprise.sectors", "cloud_computing", "invalid_type"),
    # dates
    ("as_of", "2025-02-30", "invalid_date"),
    ("as_of", "2025-13-01", "invalid_date"),
    ("as_of", "2025/03/01", "invalid_format"),
    ("as_of", "2025-3-1", "invalid_format"),
    ("as_of", "2025-03-01T00:00:00", "invalid_format"),
    ("as_of", 20250301, "invalid_type"),
    ("project.completed_on", "2025-02-29", "invalid_date"),
    ("project.completed_on", "15/01/2025", "invalid_format"),
    ("project.completed_on", 1736899200, "invalid_type"),
    # booleans
    ("project.in_industrial_park", "true", "invalid_type"),
    ("project.in_industrial_park", 1, "invalid_type"),
    ("circumstances.scheduling_pilot", "yes", "invalid_type"),
    ("circumstances.green_data_center", 0, "invalid_type"),
    ("circumstances.research_achievement", "false", "invalid_type"),
    ("circumstances.joint_training", 1, "invalid_type"),
    ("circumstances.needs_land", "no", "invalid_type"),
    ("circumstances.leases_standard_factory", [], "invalid_type"),
    ("circumstances.seeks_financing", 1.0, "invalid_type"),
    # counts and quantities
    ("project.standard_racks", -1, "out_of_range"),
    ("project.standard_racks", 1.5, "invalid_type"),
    ("project.standard_racks", "1200", "invalid_type"),
    ("project.standard_racks", True, "invalid_type"),
    ("circumstances.high_level_talents", -3, "out_of_range"),
    ("circumstances.scheduled_compute_pflops", "-1", "negative"),
    ("circumstances.scheduled_compute_pflops", "1.2345", "too_many_decimals"),
    ("circumstances.scheduled_compute_pflops", 2.5, "invalid_type"),
    # names
    ("enterprise.name", "", "blank"),
    ("enterprise.name", "企" * 201, "too_long"),
    # objects
    ("enterprise", [], "invalid_type"),
    ("enterprise", "青海示例", "invalid_type"),
    ("project", "2406-630202-04-01-532198", "invalid_type"),
    ("circumstances", [], "invalid_type"),
]


@pytest.mark.parametrize(("field", "value", "code"), BAD_VALUES, ids=[f"{f}={v!r}"[:60] for f, v, _ in BAD_VALUES])
def test_it_names_the_bad_field_with_its_code(field: str, value: Any, code: str) -> None:
    assert errors_of(with_value(field, value)) == [{"field": field, "code": code}]


@pytest.mark.parametrize("parent", ["", "enterprise.", "project.", "circumstances."])
def test_it_refuses_unknown_fields_at_each_level(parent: str) -> None:
    assert errors_of(with_value(f"{parent}colour", "blue")) == [{"field": f"{parent}colour", "code": "unknown_field"}]


def test_it_refuses_a_misspelt_field() -> None:
    data = with_value("project.standard_rack", 12)
    assert errors_of(data) == [{"field": "project.standard_rack", "code": "unknown_field"}]


@pytest.mark.parametrize("body", [[], [VALID], "facts", 1, None, True])
def test_it_refuses_a_body_that_is_not_an_object(body: Any) -> None:
    assert errors_of(body) == [{"field": "body", "code": "not_an_object"}]


def test_it_requires_the_project_code() -> None:
    assert errors_of(with_value("project.code", _DROP)) == [{"field": "project.code", "code": "required"}]


def test_it_requires_a_project_code_even_in_an_otherwise_empty_project() -> None:
    data = {"enterprise": {}, "project": {}}
    assert errors_of(data) == [{"field": "project.code", "code": "required"}]


def test_it_lists_every_bad_field_at_once() -> None:
    data = with_value("enterprise.credit_code", "91630202MA7ABCDE10")
    data["project"]["equipment_investment_cny"] = "1,000"
    data["enterprise"]["sectors"] = ["cloud_computing", "metaverse"]
    data["circumstances"]["typo"] = True
    errors = errors_of(data)
    assert sorted(errors, key=lambda e: e["field"]) == [
        {"field": "circumstances.typo", "code": "unknown_field"},
        {"field": "enterprise.credit_code", "code": "invalid_checksum"},
        {"field": "enterprise.sectors.1", "code": "invalid_choice"},
        {"field": "project.equipment_investment_cny", "code": "invalid_format"},
    ]


@pytest.mark.parametrize(
    ("given", "parsed"),
    [
        ("320000000.00", Decimal("320000000.00")),
        ("320000000", Decimal("320000000.00")),
        ("320000000.5", Decimal("320000000.50")),
        ("0", Decimal("0.00")),
        ("0.01", Decimal("0.01")),
        ("9999999999999.99", Decimal("9999999999999.99")),
        (320000000, Decimal("320000000.00")),
        (0, Decimal("0.00")),
        (9999999999999, Decimal("9999999999999.00")),
    ],
)
def test_it_reads_money_from_a_string_or_a_json_integer(given: Any, parsed: Decimal) -> None:
    facts = parse_facts(with_value("project.equipment_investment_cny", given))
    assert facts.project is not None
    assert facts.project.equipment_investment_cny == parsed
    assert str(facts.project.equipment_investment_cny) == f"{parsed:.2f}"


@pytest.mark.parametrize(("literal", "code"), [("1e8", "invalid_type"), ("100000000.50", "invalid_type"),
                                               ("-5", "negative"), ("100000000", None)])
def test_it_reads_json_numbers_as_a_client_sends_them(literal: str, code: str | None) -> None:
    # Through json.loads, as the API receives them: an exponent or a fraction arrives as a float.
    data = json.loads(json.dumps(VALID).replace('"320000000.00"', literal))
    if code is None:
        assert parse_facts(data).project.equipment_investment_cny == Decimal("100000000.00")  # type: ignore[union-attr]
    else:
        assert errors_of(data) == [{"field": "project.equipment_investment_cny", "code": code}]


def test_it_treats_absence_as_unknown_not_as_an_error() -> None:
    facts = parse_facts({"enterprise": {}, "project": {"code": "2406-630202-04-01-532198"}})
    assert facts.as_of is None
    assert facts.enterprise.credit_code is None and facts.enterprise.sectors is None
    assert facts.project is not None and facts.project.equipment_investment_cny is None
    assert facts.project.in_industrial_park is None
    assert facts.circumstances.ai_model_training == "none"
    assert facts.circumstances.scheduled_compute_pflops is None


def test_it_normalises_a_lowercase_credit_code() -> None:
    facts = parse_facts(with_value("enterprise.credit_code", " 91630202ma7abcde1y "))
    assert facts.enterprise.credit_code == "91630202MA7ABCDE1Y"


@pytest.mark.parametrize(
    "field",
    ["enterprise.credit_code", "enterprise.registered_region", "project.code", "project.equipment_investment_cny"],
)
def test_it_refuses_full_width_digits(field: str) -> None:
    value = {"enterprise.credit_code": "91６３０２０２MA7ABCDE1Y", "enterprise.registered_region": "６３０２０２", "project.code": "２４０６-630202-04-01-532198",
             "project.equipment_investment_cny": "１００００００００"}[field]
    assert errors_of(with_value(field, value)) == [{"field": field, "code": "invalid_format"}]


# --- the check character (GB 32100-2015) ---------------------------------------------------------

KNOWN_VALID = [
    "91630202MA7ABCDE1Y",  # DESIGN §4 example
    "91350100M000100Y43",  # GB 32100-2015 style sample widely used in documentation
    "9144030071526726XG",  # published codes of large enterprises
    "914403001922038216",
    "91330100799655058B",
    "91110000802100433B",
    "91310000717866186P",
]


@pytest.mark.parametrize("code", KNOWN_VALID)
def test_it_computes_the_check_character_of_known_codes(code: str) -> None:
    assert credit_code_check_char(code[:17]) == code[17]
    assert parse_facts(with_value("enterprise.credit_code", code)).enterprise.credit_code == code


def test_it_rejects_the_example_with_a_wrong_check_character() -> None:
    assert credit_code_check_char("91630202MA7ABCDE1") != "0"
    assert errors_of(with_value("enterprise.credit_code", "91630202MA7ABCDE10")) == [
        {"field": "enterprise.credit_code", "code": "invalid_checksum"}
    ]


def test_it_matches_the_standard_formula() -> None:
    # C18 = 31 - (Σ Ci·Wi mod 31), with 31 written as 0; the alphabet omits I, O, S, V, Z.
    assert CREDIT_CODE_CHARS == "0123456789ABCDEFGHJKLMNPQRTUWXY"
    design_weights = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)  # DESIGN §4
    assert design_weights == CREDIT_CODE_WEIGHTS
    assert design_weights == tuple(pow(3, i, 31) for i in range(17))
    first17 = "91630202MA7ABCDE1"
    total = sum(CREDIT_CODE_CHARS.index(c) * w for c, w in zip(first17, CREDIT_CODE_WEIGHTS, strict=True))
    assert credit_code_check_char(first17) == CREDIT_CODE_CHARS[(31 - total % 31) % 31] == "Y"


def test_it_detects_every_single_character_substitution() -> None:
    first17 = "91630202MA7ABCDE1"
    check = credit_code_check_char(first17)
    for i in range(17):
        alphabet = "0123456789" if 2 <= i < 8 else CREDIT_CODE_CHARS
        for c in alphabet:
            if c == first17[i]:
                continue
            changed = first17[:i] + c + first17[i + 1:]
            assert credit_code_check_char(changed) != check, (i, c)
            assert errors_of(with_value("enterprise.credit_code", changed + check)) == [
                {"field": "enterprise.credit_code", "code": "invalid_checksum"}
            ]


def test_it_can_produce_every_check_character() -> None:
    seen = {credit_code_check_char(f"9163020200000{n:04d}") for n in range(200)}
    assert seen == set(CREDIT_CODE_CHARS)
    assert valid_code("91630202MA7ABCDE1") == "91630202MA7ABCDE1Y"


@pytest.mark.parametrize("first17", ["91630202MA7ABCDE", "91630202MA7ABCDE12", "91630202MA7ABCDEI", ""])
def test_it_refuses_to_compute_a_check_character_for_what_is_not_17_code_characters(first17: str) -> None:
    with pytest.raises(ValueError, match="first 17 characters"):
        credit_code_check_char(first17)
