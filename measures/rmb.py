"""Amounts in Chinese capitals (中文大写金额) as 支付结算办法 (附一《正确填写票据和结算凭证的基本规定》)
prescribes them for determinations and the calculator: 人民币 in front, 零 for zeros inside the
number, 整 after 元 when there are no 角 or 分.

Where the rules allow either form (万位 or 元位 zero with a non-zero 千位 / 角位 behind it), the
short form without 零 is written, as in 壹拾万柒仟元伍角叁分.
"""

from __future__ import annotations

from decimal import Decimal

DIGITS = "零壹贰叁肆伍陆柒捌玖"
SMALL_UNITS = ("", "拾", "佰", "仟")
YI = 10**8
LIMIT = 10**16  # 万亿 is the largest unit written; facts money stays below 10^13


def _below_yi(n: int) -> str:
    """0 < n < 10^8, in 仟佰拾 groups with 万."""
    text = str(n)
    out: list[str] = []
    zero_pending = False
    section_has_digit = False
    for i, char in enumerate(text):
        power = len(text) - 1 - i
        digit = int(char)
        if digit == 0:
            zero_pending = True
        else:
            if zero_pending and out:
                out.append("零")
            zero_pending = False
            out.append(DIGITS[digit] + SMALL_UNITS[power % 4])
            section_has_digit = True
        if power == 4:
            if section_has_digit:
                out.append("万")
                # 万位 zero before a non-zero 千位: the short form, no 零 (see module docstring).
                zero_pending = False
            section_has_digit = False
    return "".join(out)


def _integer(n: int) -> str:
    if n >= YI:
        high, low = divmod(n, YI)
        text = _integer(high) + "亿"
        if low:
            text += ("零" if low < YI // 10 else "") + _below_yi(low)
        return text
    return _below_yi(n)


def rmb_capitals(amount: Decimal) -> str:
    """`Decimal("1000000.00")` → "人民币壹佰万元整". Amounts are CNY, at most 2 decimal places, ≥ 0."""
    if not isinstance(amount, Decimal) or not amount.is_finite():
        raise ValueError("amount must be a finite Decimal")
    if amount < 0:
        raise ValueError("amount must not be negative")
    fen_total = amount * 100
    if fen_total != fen_total.to_integral_value():
        raise ValueError("amount has more than two decimal places")
    fen_total = int(fen_total)
    yuan, cents = divmod(fen_total, 100)
    jiao, fen = divmod(cents, 10)
    if yuan >= LIMIT:
        raise ValueError("amount is too large")

    if yuan == 0 and cents == 0:
        return "人民币零元整"
    out = ["人民币"]
    if yuan:
        out.append(_integer(yuan) + "元")
    if cents == 0:
        out.append("整")
        return "".join(out)
    if jiao:
        out.append(DIGITS[jiao] + "角")
    elif yuan:
        out.append("零")  # 元 followed by 分 alone: 叁佰贰拾伍元零肆分
    if fen:
        out.append(DIGITS[fen] + "分")
    return "".join(out)
