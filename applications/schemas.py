"""The application, review and verification responses as pydantic models: they document the API
(OpenAPI) exactly as the views build it, and tests/api/test_fuzz.py checks every response against
them. Keys are always present (nullable where a value may be missing); no others are sent."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from applications import models
from measures.schemas import EligibilityOut


def _enum(name: str, choices: type[models.TextChoices]) -> type[StrEnum]:
    """A named enum (one OpenAPI component) with the values of the models' choices: one source."""
    return StrEnum(name, {value.upper(): value for value in choices.values})


ApplicationState = _enum("ApplicationState", models.State)
AttachmentKind = _enum("AttachmentKind", models.AttachmentKind)
Decision = _enum("Decision", models.Decision)
EvaluationKind = _enum("EvaluationKind", models.Evaluation.Kind)


MONEY = r"^\d+\.\d{2}$"


class _Out(BaseModel):
    model_config = ConfigDict(extra="forbid")  # documents additionalProperties: false


class EnterpriseRefOut(_Out):
    name: str
    credit_code: str


class ApplicationSummaryOut(_Out):
    id: int
    status: ApplicationState
    jurisdiction: str = Field(examples=["park", "630202", "city"])
    enterprise: EnterpriseRefOut
    project_code: str | None
    project_name: str | None
    created_at: dt.datetime
    updated_at: dt.datetime
    submitted_at: dt.datetime | None
    decided_at: dt.datetime | None


class AttachmentOut(_Out):
    id: int
    kind: AttachmentKind
    size: int = Field(ge=0)
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    content_type: str
    original_name: str
    uploaded_at: dt.datetime
    superseded_at: dt.datetime | None = Field(description="Set when a newer file of the same kind replaced it")
    url: str = Field(description="Where to download it")


class EvaluationRecordOut(_Out):
    id: int
    kind: EvaluationKind
    created_at: dt.datetime
    rules_version: str
    recognized_investment_cny: str | None = Field(pattern=MONEY)
    outcome: dict = Field(description="The eligibility answer (EligibilityOut) frozen then, in the request's "
                                      "language; kept as issued even when the rules change later")


class TransitionOut(_Out):
    at: dt.datetime
    from_: ApplicationState | None = Field(alias="from")
    to: ApplicationState
    note: str
    actor: str = Field(description="A login name, or for enterprises viewing others' actions, the role")


class DeterminationOut(_Out):
    number: str
    verification_code: str
    decision: Decision
    amount_cny: str | None = Field(pattern=MONEY)
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    pdf_url: str | None


class ApplicationOut(ApplicationSummaryOut):
    facts: dict = Field(description="The stored facts (DESIGN §4 without as_of)")
    evaluations: list[EvaluationRecordOut]
    attachments: list[AttachmentOut]
    history: list[TransitionOut]
    determination: DeterminationOut | None


class _Page(_Out):
    count: int = Field(ge=0)
    next: str | None
    previous: str | None


class ApplicationPageOut(_Page):
    results: list[ApplicationSummaryOut]


class QueueRowOut(ApplicationSummaryOut):
    declared_investment_cny: str | None = Field(pattern=MONEY)
    estimated_amount_cny: str | None = Field(pattern=MONEY)
    tier: int = Field(ge=0, description="第4条 tier of the estimate; 0 none")
    county: str | None
    working_days_waiting: int = Field(ge=0)
    overdue: bool
    claimed_by: str | None


class QueuePageOut(_Page):
    results: list[QueueRowOut]


class SubmitOut(_Out):
    id: int
    status: Literal["submitted"]
    evaluation: EligibilityOut = Field(description="The eligibility answer frozen at submission")


class DecisionOut(_Out):
    status: Decision
    determination: DeterminationOut


class VerifyOut(_Out):
    valid: Literal[True]
    number: str
    enterprise_name: str
    decision: Decision
    amount_cny: str | None = Field(pattern=MONEY)
    issued_on: dt.date
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
