"""The notices responses as pydantic models (see filing.schemas): they document the API."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field

from filing.schemas import Page
from kernel.schemas import MONEY
from kernel.schemas import Out as _Out


class NoticeOut(_Out):
    id: int
    enterprise_name: str = Field(examples=["青海示例算力科技有限公司"])
    project_name: str = Field(examples=["海东绿色算力中心一期"])
    amount_cny: str = Field(pattern=MONEY, examples=["1000000.00"])
    amount_capitals: str = Field(examples=["人民币壹佰万元整"])
    payer: str = Field(examples=["park"], description="park or a county code: whose budget pays")
    payer_name: str = Field(examples=["海东工业园区管理委员会"])
    starts_on: dt.date
    ends_on: dt.date = Field(description="The last day of the period (inclusive)")
    status: Literal["open", "closed", "withdrawn"]


class NoticePageOut(Page):
    results: list[NoticeOut]


class ObjectionIn(_Out):
    name: str = Field(max_length=100, examples=["张三"])
    contact: str = Field(max_length=200, examples=["zhangsan@example.com"],
                         description="A phone number or an email; an email also receives the outcome")
    text: str = Field(max_length=2000, examples=["该项目设备投资额与实际不符。"])


class ObjectionOut(_Out):
    id: int
    reference: str = Field(examples=["YY2025-7K3Q9M"], description="Quote it when asking about the objection")
    status: Literal["open", "upheld", "dismissed"]
