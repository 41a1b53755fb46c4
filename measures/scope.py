"""第七部分: who the measures apply to (scope) and when (validity). Checked before any measure.

Scope: registered in the Haidong administrative area; an enterprise (credit code starting 91);
in a listed field (sector) doing research, production or operation. DESIGN §3 and §9.
"""

from __future__ import annotations

import datetime as dt

from measures import parameters, regions
from measures.facts import Enterprise
from measures.outcome import Check, Reason, Warning

CLAUSE = "第七部分"


def in_force(as_of: dt.date) -> bool:
    return parameters.value("policy.valid_from", as_of) <= as_of <= parameters.value("policy.valid_to", as_of)


def not_in_force_reason(as_of: dt.date) -> Reason:
    params = {
        "as_of": as_of,
        "valid_from": parameters.value("policy.valid_from", as_of),
        "valid_to": parameters.value("policy.valid_to", as_of),
    }
    return Reason("policy_not_in_force", Check.FAILED, CLAUSE, params)


def check(enterprise: Enterprise, as_of: dt.date) -> tuple[list[Reason], list[Warning]]:
    """The scope criteria, and warnings for the reviewer."""
    registered, warnings = _registered(enterprise, regions.at(as_of))
    return [registered, _enterprise_type(enterprise, as_of), _sector(enterprise, as_of),
            _activity(enterprise, as_of)], warnings


def in_scope(criteria: list[Reason]) -> bool | None:
    checks = {r.check for r in criteria}
    if Check.FAILED in checks:
        return False
    if Check.MISSING in checks:
        return None
    return True


def _registered(enterprise: Enterprise, table: regions.Regions) -> tuple[Reason, list[Warning]]:
    declared = enterprise.registered_region
    from_code = enterprise.credit_code[2:8] if enterprise.credit_code else None
    region = declared or from_code
    if region is None:
        fields = ("enterprise.registered_region", "enterprise.credit_code")
        return Reason("registered_in_haidong", Check.MISSING, CLAUSE, {"fields": fields}), []
    warnings = []
    # Old and new codes of one county agree; any other difference, either way, is for the
    # reviewer to verify (DESIGN §9), including a city-level code against one of its counties.
    if declared and from_code and table.normalize(declared) != table.normalize(from_code):
        warnings.append(Warning("credit_code_region_differs", {"declared": declared, "credit_code_region": from_code}))
    check = Check.PASSED if table.is_haidong(region) else Check.FAILED
    source = "registered_region" if declared else "credit_code"
    return Reason("registered_in_haidong", check, CLAUSE, {"region": region, "source": source}), warnings


def _enterprise_type(enterprise: Enterprise, as_of: dt.date) -> Reason:
    code = enterprise.credit_code
    if code is None:
        return Reason("is_enterprise", Check.PASSED, CLAUSE, message_key="is_enterprise.unchecked")
    prefixes = parameters.value("scope.enterprise_credit_code_prefixes", as_of)
    check = Check.PASSED if code[:2] in prefixes else Check.FAILED
    return Reason("is_enterprise", check, CLAUSE, {"prefix": code[:2]})


def _sector(enterprise: Enterprise, as_of: dt.date) -> Reason:
    if not enterprise.sectors:
        return Reason("listed_sector", Check.MISSING, CLAUSE, {"fields": ("enterprise.sectors",)})
    listed = parameters.value("scope.listed_sectors", as_of)
    matching = [s for s in enterprise.sectors if s in listed]
    return Reason("listed_sector", Check.PASSED if matching else Check.FAILED, CLAUSE, {"sectors": matching})


def _activity(enterprise: Enterprise, as_of: dt.date) -> Reason:
    if not enterprise.activities:
        return Reason("listed_activity", Check.MISSING, CLAUSE, {"fields": ("enterprise.activities",)})
    listed = parameters.value("scope.listed_activities", as_of)
    matching = [a for a in enterprise.activities if a in listed]
    return Reason("listed_activity", Check.PASSED if matching else Check.FAILED, CLAUSE, {"activities": matching})
