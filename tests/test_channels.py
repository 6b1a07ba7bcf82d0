"""Channel economics: hand-computed comparisons, exact break-even prices, portfolios, CLI, plot and API."""

from decimal import Decimal as D

import numpy as np
import pandas as pd
import pytest

import feecalc
from feecalc.breakeven import lowest_prices
from feecalc.channels import basis, load_profile, summarize, unit_lines
from feecalc.cli import main

ON = "2026-05-01"
LARGE = dict(price="24.99", length=10, width=6, height=3, weight=1.2, category="home_and_kitchen")
SMALL = dict(price="9.99", length=8, width=5, height=0.5, weight=5, weight_unit="oz",
             category="beauty_health_and_personal_care")
SAMPLE = ["--price", "24.99", "--dims", "10x6x3in", "--weight", "1.2lb", "--category", "home_and_kitchen"]
BULKY = dict(price="30", length=24, width=7.5, height=6, weight="7.90", category="toys_and_games")


def test_large_standard_by_hand():
    c = feecalc.compare(on=ON, cost_of_goods="6", monthly_units=300, **LARGE)
    fba, mfn, shop = c.channels["fba"], c.channels["mfn"], c.channels["web_shop"]
    # FBA: 15% of 24.99 = 3.7485 -> 3.75; 1.25-1.5 lb mid band 5.42; 3.5% of 5.42 = 0.1897 -> 0.19;
    # storage 180 in3 = 0.1042 cu ft x 0.78 = 8.1 cents -> 0.08 for 30 days; plan 39.99 / 300 -> 0.13
    assert [fba.lines[k] for k in ("referral", "fulfillment", "fuel_surcharge", "storage", "plan_share")] == \
        [D("3.75"), D("5.42"), D("0.19"), D("0.08"), D("0.13")]
    assert (fba.cost, fba.profit, fba.margin, fba.monthly_profit) == (D("15.57"), D("9.42"), D("0.377"), D("2825.01"))
    # MFN: a 1.2 lb parcel is charged the 2 lb price, average zone (9.85 + 17.15) / 2 = 13.50
    assert (mfn.lines["shipping"], mfn.profit) == (D("13.50"), D("1.61"))
    # web shop: 2.9% of 24.99 = 0.7247 -> 0.72, + 0.30; plan 39.00 / 300 -> 0.13
    assert (shop.lines["card"], shop.lines["plan_share"], shop.profit) == (D("1.02"), D("0.13"), D("4.34"))
    assert (c.best, c.wins_by, c.wins_by_month) == ("fba", D("5.08"), D("1524.00"))
    # the US tables end on 2027-01-14: a stay of more than 259 days from 2026-05-01 is unknown, not extrapolated
    assert c.changes[0].startswith("FBA stays ahead of own web shop for up to 259 days in inventory; a longer stay "
                                   "is unknown (storage_monthly for the month from 2027-01-15: date: no US fee table")


def test_small_standard_by_hand():
    c = feecalc.compare(on=ON, cost_of_goods="2", **SMALL)
    fba, mfn = c.channels["fba"], c.channels["mfn"]
    # 8% of 9.99 = 0.7992 -> 0.80; low band 4-6 oz 2.56; 3.5% -> 0.0896 -> 0.09; storage 20 in3 -> 0.9 cent -> 0.01;
    # plan 39.99 / 100 -> 0.40
    assert [fba.lines[k] for k in ("referral", "fulfillment", "fuel_surcharge", "storage", "plan_share")] == \
        [D("0.80"), D("2.56"), D("0.09"), D("0.01"), D("0.40")]
    assert fba.profit == D("4.13")
    # a 5 oz parcel is charged the 1 lb price: (9.10 + 12.45) / 2 = 10.775 -> 10.78
    assert (mfn.lines["shipping"], mfn.profit) == (D("10.78"), D("-3.99"))


def test_bulky_by_hand_and_channel_needing_input():
    c = feecalc.compare(on=ON, cost_of_goods="8", **BULKY)
    fba = c.channels["fba"]
    # small bulky 7.55 + 7 x 0.38 = 10.21; 15% of 30 = 4.50; 3.5% of 10.21 = 0.357 -> 0.36; 0.625 cu ft x 0.56 = 0.35
    # a month, for 30 of May's 31 days: 0.35 x 30 / 31 = 0.3387 -> 0.34; bulky packaging fee on 1,080 in3 / 139 =
    # 7.77 lb dimensional weight (5-10 lb band): 1.68
    assert [fba.lines[k] for k in ("referral", "fulfillment", "fuel_surcharge", "fba_packaging", "storage")] == \
        [D("4.50"), D("10.21"), D("0.36"), D("1.68"), D("0.34")]
    assert fba.profit == D("4.51")
    assert feecalc.compare(on=ON, cost_of_goods="8", sipp=True, **BULKY).channels["fba"].profit == D("6.19")
    assert not c.channels["mfn"].available
    assert c.channels["mfn"].reason == "needs input: a carrier rate for this weight (the profile's card ends at 5 lb)"
    shop = feecalc.compare(on=ON, ship_via="mcf", **BULKY).channels["web_shop"]
    assert shop.reason.startswith("needs input: mcf_per_unit (US MCF per-unit rates for 2025 and 2026 are NOT FOUND")
    assert feecalc.compare(on=ON, ship_via="mcf", mcf_per_unit="9.50", **BULKY).channels["web_shop"].available


def brute_force(item: dict, profile, channel: str, margin: D, top: int) -> int | None:
    grid = pd.DataFrame([item] * top)
    grid["price"] = np.arange(1, top + 1) / 100
    ch = unit_lines(grid, profile, on=ON)[channel]
    profit = summarize(ch, allocate_fixed=True)["profit"]
    ok = (profit * 10**6 - int(margin * 10**6) * np.arange(1, top + 1) >= 0) & pd.isna(ch["reason"])
    hits = np.flatnonzero(ok)
    return int(hits[0]) + 1 if len(hits) else None


@pytest.mark.parametrize("item, cogs, channel, margin", [
    (SMALL, "1.10", "fba", D(0)),        # break-even under $10
    (SMALL, "4.40", "fba", D(0)),        # just above the $10 band edge
    (SMALL, "4.60", "fba", D(0)),
    (LARGE, "38", "fba", D(0)),          # near the $50 band edge
    (LARGE, "38", "fba", D("0.1")),
    (dict(LARGE, category="clothing_and_accessories"), "9", "fba", D(0)),   # apparel $15 / $20 tiers
    (dict(LARGE, category="clothing_and_accessories"), "9", "fba", D("0.2")),
    (dict(LARGE, category="clothing_and_accessories"), "8", "mfn", D(0)),
    (LARGE, "6", "web_shop", D("0.25")),
    (BULKY, "20", "fba", D("0.15")),
])
def test_break_even_and_target_prices_equal_a_brute_force_scan(item, cogs, channel, margin):
    profile = load_profile(cost_of_goods=cogs, monthly_units=500)
    df = pd.DataFrame([dict(item, dimension_unit="in", weight_unit=item.get("weight_unit", "lb"))])
    found = lowest_prices(basis(df, profile, on=ON), channel, margin)
    got = int(found.exact[0]) if found.exact[0] >= 0 else None
    assert got == brute_force(df.iloc[0].to_dict(), profile, channel, margin, 9000)
    assert got is not None


def test_no_break_even_when_costs_outrun_price():
    profile = load_profile(advertising_percent="90%")
    df = pd.DataFrame([dict(LARGE, dimension_unit="in", weight_unit="lb")])
    found = lowest_prices(basis(df, profile, on=ON), "fba")
    assert (found.exact[0], found.first_known[0], found.at_least[0]) == (-1, -1, -1)


def test_portfolio_totals_are_row_sums_with_fixed_costs_once():
    df = pd.DataFrame([dict(LARGE, sku="A", monthly_units=300, cost_of_goods=6),
                       dict(SMALL, sku="B", monthly_units=5, cost_of_goods=2),
                       dict(BULKY, sku="C", monthly_units=20, cost_of_goods=8)])
    rows, totals = feecalc.compare_frame(df, on=ON, core_units=50)
    totals = totals.set_index("scenario")
    fba = rows["monthly_profit_fba"]
    assert totals.loc["all FBA", "monthly_contribution"] == sum(fba.tolist())
    assert totals.loc["all FBA", "fixed_monthly_costs"] == D("39.99")
    assert totals.loc["all FBA", "monthly_profit"] == sum(fba.tolist()) - D("39.99")
    assert totals.loc["all seller-fulfilled (MFN)", "skus_not_sellable"] == 1  # C needs a carrier rate
    core = totals.loc["core on FBA, long tail elsewhere"]
    # A on FBA; B to the better of MFN and web shop; C's long-tail channels need input: fixed costs of both plans once
    assert core["fixed_monthly_costs"] == D("78.99")
    b = rows.iloc[1]
    assert core["monthly_contribution"] == fba.iloc[0] + max(b["monthly_profit_mfn"], b["monthly_profit_web_shop"])
    assert list(rows["best_channel"]) == ["fba", "fba", "fba"]


def test_cli_compare_plot_and_portfolio(tmp_path, capsys):
    png = tmp_path / "p.png"
    assert main(["compare", *SAMPLE, "--on", ON, "--set", "cost_of_goods=6", "--set", "monthly_units=300",
                 "--target-margin", "0.2", "--plot", str(png)]) == 0
    out = capsys.readouterr().out
    assert "FBA: profit 9.42 per unit (margin 37.7%, ROI 157.0%), 2825.01 per month\n    break-even: 13.91\n" \
        "    price for a 20.0% margin: 18.19\n" in out
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    src = tmp_path / "cat.csv"
    src.write_text("sku,price,length,width,height,weight,category,monthly_units,cost_of_goods\n"
                   "A,24.99,10,6,3,1.2,home_and_kitchen,300,6\nB,9.99,8,5,0.5,0.3,toys_and_games,5,2\n")
    assert main(["portfolio", str(src), "--on", ON, "--core-units", "50", "--break-even"]) == 0
    rows = pd.read_csv(tmp_path / "cat.portfolio.csv", dtype=str)
    assert list(rows["sku"]) == ["A", "B"] and rows.loc[0, "best_channel"] == "fba"
    # without the plan share (a portfolio charges it once): 13.75 - (2.06 + 5.42 + 0.19 + 0.08 + 6.00) = 0.00
    assert rows.loc[0, "break_even_fba"] == "13.75"
    assert "core on FBA, long tail elsewhere" in capsys.readouterr().out


def test_compare_endpoint():
    from feecalc_api import create_app

    c = create_app().test_client()
    item = dict(LARGE, on=ON, cost_of_goods="6", monthly_units=300, target_margin="0.2")
    r = c.post("/v1/compare", json=item)
    assert r.status_code == 200 and r.json["best"] == "fba"
    assert (r.json["channels"]["fba"]["break_even"], r.json["channels"]["fba"]["target_price"]) == ("13.91", "18.19")
    r = c.post("/v1/compare", json=dict(item, price="-1"))
    assert r.status_code == 422 and r.json["errors"] == [{"field": "price",
                                                          "message": "price: must not be negative, got '-1'"}]
    r = c.post("/v1/compare", json=dict(item, cost_of_goods="abc"))
    assert r.status_code == 422 and r.json["detail"] == "cost_of_goods: must be an amount such as 2.50, got 'abc'"
    uk = dict(price="24.00", length=30, width=20, height=10, weight=1200, category="kitchen", on=ON, marketplace="UK")
    r = c.post("/v1/compare", json=uk)
    assert r.status_code == 422 and r.json["detail"] == (
        "marketplace: the cost profile 'us-default' holds US costs in USD; pass a profile for UK (profile=...), "
        "got 'UK'")
    items = [dict({k: v for k, v in item.items() if k != "on"}, id="a"), dict(LARGE, id="b", length=0)]
    r = c.post("/v1/compare", json={"items": items, "on": ON})
    assert list(r.json["results"]["a"]) == ["comparison"] and list(r.json["results"]["b"]) == ["error"]
    # an item's own date or marketplace (before: a 500, both passed to compare twice)
    r = c.post("/v1/compare", json={"items": [dict(item, id="a"), dict(uk, id="uk")], "on": "2020-01-01"})
    assert r.status_code == 200 and r.json["results"]["a"]["comparison"]["channels"]["fba"]["break_even"] == "13.91"
    assert r.json["results"]["uk"]["error"]["detail"].startswith("marketplace: the cost profile 'us-default' holds US")


def test_a_profile_serves_only_its_own_marketplace():
    with pytest.raises(feecalc.InvalidItem, match=r"^marketplace: the cost profile 'us-default' holds US costs in "
                                                   r"USD; pass a profile for DE \(profile=\.\.\.\), got 'DE'$"):
        feecalc.compare("DE", ON, price="24", length=30, width=20, height=10, weight=1200, category="kitchen")
    frame = pd.DataFrame([dict(LARGE, marketplace="US"), dict(LARGE, marketplace="UK", weight=500, length=30)])
    with pytest.raises(feecalc.InvalidItem, match="pass a profile for UK"):
        feecalc.compare_frame(frame, on=ON)


def test_a_profile_for_another_marketplace_reads_its_units(tmp_path):
    from feecalc.channels import PROFILES

    text = (PROFILES / "us-default.toml").read_text()
    start, end = text.index("bands = ["), text.index("]\n\n[web_shop]") + 2
    uk = (text[:start] + 'bands = [\n  { upto = "1 kg", zone_1 = 3.00, zone_8_9 = 3.00 },\n'
          '  { upto = "2 kg", zone_1 = 4.00, zone_8_9 = 4.00 },\n]\n' + text[end:])
    uk = uk.replace('marketplace = "US"', 'marketplace = "UK"').replace('currency = "USD"', 'currency = "GBP"')
    path = tmp_path / "uk.toml"
    path.write_text(uk)
    item = dict(price="24.00", length=30, width=20, height=10, weight=1200, category="kitchen")  # cm and g
    c = feecalc.compare("UK", ON, profile=str(path), **item)
    assert c.channels["mfn"].lines["shipping"] == D("4.00")          # 1.2 kg: the 2 kg band, not 1,200 lb
    assert c.channels["fba"].lines["fulfillment"] == D("3.05")
    assert feecalc.compare("UK", ON, profile=str(path), **dict(item, weight=900)).channels["mfn"].lines[
        "shipping"] == D("3.00")


def test_inbound_per_unit_kg_and_cubic_foot():
    c = feecalc.compare(on=ON, inbound_per_unit="0.10", inbound_per_kg="1.00", inbound_per_cubic_foot="2.00",
                        **LARGE)
    # 1.2 lb = 0.544311 kg -> 54.43 cents; 180 in3 = 0.104167 cu ft -> 20.83 cents; together 75.26 -> 0.75 + 0.10
    assert c.channels["fba"].lines["inbound"] == D("0.85")
    assert c.channels["mfn"].lines.get("inbound") is None


def test_custom_profile_file(tmp_path, capsys):
    from feecalc.channels import PROFILES

    text = (PROFILES / "us-default.toml").read_text()
    custom = tmp_path / "mine.toml"
    custom.write_text(text.replace("cost_of_goods = 0", "cost_of_goods = 6").replace("monthly_units = 100",
                                                                                  "monthly_units = 300")
                      .replace('zone = "average"', 'zone = "1"'))
    c = feecalc.compare(on=ON, profile=str(custom), **LARGE)
    assert (c.channels["fba"].profit, c.channels["mfn"].lines["shipping"]) == (D("9.42"), D("9.85"))
    assert main(["compare", *SAMPLE, "--on", ON, "--profile", str(custom), "--json"]) == 0
    assert '"profit": "9.42"' in capsys.readouterr().out
    bad = tmp_path / "bad.toml"
    bad.write_text(text.replace("cost_of_goods = 0", "cost_of_goods = 0\ncost_of_good = 1"))
    with pytest.raises(feecalc.FeecalcError, match="unknown key"):
        load_profile(bad)


def test_compare_frame_bad_or_blank_seller_cost_is_that_rows_error():
    df = pd.DataFrame([dict(LARGE, sku="A", cost_of_goods="6"), dict(LARGE, sku="B", cost_of_goods="two"),
                       dict(LARGE, sku="C", cost_of_goods=""), dict(LARGE, sku="D", cost_of_goods="6", price="-1")])
    rows, totals = feecalc.compare_frame(df, on=ON)
    assert [None if pd.isna(e) else e for e in rows["error"]] == [
        None, "cost_of_goods: must be an amount such as 2.50, got 'two'",
        "cost_of_goods: empty cell (give a value, or leave the column out to use the profile's)",
        "price: must not be negative, got '-1'"]
    assert rows.loc[1, "needs_fba"] == rows.loc[1, "error"] and pd.isna(rows.loc[1, "profit_fba"])
    # C: a blank cost of goods is not silently the profile's 0 (it was: C's profit was A's plus 6.00)
    assert pd.isna(rows.loc[2, "profit_fba"])
    assert totals.set_index("scenario").loc["all FBA", "skus_not_sellable"] == 3


def test_cli_portfolio_bad_cells_are_row_errors(tmp_path):
    src = tmp_path / "cat.csv"
    src.write_text("sku,price,length,width,height,weight,category,monthly_units,cost_of_goods,shipping\n"
                   "A,24.99,10,6,3,1.2,home_and_kitchen,300,6,\n"
                   "B,24.99,10,6,3,1.2,home_and_kitchen,300,two,\n"
                   "C,24.99,10,6,3,1.2,home_and_kitchen,300,6,x\n")
    assert main(["portfolio", str(src), "--on", ON]) == 1  # rows with errors: exit 1, as batch (it was 0)
    rows = pd.read_csv(tmp_path / "cat.portfolio.csv", dtype=str, keep_default_na=False)
    assert list(rows["error"]) == ["", "cost_of_goods: 'two' is not a number (en_US)",
                                   "shipping: 'x' is not a number (en_US)"]
    assert list(rows["needs_mfn"])[1:] == list(rows["error"])[1:]
    assert list(rows["best_channel"]) == ["fba", "", ""]


def test_cli_item_options_are_required_and_set_needs_key_value(capsys):
    with pytest.raises(SystemExit) as info:
        main(["compare", "--price", "24.99", "--category", "home_and_kitchen"])  # no sample item stands in
    assert info.value.code == 2
    assert "the following arguments are required: --dims, --weight" in capsys.readouterr().err
    assert main(["compare", *SAMPLE, "--set", "cost_of_goods"]) == 2  # was a traceback
    assert capsys.readouterr().err == "feecalc: --set: expected KEY=VALUE, got 'cost_of_goods'\n"


@pytest.mark.parametrize("extra, message", [
    ({"target_margin": "abc"}, "target_margin: must be a number such as 0.2 or '20%', got 'abc'"),
    ({"target_margin": "150%"}, "target_margin: must be at least 0 and below 1, got '150%'"),
    ({"advertising_percent": 9223372036855.0},
     "advertising_percent: must be between 0% and 100%, got 9223372036855.0"),
    ({"cost_of_goods": "1e12"}, "cost_of_goods: must be at most 1,000,000, got '1e12'"),
    ({"monthly_units": "1e15"}, "monthly_units: must be at most 1,000,000,000, got '1e15'"),
])
def test_compare_bad_seller_values_and_margins(extra, message):
    with pytest.raises(feecalc.InvalidItem) as info:
        feecalc.compare(on=ON, **LARGE, **extra)
    assert str(info.value) == message


def test_compare_blank_or_percent_target_margin():
    assert feecalc.compare(on=ON, **LARGE, target_margin="").channels["fba"].target_price is None
    assert feecalc.compare(on=ON, **LARGE, cost_of_goods="6", monthly_units=300,
                           target_margin="20%").channels["fba"].target_price == D("18.19")
