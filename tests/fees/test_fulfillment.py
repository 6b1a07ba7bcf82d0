"""The fulfilment fee: feecalc/fees/fulfillment.py; table sections price_bands, fulfillment_cards. Amazon's worked
examples (us-fba.md 11), the DERIVED examples (12), programmes and unavailable cells. Band edges:
test_fulfillment_edges.py; cards cell by cell against the reference: test_fulfillment_reference.py."""

from decimal import Decimal as D

import pytest
from quotes import ON, uk_de, us

import feecalc


# us-fba.md section 11 (Amazon's examples) ------------------------------------------------------
@pytest.mark.parametrize("on, fee", [("2025-06-01", "3.15"), ("2025-11-01", "3.34")])
def test_example_1_mobile_device_case_2025(on, fee):
    r = us(on, dims=(6, 3, 0.5), weight=3, unit="oz")
    assert r.size_tier == "small_standard"
    assert r.fees["fulfillment"] == D(fee)


@pytest.mark.parametrize("on, fee", [("2025-06-01", "12.27"), ("2025-12-01", "13.31")])
def test_example_3_baby_cot_2025(on, fee):
    r = us(on, dims=(24, 7.5, 6), weight="7.90")
    assert (r.size_tier, r.fees["fulfillment"]) == ("large_bulky", D(fee))
    assert r.shipping_weight == D("7.900000")


@pytest.mark.parametrize("on, fee", [("2025-06-01", "51.37"), ("2025-11-20", "54.18")])
def test_example_4_monitor_2025(on, fee):
    r = us(on, price="300", dims=(40, 25, 8), weight=66)
    assert (r.size_tier, r.fees["fulfillment"]) == ("extra_large_50_70", D(fee))


def test_example_5_baby_cot_2026_small_bulky():
    r = us("2026-03-01", price="30.00", dims=(24, 7.5, 6), weight="7.90")
    assert (r.size_tier, r.fees["fulfillment"]) == ("small_bulky", D("10.21"))


@pytest.mark.parametrize("on, fee", [("2023-06-01", "3.22"), ("2023-11-01", "3.42")])
def test_example_7_small_standard_2023(on, fee):
    assert us(on, dims=(8, 5, 0.5), weight=3, unit="oz").fees["fulfillment"] == D(fee)


@pytest.mark.parametrize("on, fee", [("2023-06-01", "98.28"), ("2023-11-01", "100.78")])
def test_example_8_large_oversize_2023(on, fee):
    r = us(on, price="500", dims=(100, 10, 10), weight=100)  # 10 lb above 90 at $0.83
    assert (r.size_tier, r.fees["fulfillment"]) == ("large_oversize", D(fee))


# us-fba.md section 12 (DERIVED) -----------------------------------------------------------------
def test_d1_d2_large_standard_1_2_lb():
    assert us("2025-03-01", weight="1.2").fees["fulfillment"] == D("4.99")
    assert us("2025-03-01", price="9.99", weight="1.2").fees["fulfillment"] == D("4.22")


def test_d4_per_4_oz_steps_above_3_lb():
    assert us("2025-03-01", weight="3.6").fees["fulfillment"] == D("7.16")


def test_d5_d6_small_standard_5_oz():
    item = dict(dims=(8, 5, 0.5), weight=5, unit="oz")
    assert us("2025-03-01", **item).fees["fulfillment"] == D("3.24")
    fees = [us("2026-03-01", price=p, **item).fees["fulfillment"] for p in ("9.99", "10.00", "50.01")]
    assert fees == [D("2.56"), D("3.45"), D("3.71")]


def test_d7_large_bulky_20_lb():
    assert us("2025-03-01", dims=(30, 10, 5), weight=20).fees["fulfillment"] == D("16.83")


def test_price_band_edges_2026():
    item = dict(dims=(8, 5, 0.5), weight=5, unit="oz")
    assert us("2026-03-01", price="50.00", **item).fees["fulfillment"] == D("3.45")  # $50.00 is mid
    assert us("2026-03-01", price="9.99", **item).fees["fulfillment"] == D("2.56")   # under $10 is low


# unavailable figures are reported, never guessed -------------------------------------------------
def test_interim_2024_card_known_cell_and_unknown_cell():
    known = us("2024-03-01", dims=(16, 1, 1), weight=6, unit="oz")
    assert known.fees["fulfillment"] == D("4.08")
    unknown = us("2024-03-01", dims=(16, 1, 1), weight=10, unit="oz")
    assert "fulfillment" not in unknown.fees and unknown.total is None
    assert unknown.unavailable["fulfillment"] == (
        "2024 interim card (Feb 5 - Apr 14), large_standard, 8 oz+ to 12 oz: the 2024-02-05 to 2024-04-14 "
        "interim card is NOT FOUND except three cells (us-fba.md 4.3)")
    with pytest.raises(feecalc.FeeUnavailable, match="fulfillment is unavailable: 2024 interim card"):
        unknown.fee("fulfillment")


def test_2025_apparel_card_is_unavailable():
    r = us("2025-06-01", apparel=True, category="clothing_and_accessories")
    assert r.unavailable["fulfillment"].startswith("2025 apparel: the full 2024/2025 apparel card is NOT FOUND")
    assert r.fees["referral"] == D("2.00")  # 10% of $20.00 (whole price, $15.01-$20.00)


def test_2026_dangerous_goods_peak_is_unavailable_but_non_peak_is_priced():
    assert us("2026-03-01", dangerous_goods=True, dims=(8, 5, 0.5), weight=5, unit="oz").fees["fulfillment"] == \
        D("4.37")
    r = us("2026-11-01", dangerous_goods=True, dims=(8, 5, 0.5), weight=5, unit="oz")
    assert "NOT FOUND" in r.unavailable["fulfillment"]


def test_derived_figures_carry_a_warning():
    r = us("2025-11-01", dims=(6, 3, 0.5), weight=3, unit="oz")
    assert any("is DERIVED" in w and "method" in w for w in r.warnings)
    assert not any("DERIVED" in w for w in us("2025-06-01", dims=(6, 3, 0.5), weight=3, unit="oz").warnings)


def test_selected_categories_tiers_and_gaps():
    # Amazon's May 2025 example, restated by EU-43: a 900 g backpack, medium parcel 1
    backpack = dict(dims=(38, 28, 5), weight="900", category="rucksacks_and_handbags")
    assert uk_de("UK", **backpack).fees["fulfillment"] == D("3.13")
    assert uk_de("DE", program="cep", **backpack).fees["fulfillment"] == D("3.80")
    # the tiers are open only to their categories; edges are inclusive
    assert uk_de("UK", dims=(35, 25, 7), weight="500", category="footwear").size_tier == "small_parcel_1"
    assert uk_de("UK", dims=(35, 25, "7.01"), weight="500", category="footwear").size_tier == "small_parcel_2"
    assert uk_de("UK", dims=(35, 25, 7), weight="500", category="kitchen").size_tier == "small_parcel"
    assert uk_de("UK", dims=(35, 25, 7), weight="3901", category="footwear").size_tier == "medium_parcel_2"
    assert uk_de("UK", dims=(30, 20, 2), weight="50", category="footwear").size_tier == "light_envelope"
    # low-price: which card applies to a selected-categories small parcel up to 400 g is NOT FOUND
    low = dict(price="12.00", dims=(34, 20, 5), category="clothing_and_accessories")
    assert "Low-Price FBA small-parcel rate or the selected-categories card is NOT FOUND" in \
        uk_de("UK", weight="400", **low).unavailable["fulfillment"]
    assert uk_de("UK", weight="401", **low).fees["fulfillment"] == D("2.83") + 4 * D("0.02")
    assert uk_de("DE", weight="300", dangerous_goods=True, category="clothing_and_accessories", dims=(34, 20, 5))\
        .fees["fulfillment"] == D("3.30") + 2 * D("0.05") + D("0.10")
    # the 2026 holiday peak card of the selected categories (uk-de.md 5.3a, M): 3.08 + 8 x 0.02
    peak = uk_de("UK", on="2026-11-01", **backpack)
    assert peak.fees["fulfillment"] == D("3.24") and any(w.startswith("2026 holiday peak (2026-10-15 to 2027-01-14)")
                                                        for w in peak.warnings)


def test_efn_and_remote_gaps_and_storage():
    assert "special-oversize fees for EFN from other EU stock, in CEP are NOT FOUND" in \
        uk_de("DE", program="efn_cep", dims=(200, 50, 50), weight="35000").unavailable["fulfillment"]
    assert "a low-price card for remote fulfilment from EU stock is NOT FOUND" in \
        uk_de("UK", program="remote_fulfillment", price="9.00", dims=(30, 20, 3), weight="300")\
        .unavailable["fulfillment"]
    assert uk_de("DE", program="efn", on="2026-11-01").fees["fulfillment"] == D("10.17")  # the peak (uk-de.md 5.3a)
    efn_clothing = uk_de("DE", program="efn", category="clothing_and_accessories")  # small parcel 3, 1,200 g
    assert (efn_clothing.size_tier, efn_clothing.fees["fulfillment"]) == ("small_parcel_3", D("8.41") + 11 * D("0.04"))
    remote = uk_de("UK", program="remote_fulfillment")
    assert remote.fees["fulfillment"] == D("4.86") and remote.total is not None
    assert remote.unavailable["storage_monthly"].startswith("under this programme the units are stored in another")
    assert "program efn has no fulfillment rate card in us-2026" in feecalc.quote(
        "US", ON, price="20", length=10, width=8, height=2, weight=1, category="home_and_kitchen", program="efn"
    ).unavailable["fulfillment"]


def test_dangerous_goods_card_chained_through_cep():
    # DE 2026 dangerous goods, CEP = (DE only - 0.26) + 0.10, through two rows_from cards
    assert uk_de("DE", program="cep", dangerous_goods=True).fees["fulfillment"] == D("3.15") + D("0.10")
    backpack = dict(dims=(38, 28, 5), weight="900", category="rucksacks_and_handbags")
    assert uk_de("DE", program="cep", dangerous_goods=True, **backpack).fees["fulfillment"] == D("3.80") + D("0.10")


def test_programmes_and_unavailable_figures():
    assert uk_de("DE", program="cep").fees["fulfillment"] == uk_de("DE").fees["fulfillment"] - D("0.26")
    special = dict(dims=(200, 50, 50), weight="35000", category="furniture", price="100")
    assert uk_de("DE", program="cep", **special).fees["fulfillment"] == uk_de("DE", **special).fees["fulfillment"] == \
        D("24.19")
    assert "restricted categories (capped at EUR 11) is NOT FOUND" in \
        uk_de("DE", price="15.00", dims=(30, 20, 3), weight="300").unavailable["fulfillment"]
    assert uk_de("DE", price="11.00", dims=(30, 20, 3), weight="300").fees["fulfillment"] == D("2.65")
    assert uk_de("UK", price="12.00", dims=(30, 20, 3), weight="300", category="toys_and_games")\
        .fees["fulfillment"] == \
        D("2.42")
    assert uk_de("UK", category="clothing_and_accessories").fees["fulfillment"] == D("2.91") + 11 * D("0.02")
    assert uk_de("UK", on="2026-11-01").fees["fulfillment"] == D("3.16")  # the 2026 peak (uk-de.md 5.3a)
    assert uk_de("UK", on="2026-11-01", dims=(30, 20, 2), weight="50").fees["fulfillment"] == D("1.89")
    assert "DE media closing fee for 2025-26 is NOT FOUND" in uk_de("DE", category="books").unavailable["closing"]
    assert uk_de("UK", category="books").fees["closing"] == D("0.50")
    with pytest.raises(feecalc.NoFeeTable, match=r"^date: no UK fee table covers 2025-01-14"):
        uk_de("UK", on="2025-01-14")

