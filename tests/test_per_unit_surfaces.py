"""The new per-unit fee lines (issue 13) on every surface beside quote: the command line, spreadsheets (Amazon's
inventory report's column names), `feecalc tables diff`, and `compare` from the command line."""

from pathlib import Path

import pandas as pd

from feecalc.cli import main

ITEM = ["--price", "24.99", "--dims", "10x6x3in", "--weight", "1.2lb", "--category", "home_and_kitchen",
        "--on", "2026-05-01"]


def test_quote_command_takes_the_inputs_and_shows_both_totals(capsys):
    assert main(["quote", *ITEM, "--days-of-supply", "24", "18", "--placement", "optimized", "--return-rate", "5%",
                 "--low-sales-7-days"]) == 0
    out = capsys.readouterr().out
    assert "  low_inventory_level                  $0.00  no fee: exempt as fewer than 20 units sold in the last 7 " \
           "days\n" in out
    assert "\n  total                                $9.36  referral + closing + per_item + fulfillment" in out
    assert "\n  landed_total                         $9.44  total + inbound_placement + storage_monthly" in out
    assert "\n  note: priced: referral, closing, per_item, fulfillment," in out
    assert main(["quote", *ITEM, "--days-of-supply", "1", "2", "3"]) == 2
    assert "--days-of-supply: give one number, or two (short-term, long-term)" in capsys.readouterr().err
    assert main(["quote", *ITEM, "--days-of-supply", "10", "--json"]) == 0
    assert '"low_inventory_level": "0.97"' in capsys.readouterr().out


def test_a_spreadsheet_with_amazons_inventory_report_columns(tmp_path: Path):
    src = tmp_path / "stock.csv"
    src.write_text("sku,price,length,width,height,weight,category,Short term historical days of supply,"
                   "Long term historical days of supply,Return rate,placement\n"
                   "A,24.99,10,6,3,1.2,home_and_kitchen,24,18,5%,optimized\n"
                   "B,24.99,10,6,3,1.2,home_and_kitchen,,,,\n"
                   "C,24.99,10,6,3,1.2,home_and_kitchen,5,,12%,minimal\n")
    assert main(["batch", str(src), "--on", "2026-05-01", "--quiet"]) == 1  # row C has an error
    out = pd.read_csv(tmp_path / "stock.costed.csv", dtype=str, keep_default_na=False)
    assert out["low_inventory_level"].tolist() == ["0.36", "0.00", ""]
    assert out["total"].tolist() == ["9.72", "9.36", ""] and out["landed_total"].tolist() == ["9.80", "9.44", ""]
    assert out["error"][2] == ("Long term historical days of supply: is missing: give both the short- and the "
                               "long-term days of supply (Amazon's fee needs both), or days_of_supply for both, got "
                               "None")
    assert out["Short term historical days of supply"].tolist() == ["24", "", "5"]  # every cell as it came


def test_tables_diff_shows_the_new_sections(capsys):
    assert main(["tables", "diff", "us-2025", "us-2026"]) == 0
    diff = capsys.readouterr().out
    assert "+ overmax handling / extra_large_0_50: 17\n" in diff
    assert "~ removal and disposal / small_standard / up to 0.5 lb: 1.04 -> 0.84\n" in diff
    assert "+ low inventory level / small_bulky / any weight / days < 14: 1.85\n" in diff
    assert "- inbound placement minimal / small_standard / any weight: 0.16 to 0.30\n" in diff
    assert "+ SIPP discount, non-apparel / large_standard / over 3 lb: 0.23\n" in diff
    assert "+ returns processing threshold Toys & Games: 4.7%\n" in diff
    assert main(["tables", "diff", "de-2025", "de-2026"]) == 0
    assert "+ low inventory level / standard_parcel / any weight / days < 14: 0.67\n" in capsys.readouterr().out


def test_compare_command_takes_a_placement(capsys):
    assert main(["compare", *ITEM, "--set", "cost_of_goods=6", "--placement", "minimal"]) == 0
    out = capsys.readouterr().out
    assert "FBA: unavailable: inbound_placement unavailable: inbound placement, minimal shipment splits" in out
    assert "note: FBA inbound placement: placement 'minimal' (minimal shipment splits: the fee table's range at its " \
           "high end (an upper bound))" in out
