"""Size tier, dimensional weight and shipping weight: feecalc/fees/size_tier.py; table sections size_tiers,
dimensional_weight."""

from decimal import Decimal as D

import pytest
from quotes import ON, uk_de, us

import feecalc


def test_example_6_dry_erase_board_dimensional_weight_with_2_inch_minimum():
    r = us("2025-06-01", dims=(40, 1, 25), weight="4.5")
    assert r.size_tier == "large_bulky"
    assert r.dimensional_weight == D("14.388489")
    assert r.fees["fulfillment"] == D("14.93")  # D8: 9.61 + 0.38 x (15 - 1)
    assert us("2023-06-01", dims=(40, 1, 25), weight="4.5").size_tier == "small_oversize"


@pytest.mark.parametrize("dims, weight, tier", [
    ((33, 23, 2.5), "100", "light_envelope"),
    ((33, 23, 2.5), "100.001", "standard_envelope"),
    ((33, 23, "2.51"), "100", "large_envelope"),
    ((33, 23, 6), "960", "extra_large_envelope"),
    ((33, 23, 6), "960.01", "small_parcel"),
    ((35, 25, 12), "2100", "small_parcel"),          # dimensional weight exactly 2.10 kg
    ((35, 25, "12.01"), "2100", "standard_parcel"),
    ((45, 34, 26), "7960", "standard_parcel"),       # 39,780 cm3 / 5 = 7,956 g
    ((61, 46, 46), "1760", "small_oversize"),
    ((61, 46, 46), "1760.01", "standard_oversize_light"),
    ((101, 60, 60), "15000", "standard_oversize_light"),
    ((101, 60, 60), "15000.01", "standard_oversize_heavy"),
    ((120, 60, 60), "23000", "standard_oversize_large"),
    ((175, 30, 30), "23000", "bulky_oversize"),
    ((175, 30, 30), "31500", "heavy_oversize"),
    ((175.01, 30, 30), "1000", "special_oversize"),
])
def test_tier_edges_in_centimetres_and_grams(dims, weight, tier):
    assert uk_de("DE", dims=dims, weight=weight).size_tier == tier
    assert uk_de("UK", dims=dims, weight=weight).size_tier == tier


def test_inches_and_pounds_cost_the_same_as_their_metric_equivalent():
    metric = uk_de("DE", dims=("30.48", "20.32", "10.16"), weight="453.59237")
    imperial = feecalc.quote("DE", ON, price="24.00", length=12, width=8, height=4, dimension_unit="in", weight=1,
                             weight_unit="lb", category="kitchen")
    assert (imperial.size_tier, imperial.fees) == (metric.size_tier, metric.fees)
    assert imperial.shipping_weight == D("1258.526515")  # dimensional: 6,292.63 cm3 / 5

