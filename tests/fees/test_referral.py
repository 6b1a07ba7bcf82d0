"""The referral fee: feecalc/fees/referral.py; table section referral (us-referral.md, uk-de.md 3)."""

from decimal import Decimal as D

import pytest
from quotes import uk_de, us


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
    assert us("2025-06-01", price=price, category=category).fees["referral"] == D(fee)


def test_referral_base_includes_shipping_and_gift_wrap():
    r = us("2025-06-01", price="12.00", shipping="2.99", gift_wrap="1.00", category="clothing_and_accessories")
    assert r.fees["referral"] == D("1.60")  # total 15.99 > 15.00: 10% of the whole


def test_apparel_was_17_percent_before_2024_01_15():
    assert us("2024-01-14", price="14.99", category="clothing_and_accessories").fees["referral"] == D("2.55")
    assert us("2024-01-15", price="14.99", category="clothing_and_accessories").fees["referral"] == D("0.75")


def test_display_name_is_accepted_for_category():
    assert us("2026-03-01", category="Home & Kitchen").fees["referral"] == D("3.00")


@pytest.mark.parametrize("market, category, price, fee", [
    ("UK", "kitchen", "24.00", "3.60"),                     # uk-de.md 1: 15% of the VAT-inclusive GBP 24.00
    ("UK", "clothing_and_accessories", "14.99", "0.75"),    # whole price: 5% up to GBP 15
    ("UK", "clothing_and_accessories", "20.00", "2.00"),    # 10% up to GBP 20
    ("UK", "clothing_and_accessories", "20.01", "3.00"),    # 15% of the whole price above
    ("UK", "furniture", "300", "38.75"),                    # 15% of 175 + 10% of 125
    ("DE", "furniture", "300", "40.00"),                    # 15% of 200 + 10% of 100 (EUR thresholds)
    ("UK", "jewellery", "300", "48.75"),                    # 20% of 225 + 5% of 75
    ("UK", "Jewelry", "300", "48.75"),                      # the US spelling is an alias
    ("UK", "kitchen", "1.50", "0.25"),                      # minimum GBP 0.25
    ("DE", "kitchen", "1.50", "0.30"),                      # minimum EUR 0.30
])
def test_referral_on_the_vat_inclusive_price(market, category, price, fee):
    assert uk_de(market, price=price, category=category).fees["referral"] == D(fee)

