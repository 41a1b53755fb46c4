"""The profile and consent bodies as pydantic models (see filing.schemas): they document the API."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import Field

from kernel.schemas import Out


class ConsentIn(Out):
    screening: Literal[True]


class ConsentOut(Out):
    screening: bool
    text_version: str = Field(examples=["2026-12-01"])
    text: str = Field(description="The notice consented to, in the request's language")
    given_at: dt.datetime | None
    given_on: dt.date | None = Field(description="The day it was given, in Asia/Shanghai")


class ScreeningOut(Out):
    project: str = Field(description="The project's code (#N for one without a code yet; empty: no project)")
    project_name: str
    matches: dict[str, Any] = Field(examples=[{"4": {"status": "eligible", "amount_cny": "1000000.00"}}])
    screened_on: dt.date


class ProfileIn(Out):
    enterprise: dict[str, Any] | None = Field(None,
                                              description="DESIGN §4 enterprise facts (identity from the account)")
    projects: list[dict[str, Any]] | None = Field(None, description="DESIGN §4 projects, at most 20")
    circumstances: dict[str, Any] | None = None


class ProfileOut(Out):
    enterprise: dict[str, Any]
    projects: list[dict[str, Any]]
    circumstances: dict[str, Any]
    saved: bool
    consent: ConsentOut
    screenings: list[ScreeningOut]
