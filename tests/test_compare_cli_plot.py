"""`feecalc compare` takes quote's options and prints margin and ROI as percentages with the price answers; the
plot names the break-even, target and current prices in its legend, keeps labels off the lines and shades the loss
windows and unknown prices."""

import json
from decimal import Decimal as D

from cost_profiles import de_profile

import feecalc
from feecalc.channels import load_profile
from feecalc.cli import main

ON = "2026-05-01"
LARGE = ["--price", "24.99", "--dims", "10x6x3in", "--weight", "1.2lb", "--category", "home_and_kitchen", "--on", ON,
         "--set", "cost_of_goods=6", "--set", "monthly_units=300"]
TOY = dict(price="9.99", length=8, width=5, height=0.5, weight=5, weight_unit="oz", category="toys_and_games")


def fba(capsys, *extra) -> dict:
    assert main(["compare", *LARGE, *extra, "--json"]) == 0
    return json.loads(capsys.readouterr().out)["channels"]["fba"]


def test_compare_takes_quotes_options(capsys):
    assert fba(capsys)["profit"] == "9.42"
    assert fba(capsys, "--shipping", "5.00")["profit"] == "13.67"                 # 4.25 more
    assert fba(capsys, "--gift-wrap", "3.99")["profit"] == "12.81"                # 3.39 more
    assert fba(capsys, "--seller-country", "UK")["lines"]["digital_services_fee"] == "0.19"
    plan = fba(capsys, "--plan", "individual")
    assert (plan["lines"]["per_item"], plan["lines"]["plan_share"], plan["profit"]) == ("0.99", "0.00", "8.56")
    assert fba(capsys, "--dangerous-goods")["lines"]["fulfillment"] != "5.42"
    shirt = ["--price", "24.99", "--dims", "10x6x3in", "--weight", "1.2lb", "--category", "clothing_and_accessories",
             "--on", ON, "--json"]
    for flags, fee in (([], "6.04"), (["--no-apparel"], "5.42")):
        assert main(["compare", *shirt, *flags]) == 0
        assert json.loads(capsys.readouterr().out)["channels"]["fba"]["lines"]["fulfillment"] == fee
    assert fba(capsys, "--age-days", "366")["lines"]["aged_inventory"] == "0.72"  # a snapshot on 2026-05-15


def test_compare_prints_percentages_and_price_answers(capsys):
    assert main(["compare", "--price", "9.99", "--dims", "8x5x0.5in", "--weight", "5oz", "--category",
                 "toys_and_games", "--on", ON, "--set", "cost_of_goods=5.17", "--target-margin", "0.1"]) == 0
    out = capsys.readouterr().out
    assert "FBA: profit 0.26 per unit (margin 2.6%, ROI 5.0%), 26.01 per month\n" in out
    assert "    break-even: 9.68; loss 10.00-10.75\n    price for a 10.0% margin: 12.20\n" in out


def test_plot_legend_labels_and_shading():
    profile = load_profile(cost_of_goods="5.17")
    c = feecalc.compare(on=ON, profile=profile, target_margin="0.1", **TOY)
    from feecalc.plot import profit_figure

    fig = profit_figure(TOY, c, profile, on=ON)
    ax = fig.axes[0]
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert {"current price 9.99", "FBA break-even 9.68", "FBA 10% margin at 12.20", "FBA loses money"} <= set(labels)
    assert len(ax.texts) == 0  # no label drawn over the lines: they are all in the legend, beside the axes
    assert ax.get_legend().get_bbox_to_anchor().x0 > ax.get_window_extent().x1 - 1
    spans = [p for p in ax.patches if p.get_label() == "FBA loses money"]
    assert len(spans) == 1 and round(spans[0].get_x(), 2) == 10.00


def test_plot_hatches_unknown_prices(tmp_path):
    profile = load_profile(de_profile(tmp_path, cost_of_goods=3), days_in_inventory=28)
    item = dict(price="15.00", length=20, width=15, height=2, weight=150, category="kitchen")
    c = feecalc.compare("DE", "2026-05-16", profile=profile, **item)
    from feecalc.plot import profit_figure

    fig = profit_figure(item, c, profile, on="2026-05-16", marketplace="DE")
    labels = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert "FBA unknown (a fee NOT FOUND)" in labels and "FBA break-even 8.06" in labels
    assert c.channels["fba"].unknown_ranges == [(D("11.01"), D("20.00"))]


def test_compare_endpoint_answers_the_profit_layer():
    from feecalc_api import create_app

    client = create_app().test_client()
    body = dict(price="24.99", length=10, width=6, height=3, weight=1.2, category="home_and_kitchen", on=ON,
                cost_of_goods="6", monthly_units=300)
    r = client.post("/v1/compare", json=dict(body, shipping="5.00"))
    assert r.status_code == 200 and r.json["channels"]["fba"]["profit"] == "13.67"
    assert r.json["channels"]["fba"]["revenue"] == {"sales": "29.99", "vat": "0.00", "revenue": "29.99"}
    toy = dict(TOY, on=ON, cost_of_goods="5.17")
    fba_toy = client.post("/v1/compare", json=toy).json["channels"]["fba"]
    assert (fba_toy["break_even"], fba_toy["loss_windows"]) == ("9.68", [["10.00", "10.75"]])
    assert fba_toy["break_even_prices"]["ceiling"] == "29.04"
    # an item's own marketplace and date in a list (a 500 once; fixed before this change, kept here)
    r = client.post("/v1/compare", json={"items": [dict(body, id="a", marketplace="US", on=ON)], "on": "2020-01-01"})
    assert r.status_code == 200 and r.json["results"]["a"]["comparison"]["channels"]["fba"]["profit"] == "9.42"
    shirt = client.post("/v1/compare", json=dict(body, category="clothing_and_accessories")).json
    assert shirt["channels"]["fba"]["lines"]["fulfillment"] == "6.04"
    assert client.post("/v1/compare", json=dict(body, vat_registered=False)).status_code == 200
