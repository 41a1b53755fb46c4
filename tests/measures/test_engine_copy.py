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
