"""What every API's documented answers share: the base model, enums from model choices, money, and
the problem+json answer (RFC 9457)."""

from __future__ import annotations

from enum import StrEnum

from django.db import models
from pydantic import BaseModel, ConfigDict, Field

MONEY = r"^\d+\.\d{2}$"


class Out(BaseModel):
    """Base of every documented answer: the keys listed, no others (additionalProperties: false)."""

    model_config = ConfigDict(extra="forbid")


def choices_enum(name: str, choices: type[models.TextChoices]) -> type[StrEnum]:
    """A named enum (one OpenAPI component) with the values of the models' choices: one source."""
    return StrEnum(name, {value.upper(): value for value in choices.values})


class FieldErrorOut(Out):
    field: str = Field(examples=["enterprise.credit_code"])
    code: str = Field(examples=["invalid_checksum"])
    message: str


class ProblemOut(Out):
    type: str
    title: str
    status: int
    detail: str
    code: str | None = None  # why a 409 was refused, when the state alone does not say (notice_required, …)
    errors: list[FieldErrorOut] | None = None
