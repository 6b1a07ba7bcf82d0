"""The storage utilization surcharge: feecalc/fees/utilization.py; table section storage_utilization (us-fba.md 6.2)."""

from decimal import Decimal as D

import pytest
from quotes import stored


@pytest.mark.parametrize("weeks, standard", [
    (None, "0.00"), (22, "0.00"), ("22.01", "0.44"), (28, "0.44"), (29, "0.76"), (52, "1.58"), (60, "1.88"),
])
def test_utilization_tiers_standard_size_2025(weeks, standard):
    assert stored("2025-06-01", weeks).fees["storage_utilization_surcharge"] == D(standard)


def test_utilization_oversize_rate_and_individual_plan():
    big = dict(length=60, width=12, height="2.4")  # 1 cu ft, extra-large
    assert stored("2025-06-01", 30, dims=big).fees["storage_utilization_surcharge"] == D("0.46")
    r = stored("2025-06-01", 30, plan="individual")
    assert r.fees["storage_utilization_surcharge"] == D("0.00")
    assert r.lines["storage_utilization_surcharge"].endswith("Individual plan: not charged (Professional sellers only)")


def test_utilization_2023_tiers_not_found_and_dangerous_goods_unknown():
    assert stored("2023-06-01", 20).fees["storage_utilization_surcharge"] == D("0.00")
    r = stored("2023-06-01", 30)
    assert r.unavailable["storage_utilization_surcharge"].startswith(
        "storage utilization surcharge above 26 weeks: the 2023 per-tier table is NOT FOUND")
    assert stored("2023-03-01", 60).fees["storage_utilization_surcharge"] == D("0.00")  # before 2023-04-01
    dg = stored("2025-06-01", 30, dangerous_goods=True)
    assert "dangerous goods is not given" in dg.unavailable["storage_utilization_surcharge"]
    assert stored("2025-06-01", None).lines["storage_utilization_surcharge"].endswith(
        "not assessed: no storage utilization ratio (utilization_weeks) given")

