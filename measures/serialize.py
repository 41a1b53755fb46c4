"""An `Evaluation` as the JSON of DESIGN §4, in one language."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from functools import lru_cache
from typing import Any

from measures import messages, parameters
from measures.catalogue import policy
from measures.outcome import Basis, Check, Evaluation, MeasureOutcome, ParameterUse, Reason, WhatIf
from measures.rules import MEASURES


def money(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.2f}"


_PASSED = {Check.PASSED: True, Check.FAILED: False, Check.MISSING: None}


def _freeze(params: Mapping[str, Any] | None) -> tuple:
    if not params:
        return ()
    return tuple((k, tuple(v) if isinstance(v, list) else v) for k, v in params.items())


@lru_cache(maxsize=8192)
def _reason(code: str, check: Check, clause: str, key: str, params: tuple, basis: Basis,
            lang: str) -> dict[str, Any]:
    # Most reasons recur from one evaluation to the next: write each message once.
    return {"code": code, "status": check.value, "passed": _PASSED[check],
            "message": messages.reason(key, dict(params), lang), "clause": clause, "basis": basis.value}


def reason(r: Reason, lang: str) -> dict[str, Any]:
    return dict(_reason(r.code, r.check, r.clause, r.key, _freeze(r.params), r.basis, lang))


def plain(value: Any) -> Any:
    """A parameter's value as JSON: dates as ISO strings, money strings as they are."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value


@lru_cache(maxsize=256)
def _parameter(name: str, valid_from: dt.date) -> dict[str, Any]:
    param = parameters.all_parameters()[name]
    value = dict(param.values)[valid_from]
    return {"name": name, "value": plain(value), "valid_from": valid_from.isoformat(), "unit": param.unit,
            "reference": param.reference}


def parameter_use(use: ParameterUse) -> dict[str, Any]:
    return _parameter(use.name, use.valid_from)  # shared and never changed: no copy


def what_if(change: WhatIf) -> dict[str, Any]:
    value = money(change.value) if isinstance(change.value, Decimal) else change.value
    return {"field": change.field, "value": value, "status": change.status.value, "amount_cny": money(change.amount)}


_HEADS = {
    m.number: {"number": m.number, "chapter": m.chapter, "title": m.title, "title_en": m.title_en,
               "kind": m.kind.value, "clause": m.clause}
    for m in MEASURES
}


def measure(outcome: MeasureOutcome, lang: str) -> dict[str, Any]:
    payer = outcome.payer
    return {
        **_HEADS[outcome.number],
        "status": outcome.status.value,
        "amount_cny": money(outcome.amount),
        "payer": None if payer is None else {
            "kind": payer.kind, "region": payer.region, "name": payer.name_en if lang == "en" else payer.name,
        },
        "reasons": [reason(r, lang) for r in outcome.reasons],
        "missing": list(outcome.missing),
        "parameters": [parameter_use(u) for u in outcome.parameters],
        "what_if": [what_if(c) for c in outcome.what_if],
    }


def evaluation(ev: Evaluation, lang: str) -> dict[str, Any]:
    return {
        "policy": policy(ev.as_of),
        "rules_version": ev.rules_version,
        "as_of": ev.as_of.isoformat(),
        "in_force": ev.in_force,
        "in_scope": ev.in_scope,
        "scope": [reason(r, lang) for r in ev.scope],
        "warnings": [{"code": w.code, "message": messages.warning(w.code, w.params, lang)} for w in ev.warnings],
        "measures": [measure(o, lang) for o in ev.measures],
        "total_amount_cny": money(ev.total_amount),
    }
