"""The worked example of DESIGN §4: the facts of a tier-1 data centre in the industrial park.
Shown in the API documentation and used by tests as a valid starting point."""

from __future__ import annotations

from typing import Any

EXAMPLE_FACTS: dict[str, Any] = {
    "as_of": "2025-03-01",
    "enterprise": {
        "name": "青海示例算力科技有限公司",
        "credit_code": "91630202MA7ABCDE1Y",
        "registered_region": "630202",
        "sectors": ["cloud_computing", "artificial_intelligence"],
        "activities": ["operation"],
        "qualifications": ["high_tech_enterprise"],
    },
    "project": {
        "code": "2406-630202-04-01-532198",
        "name": "乐都绿色算力中心一期",
        "kind": "new",
        "category": "data_center",
        "region": "630202",
        "in_industrial_park": True,
        "standard_racks": 1200,
        "equipment_investment_cny": "320000000.00",
        "completed_on": "2025-01-15",
    },
    "circumstances": {
        "ai_model_training": "industry_model",
        "scheduling_pilot": False, "scheduled_compute_pflops": 0,
        "green_data_center": True, "research_achievement": False,
        "high_level_talents": 0, "joint_training": False,
        "needs_land": False, "leases_standard_factory": False, "seeks_financing": False,
    },
}
