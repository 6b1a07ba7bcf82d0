"""`feecalc batch`, `impact` and `tables` on real files: round trips, local formats, bad input, exit codes."""

from decimal import Decimal as D
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import feecalc
from feecalc.batch import MONEY
from feecalc.cli import main
from feecalc.impact import impact_frame, impact_summary
from feecalc.numbers import parse_numbers

ON = "2026-05-01"
HEADER = "sku,price,length,width,height,weight,category\n"
GOOD = "00123,24.99,10,6,3,1.2,home_and_kitchen\n"
STORES = ", ".join(sorted({t.marketplace for t in feecalc.all_tables()}))  # discovered


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def run(*args) -> int:
    return main([str(a) for a in args])


def read_csv(path: Path, encoding: str = "utf-8-sig") -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False, sep=None, engine="python", encoding=encoding)


def test_csv_round_trip_keeps_every_row_in_order(tmp_path):
    src = write(tmp_path / "catalog.csv", HEADER + GOOD + "00124,-1,10,6,3,1.2,toys_and_games\n" +
                "00125,9.99,5,4,0.5,0.3,Beauty, Health & Personal Care\n".replace("Beauty, Health & Personal Care",
                                                                                  '"Beauty, Health & Personal Care"'))
    assert run("batch", src, "--on", ON, "--quiet") == 1
    out = read_csv(tmp_path / "catalog.costed.csv")
    assert list(out["sku"]) == ["00123", "00124", "00125"]
    assert list(out.columns[:7]) == ["sku", "price", "length", "width", "height", "weight", "category"]
    assert list(out.columns[7:]) == ["size_tier", "dimensional_weight", "shipping_weight", "referral", "closing",
                                     "per_item", "fulfillment", "sipp_discount", "overmax_handling", "fuel_surcharge",
                                     "packaging", "low_inventory_level",
                                     "digital_services_fee", "inbound_placement", "storage_monthly",
                                     "storage_utilization_surcharge", "aged_inventory_surcharge", "returns_processing",
                                     "removal_disposal", "total", "landed_total", "currency", "fee_table", "warnings",
                                     "error"]
    assert (out.loc[0, "fulfillment"], out.loc[0, "total"], out.loc[0, "error"]) == ("5.42", "9.36", "")
    assert out.loc[1, "error"] == "price: must not be negative, got -1.0" and out.loc[1, "total"] == ""
    assert (out.loc[2, "referral"], out.loc[2, "fulfillment"]) == ("0.80", "2.56")


def test_refuses_to_overwrite_and_forces(tmp_path, capsys):
    src = write(tmp_path / "c.csv", HEADER + GOOD)
    assert run("batch", src, "--on", ON, "--quiet") == 0
    assert run("batch", src, "--on", ON, "--quiet") == 2
    assert f"{tmp_path / 'c.costed.csv'}: already exists; use --force to replace it" in capsys.readouterr().err
    assert run("batch", src, "--on", ON, "--quiet", "--force") == 0
    assert run("batch", src, "-o", src, "--force") == 2


def test_german_csv_semicolons_decimal_commas_cp1252(tmp_path):
    text = ("SKU;Preis;Length (cm);Width (cm);Height (cm);Weight [g];Kategorie;category\n"
            "A-1;1.234,50 €;38,1;30,48;1,905;113,3980925;x;beauty_health_and_personal_care\n"
            "B-2;9,99;38,1;30,48;1,905;abc;x;toys_and_games\n")
    src = write(tmp_path / "de.csv", text.replace("Preis", "price"), encoding="cp1252")
    assert run("batch", src, "--on", ON, "--locale", "de_DE", "--quiet") == 1
    out = read_csv(tmp_path / "de.costed.csv", "cp1252")  # written in the input's encoding
    assert out.loc[0, "size_tier"] == "small_standard"
    assert out.loc[0, "fulfillment"] == "3,68"  # 4 oz exactly, high price band; written with a decimal comma
    assert out.loc[0, "referral"] == "185,18"   # 15% of 1,234.50 (whole price over $10)
    assert out.loc[1, "error"] == "Weight [g]: 'abc' is not a number (de_DE)"


def test_amazon_fee_preview_columns_and_unit_names(tmp_path):
    text = ("sku,asin,your-price,longest-side,median-side,shortest-side,unit-of-dimension,item-package-weight,"
            "unit-of-weight,product-group\n"
            "S1,B0,20.00,38.1,30.48,1.905,centimeters,0.25,pounds,everything_else\n")
    src = write(tmp_path / "preview.csv", text)
    assert run("batch", src, "--on", ON, "--quiet") == 0
    out = read_csv(tmp_path / "preview.costed.csv")
    assert (out.loc[0, "size_tier"], out.loc[0, "fulfillment"]) == ("small_standard", "3.42")


@pytest.mark.parametrize("body, message", [
    ("", "the file is empty"),
    ("sku,weight\n1,2\n", "missing required column(s) price, length, width, height, category; found 'sku', 'weight'"),
    ("price,price,length,width,height,weight,category\n", "duplicated column 'price' in the header"),
    ("\r\x01", "the first line is empty; it must hold the column names"),  # was a csv.Error traceback (a 500)
])
def test_files_that_cannot_be_costed_exit_2(tmp_path, capsys, body, message):
    src = write(tmp_path / "bad.csv", body)
    assert run("batch", src) == 2
    assert message in capsys.readouterr().err


def test_binary_file_renamed_csv(tmp_path, capsys):
    src = tmp_path / "book.csv"
    src.write_bytes(b"PK\x03\x04\x00\x00\x00binary")
    assert run("batch", src) == 2
    assert "not a text file (it contains NUL bytes)" in capsys.readouterr().err


def test_bad_cells_are_row_errors_and_good_rows_still_costed(tmp_path):
    text = HEADER + GOOD + "E1,,10,6,3,1.2,toys_and_games\n" + "E2,12.00,ten,6,3,1.2,toys_and_games\n" + \
        "E3,12.00,10,6,3,-2,toys_and_games\n" + "E4,12.00,10,6,3,1.2,gnomes\n" + "\n" + GOOD.replace("00123", "Z9")
    src = write(tmp_path / "mixed.csv", text)
    assert run("batch", src, "--on", ON, "--quiet") == 1
    out = read_csv(tmp_path / "mixed.costed.csv")
    assert list(out["sku"]) == ["00123", "E1", "E2", "E3", "E4", "Z9"]  # the blank line is not a row
    assert list(out["error"])[:4] == ["", "price: empty cell", "length: 'ten' is not a number (en_US)",
                                      "weight: must be greater than zero, got -2.0"]
    assert out.loc[4, "error"].startswith("category: unknown category for US in us-2026, got 'gnomes'")
    assert out.loc[5, "total"] == "9.36"


def test_formula_injection_comes_back_as_text(tmp_path):
    src = write(tmp_path / "f.csv", 'sku,price,length,width,height,weight,category\n'
                '"=HYPERLINK(""http://x"",""y"")",24.99,10,6,3,1.2,home_and_kitchen\n-5,24.99,10,6,3,1.2,home_and_kitchen\n')
    assert run("batch", src, "--on", ON, "--quiet") == 0
    out = read_csv(tmp_path / "f.costed.csv")
    assert out.loc[0, "sku"] == "'=HYPERLINK(\"http://x\",\"y\")" and out.loc[1, "sku"] == "-5"
    assert run("batch", src, "--on", ON, "--quiet", "-o", tmp_path / "f.xlsx") == 0
    import openpyxl

    cell = openpyxl.load_workbook(tmp_path / "f.xlsx")["Costed"]["A2"]
    assert cell.data_type == "s" and cell.value == '=HYPERLINK("http://x","y")'


def test_xlsx_round_trip_with_summary_and_sheet_choice(tmp_path, capsys):
    df = pd.DataFrame({"sku": ["A", "B"], "price": [24.99, -1], "length": [10, 10], "width": [6, 6],
                       "height": [3, 3], "weight": [1.2, 1.2], "category": ["home_and_kitchen", "toys"]})
    src = tmp_path / "in.xlsx"
    with pd.ExcelWriter(src) as xw:
        pd.DataFrame({"note": ["cover"]}).to_excel(xw, sheet_name="Cover", index=False)
        df.to_excel(xw, sheet_name="Items", index=False)
    assert run("batch", src, "--sheet", "Nope") == 2
    assert "no sheet 'Nope'; the sheets are 'Cover', 'Items'" in capsys.readouterr().err
    assert run("batch", src, "--sheet", "Items", "--on", ON, "--quiet") == 1
    book = pd.read_excel(tmp_path / "in.costed.xlsx", sheet_name=None, engine="calamine")
    assert list(book) == ["Cover", "Items", "Summary", "Notes"]  # the workbook kept: its sheets, their names
    costed, summary = book["Items"], book["Summary"]
    assert list(costed["sku"]) == ["A", "B"] and costed.loc[0, "total"] == pytest.approx(9.36)
    assert costed.loc[1, "error"] == "price: must not be negative, got -1.0"
    assert summary.columns[0] == "Rows" and summary.iloc[0, 1] == 1  # header row: Rows 2; then errors 1


def test_parquet_round_trip_keeps_exact_decimals(tmp_path):
    df = pd.DataFrame({"sku": ["A"], "price": [24.99], "length": [10.0], "width": [6.0], "height": [3.0],
                       "weight": [1.2], "category": ["home_and_kitchen"]})
    src = tmp_path / "in.parquet"
    df.to_parquet(src)
    assert run("batch", src, "--on", ON, "--quiet") == 0
    out = pd.read_parquet(tmp_path / "in.costed.parquet")
    assert out.loc[0, "total"] == D("9.36") and out.loc[0, "sku"] == "A"


def test_impact_shows_per_row_changes(tmp_path, capsys):
    src = write(tmp_path / "cat.csv", HEADER + GOOD + "B1,30,24,7.5,6,7.90,toys_and_games\n")
    assert run("impact", src, "--from", "2025-06-01", "--to", "2026-06-01") == 0
    out = read_csv(tmp_path / "cat.impact.csv")
    assert (out.loc[0, "fulfillment_from"], out.loc[0, "fulfillment_to"], out.loc[0, "fulfillment_change"]) == \
        ("5.37", "5.42", "0.05")
    assert out.loc[1, "why"] == ("size tier large_bulky -> small_bulky; fulfillment 12.27 -> 10.21; "
                                 "fuel_surcharge 0.00 -> 0.36; packaging 0.00 -> 1.68; schedule us-2025 -> us-2026")
    assert out.loc[1, "total_change"] == "-0.02"  # 2026 bulky packaging fee, 7.77 lb dimensional weight: 1.68
    text = capsys.readouterr().out
    assert "fulfillment" in text and "large_bulky" in text


def test_tables_commands(capsys, tmp_path):
    assert run("tables", "list") == 0
    listing = capsys.readouterr().out
    assert "us-2026    US 2026-01-15 to 2027-01-14" in listing and "DERIVED" in listing
    assert run("tables", "validate") == 0
    assert "ok: " in capsys.readouterr().out
    bad = write(tmp_path / "t.toml", "id = 'x'\n")
    assert run("tables", "validate", bad) == 2
    err = capsys.readouterr().err
    assert f"feecalc: {bad}: 16 problem(s)\n  id: String does not match expected pattern.\n" \
        "  marketplace: Missing data for required field." in err
    assert run("tables", "diff", "us-2025", "us-2026") == 0
    diff = capsys.readouterr().out
    assert "- fulfillment holiday peak, Low-Price FBA: unavailable: Low-Price FBA items paid" in diff
    assert "+ size tier small_bulky: longest 37 in, median 28 in, shortest 20 in, length_girth 130 in, weight 50 lb" \
        in diff
    assert "+ surcharge fuel and logistics-related surcharge: 3.5% from 2026-04-17" in diff
    assert run("tables", "diff", "uk-2025", "uk-2026") == 0
    diff = capsys.readouterr().out
    # the cards of the two years pair up ("UK 2025 standard", "UK 2026 standard"): only what changed is listed
    assert "fulfillment standard / light_envelope / up to 20 g / any price" not in diff  # 1.83 both years
    assert "~ fulfillment standard / standard_parcel / 1.9 kg+ to 2.9 kg / any price: 4.73 -> 3.49\n" in diff
    assert ("~ fulfillment standard / small_oversize / any weight / any price: "
            "3.65 + 0.25 per 1 kg above 760 g -> 3.49 + 0.25 per 1 kg above 760 g") in diff
    assert run("tables", "show", "us-2099") == 2


def test_outputs_that_cannot_be_written_and_default_names(tmp_path, capsys):
    from feecalc.batch import default_output
    from feecalc.sheets import output_suffix

    assert [output_suffix(e) for e in (".ods", ".XLS", ".xlsm", ".xlsx", ".CSV", ".pq")] == \
        [".xlsx", ".xlsx", ".xlsx", ".xlsx", ".CSV", ".pq"]
    assert default_output(Path("a/cat.ods")) == Path("a/cat.costed.xlsx")
    assert default_output(Path("a/cat.xlsm")) == Path("a/cat.costed.xlsx")
    assert default_output(Path("a/cat.parquet"), "impact") == Path("a/cat.impact.parquet")
    src = write(tmp_path / "c.csv", HEADER + GOOD)
    assert run("batch", src, "-o", tmp_path / "out.ods") == 2
    assert "out.ods: cannot write .ods; write .csv, .tsv, .xlsx or .parquet" in capsys.readouterr().err


def test_progress_estimate_by_rows_or_blocks(tmp_path):
    from feecalc.batch import Progress
    from feecalc.sheets import BLOCK_BYTES, open_source

    src = write(tmp_path / "c.csv", HEADER + GOOD * 10)
    meter = Progress(open_source(src), enabled=False)
    meter.update(10)
    assert meter.done_fraction(10) == min(1.0, BLOCK_BYTES / src.stat().st_size) == 1.0
    df = pd.DataFrame({"price": [1.0] * 4})
    df.to_parquet(tmp_path / "p.parquet")
    assert Progress(open_source(tmp_path / "p.parquet"), enabled=False).done_fraction(1) == 0.25


@pytest.mark.parametrize("cells, numbers, bad", [
    (["1", "2.5", ".5", "5.", "+3", "-0.25", "1e3"], [1, 2.5, 0.5, 5, 3, -0.25, 1000], [False] * 7),  # one cast
    (["1", "nan"], [1, None], [False, True]),         # Arrow would read 'nan' and 'inf'; the parser does not
    (["inf", "2"], [None, 2], [True, False]),
    (["1", ""], [1, None], [False, False]),            # an empty cell is not a parse error (it is 'empty cell')
    (["1,234.50", "$7", "15%"], [1234.5, 7, 0.15], [False] * 3),
    ([" 4 ", "0x10"], [4, None], [False, True]),
])
def test_parse_numbers_plain_fast_path_and_full_parse_agree(cells, numbers, bad):
    got, got_bad = parse_numbers(pd.Series(cells, dtype="string[pyarrow]"), "en_US")
    assert [None if np.isnan(v) else v for v in got] == numbers
    assert list(got_bad) == bad


def test_summary_totals_are_exact_sums_of_the_rows(tmp_path):
    from feecalc.batch import cost_file

    src = write(tmp_path / "c.csv", HEADER + GOOD + "B,-1,10,6,3,1.2,home_and_kitchen\n"
                + "C,9.99,8,4,1,0.4,toys_and_games\n" + "D,120,20,15,10,9,home_and_kitchen\n")
    result = cost_file(src, on=ON)
    out = read_csv(result.output)
    s = result.summary
    assert (s.rows, s.error_rows) == (4, 1)
    for k in ("referral", "fulfillment", "total"):
        assert s.money(k) == s.money(k, "USD") == sum(D(v) for v in out[k] if v), k
        assert s.count(k) == 3
    assert s.money("total") == D("9.36") + sum(D(v) for v in out["total"][2:])


def test_a_bad_optional_cell_is_the_rows_error_and_the_row_is_not_costed(tmp_path):
    # before: the row was costed with the default (shipping 0, age 0) and carried the message as well
    text = ("sku,price,length,width,height,weight,category,shipping,age_days\n"
            "A,24.99,10,6,3,1.2,home_and_kitchen,x,\n" "B,24.99,10,6,3,1.2,home_and_kitchen,,abc\n"
            "C,24.99,10,6,3,1.2,home_and_kitchen,,\n")
    src = write(tmp_path / "opt.csv", text)
    assert run("batch", src, "--on", ON, "--quiet") == 1
    out = read_csv(tmp_path / "opt.costed.csv")
    assert list(out["error"]) == ["shipping: 'x' is not a number (en_US)", "age_days: 'abc' is not a number (en_US)",
                                  ""]
    fee_columns = ["size_tier", "referral", "fulfillment", "total", "fee_table", "warnings"]
    assert out.loc[[0, 1], fee_columns].eq("").all().all()
    assert out.loc[2, "total"] == "9.36"
    assert run("impact", src, "--from", "2025-06-01", "--to", "2026-06-01", "--quiet") == 1
    impact = read_csv(tmp_path / "opt.impact.csv")  # 2025-06-01: referral 3.75 + fulfillment 5.37
    assert list(impact["total_from"]) == ["", "", "9.12"] and impact.loc[0, "error"] == out.loc[0, "error"]


def test_rows_of_the_wrong_width_are_row_errors_and_the_rest_is_costed(tmp_path):
    text = HEADER + GOOD + "B,24.99,10,6,3\n" + 'C,24.99,10,6,3,1.2,home_and_kitchen,"Blue, large",x\n' + \
        GOOD.replace("00123", "D")
    src = write(tmp_path / "ragged.csv", text)
    assert run("batch", src, "--on", ON, "--quiet") == 1
    out = read_csv(tmp_path / "ragged.costed.csv")
    assert list(out["sku"]) == ["00123", "B", "C", "D"] and list(out["total"]) == ["9.36", "", "", "9.36"]
    assert list(out["error"]) == [
        "", "the row has 5 cells where the header has 7; it is not costed",
        "the row has 9 cells where the header has 7 (is a value with the delimiter in it missing its quotes? "
        "cells beyond the header: 'Blue, large', 'x'); it is not costed", ""]
    assert list(out.loc[1, ["price", "weight", "category"]]) == ["24.99", "", ""]  # its cells, padded


def test_a_row_of_the_wrong_width_in_a_later_block_keeps_every_row_in_order(tmp_path, monkeypatch):
    monkeypatch.setattr("feecalc.sheets.BLOCK_BYTES", 1024)  # about 25 rows a block: Arrow reads a few first
    rows = [GOOD.replace("00123", f"S{i:03d}") for i in range(200)]
    rows[150] = "S150,24.99,10\n"
    rows[120] = 'S120,24.99,10,6,3,1.2,"home_and_kitchen"\n\n'  # a blank line is not a row
    rows[160] = 'S160,24.99,10,6,3,1.2,"home_and\nkitchen"\n'  # a quoted line break in the Python path
    src = write(tmp_path / "late.csv", HEADER + "".join(rows))
    assert run("batch", src, "--on", ON, "--quiet") == 1
    out = read_csv(tmp_path / "late.costed.csv")
    assert list(out["sku"]) == [f"S{i:03d}" for i in range(200)]
    errors = {i: e for i, e in enumerate(out["error"]) if e}
    assert errors[150] == "the row has 3 cells where the header has 7; it is not costed"
    assert set(errors) == {150} and (out["total"] == "9.36").sum() == 199
    assert out.loc[160, "category"] == "home_and\nkitchen"  # read whole; 'home and kitchen' is a known name


@pytest.mark.parametrize("locale, cells, numbers", [
    # separators where the locale puts them, or the cell is not a number (Babel's strict reading): '24,99' in
    # en_US and '24.99' in de_DE were read as 2,499 before
    ("en_US", ["24,99", "1,234.5", "1,2345", "$1,234.56", "12,345,678"], [None, 1234.5, None, 1234.56, 12345678]),
    ("de_DE", ["24.99", "1.234,56", "1.234", "2.5", "12 €", "€ 12,5", "1 234,5"],
     [None, 1234.56, 1234, None, 12, 12.5, 1234.5]),
    ("fr_FR", ["1\u202f234,5", "1 234,5"], [1234.5, 1234.5]),
    ("en_IN", ["12,34,567.8"], [1234567.8]),
])
def test_parse_numbers_requires_the_locales_grouping(locale, cells, numbers):
    got, bad = parse_numbers(pd.Series(cells, dtype="str"), locale)
    assert [None if np.isnan(v) else v for v in got] == numbers
    assert list(bad) == [n is None for n in numbers]


def test_spreadsheet_number_cells_are_not_read_as_locale_text():
    import datetime as dt

    cells = pd.Series([24.99, "24,99", None, 7, True, dt.date(2026, 1, 2), "24.99"], dtype=object)
    got, bad = parse_numbers(cells, "de_DE")
    assert [None if np.isnan(v) else v for v in got] == [24.99, 24.99, None, 7, None, None, None]
    assert list(bad) == [False, False, False, False, True, True, True]


def test_german_xlsx_with_number_cells(tmp_path):
    # before: every number cell went through the de_DE text parse, so 24.99 was 2,499 and 25.4 cm was 254 cm
    src = tmp_path / "de.xlsx"
    pd.DataFrame({"sku": ["A", "B"], "Preis": [24.99, "24,99"], "Länge (cm)": [25.4, "25,4"],
                  "Breite (cm)": [15.24, 15.24], "Höhe (cm)": [7.62, 7.62], "Gewicht (g)": [544.31, "544,31"],
                  "Kategorie": ["home_and_kitchen"] * 2}).to_excel(src, index=False)
    assert run("batch", src, "--on", ON, "--locale", "de_DE", "--quiet") == 0
    out = pd.read_excel(tmp_path / "de.costed.xlsx", engine="calamine")
    assert list(out["size_tier"]) == ["large_standard"] * 2 and list(out["total"]) == [9.36, 9.36]


def test_a_number_in_the_other_convention_names_the_locales_separators(tmp_path):
    src = write(tmp_path / "de.csv", "sku;Preis;Länge (cm);Breite (cm);Höhe (cm);Gewicht (g);Kategorie\n"
                                     "A;24.99;25,4;15,24;7,62;544,31;home_and_kitchen\n"
                                     "B;24,99;25,4;15,24;7,62;544,31;home_and_kitchen\n")
    assert run("batch", src, "--on", ON, "--locale", "de_DE", "--quiet") == 1
    out = read_csv(tmp_path / "de.costed.csv")
    assert list(out["error"]) == ["Preis: '24.99' is not a number (de_DE); in de_DE the decimal symbol is ',' and "
                                  "'.' groups thousands", ""]
    assert list(out["total"]) == ["", "9,36"]


def test_excel_unicode_text_export_utf16_tab_delimited(tmp_path):
    src = write(tmp_path / "export.txt", HEADER.replace(",", "\t") + GOOD.replace(",", "\t"), encoding="utf-16")
    assert src.read_bytes()[:2] == b"\xff\xfe"
    assert run("batch", src, "--on", ON, "--quiet") == 0
    out = tmp_path / "export.costed.txt"
    assert out.read_bytes()[:2] == b"\xff\xfe"  # written as it came: UTF-16 with its byte order mark
    costed = read_csv(out, "utf-16")
    assert list(costed["sku"]) == ["00123"] and list(costed["total"]) == ["9.36"]


def test_xlsx_with_title_rows_above_the_header(tmp_path, capsys):
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Export"
    for row in (["Catalog export, 2026-11-01"], [None], HEADER.strip().split(","), GOOD.strip().split(","),
                ["B", "-1", 10, 6, 3, 1.2, "home_and_kitchen"]):
        sheet.append(row)
    book.save(tmp_path / "title.xlsx")
    assert run("batch", tmp_path / "title.xlsx", "--on", ON) == 1
    err = capsys.readouterr().err
    assert "sheet 'Export': the column names are on row 3; the 2 row(s) above them are not costed" in err
    assert "row 2 (sheet row 5): price: must not be negative, got -1.0" in err
    out = pd.read_excel(tmp_path / "title.costed.xlsx", engine="calamine", dtype=str, header=2)  # title rows kept
    assert list(out["sku"]) == ["00123", "B"] and out.loc[0, "total"] == "9.36"
    assert pd.read_excel(tmp_path / "title.costed.xlsx", engine="calamine", header=None).iloc[0, 0] == \
        "Catalog export, 2026-11-01"


def test_xlsx_without_any_header_row_lists_what_it_found(tmp_path, capsys):
    pd.DataFrame({"a": [1], "b": [2]}).to_excel(tmp_path / "x.xlsx", index=False)
    assert run("batch", tmp_path / "x.xlsx") == 2
    assert "x.xlsx, sheet 'Sheet1': missing required column(s) price, length" in capsys.readouterr().err


def test_impact_xlsx_has_an_impact_sheet_and_its_own_summary(tmp_path):
    # before: the sheet was called 'Costed' and the Summary sheet showed zero rows and zero totals
    src = write(tmp_path / "cat.csv", HEADER + GOOD + "B1,30,24,7.5,6,7.90,toys_and_games\n")
    assert run("impact", src, "--from", "2025-06-01", "--to", "2026-06-01", "-o", tmp_path / "i.xlsx") == 0
    book = pd.read_excel(tmp_path / "i.xlsx", sheet_name=None, engine="calamine", header=None)
    assert list(book) == ["Impact", "Summary"]
    summary = book["Summary"].set_index(0)
    assert summary.loc["Rows", 1] == 2 and summary.loc["Rows with errors", 1] == 0
    # the rows' totals: 9.12 + 16.77 in 2025, 9.36 + 16.75 in 2026 (see the per-row test above)
    assert list(summary.loc["total", [1, 2, 3]]) == [pytest.approx(25.89), pytest.approx(26.11), pytest.approx(0.22)]
    assert summary.loc["Change by size tier", 1] == "rows" and summary.loc["large_bulky", 2] == pytest.approx(-0.02)
    assert len(summary.loc["us-2025", 1]) == len(summary.loc["us-2026", 1]) == 64  # the tables' sha256


@pytest.mark.parametrize("option, message", [
    (["--locale", "zz"], "feecalc: --locale: unknown locale 'zz' (for example en_US, de_DE, en_GB)\n"),  # a traceback
    (["--marketplace", "XX"], f"feecalc: marketplace: no fee tables for 'XX' (tables exist for {STORES})\n"),
])
def test_batch_bad_locale_or_marketplace_exit_2(tmp_path, capsys, option, message):
    src = write(tmp_path / "c.csv", HEADER + GOOD)
    assert run("batch", src, *option) == 2
    assert capsys.readouterr().err == message and not (tmp_path / "c.costed.csv").exists()


def test_tables_validate_a_missing_file_is_a_message_not_a_traceback(tmp_path, capsys):
    assert run("tables", "validate", tmp_path / "nope.toml") == 2
    assert capsys.readouterr().err == f"feecalc: {tmp_path / 'nope.toml'}: cannot be read (No such file or directory)\n"


def test_impact_reports_rows_with_errors_and_leaves_them_out_of_the_totals(tmp_path, capsys):
    src = write(tmp_path / "cat.csv", HEADER + GOOD + "B,-1,10,6,3,1.2,home_and_kitchen\n")
    assert run("impact", src, "--from", "2025-06-01", "--to", "2026-06-01") == 1
    captured = capsys.readouterr()
    assert captured.err == (f"feecalc: {src}: 2 rows, 1 with errors (left out of the totals)\n"
                            f"feecalc: {src}: row 2 (line 3): price: must not be negative, got -1.0\n")
    total = [line for line in captured.out.splitlines() if line.startswith("total ")]
    assert total == ["total                          9.12  9.36   0.24"]


MIXED = ("sku,marketplace,price,length,width,height,weight,category,date\n"
         "A,US,24.99,10,6,3,1.2,home_and_kitchen,\n"
         "B,UK,24.99,25,15,7,500,kitchen,2026-05-01\n"
         "C,,24.99,10,6,3,1.2,home_and_kitchen, \n"       # blank cells: the --marketplace and --on arguments
         "D,DE,24.99,25,15,7,500,kitchen,\n")


def test_a_file_mixing_marketplaces_names_each_rows_currency(tmp_path):
    # before: a blank marketplace or date cell was an error, every amount was formatted as dollars in XLSX,
    # and the Summary added dollars, pounds and euros together
    src = write(tmp_path / "mixed.csv", MIXED)
    assert run("batch", src, "--on", ON, "--quiet") == 0
    out = read_csv(tmp_path / "mixed.costed.csv")
    assert list(out["currency"]) == ["USD", "GBP", "USD", "EUR"]
    assert list(out["total"]) == ["9.36", "6.98", "9.36", "7.20"]
    assert run("batch", src, "--on", ON, "--quiet", "-o", tmp_path / "mixed.xlsx") == 0
    import openpyxl

    book = openpyxl.load_workbook(tmp_path / "mixed.xlsx")
    sheet = book["Costed"]
    total = [c.value for c in sheet[1]].index("total") + 1
    assert [sheet.cell(r, total).number_format for r in range(2, 6)] == \
        ['"$"#,##0.00', '"£"#,##0.00', '"$"#,##0.00', '"€"#,##0.00']
    summary = [[c.value for c in row if c.value is not None] for row in book["Summary"].iter_rows()]
    blocks = {row[1]: i for i, row in enumerate(summary) if row and row[0] == "Fee"}
    assert list(blocks) == ["Total (EUR)", "Total (GBP)", "Total (USD)"]
    assert summary[blocks["Total (USD)"] + MONEY.index("total") + 1] == ["total", 18.72, 9.36, 2]


def test_impact_of_a_file_mixing_marketplaces_totals_each_currency(tmp_path, capsys):
    src = write(tmp_path / "mixed.csv", MIXED)
    assert run("impact", src, "--from", "2026-05-01", "--to", "2026-06-01") == 0
    text = capsys.readouterr().out
    assert "totals (EUR):" in text and "totals (GBP):" in text and "totals (USD):" in text
    assert "\ntotals:" not in text
    out = read_csv(tmp_path / "mixed.impact.csv")
    assert list(out["currency"]) == ["USD", "GBP", "USD", "EUR"]


def test_output_cut_short_by_its_reader_ends_quietly():
    import subprocess
    import sys

    # 180 KB of JSON into a pipe whose reader stops after one line: before, a BrokenPipeError traceback
    proc = subprocess.Popen([sys.executable, "-m", "feecalc", "tables", "show", "us-2026"], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    assert proc.stdout.readline() == b"{\n"
    proc.stdout.close()
    assert proc.wait(timeout=60) == 2 and proc.stderr.read() == b""


def test_a_blank_sheet_row_is_one_short_error(tmp_path, capsys):
    df = pd.DataFrame([dict(zip(HEADER.strip().split(","), GOOD.strip().split(","), strict=True)), {},
                       dict(zip(HEADER.strip().split(","), GOOD.strip().split(","), strict=True))])
    df.to_excel(tmp_path / "gap.xlsx", index=False)
    assert run("batch", tmp_path / "gap.xlsx", "--on", ON) == 1
    assert "row 2 (sheet row 3): empty row\n" in capsys.readouterr().err
    out = pd.read_excel(tmp_path / "gap.costed.xlsx", engine="calamine", dtype=str)
    assert list(out["total"].fillna("")) == ["9.36", "", "9.36"] and out.loc[1, "error"] == "empty row"


def test_xlsx_in_csv_out_writes_cells_as_a_sheet_shows_them(tmp_path):
    # before: a crash (ArrowTypeError: Expected bytes, got a 'float' object) for any number cell
    import datetime as dt

    pd.DataFrame({"sku": ["A", "B"], "Preis": [24.99, "24,99"], "Länge (cm)": [25.4, 25.4], "Breite (cm)": [15.24, 15],
                  "Höhe (cm)": [7.62, 7.62], "Gewicht (g)": [544.31, 544.31], "Kategorie": ["home_and_kitchen"] * 2,
                  "apparel": [False, False], "seit": [dt.datetime(2026, 1, 2), None]}).to_excel(tmp_path / "de.xlsx",
                                                                                             index=False)
    assert run("batch", tmp_path / "de.xlsx", "-o", tmp_path / "de.csv", "--locale", "de_DE", "--on", ON,
               "--quiet") == 0
    out = read_csv(tmp_path / "de.csv")
    assert list(out.loc[0, ["Preis", "Länge (cm)", "Breite (cm)", "apparel", "seit"]]) == \
        ["24,99", "25,4", "15,24", "FALSE", "2026-01-02"]  # a date cell (no time of day) as its date
    assert list(out.loc[1, ["Preis", "Breite (cm)", "seit"]]) == ["24,99", "15", ""]
    assert list(out["total"]) == ["9,36", "9,36"]


def test_tsv_output_is_tab_delimited_and_sheet_needs_a_spreadsheet(tmp_path, capsys):
    src = write(tmp_path / "c.csv", HEADER + GOOD)
    assert run("batch", src, "-o", tmp_path / "c.tsv", "--on", ON, "--quiet") == 0
    assert (tmp_path / "c.tsv").read_text().splitlines()[0].startswith('"sku"\t"price"\t')
    assert capsys.readouterr().err == f"feecalc: {tmp_path / 'c.tsv'}: 1 notice(s) of fee tables and figures are " \
        f"stated once, in {tmp_path / 'c.notes.csv'}; the warnings column gives their codes (W1, W2, ...)\n"
    assert run("batch", src, "--sheet", "Items", "--force") == 2
    assert capsys.readouterr().err == f"feecalc: {src}: --sheet applies to spreadsheets (.xlsx, .xlsm, .xls, .ods), " \
                                      "not to csv files\n"


def test_category_map_turns_a_files_own_labels_into_categories(tmp_path, capsys):
    src = write(tmp_path / "fp.csv", "sku,your-price,longest-side,median-side,shortest-side,item-package-weight,"
                                     "product-group\nA,24.99,10,6,3,1.2,Kitchen\nB,24.99,10,6,3,1.2,Toy\n"
                                     "C,24.99,10,6,3,1.2,Wireless\n")
    labels = write(tmp_path / "map.csv", "label,category\nkitchen,home_and_kitchen\nTOY,Toys & Games\n")
    assert run("batch", src, "--category-map", labels, "--on", ON) == 1
    assert f"feecalc: {src}: 2 category label(s) mapped by {labels}\n" in capsys.readouterr().err
    out = read_csv(tmp_path / "fp.costed.csv")
    assert list(out["product-group"]) == ["Kitchen", "Toy", "Wireless"]  # the file's own cells, unchanged
    assert list(out["referral"]) == ["3.75", "3.75", ""]
    assert out.loc[2, "error"] == ("product-group: 'Wireless' is Amazon's product group for more than one US "
                                   "category in us-2026: cell_phone_devices or electronics_accessories; name the "
                                   "category (a spreadsheet: --category-map)")


@pytest.mark.parametrize("text, message", [
    ("from,to\nKitchen,home_and_kitchen\n", "a category map needs the header 'label,category' and a row per label"),
    ("label,category\nKitchen\n", "line 2: expected a label and a category, got ['Kitchen']"),
    ("label,category\nKitchen,home_and_kitchen\nkitchen,kitchen\n",
     "line 3: 'kitchen' is mapped twice, to 'home_and_kitchen' and 'kitchen'"),
])
def test_a_bad_category_map_stops_the_run(tmp_path, capsys, text, message):
    src = write(tmp_path / "c.csv", HEADER + GOOD)
    labels = write(tmp_path / "map.csv", text)
    assert run("batch", src, "--category-map", labels) == 2
    assert message in capsys.readouterr().err and not (tmp_path / "c.costed.csv").exists()


def test_impact_counts_the_rows_a_total_cannot_hold_instead_of_adding_them_as_zero():
    # DE 2025 monthly storage is NOT FOUND (uk-de.md 7.2), DE 2026's is known: the 'from' storage total holds no row
    items = pd.DataFrame({"price": ["24.00", "30.00"], "length": [30, 20], "width": [20, 15], "height": [10, 5],
                          "weight": [1200, 400], "category": ["kitchen", "kitchen"]})
    tables = impact_summary(impact_frame(items, "2025-06-01", "2026-06-01", marketplace="DE"))
    totals = tables["totals"]
    storage = totals.loc["storage_monthly"]
    assert (storage["rows unavailable (from)"], storage["rows unavailable (change)"]) == (2, 2)
    assert "rows unavailable (to)" not in totals.columns  # every 'to' amount is known: no count shown
    assert storage["from"] == D("0.00")  # the known part: no row
    assert "rows unavailable (from)" not in impact_summary(
        impact_frame(items, "2026-03-01", "2026-06-01", marketplace="DE"))["totals"].columns


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_input_columns_named_like_feecalcs_own_all_come_back(tmp_path, suffix):
    # before: an input with both 'warnings' and 'feecalc_warnings' lost the second from CSV output (feecalc's own
    # 'warnings' was renamed onto it) and stopped Parquet output ('Duplicate column names found')
    src = write(tmp_path / "d.csv", "sku,price,length,width,height,weight,category,warnings,feecalc_warnings\n"
                                    "A1,19.99,10,8,2,1,home_and_kitchen,mine,+SUM(A1)\n")
    out = tmp_path / f"d.costed{suffix}"
    assert run("batch", src, "--on", "2026-06-01", "-o", out) == 0
    back = pd.read_csv(out, dtype=str) if suffix == ".csv" else pd.read_parquet(out)
    assert list(back.columns[:9]) == ["sku", "price", "length", "width", "height", "weight", "category", "warnings",
                                      "feecalc_warnings"]
    assert "feecalc_feecalc_warnings" in back.columns and back.columns.is_unique
    assert (back["warnings"][0], back["feecalc_warnings"][0]) == (
        "mine", "'+SUM(A1)" if suffix == ".csv" else "+SUM(A1)")


def test_the_legend_never_overwrites_the_input(tmp_path, capsys):
    # before: `feecalc batch cat.notes.csv -o cat.csv --force` replaced the input with the legend of cat.csv
    src = write(tmp_path / "cat.notes.csv", HEADER + GOOD)
    before = src.read_bytes()
    assert run("batch", src, "--on", "2026-06-01", "-o", tmp_path / "cat.csv", "--force") == 2
    assert capsys.readouterr().err == (f"feecalc: {src}: the legend of the output's notices would overwrite the "
                                       "input; choose another -o\n")
    assert src.read_bytes() == before and not (tmp_path / "cat.csv").exists()


def test_a_new_workbook_whose_data_sheet_is_called_notes_or_summary_gets_free_names_for_feecalcs(tmp_path):
    # before: an XLS/ODS input's sheet 'Notes' kept its name in the new workbook and close() stopped on
    # DuplicateWorksheetName when the Notes sheet was added (the kept-workbook path already chose a free name)
    from openpyxl import load_workbook

    from feecalc.batch import Summary, XlsxWriter

    for sheet, expected in (("Notes", ["Notes", "Summary", "feecalc Notes"]),
                            ("summary", ["summary", "feecalc Summary", "Notes"])):
        path = tmp_path / f"{sheet}.xlsx"
        writer = XlsxWriter(path, "en_US", "US", sheet=sheet)
        note = {"code": "W1", "notice": "a notice", "fee_table": "us-2026", "source": "REF-7", "rows": 1}
        writer.close(Summary(notes=[note]))
        assert load_workbook(path, read_only=True).sheetnames == expected
