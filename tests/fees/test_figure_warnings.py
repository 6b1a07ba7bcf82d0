"""A figure's own `warning` (feecalc/fees/base.py Register.figure; schema key `warning`): the table's statement about a
figure the reference qualifies (single-sourced, graded M, undated), shown wherever that figure prices a line whatever
its grade, and only there.  The statements of the issue 13 review: us-fba.md 2.3, 4.8, 8; uk-de.md 5.11; eu.md 7.4."""

from decimal import Decimal as D

import pytest
from quotes import uk_de, us

OVERMAX_21 = ("overmax handling fee, XL 50-70 lb: USD 21 rests on CODE-PZ alone (graded M; ZZ26's USD 17 to 25 range "
              "confirms only the end values; us-fba.md 2.3)")
US_SIPP = "SIPP discount, 2026: single-sourced, CODE-PZ only (graded M; us-fba.md 4.8)"


def stated(q, *words):
    return [w for w in q.warnings if any(word in w for word in words)]


def test_the_overmax_fee_of_xl_50_70_lb_rests_on_one_source():
    q = us("2026-05-01", price="80", dims=(97, 2, 2), weight=60)
    assert (q.size_tier, q.fees["overmax_handling"]) == ("extra_large_50_70", D("21.00"))
    assert OVERMAX_21 in q.warnings
    light = us("2026-05-01", price="80", dims=(97, 2, 2), weight=30)  # USD 17: ZZ26 and CODE-PZ, M-H
    assert light.fees["overmax_handling"] == D("17.00") and OVERMAX_21 not in light.warnings


def test_us_2026_sipp_discounts_are_single_sourced():
    q = us("2026-05-01", weight=1.0, sipp=True)
    assert (q.size_tier, q.fees["sipp_discount"]) == ("large_standard", D("-0.08"))
    assert US_SIPP in q.warnings
    assert US_SIPP not in us("2026-05-01", weight=1.0).warnings  # not a SIPP unit: no discount, no statement


def test_us_2026_low_inventory_bulky_cells_warn_and_the_3_lb_split_is_graded_m():
    bulky = us("2026-05-01", dims=(30, 20, 10), weight=10, days_of_supply=10)
    assert (bulky.size_tier, bulky.fees["low_inventory_level"]) == ("small_bulky", D("1.85"))
    assert stated(bulky, "low-inventory") == [
        "low-inventory-level fee, 2026 small bulky cells: single-sourced, CODE-PZ only (graded M; us-fba.md 8)"]
    heavy = us("2026-05-01", weight=5, days_of_supply=10)  # large standard over 3 lb: the split is CODE-PZ's (M)
    assert (heavy.size_tier, heavy.fees["low_inventory_level"]) == ("large_standard", D("1.11"))
    assert heavy.lines["low_inventory_level"].endswith(
        "1.11 per unit shipped [CODE-PZ (the 2026 split at 3 lb); A-LIL24 (the 2024 cells); confidence M]")
    assert stated(heavy, "low-inventory") == []  # the nine standard-size cells themselves are H
    assert us("2024-06-01", weight=5, days_of_supply=10).lines["low_inventory_level"].endswith(
        "1.11 per unit shipped [A-LIL24; confidence H]")  # Amazon's 2024 table


@pytest.mark.parametrize("market, section, discount", [
    ("UK", "uk-de.md 5.11", "-0.07"), ("DE", "uk-de.md 5.11", "-0.08"), ("FR", "eu.md 7.4", "-0.08"),
    ("IT", "eu.md 7.4", "-0.09"), ("ES", "eu.md 7.4", "-0.10"),
])
def test_european_sipp_discounts_and_the_cost_coverage_fee_are_graded_m(market, section, discount):
    q = uk_de(market, sipp=True, days_of_supply=10, pan_eu_unit=True)  # small parcel, 1.2 kg
    assert q.fees["sipp_discount"] == D(discount)
    assert f"SIPP discount, {market} 2026: single-sourced, EU-34 only (graded M; {section})" in q.warnings
    lil = [w for w in q.warnings if w.startswith("low-inventory-level cost coverage fee")]
    if market == "UK":  # no such fee in the UK
        assert q.fees["low_inventory_level"] == D("0.00") and lil == []
    else:
        assert q.fees["low_inventory_level"] == D("0.46")
        also = "" if market == "DE" else ", eu.md 7.4"
        assert lil == [f"low-inventory-level cost coverage fee, {market} 2026: from EU-34 and EU-52, graded M "
                       f"(uk-de.md 5.11{also})"]
    plain = uk_de(market)
    assert stated(plain, "SIPP discount, ", "cost coverage") == []
