"""The review responses as pydantic models (see filing.schemas)."""

from __future__ import annotations

from pydantic import Field

from determinations.schemas import Decision, DeterminationOut
from filing.schemas import ApplicationSummaryOut, Page
from kernel.schemas import MONEY
from kernel.schemas import Out as _Out


class QueueRowOut(ApplicationSummaryOut):
    declared_investment_cny: str | None = Field(pattern=MONEY)
    estimated_amount_cny: str | None = Field(pattern=MONEY)
    tier: int = Field(ge=0, description="第4条 tier of the estimate; 0 none")
    county: str | None
    working_days_waiting: int = Field(ge=0)
    overdue: bool
    claimed_by: str | None
    resubmitted: bool = Field(description="Returned for correction before and submitted again")


class QueuePageOut(Page):
    results: list[QueueRowOut]


class DecisionOut(_Out):
    status: Decision
    determination: DeterminationOut
