"""The aged-inventory surcharge: feecalc/fees/aged_inventory.py; table section aged_inventory (us-fba.md 6.3)."""

from decimal import Decimal as D

import pytest
from quotes import BOX, stored, us

import feecalc


def test_aged_inventory_greater_of_per_cubic_foot_and_per_unit():
    big = us("2026-02-01", dims=(12, 12, 12), weight=5, age_days=400)
    small = us("2026-02-01", dims=(6, 3, 0.5), weight=3, unit="oz", age_days=400)
    assert (big.fees["aged_inventory_surcharge"], small.fees["aged_inventory_surcharge"]) == (D("6.90"), D("0.30"))
    assert us("2026-02-01", dims=(12, 12, 12), weight=5, age_days=500).fees["aged_inventory_surcharge"] == D("7.90")


@pytest.mark.parametrize("on, age, fee", [
    ("2023-06-01", 180, "0.00"), ("2023-06-01", 181, "0.50"), ("2023-06-01", 271, "3.80"),
    ("2023-06-01", 366, "6.90"), ("2025-06-01", 271, "5.45"), ("2025-06-01", 331, "5.90"),
    ("2026-01-15", 400, "6.90"), ("2026-01-16", 456, "7.90"),
])
def test_aged_inventory_bands(on, age, fee):
    assert stored(on, age_days=age).fees["aged_inventory_surcharge"] == D(fee)


def test_aged_inventory_gaps_and_exemptions():
    assert "NOT FOUND" in stored("2023-03-01", age_days=200).unavailable["aged_inventory_surcharge"]
    assert "no known start date" in stored("2024-06-01", age_days=280).unavailable["aged_inventory_surcharge"]
    assert stored("2024-06-01", age_days=200).fees["aged_inventory_surcharge"] == D("0.50")
    apparel = feecalc.quote(on="2023-06-01", price="20", weight=5, category="jewelry", age_days=200, **BOX)
    assert apparel.fees["aged_inventory_surcharge"] == D("0.00")
    later = feecalc.quote(on="2025-06-01", price="20", weight=5, category="jewelry", age_days=200, **BOX)
    assert later.fees["aged_inventory_surcharge"] == D("0.00")
    assert any("category exemption is low confidence (L)" in w for w in later.warnings)

