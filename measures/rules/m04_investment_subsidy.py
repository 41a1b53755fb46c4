"""第4条 投资补助: a one-time subsidy for new or expanded data centres and green computing key
projects, by the actual investment in built standard racks and purchased computing equipment:
1–5亿元 (5亿元 inclusive) → 100万元; above 5亿元 → 200万元. Paid by 海东工业园区管委会 for projects in
the park, otherwise by the county's own finance. DESIGN §3 and §9 settle the readings.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from measures import parameters, regions
from measures.facts import Project, ProjectCategory
from measures.outcome import Basis, Check, MeasureOutcome, Payer, Reason, Status, status_from_checks
from measures.rules.base import Context, Kind, Measure

MEASURE = Measure(4, 2, "投资补助", "Investment subsidy", Kind.SUBSIDY)
READING = Basis.READING
CLAUSE = MEASURE.clause


def evaluate(ctx: Context) -> MeasureOutcome:
    project = ctx.facts.project
    if project is None:
        return MeasureOutcome(4, Status.NOT_APPLICABLE, (Reason("project_declared", Check.FAILED, CLAUSE),))
    investment = ctx.recognized_investment
    if investment is None:
        investment = project.equipment_investment_cny
    checks = [
        _category(project, ctx.as_of),
        _kind(project, ctx.as_of),
        _location(project, ctx.as_of),
        _park(project),
        _built(project, ctx.as_of),
        _racks(project, ctx.as_of),
        _investment(investment, ctx.as_of, recognised=ctx.recognized_investment is not None),
    ]
    if ctx.already_granted is not None:
        # One-time per project: a code already granted fails as `already_granted` (DESIGN §3).
        checks.append(Reason("already_granted", Check.FAILED, CLAUSE) if ctx.already_granted
                      else Reason("one_time", Check.PASSED, CLAUSE))
    missing = tuple(dict.fromkeys(p for r in checks if r.check is Check.MISSING for p in r.params["fields"]))
    status = status_from_checks(checks, Status.ELIGIBLE)
    if status is not Status.ELIGIBLE:
        # Who would pay is said only when there is something to pay (DESIGN §9).
        return MeasureOutcome(4, status, tuple(r for r in checks if r.code != "payer_determined"
                                               or r.check is Check.MISSING), missing)
    amount = tier_amount(investment, ctx.as_of)
    # 第4条, second sentence: the city also applies for provincial special funds and passes them on in full.
    checks.append(Reason("provincial_funds", Check.PASSED, CLAUSE))
    return MeasureOutcome(4, status, tuple(checks), missing, amount, payer(project, ctx.as_of))


def tier_amount(investment: Decimal, as_of: dt.date) -> Decimal | None:
    """The subsidy for a recognised investment, or None below the lowest tier."""
    amount = None
    for tier in parameters.value("m04.tiers", as_of):
        lower = Decimal(tier["lower"])
        if investment > lower or (tier["lower_inclusive"] and investment == lower):
            amount = Decimal(tier["amount"])
    return amount


def payer(project: Project, as_of: dt.date) -> Payer:
    if project.in_industrial_park:
        park = parameters.value("m04.park_payer", as_of)
        return Payer("park_committee", None, park["name"], park["name_en"])
    table = regions.at(as_of)
    region = table.normalize(project.region)
    suffix = parameters.value("m04.county_payer_suffix", as_of)
    name = table.county_name(region) + suffix["name"]
    name_en = f"{table.county_name(region, 'en')} {suffix['name_en']}"
    return Payer("county_finance", region, name, name_en)


def _missing(code: str, *fields: str) -> Reason:
    return Reason(code, Check.MISSING, CLAUSE, {"fields": fields})


def _category(project: Project, as_of: dt.date) -> Reason:
    if project.category is None:
        return _missing("project_category", "project.category")
    ok = project.category in parameters.value("m04.eligible_categories", as_of)
    return Reason("project_category", Check.PASSED if ok else Check.FAILED, CLAUSE, {"category": project.category})


def _kind(project: Project, as_of: dt.date) -> Reason:
    if project.kind is None:
        return _missing("project_kind", "project.kind")
    ok = project.kind in parameters.value("m04.eligible_kinds", as_of)
    return Reason("project_kind", Check.PASSED if ok else Check.FAILED, CLAUSE, {"kind": project.kind})


def _location(project: Project, as_of: dt.date) -> Reason:
    region = project.region
    table = regions.at(as_of)
    if region is None:
        return _missing("project_in_haidong", "project.region")
    if region in table.city_codes:
        # A city-level code does not say which county pays (DESIGN §9).
        return Reason("project_in_haidong", Check.MISSING, CLAUSE, {"fields": ("project.region",), "region": region},
                      "project_in_haidong.city_level", READING)
    check = Check.PASSED if table.is_county(region) else Check.FAILED
    return Reason("project_in_haidong", check, CLAUSE, {"region": region})


def _park(project: Project) -> Reason:
    if project.in_industrial_park is None:
        return _missing("payer_determined", "project.in_industrial_park")
    key = "payer_determined.park" if project.in_industrial_park else "payer_determined.county"
    return Reason("payer_determined", Check.PASSED, CLAUSE, message_key=key)


def _built(project: Project, as_of: dt.date) -> Reason:
    completed = project.completed_on
    if completed is None:
        return _missing("built_within_period", "project.completed_on")
    not_before = parameters.value("m04.built_not_before", as_of)
    params = {"completed_on": completed, "as_of": as_of, "not_before": not_before}
    # Our reading of 实际建成 (DESIGN §10): built on or before the date judged, and not before the
    # measures took effect.
    if completed > as_of:
        return Reason("built_within_period", Check.FAILED, CLAUSE, params, "built_within_period.not_yet_built",
                      READING)
    if completed < not_before:
        return Reason("built_within_period", Check.FAILED, CLAUSE, params, "built_within_period.before_policy",
                      READING)
    return Reason("built_within_period", Check.PASSED, CLAUSE, params, basis=READING)


def _racks(project: Project, as_of: dt.date) -> Reason:
    racks = project.standard_racks
    kw = parameters.value("m04.rack_power_kw", as_of)
    if project.category is ProjectCategory.GREEN_COMPUTING_KEY_PROJECT:
        return Reason("standard_racks", Check.PASSED, CLAUSE, {"racks": racks or 0}, "standard_racks.not_required")
    if racks is None:
        return _missing("standard_racks", "project.standard_racks")
    minimum = parameters.value("m04.min_racks_data_center", as_of)
    if racks < minimum and project.category is None:
        # Only data centres need racks: without the category, too few racks is not yet a failure.
        return Reason("standard_racks", Check.MISSING, CLAUSE, {"fields": ("project.category",), "racks": racks},
                      "standard_racks.category_unknown")
    check = Check.PASSED if racks >= minimum else Check.FAILED
    # 2.5 kW a standard rack is MIIT's guideline, not the text's: a reading.
    return Reason("standard_racks", check, CLAUSE, {"racks": racks, "kw": kw, "minimum": minimum}, basis=READING)


def _investment(investment: Decimal | None, as_of: dt.date, *, recognised: bool) -> Reason:
    """The tier, on the actual investment in built racks and purchased computing equipment (our
    reading of the base: a reading), as declared or as a reviewer recognised it."""
    if investment is None:
        return _missing("investment_tier", "project.equipment_investment_cny")
    amount = tier_amount(investment, as_of)
    which = "recognised" if recognised else "declared"
    if amount is None:
        lowest = Decimal(parameters.value("m04.tiers", as_of)[0]["lower"])
        return Reason("investment_tier", Check.FAILED, CLAUSE, {"investment": investment, "minimum": lowest},
                      f"investment_tier.failed.{which}", READING)
    return Reason("investment_tier", Check.PASSED, CLAUSE, {"investment": investment, "amount": amount},
                  f"investment_tier.passed.{which}", READING)
