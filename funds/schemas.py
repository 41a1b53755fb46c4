"""The funds responses as pydantic models (see filing.schemas): they document the API."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field

from kernel.schemas import MONEY
from kernel.schemas import Out as _Out


class PaymentOut(_Out):
    id: int
    amount_cny: str = Field(pattern=MONEY, examples=["600000.00"])
    paid_on: dt.date
    reference: str = Field(examples=["海财拨〔2025〕118号"])
    recorded_at: dt.datetime


class PaymentsOut(_Out):
    amount_cny: str | None = Field(pattern=MONEY, description="The determination's amount; null without a grant")
    paid_cny: str = Field(pattern=MONEY)
    unpaid_cny: str = Field(pattern=MONEY)
    status: Literal["unpaid", "partly_paid", "paid"] | None = Field(description="未拨付 / 部分拨付 / 已拨付")
    payments: list[PaymentOut]


class PaymentIn(_Out):
    amount_cny: str = Field(pattern=MONEY, examples=["600000.00"])
    paid_on: dt.date
    reference: str = Field(max_length=100)


class BudgetIn(_Out):
    amount_cny: str = Field(pattern=MONEY, examples=["5000000.00"])


class BudgetOut(_Out):
    payer: str = Field(examples=["park", "630202"])
    name: str = Field(examples=["海东工业园区管理委员会"])
    year: int
    budget_cny: str | None = Field(pattern=MONEY, description="null until a city admin sets it")
    paid_cny: str = Field(pattern=MONEY)
    committed_cny: str = Field(pattern=MONEY, description="Approved grants of the year, not yet paid")
    in_notice_cny: str = Field(pattern=MONEY)
    pipeline_cny: str = Field(pattern=MONEY, description="Submitted and in review, estimated (current year only)")
    remaining_cny: str | None = Field(pattern=MONEY, description="budget − paid − committed")


class BudgetsOut(_Out):
    year: int
    results: list[BudgetOut]
