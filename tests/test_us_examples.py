"""Amazon's published worked examples and the DERIVED examples of us-fba.md 11-12 and us-referral.md 5."""

from decimal import Decimal as D

import pytest

import feecalc


def q(on, price="20.00", dims=(10, 6, 2), weight=1.0, unit="lb", category="home_and_kitchen", **kw):
    length, width, height = dims
    return feecalc.quote(marketplace="US", on=on, price=price, length=length, width=width, height=height,
                         weight=weight, weight_unit=unit, category=category, **kw)


# us-fba.md section 11 (Amazon's examples) ------------------------------------------------------
@pytest.mark.parametrize("on, fee", [("2025-06-01", "3.15"), ("2025-11-01", "3.34")])
def test_example_1_mobile_device_case_2025(on, fee):
    r = q(on, dims=(6, 3, 0.5), weight=3, unit="oz")
    assert r.size_tier == "small_standard"
    assert r.fees["fulfillment"] == D(fee)


@pytest.mark.parametrize("on, fee", [("2025-06-01", "12.27"), ("2025-12-01", "13.31")])
def test_example_3_baby_cot_2025(on, fee):
    r = q(on, dims=(24, 7.5, 6), weight="7.90")
    assert (r.size_tier, r.fees["fulfillment"]) == ("large_bulky", D(fee))
    assert r.shipping_weight == D("7.900000")


@pytest.mark.parametrize("on, fee", [("2025-06-01", "51.37"), ("2025-11-20", "54.18")])
def test_example_4_monitor_2025(on, fee):
    r = q(on, price="300", dims=(40, 25, 8), weight=66)
    assert (r.size_tier, r.fees["fulfillment"]) == ("extra_large_50_70", D(fee))


def test_example_5_baby_cot_2026_small_bulky():
    r = q("2026-03-01", price="30.00", dims=(24, 7.5, 6), weight="7.90")
    assert (r.size_tier, r.fees["fulfillment"]) == ("small_bulky", D("10.21"))


def test_example_6_dry_erase_board_dimensional_weight_with_2_inch_minimum():
    r = q("2025-06-01", dims=(40, 1, 25), weight="4.5")
    assert r.size_tier == "large_bulky"
    assert r.dimensional_weight == D("14.388489")
    assert r.fees["fulfillment"] == D("14.93")  # D8: 9.61 + 0.38 x (15 - 1)
    assert q("2023-06-01", dims=(40, 1, 25), weight="4.5").size_tier == "small_oversize"


@pytest.mark.parametrize("on, fee", [("2023-06-01", "3.22"), ("2023-11-01", "3.42")])
def test_example_7_small_standard_2023(on, fee):
    assert q(on, dims=(8, 5, 0.5), weight=3, unit="oz").fees["fulfillment"] == D(fee)


@pytest.mark.parametrize("on, fee", [("2023-06-01", "98.28"), ("2023-11-01", "100.78")])
def test_example_8_large_oversize_2023(on, fee):
    r = q(on, price="500", dims=(100, 10, 10), weight=100)  # 10 lb above 90 at $0.83
    assert (r.size_tier, r.fees["fulfillment"]) == ("large_oversize", D(fee))


def test_example_10_storage_per_unit():
    # 0.05 cu ft at $0.78: 3.9 cents per unit -> $0.04 (100 units: $3.90)
    r = q("2025-06-01", dims=(6, "4.8", 3), weight="0.5")
    assert r.fees["storage_monthly"] == D("0.04")
    assert q("2025-11-01", dims=(6, "4.8", 3), weight="0.5").fees["storage_monthly"] == D("0.12")  # 0.05 x 2.40


# us-fba.md section 12 (DERIVED) -----------------------------------------------------------------
def test_d1_d2_large_standard_1_2_lb():
    assert q("2025-03-01", weight="1.2").fees["fulfillment"] == D("4.99")
    assert q("2025-03-01", price="9.99", weight="1.2").fees["fulfillment"] == D("4.22")


def test_d3_2026_mid_band_and_fuel_surcharge():
    before = q("2026-04-16", weight="1.2")
    after = q("2026-04-17", weight="1.2")
    assert (before.fees["fulfillment"], before.fees["fuel_surcharge"]) == (D("5.04"), D("0.00"))
    assert (after.fees["fulfillment"], after.fees["fuel_surcharge"]) == (D("5.04"), D("0.18"))  # 0.1764 half up


def test_d4_per_4_oz_steps_above_3_lb():
    assert q("2025-03-01", weight="3.6").fees["fulfillment"] == D("7.16")


def test_d5_d6_small_standard_5_oz():
    item = dict(dims=(8, 5, 0.5), weight=5, unit="oz")
    assert q("2025-03-01", **item).fees["fulfillment"] == D("3.24")
    fees = [q("2026-03-01", price=p, **item).fees["fulfillment"] for p in ("9.99", "10.00", "50.01")]
    assert fees == [D("2.56"), D("3.45"), D("3.71")]


def test_d7_large_bulky_20_lb():
    assert q("2025-03-01", dims=(30, 10, 5), weight=20).fees["fulfillment"] == D("16.83")


def test_price_band_edges_2026():
    item = dict(dims=(8, 5, 0.5), weight=5, unit="oz")
    assert q("2026-03-01", price="50.00", **item).fees["fulfillment"] == D("3.45")  # $50.00 is mid
    assert q("2026-03-01", price="9.99", **item).fees["fulfillment"] == D("2.56")   # under $10 is low


# us-referral.md section 5 ------------------------------------------------------------------------
@pytest.mark.parametrize("category, price, fee", [
    ("clothing_and_accessories", "14.99", "0.75"),
    ("clothing_and_accessories", "18.00", "1.80"),
    ("clothing_and_accessories", "25.00", "4.25"),
    ("jewelry", "300", "52.50"),
    ("watches", "2000", "255.00"),
    ("electronics_accessories", "150", "19.00"),
    ("furniture", "500", "60.00"),
    ("beauty_health_and_personal_care", "9.99", "0.80"),
    ("everything_else", "1.50", "0.30"),
])
def test_referral_examples(category, price, fee):
    assert q("2025-06-01", price=price, category=category).fees["referral"] == D(fee)


def test_referral_base_includes_shipping_and_gift_wrap():
    r = q("2025-06-01", price="12.00", shipping="2.99", gift_wrap="1.00", category="clothing_and_accessories")
    assert r.fees["referral"] == D("1.60")  # total 15.99 > 15.00: 10% of the whole


def test_apparel_was_17_percent_before_2024_01_15():
    assert q("2024-01-14", price="14.99", category="clothing_and_accessories").fees["referral"] == D("2.55")
    assert q("2024-01-15", price="14.99", category="clothing_and_accessories").fees["referral"] == D("0.75")


def test_media_closing_fee_and_individual_plan():
    r = q("2026-03-01", price="10.00", category="Books", plan="individual", dims=(9, 6, 0.5), weight=10, unit="oz")
    assert (r.fees["referral"], r.fees["closing"], r.fees["per_item"]) == (D("1.50"), D("1.80"), D("0.99"))
    assert r.total == D("1.50") + D("1.80") + D("0.99") + r.fees["fulfillment"]


def test_display_name_is_accepted_for_category():
    assert q("2026-03-01", category="Home & Kitchen").fees["referral"] == D("3.00")


# unavailable figures are reported, never guessed -------------------------------------------------
def test_interim_2024_card_known_cell_and_unknown_cell():
    known = q("2024-03-01", dims=(16, 1, 1), weight=6, unit="oz")
    assert known.fees["fulfillment"] == D("4.08")
    unknown = q("2024-03-01", dims=(16, 1, 1), weight=10, unit="oz")
    assert "fulfillment" not in unknown.fees and unknown.total is None
    assert unknown.unavailable["fulfillment"] == (
        "2024 interim card (Feb 5 - Apr 14), large_standard, 8 oz+ to 12 oz: the 2024-02-05 to 2024-04-14 "
        "interim card is NOT FOUND except three cells (us-fba.md 4.3)")
    with pytest.raises(feecalc.FeeUnavailable, match="fulfillment is unavailable: 2024 interim card"):
        unknown.fee("fulfillment")


def test_2025_apparel_card_is_unavailable():
    r = q("2025-06-01", apparel=True, category="clothing_and_accessories")
    assert r.unavailable["fulfillment"].startswith("2025 apparel: the full 2024/2025 apparel card is NOT FOUND")
    assert r.fees["referral"] == D("2.00")  # 10% of $20.00 (whole price, $15.01-$20.00)


def test_2026_dangerous_goods_peak_is_unavailable_but_non_peak_is_priced():
    assert q("2026-03-01", dangerous_goods=True, dims=(8, 5, 0.5), weight=5, unit="oz").fees["fulfillment"] == \
        D("4.37")
    r = q("2026-11-01", dangerous_goods=True, dims=(8, 5, 0.5), weight=5, unit="oz")
    assert "NOT FOUND" in r.unavailable["fulfillment"]


def test_derived_figures_carry_a_warning():
    r = q("2025-11-01", dims=(6, 3, 0.5), weight=3, unit="oz")
    assert any("is DERIVED" in w and "method" in w for w in r.warnings)
    assert not any("DERIVED" in w for w in q("2025-06-01", dims=(6, 3, 0.5), weight=3, unit="oz").warnings)


def test_no_table_before_2023():
    with pytest.raises(feecalc.NoFeeTable, match=r"date: no US fee table covers 2022-06-01 \(known: us-2023"):
        q("2022-06-01")


def test_aged_inventory_greater_of_per_cubic_foot_and_per_unit():
    big = q("2026-02-01", dims=(12, 12, 12), weight=5, age_days=400)
    small = q("2026-02-01", dims=(6, 3, 0.5), weight=3, unit="oz", age_days=400)
    assert (big.fees["aged_inventory_surcharge"], small.fees["aged_inventory_surcharge"]) == (D("6.90"), D("0.30"))
    assert q("2026-02-01", dims=(12, 12, 12), weight=5, age_days=500).fees["aged_inventory_surcharge"] == D("7.90")


def test_quote_reports_table_hash_and_explains_every_line():
    r = q("2026-03-01")
    assert r.table_id == "us-2026" and len(r.table_hash) == 64
    text = r.explain()
    assert "fulfillment: 4.60 USD: 2026 non-apparel, non-peak, large_standard, 12 oz+ to 16 oz" in text
    assert "[CODE-26a, CODE-26b; confidence H]" in text
    assert r.to_dict()["fees"]["fulfillment"] == "4.60"  # exactly 1 lb stays in the 12+ to 16 oz band
