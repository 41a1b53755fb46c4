"""The measure catalogue: each measure's chapter, titles, kind, clause text and parameters.

The Chinese clause texts are cut from the legal source itself (`data/…zh.txt`, a copy of
东政办〔2024〕59号), so they cannot drift from it; the English renderings are ours
(`data/clauses.en.toml`), marked as unofficial.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from measures import parameters
from measures.rules import MEASURES
from measures.rules.base import Measure

DATA = Path(__file__).with_name("data")
LEGAL_TEXT = DATA / "haidong-green-computing-measures-2024.zh.txt"
ENGLISH = DATA / "clauses.en.toml"

CHAPTERS: dict[int, tuple[str, str]] = {
    1: ("绿电保障", "Green power"),
    2: ("补助奖励", "Subsidies and awards"),
    3: ("土地供给", "Land"),
    4: ("科技创新", "Science and innovation"),
    5: ("人才支持", "Talent"),
    6: ("营商环境", "Business environment"),
    7: ("其他", "Other provisions"),
}
CHAPTER_NUMERALS = "一二三四五六七"
SCOPE_CLAUSE = "第七部分"

_CLAUSE_RE = re.compile(r"^(\d{1,2})\.\s*(.+)$")


@dataclass(frozen=True)
class Entry:
    measure: Measure
    text: str
    text_en: str

    @property
    def chapter_title(self) -> str:
        return CHAPTERS[self.measure.chapter][0]

    @property
    def chapter_title_en(self) -> str:
        return CHAPTERS[self.measure.chapter][1]


@cache
def legal_clauses() -> dict[str, str]:
    """Clause texts from the legal source: "第1条"…"第20条" and "第七部分" (scope and validity)."""
    lines = [line.strip() for line in LEGAL_TEXT.read_text(encoding="utf-8").splitlines() if line.strip()]
    clauses: dict[str, str] = {}
    for line in lines:
        match = _CLAUSE_RE.match(line)
        if match:
            clauses[f"第{int(match.group(1))}条"] = match.group(2)
    start = lines.index("七、其他") + 1
    clauses[SCOPE_CLAUSE] = "\n".join(line for line in lines[start:start + 2])
    return clauses


@cache
def english_clauses() -> dict[str, str]:
    raw = tomllib.loads(ENGLISH.read_text(encoding="utf-8"))
    return {key: value.strip() for key, value in raw["clauses"].items()}


@cache
def entries() -> tuple[Entry, ...]:
    zh, en = legal_clauses(), english_clauses()
    return tuple(Entry(m, zh[m.clause], en[m.clause]) for m in MEASURES)


def entry(number: int) -> Entry | None:
    return entries()[number - 1] if 1 <= number <= len(MEASURES) else None


def parameters_in_force(number: int, as_of: dt.date) -> list[dict[str, Any]]:
    out = []
    for p in parameters.for_measure(number):
        valid_from = max((d for d, _ in p.values if d <= as_of), default=p.values[0][0])
        out.append({"name": p.name, "description": p.description, "reference": p.reference, "unit": p.unit,
                    "value": _jsonable(p.at(as_of)), "valid_from": valid_from.isoformat()})
    return out


def policy(as_of: dt.date) -> dict[str, str]:
    return {
        "document": parameters.value("policy.document", as_of),
        "valid_from": parameters.value("policy.valid_from", as_of).isoformat(),
        "valid_to": parameters.value("policy.valid_to", as_of).isoformat(),
    }


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    return value
