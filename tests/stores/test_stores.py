"""Every store with fee tables, discovered from the folder: its registry line, its currency's minor unit, a quote on
every table, band edges generated from its standard cards, a batch file mixing stores, and tables diff across years.
A new store needs no change here (CONTRIBUTING.md)."""

import datetime as dt
from decimal import Decimal as D

import openpyxl
import pandas as pd
import pytest
from babel import Locale
from babel.numbers import format_currency, get_currency_precision

import feecalc
from feecalc.cli import main
from feecalc.marketplaces import REGISTRY, quotable
from feecalc.money import CURRENCY_DIGITS
from feecalc.tables import all_tables
from feecalc.units import quantity_in

TABLES = list(all_tables())
STORES = sorted({t.marketplace for t in TABLES})


@pytest.mark.parametrize("store", STORES)
def test_every_store_has_its_registry_line(store):
    market = REGISTRY[store]  # a store with tables is in the registry (feecalc/marketplaces.py)
    assert {t.data["currency"] for t in TABLES if t.marketplace == store} == {market.currency}
    assert market.digits == CURRENCY_DIGITS[market.currency] == get_currency_precision(market.currency)
    Locale.parse(market.locale)  # a locale Babel knows
    assert store in quotable()


def test_iso_4217_digits_agree_with_babel():
    for currency, digits in CURRENCY_DIGITS.items():
        assert get_currency_precision(currency) == digits, currency
    assert CURRENCY_DIGITS["JPY"] == 0 and CURRENCY_DIGITS["SEK"] == CURRENCY_DIGITS["PLN"] == 2


@pytest.mark.parametrize("info", TABLES, ids=[t.id for t in TABLES])
def test_every_table_quotes_in_its_currency(info):
    metric = info.data["units"]["length"] == "cm"
    middle = info.effective_from + (info.effective_to - info.effective_from) / 2
    for on in (info.effective_from, middle, info.effective_to):
        q = feecalc.quote(info.marketplace, on, price="2000" if info.data["currency"] == "JPY" else "20",
                          length=30 if metric else 12, width=20 if metric else 8, height=3 if metric else 1,
                          dimension_unit="cm" if metric else "in", weight=300 if metric else 0.6,
                          weight_unit="g" if metric else "lb", category=info.data["referral"][-1]["name"])
        assert (q.table_id, q.currency) == (info.id, info.data["currency"])
        places = -CURRENCY_DIGITS[q.currency]
        assert all(v.as_tuple().exponent == places for v in q.fees.values()), q.fees
        assert set(q.fees) | set(q.unavailable) == set(feecalc.quote.__globals__["FEE_LINES"])


# ---- band edges generated from the tables: every metric store's standard card ------------------------------

DIMS = {"light_envelope": (30, 20, 2), "standard_envelope": (30, 20, 2), "large_envelope": (30, 20, 3.5),
        "extra_large_envelope": (30, 20, 5), "small_parcel": (34, 10, 2), "standard_parcel": (36, 10, 2),
        "small_envelope": (18, 14, 0.8), "envelope": (10, 10, 1), "standard": (40, 5, 2)}


def _edges():
    for info in TABLES:
        if info.data["units"]["length"] != "cm":
            continue
        year = info.id.split("-")[1]
        card = next((c for c in info.data["fulfillment_cards"]
                     if c["name"] in (f"{info.marketplace} {year} standard", f"{info.marketplace} {year} standard, "
                                                                              "DE only")), None)
        if card is None:
            continue
        on = max(info.effective_from, dt.date(2026, 5, 1)) if info.effective_to >= dt.date(2026, 5, 1) else \
            dt.date(2025, 5, 1)
        for tier, rows in card["tiers"].items():
            if tier not in DIMS:
                continue
            for j, row in enumerate(rows):
                if row["upto"] is None or row["fee"] is None:
                    continue
                yield pytest.param(info.marketplace, on.isoformat(), tier, row, rows[j + 1] if j + 1 < len(rows)
                                   else None, len(card["price_bands"] or info.data["price_bands"]),
                                   id=f"{info.id}-{tier}-{row['upto']}")


@pytest.mark.parametrize("store, on, tier, row, nxt, columns", list(_edges()))
def test_standard_card_band_edges(store, on, tier, row, nxt, columns):
    """Exactly on a band's upper edge the band's fee; 0.01 g above it the next band's (plus its first step)."""
    edge = quantity_in(row["upto"], "g")
    price = "30000" if store == "JP" else "300"  # the card's last (standard) price column everywhere

    def fee(weight):
        length, width, height = DIMS[tier]
        q = feecalc.quote(store, on, price=price, length=length, width=width, height=height, dimension_unit="cm",
                          weight=weight, weight_unit="g", category="everything_else" if store == "CA" else "kitchen")
        return q.size_tier, q.fees.get("fulfillment")

    at = D(edge.numerator) / D(edge.denominator)
    assert fee(str(at)) == (tier, row["fee"][-1]["value"])
    tier_above, amount = fee(str(at + D("0.01")))
    if nxt is not None and tier_above == tier:
        step = D(0)
        if nxt.get("step"):  # a rate per `per`, charged in steps of `every` (CA: per kg in 0.1 kg steps)
            share = quantity_in(nxt["step"]["every"], "g") / quantity_in(nxt["step"].get("per") or
                                                                         nxt["step"]["every"], "g")
            step = nxt["step"]["fee"]["value"] * D(share.numerator) / D(share.denominator)
        assert amount == nxt["fee"][-1]["value"] + step


def test_edge_cases_cover_the_new_stores():
    stores = {p.values[0] for p in _edges()}
    assert {"FR", "IT", "ES", "NL", "BE", "SE", "PL", "IE", "CA"} <= stores


# ---- a batch file mixing stores -------------------------------------------------------------------------------

MIXED = ("sku,marketplace,price,length,width,height,dimension_unit,weight,weight_unit,category\n"
         "US1,US,24.99,10,6,3,in,1.2,lb,home_and_kitchen\n"
         "DE1,DE,24.00,30,20,10,cm,1200,g,kitchen\n"
         "FR1,FR,30.00,40,30,6,cm,900,g,rucksacks_and_handbags\n"
         "JP1,JP,1234,30,20,1,cm,200,g,game_consoles\n"
         "JP2,JP,1234.5,30,20,1,cm,200,g,game_consoles\n"
         "FR2,fr,19.999,30,20,2,cm,50,g,kitchen\n")


def test_a_batch_file_mixing_us_de_fr_and_jp_rows(tmp_path):
    src = tmp_path / "mixed.csv"
    src.write_text(MIXED)
    assert main(["batch", str(src), "--on", "2026-05-01", "--quiet"]) == 1  # two rows with errors
    out = pd.read_csv(tmp_path / "mixed.costed.csv", dtype=str, keep_default_na=False)
    assert list(out["sku"]) == ["US1", "DE1", "FR1", "JP1", "JP2", "FR2"] and list(out["price"])[4] == "1234.5"
    assert list(out["currency"]) == ["USD", "EUR", "EUR", "JPY", "", ""]
    assert list(out["fulfillment"]) == ["5.42", "3.41", "6.09", "318", "", ""]   # each in its currency's places
    assert list(out["total"]) == ["9.36", "7.06", "11.00", "", "", ""]
    assert list(out["error"])[4:] == ["price: must be a whole number of yen, got 1234.5",
                                      "price: must be a whole number of cents, got 19.999"]
    raw = (tmp_path / "mixed.costed.csv").read_text().splitlines()
    assert ',"318",' in raw[4] and ',"5.42",' in raw[1]
    # XLSX: each row's currency format, and totals per currency in the Summary
    assert main(["batch", str(src), "--on", "2026-05-01", "--quiet", "-o", str(tmp_path / "mixed.xlsx")]) == 1
    book = openpyxl.load_workbook(tmp_path / "mixed.xlsx")
    sheet = book["Costed"]
    header = [c.value for c in sheet[1]]
    cells = [row[header.index("fulfillment")] for row in sheet.iter_rows(min_row=2)]
    assert [(c.value, c.number_format) for c in cells[:4]] == [
        (5.42, '"$"#,##0.00'), (3.41, '"€"#,##0.00'), (6.09, '"€"#,##0.00'), (318, '"¥"#,##0')]
    summary = {(r[0].value, r[1].value) for r in book["Summary"].iter_rows() if r[0].value and r[1].value}
    assert {("Fee", "Total (EUR)"), ("Fee", "Total (JPY)"), ("Fee", "Total (USD)"), ("fulfillment", 318),
            ("fulfillment", 9.5)} <= summary


def test_a_frame_mixing_usd_and_jpy_rows_is_exact():
    df = pd.DataFrame({"marketplace": ["US", "JP"], "price": ["24.99", "1234"], "length": [10, 30],
                       "width": [6, 20], "height": [3, 1], "dimension_unit": ["in", "cm"], "weight": [1.2, 200],
                       "weight_unit": ["lb", "g"], "category": ["home_and_kitchen", "game_consoles"]})
    out = feecalc.cost_frame(df, on="2026-05-01")
    assert str(out["fulfillment"].dtype) == "decimal128(18, 2)[pyarrow]"
    assert list(out["fulfillment"]) == [D("5.42"), D("318.00")] and list(out["currency"]) == ["USD", "JPY"]
    fr = df.assign(marketplace=["FR", "JP"], price=["30.00", "1234"], dimension_unit="cm", length=[30, 30],
                   width=[20, 20], height=[2, 1], weight=[50, 200], weight_unit="g", category=["kitchen",
                                                                                               "game_consoles"])
    extra = feecalc.cost_frame(fr, on="2026-05-01", extra=("vat_in_price",))
    assert list(extra["vat_in_price"]) == [D("5.00"), D("0.00")]  # VAT in EUR 30.00 at 20%; none in the JP table


def test_locales_read_and_show_each_stores_numbers(tmp_path, capsys):
    src = tmp_path / "fr.csv"
    src.write_text("sku;price;length;width;height;weight;category\nA;30,00;40;30;6;900;rucksacks_and_handbags\n")
    assert main(["batch", str(src), "--marketplace", "FR", "--on", "2026-05-01", "--quiet"]) == 0  # fr_FR: 30,00
    assert ';"6,09";' in (tmp_path / "fr.costed.csv").read_text()
    assert main(["quote", "--marketplace", "FR", "--on", "2026-05-01", "--price", "30", "--dims", "40x30x6cm",
                 "--weight", "900g", "--category", "rucksacks_and_handbags"]) == 0
    assert "6,09\xa0€" in capsys.readouterr().out
    assert format_currency(D("1234.5"), "EUR", locale=REGISTRY["FR"].locale) == "1\u202f234,50\xa0€"
    assert format_currency(D("1234"), "JPY", locale=REGISTRY["JP"].locale) == "￥1,234"


def test_tables_diff_across_years(capsys):
    assert main(["tables", "diff", "fr-2025", "fr-2026"]) == 0
    out = capsys.readouterr().out
    assert "~ fulfillment standard / standard_parcel / 1.4 kg+ to 1.9 kg / any price: 6.84 -> 6.44" in out
