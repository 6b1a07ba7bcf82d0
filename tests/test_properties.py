"""Properties over random valid items (hypothesis)."""

from decimal import Decimal as D

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import feecalc
from feecalc.engine import FEE_LINES

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
    light, heavy = quote(it), quote(it, weight=it["weight"] + extra)
    if light.size_tier == heavy.size_tier and "fulfillment" in light.fees and "fulfillment" in heavy.fees:
        assert heavy.fees["fulfillment"] >= light.fees["fulfillment"]


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
