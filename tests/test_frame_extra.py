"""cost_frame's optional outputs (`extra=`): what the profit layer needs of the engine; the default output is
unchanged."""

from decimal import Decimal as D

import pandas as pd
import pytest

import feecalc
from feecalc.frame import OUTPUT_COLUMNS
from feecalc.tables.schema import FEE_LINES

ON = "2026-05-01"
ROWS = pd.DataFrame([
    dict(price="24.00", length=30, width=20, height=10, weight=1200, category="kitchen", marketplace="UK",
         seller_country="UK"),
    dict(price="15.00", length=20, width=15, height=3, weight=200, category="kitchen", marketplace="DE"),
    dict(price="24.99", length=10, width=6, height=3, weight=1.2, category="home_and_kitchen", marketplace="US",
         seller_country="UK", shipping="5.00"),
])


def test_default_output_is_unchanged():
    assert list(feecalc.cost_frame(ROWS, on=ON).columns) == [*ROWS.columns, *OUTPUT_COLUMNS]


def test_vat_dsf_on_selling_fees_and_reasons():
    out = feecalc.cost_frame(ROWS, on=ON, extra=("vat_in_price", "dsf_on_selling_fees", "reasons"))
    first = list(out.columns).index("error")
    assert list(out.columns[first:first + 3]) == ["error", "vat_in_price", "dsf_on_selling_fees"]
    assert list(out.columns[first + 3:]) == [f"unavailable_{k}" for k in FEE_LINES]
    # GBP 24.00 with 20% VAT holds 4.00; DE EUR 15.00 at 19%: 15 x 19 / 119 = 2.39496 -> 2.39; US: no VAT
    assert out["vat_in_price"].tolist() == [D("4.00"), D("2.39"), D("0.00")]
    # a UK-established seller: 2% of the referral fee alone (3.60 -> 0.072 -> 0.07; US: 4.50 -> 0.09); the whole
    # fee also takes the FBA fees (UK: 2% of 3.60 and of 3.05 -> 0.07 + 0.06)
    assert out["dsf_on_selling_fees"].tolist() == [D("0.07"), D("0.00"), D("0.09")]
    assert out["digital_services_fee"].tolist()[0] == D("0.13")
    assert out["unavailable_fulfillment"].tolist()[1].startswith("DE 2026 Low-Price FBA between EUR 11 and EUR 20")
    assert pd.isna(out["unavailable_fulfillment"].tolist()[0]) and out["unavailable_referral"].isna().all()


def test_unknown_extra_is_an_error():
    with pytest.raises(ValueError, match="unknown extra column 'vat'"):
        feecalc.cost_frame(ROWS, on=ON, extra=("vat",))
