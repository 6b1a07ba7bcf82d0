"""cost_frame: every row out, in order; bad rows get an error and no fees; same numbers as quote."""

from decimal import Decimal as D

import pandas as pd

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
