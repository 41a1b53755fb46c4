from decimal import Decimal

import pytest

from measures.rmb import rmb_capitals

CASES = [
    ("1000000.00", "人民币壹佰万元整"),
    ("2000000.00", "人民币贰佰万元整"),
    ("1409.50", "人民币壹仟肆佰零玖元伍角"),
    ("6007.14", "人民币陆仟零柒元壹角肆分"),
    ("107000.53", "人民币壹拾万柒仟元伍角叁分"),
    ("325.04", "人民币叁佰贰拾伍元零肆分"),
    ("100000000.00", "人民币壹亿元整"),
    ("0.05", "人民币伍分"),
    ("0", "人民币零元整"),
    ("0.00", "人民币零元整"),
    ("0.50", "人民币伍角"),
    ("0.15", "人民币壹角伍分"),
    ("10", "人民币壹拾元整"),
    ("15", "人民币壹拾伍元整"),
    ("1680.32", "人民币壹仟陆佰捌拾元叁角贰分"),
    ("10700", "人民币壹万零柒佰元整"),
    ("1070000", "人民币壹佰零柒万元整"),
    ("100050000", "人民币壹亿零伍万元整"),
    ("100007000", "人民币壹亿零柒仟元整"),
    ("500000000.01", "人民币伍亿元零壹分"),
    ("1070000000", "人民币壹拾亿柒仟万元整"),
    ("9999999999999.99", "人民币玖万玖仟玖佰玖拾玖亿玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元玖角玖分"),
    ("1000000000000", "人民币壹万亿元整"),
]


@pytest.mark.parametrize(("amount", "expected"), CASES)
def test_it_writes_the_amount_in_capitals(amount, expected):
    assert rmb_capitals(Decimal(amount)) == expected


@pytest.mark.parametrize("amount", ["-1", "0.001", "NaN", "Infinity"])
def test_it_refuses_amounts_that_are_not_money(amount):
    with pytest.raises(ValueError):
        rmb_capitals(Decimal(amount))


def test_it_refuses_floats():
    with pytest.raises(ValueError):
        rmb_capitals(0.5)  # type: ignore[arg-type]
