"""The application responses as pydantic models: they document the API
(OpenAPI) exactly as the views build it, and tests/api/test_fuzz.py checks every response against
them. Keys are always present (nullable where a value may be missing); no others are sent."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field

from applications import models
from determinations.schemas import DeterminationOut
from eligibility.schemas import EligibilityOut
from funds.schemas import PaymentsOut
from kernel.schemas import MONEY, choices_enum
from kernel.schemas import Out as _Out

ApplicationState = choices_enum("ApplicationState", models.State)
AttachmentKind = choices_enum("AttachmentKind", models.AttachmentKind)
EvaluationKind = choices_enum("EvaluationKind", models.Evaluation.Kind)


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


class ApplicationNoticeOut(_Out):
    id: int
    starts_on: dt.date
    ends_on: dt.date = Field(description="The last day of the period (inclusive)")
    amount_cny: str = Field(pattern=MONEY)
    status: Literal["open", "closed", "withdrawn"]
    open_objections: int = Field(ge=0, description="Objections not yet resolved")


class ObjectionDetailOut(_Out):
    id: int
    notice_id: int
    reference: str
    name: str
    contact: str
    text: str
    created_at: dt.datetime
    status: Literal["open", "upheld", "dismissed"]
    resolution_note: str
    resolved_at: dt.datetime | None


class ApplicationOut(ApplicationSummaryOut):
    facts: dict = Field(description="The stored facts (DESIGN §4 without as_of)")
    evaluations: list[EvaluationRecordOut]
    attachments: list[AttachmentOut]
    history: list[TransitionOut]
    determination: DeterminationOut | None
    notice: ApplicationNoticeOut | None = Field(description="The latest public notice (公示) of its grant")
    payments: PaymentsOut = Field(description="Payments (拨付) of its grant")
    objections: list[ObjectionDetailOut] | None = Field(
        description="Objections to its notices, with the objectors' contact: for its reviewers and city admins "
                    "(who resolve them with POST /api/v1/objections/{id}/resolve); null for everyone else")


class Page(_Out):
    count: int = Field(ge=0)
    next: str | None
    previous: str | None


class ApplicationPageOut(Page):
    results: list[ApplicationSummaryOut]


class SubmitOut(_Out):
    id: int
    status: Literal["submitted"]
    evaluation: EligibilityOut = Field(description="The eligibility answer frozen at submission")
