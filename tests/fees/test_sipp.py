"""The SIPP discount: feecalc/fees/sipp.py; table section sipp_discounts (us-fba.md 4.8, uk-de.md 5.11).  Band edges
of every entry: tests/fees/test_per_unit_edges.py."""

from decimal import Decimal as D

import pytest
from quotes import uk_de, us
from table_files import edited, load_error

FUEL = ("from 2026-04-17 the fuel_surcharge line is 3.5% of the rate card's fulfilment fee; whether Amazon takes it "
        "before or after the SIPP discount is NOT FOUND (at most 1 cent less if after; us-fba.md 4.7, 4.8)")


def test_us_2026_discount_is_its_own_line():
    plain, sipp = us("2026-05-01"), us("2026-05-01", sipp=True)  # large standard, 1 lb (12+ to 16 oz)
    assert sipp.fees["fulfillment"] == plain.fees["fulfillment"] == D("4.60")  # the rate card's figure
    assert sipp.fees["sipp_discount"] == D("-0.08") and sipp.total == plain.total - D("0.08")
    assert sipp.lines["sipp_discount"] == ("-0.08 USD: 2026 SIPP discount, non-apparel, large_standard, 12 oz+ to "
                                           "16 oz: -0.08 on the fulfilment fee [CODE-PZ (us-fba.md 4.8); confidence M]")
    assert FUEL in sipp.warnings and FUEL not in plain.warnings
    assert plain.lines["sipp_discount"] == "0.00 USD: no discount: not a SIPP unit (sipp=false)"
    assert us("2026-05-01", sipp=True, apparel=True).fees["sipp_discount"] == D("-0.07")
    small = us("2026-05-01", sipp=True, dims=(10, 6, 0.5), weight=5, unit="oz")
    assert (small.size_tier, small.fees["sipp_discount"]) == ("small_standard", D("-0.05"))
    heavy = us("2026-05-01", sipp=True, weight=4)
    assert heavy.fees["sipp_discount"] == D("-0.23")


def test_no_discount_for_bulky_unknown_for_peak_dg_and_before_2026():
    bulky = us("2026-05-01", sipp=True, dims=(20, 2, 2), weight=3)
    assert (bulky.size_tier, bulky.fees["sipp_discount"]) == ("small_bulky", D("0.00"))
    peak = us("2026-11-01", sipp=True)
    assert peak.unavailable["sipp_discount"] == (
        "SIPP discount on the '2026 non-apparel, peak' card: the 2026 SIPP table (CODE-PZ, us-fba.md 4.8) has no "
        "dangerous-goods rows and does not say whether the discount applies to the peak cards: NOT FOUND")
    assert peak.total is None  # a saving of unknown size: the total is not known either
    assert "sipp_discount" in us("2026-05-01", sipp=True, dangerous_goods=True).unavailable
    assert us("2025-05-01", sipp=True).unavailable["sipp_discount"] == (
        "SIPP discount on the '2024/2025 non-apparel, non-peak' card: the SIPP discount before 2026-01-15 is NOT FOUND "
        "(us-fba.md 4.8 gives the 2026 table only)")
    assert us("2025-05-01").total is not None  # no SIPP unit, no question


@pytest.mark.parametrize("market, kw, tier, discount", [
    ("UK", {}, "small_parcel", "-0.07"),                                     # 900 g+ to 1.4 kg, standard rates
    ("DE", {}, "small_parcel", "-0.08"),
    ("UK", dict(price="8.00", dims=(30, 20, 1), weight="50"), "light_envelope", "-0.01"),   # low-price rates
    ("DE", dict(dims=(40, 30, 20), weight="3000"), "standard_parcel", "-0.21"),  # 4.8 kg dimensional: 3.9+ to 5.9 kg
    ("UK", dict(dims=(34, 24, 6), weight="300", category="clothing_and_accessories"), "small_parcel_1", "-0.07"),
    ("DE", dict(dims=(39, 29, 5), weight="300", category="clothing_and_accessories"), "medium_parcel_1", "-0.12"),
])
def test_uk_and_de_2026(market, kw, tier, discount):
    q = uk_de(market, sipp=True, **kw)
    assert (q.size_tier, q.fees["sipp_discount"]) == (tier, D(discount))


def test_uk_and_de_cards_without_a_column_are_unavailable():
    cep = uk_de("DE", sipp=True, program="cep")
    assert cep.unavailable["sipp_discount"].startswith("SIPP discount on the 'DE 2026 standard, CEP' card: no SIPP "
                                                       "discount is given for this card")
    oversize = uk_de("UK", sipp=True, dims=(70, 30, 20), weight="5000")
    assert oversize.unavailable["sipp_discount"] == (
        "SIPP discount on the 'UK 2026 standard' card: the SIPP discount tables (uk-de.md 5.11) list envelopes and "
        "parcels only; a discount for oversize is NOT FOUND")
    assert oversize.fees["packaging"] == D("0.00")  # SIPP still waives the oversize packaging fee
    assert uk_de("UK", sipp=True, on="2025-06-01").unavailable["sipp_discount"] == (
        "SIPP discount: no figures in uk-2025 (NOT FOUND in the reference for this store and date)")


def test_the_digital_services_fee_takes_the_discount():
    q = us("2026-05-01", sipp=True, seller_country="UK")
    # 2% of 3.00 = 0.06, of 4.60 = 0.092 -> 0.09, of -0.08 = -0.0016 -> 0.00 (each rounded on its own, half up)
    assert q.fees["digital_services_fee"] == D("0.15")


@pytest.mark.parametrize("market, small, parcel, selected", [
    ("FR", "-0.08", "-0.23", "-0.13"), ("IT", "-0.09", "-0.25", "-0.14"), ("ES", "-0.10", "-0.25", "-0.15"),
])
def test_fr_it_and_es_2026(market, small, parcel, selected):
    # eu.md 7.4 (EU-34, M): a small parcel of 1.2 kg (900 g+ to 1.4 kg), a standard parcel of 4.8 kg dimensional
    # (3.9+ to 5.9 kg), medium parcel 1 of the selected-categories card, a light envelope at the low-price rate
    assert (uk_de(market, sipp=True).fees["sipp_discount"]) == D(small)
    assert uk_de(market, sipp=True, dims=(40, 30, 20), weight="3000").fees["sipp_discount"] == D(parcel)
    apparel = uk_de(market, sipp=True, dims=(39, 29, 5), weight="300", category="clothing_and_accessories")
    assert (apparel.size_tier, apparel.fees["sipp_discount"]) == ("medium_parcel_1", D(selected))
    cheap = uk_de(market, sipp=True, price="8.00", dims=(30, 20, 1), weight="50")
    assert (cheap.size_tier, cheap.fees["sipp_discount"]) == ("light_envelope", D("-0.01"))
    pan_eu = uk_de(market, sipp=True, program="pan_eu")
    assert pan_eu.unavailable["sipp_discount"].startswith(
        f"SIPP discount on the '{market} 2026 Pan-EU from DE stock, not in CEP' card: no SIPP discount is given")
    assert "sipp_discount" in uk_de(market, sipp=True, dims=(70, 30, 20), weight="5000").unavailable
    assert uk_de(market, sipp=True, on="2025-06-01").unavailable["sipp_discount"].startswith("SIPP discount: no")


def test_a_discount_entry_must_name_known_cards(tmp_path):
    path = edited(tmp_path, 'cards = ["2026 non-apparel, non-peak"]', 'cards = ["2026 non-apparel, any"]')
    assert "sipp_discounts[0].cards: no fulfillment card named '2026 non-apparel, any'" in load_error(path)
