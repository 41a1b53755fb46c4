"""Dated policy parameters, read from `parameters.toml` (data, not code).

`value("m04.tiers", as_of)` returns the value in force on `as_of`: the one with the latest
`valid_from` not after it (before the first date, the first value: the measures are then not in
force anyway, and the validity check still needs its own dates).
"""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

PARAMETERS_FILE = Path(__file__).with_name("parameters.toml")


@dataclass(frozen=True)
class Parameter:
    name: str
    description: str
    reference: str
    unit: str
    values: tuple[tuple[dt.date, Any], ...]  # (valid_from, value), oldest first

    def at(self, as_of: dt.date) -> Any:
        chosen = self.values[0][1]
        for valid_from, value in self.values:
            if valid_from <= as_of:
                chosen = value
        return chosen


def _flatten(tree: dict[str, Any], prefix: str = "") -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for key, node in tree.items():
        name = f"{prefix}{key}"
        if "values" in node:
            out[name] = node
        else:
            out.update(_flatten(node, name + "."))
    return out


@cache
def all_parameters() -> dict[str, Parameter]:
    raw = tomllib.loads(PARAMETERS_FILE.read_text(encoding="utf-8"))
    params = {}
    for name, node in _flatten(raw).items():
        values = tuple(sorted(((v["valid_from"], v["value"]) for v in node["values"]), key=lambda p: p[0]))
        params[name] = Parameter(name, node["description"], node["reference"], node["unit"], values)
    return params


def value(name: str, as_of: dt.date) -> Any:
    return all_parameters()[name].at(as_of)


def for_measure(number: int) -> list[Parameter]:
    prefix = f"m{number:02d}."
    return [p for n, p in all_parameters().items() if n.startswith(prefix)]
