"""Monthly storage, the storage utilization surcharge and the aged-inventory surcharge (us-fba.md 6)."""

from decimal import Decimal as D

import pytest

import feecalc

CUBE = dict(length=12, width=12, height=12)  # exactly one cubic foot
BOX = dict(length=18, width=12, height=8)    # 1 cu ft, large standard


def q(on, weeks=None, dims=BOX, **kw):
    return feecalc.quote(on=on, price="20", weight=5, category="toys_and_games", utilization_weeks=weeks,
                         **dims, **kw)


@pytest.mark.parametrize("on, storage", [
    ("2023-01-15", "0.83"), ("2023-02-01", "0.87"), ("2023-10-01", "2.40"),
    ("2024-03-31", "0.87"), ("2024-04-01", "0.78"), ("2026-12-01", "2.40"),
])
def test_monthly_storage_by_period_and_season(on, storage):
    assert q(on).fees["storage_monthly"] == D(storage)


def test_derived_jan_2023_rate_warns():
    assert any("storage[0].rates.standard.jan_sep is DERIVED" in w for w in q("2023-01-15").warnings)


@pytest.mark.parametrize("weeks, standard", [
    (None, "0.00"), (22, "0.00"), ("22.01", "0.44"), (28, "0.44"), (29, "0.76"), (52, "1.58"), (60, "1.88"),
])
def test_utilization_tiers_standard_size_2025(weeks, standard):
    assert q("2025-06-01", weeks).fees["storage_utilization_surcharge"] == D(standard)


def test_utilization_oversize_rate_and_individual_plan():
    big = dict(length=60, width=12, height="2.4")  # 1 cu ft, extra-large
    assert q("2025-06-01", 30, dims=big).fees["storage_utilization_surcharge"] == D("0.46")
    r = q("2025-06-01", 30, plan="individual")
    assert r.fees["storage_utilization_surcharge"] == D("0.00")
    assert r.lines["storage_utilization_surcharge"].endswith("Individual plan: not charged (Professional sellers only)")


def test_utilization_2023_tiers_not_found_and_dangerous_goods_unknown():
    assert q("2023-06-01", 20).fees["storage_utilization_surcharge"] == D("0.00")
    r = q("2023-06-01", 30)
    assert r.unavailable["storage_utilization_surcharge"].startswith(
        "storage utilization surcharge above 26 weeks: the 2023 per-tier table is NOT FOUND")
    assert q("2023-03-01", 60).fees["storage_utilization_surcharge"] == D("0.00")  # before 2023-04-01
    dg = q("2025-06-01", 30, dangerous_goods=True)
    assert "dangerous goods is not given" in dg.unavailable["storage_utilization_surcharge"]
    assert q("2025-06-01", None).lines["storage_utilization_surcharge"].endswith(
        "not assessed: no storage utilization ratio (utilization_weeks) given")


@pytest.mark.parametrize("on, age, fee", [
    ("2023-06-01", 180, "0.00"), ("2023-06-01", 181, "0.50"), ("2023-06-01", 271, "3.80"),
    ("2023-06-01", 366, "6.90"), ("2025-06-01", 271, "5.45"), ("2025-06-01", 331, "5.90"),
    ("2026-01-15", 400, "6.90"), ("2026-01-16", 456, "7.90"),
])
def test_aged_inventory_bands(on, age, fee):
    assert q(on, age_days=age).fees["aged_inventory_surcharge"] == D(fee)


def test_aged_inventory_gaps_and_exemptions():
    assert "NOT FOUND" in q("2023-03-01", age_days=200).unavailable["aged_inventory_surcharge"]
    assert "no known start date" in q("2024-06-01", age_days=280).unavailable["aged_inventory_surcharge"]
    assert q("2024-06-01", age_days=200).fees["aged_inventory_surcharge"] == D("0.50")
    apparel = feecalc.quote(on="2023-06-01", price="20", weight=5, category="jewelry", age_days=200, **BOX)
    assert apparel.fees["aged_inventory_surcharge"] == D("0.00")
    later = feecalc.quote(on="2025-06-01", price="20", weight=5, category="jewelry", age_days=200, **BOX)
    assert later.fees["aged_inventory_surcharge"] == D("0.00")
    assert any("category exemption is low confidence (L)" in w for w in later.warnings)
