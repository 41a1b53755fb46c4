"""The eligibility response as pydantic models: documents the API (OpenAPI) and, in the tests,
checks that every response really has this shape. The view builds plain dicts for speed."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Status = Literal["eligible", "referred", "not_eligible", "needs_info", "not_applicable"]


class _Out(BaseModel):
    model_config = ConfigDict(extra="forbid")


class PolicyOut(_Out):
    document: str = Field(examples=["东政办〔2024〕59号"])
    valid_from: str = Field(examples=["2024-07-01"])
    valid_to: str = Field(examples=["2029-06-30"])


class ReasonOut(_Out):
    code: str = Field(description="Stable machine code; never depends on the language")
    status: Literal["passed", "failed", "missing"]
    passed: bool | None = Field(description="null when the fact needed is missing")
    message: str = Field(description="In the request's language (Accept-Language zh-hans|en)")
    clause: str = Field(examples=["第4条", "第七部分"])


class WarningOut(_Out):
    code: str
    message: str


class PayerOut(_Out):
    kind: Literal["park_committee", "county_finance"]
    region: str | None = Field(description="The county paying, for county_finance; else null")
    name: str = Field(examples=["海东工业园区管理委员会"])


class MeasureOut(_Out):
    number: int = Field(ge=1, le=20)
    chapter: int = Field(ge=1, le=6)
    title: str
    title_en: str
    kind: Literal["service", "subsidy", "provincial_standard", "tax", "case_by_case"]
    clause: str
    status: Status
    amount_cny: str | None = Field(pattern=r"^\d+\.\d{2}$", description="Only on an eligible measure 4")
    payer: PayerOut | None = Field(description="Only on an eligible measure 4")
    reasons: list[ReasonOut]
    missing: list[str] = Field(description="Dotted paths of facts still needed",
                               examples=[["project.equipment_investment_cny"]])


class EligibilityOut(_Out):
    policy: PolicyOut
    rules_version: str = Field(description="Also sent as the X-Rules-Version header")
    as_of: str
    in_force: bool
    in_scope: bool | None = Field(description="null when scope needs information")
    scope: list[ReasonOut]
    warnings: list[WarningOut]
    measures: list[MeasureOut] = Field(min_length=20, max_length=20)
    total_amount_cny: str = Field(pattern=r"^\d+\.\d{2}$")


class ParameterOut(_Out):
    name: str
    description: str
    reference: str
    unit: str
    value: object
    valid_from: str


class MeasureEntryOut(_Out):
    number: int
    chapter: int
    chapter_title: str
    chapter_title_en: str
    title: str
    title_en: str
    kind: str
    clause: str
    text: str = Field(description="The clause's Chinese text, from the legal source")
    text_en: str = Field(description="Unofficial English rendering; the Chinese governs")
    parameters: list[ParameterOut]


class MeasureListOut(_Out):
    policy: PolicyOut
    rules_version: str
    scope_clause: dict[str, str]
    measures: list[MeasureEntryOut]
