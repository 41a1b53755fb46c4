"""The facts an enterprise declares: the request model of DESIGN §4.

Everything a rule may need is optional here: absence is answered with `needs_info`, never a 400.
A value that is present but wrong is a validation error naming its dotted path.
"""

from __future__ import annotations

import datetime as dt
import operator
import re
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    TypeAdapter,
    ValidationError,
    WithJsonSchema,
    field_validator,
)
from pydantic_core import PydanticCustomError


class Sector(StrEnum):
    BIG_DATA = "big_data"
    CLOUD_COMPUTING = "cloud_computing"
    SOFTWARE_IT_SERVICES = "software_it_services"
    ARTIFICIAL_INTELLIGENCE = "artificial_intelligence"
    IOT = "iot"
    BLOCKCHAIN = "blockchain"
    OTHER_EMERGING_TECH = "other_emerging_tech"
    OTHER = "other"


class Activity(StrEnum):
    RESEARCH = "research"
    PRODUCTION = "production"
    OPERATION = "operation"


class Qualification(StrEnum):
    HIGH_TECH_ENTERPRISE = "high_tech_enterprise"
    TECH_SME = "tech_sme"
    SPECIALIZED_SME = "specialized_sme"
    WESTERN_ENCOURAGED_INDUSTRY = "western_encouraged_industry"
    TECH_LITTLE_GIANT = "tech_little_giant"
    NATIONAL_INNOVATION_CENTER = "national_innovation_center"


class ProjectKind(StrEnum):
    NEW = "new"
    EXPANSION = "expansion"
    RENOVATION = "renovation"  # 改建: valid input; 第4条 names only 新建、扩建 (DESIGN §9)
    OTHER = "other"


class ProjectCategory(StrEnum):
    DATA_CENTER = "data_center"
    GREEN_COMPUTING_KEY_PROJECT = "green_computing_key_project"


class ModelTraining(StrEnum):
    NONE = "none"
    FOUNDATION_MODEL = "foundation_model"
    INDUSTRY_MODEL = "industry_model"


# --- scalar validators -------------------------------------------------------------------------

CREDIT_CODE_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_CODE_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
CREDIT_CODE_VALUES = {c: i for i, c in enumerate(CREDIT_CODE_CHARS)}
# re.ASCII: `\d` must not match full-width or other Unicode digits.
CREDIT_CODE_RE = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$", re.ASCII)
PROJECT_CODE_RE = re.compile(r"^\d{4}-\d{6}-\d{2}-\d{2}-\d{6}$", re.ASCII)
REGION_RE = re.compile(r"^\d{6}$", re.ASCII)
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$", re.ASCII)
MONEY_RE = re.compile(r"^\d+(\.\d{1,2})?$", re.ASCII)
MONEY_LIMIT = Decimal(10) ** 13
QUANTITY_RE = re.compile(r"^\d+(\.\d{1,3})?$", re.ASCII)
DECIMAL_RE = re.compile(r"^\d+\.\d+$", re.ASCII)


def credit_code_check_char(first17: str) -> str:
    """GB 32100-2015 check character for the first 17 characters of a credit code."""
    try:
        if len(first17) != len(CREDIT_CODE_WEIGHTS):
            raise KeyError(first17)
        total = sum(map(operator.mul, map(CREDIT_CODE_VALUES.__getitem__, first17), CREDIT_CODE_WEIGHTS))
    except KeyError:
        raise ValueError(f"not the first 17 characters of a credit code: {first17!r}") from None
    return CREDIT_CODE_CHARS[(31 - total % 31) % 31]


def _credit_code(value: Any) -> str:
    if not isinstance(value, str):
        raise PydanticCustomError("invalid_type", "expected a string")
    code = value.strip().upper()
    if not CREDIT_CODE_RE.fullmatch(code):
        raise PydanticCustomError("invalid_format", "not an 18-character unified social credit code")
    if credit_code_check_char(code[:17]) != code[17]:
        raise PydanticCustomError("invalid_checksum", "the check character does not match")
    return code


def _project_code(value: Any) -> str:
    if not isinstance(value, str):
        raise PydanticCustomError("invalid_type", "expected a string")
    code = value.strip()
    if not PROJECT_CODE_RE.fullmatch(code):
        raise PydanticCustomError("invalid_format", "not a project code like 2406-630202-04-01-532198")
    return code


def _region(value: Any) -> str:
    if not isinstance(value, str):
        raise PydanticCustomError("invalid_type", "expected a string")
    if not REGION_RE.fullmatch(value.strip()):
        raise PydanticCustomError("invalid_format", "not a 6-digit division code")
    return value.strip()


def _date(value: Any) -> dt.date:
    # Only ISO calendar dates: pydantic's lax mode would also take Unix timestamps.
    if not isinstance(value, str):
        raise PydanticCustomError("invalid_type", "expected a date string YYYY-MM-DD")
    if not DATE_RE.fullmatch(value):
        raise PydanticCustomError("invalid_format", "expected a date YYYY-MM-DD")
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise PydanticCustomError("invalid_date", "no such calendar date") from None


def _decimal(value: Any, pattern: re.Pattern[str], places: int) -> Decimal:
    # A JSON integer or a plain decimal string; floats would round the tier boundaries (§9).
    if isinstance(value, bool):
        raise PydanticCustomError("invalid_type", "expected a string or an integer")
    if isinstance(value, int):
        text = str(value)
    elif isinstance(value, str):
        text = value.strip()
    else:
        raise PydanticCustomError("invalid_type", "expected a string or an integer")
    if text.startswith("-"):
        raise PydanticCustomError("negative", "must not be negative")
    if not pattern.match(text):
        if DECIMAL_RE.fullmatch(text):
            raise PydanticCustomError("too_many_decimals", "too many decimal places")
        raise PydanticCustomError("invalid_format", "not a plain decimal number")
    try:
        number = Decimal(text)
    except InvalidOperation:  # pragma: no cover - the pattern already rules this out
        raise PydanticCustomError("invalid_format", "not a plain decimal number") from None
    if number >= MONEY_LIMIT:
        raise PydanticCustomError("too_large", "must be below 10^13")
    return number.quantize(Decimal(1).scaleb(-places))


def _money(value: Any) -> Decimal:
    return _decimal(value, MONEY_RE, 2)


def _quantity(value: Any) -> Decimal:
    return _decimal(value, QUANTITY_RE, 3)


def _schema(**schema: Any) -> WithJsonSchema:
    return WithJsonSchema(schema)


_DECIMAL_DOC = "a JSON integer or a decimal string; no float, sign, exponent or separators"
CreditCode = Annotated[str, BeforeValidator(_credit_code), _schema(
    type="string", pattern=CREDIT_CODE_RE.pattern, minLength=18, maxLength=18,
    description="统一社会信用代码 (GB 32100-2015, valid check character)", examples=["91630202MA7ABCDE1Y"])]
ProjectCode = Annotated[str, BeforeValidator(_project_code), _schema(
    type="string", pattern=PROJECT_CODE_RE.pattern, description="投资项目统一代码",
    examples=["2406-630202-04-01-532198"])]
RegionCode = Annotated[str, BeforeValidator(_region), _schema(
    type="string", pattern=REGION_RE.pattern, description="6-digit administrative division code (GB/T 2260)",
    examples=["630202"])]
IsoDate = Annotated[dt.date, BeforeValidator(_date), _schema(type="string", format="date")]
Money = Annotated[Decimal, BeforeValidator(_money), _schema(
    oneOf=[{"type": "string", "pattern": MONEY_RE.pattern}, {"type": "integer", "minimum": 0}],
    description=f"CNY, at most 2 decimals, below 10^13: {_DECIMAL_DOC}", examples=["320000000.00"])]
Quantity = Annotated[Decimal, BeforeValidator(_quantity), _schema(
    oneOf=[{"type": "string", "pattern": QUANTITY_RE.pattern}, {"type": "integer", "minimum": 0}],
    description=f"at most 3 decimals: {_DECIMAL_DOC}")]
Name = Annotated[str, Field(min_length=1, max_length=200)]
Count = Annotated[StrictInt, Field(ge=0, le=10_000_000)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Enterprise(_Model):
    name: Name | None = None
    credit_code: CreditCode | None = None
    registered_region: RegionCode | None = None
    sectors: list[Sector] | None = Field(default=None, max_length=len(Sector))
    activities: list[Activity] | None = Field(default=None, max_length=len(Activity))
    qualifications: list[Qualification] = Field(default_factory=list, max_length=len(Qualification))

    @field_validator("sectors", "activities", "qualifications", mode="before")
    @classmethod
    def _once_each(cls, value: Any) -> Any:
        """Duplicates are accepted and removed, the first kept (DESIGN §9)."""
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            return list(dict.fromkeys(value))
        return value


class Project(_Model):
    code: ProjectCode
    name: Name | None = None
    kind: ProjectKind | None = None
    category: ProjectCategory | None = None
    region: RegionCode | None = None
    in_industrial_park: StrictBool | None = None
    standard_racks: Count | None = None
    equipment_investment_cny: Money | None = None
    completed_on: IsoDate | None = None


class Circumstances(_Model):
    ai_model_training: ModelTraining = ModelTraining.NONE
    scheduling_pilot: StrictBool = False
    scheduled_compute_pflops: Quantity | None = None
    green_data_center: StrictBool = False
    research_achievement: StrictBool = False
    high_level_talents: Count = 0
    joint_training: StrictBool = False
    needs_land: StrictBool = False
    leases_standard_factory: StrictBool = False
    seeks_financing: StrictBool = False


class Facts(_Model):
    as_of: IsoDate | None = None
    enterprise: Enterprise = Field(default_factory=Enterprise)  # absent: scope needs_info, not a 400
    project: Project | None = None
    circumstances: Circumstances = Field(default_factory=Circumstances)


# --- errors ------------------------------------------------------------------------------------

# pydantic's error types mapped to the codes clients see (DESIGN §4: codes never change).
_CODES = {
    "missing": "required",
    "extra_forbidden": "unknown_field",
    "enum": "invalid_choice",
    "bool_type": "invalid_type",
    "int_type": "invalid_type",
    "int_from_float": "invalid_type",
    "string_type": "invalid_type",
    "list_type": "invalid_type",
    "model_type": "invalid_type",
    "model_attributes_type": "invalid_type",
    "dict_type": "invalid_type",
    "greater_than_equal": "out_of_range",
    "less_than_equal": "out_of_range",
    "string_too_short": "blank",
    "string_too_long": "too_long",
    "too_long": "too_long",
    "literal_error": "invalid_choice",
    "int_parsing": "invalid_format",
    "bool_parsing": "invalid_format",
    "date_parsing": "invalid_format",
    "date_from_datetime_parsing": "invalid_format",
    "string_pattern_mismatch": "invalid_format",
    "greater_than": "out_of_range",
    "less_than": "out_of_range",
}


def field_errors(exc: ValidationError) -> list[dict[str, str]]:
    """One `{"field", "code"}` per bad field, the path dotted (list items by index)."""
    out = []
    seen = set()
    for err in exc.errors(include_url=False, include_context=False, include_input=False):
        loc = [str(p) for p in err["loc"]]
        field = ".".join(loc) or "body"
        if field in seen:
            continue
        seen.add(field)
        out.append({"field": field, "code": _CODES.get(err["type"], err["type"])})
    return out


class FactsError(Exception):
    """Facts that do not validate, as field errors. Raised by `parse_facts`."""

    def __init__(self, errors: list[dict[str, str]]):
        super().__init__(errors)
        self.errors = errors


_MONEY = TypeAdapter(Money)


def parse_money(value: Any, field: str) -> Decimal:
    """One amount of CNY checked like the facts' money (JSON integer or decimal string); FactsError
    naming `field` otherwise."""
    try:
        return _MONEY.validate_python(value)
    except ValidationError as exc:
        raise FactsError([{**e, "field": field} for e in field_errors(exc)]) from None


def parse_facts(data: Any) -> Facts:
    if not isinstance(data, dict):
        raise FactsError([{"field": "body", "code": "not_an_object"}])
    try:
        return Facts.model_validate(data)
    except ValidationError as exc:
        raise FactsError(field_errors(exc)) from None
