"""Administrative division codes of Haidong (GB/T 2260), current and pre-2013.

Reference: 第七部分 (scope: registered in the Haidong administrative area); DESIGN §3, §9.
Which code is which is reference data, not policy; the policy parameters point here.
"""

from __future__ import annotations

CITY_CODES = frozenset({"630200", "632100"})

# Current county-level codes with their names.
COUNTIES: dict[str, tuple[str, str]] = {
    "630202": ("乐都区", "Ledu District"),
    "630203": ("平安区", "Ping'an District"),
    "630222": ("民和回族土族自治县", "Minhe Hui and Tu Autonomous County"),
    "630223": ("互助土族自治县", "Huzhu Tu Autonomous County"),
    "630224": ("化隆回族自治县", "Hualong Hui Autonomous County"),
    "630225": ("循化撒拉族自治县", "Xunhua Salar Autonomous County"),
}

# Codes of the former Haidong Prefecture (before 2013) still printed in older credit codes.
OLD_TO_NEW: dict[str, str] = {
    "632100": "630200",
    "632121": "630203",
    "632122": "630222",
    "632123": "630202",
    "632126": "630223",
    "632127": "630224",
    "632128": "630225",
}

HAIDONG_CODES = frozenset({"630200", *COUNTIES, *OLD_TO_NEW})


def normalize(code: str) -> str:
    """Map a pre-2013 code to the current one; other codes are returned unchanged."""
    return OLD_TO_NEW.get(code, code)


def is_haidong(code: str) -> bool:
    return code in HAIDONG_CODES


def is_haidong_county(code: str) -> bool:
    return normalize(code) in COUNTIES


def county_name(code: str, lang: str = "zh-hans") -> str:
    zh, en = COUNTIES[normalize(code)]
    return en if lang == "en" else zh
