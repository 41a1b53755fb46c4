"""Haidong's administrative division codes, read from the dated parameter `regions.haidong`
(parameters.toml: 第七部分, GB/T 2260). Rules take `at(as_of)`; pages and messages use `CURRENT`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache

from measures import parameters


@dataclass(frozen=True)
class Regions:
    city_codes: frozenset[str]
    counties: dict[str, tuple[str, str]]  # current code -> (zh-hans, en)
    former: dict[str, str]  # pre-2013 code -> current code

    def normalize(self, code: str) -> str:
        """The current code for a pre-2013 one; other codes unchanged."""
        return self.former.get(code, code)

    def is_haidong(self, code: str) -> bool:
        return code in self.city_codes or self.normalize(code) in self.counties

    def is_county(self, code: str) -> bool:
        return self.normalize(code) in self.counties

    def county_name(self, code: str, lang: str = "zh-hans") -> str:
        zh, en = self.counties[self.normalize(code)]
        return en if lang == "en" else zh

    @property
    def all_codes(self) -> frozenset[str]:
        return self.city_codes | set(self.counties) | set(self.former)


@cache
def _build(valid_from: dt.date) -> Regions:
    value = dict(parameters.all_parameters()["regions.haidong"].values)[valid_from]
    counties = {code: (names[0], names[1]) for code, names in value["counties"].items()}
    return Regions(frozenset(value["city"]), counties, dict(value["former"]))


def at(as_of: dt.date) -> Regions:
    parameters.note("regions.haidong", as_of)
    param = parameters.all_parameters()["regions.haidong"]
    valid_from = max((d for d, _ in param.values if d <= as_of), default=param.values[0][0])
    return _build(valid_from)


CURRENT = at(dt.date.max)
COUNTIES = CURRENT.counties
HAIDONG_CODES = CURRENT.all_codes
normalize = CURRENT.normalize
is_haidong = CURRENT.is_haidong
is_haidong_county = CURRENT.is_county
county_name = CURRENT.county_name
