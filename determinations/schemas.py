"""The determination and verification responses as pydantic models (see filing.schemas)."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field

from applications import models
from kernel.schemas import MONEY, choices_enum
from kernel.schemas import Out as _Out

Decision = choices_enum("Decision", models.Decision)


class DeterminationOut(_Out):
    number: str
    verification_code: str
    decision: Decision
    amount_cny: str | None = Field(pattern=MONEY)
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    pdf_url: str | None


class VerifyOut(_Out):
    valid: Literal[True]
    number: str
    enterprise_name: str
    decision: Decision
    amount_cny: str | None = Field(pattern=MONEY)
    issued_on: dt.date
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    signature: SignatureOut = Field(description="The stored file's signature (DESIGN §12)")


class SignatureOut(_Out):
    valid: bool = Field(description="Signed, intact, nothing added after signing, signer chained to a trust root")
    signer: str | None = Field(examples=["海东工业园区管理委员会"], description="The signing certificate's name; "
                               "null for an unsigned (early) determination")
    signed_at: dt.datetime | None

VerifyOut.model_rebuild()
