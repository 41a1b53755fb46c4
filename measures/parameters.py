"""Dated policy parameters, read from `parameters.toml` (data, not code).

`value("m04.tiers", as_of)` returns the value in force on `as_of`: the one with the latest
`valid_from` not after it (before the first date, the first value: the measures are then not in
force anyway, and the validity check still needs its own dates).
"""

from __future__ import annotations

import datetime as dt
import tomllib
from contextvars import ContextVar
from dataclasses import dataclass
from functools import cache, lru_cache
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
        return self.entry(as_of)[1]

    def entry(self, as_of: dt.date) -> tuple[dt.date, Any]:
        """(valid_from, value) in force on `as_of`."""
        chosen = self.values[0]
        for entry in self.values:
            if entry[0] <= as_of:
                chosen = entry
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


# While a rule is evaluated, the parameters it reads are noted here (DESIGN §10 `parameters`).
_reads: ContextVar[dict[str, dt.date] | None] = ContextVar("parameter_reads", default=None)


def value(name: str, as_of: dt.date) -> Any:
    valid_from, chosen = _entry(name, as_of)
    reads = _reads.get()
    if reads is not None:
        reads.setdefault(name, valid_from)
    return chosen


@lru_cache(maxsize=4096)
def _entry(name: str, as_of: dt.date) -> tuple[dt.date, Any]:
    """`Parameter.entry`, found once per parameter and date (every evaluation reads a dozen)."""
    return all_parameters()[name].entry(as_of)


def note(name: str, as_of: dt.date) -> None:
    """A parameter read without `value` (the region table): noted like the others."""
    value(name, as_of)


class Recording:
    """`with Recording() as reads:` — the parameters read inside, in the order first read."""

    def __enter__(self) -> dict[str, dt.date]:
        self.reads: dict[str, dt.date] = {}
        self._token = _reads.set(self.reads)
        return self.reads

    def __exit__(self, *exc) -> None:
        _reads.reset(self._token)


def for_measure(number: int) -> list[Parameter]:
    prefix = f"m{number:02d}."
    return [p for n, p in all_parameters().items() if n.startswith(prefix)]
