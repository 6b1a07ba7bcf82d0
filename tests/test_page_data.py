"""What the page at / needs from the library and the API, beyond quotes: the options a store's table prices
(`feecalc.choices`, GET /v1/inputs), the bundled cost profile's values (GET /v1/cost-profiles), the profit chart's
points (`feecalc.curve`, POST /v1/compare?curve=N), a batch run's summary beside the file (X-Feecalc-Summary), and the
page itself at / with its files."""

import io
import json
from dataclasses import replace
from decimal import Decimal

import pandas as pd
import pytest

import feecalc
from feecalc.channels import basis
from feecalc.choices import store_options
from feecalc.costprofile import bundled_profiles, load_profile
from feecalc.curve import profit_curve
from feecalc_api import create_app

TOY = {"price": "9.99", "length": 8, "width": 5, "height": 0.5, "weight": 5, "weight_unit": "oz",
       "category": "toys_and_games", "shipping": 0}
ON = "2026-05-01"


@pytest.fixture(scope="module")
def client():
    return create_app().test_client()


def test_store_options_are_what_each_table_prices():
    us, de, jp = (store_options(m, ON)["options"] for m in ("US", "DE", "JP"))
    assert us == {"programs": ["standard"], "apparel": True, "dangerous_goods": True, "sipp": True,
                  "plans": ["professional", "individual"], "seller_countries": ["ES", "FR", "IT", "UK", "US"],
                  "age_days": True, "utilization_weeks": True}
    assert de["programs"] == ["standard", "cep", "efn", "efn_cep", "remote_fulfillment", "pan_eu", "pan_eu_cep"]
    assert de["seller_countries"] == ["DE", "ES", "FR", "IT", "UK"]
    assert (jp["apparel"], jp["sipp"]) == (False, False)  # no apparel card, no packaging fee to waive
    fr = store_options("FR", ON)
    assert "pan_eu" in fr["options"]["programs"] and fr["units"] == {"length": "cm", "weight": "g"}
    assert fr["table"]["id"] == "fr-2026" and fr["locale"] == "fr_FR" and fr["currency"] == "EUR"
    assert [f["name"] for f in fr["fields"]][:3] == ["price", "shipping", "gift_wrap"]  # the spec's inputs, in order
    assert fr["product_groups"] == []  # FR has no product-groups file


def test_product_group_names_the_store_maps():
    groups = {g["name"]: g for g in store_options("US", ON)["product_groups"]}
    assert groups["Apparel"] == {"name": "Apparel", "category": "clothing_and_accessories", "candidates": [],
                                 "own_reading": False}  # us-fba.md 4, A-FCAT: a source's word
    assert groups["Kitchen"]["category"] == "home_and_kitchen" and groups["Kitchen"]["own_reading"]
    assert (groups["Home"]["category"], groups["Home"]["candidates"]) == (None, ["home_and_kitchen", "home_and_garden"])
    de = {g["name"]: g for g in store_options("DE", ON)["product_groups"]}
    assert de["Home"]["candidates"] == ["home_products", "kitchen", "home_linen_and_rugs"]


def test_inputs_route(client):
    r = client.get("/v1/inputs?marketplace=de&on=2026-05-01")
    assert r.status_code == 200
    body = r.json
    assert body["table"]["sha256"] == feecalc.table_for("DE", pd.Timestamp(ON).date()).sha256
    assert body["categories"] == [{"key": k, "name": v} for k, v in feecalc.categories("DE", ON).items()]
    assert body["product_groups"] == store_options("DE", ON)["product_groups"]
    assert body["fields"][0] == {"name": "price", "kind": "money", "required": True, "default": None, "choices": None,
                                 "description": feecalc.spec.FIELDS["price"].description}
    missing = client.get("/v1/inputs?marketplace=US&on=2020-01-01")
    assert missing.status_code == 404 and "2020-01-01" in missing.json["detail"]
    assert client.get("/v1/inputs?marketplace=ZZ").status_code == 404


def test_cost_profile_values_as_they_would_be_given(client):
    profile = bundled_profiles()["us-default"]
    values = profile.values()
    assert values["monthly_units"] == "100" and values["days_in_inventory"] == "30"
    assert values["advertising_percent"] == "0%" and values["cost_of_goods"] == "0.00"
    assert (values["zone"], values["ship_via"], values["mcf_per_unit"], values["vat_registered"]) == \
        ("average", "carrier", None, True)
    assert profile.with_overrides(advertising_percent="12.5%", cost_of_goods="6").values()["advertising_percent"] \
        == "12.5%"
    again = profile.with_overrides(**{k: v for k, v in values.items() if v is not None})  # values load back as given
    assert again.values() == values
    r = client.get("/v1/cost-profiles")
    assert r.status_code == 200 and r.json[0]["id"] == "us-default" and r.json[0]["values"] == json.loads(
        json.dumps(values))
    assert r.json[0]["notes"] == list(profile.notes)


def test_profit_curve_points_are_compares_profits_at_those_prices():
    c = feecalc.compare("US", ON, cost_of_goods="5.17", **TOY)
    profile = load_profile().with_overrides(cost_of_goods="5.17")
    curve = profit_curve(TOY, c, profile, on=ON, points=50)
    prices = curve.prices
    # 0.01 to twice the price or 1.5 x the highest answer: MFN breaks even at 19.23, 1.5 x 19.23 = 28.845
    assert c.channels["mfn"].break_even == Decimal("19.23")
    assert (prices[0], prices[-1]) == (Decimal("0.01"), Decimal("28.84"))
    assert {Decimal("9.99"), Decimal("10.00")} <= set(prices)  # the item's own price and the fee step at 10.00
    for price in (Decimal("9.99"), Decimal("10.00"), prices[17]):
        at = feecalc.compare("US", ON, cost_of_goods="5.17", **{**TOY, "price": str(price)})
        i = prices.index(price)
        assert {k: curve.profit[k][i] for k in curve.profit} == {k: r.profit for k, r in at.channels.items()}
    fba = curve.profit["fba"]
    assert fba[prices.index(Decimal("9.99"))] == Decimal("0.26")  # above the break-even, 9.68
    assert fba[prices.index(Decimal("10.00"))] < 0               # the mid price band: the loss window 10.00-10.75
    assert curve.gaps == {"fba": [], "mfn": [], "web_shop": []}
    assert curve.to_dict()["channels"]["fba"]["profit"][prices.index(Decimal("9.99"))] == "0.26"


def test_curve_prices_include_every_fee_step_and_the_cent_below():
    c = feecalc.compare("US", ON, cost_of_goods="5.17", **TOY)
    curve = profit_curve(TOY, c, load_profile().with_overrides(cost_of_goods="5.17"), on=ON, points=2)
    b = basis(pd.DataFrame([TOY]), load_profile(), on=ON)
    from feecalc.breakeven import price_cuts

    steps = {Decimal(p).scaleb(-2) for p in price_cuts(b, 0) if 2 <= p <= 2884}
    assert steps and steps | {s - Decimal("0.01") for s in steps} <= set(curve.prices)
    assert Decimal("10.00") in steps  # the US mid price band starts at 10.00


def test_curve_gaps_where_a_fee_is_not_found():
    # DE low-price FBA between EUR 11.01 and 20.00 is NOT FOUND for the restricted categories: unknown there
    item = {"price": "10", "length": 20, "width": 15, "height": 1, "weight": 80, "category": "kitchen"}
    # sold before the 15th; no US inbound placement option (DE's tables have no placement fee: 'optimized' there is
    # unavailable, not free)
    de = replace(load_profile(days_in_inventory=5), marketplace="DE", currency="EUR", placement=None)
    c = feecalc.compare("DE", ON, profile=de, **item)
    curve = profit_curve(item, c, de, on=ON, marketplace="DE", points=100)
    gaps = curve.gaps["fba"]
    assert gaps, curve.to_dict()["channels"]["fba"]
    lo, hi, why = gaps[0]  # exact: the price band's edges and the cents below them are points of the curve
    assert (lo, hi) == (Decimal("11.01"), Decimal("20.00")) and why.startswith("fulfillment unavailable: ")
    assert all(curve.profit["fba"][curve.prices.index(p)] is None for p in curve.prices if lo <= p <= hi)


def test_compare_route_with_the_curve(client):
    body = {**TOY, "on": ON, "cost_of_goods": "5.17"}
    r = client.post("/v1/compare?curve=60", json=body)
    assert r.status_code == 200
    curve = r.json["curve"]
    i = curve["prices"].index("9.99")
    assert curve["channels"]["fba"]["profit"][i] == r.json["channels"]["fba"]["profit"] == "0.26"
    assert r.json["channels"]["fba"]["break_even"] == "9.68"
    assert "curve" not in client.post("/v1/compare", json=body).json
    for bad in ("1", "2001", "x"):
        r = client.post(f"/v1/compare?curve={bad}", json=body)
        assert r.status_code == 422 and r.json["errors"][0]["field"] == "curve"
    listed = client.post("/v1/compare?curve=10", json={"items": [{**TOY, "id": "a"}]})
    assert listed.status_code == 422
    assert listed.json["errors"] == [{"field": "curve", "message": "the profit chart is for one item, not a list"}]


def test_quote_says_which_lines_the_total_adds(client):
    r = client.post("/v1/quotes", json={**TOY, "on": ON})
    assert r.json["total_lines"] == list(feecalc.engine.TOTAL_LINES)
    total = sum(Decimal(r.json["fees"][k]["amount"]) for k in r.json["total_lines"])
    assert total == Decimal(r.json["total"]["amount"])


def test_batch_summary_header(client):
    data = ("sku,price,length,width,height,weight,category\n007,24.99,10,6,3,1.2,home_and_kitchen\n"
            "008,9.99,8,5,0.5,abc,toys_and_games\n009,24.99,10,6,3,1.2,Küche\n").encode()
    r = client.post("/v1/batch", data={"file": (io.BytesIO(data), "c.csv"), "on": "2026-03-01"},
                    content_type="multipart/form-data")
    assert r.status_code == 200
    header = r.headers["X-Feecalc-Summary"]
    assert header.isascii()
    summary = json.loads(header)
    assert (summary["rows"], summary["error_rows"]) == (3, 2)
    assert [(e["row"], e["line"]) for e in summary["errors"]] == [(2, 3), (3, 4)]
    assert summary["errors"][0]["message"].startswith("weight: 'abc'")
    assert "Küche" in summary["errors"][1]["message"]  # escaped in the header, itself again in JSON
    assert list(summary["totals"]) == ["USD"] and summary["totals"]["USD"]["total"] == "9.17"
    assert summary["totals"]["USD"]["referral"] == "3.75" and summary["fee_tables"] == {
        "us-2026": feecalc.table_for("US", pd.Timestamp("2026-03-01").date()).sha256}
    assert summary["tiers"] == {"large_standard": 1}


def test_the_page_and_its_files(client):
    r = client.get("/")
    assert r.status_code == 200 and r.mimetype == "text/html"
    assert "default-src 'self'" in r.headers["Content-Security-Policy"]
    page = r.get_data(as_text=True)
    assert 'src="/static/app.js"' in page and 'href="/static/app.css"' in page
    assert "http://" not in page and "https://" not in page  # nothing from elsewhere: no CDN, no fonts
    for name in ("app.js", "app.css"):
        f = client.get(f"/static/{name}")
        assert f.status_code == 200 and f.headers["X-Content-Type-Options"] == "nosniff"
        text = f.get_data(as_text=True)
        assert "http://" not in text.replace("http://www.w3.org/2000/svg", "") and "https://" not in text
        assert "@import" not in text and "url(http" not in text
    assert client.get("/static/nothing.js").status_code == 404
    assert "/" not in client.get("/openapi.json").json["paths"]  # the page is not part of the API
