"""What people type on the pages, read as the facts the API takes (the API itself stays strict,
DESIGN §9): money in 元, 万 or 亿 with or without separators, counts with separators, dates written
2025-1-15 or 2025/01/15 or 2025年1月15日, county names for region codes, full-width characters of a
Chinese input method. Anything else raises `Unreadable`, and the form says so beside the field with
an example of a good value."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from decimal import Decimal, InvalidOperation

from measures import regions

UNITS = {"亿": Decimal(100_000_000), "万": Decimal(10_000), "": Decimal(1)}
MONEY = re.compile(r"(?P<num>\d+(?:\.\d+)?)(?P<unit>亿|万)?元?", re.ASCII)
GROUPED = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?(?:亿|万)?元?", re.ASCII)
INTEGER = re.compile(r"\d{1,3}(?:,\d{3})+|\d+", re.ASCII)
DATE = re.compile(r"(?P<y>\d{4})\s*[-/.年]\s*(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})\s*日?", re.ASCII)
CENT = Decimal("0.01")


class Unreadable(ValueError):
    """Text that is not a value of its kind."""


def _plain(text: str) -> str:
    # Full-width digits, letters, commas and ¥ become ASCII; spaces (also inside "320 000 000") go.
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or ""))


def money(text: str) -> str:
    """"3.2亿", "3.2亿元", "32000万", "320,000,000", "¥320000000.5" → "320000000.00"/"320000000.50"."""
    value = _plain(text).removeprefix("¥")
    if "," in value:
        if not GROUPED.fullmatch(value):
            raise Unreadable(text)  # "3,2": not thousands
        value = value.replace(",", "")
    match = MONEY.fullmatch(value)
    if not match:
        raise Unreadable(text)
    try:
        amount = Decimal(match["num"]) * UNITS[match["unit"] or ""]
    except InvalidOperation:
        raise Unreadable(text) from None
    if amount != amount.quantize(CENT):
        raise Unreadable(text)  # finer than a fen
    return f"{amount:.2f}"


def count(text: str) -> int:
    """"1200", "1,200", "１２００" → 1200."""
    value = _plain(text)
    if not INTEGER.fullmatch(value) or len(value) > 15:  # no count here has 16 digits
        raise Unreadable(text)
    return int(value.replace(",", ""))


def date(text: str) -> str:
    """"2025-1-15", "2025/01/15", "2025.1.15", "2025年1月15日" → "2025-01-15"."""
    match = DATE.fullmatch(_plain(text))
    if not match:
        raise Unreadable(text)
    try:
        return dt.date(int(match["y"]), int(match["m"]), int(match["d"])).isoformat()
    except ValueError:
        raise Unreadable(text) from None


def region(text: str) -> str:
    """A 6-digit code as it is; a Haidong county's or the city's name ("乐都区", "乐都", "Ledu
    District") as its code."""
    value = _plain(text)
    if re.fullmatch(r"\d{6}", value, re.ASCII):
        return value
    wanted = value.casefold()
    for code, (zh, en) in regions.COUNTIES.items():
        if wanted in (zh.casefold(), en.replace(" ", "").casefold(), zh.removesuffix("区").removesuffix("县")):
            return code
        if wanted and zh.startswith(wanted) and len(wanted) >= 2:
            return code
    if wanted in ("海东", "海东市", "haidong"):
        return "630200"
    raise Unreadable(text)
