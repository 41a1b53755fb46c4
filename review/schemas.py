"""The review responses as pydantic models (see filing.schemas)."""

from __future__ import annotations

import datetime as dt
from typing import Literal

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
    notice_ends_on: dt.date | None = Field(description="In notice: the last day of the public notice")
    open_objections: int = Field(ge=0, description="Objections to its notice not yet resolved")
    ready_to_issue: bool = Field(description="公示期满，待签发: the notice is over with no objection unresolved")


class QueuePageOut(Page):
    results: list[QueueRowOut]


class DecisionOut(_Out):
    status: Decision
    determination: DeterminationOut


class NoticeRefOut(_Out):
    id: int
    starts_on: dt.date
    ends_on: dt.date = Field(description="The last day of the period (inclusive)")
    amount_cny: str = Field(pattern=MONEY)
    over_budget: bool = Field(description="Beyond the payer's remaining budget of the year: a warning only")


class ProposalOut(_Out):
    status: Literal["in_notice"]
    notice: NoticeRefOut


class ApplicationRefOut(_Out):
    id: int
    status: str


class ObjectionResolvedOut(_Out):
    id: int
    reference: str
    status: Literal["upheld", "dismissed"]
    application: ApplicationRefOut
