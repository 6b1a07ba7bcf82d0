"""cost_frame: every row out, in order; bad rows get an error and no fees; same numbers as quote."""

from decimal import Decimal as D

import numpy as np
import pandas as pd
import pytest

import feecalc


def catalog():
    return pd.DataFrame({
        "sku": ["A", "B", "C", "D", "E"],
        "price": ["24.99", "9.99", "-1", "19.99", "12.50"],
        "length": [10, 5, 3, 10, 10], "width": [6, 4, 2, 6, 6], "height": [3, 0.5, 1, 3, 3],
        "weight": [1.2, 0.3, 0.1, float("nan"), 1.0],
        "category": ["home_and_kitchen", "Beauty, Health & Personal Care", "toys", "toys", "garden gnomes"],
        "date": ["2026-03-01", "2026-11-01", "2026-03-01", "2026-03-01", "2025-03-01"],
    }, index=[10, 11, 12, 13, 14])


def test_rows_kept_in_order_with_errors_in_their_row():
    out = feecalc.cost_frame(catalog())
    assert list(out.index) == [10, 11, 12, 13, 14] and list(out["sku"]) == ["A", "B", "C", "D", "E"]
    assert out["error"].isna().tolist() == [True, True, False, False, False]
    assert out.loc[12, "error"] == "price: must not be negative, got '-1'"
    assert out.loc[13, "error"] == "weight: must be a number, got nan"
    assert out.loc[14, "error"].startswith("category: unknown category for US in us-2025, got 'garden gnomes'")
    assert out.loc[12:14, "total"].isna().all()
    assert out.loc[10, "total"] == D("9.17") and out.loc[11, "fulfillment"] == D("2.76")
    assert out["fee_table"].tolist()[:2] == ["us-2026", "us-2026"] and out["fee_table"].isna().sum() == 3
    assert list(out.attrs["fee_tables"]) == ["us-2026"] and len(out.attrs["fee_tables"]["us-2026"]) == 64


def test_money_columns_are_exact_decimals():
    out = feecalc.cost_frame(catalog())
    assert str(out["referral"].dtype) == "decimal128(18, 2)[pyarrow]"
    assert out["referral"].sum() == D("4.55")


def test_frame_matches_quote_row_by_row():
    df = catalog().iloc[:2]
    out = feecalc.cost_frame(df)
    for i, row in df.iterrows():
        q = feecalc.quote(on=row["date"], price=row["price"], length=row["length"], width=row["width"],
                          height=row["height"], weight=row["weight"], category=row["category"])
        assert {k: out.loc[i, k] for k in q.fees} == q.fees
        assert out.loc[i, "size_tier"] == q.size_tier


def test_unavailable_fee_is_null_with_reason_in_warnings():
    df = pd.DataFrame({"price": ["20"], "length": [16], "width": [1], "height": [1], "weight": [10],
                       "weight_unit": ["oz"], "category": ["toys"]})
    out = feecalc.cost_frame(df, on="2024-03-01")
    assert pd.isna(out.loc[0, "fulfillment"]) and pd.isna(out.loc[0, "total"])
    assert "interim card is NOT FOUND except three cells" in out.loc[0, "warnings"]
    assert pd.isna(out.loc[0, "error"])


def test_empty_frame():
    out = feecalc.cost_frame(catalog().iloc[:0])
    assert len(out) == 0 and "total" in out.columns


@pytest.mark.parametrize("column, values", [
    ("age_days", pd.array([None, 0, None], dtype="Int64")),             # was: boolean value of NA is ambiguous
    ("shipping", pd.array([None, 0.0, None], dtype="Float64")),
    ("dimension_unit", [pd.NA, "in", None]),
    ("weight_unit", pd.array([pd.NA, "lb", pd.NA], dtype="string")),
    ("seller_country", pd.array([pd.NA, "US", pd.NA], dtype="string")),
    ("utilization_weeks", pd.array([pd.NA, 3.0, pd.NA], dtype="Float64")),
    ("apparel", pd.array([pd.NA, False, pd.NA], dtype="boolean")),
    ("marketplace", pd.array([pd.NA, "US", pd.NA], dtype="string")),
    ("date", pd.to_datetime([None, "2026-05-01", None])),               # was: OverflowError (NaT as a day number)
])
def test_missing_values_of_any_pandas_kind_take_the_defaults(column, values):
    df = pd.DataFrame({"price": ["24.99", "9.99", "120.00"], "length": [10, 8, 20], "width": [6, 4, 15],
                       "height": [3, 1, 10], "weight": [1.2, 0.4, 9.0],
                       "category": ["home_and_kitchen", "toys_and_games", "furniture"]})
    expected = feecalc.cost_frame(df, on="2026-05-01")["total"].tolist()
    assert feecalc.cost_frame(df.assign(**{column: values}), on="2026-05-01")["total"].tolist() == expected


def test_numpy_dates_beyond_pythons_are_that_rows_error():
    df = pd.DataFrame({"price": ["24.99"], "length": [10], "width": [6], "height": [3], "weight": [1.2],
                       "category": ["home_and_kitchen"], "date": np.array(["20000-01-01"], dtype="datetime64[D]")})
    assert feecalc.cost_frame(df)["error"].tolist() == [
        "date: no US fee table covers a date outside the years 1 to 9999"]


def test_booleans_and_dates_are_not_numbers_in_a_frame():
    # numpy turns True into 1.0 and a date into nanoseconds: both were costed (a $1.00 item, or 'at most ...')
    df = pd.DataFrame({"price": [True, "9.99", pd.Timestamp("2026-01-01")], "length": [10, 8, 20],
                       "width": [6, 4, 15], "height": [3, 1, 10], "weight": [1.2, 0.4, 9.0],
                       "category": ["home_and_kitchen", "toys_and_games", "furniture"]})
    out = feecalc.cost_frame(df, on="2026-05-01")
    assert out["error"].tolist()[0] == "price: must be a number, got True"
    assert out["error"].tolist()[2] == "price: must be a number, got Timestamp('2026-01-01 00:00:00')"
    assert out["total"].tolist()[1] == D("4.74")
