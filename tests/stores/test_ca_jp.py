"""Amazon.ca and Amazon.co.jp: every cell of their fulfilment cards against the reference's markdown tables
(ca-jp-mx.md 2.2, 3.2; one code source, L: every quote warns), the JP special referral rates, the yen (a currency
without minor units: amounts, rounding, validation, display), and what stays unavailable.
"""

import math
import re
import shutil
from decimal import Decimal as D

import pytest
from babel.numbers import format_currency
from markdown_reference import reference_path, table_rows

import feecalc
from feecalc.cli import main
from feecalc.tables import TABLES_DIR

REFERENCE = reference_path("ca-jp-mx.md")
pytestmark = pytest.mark.skipif(not REFERENCE.exists(), reason="the reference is not beside the checkout")
ON = "2026-05-01"


def quote(market, dims, kg, price, category, on=ON, **kw):
    length, width, height = dims
    return feecalc.quote(market, on, price=price, length=length, width=width, height=height, dimension_unit="cm",
                         weight=str(kg), weight_unit="kg", category=category, **kw)


# ---- amazon.ca -------------------------------------------------------------------------------------------------

CA_DIMS = {"Envelope": (10, 10, 1), "Standard": (40, 5, 2)}  # dimensional weight 0.02 and 0.08 kg
CA_OVERSIZE = {"Small oversize": ("small_oversize", (100, 50, 5), 1),      # dimensional weight 5 kg
               "Medium oversize": ("medium_oversize", (200, 30, 10), 5),   # 12 kg; length + girth 280 cm
               "Large oversize": ("large_oversize", (250, 40, 40), 20),    # 80 kg; length + girth 410 cm
               "Special oversize": ("special_oversize", (300, 40, 40), 20)}


def test_canada_card_cell_by_cell():
    rows = table_rows(REFERENCE, "### 2.2 Fulfilment card")
    assert len(rows) == 25
    for label, rule, low, high in rows:
        for price, fee in (("13.99", D(low)), ("14.00", D(high))):
            band = re.match(r"≤ ([\d.]+) kg$", rule)
            if band:
                got = quote("CA", CA_DIMS[label], band.group(1), price, "computers")
                assert (got.size_tier, got.fees["fulfillment"]) == (label.lower(), fee), got.explain()
                continue
            base, per, every = (D(x) for x in re.match(
                r"base covers ([\d.]+) kg, then \+ ([\d.]+) per kg \(steps of ([\d.]+) kg\)", rule).groups())
            tier, dims, kg = CA_OVERSIZE.get(label, ("standard", CA_DIMS["Standard"], 2))
            got = quote("CA", dims, kg, price, "computers")
            steps = math.ceil((got.shipping_weight - base) / every)
            assert got.size_tier == tier and steps > 0
            assert got.fees["fulfillment"] == fee + steps * per * every, got.explain()  # per kg, in steps


def test_canada_steps_edges_surcharge_and_gaps():
    # the standard band above 1.5 kg: CAD 0.90 per kg, charged per 0.1 kg started
    assert quote("CA", CA_DIMS["Standard"], "1.5", "20", "computers").fees["fulfillment"] == D("9.60")
    assert quote("CA", CA_DIMS["Standard"], "1.5001", "20", "computers").fees["fulfillment"] == D("10.32") + D("0.09")
    assert quote("CA", CA_DIMS["Standard"], "1.6", "20", "computers").fees["fulfillment"] == D("10.32") + D("0.09")
    q = quote("CA", CA_DIMS["Envelope"], "0.1", "20", "everything_else")
    assert q.fees["fuel_surcharge"] == D("0.16")          # 3.5% of 4.46, half up (from 2026-04-17)
    assert quote("CA", CA_DIMS["Envelope"], "0.1", "20", "everything_else", on="2026-04-16")\
        .fees["fuel_surcharge"] == 0
    assert any(w.startswith("every amazon.ca figure comes from one public code file") for w in q.warnings)
    assert any("is low confidence (L)" in w for w in q.warnings)
    # referral: Everything else 15%, minimum CAD 0.40 (L); the other categories' minimums are NOT FOUND
    assert quote("CA", CA_DIMS["Envelope"], "0.1", "2.00", "everything_else").fees["referral"] == D("0.40")
    assert (q.fees["referral"], q.fees["digital_services_fee"], q.vat_in_price) == (D("3.00"), 0, None)
    assert "the CA minimum referral fee for this category is NOT FOUND" in \
        quote("CA", CA_DIMS["Envelope"], "0.1", "20", "computers").unavailable["referral"]
    assert "its dates and rates are NOT FOUND" in \
        quote("CA", CA_DIMS["Envelope"], "0.1", "20", "computers", on="2026-11-01").unavailable["fulfillment"]
    assert "CA monthly storage rates are NOT FOUND" in q.unavailable["storage_monthly"]


# ---- amazon.co.jp -----------------------------------------------------------------------------------------

def jp_tier(label: str) -> str:
    names = {"Small (小型)": "small"}
    if label in names:
        return names[label]
    kind, _, number = re.match(r"(Standard|Large|Extra-large)( \(\S+\))? (\w+)$", label).groups()
    return {"Standard": "standard_", "Large": "large_", "Extra-large": "extra_large_"}[kind] + number


def jp_item(size: str, weight: str) -> tuple[tuple, str]:
    """Dimensions on a tier's own limits: its box where it has one, else three sides summing to its limit."""
    box = re.match(r"([\d.]+) × ([\d.]+) × ([\d.]+)", size)
    if box:
        return tuple(box.groups()), weight.replace(" kg", "")
    total = D(re.search(r"≤ ([\d.]+)", size).group(1))
    return (total / 2, total * 3 / 10, total / 5), weight.replace(" kg", "")


def test_japan_card_cell_by_cell():
    rows = table_rows(REFERENCE, "### 3.2 FBA fulfilment card")
    assert len(rows) == 22
    card = next(c for c in feecalc.table_for("JP", feecalc.inputs.as_date(ON)).data["fulfillment_cards"]
                if c["name"] == "JP 2026 standard")
    for label, size, weight, low, high in rows:
        tier = jp_tier(label)
        # every cell is in the table as the reference gives it
        assert [f["value"] for f in card["tiers"][tier][0]["fee"]] == [D(low), D(high)]
        dims, kg = jp_item(size, weight)
        got = quote("JP", dims, kg, "999", "game_consoles")
        if tier in ("large_1", "large_2"):  # their limits lie within standard 2e's and 3's: see the notice
            assert got.size_tier in ("standard_2e", "standard_3")
            assert any(f"would pay the {label} fee" in w for w in got.warnings)
            continue
        assert (got.size_tier, got.fees["fulfillment"]) == (tier, D(low)), got.explain()
        assert quote("JP", dims, kg, "1000", "game_consoles").fees["fulfillment"] == D(high)
    beyond = quote("JP", (200, 150, 100), 45, "50000", "game_consoles")
    assert beyond.size_tier == "special_oversize" and "NOT FOUND" in beyond.unavailable["fulfillment"]


def test_japan_sum_of_sides_edges():
    assert quote("JP", (10, 5, 5), 1, "1500", "game_consoles").size_tier == "standard_2a"       # 20 cm
    assert quote("JP", (10, 5, "5.01"), 1, "1500", "game_consoles").size_tier == "standard_2b"  # 20.01 cm
    assert quote("JP", (50, 30, 20), 9, "1500", "game_consoles").size_tier == "standard_4"       # 100 cm, 9 kg
    assert quote("JP", (50, 30, 20), "9.001", "1500", "game_consoles").size_tier == "large_3"


def test_japan_yen_amounts_and_gaps():
    q = quote("JP", (30, 20, 1), "0.2", 1234, "game_consoles")
    assert (q.currency, q.fees["fulfillment"], str(q.fees["fulfillment"])) == ("JPY", D("318"), "318")
    assert q.to_dict()["fees"]["fulfillment"] == "318"
    with pytest.raises(feecalc.InvalidItem, match=r"^price: must be a whole number of yen, got '1234.5'$"):
        quote("JP", (30, 20, 1), "0.2", "1234.5", "game_consoles")
    with pytest.raises(feecalc.InvalidItem, match=r"^shipping: must be a whole number of yen, got 0.01$"):
        quote("JP", (30, 20, 1), "0.2", "1234", "game_consoles", shipping=0.01)
    assert quote("JP", (30, 20, 1), "0.2", "1234.0", "game_consoles").fees["fulfillment"] == D("318")
    # the special referral rates are Amazon's own (H); the JP minimum fee is NOT FOUND, so the fee is unavailable
    assert "the special rate is 8% (JP-1, H), so the fee is at least 8% of the total sales price" in \
        q.unavailable["referral"]
    assert "the JP referral table is NOT FOUND" in \
        quote("JP", (30, 20, 1), "0.2", 1234, "everything_else").unavailable["referral"]
    assert "beer_and_lowmalt_beer" in feecalc.categories("JP", ON)  # "Low-Malt", also found as "low malt"
    assert "6.5%" in quote("JP", (30, 20, 1), "0.2", 1234, "beer_and_low_malt_beer").unavailable["referral"]
    assert "whether amazon.co.jp charges a fuel surcharge" in q.unavailable["fuel_surcharge"]
    assert "amazon.co.jp is not in Amazon's list" in quote("JP", (30, 20, 1), "0.2", 1234, "game_consoles",
                                                           seller_country="FR").unavailable["digital_services_fee"]
    assert q.total is None and any("low confidence (L)" in w for w in q.warnings)
    assert any(w.startswith("JP peak fees are NOT FOUND") for w in
               quote("JP", (30, 20, 1), "0.2", 1234, "game_consoles", on="2026-11-01").warnings)


def test_yen_are_rounded_half_up_to_the_yen(tmp_path, monkeypatch):
    """A copy of the JP table with a 15% referral rate and a 3.5% surcharge (made up for the test): each line is
    rounded once, half up, to the yen."""
    folder = tmp_path / "tables"
    (folder / "jp").mkdir(parents=True)
    shutil.copy(TABLES_DIR / "sources.toml", folder / "sources.toml")
    text = (TABLES_DIR / "jp" / "jp-2026.toml").read_text()
    text = re.sub(r'name = "Everything else"\nunavailable = "[^"]*"',
                  'name = "Everything else"\nrate = "15%"\nminimum = 0\nsource = "JP-1"\nconfidence = "H"', text)
    text = re.sub(r'(name = "fuel surcharge"\nfee = "fuel_surcharge"\non = "fulfillment"\n)unavailable = "[^"]*"',
                  r'\1rate = "3.5%"\nsource = "JP-1"\nconfidence = "H"', text)
    (folder / "jp" / "jp-2026.toml").write_text(text)
    monkeypatch.setenv("FEECALC_TABLES", str(folder))
    for price, referral in ((1003, 150), (1010, 152), (1030, 155)):  # 150.45, 151.5, 154.5
        q = quote("JP", (30, 20, 1), "0.2", price, "everything_else")
        assert q.fees["referral"] == D(referral), q.explain()
    q = quote("JP", (30, 20, 1), "0.2", 999, "everything_else")
    assert (q.fees["fulfillment"], q.fees["fuel_surcharge"]) == (D("252"), D("9"))  # 3.5% of 252 = 8.82
    assert q.total == D("150") + D("252") + D("9")


def test_yen_displayed_by_babel(capsys):
    assert format_currency(D("1234"), "JPY", locale="ja_JP") == "￥1,234"
    assert format_currency(D("1234.5"), "EUR", locale="fr_FR") == "1\u202f234,50\xa0€"
    assert main(["quote", "--marketplace", "JP", "--on", ON, "--price", "1234", "--dims", "30x20x1cm", "--weight",
                 "200g", "--category", "game_consoles"]) == 0
    out = capsys.readouterr().out
    assert "  fulfillment                           ￥318  JP 2026 standard, standard_1" in out
    r = _client().post("/v1/quotes?locale=ja_JP", json=dict(price="1234", length=30, width=20, height=1,
                                                             dimension_unit="cm", weight=200, weight_unit="g",
                                                             category="game_consoles", on=ON, marketplace="JP"))
    assert r.json["fees"]["fulfillment"] == {"amount": "318", "currency": "JPY", "display": "￥318"}


def _client():
    from feecalc_api import create_app

    return create_app().test_client()


def test_the_api_lists_japan_and_its_categories():
    client = _client()
    jp = next(m for m in client.get("/v1/marketplaces").json if m["code"] == "JP")
    assert (jp["currency"], jp["digits"], jp["locale"], jp["has_tables"], jp["tables_from"]) == \
        ("JPY", 0, "ja_JP", True, "2026-04-01")
    cats = client.get(f"/v1/categories?marketplace=JP&on={ON}").json
    assert cats["table_id"] == "jp-2026" and {"key": "game_consoles", "name": "Game Consoles"} in cats["categories"]
