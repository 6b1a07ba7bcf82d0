"""Faithful output: every input cell comes back as it was, in its own type, in every format (issue 12, point 3)."""

import datetime as dt
from decimal import Decimal

import pyarrow as pa
import pyarrow.parquet as pq

from feecalc.cli import main

ON = "2026-05-01"


def test_parquet_columns_keep_their_types_decimal128_included(tmp_path):
    # before: a decimal128 price column came back as strings ('24.99'), an int32 as int64, a dictionary as text
    table = pa.table({
        "sku": ["A", "B"], "price": pa.array([Decimal("24.99"), Decimal("9.99")], pa.decimal128(10, 2)),
        "length": pa.array([10, 5], pa.int32()), "width": [6.0, 4.0], "height": [3.0, 1.0], "weight": [1.2, 0.3],
        "category": pa.array(["home_and_kitchen", "toys_and_games"]).dictionary_encode(),
        "listed": pa.array([dt.datetime(2026, 1, 5), None], pa.timestamp("ms")), "active": [True, False]})
    pq.write_table(table.replace_schema_metadata({"source": "data team"}), tmp_path / "d.parquet")
    assert main(["batch", str(tmp_path / "d.parquet"), "--on", ON, "--quiet"]) == 0
    out = pq.read_table(tmp_path / "d.costed.parquet")
    assert out.schema.metadata[b"source"] == b"data team"
    assert out.select(table.column_names).equals(table)  # every input column, its type and its values
    assert out.schema.field("total").type == pa.decimal128(18, 2)
    assert out.column("total").to_pylist() == [Decimal("9.36"), Decimal("4.74")]


def seller_workbook(path):
    """A workbook as sellers keep them: a Notes sheet first, then the data sheet with a title row and a blank row
    above the header, a formula with its cached value, booleans, dates, a number format, text that starts like a
    formula and Amazon's '--'."""
    import xlsxwriter

    book = xlsxwriter.Workbook(path, {"strings_to_formulas": False})
    notes = book.add_worksheet("Notes")
    notes.write_string(0, 0, "Prices checked on 2026-04-30")
    notes.write_formula(1, 0, "=1+1", None, 2)
    sheet = book.add_worksheet("Items")
    date, euro, bold = (book.add_format({"num_format": "yyyy-mm-dd"}), book.add_format({"num_format": "#,##0.00"}),
                        book.add_format({"bold": True}))
    sheet.write_string(0, 0, "Catalog export", bold)
    header = ["sku", "price", "length", "width", "height", "weight", "category", "listed", "active", "comment"]
    sheet.write_row(2, 0, header, bold)
    rows = [("00123", 24.99, ("=5*2", 10), 6, 3, 1.2, "home_and_kitchen", dt.datetime(2026, 1, 5), True, "--"),
            ("B-2", 9.99, ("=2*2", 4), 4, 0.5, 0.3, "Toy", dt.datetime(2025, 12, 24), False, "=HYPERLINK(\"x\")"),
            ("C-3", -1, 10, 6, 3, 1.2, "home_and_kitchen", None, True, "- item")]
    for r, row in enumerate(rows, start=3):
        for j, value in enumerate(row):
            if isinstance(value, tuple):
                sheet.write_formula(r, j, value[0], None, value[1])
            elif isinstance(value, bool):
                sheet.write_boolean(r, j, value)
            elif isinstance(value, dt.datetime):
                sheet.write_datetime(r, j, value, date)
            elif isinstance(value, str):
                sheet.write_string(r, j, value)
            elif isinstance(value, float) and j == 1:
                sheet.write_number(r, j, value, euro)
            elif value is not None:
                sheet.write_number(r, j, value)
    book.close()
    return header


def test_an_xlsx_workbook_comes_back_as_it_was_with_the_costed_columns_to_the_right(tmp_path, capsys):
    # before: the Notes sheet and the title row were dropped, the data sheet renamed 'Costed', booleans and dates
    # written as text ('True', '2026-01-05 00:00:00'), formulas as their values
    import re
    import zipfile
    from xml.etree import ElementTree as ET

    import openpyxl

    src = tmp_path / "catalog.xlsx"
    header = seller_workbook(src)
    assert main(["batch", str(src), "--sheet", "Items", "--on", ON]) == 1
    assert "row 3 (sheet row 6): price: must not be negative, got -1.0" in capsys.readouterr().err
    out = tmp_path / "catalog.costed.xlsx"
    zin, zout = zipfile.ZipFile(src), zipfile.ZipFile(out)
    edited = {"xl/worksheets/sheet2.xml", "xl/styles.xml", "xl/sharedStrings.xml", "xl/workbook.xml",
              "xl/_rels/workbook.xml.rels", "[Content_Types].xml"}
    for name in zin.namelist():  # every other part, byte for byte
        assert name in zout.namelist()
        if name not in edited:
            assert zin.read(name) == zout.read(name), name
    strings = [re.findall(r"<si>.*?</si>", z.read("xl/sharedStrings.xml").decode()) for z in (zin, zout)]
    assert strings[1][:len(strings[0])] == strings[0]  # the shared strings the sheets use, unchanged, in place
    for name in zout.namelist():
        if name.endswith(".xml") or name.endswith(".rels"):
            ET.fromstring(zout.read(name))  # well-formed
    before, after = zin.read("xl/worksheets/sheet2.xml").decode(), zout.read("xl/worksheets/sheet2.xml").decode()
    for cell in re.findall(r"<c\b[^>]*?(?:/>|>.*?</c>)", before):  # every cell of the sheet, as it was
        assert cell in after, cell
    assert '<f>5*2</f><v>10</v>' in after  # the formula and its cached value

    formulas = openpyxl.load_workbook(out)
    assert formulas.sheetnames == ["Notes", "Items", "Summary"]
    items = formulas["Items"]
    assert items["A1"].value == "Catalog export" and items["A1"].font.b
    assert [c.value for c in items[3]][:len(header)] == header
    assert items["C4"].value == "=5*2" and items["H4"].value == dt.datetime(2026, 1, 5)
    assert items["H4"].number_format == "yyyy-mm-dd" and items["B4"].number_format == "#,##0.00"
    assert (items["I4"].value, items["I5"].value) == (True, False)
    assert (items["J4"].value, items["J5"].value, items["J6"].value) == ("--", '=HYPERLINK("x")', "- item")
    assert items["J5"].data_type == "s"  # text that starts like a formula stays text
    names = [c.value for c in items[3]]
    total, currency, error = (names.index(n) + 1 for n in ("total", "currency", "error"))
    assert names[len(header)] == "size_tier"  # the costed columns start right after the data
    assert [items.cell(r, total).value for r in (4, 5, 6)] == [9.36, 4.15, None]  # 4 x 4 (=2*2) x 0.5 in, 0.3 lb
    assert items.cell(4, total).number_format == '"$"#,##0.00' and items.cell(4, currency).value == "USD"
    assert items.cell(6, error).value == "price: must not be negative, got -1.0"
    assert formulas["Notes"]["A2"].value == "=1+1"
    values = openpyxl.load_workbook(out, data_only=True)
    assert values["Items"]["C4"].value == 10 and values["Notes"]["A2"].value == 2  # cached values kept
    summary = [[c.value for c in row] for row in values["Summary"].iter_rows()]
    assert summary[:3] == [["Rows", 3, None, None], ["Rows with errors", 1, None, None],
                           ["Rows costed", 2, None, None]]


def test_an_xlsm_workbook_written_as_xlsx_loses_only_its_macros(tmp_path, capsys):
    import zipfile

    import openpyxl

    plain = tmp_path / "plain.xlsx"
    seller_workbook(plain)
    src = tmp_path / "macros.xlsm"  # the same workbook with a macro project, as Excel saves an .xlsm
    with zipfile.ZipFile(plain) as zin, zipfile.ZipFile(src, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == "[Content_Types].xml":
                data = data.replace(b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
                                    b"application/vnd.ms-excel.sheet.macroEnabled.main+xml").replace(
                    b"<Default Extension=\"xml\"",
                    b"<Default Extension=\"bin\" ContentType=\"application/vnd.ms-office.vbaProject\"/>"
                    b"<Default Extension=\"xml\"")
            if info.filename == "xl/_rels/workbook.xml.rels":
                data = data.replace(b"</Relationships>", b'<Relationship Id="rIdVba" Type="http://schemas.microsoft'
                                    b'.com/office/2006/relationships/vbaProject" Target="vbaProject.bin"/>'
                                    b"</Relationships>")
            zout.writestr(info, data)
        zout.writestr("xl/vbaProject.bin", b"not really a macro project")
    assert b"macroEnabled" in zipfile.ZipFile(src).read("[Content_Types].xml")
    assert main(["batch", str(src), "--sheet", "Items", "--on", ON, "--quiet"]) == 1
    out = tmp_path / "macros.costed.xlsx"
    assert "the input's macros are not in the output (an .xlsx cannot hold them)" in capsys.readouterr().err
    book = zipfile.ZipFile(out)
    assert "xl/vbaProject.bin" not in book.namelist()
    assert b"macroEnabled" not in book.read("[Content_Types].xml") and b"vbaProject" not in \
        book.read("xl/_rels/workbook.xml.rels")
    assert openpyxl.load_workbook(out).sheetnames == ["Notes", "Items", "Summary"]


def test_other_inputs_to_xlsx_write_each_cell_in_its_own_type(tmp_path):
    # before: booleans and dates were written as text ('True', '2026-01-05 00:00:00')
    import openpyxl

    table = pa.table({"sku": ["A"], "price": [24.99], "length": [10.0], "width": [6.0], "height": [3.0],
                      "weight": [1.2], "category": ["home_and_kitchen"], "active": [True],
                      "listed": pa.array([dt.date(2026, 1, 5)], pa.date32())})
    pq.write_table(table, tmp_path / "d.parquet")
    assert main(["batch", str(tmp_path / "d.parquet"), "-o", str(tmp_path / "d.xlsx"), "--on", ON, "--quiet"]) == 0
    sheet = openpyxl.load_workbook(tmp_path / "d.xlsx")["Costed"]
    row = {c.value: sheet.cell(2, c.column) for c in sheet[1]}
    assert row["active"].value is True and row["active"].data_type == "b"
    assert row["listed"].value == dt.datetime(2026, 1, 5) and row["listed"].number_format == "yyyy-mm-dd"
    assert row["total"].value == 9.36


GERMAN = ("sku;price;length;width;height;weight;category;monthly_units\n"
          "A;24,99;10;6;3;1,2;home_and_kitchen;300\n"
          "B;30;24;7,5;6;7,90;toys_and_games;10\n"
          "C;24,99;10;6;3;1,2;home_and_kitchen;\n"
          "D;24,99;10;6;3;1,2;home_and_kitchen;2,5\n")


def test_impact_keeps_input_cells_and_weights_its_totals_by_monthly_units(tmp_path, capsys):
    # before: the totals were sums of per-unit fees whatever the units sold
    src = tmp_path / "cat.csv"
    src.write_bytes(GERMAN.encode("cp1252"))
    assert main(["impact", str(src), "--from", "2025-06-01", "--to", "2026-06-01", "--locale", "de_DE"]) == 1
    captured = capsys.readouterr()
    assert "row 3 (line 4): monthly_units: empty cell (the totals are weighted by it)" in captured.err
    # per unit, 2025 -> 2026: A and D 9.12 -> 9.36, B 16.77 -> 16.75 (tests/test_batch.py); C is an error
    # a month: 9.12 x 300 + 16.77 x 10 + 9.12 x 2.5 = 2926.50 -> 9.36 x 300 + 16.75 x 10 + 9.36 x 2.5 = 2998.90
    total = [line for line in captured.out.splitlines() if line.startswith("total ")]
    assert total == ["total                          2926.50  2998.90  72.40"]
    assert "totals (monthly, weighted by monthly_units):" in captured.out
    out = (tmp_path / "cat.impact.csv").read_bytes().decode("cp1252").splitlines()
    assert out[1].startswith('"A";"24,99";"10";"6";"3";"1,2";"home_and_kitchen";"300";')
    assert out[4].startswith('"D";"24,99";"10";"6";"3";"1,2";"home_and_kitchen";"2,5";')


def test_portfolio_keeps_input_cells_delimiter_and_encoding(tmp_path):
    # before: portfolio rewrote input cells (24,99 -> 24.99, 10 -> 10.0) and wrote commas for semicolons, UTF-8
    src = tmp_path / "cat.csv"
    src.write_bytes(GERMAN.replace("\nC;24,99;10;6;3;1,2;home_and_kitchen;\n", "\n").encode("cp1252"))
    assert main(["portfolio", str(src), "--on", ON, "--locale", "de_DE"]) == 0
    out = (tmp_path / "cat.portfolio.csv").read_bytes().decode("cp1252").splitlines()
    assert out[0].startswith('"sku";"price";"length";"width";"height";"weight";"category";"monthly_units";'
                             '"profit_fba"')
    assert out[1].startswith('"A";"24,99";"10";"6";"3";"1,2";"home_and_kitchen";"300";')
    xlsx = tmp_path / "cat.xlsx"
    assert main(["portfolio", str(src), "--on", ON, "--locale", "de_DE", "-o", str(xlsx)]) == 0
    import openpyxl

    book = openpyxl.load_workbook(xlsx)
    assert book.sheetnames == ["SKUs", "Summary"]
    assert [c.value for c in book["SKUs"][2]][:8] == ["A", "24,99", "10", "6", "3", "1,2", "home_and_kitchen", "300"]
    summary = [[c.value for c in row] for row in book["Summary"].iter_rows()]
    assert summary[3][0] == "Portfolio" and summary[4][0] == "all FBA"


def test_a_workbook_to_parquet_keeps_numbers_booleans_and_dates_in_their_types(tmp_path):
    # before: every sheet column came out as strings ('10.0', 'True', '2026-01-05 00:00:00')
    seller_workbook(tmp_path / "w.xlsx")
    assert main(["batch", str(tmp_path / "w.xlsx"), "--sheet", "Items", "-o", str(tmp_path / "w.parquet"), "--on", ON,
                 "--quiet"]) == 1
    out = pq.read_table(tmp_path / "w.parquet")
    types = {name: str(out.schema.field(name).type) for name in ("sku", "price", "length", "listed", "active",
                                                                  "comment")}
    assert types == {"sku": "string", "price": "double", "length": "double", "listed": "date32[day]",
                     "active": "bool", "comment": "string"}
    assert out.column("length").to_pylist() == [10, 4, 10]  # the formulas' cached values
    assert out.column("comment").to_pylist() == ["--", '=HYPERLINK("x")', "- item"]


def test_a_sheet_with_blank_rows_and_styled_empty_cells_where_the_columns_go(tmp_path):
    import re
    import zipfile

    import openpyxl
    from openpyxl.styles import PatternFill

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Items"
    sheet.append(["sku", "price", "length", "width", "height", "weight", "category"])
    sheet.append(["A", 24.99, 10, 6, 3, 1.2, "home_and_kitchen"])
    sheet.append([])  # a blank row between data rows: no row element in the file
    sheet.append(["C", 24.99, 10, 6, 3, 1.2, "home_and_kitchen"])
    sheet["K2"].fill = PatternFill("solid", fgColor="FFFF00")  # an empty cell with a style, where columns are added
    sheet["AZ4"].fill = PatternFill("solid", fgColor="FFFF00")  # and one beyond them
    book.save(tmp_path / "b.xlsx")
    assert main(["batch", str(tmp_path / "b.xlsx"), "--on", ON, "--quiet"]) == 1
    xml = zipfile.ZipFile(tmp_path / "b.costed.xlsx").read("xl/worksheets/sheet1.xml").decode()
    for row in re.findall(r"<row\b.*?</row>", xml, re.S):  # cells in column order, each once
        cols = [c for c in re.findall(r'<c r="([A-Z]+)\d+"', row)]
        key = [(len(c), c) for c in cols]
        assert key == sorted(key) and len(set(cols)) == len(cols), row[:200]
    out = openpyxl.load_workbook(tmp_path / "b.costed.xlsx")["Items"]
    names = [c.value for c in out[1]]
    total, error = names.index("total") + 1, names.index("error") + 1
    assert [out.cell(r, total).value for r in (2, 3, 4)] == [9.36, None, 9.36]
    assert out.cell(3, error).value == "empty row"
    assert out["AZ4"].fill.fgColor.rgb == "00FFFF00"  # the styled cell beyond the added columns, kept
