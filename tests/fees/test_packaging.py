"""Packaging fees and the SIPP waiver: feecalc/fees/packaging.py; table section packaging_fees."""

from decimal import Decimal as D

from quotes import ON, uk_de

import feecalc


def test_packaging_fees_and_sipp():
    # UK oversize packaging: 8.4 kg dimensional weight, standard oversize light: 0.80 + 8 x 0.10
    oversize = uk_de("UK", dims=(70, 30, 20), weight="5000")
    assert (oversize.size_tier, oversize.fees["packaging"]) == ("standard_oversize_light", D("1.60"))
    assert oversize.total == sum((oversize.fees[k] for k in ("referral", "fulfillment", "fuel_surcharge", "packaging",
                                                              "digital_services_fee")), D("0"))
    assert uk_de("UK", dims=(70, 30, 20), weight="5000", sipp=True).fees["packaging"] == D("0.00")
    assert uk_de("DE", dims=(70, 30, 20), weight="5000").fees["packaging"] == D("0.92") + 8 * D("0.11")
    # standard oversize heavy, 24 kg dimensional weight: 2.58 + 9 x 0.49 (8.24 kg above 15.76 kg)
    assert uk_de("DE", dims=(100, 40, 30), weight="20000").fees["packaging"] == D("2.58") + 9 * D("0.49")
    assert uk_de("UK").fees["packaging"] == D("0.00")                    # a parcel: no packaging fee
    assert uk_de("UK", on="2025-06-01", dims=(70, 30, 20), weight="5000").fees["packaging"] == D("0.00")  # from 2026
    # US 2026 bulky packaging fee, by dimensional weight: 30 x 20 x 10 in / 139 = 43.17 lb -> 40-45 lb band
    bulky = feecalc.quote("US", ON, price="60", length=30, width=20, height=10, weight=15, category="home_and_kitchen")
    assert (bulky.size_tier, bulky.fees["packaging"]) == ("small_bulky", D("3.80"))
    assert bulky.lines["packaging"].startswith("3.80 USD: 2026 bulky packaging fee, small_bulky, 40 lb+ to 45 lb "
                                               "(dimensional weight); 3.80 [CODE-PZ")
    sipp = feecalc.quote("US", ON, price="60", length=30, width=20, height=10, weight=15, category="home_and_kitchen",
                         sipp=True)
    assert (sipp.fees["packaging"], sipp.total) == (D("0.00"), bulky.total - D("3.80"))
    assert sipp.lines["packaging"] == "0.00 USD: waived: the unit ships in its own packaging (SIPP)"
    # an FBA fee, so a UK-established seller pays the 2% Digital Services Fee on it too, rounded on its own
    uk_seller = feecalc.quote("US", ON, price="60", length=30, width=20, height=10, weight=15,
                              category="home_and_kitchen", seller_country="UK")
    shares = [(uk_seller.fees[k] * D("0.02")).quantize(D("0.01")) for k in ("referral", "fulfillment", "packaging")]
    assert shares[2] == D("0.08") and uk_seller.fees["digital_services_fee"] == sum(shares)
    assert feecalc.quote("US", "2025-06-01", price="60", length=30, width=20, height=10, weight=15,
                         category="home_and_kitchen").fees["packaging"] == D("0.00")

