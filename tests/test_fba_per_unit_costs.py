"""FBA's per-unit costs beyond fulfilment (issue 13) in quotes and in the channel comparison: the two totals, the
profile's placement, days of supply, the return rate, and properties over random items (hypothesis)."""

from decimal import Decimal as D

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from quotes import uk_de

import feecalc
from feecalc.channels import load_profile, unit_lines
from feecalc.engine import LANDED_LINES, TOTAL_LINES

LARGE = dict(price="24.99", length=10, width=6, height=3, weight=1.2, category="home_and_kitchen")
OPTIMIZED = ("FBA inbound placement: placement 'optimized' (Amazon-optimized shipment splits: no fee, for sellers "
             "who send at least five identical cartons or pallets per item (A-IPF25, ACCL; from 2026 the 2025 rule "
             "carried forward)); set placement or inbound_placement_per_unit (the figure Seller Central shows) for "
             "yours")


def test_the_done_when_quote():
    """Issue 13: a US 2026 large-standard item, 10 days of supply, a 12% return rate in Home & Kitchen, minimal
    placement: every line with its explanation, and a closing note of what is priced, not assessed, unavailable."""
    q = feecalc.quote("US", "2026-05-01", days_of_supply=10, return_rate=0.12, placement="minimal", **LARGE)
    text = q.explain()
    assert all(f"\n{name}: " in text for name in q.lines)
    assert q.fees["low_inventory_level"] == D("0.97") and q.total == D("10.33")  # 3.75 + 5.42 + 0.19 + 0.97
    assert set(q.unavailable) == {"inbound_placement", "returns_processing"} and q.landed_total is None
    assert "\ntotal: 10.33 = referral + closing + per_item + fulfillment + sipp_discount + overmax_handling + " \
           "fuel_surcharge + packaging + low_inventory_level + digital_services_fee " \
           "(the per-sale total Amazon deducts)\n" in text
    assert "\nlanded_total: unavailable (inbound_placement, returns_processing unavailable) = total + " in text
    note = q.closing_note()
    assert note.startswith("note: priced: referral, closing, per_item, fulfillment, sipp_discount, overmax_handling, "
                           "fuel_surcharge, packaging, low_inventory_level, digital_services_fee, storage_monthly, "
                           "aged_inventory_surcharge, removal_disposal. not assessed (0): "
                           "storage_utilization_surcharge (no utilization_weeks given). unavailable: "
                           "inbound_placement (inbound placement, minimal shipment splits, large_standard: 2026 "
                           "inbound placement fees conflict")
    assert "returns_processing (returns processing fee: the return rate is above the Home & Kitchen threshold" in note


def test_landed_total_is_the_total_and_the_per_unit_costs():
    q = feecalc.quote("US", "2024-06-01", placement="partial", days_of_supply=20, return_rate="5%", age_days=200,
                      **LARGE)
    assert q.total == sum((q.fees[k] for k in TOTAL_LINES), D("0"))
    assert q.landed_total == q.total + sum((q.fees[k] for k in LANDED_LINES), D("0"))
    assert q.fees["inbound_placement"] == D("0.28") and q.fees["aged_inventory_surcharge"] == D("0.05")
    out = feecalc.cost_frame(pd.DataFrame([dict(LARGE, placement="partial", days_of_supply=20, return_rate="5%",
                                                age_days=200)]), on="2024-06-01")
    assert (out["total"][0], out["landed_total"][0]) == (q.total, q.landed_total)


def test_comparison_states_the_placement_and_prices_what_is_given():
    base = feecalc.compare(on="2026-05-01", cost_of_goods="6", monthly_units=300, **LARGE)
    assert OPTIMIZED in base.notes and base.channels["fba"].lines["inbound_placement"] == D("0.00")
    assert base.channels["fba"].sources["inbound_placement"].startswith("Amazon-optimized shipment splits")
    # a placement whose figure is unavailable (2026: conflicting reports) makes FBA unknown, as any fee
    minimal = feecalc.compare(on="2026-05-01", cost_of_goods="6", monthly_units=300, placement="minimal", **LARGE)
    fba = minimal.channels["fba"]
    assert not fba.available and fba.reason.startswith("inbound_placement unavailable: inbound placement, minimal "
                                                       "shipment splits, large_standard: 2026 inbound placement fees "
                                                       "conflict")
    assert fba.profit_at_most == base.channels["fba"].profit
    # ... unless the seller gives the figure Seller Central showed
    own = feecalc.compare(on="2026-05-01", cost_of_goods="6", monthly_units=300, placement="minimal",
                          inbound_placement_per_unit="0.31", **LARGE)
    assert own.channels["fba"].lines["inbound_placement"] == D("0.31")
    assert own.channels["fba"].profit == base.channels["fba"].profit - D("0.31")
    assert own.channels["fba"].sources["inbound_placement"] == ("profile us-default: inbound_placement_per_unit (the "
                                                                "figure Seller Central showed you)")
    assert "FBA inbound placement: your own figure, 0.31 per unit (inbound_placement_per_unit)" in own.notes
    # 2024: the minimal range's high end (1.25+ to 1.5 lb: 0.22 to 0.41)
    y2024 = feecalc.compare(on="2024-06-01", cost_of_goods="6", monthly_units=300, placement="minimal", **LARGE)
    assert y2024.channels["fba"].lines["inbound_placement"] == D("0.41")


def test_comparison_low_inventory_and_returns_processing():
    low = feecalc.compare(on="2026-05-01", cost_of_goods="6", days_of_supply=10, **LARGE)
    plain = feecalc.compare(on="2026-05-01", cost_of_goods="6", **LARGE)
    assert low.channels["fba"].lines["low_inventory_level"] == D("0.97")
    assert low.channels["fba"].profit == plain.channels["fba"].profit - D("0.97")
    assert low.channels["mfn"].profit == plain.channels["mfn"].profit  # an FBA fee only
    below = feecalc.compare(on="2026-05-01", cost_of_goods="6", return_rate="8%", cost_per_return="2", **LARGE)
    assert below.channels["fba"].lines["returns_processing"] == D("0.00") and below.channels["fba"].available
    above = feecalc.compare(on="2026-05-01", cost_of_goods="6", return_rate="12%", cost_per_return="2", **LARGE)
    assert not above.channels["fba"].available
    assert above.channels["fba"].reason.startswith("returns_processing unavailable: returns processing fee: the "
                                                   "return rate is above the Home & Kitchen threshold of 8.1%")
    assert above.channels["mfn"].available and above.channels["mfn"].lines["returns"] == D("0.24")


def test_uk_comparison_does_not_assess_a_placement_fee_the_store_has_not(tmp_path):
    from cost_profiles import uk_profile

    c = feecalc.compare("UK", "2026-05-16", profile=uk_profile(tmp_path, cost_of_goods=5), days_in_inventory=28,
                        price="24.00", length=30, width=20, height=10, weight=1200, category="kitchen")
    assert c.channels["fba"].available and c.channels["fba"].lines["inbound_placement"] == D("0.00")
    assert ("FBA inbound placement: not assessed: the UK fee tables have no inbound placement fee (the reference "
            "gives none for this store); set placement to assess it") in c.notes
    assert uk_de("UK").total is not None


# ---- properties -------------------------------------------------------------------------------------------------
DATES = ["2024-06-01", "2025-03-01", "2025-06-01", "2026-05-01", "2026-11-01"]
item = st.fixed_dictionaries({
    "price": st.decimals(min_value=D("1"), max_value=D("500"), places=2),
    "length": st.decimals(min_value=D("1"), max_value=D("110"), places=1),
    "width": st.decimals(min_value=D("0.5"), max_value=D("30"), places=1),
    "height": st.decimals(min_value=D("0.2"), max_value=D("20"), places=1),
    "weight": st.decimals(min_value=D("0.05"), max_value=D("160"), places=2),
    "category": st.sampled_from(["home_and_kitchen", "toys_and_games", "grocery_and_gourmet", "sports_and_outdoors"]),
    "date": st.sampled_from(DATES), "age_days": st.integers(0, 500), "sipp": st.booleans(),
})
costs = st.fixed_dictionaries({}, optional={
    "placement": st.sampled_from(["minimal", "partial", "optimized"]),
    "inbound_point": st.sampled_from(["high", "low"]),
    "days_of_supply": st.decimals(min_value=D("0"), max_value=D("60"), places=1),
    "return_rate": st.sampled_from(["0", "0.02", "0.05", "0.2"]),
})
FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(st.lists(st.tuples(item, costs), min_size=1, max_size=12))
def test_landed_total_is_never_below_the_total(rows):
    frame = pd.DataFrame([{**it, **extra} for it, extra in rows])
    out = feecalc.cost_frame(frame)
    both = out["total"].notna() & out["landed_total"].notna()
    assert (out["landed_total"][both] >= out["total"][both]).all()
    assert not (out["landed_total"].notna() & out["total"].isna()).any()  # landed holds the total


@FAST
@given(item, costs)
def test_adding_a_cost_input_never_lowers_fbas_cost(it, extra):
    """FBA's unit cost (every line of the channel, through the one engine) with the per-unit cost inputs given is
    never below its cost without them, where both are known."""
    profile = load_profile(placement="optimized")
    row = {k: v for k, v in it.items() if k != "date"}
    plain = unit_lines(pd.DataFrame([row]), profile.with_overrides(return_rate="0"), on=it["date"])["fba"]
    rate = extra.pop("return_rate", "0")
    with_costs = unit_lines(pd.DataFrame([{**row, **extra}]), profile.with_overrides(return_rate=rate),
                            on=it["date"])["fba"]
    if plain["reason"][0] is None and with_costs["reason"][0] is None:
        before = sum(int(v[0]) for k, v in plain["lines"].items() if k != "returns")
        after = sum(int(v[0]) for k, v in with_costs["lines"].items() if k != "returns")
        assert after >= before
