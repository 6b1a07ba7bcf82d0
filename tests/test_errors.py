"""Bad input: one exception family, messages naming the field, the value and the choices."""

import pandas as pd
import pytest

import feecalc

ITEM = dict(on="2026-03-01", price="24.99", length=10, width=6, height=3, weight=1.2, category="home_and_kitchen")
STORES = ", ".join(sorted({t.marketplace for t in feecalc.all_tables()}))  # discovered from the folder


@pytest.mark.parametrize("field, value, message", [
    ("length", -1, "length: must be greater than zero, got -1"),
    ("width", 0, "width: must be greater than zero, got 0"),
    ("height", float("nan"), "height: must be a number, got nan"),
    ("weight", float("inf"), "weight: must be finite, got inf"),
    ("length", 2_000_000, "length: must be at most 1,000,000, got 2000000"),
    ("weight", "heavy", "weight: must be a number, got 'heavy'"),
    ("price", "-0.01", "price: must not be negative, got '-0.01'"),
    ("price", "19.999", "price: must be a whole number of cents, got '19.999'"),
    ("price", "99999.951", "price: must be a whole number of cents, got '99999.951'"),  # was rounded to .95
    ("shipping", 1e308, "shipping: must be at most 1,000,000,000, got 1e+308"),  # was 'a whole number of cents'
    ("price", True, "price: must be a number, got True"),  # a boolean was taken as 1.00
    ("length", 3 + 0j, "length: must be a number, got (3+0j)"),
    ("utilization_weeks", True, "utilization_weeks: must be a number of weeks, zero or more, got True"),
    ("shipping", "abc", "shipping: must be a number, got 'abc'"),
    ("apparel", "maybe", "apparel: expected true or false, got 'maybe'"),
    ("age_days", 1.5, "age_days: must be a whole number of days, zero or more, got 1.5"),
    ("age_days", 1e300, "age_days: must be at most 100,000, got 1e+300"),  # was cast to a garbage int64
    ("dimension_unit", 0, "dimension_unit: unknown length unit, got 0 (valid: cm, ft, in, m, mm)"),
    ("dimension_unit", False, "dimension_unit: unknown length unit, got False (valid: cm, ft, in, m, mm)"),
    ("plan", "gold", "plan: unknown selling plan, got 'gold' (valid: professional, individual)"),
    ("dimension_unit", "furlongs", "dimension_unit: unknown length unit, got 'furlongs' (valid: cm, ft, in, m, mm)"),
    ("weight_unit", "stone", "weight_unit: unknown weight unit, got 'stone' (valid: g, kg, lb, oz)"),
])
def test_invalid_item_messages(field, value, message):
    with pytest.raises(feecalc.InvalidItem) as info:
        feecalc.quote(**{**ITEM, field: value})
    assert str(info.value) == message
    assert (info.value.field, info.value.problem) == (field, message.split(": ", 1)[1].split(", got")[0])


def test_unknown_category_suggests_and_says_where_the_choices_are_listed():
    # the whole list (42 names) is not repeated in every message: a file's every bad row carried it
    with pytest.raises(feecalc.UnknownCategory) as info:
        feecalc.quote(**{**ITEM, "category": "home and kitchn"})
    assert str(info.value) == ("category: unknown category for US in us-2026, got 'home and kitchn'; did you mean "
                               "'home_and_kitchen'? (us-2026 has 42 categories: `feecalc tables categories us-2026` "
                               "or GET /v1/categories lists them)")
    assert info.value.choices == list(feecalc.categories("US", on="2026-03-01"))


@pytest.mark.parametrize("given, suggested", [
    ("Kitchen Gadgets", "did you mean 'home_and_kitchen'?"),   # words shared with a category's name
    ("Toy Cars", "did you mean 'toys_and_games'?"),
    ("Home Decor", "did you mean 'home_and_garden' or 'home_and_kitchen' or 'tools_and_home_improvement'?"),
    ("Wireless Chargers", None),                                # nothing shares a word: no guess
])
def test_unknown_category_suggests_categories_sharing_its_words(given, suggested):
    with pytest.raises(feecalc.UnknownCategory) as info:
        feecalc.quote(**{**ITEM, "category": given})
    head = str(info.value).split(" (us-2026 has ")[0]
    assert head == f"category: unknown category for US in us-2026, got {given!r}" + (f"; {suggested}" if suggested
                                                                                     else "")


def test_dates_outside_every_table_and_unknown_marketplace():
    with pytest.raises(feecalc.NoFeeTable, match=r"^date: no US fee table covers 2027-01-15 \(known: us-2023 "):
        feecalc.quote(**{**ITEM, "on": "2027-01-15"})
    with pytest.raises(feecalc.NoFeeTable,
                       match=rf"^marketplace: no fee tables for 'MX' \(tables exist for {STORES}\)$"):
        feecalc.quote("MX", **ITEM)
    with pytest.raises(feecalc.InvalidItem, match=r"^on: expected a date such as 2026-03-01, got 'soon'$"):
        feecalc.quote(**{**ITEM, "on": "soon"})


def test_every_error_is_a_feecalc_error():
    for exc in (feecalc.InvalidItem, feecalc.UnknownCategory, feecalc.NoFeeTable, feecalc.FeeUnavailable,
                feecalc.TableError):
        assert issubclass(exc, feecalc.FeecalcError)


def test_frame_rows_with_their_own_marketplace_date_and_units():
    df = pd.DataFrame({
        "price": ["20", "20", "20", "20"], "length": [38.1, 15, 15, 15], "width": [30.48, 12, 12, 12],
        "height": [1.905, 0.75, 0.75, 0.75], "dimension_unit": ["cm", "in", "in", "inches"],
        "weight": [113.3980925, 4, 4, 0.25], "weight_unit": ["g", "oz", "oz", "pounds"],
        "category": ["toys_and_games"] * 4, "marketplace": ["US", "us", "MX", "US"],
        "date": ["2025-06-01", "2023-06-01", "2025-06-01", "2022-01-01"],
    })
    out = feecalc.cost_frame(df)
    assert str(out.loc[0, "fulfillment"]) == "3.15" and out.loc[0, "size_tier"] == "small_standard"
    assert str(out.loc[1, "fulfillment"]) == "3.22" and out.loc[1, "fee_table"] == "us-2023"
    assert out.loc[2, "error"] == f"marketplace: no fee tables for 'MX' (tables exist for {STORES})"
    assert out.loc[3, "error"].startswith("date: no US fee table covers 2022-01-01 (known: us-2023 2023-01-01")


def test_every_two_decimal_float_amount_is_its_exact_cents():
    import numpy as np

    from feecalc.inputs import Problems, _money

    amounts = np.arange(0, 2_000_001) / 100.0  # 0.00 to 20,000.00 as binary floats (24.99 * 100 is 2498.9999...)
    probs = Problems(len(amounts))
    assert (_money(amounts, "price", probs) == np.arange(0, 2_000_001)).all() and not probs.bad.any()
