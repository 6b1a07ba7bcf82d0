"""Amazon.co.uk and Amazon.de as a whole: the 2025 histories and their gaps, local formats, German spreadsheets,
the API (fees/ holds each fee's tests)."""

from decimal import Decimal as D

import pytest
from babel.numbers import format_currency
from quotes import ON, uk_de

import feecalc
from feecalc.cli import main
from feecalc.engine import compiled_table
from feecalc.tables import table_for


def test_uk_2025_history_and_its_gaps():
    parcel = dict(dims=(40, 20, 10), weight="2500")      # standard parcel, 2.9 kg band
    assert uk_de("UK", on="2025-05-01", **parcel).fees["fulfillment"] == D("4.73")
    peak = uk_de("UK", on="2025-10-15", **parcel)
    assert peak.fees["fulfillment"] == D("4.87")          # peak from its first day
    assert any(w.startswith("from 2025-10-15 a third party reports parcel fees on unit weight") for w in peak.warnings)
    assert "how the cut combined with the peak is NOT FOUND" in \
        uk_de("UK", on="2025-12-15", **parcel).unavailable["fulfillment"]
    derived = uk_de("UK", on="2026-01-15", **parcel)
    assert derived.fees["fulfillment"] == D("3.49") and any("DERIVED" in w for w in derived.warnings)
    oversize = dict(dims=(70, 30, 20), weight="5000")   # standard oversize light
    # 8.4 kg dimensional weight: 4.67 + 8 x 0.24
    assert uk_de("UK", on="2026-01-10", **oversize).fees["fulfillment"] == D("6.59")
    assert "the exact date is NOT FOUND" in uk_de("UK", on="2026-01-20", **oversize).unavailable["fulfillment"]
    assert (uk_de("UK", on="2026-01-31").table_id, uk_de("UK", on="2026-02-01").table_id) == ("uk-2025", "uk-2026")
    # clothing: 8% up to GBP 15 until 2025-12-14, then 5% / 10% / 15% by whole price
    assert uk_de("UK", on="2025-12-14", price="15.00", category="clothing_and_accessories",
             dims=(30, 20, 2), weight="50").fees["referral"] == D("1.20")
    assert uk_de("UK", on="2025-12-15", price="15.00", category="clothing_and_accessories",
             dims=(30, 20, 2), weight="50").fees["referral"] == D("0.75")
    assert "selected-categories card" in uk_de("UK", on="2025-05-15", category="clothing_and_accessories")\
        .unavailable["fulfillment"]
    assert uk_de("UK", on="2025-05-14", category="clothing_and_accessories").fees["fulfillment"] == D("3.05")
    # low-price FBA to GBP 10 in 2025 (GBP 20 from 2026-02-01), exempt from the peak
    small = dict(dims=(30, 20, 3), weight="300")         # large envelope
    assert uk_de("UK", on="2025-05-01", price="10.00", **small).fees["fulfillment"] == D("2.42")
    assert uk_de("UK", on="2025-05-01", price="10.01", **small).fees["fulfillment"] == D("2.72")
    assert uk_de("UK", on="2025-11-01", price="10.00", **small).fees["fulfillment"] == D("2.42")
    assert uk_de("UK", on="2025-11-01", price="10.01", **small).fees["fulfillment"] == D("2.77")
    low80 = uk_de("UK", on="2025-05-01", price="8.00", dims=(30, 20, 2), weight="80")
    assert low80.fees["fulfillment"] == D("1.61") and any("1.67" in w for w in low80.warnings)


def test_de_2025_history_and_its_gaps():
    parcel = dict(dims=(40, 20, 10), weight="2500")      # standard parcel, 2.9 kg band
    assert uk_de("DE", on="2025-05-01", **parcel).fees["fulfillment"] == D("5.20")
    assert uk_de("DE", on="2025-05-01", program="cep", **parcel).fees["fulfillment"] == D("4.94")
    assert uk_de("DE", on="2025-10-15", **parcel).fees["fulfillment"] == D("5.44")
    assert "CEP-column values of the 2025 holiday peak are NOT FOUND" in \
        uk_de("DE", on="2025-10-15", program="cep", **parcel).unavailable["fulfillment"]
    assert "how the cut combined with the peak is NOT FOUND" in \
        uk_de("DE", on="2026-01-14", **parcel).unavailable["fulfillment"]
    derived = uk_de("DE", on="2026-01-15", program="cep", **parcel)
    assert derived.fees["fulfillment"] == D("4.29") and any("DERIVED" in w for w in derived.warnings)
    envelope = dict(dims=(30, 20, 3), weight="300")      # large envelope: not surcharged in the DE peak
    assert uk_de("DE", on="2025-11-01", **envelope).fees["fulfillment"] == D("3.04")
    oversize = dict(dims=(70, 30, 20), weight="5000")   # standard oversize light, 8.4 kg dimensional weight
    assert uk_de("DE", on="2026-01-14", **oversize).fees["fulfillment"] == D("4.91") + 8 * D("0.29")
    cep = uk_de("DE", on="2025-05-01", program="cep", **oversize)   # CEP base sourced, its per-kg step DERIVED
    assert cep.fees["fulfillment"] == D("4.65") + 8 * D("0.29") and any(" step is DERIVED" in w for w in cep.warnings)
    assert "the exact date is NOT FOUND" in uk_de("DE", on="2026-01-15", **oversize).unavailable["fulfillment"]
    assert (uk_de("DE", on="2026-01-31").table_id, uk_de("DE", on="2026-02-01").table_id) == ("de-2025", "de-2026")
    # low-price FBA to EUR 11 in 2025, exempt from the peak; the CEP low-price card is DERIVED
    assert uk_de("DE", on="2025-11-01", price="11.00", **envelope).fees["fulfillment"] == D("2.65")
    assert uk_de("DE", on="2025-11-01", price="11.01", **envelope).fees["fulfillment"] == D("3.04")
    cep_low = uk_de("DE", on="2025-05-01", price="11.00", program="cep", **envelope)
    assert cep_low.fees["fulfillment"] == D("2.39") and any("DERIVED" in w for w in cep_low.warnings)
    # referral: clothing 8% up to EUR 15 until 2025-12-14; grocery 8% up to EUR 10 until 2026-01-31
    light = dict(dims=(30, 20, 2), weight="50")
    assert uk_de("DE", on="2025-12-14", price="15.00", category="clothing_and_accessories", **light)\
        .fees["referral"] == D("1.20")
    assert uk_de("DE", on="2025-12-15", price="15.00", category="clothing_and_accessories", **light)\
        .fees["referral"] == D("0.75")
    assert uk_de("DE", on="2026-01-31", price="10.00", category="grocery_and_gourmet", **light)\
        .fees["referral"] == D("0.80")
    assert uk_de("DE", on="2026-02-01", price="10.00", category="grocery_and_gourmet", **light)\
        .fees["referral"] == D("0.50")
    assert "the DE 2025 monthly storage rates are NOT FOUND" in \
        uk_de("DE", on="2025-05-01").unavailable["storage_monthly"]
    with pytest.raises(feecalc.NoFeeTable, match=r"^date: no DE fee table covers 2025-01-14"):
        uk_de("DE", on="2025-01-14")


def test_local_formats(capsys):
    assert format_currency(D("1234.50"), "EUR", locale="de_DE") == "1.234,50\xa0€"
    assert format_currency(D("1234.50"), "GBP", locale="en_GB") == "£1,234.50"
    assert main(["quote", "--marketplace", "DE", "--on", ON, "--price", "24", "--dims", "30x20x10cm",
                 "--weight", "1.2kg", "--category", "kitchen"]) == 0
    assert "3,60\xa0€" in capsys.readouterr().out
    assert main(["quote", "--marketplace", "UK", "--on", ON, "--price", "24", "--dims", "30x20x10cm",
                 "--weight", "1.2kg", "--category", "kitchen"]) == 0
    out = capsys.readouterr().out
    assert "£3.60" in out and ": small_parcel, program standard, dimensional weight" in out
    assert main(["quote", "--marketplace", "DE", "--on", ON, "--price", "24", "--dims", "38x28x5cm", "--weight", "900g",
                 "--category", "rucksacks_and_handbags", "--program", "cep", "--seller-country", "UK"]) == 0
    out = capsys.readouterr().out
    assert "medium_parcel_1" in out and "3,80\xa0€" in out and "0,15\xa0€  digital_services_fee[0] 2%" in out


def test_german_spreadsheet_defaults_to_the_marketplace_locale(tmp_path):
    src = tmp_path / "de.csv"
    src.write_text("sku;price;length;width;height;weight;weight_unit;category\nA;24,00;30;20;10;1,2;kg;kitchen\n")
    assert main(["batch", str(src), "--marketplace", "DE", "--on", ON, "--quiet"]) == 0  # cm: the table's unit
    out = (tmp_path / "de.costed.csv").read_text()
    assert '"small_parcel"' in out and ';"3,60";' in out and ';"3,41";' in out


def test_german_headers_units_and_numbers(tmp_path):
    src = tmp_path / "artikel.csv"
    src.write_text("SKU;Preis;Länge (cm);Breite (cm);Höhe (cm);Gewicht (g);Kategorie\n"
                   "A;24,00;30;20;10;1.200;kitchen\nB;12,50;38;28;5;900;rucksacks_and_handbags\n"
                   "C;abc;30;20;10;1200;kitchen\n", encoding="utf-8")
    assert main(["batch", str(src), "--marketplace", "DE", "--on", ON, "--quiet"]) == 1  # a row with an error
    rows = [line.split(";") for line in (tmp_path / "artikel.costed.csv").read_text().splitlines()]
    col = {name.strip('"'): i for i, name in enumerate(rows[0])}
    picked = [(r[col["SKU"]], r[col["size_tier"]], r[col["fulfillment"]], r[col["error"]]) for r in rows[1:]]
    assert picked == [('"A"', '"small_parcel"', '"3,41"', ""), ('"B"', '"medium_parcel_1"', '"4,06"', ""),
                      ('"C"', "", "", "\"Preis: 'abc' is not a number (de_DE)\"")]


def test_api_quotes_uk_with_display_strings():
    from feecalc_api import create_app

    body = dict(price="24.00", length=30, width=20, height=10, dimension_unit="cm", weight=1200, weight_unit="g",
                category="kitchen", on=ON, marketplace="UK")
    r = create_app().test_client().post("/v1/quotes", json=body, headers={"Accept-Language": "en-GB"})
    assert r.json["total"]["currency"] == "GBP" and r.json["fees"]["referral"]["display"] == "£3.60"
    assert r.json["vat_in_price"] == "4.00"
    assert compiled_table(table_for("UK", feecalc.inputs.as_date(ON))).currency == "GBP"


def test_api_takes_every_programme():
    from feecalc_api import create_app

    body = dict(price="24.00", length=30, width=20, height=10, dimension_unit="cm", weight=1200, weight_unit="g",
                category="kitchen", on=ON, marketplace="DE")
    client = create_app().test_client()
    answers = {p: client.post("/v1/quotes", json=dict(body, program=p)).json
               for p in ("standard", "cep", "efn", "efn_cep", "remote_fulfillment")}
    fees = {p: a["fees"]["fulfillment"]["amount"] for p, a in answers.items()}
    assert [a["program"] for a in answers.values()] == list(answers)
    assert client.post("/v1/quotes", json={k: v for k, v in body.items()}).json["program"] == "standard"
    assert fees == {"standard": "3.41", "cep": "3.15", "efn": "9.54", "efn_cep": "9.28", "remote_fulfillment": "8.72"}
    bad = client.post("/v1/quotes", json=dict(body, program="pan_europe"))
    assert bad.status_code == 422 and "Must be one of: standard, small_and_light, cep, efn" in bad.text



# ---- the 2026 holiday peak (uk-de.md 5.3a; EU4-1, M) ----------------------------------------------------------

PEAK_ON = "2026-11-01"
TIERS = {"Large envelope": ("large_envelope", (30, 20, 3.5)),
         "Extra-large envelope": ("extra_large_envelope", (30, 20, 5)),
         "Small parcel": ("small_parcel", (34, 10, 2)), "Standard parcel": ("standard_parcel", (36, 10, 2))}
SELECTED_DIMS = {"Small parcel 1": (35, 25, 7), "Small parcel 2": (35, 25, 9), "Small parcel 3": (35, 25, 12),
                 "Medium parcel 1": (40, 30, 6), "Medium parcel 2": (40, 30, 20), "Large parcel 1": (45, 34, 10),
                 "Large parcel 2": (45, 34, 26)}


def peak_rows(heading):
    from markdown_reference import reference_path, table_rows

    return table_rows(reference_path("uk-de.md"), heading)


def grams(text):
    value, unit = text.lstrip("≤").split()
    return str(D(value) * (1000 if unit == "kg" else 1))


@pytest.mark.parametrize("market, column, program", [("UK", 3, "standard"), ("DE", 5, "standard"), ("DE", 7, "cep")])
def test_2026_peak_local_card_cell_by_cell(market, column, program):
    for row in peak_rows("**Local and Pan-EU standard card, 2026 peak**"):
        if row[column] == "—":
            continue
        tier, dims = TIERS[row[0]]
        got = uk_de(market, price="30.00", dims=dims, weight=grams(row[1]), program=program, on=PEAK_ON)
        assert (got.size_tier, got.fees["fulfillment"]) == (tier, D(row[column])), got.explain()
        assert any(w.startswith("2026 holiday peak (2026-10-15 to 2027-01-14)") for w in got.warnings)
    for row in peak_rows("**Selected-categories parcel card, 2026 peak**"):
        base, per = (D(x) for x in row[{3: 1, 5: 2, 7: 3}[column]].split(" + "))
        got = uk_de(market, price="30.00", dims=SELECTED_DIMS[row[0]], weight="900", category="footwear",
                    program=program, on=PEAK_ON)
        assert got.fees["fulfillment"] == base + 8 * per, got.explain()


@pytest.mark.parametrize("market, column, program, selected", [
    ("DE", 2, "efn_cep", "into DE with CEP"), ("DE", 3, "efn", "Into DE without CEP"),
    ("DE", 4, "remote_fulfillment", "UK → EU (€)"), ("UK", 5, "remote_fulfillment", "EU → UK (£)")])
def test_2026_peak_efn_and_remote_cell_by_cell(market, column, program, selected):
    import re

    from markdown_reference import reference_path
    for row in peak_rows("**EFN and remote fulfilment, 2026 peak, standard card**"):
        tier, dims = TIERS[row[0]]
        got = uk_de(market, price="30.00", dims=dims, weight=grams(row[1]), program=program, on=PEAK_ON)
        assert (got.size_tier, got.fees["fulfillment"]) == (tier, D(row[column])), got.explain()
    text = reference_path("uk-de.md").read_text()
    line = next(x for x in text.splitlines() if x.startswith("EFN and remote fulfilment, 2026 peak, selected"))
    part = line.split(selected, 1)[1].split(". ")[0]
    values = re.findall(r"(\d+\.\d+) \+ (\d+\.\d+)", part)
    if not values:  # "7.53, 8.01, ... with the same per-100 g charges" as into DE with CEP
        with_cep = re.findall(r"(\d+\.\d+) \+ (\d+\.\d+)", line.split("into DE with CEP", 1)[1].split(". ")[0])
        values = list(zip(re.findall(r"\d+\.\d+(?=,| with)", part), (per for _, per in with_cep), strict=True))
    assert len(values) == 7
    for name, (base, per) in zip(SELECTED_DIMS, values, strict=True):
        got = uk_de(market, price="30.00", dims=SELECTED_DIMS[name], weight="900", category="footwear",
                    program=program, on=PEAK_ON)
        assert got.fees["fulfillment"] == D(base) + 8 * D(per), (name, got.explain())


def test_2026_peak_rules_and_what_it_leaves_unresolved():
    # light envelopes, oversize and Low-Price FBA keep their rates in the peak
    assert uk_de("UK", on=PEAK_ON, dims=(30, 20, 2), weight="50").fees["fulfillment"] == D("1.89")
    assert uk_de("DE", on=PEAK_ON, dims=(50, 40, 30), weight="1000").fees["fulfillment"] == \
        uk_de("DE", dims=(50, 40, 30), weight="1000").fees["fulfillment"]
    assert uk_de("UK", on=PEAK_ON, price="8.00", dims=(30, 20, 3), weight="300", category="toys_and_games")\
        .fees["fulfillment"] == D("2.42")
    # dangerous goods: the peak fee + 0.10 (uk-de.md 5.11)
    assert uk_de("UK", on=PEAK_ON, dims=(34, 10, 2), weight="900", dangerous_goods=True).fees["fulfillment"] == \
        D("3.15") + D("0.10")
    # EU4-1's own test: a 20 x 10 x 7 cm, 0.9 kg UK parcel costs GBP 3.04, and GBP 3.15 in the peak
    assert (uk_de("UK", dims=(20, 10, 7), weight="900").fees["fulfillment"],
            uk_de("UK", on=PEAK_ON, dims=(20, 10, 7), weight="900").fees["fulfillment"]) == (D("3.04"), D("3.15"))
    # apparel in the peak is unresolved (L), the fuel surcharge on peak fees warned (L)
    for kw in (dict(category="clothing_and_accessories"), dict(apparel=True)):
        assert "how apparel units are charged in the 2026 holiday peak is unresolved" in \
            uk_de("DE", on=PEAK_ON, dims=(34, 10, 2), weight="900", **kw).unavailable["fulfillment"]
    peak = uk_de("DE", on=PEAK_ON, dims=(34, 10, 2), weight="900")
    assert peak.fees["fuel_surcharge"] == D("0.05") and any("Amazon's wording on the surcharge during the peak is "
                                                           "NOT FOUND" in w for w in peak.warnings)
    assert uk_de("DE", on="2027-01-14", dims=(34, 10, 2), weight="900").fees["fulfillment"] == D("3.61")
