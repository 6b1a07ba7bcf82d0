"""Which items pay the apparel cards: feecalc/fees/fee_category.py; table section apparel_fee_category.

Apparel from the fee category (us-fba.md 4, A-FCAT; M-H): an item whose `apparel` is not given is priced on the
apparel card when its referral category is Clothing & Accessories, and says so; `apparel` given wins.  The same in
quote, cost_frame, batch, the command line and the API (compare: tests/test_profit.py)."""

from decimal import Decimal as D

import pandas as pd
import pytest

import feecalc
from feecalc.cli import main

ON = "2026-05-01"
SHIRT = dict(price="24.99", length=10, width=6, height=3, weight=1.2, category="clothing_and_accessories")
INFERRED = ("apparel: not given, so inferred from the category: Clothing & Accessories items are in Amazon's "
            "Apparel fee category and pay the apparel fulfilment card [A-FCAT, A-FCAT-CA (us-fba.md 4); confidence "
            "M-H]; Amazon assigns each ASIN's fee category, so give apparel=false if it put this one in another")


def test_quote_infers_apparel_from_clothing_and_says_so():
    q = feecalc.quote(on=ON, **SHIRT)
    # 2026 apparel card, large standard 1.25-1.5 lb, mid price band: 6.04 (the non-apparel card: 5.42)
    assert q.fees["fulfillment"] == D("6.04")
    assert q.lines["fulfillment"].startswith("6.04 USD: 2026 apparel, non-peak, large_standard")
    assert q.warnings[0] == INFERRED


@pytest.mark.parametrize("apparel, fee, warned", [(False, "5.42", False), (True, "6.04", False),
                                                  (None, "6.04", True)])
def test_apparel_given_wins(apparel, fee, warned):
    q = feecalc.quote(on=ON, apparel=apparel, **SHIRT)
    assert (q.fees["fulfillment"], INFERRED in q.warnings) == (D(fee), warned)


def test_other_categories_are_not_apparel_and_not_warned():
    q = feecalc.quote(on=ON, **dict(SHIRT, category="home_and_kitchen"))
    assert q.fees["fulfillment"] == D("5.42") and INFERRED not in q.warnings


def test_2025_clothing_is_unavailable_rather_than_on_the_non_apparel_card():
    q = feecalc.quote(on="2025-06-01", **SHIRT)
    assert q.unavailable["fulfillment"].startswith("2025 apparel: the full 2024/2025 apparel card is NOT FOUND")
    assert q.total is None


def test_uk_and_de_tables_infer_nothing():
    q = feecalc.quote("UK", ON, price="24.00", length=30, width=20, height=10, weight=1200,
                      category="clothing_and_accessories")
    assert not any(w.startswith("apparel:") for w in q.warnings)


def test_cost_frame_blank_cell_is_inferred():
    df = pd.DataFrame([dict(SHIRT, apparel=None), dict(SHIRT, apparel=False), dict(SHIRT, apparel=""),
                       dict(SHIRT, apparel="yes")])
    out = feecalc.cost_frame(df, on=ON)
    assert out["fulfillment"].tolist() == [D("6.04"), D("5.42"), D("6.04"), D("6.04")]
    assert [INFERRED in w for w in out["warnings"]] == [True, False, True, False]


def test_batch_blank_apparel_cell_infers_and_no_column_infers(tmp_path):
    src = tmp_path / "c.csv"
    src.write_text("sku,price,length,width,height,weight,category,apparel\n"
                   "A,24.99,10,6,3,1.2,clothing_and_accessories,\nB,24.99,10,6,3,1.2,clothing_and_accessories,no\n")
    assert main(["batch", str(src), "--on", ON, "--quiet"]) == 0
    out = pd.read_csv(tmp_path / "c.costed.csv", dtype=str)
    assert list(out["fulfillment"]) == ["6.04", "5.42"]
    assert INFERRED in out.loc[0, "warnings"] and INFERRED not in out.loc[1, "warnings"]
    src.write_text("sku,price,length,width,height,weight,category\nA,24.99,10,6,3,1.2,Clothing & Accessories\n")
    assert main(["batch", str(src), "--on", ON, "--quiet", "--force"]) == 0
    assert pd.read_csv(tmp_path / "c.costed.csv", dtype=str).loc[0, "fulfillment"] == "6.04"


def test_cli_quote_apparel_options(capsys):
    item = ["--price", "24.99", "--dims", "10x6x3in", "--weight", "1.2lb", "--category", "clothing_and_accessories",
            "--on", ON, "--json"]
    for flags, fee in (([], "6.04"), (["--no-apparel"], "5.42"), (["--apparel"], "6.04")):
        assert main(["quote", *item, *flags]) == 0
        assert f'"fulfillment": "{fee}"' in capsys.readouterr().out


def test_api_quote_apparel_null_or_absent_is_inferred():
    from feecalc_api import create_app

    client = create_app().test_client()
    for extra, fee in (({}, "6.04"), ({"apparel": None}, "6.04"), ({"apparel": False}, "5.42")):
        r = client.post("/v1/quotes", json=dict(SHIRT, on=ON, **extra))
        assert r.status_code == 200 and r.json["fees"]["fulfillment"]["amount"] == fee
    r = client.post("/v1/quotes", json=dict(SHIRT, on=ON))
    assert r.json["warnings"][0] == INFERRED
