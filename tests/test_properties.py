"""Properties over random valid items (hypothesis)."""

from datetime import date
from decimal import Decimal as D

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import feecalc
from feecalc.engine import compiled_table
from feecalc.tables import table_for
from feecalc.tables.schema import FEE_LINES

DATES = ["2023-06-01", "2023-11-01", "2024-06-01", "2025-06-01", "2025-11-01", "2026-03-01", "2026-05-01",
         "2026-11-01"]
CATEGORIES = ["home_and_kitchen", "clothing_and_accessories", "jewelry", "furniture", "books",
              "electronics_accessories", "beauty_health_and_personal_care", "watches"]
money = st.decimals(min_value=D("0.01"), max_value=D("3000"), places=2)
length = st.decimals(min_value=D("0.1"), max_value=D("120"), places=2)
weight = st.decimals(min_value=D("0.01"), max_value=D("200"), places=2)
item = st.fixed_dictionaries({
    "price": money, "length": length, "width": length, "height": length, "weight": weight,
    "category": st.sampled_from(CATEGORIES), "date": st.sampled_from(DATES), "apparel": st.booleans(),
    "age_days": st.integers(0, 600),
})
FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def quote(it, **over):
    args = {k: v for k, v in it.items() if k != "date"} | over
    return feecalc.quote(on=it["date"], **args)


@FAST
@given(st.lists(item, min_size=1, max_size=20))
def test_quote_and_cost_frame_agree_to_the_cent(items):
    out = feecalc.cost_frame(pd.DataFrame(items))
    for i, it in enumerate(items):
        q = quote(it)
        row = out.iloc[i]
        for k in FEE_LINES:
            assert (k in q.fees) == (not pd.isna(row[k]))
            if k in q.fees:
                assert row[k] == q.fees[k]
        assert row["size_tier"] == q.size_tier
        assert (q.total is None) == pd.isna(row["total"]) and (q.total is None or row["total"] == q.total)


@FAST
@given(item, st.decimals(min_value=D("0.01"), max_value=D("5"), places=2))
def test_fulfillment_never_falls_as_weight_rises_within_tier_and_price_band(it, extra):
    """The heavier item is kept inside the lighter one's size tier (at most the tier's weight limit), so every
    example compares two fees of one tier (before, a tier change skipped the check without saying so)."""
    light = quote(it)
    tiers = compiled_table(table_for("US", date.fromisoformat(it["date"]))).size_tier
    limit = tiers.max_weight[tiers.names.index(light.size_tier)]  # lb; inf for the last tier
    heavy_weight = min(it["weight"] + extra, D(str(limit)) if limit != float("inf") else it["weight"] + extra)
    heavy = quote(it, weight=max(heavy_weight, it["weight"]))
    assert heavy.size_tier == light.size_tier
    if "fulfillment" in light.fees and "fulfillment" in heavy.fees:
        assert heavy.fees["fulfillment"] >= light.fees["fulfillment"]
    else:
        assert light.unavailable.get("fulfillment") or heavy.unavailable.get("fulfillment")


@FAST
@given(item)
def test_other_units_leave_every_fee_unchanged(it):
    base = quote(it)
    metric = quote(it, length=it["length"] * D("2.54"), width=it["width"] * D("2.54"),
                   height=it["height"] * D("2.54"), dimension_unit="cm",
                   weight=it["weight"] * D("453.59237"), weight_unit="g")
    ounces = quote(it, weight=it["weight"] * 16, weight_unit="oz",
                   length=it["length"] * D("25.4"), width=it["width"] * D("25.4"),
                   height=it["height"] * D("25.4"), dimension_unit="mm")
    for other in (metric, ounces):
        assert (other.size_tier, other.fees, other.unavailable) == (base.size_tier, base.fees, base.unavailable)


OPTIONAL = ["shipping", "gift_wrap", "dimension_unit", "weight_unit", "apparel", "dangerous_goods", "sipp", "plan",
            "program", "age_days", "utilization_weeks", "seller_country", "marketplace"]
any_value = st.one_of(st.none(), st.booleans(), st.integers(-3, 400), st.floats(allow_nan=True),
                      st.sampled_from(["", " ", "0", "1.5", "abc", "in", "cm", "g", "kg", "yes", "individual", "cep",
                                       "efn", "UK", "DE", "US", "GB", "xx", "nan", "-1"]))


@FAST
@given(st.dictionaries(st.sampled_from(OPTIONAL), any_value, max_size=3))
def test_quote_and_quote_many_agree_on_any_optional_value(extra):
    # before: a blank shipping, plan or age was an error for quote() and the default for quote_many and
    # cost_frame, and the API answered such an item with a 500
    base = {"price": "24.99", "length": 10, "width": 6, "height": 3, "weight": 1.2, "category": "home_and_kitchen"}
    extra = dict(extra)
    market = extra.pop("marketplace", "US")
    many = feecalc.quote_many([dict(base, **extra)], on="2026-05-01", marketplace=market)[0]
    try:
        one = feecalc.quote(market, "2026-05-01", **base, **extra)
    except feecalc.FeecalcError as exc:
        assert isinstance(many, list) and str(many[0]) == str(exc)
    else:
        assert not isinstance(many, list) and (one.total, one.fees) == (many.total, many.fees)


def test_quotes_from_many_threads_match_the_same_quotes_in_one():
    from concurrent.futures import ThreadPoolExecutor

    items = [dict(price=f"{p}.99", length=4 + p % 30, width=3 + p % 7, height=1 + p % 5, weight=0.1 * (1 + p % 90),
                  category=CATEGORIES[p % len(CATEGORIES)], apparel=p % 3 == 0, age_days=30 * (p % 14))
             for p in range(160)]
    expected = [feecalc.quote("US", DATES[i % len(DATES)], **it).fees for i, it in enumerate(items)]
    with ThreadPoolExecutor(max_workers=8) as pool:
        got = list(pool.map(lambda i: feecalc.quote("US", DATES[i % len(DATES)], **items[i]).fees,
                            [i for _ in range(5) for i in range(len(items))]))
    assert got == expected * 5
