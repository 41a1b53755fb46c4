"""The 20 measures, in order. Measure N lives in `mNN_<name>.py`; the list below is the registry."""

from measures.rules import (
    m01_green_power_supply,
    m02_green_power_price,
    m03_green_power_traceability,
    m04_investment_subsidy,
    m05_computing_voucher,
    m06_tax_policy,
    m07_research_award,
    m08_land_supply,
    m09_lease_concession,
    m10_enterprise_cultivation,
    m11_innovation_platform,
    m12_scheduling_pilot,
    m13_talent_attraction,
    m14_talent_training,
    m15_project_approval,
    m16_streamlined_review,
    m17_infrastructure,
    m18_financial_support,
    m19_energy_demand,
    m20_network_security,
)

RULES = (
    m01_green_power_supply,
    m02_green_power_price,
    m03_green_power_traceability,
    m04_investment_subsidy,
    m05_computing_voucher,
    m06_tax_policy,
    m07_research_award,
    m08_land_supply,
    m09_lease_concession,
    m10_enterprise_cultivation,
    m11_innovation_platform,
    m12_scheduling_pilot,
    m13_talent_attraction,
    m14_talent_training,
    m15_project_approval,
    m16_streamlined_review,
    m17_infrastructure,
    m18_financial_support,
    m19_energy_demand,
    m20_network_security,
)

MEASURES = tuple(rule.MEASURE for rule in RULES)

assert [m.number for m in MEASURES] == list(range(1, 21)), "the registry must hold measures 1..20 in order"
