"""Messages that name the real problem, the cell or field and the accepted forms (issue 12, point 6)."""

import pytest

import feecalc
from feecalc.cli import main

ITEM = dict(on="2026-05-01", price="24.00", length=30, width=20, height=10, weight=1200, category="kitchen")


def test_an_unknown_seller_country_is_an_error_listing_the_known_ones():
    # before: 'XX' was silently a seller established elsewhere
    with pytest.raises(feecalc.InvalidItem) as info:
        feecalc.quote("UK", seller_country="XX", **ITEM)
    text = str(info.value)
    assert text.startswith("seller_country: unknown country code (ISO 3166, two letters; the Digital Services Fee "
                           "rules name ES, FR, IT, UK, any other country is established elsewhere), got 'XX' "
                           "(valid: AC, AD, AE, ")
    assert {"DE", "US", "UK", "PL"} <= set(info.value.choices) and "XX" not in info.value.choices
    assert feecalc.quote("UK", seller_country="gb", **ITEM).fees["digital_services_fee"] == \
        feecalc.quote("UK", seller_country="UK", **ITEM).fees["digital_services_fee"]
    assert feecalc.quote("UK", seller_country="US", **ITEM).total is not None  # a country without a rule: elsewhere


def test_the_command_line_rejects_an_unknown_seller_country(capsys):
    args = ["quote", "--marketplace", "UK", "--price", "24", "--dims", "30x20x10cm", "--weight", "1200g",
            "--category", "kitchen", "--on", "2026-05-01", "--seller-country", "XX"]
    assert main(args) == 2
    assert capsys.readouterr().err.startswith("feecalc: seller_country: unknown country code (ISO 3166")
