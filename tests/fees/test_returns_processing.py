"""The returns processing fee: feecalc/fees/returns_processing.py; table section returns_processing (us-fba.md 9).
Threshold edges of every table: tests/fees/test_per_unit_edges.py."""

from decimal import Decimal as D
from fractions import Fraction

import pandas as pd
import pytest
from quotes import uk_de, us
from table_files import edited, load_error

from feecalc import InvalidItem, cost_frame
from feecalc.fees.returns_processing import units_above_threshold


def test_amazons_threshold_example():
    # us-fba.md 11, example 11 (TM24): 1,000 units shipped in June, 120 returned June to August, a 10% threshold:
    # the fee is charged on 20 units
    assert units_above_threshold(1000, 120, 100_000) == 20
    assert units_above_threshold(1000, 100, 100_000) == 0 and units_above_threshold(1000, 90, 100_000) == 0
    assert units_above_threshold(1000, 120, 81_000) == Fraction(39)  # Home & Kitchen's 8.1%


def test_at_or_below_the_threshold_no_fee_above_it_unavailable():
    # Home & Kitchen: 8.1% (P4P26, HEDG; M), 2026
    at = us("2026-05-01", return_rate="8.1%")
    assert at.fees["returns_processing"] == D("0.00") and "returns_processing" not in at.unavailable
    assert at.lines["returns_processing"] == ("0.00 USD: no fee: a return rate of 8.1% is not above the category's "
                                              "threshold of 8.1% [P4P26, HEDG; confidence M]")
    above = us("2026-05-01", return_rate=0.12)
    assert above.unavailable["returns_processing"] == (
        "returns processing fee: the return rate is above the Home & Kitchen threshold of 8.1% [P4P26, HEDG; "
        "confidence M], so returned units above it are charged; the per-unit rate of the 2026 fee is NOT FOUND "
        "(us-fba.md 9, 14); products that ship fewer than 25 units in the month are exempt (SJ-RPF, TM24, the 2024 "
        "rule)")
    # not deducted at the sale: the total stands, landed_total is unknown
    assert above.total == at.total and above.landed_total is None and at.landed_total is not None
    assert ("returns processing, 2026: Amazon's 2026 page (GZGEQLTM3RZXUV6T) is NOT FOUND; third parties describe the "
            "rule as unchanged in shape (P4P26, sellervault; L-M; us-fba.md 9)") in above.warnings


def test_categories_without_a_threshold_apparel_and_dates():
    none = us("2026-05-01", category="toys_and_games", return_rate="4.7%")  # at the threshold (L-M): a warning
    assert none.fees["returns_processing"] == D("0.00")
    assert any(w.startswith("returns_processing[0] threshold Toys & Games 4.7% is low confidence (L-M)")
               for w in none.warnings)
    unknown = us("2026-05-01", category="sports_and_outdoors", return_rate="1%")
    assert unknown.unavailable["returns_processing"] == ("returns processing fee: the 2026 return-rate threshold of "
                                                         "this category is NOT FOUND (us-fba.md 9 sources six "
                                                         "categories)")
    assert us("2026-05-01", category="sports_and_outdoors", return_rate=0).fees["returns_processing"] == D("0.00")
    shirt = us("2026-05-01", category="clothing_and_accessories", return_rate="0.5%")
    assert shirt.unavailable["returns_processing"].startswith(
        "returns processing fee: Clothing & Accessories is charged on every returned unit [sellervault, P4P26 "
        "(apparel and shoes: every returned unit); confidence M]; the per-unit rate")
    # before 2024-06-01 only apparel and shoes paid one; in 2024/2025 toys' threshold is not sourced (a 2026 page)
    assert us("2024-05-01", return_rate="20%").lines["returns_processing"] == (
        "0.00 USD: no fee: before 2024-06-01 only apparel and shoes paid a returns processing fee; the fee for other "
        "categories began on 2024-06-01 [SJ-RPF, TM24; confidence H]")
    assert "returns_processing" in us("2025-06-01", category="toys_and_games", return_rate="2%").unavailable
    assert us("2025-06-01", category="grocery_and_gourmet", return_rate="2.9%").fees["returns_processing"] == 0
    assert uk_de("UK", return_rate="3%").unavailable["returns_processing"] == (
        "returns processing fees are not in uk-2026 (the reference has none for this store)")
    assert "returns_processing" not in uk_de("UK", return_rate=0).unavailable


def test_not_assessed_and_input():
    q = us("2026-05-01")
    assert q.not_assessed["returns_processing"] == "no return_rate given"
    for bad in ("1.5", "-0.1", "abc", "120%"):
        with pytest.raises(InvalidItem, match="return_rate: must be a share from 0 to 1, such as 0.12 or '12%'"):
            us("2026-05-01", return_rate=bad)
    rows = pd.DataFrame([dict(price="20", length=10, width=6, height=2, weight=1, category="home_and_kitchen",
                              return_rate=r) for r in ("5%", 0.081, None, "")])
    out = cost_frame(rows, on="2026-05-01")
    assert out["returns_processing"].tolist() == [D("0.00")] * 4 and out["error"].isna().all()


def test_a_table_must_say_why_the_rate_is_missing(tmp_path):
    path = edited(tmp_path, 'rate_unavailable = "the per-unit rate of the 2026 fee', 'note = "the per-unit rate of the '
                  '2026 fee')
    assert "returns_processing[0].rate_unavailable: missing (the reason the per-unit rate is not known)" in \
        load_error(path)
