"""Money in each currency's own minor unit (feecalc/money.py): ISO 4217 digits, table figures, item amounts,
Decimal outputs and Arrow columns."""

import re
import shutil
from decimal import Decimal as D

import numpy as np
import pandas as pd
import pytest

import feecalc
from feecalc.errors import TableError
from feecalc.money import (
    MONEY_SCALE,
    cents_to_series,
    minor_digits,
    minor_to_decimal,
    minor_unit_name,
    to_minor,
    to_money_scale,
)
from feecalc.tables import TABLES_DIR, load_table


def test_digits_and_names():
    assert (minor_digits("EUR"), minor_digits("SEK"), minor_digits("PLN"), minor_digits("JPY")) == (2, 2, 2, 0)
    assert [minor_unit_name(c) for c in ("USD", "EUR", "GBP", "SEK", "PLN", "JPY", None)] == \
        ["cents", "cents", "pence", "öre", "grosze", "yen", "cents"]
    with pytest.raises(KeyError, match="unknown currency 'XXX'"):
        minor_digits("XXX")


def test_figures_and_amounts_in_minor_units():
    assert (to_minor(D("3.30"), "EUR"), to_minor(D("318"), "JPY"), to_minor(D("52.04"), "SEK")) == (330, 318, 5204)
    with pytest.raises(ValueError, match=r"^money figure 318.5 is not a whole number of yen \(JPY\)$"):
        to_minor(D("318.5"), "JPY")
    assert (str(minor_to_decimal(1234, "JPY")), str(minor_to_decimal(1234, "EUR"))) == ("1234", "12.34")
    assert list(to_money_scale(np.array([1234]), "JPY")) == [123400] and MONEY_SCALE == 2
    col = cents_to_series(np.array([123400, 542]), np.array([True, True]), pd.RangeIndex(2))
    assert list(col) == [D("1234.00"), D("5.42")]


@pytest.mark.parametrize("market, price, message", [
    ("JP", "1234.5", "price: must be a whole number of yen, got '1234.5'"),
    ("UK", "9.999", "price: must be a whole number of pence, got '9.999'"),
    ("SE", "99.999", "price: must be a whole number of öre, got '99.999'"),
    ("FR", "9.999", "price: must be a whole number of cents, got '9.999'"),
])
def test_amounts_finer_than_the_rows_currency_are_errors(market, price, message):
    with pytest.raises(feecalc.InvalidItem) as info:
        feecalc.quote(market, "2026-05-01", price=price, length=30, width=20, height=2, dimension_unit="cm",
                      weight=50, weight_unit="g", category="everything_else" if market == "JP" else "kitchen")
    assert str(info.value) == message


def test_one_frame_reads_each_rows_amounts_in_its_own_currency():
    df = pd.DataFrame({"marketplace": ["US", "JP", "JP", "US"], "price": [24.99, 1234.0, 1234.5, 24.995],
                       "length": [10, 30, 30, 10], "width": [6, 20, 20, 6], "height": [3, 1, 1, 3],
                       "dimension_unit": ["in", "cm", "cm", "in"], "weight": [1.2, 200, 200, 1.2],
                       "weight_unit": ["lb", "g", "g", "lb"],
                       "category": ["home_and_kitchen", "game_consoles", "game_consoles", "home_and_kitchen"]})
    out = feecalc.cost_frame(df, on="2026-05-01")
    assert list(out["error"].fillna("")) == ["", "", "price: must be a whole number of yen, got 1234.5",
                                             "price: must be a whole number of cents, got 24.995"]
    assert list(out["fulfillment"][:2]) == [D("5.42"), D("318.00")]


def test_a_jpy_table_rejects_a_figure_finer_than_a_yen(tmp_path):
    folder = tmp_path / "jp"
    folder.mkdir()
    shutil.copy(TABLES_DIR / "sources.toml", tmp_path / "sources.toml")
    text = (TABLES_DIR / "jp" / "jp-2026.toml").read_text().replace("fee = [222, 288]", "fee = [222.5, 288]")
    (folder / "jp-2026.toml").write_text(text)
    with pytest.raises(TableError, match=re.escape(
            "fulfillment_cards[1].tiers.small[0].fee[0]: amount must be a whole number of yen (JPY), got 222.5")):
        load_table(folder / "jp-2026.toml")
    (folder / "jp-2026.toml").write_text(text.replace("fee = [222.5, 288]", "fee = [222, 288]")
                                         .replace('currency = "JPY"', 'currency = "XYZ"'))
    with pytest.raises(TableError, match=r"currency: unknown currency 'XYZ'"):
        load_table(folder / "jp-2026.toml")


def test_a_cost_profile_in_yen_is_refused(tmp_path):
    """Channel comparisons count in cents (feecalc/channels.py): a profile in a currency without two decimals is
    refused rather than read a hundred times too large."""
    from feecalc.channels import PROFILES, load_profile

    path = tmp_path / "jp.toml"
    path.write_text((PROFILES / "us-default.toml").read_text().replace('currency = "USD"', 'currency = "JPY"'))
    with pytest.raises(feecalc.FeecalcError, match="a profile in JPY, a currency without two decimal places, is not "
                                                   "supported yet"):
        load_profile(path)
