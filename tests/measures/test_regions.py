"""Haidong's division codes come from the dated parameter `regions.haidong` (DESIGN §3, §9)."""

import datetime as dt

from measures import regions

DESIGN_CODES = {"630200", "630202", "630203", "630222", "630223", "630224", "630225",
                "632100", "632121", "632122", "632123", "632126", "632127", "632128", "630221"}


def test_it_knows_exactly_the_codes_design_lists():
    assert regions.at(dt.date(2025, 3, 1)).all_codes == DESIGN_CODES


def test_it_maps_each_former_county_code_to_the_current_one():
    table = regions.at(dt.date(2025, 3, 1))
    pairs = {"632121": "630203", "632122": "630222", "632123": "630202",
             "632126": "630223", "632127": "630224", "632128": "630225", "632100": "630200"}
    assert {old: table.normalize(old) for old in pairs} == pairs
    assert table.county_name("632123") == "乐都区"
    assert table.county_name("632123", "en") == "Ledu District"


def test_it_treats_city_codes_as_haidong_but_not_as_a_county():
    table = regions.at(dt.date(2025, 3, 1))
    assert table.is_haidong("630200") and not table.is_county("630200")
    assert not table.is_haidong("630100")
