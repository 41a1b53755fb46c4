"""The messages responses as pydantic models (see filing.schemas): they document the API."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field

from kernel.schemas import Out


class MessageOut(Out):
    id: int
    kind: Literal["match", "status", "objection", "expiry"]
    title: str = Field(examples=["您的申请已获批准"])
    body: str = Field(examples=["您的申请已获批准（申请编号12）。"])
    created_at: dt.datetime
    read: bool
    link: str = Field(examples=["/applications/12/"], description="A path of this site; may be empty")


class MessagePageOut(Out):
    count: int
    next: str | None
    previous: str | None
    results: list[MessageOut]


class MarkedOut(Out):
    marked: int = Field(description="How many messages were unread and are now read")
