"""Monthly storage: feecalc/fees/storage.py; table sections storage, storage_volume_unit (us-fba.md 6.1, uk-de.md
storage)."""

from decimal import Decimal as D

import pytest
from quotes import stored, uk_de, us


def test_example_10_storage_per_unit():
    # 0.05 cu ft at $0.78: 3.9 cents per unit -> $0.04 (100 units: $3.90)
    r = us("2025-06-01", dims=(6, "4.8", 3), weight="0.5")
    assert r.fees["storage_monthly"] == D("0.04")
    assert us("2025-11-01", dims=(6, "4.8", 3), weight="0.5").fees["storage_monthly"] == D("0.12")  # 0.05 x 2.40


@pytest.mark.parametrize("on, storage", [
    ("2023-01-15", "0.83"), ("2023-02-01", "0.87"), ("2023-10-01", "2.40"),
    ("2024-03-31", "0.87"), ("2024-04-01", "0.78"), ("2026-12-01", "2.40"),
])
def test_monthly_storage_by_period_and_season(on, storage):
    assert stored(on).fees["storage_monthly"] == D(storage)


def test_derived_jan_2023_rate_warns():
    assert any("storage[0].rates.standard.jan_sep is DERIVED" in w for w in stored("2023-01-15").warnings)


def test_storage_per_cubic_foot_and_per_cubic_metre():
    # UK: 6,000 cm3 = 0.2119 cu ft x GBP 0.76 = 16.1p; DE: 0.006 m3 x EUR 27.54 = 16.5 cent
    assert (uk_de("UK").fees["storage_monthly"], uk_de("DE").fees["storage_monthly"]) == (D("0.16"), D("0.17"))
    assert uk_de("DE", category="clothing_and_accessories", dims=(30, 20, 2), weight="300").fees["storage_monthly"] == \
        D("0.02")  # 0.0012 m3 x 19.99 (clothing rate)

