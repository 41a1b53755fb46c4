"""An `Evaluation` as the JSON of DESIGN §4, in one language."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from measures import messages
from measures.catalogue import policy
from measures.outcome import Check, Evaluation, MeasureOutcome, Reason
from measures.rules import MEASURES


def money(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.2f}"


def reason(r: Reason, lang: str) -> dict[str, Any]:
    passed = None if r.check is Check.MISSING else r.check is Check.PASSED
    return {"code": r.code, "status": r.check.value, "passed": passed,
            "message": messages.reason(r.key, r.params, lang), "clause": r.clause}


def measure(outcome: MeasureOutcome, lang: str) -> dict[str, Any]:
    m = MEASURES[outcome.number - 1]
    payer = outcome.payer
    return {
        "number": m.number,
        "chapter": m.chapter,
        "title": m.title,
        "title_en": m.title_en,
        "kind": m.kind.value,
        "clause": m.clause,
        "status": outcome.status.value,
        "amount_cny": money(outcome.amount),
        "payer": None if payer is None else {
            "kind": payer.kind, "region": payer.region, "name": payer.name_en if lang == "en" else payer.name,
        },
        "reasons": [reason(r, lang) for r in outcome.reasons],
        "missing": list(outcome.missing),
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
