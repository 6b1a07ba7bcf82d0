"""VAT contained in a VAT-inclusive price: feecalc/fees/vat.py; table section vat."""

from decimal import Decimal as D

import feecalc

ON = "2026-05-01"


def uk_de(market, price="24.00", dims=(30, 20, 10), weight="1200", category="kitchen", on=ON, **kw):
    length, width, height = dims
    return feecalc.quote(market, on, price=price, length=length, width=width, height=height, dimension_unit="cm",
                         weight=weight, weight_unit="g", category=category, **kw)



def test_vat_contained_in_the_price():
    assert uk_de("UK", price="24.00").vat_in_price == D("4.00")      # 24 x 20/120
    assert uk_de("DE", price="23.80").vat_in_price == D("3.80")      # 23.80 x 19/119
    assert feecalc.quote("US", ON, price="24", length=10, width=6, height=3, weight=1,
                         category="toys_and_games").vat_in_price is None

