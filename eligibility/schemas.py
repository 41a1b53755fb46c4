"""The eligibility response as pydantic models: documents the API (OpenAPI) and, in the tests,
checks that every response really has this shape. The view builds plain dicts for speed."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

MEASURE_STATUSES = ("eligible", "referred", "not_eligible", "needs_info", "not_applicable")
CHECKS = ("passed", "failed", "missing")
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
    clause: str = Field(examples=["第4条", "第七部分", "企业所得税法第二十八条"],
                        description="The clause applied; a rate laid down elsewhere cites its own source")
    basis: Literal["text", "reading"] = Field(
        description="`text`: what the legal text says; `reading`: this service's reading where the text is "
                    "silent (DESIGN §10) — the competent department decides")


class ParameterUseOut(_Out):
    name: str = Field(examples=["m04.tiers"])
    value: Any = Field(description="The value in force on `as_of` (see GET /api/v1/parameters/{name})")
    valid_from: str = Field(examples=["2024-07-01"])
    unit: str = Field(examples=["CNY"])
    reference: str = Field(examples=["第4条"])


class WhatIfOut(_Out):
    field: str = Field(examples=["project.equipment_investment_cny"], description="The one fact to change")
    value: Any = Field(examples=["100000000.00", 1, True], description="Its value after the change")
    status: Status = Field(description="The measure's status after the change")
    amount_cny: str | None = Field(pattern=r"^\d+\.\d{2}$", description="Measure 4's amount after the change")


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
    parameters: list[ParameterUseOut] = Field(description="The dated parameters the rule read for this answer")
    what_if: list[WhatIfOut] = Field(description="The smallest change of one fact the enterprise controls that "
                                                 "improves this outcome; empty when none would (dates, region, "
                                                 "scope)")


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


class DatedValueOut(_Out):
    valid_from: str = Field(examples=["2024-07-01"])
    value: Any


class ParameterHistoryOut(_Out):
    name: str = Field(examples=["m04.tiers"])
    description: str
    reference: str = Field(examples=["第4条"], description="The clause (or other source) the values come from")
    unit: str
    values: list[DatedValueOut] = Field(description="Every dated value, oldest first")


class ParameterListOut(_Out):
    parameters: list[ParameterHistoryOut]
