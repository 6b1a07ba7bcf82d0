"""The fuel and logistics surcharge: feecalc/fees/fuel.py; table section surcharges."""

from decimal import Decimal as D

from quotes import us


def test_d3_2026_mid_band_and_fuel_surcharge():
    before = us("2026-04-16", weight="1.2")
    after = us("2026-04-17", weight="1.2")
    assert (before.fees["fulfillment"], before.fees["fuel_surcharge"]) == (D("5.04"), D("0.00"))
    assert (after.fees["fulfillment"], after.fees["fuel_surcharge"]) == (D("5.04"), D("0.18"))  # 0.1764 half up

