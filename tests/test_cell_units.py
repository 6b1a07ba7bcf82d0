"""Dimension and weight cells with their unit ('12 in', '30,5 cm', '1,2 kg', '450 g', '1 lb 4 oz'), read in the
file's locale, and the messages for cells that cannot be read (issue 12, points 2 and 6)."""

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from feecalc.cli import main
from feecalc.quantities import read_cells

ON = "2026-05-01"


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def costed(path: Path, sep: str = ",", encoding: str = "utf-8-sig") -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False, sep=sep, encoding=encoding)


@pytest.mark.parametrize("locale, cells, numbers, units", [
    ("de_DE", ["30,5 cm", "12 in", "1.234,5 mm", "12\"", "5 ft 3 in", "10", ""],
     [30.5, 12, 1234.5, 12, 63, 10, None], ["cm", "in", "mm", "in", "in", None, None]),
    ("en_US", ["12 inches", "30.5 centimeters", "2 Feet", "12 in."], [12, 30.5, 2, 12], ["in", "cm", "ft", "in"]),
])
def test_length_cells_with_units(locale, cells, numbers, units):
    got = read_cells(pd.Series(cells, dtype="string[pyarrow]"), locale, "length")
    assert [None if np.isnan(v) else v for v in got.numbers] == numbers
    assert list(got.units) == units and not got.bad.any()


def test_weight_cells_with_units_and_compounds():
    got = read_cells(pd.Series(["1,2 kg", "450 g", "1 lb 4 oz", "2 lbs", "3,5 oz"], dtype=object), "de_DE", "weight")
    assert list(got.numbers) == [1.2, 450, 20, 2, 3.5]  # 1 lb 4 oz is 20 oz, exactly
    assert list(got.units) == ["kg", "g", "oz", "lb", "oz"]


def test_plain_number_columns_take_the_fast_path():
    got = read_cells(pd.Series(["10", "6.5"], dtype="string[pyarrow]"), "en_US", "length")
    assert got.units is None and got.reasons is None and list(got.numbers) == [10, 6.5]


GERMAN = ("SKU;Preis;Länge;Breite;Höhe;Gewicht;Kategorie;Notiz\n"
          "A;24,99;25,4 cm;15,24 cm;7,62 cm;544,31 g;home_and_kitchen;\"rot, groß; neu\"\n"
          "B;24,99;10 in;6 in;3 in;1 lb 3,2 oz;home_and_kitchen;\n"
          "C;24,99;25,4 cm;6 in;7,62 cm;0,54431 kg;home_and_kitchen;\"Maße: 25,4 x 15,24\"\n"
          "D;24,99;25,4 cm;6;7,62 cm;1,2 lb;home_and_kitchen;\n"
          "E;24,99;12 parsecs;6 in;3 in;1 kg;home_and_kitchen;\n"
          "F;24,99;12 kg;6 in;3 in;1.2 kg;home_and_kitchen;\n"
          "G;19,99 %;10 in;6 in;3 in;1 lb;home_and_kitchen;\n")


def test_a_german_supplier_csv_with_units_in_cells(tmp_path):
    # before: every cell with a unit was "'25,4 cm' is not a number (de_DE); in de_DE the decimal symbol is ','"
    src = write(tmp_path / "lieferant.csv", GERMAN, "cp1252")
    assert main(["batch", str(src), "--locale", "de_DE", "--on", ON, "--quiet"]) == 1
    out = costed(tmp_path / "lieferant.costed.csv", ";", "cp1252")
    assert list(out["SKU"]) == list("ABCDEFG")
    # 10 x 6 x 3 in and 1.2 lb, the same item in cm and g, in inches and ounces, and with mixed units
    assert list(out["total"][:3]) == ["9,36", "9,36", "9,36"] and set(out["size_tier"][:3]) == {"large_standard"}
    assert list(out["error"]) == [
        "", "", "",
        "Länge, Breite, Höhe: some sides give a unit and some do not; give every side its unit (or the unit in the "
        "header or a unit column)",
        "Länge: '12 parsecs' has an unknown unit 'parsecs' (units: in, cm, mm, m, ft, or their names such as inches, "
        "centimeters)",
        "Länge: '12 kg' is a weight (kg), where a length is expected; Gewicht: '1.2 kg' has 1.2, which is not a "
        "number in de_DE (the decimal symbol is ',' and '.' groups thousands)",
        "Preis: '19,99 %' is a percentage, where an amount such as 19,99 is expected"]
    assert list(out["Länge"]) == ["25,4 cm", "10 in", "25,4 cm", "25,4 cm", "12 parsecs", "12 kg", "10 in"]
    assert out.loc[0, "Notiz"] == "rot, groß; neu"
    import csv

    rows = [list(csv.reader(open(p, encoding="cp1252", newline=""), delimiter=";"))
            for p in (src, tmp_path / "lieferant.costed.csv")]
    assert len(rows[0]) == len(rows[1]) and all(a == b[:8] for a, b in zip(*rows, strict=True))  # every cell


def test_a_cell_unit_that_contradicts_the_header_or_the_unit_column_is_the_rows_error(tmp_path):
    src = write(tmp_path / "h.csv", "sku,price,Length (cm),Width (cm),Height (cm),weight,category\n"
                                    "A,24.99,12 in,15,7,1 lb,home_and_kitchen\n"
                                    "B,24.99,30 cm,15,7,500 g,home_and_kitchen\n")
    assert main(["batch", str(src), "--on", ON, "--quiet"]) == 1
    out = costed(tmp_path / "h.costed.csv")
    assert list(out["error"]) == ["Length (cm): '12 in' is in in, but the column's header says cm", ""]
    src = write(tmp_path / "u.csv", "sku,your-price,longest-side,median-side,shortest-side,unit-of-dimension,"
                                    "item-package-weight,unit-of-weight,product-group\n"
                                    "A,24.99,25.4 cm,6,3,inches,1.2,pounds,home_and_kitchen\n"
                                    "B,24.99,10 in,6,3,inches,19.2 oz,pounds,home_and_kitchen\n"
                                    "C,24.99,10 in,6,3,inches,1.2,pounds,home_and_kitchen\n")
    assert main(["batch", str(src), "--on", ON, "--quiet"]) == 1
    out = costed(tmp_path / "u.costed.csv")
    assert list(out["error"]) == ["longest-side: '25.4 cm' is in cm, but unit-of-dimension says 'inches'",
                                  "item-package-weight: '19.2 oz' is in oz, but unit-of-weight says 'pounds'", ""]
    assert out.loc[2, "total"] == "9.36"


def test_messages_for_percentages_and_date_and_boolean_cells(tmp_path):
    # before: "price: must be a whole number of cents, got 0.1999" and "datetime.datetime(2026, 1, 5, 0, 0) is not
    # a number"
    src = tmp_path / "x.xlsx"
    pd.DataFrame({"sku": ["A", "B", "C"], "price": ["19.99%", 24.99, 24.99], "length": [10, 10, 10],
                  "width": [6, 6, 6], "height": [3, 3, 3], "weight": [1.2, dt.datetime(2026, 1, 5), True],
                  "category": ["home_and_kitchen"] * 3}).to_excel(src, index=False)
    assert main(["batch", str(src), "--on", ON, "--quiet", "-o", str(tmp_path / "x.csv")]) == 1
    assert list(costed(tmp_path / "x.csv")["error"]) == [
        "price: '19.99%' is a percentage, where an amount such as 19.99 is expected",
        "weight: a date cell (2026-01-05) is not a number (en_US)",
        "weight: a TRUE/FALSE cell (TRUE) is not a number (en_US)"]
