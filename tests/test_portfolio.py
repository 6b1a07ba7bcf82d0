"""`feecalc portfolio`: every numeric column read in the file's locale, the seller's costs included; blank or bad
cells are that row's error, never the profile's value; exit 1 when rows have errors; every input cell comes back as
it came, and the break-even columns carry the unknown price ranges and the loss windows."""

from decimal import Decimal as D

import pandas as pd

import feecalc
from feecalc.cli import main

ON = "2026-05-01"
HEADER = "sku;price;length;width;height;weight;category;monthly_units;cost_of_goods;advertising_percent\n"


def test_de_locale_reads_the_profile_columns_too(tmp_path, capsys):
    src = tmp_path / "de.csv"
    src.write_text(HEADER + "A;24,99;10;6;3;1,2;home_and_kitchen;1.000;6,50;5 %\n"
                   "B;24,99;10;6;3;1,2;home_and_kitchen;;6,50;5 %\n"
                   "C;24,99;10;6;3;1,2;home_and_kitchen;300;6.50;5 %\n", encoding="utf-8")
    assert main(["portfolio", str(src), "--on", ON, "--locale", "de_DE", "--marketplace", "US"]) == 1
    err = capsys.readouterr().err
    assert "3 rows, 2 with errors" in err
    rows = pd.read_csv(tmp_path / "de.portfolio.csv", dtype=str, keep_default_na=False, sep=";")  # its delimiter
    # the input's cells as they came
    assert list(rows.loc[0, ["price", "weight", "monthly_units", "cost_of_goods"]]) == ["24,99", "1,2", "1.000", "6,50"]
    assert list(rows["error"]) == ["", "monthly_units: empty cell", "cost_of_goods: '6.50' is not a number (de_DE)"]
    # A: 1,000 units a month (it was 1: '1.000' read as one), cost of goods 6.50 (it was an error), advertising 5%
    # of 24.99 = 1.2495 -> 1.25: 24.99 - (3.75 + 5.42 + 0.19 + 0.08 + 6.50 + 1.25) = 7.80 a unit, 7,800.00 a month
    assert (rows.loc[0, "profit_fba"], rows.loc[0, "monthly_profit_fba"]) == ("7,80", "7800,00")  # as batch: de_DE


def test_the_library_agrees_and_blank_cells_are_errors():
    df = pd.DataFrame([dict(price="24.99", length=10, width=6, height=3, weight=1.2, category="home_and_kitchen",
                            monthly_units=1000, cost_of_goods="6.50", advertising_percent="5%"),
                       dict(price="24.99", length=10, width=6, height=3, weight=1.2, category="home_and_kitchen",
                            monthly_units=None, cost_of_goods="6.50", advertising_percent="5%")])
    rows, totals = feecalc.compare_frame(df, on=ON)
    assert rows.loc[0, "profit_fba"] == D("7.80")
    assert rows.loc[1, "error"] == "monthly_units: empty cell (give a value, or leave the column out to use the " \
                                   "profile's)"


def test_break_even_columns_with_loss_windows(tmp_path):
    src = tmp_path / "toys.csv"
    src.write_text("sku,price,length,width,height,weight,weight_unit,category,cost_of_goods,monthly_units\n"
                   "T,9.99,8,5,0.5,5,oz,toys_and_games,5.17,100\n")
    assert main(["portfolio", str(src), "--on", ON, "--break-even", "-o", str(tmp_path / "out.xlsx")]) == 0
    rows = pd.read_excel(tmp_path / "out.xlsx", sheet_name="SKUs", dtype=str, engine="openpyxl")
    # a portfolio leaves the plan to the totals: break-even 9.21 (9.21 - (1.38 + 2.56 + 0.09 + 0.01 + 5.17) =
    # 0.00; 9.68 with the plan share of 0.40), and the mid price band loses money from 10.00 (-0.25) to 10.28
    # (15% of 10.28 = 1.542 -> 1.54: -0.01); at 10.29 it breaks even again
    assert rows.loc[0, "break_even_fba"] == "9.21"
    assert rows.loc[0, "loss_windows_fba"] == "10.00-10.28"
