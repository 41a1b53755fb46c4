"""What every page form shares: field ids, and where a domain error's field path lands on a form."""

from __future__ import annotations

from django import forms

# Every form field's HTML id: "f-<name>", so error summaries link to the field.
FIELD_ID = "f-%s"


def field_for_path(path: str, form: forms.Form) -> str | None:
    """The form field of an error's dotted path: list items (`enterprise.sectors.0`) belong to their
    list, nested paths to their nearest field; None (the form's top) when no field matches."""
    parts = path.split(".")
    while parts:
        name = ".".join(parts)
        if name in form.fields:
            return name
        parts.pop()
    return None
