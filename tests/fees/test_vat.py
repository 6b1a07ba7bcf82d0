"""VAT contained in a VAT-inclusive price: feecalc/fees/vat.py; table section vat."""

from decimal import Decimal as D

from quotes import ON, uk_de

import feecalc


def test_vat_contained_in_the_price():
    assert uk_de("UK", price="24.00").vat_in_price == D("4.00")      # 24 x 20/120
    assert uk_de("DE", price="23.80").vat_in_price == D("3.80")      # 23.80 x 19/119
    assert feecalc.quote("US", ON, price="24", length=10, width=6, height=3, weight=1,
                         category="toys_and_games").vat_in_price is None

