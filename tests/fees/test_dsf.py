"""The Digital Services Fee: feecalc/fees/dsf.py; table section digital_services_fee."""

from decimal import Decimal as D

from quotes import ON, uk_de

import feecalc


def test_digital_services_fee_by_seller_country():
    uk_seller = uk_de("UK")
    assert uk_seller.fees["digital_services_fee"] == D("0.13")  # 2% of 3.60 -> 0.07 + 2% of 3.05 -> 0.06
    assert uk_de("UK", seller_country="US").fees["digital_services_fee"] == D("0.13")
    # 3%: 0.108 -> 0.11, 0.0915 -> 0.09
    assert uk_de("UK", seller_country="FR").fees["digital_services_fee"] == D("0.20")
    assert uk_de("DE").fees["digital_services_fee"] == D("0.00")                      # DE-established: none in DE
    assert uk_de("DE", seller_country="GB").fees["digital_services_fee"] == D("0.14")  # 2% of 3.60, 2% of 3.41
    # Amazon's example: a UK-established seller, $15 item in the US store: 2% x $2.25 = $0.05
    us = feecalc.quote("US", ON, price="15", length=8, width=5, height="0.5", weight=5, weight_unit="oz",
                       category="toys_and_games", seller_country="UK")
    assert us.fees["digital_services_fee"] == D("0.05") + (us.fees["fulfillment"] * D("0.02")).quantize(D("0.01"))
    assert feecalc.quote("US", ON, price="15", length=8, width=5, height="0.5", weight=5, weight_unit="oz",
                         category="toys_and_games").fees["digital_services_fee"] == D("0.00")


def test_dsf_is_unavailable_where_a_fee_it_is_charged_on_is():
    """DE media closing fee is NOT FOUND; the Digital Services Fee is a share of it, so it is unknown too
    (before 2026-11-29 it was shown as 0.15 EUR, the share of the other lines only)."""
    q = feecalc.quote("DE", "2026-05-01", price="30", length=20, width=15, height=3, weight=300, category="books",
                      seller_country="UK")
    assert "closing" in q.unavailable
    assert q.unavailable["digital_services_fee"] == q.unavailable["closing"]
    assert "digital_services_fee" not in q.fees and q.total is None

