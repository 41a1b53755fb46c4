"""The engine's spelled-out copy of an outcome keeps every field (a new field added to
MeasureOutcome without adding it there fails here)."""

from __future__ import annotations

import dataclasses

from measures.engine import _copy
from measures.outcome import MeasureOutcome


def test_it_copies_every_field_as_replace_does():
    values = {f.name: object() for f in dataclasses.fields(MeasureOutcome)}  # a distinct value per field
    original = MeasureOutcome(**values)
    parameters, what_if = object(), object()
    assert _copy(original, parameters, what_if) == dataclasses.replace(original, parameters=parameters,
                                                                       what_if=what_if)


def test_it_gives_the_same_statuses_and_amounts_without_what_if():
    """Screening skips the what-if variants: only `what_if` may differ, over every rule case."""
    import datetime as dt
    import json
    from pathlib import Path

    from measures.engine import evaluate
    from measures.facts import parse_facts

    cases = json.loads((Path(__file__).parent / "rule_cases.json").read_text(encoding="utf-8"))
    for case in cases:
        facts = parse_facts(case["facts"])
        as_of = facts.as_of or dt.date(2025, 3, 1)
        full, lean = evaluate(facts, as_of), evaluate(facts, as_of, with_what_if=False)
        assert [dataclasses.replace(o, what_if=()) for o in full.measures] == list(lean.measures)
        assert (full.total_amount, full.scope, full.warnings) == (lean.total_amount, lean.scope, lean.warnings)
