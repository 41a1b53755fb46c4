"""A typed view of a stored outcome: the JSON of DESIGN §4 as `measures.serialize` wrote it, read
back into frozen dataclasses. Business code reads `outcome.measure(4).status`, never
`["measures"][3]["status"]`; the stored JSON itself is never changed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from measures.outcome import Check, Status

# The outcomes that offer what the clause gives.
GRANTED = frozenset({Status.ELIGIBLE, Status.REFERRED})


@dataclass(frozen=True, slots=True)
class StoredReason:
    code: str
    status: Check
    passed: bool | None
    message: str
    clause: str


@dataclass(frozen=True, slots=True)
class StoredPayer:
    kind: str
    region: str | None
    name: str


@dataclass(frozen=True, slots=True)
class StoredMeasure:
    number: int
    title: str
    clause: str
    status: Status
    amount: Decimal | None
    payer: StoredPayer | None
    reasons: tuple[StoredReason, ...]
    missing: tuple[str, ...]

    @property
    def granted(self) -> bool:
        """Eligible or referred: the outcome offers what the clause gives."""
        return self.status in GRANTED


@dataclass(frozen=True, slots=True)
class StoredOutcome:
    as_of: dt.date
    rules_version: str
    total_amount: Decimal
    scope: tuple[StoredReason, ...]
    measures: tuple[StoredMeasure, ...]

    def measure(self, number: int) -> StoredMeasure:
        return next(m for m in self.measures if m.number == number)


def _reason(r: Mapping[str, Any]) -> StoredReason:
    return StoredReason(code=r["code"], status=Check(r["status"]), passed=r["passed"], message=r["message"],
                        clause=r["clause"])


def _measure(m: Mapping[str, Any]) -> StoredMeasure:
    payer = m.get("payer")
    return StoredMeasure(
        number=m["number"], title=m["title"], clause=m["clause"], status=Status(m["status"]),
        amount=None if m.get("amount_cny") is None else Decimal(m["amount_cny"]),
        payer=None if payer is None else StoredPayer(kind=payer["kind"], region=payer.get("region"),
                                                     name=payer["name"]),
        reasons=tuple(_reason(r) for r in m["reasons"]), missing=tuple(m.get("missing", ())),
    )


def read(data: Mapping[str, Any]) -> StoredOutcome:
    """The stored outcome JSON as typed values."""
    return StoredOutcome(
        as_of=dt.date.fromisoformat(data["as_of"]), rules_version=data["rules_version"],
        total_amount=Decimal(data["total_amount_cny"]), scope=tuple(_reason(r) for r in data["scope"]),
        measures=tuple(_measure(m) for m in data["measures"]),
    )
