"""A costed file's notes (feecalc.legend): a fee table's or a figure's notices stated once per file, with codes in the
rows' warnings; the rows' own warnings in full; --full-warnings as before; cost_frame's full texts and notes."""

from __future__ import annotations

import pandas as pd
import pyarrow.parquet as pq
import pytest

from feecalc import cost_frame
from feecalc.batch import cost_file
from feecalc.cli import main
from feecalc.sheets import BatchError

ON = "2026-05-01"
CARRIED = ("2026 referral rates: no change after the 2024-2025 schedule is recorded in the reference, so that schedule "
           "is carried forward (us-referral.md 3, note)")
REMOVAL = ("removal and disposal order fees: apparel, shoes, watches, jewellery and dangerous goods need special "
           "handling, and which rates they pay rests on ungraded sources (us-fba.md 10)")
GIFT = "referral[24] Gift Cards is low confidence (L): REF-7, REF-8; confidence L"
GIFT_MIN = "referral[24] Gift Cards minimum is low confidence (L): REF-7 (REF-8 gives none); confidence L"
ROWS = ("sku,price,length,width,height,weight,category,apparel\n"
        "A,24.99,10,6,3,1.2,home_and_kitchen,false\n"
        "B,24.99,10,6,3,1.2,home_and_kitchen,true\n"
        "C,24.99,10,6,3,1.2,gift_cards,false\n"
        "D,-1,10,6,3,1.2,home_and_kitchen,false\n")


def costed(tmp_path, *options: str, name: str = "c.costed.csv") -> pd.DataFrame:
    (tmp_path / "c.csv").write_text(ROWS)
    assert main(["batch", str(tmp_path / "c.csv"), "-o", str(tmp_path / name), "--on", ON, "--quiet",
                 *options]) == 1  # row D's price
    return pd.read_csv(tmp_path / name, dtype=str, keep_default_na=False)


def test_cost_frame_keeps_full_warnings_and_gives_its_notes_once_with_their_rows():
    df = pd.DataFrame({"price": [24.99, 24.99, 24.99], "length": [10] * 3, "width": [6] * 3, "height": [3] * 3,
                       "weight": [1.2] * 3, "category": ["home_and_kitchen", "home_and_kitchen", "gift_cards"]})
    out = cost_frame(df, on=ON)
    assert list(out["warnings"]) == [CARRIED, CARRIED, f"{CARRIED}; {GIFT}; {GIFT_MIN}"]
    assert out.attrs["notes"] == [
        {"notice": CARRIED, "fee_table": "us-2026", "source": "us-referral.md 3", "rows": 3},
        {"notice": GIFT, "fee_table": "us-2026", "source": "REF-7, REF-8", "rows": 1},
        {"notice": GIFT_MIN, "fee_table": "us-2026", "source": "REF-7 (REF-8 gives none)", "rows": 1}]


def test_csv_rows_carry_codes_and_their_own_warnings_in_full_with_a_legend_beside(tmp_path, capsys):
    out = costed(tmp_path)
    assert list(out["warnings"]) == ["W1", f"W1; {REMOVAL}", "W1; W2; W3", ""]
    assert [cell == "" for cell in out["removal_disposal"]] == [False, True, False, True]  # why B's is blank: above
    assert (tmp_path / "c.costed.notes.csv").read_bytes().decode("utf-8-sig") == (
        "code,notice,fee_table,source,rows\r\n"
        f'W1,"{CARRIED}",us-2026,us-referral.md 3,3\r\n'
        f'W2,"{GIFT}",us-2026,"REF-7, REF-8",1\r\n'
        f"W3,{GIFT_MIN},us-2026,REF-7 (REF-8 gives none),1\r\n")
    assert capsys.readouterr().err == (
        f"feecalc: {tmp_path / 'c.costed.csv'}: 3 notice(s) of fee tables and figures are stated once, in "
        f"{tmp_path / 'c.costed.notes.csv'}; the warnings column gives their codes (W1, W2, ...)\n")


def test_full_warnings_writes_every_warning_in_full_and_no_legend(tmp_path, capsys):
    out = costed(tmp_path, "--full-warnings")
    assert list(out["warnings"]) == [CARRIED, f"{CARRIED}; {REMOVAL}", f"{CARRIED}; {GIFT}; {GIFT_MIN}", ""]
    assert not (tmp_path / "c.costed.notes.csv").exists()
    assert capsys.readouterr().err == ""


def test_an_input_note_stays_in_full_on_its_row(tmp_path):
    (tmp_path / "g.csv").write_text("sku,price,length,width,height,weight,product group\n"
                                    "A,24.99,10,6,3,1.2,Kitchen\n")
    assert main(["batch", str(tmp_path / "g.csv"), "--on", ON, "--quiet"]) == 0
    full = cost_frame(pd.DataFrame({"price": [24.99], "length": [10], "width": [6], "height": [3], "weight": [1.2],
                                    "category": ["Kitchen"]}), on=ON)["warnings"][0]
    cell = pd.read_csv(tmp_path / "g.costed.csv", dtype=str, keep_default_na=False)["warnings"][0]
    assert full.endswith(f"; {CARRIED}") and cell == full.removesuffix(CARRIED) + "W1"


def test_parquet_rows_carry_codes_and_the_legend_is_beside_it(tmp_path):
    (tmp_path / "c.csv").write_text(ROWS)
    result = cost_file(tmp_path / "c.csv", tmp_path / "c.parquet", on=ON)
    assert result.legend == tmp_path / "c.notes.csv"
    warnings = pq.read_table(tmp_path / "c.parquet").column("warnings").to_pylist()
    assert warnings == ["W1", f"W1; {REMOVAL}", "W1; W2; W3", None]
    assert [n["code"] for n in result.summary.notes] == ["W1", "W2", "W3"]


def test_xlsx_output_has_a_notes_sheet_and_no_legend_file(tmp_path):
    (tmp_path / "c.csv").write_text(ROWS)
    result = cost_file(tmp_path / "c.csv", tmp_path / "c.xlsx", on=ON)
    assert result.legend is None and not (tmp_path / "c.notes.csv").exists()
    book = pd.read_excel(tmp_path / "c.xlsx", sheet_name=None, engine="calamine")
    assert list(book) == ["Costed", "Summary", "Notes"]
    assert list(book["Costed"]["warnings"].fillna("")) == ["W1", f"W1; {REMOVAL}", "W1; W2; W3", ""]
    notes = book["Notes"]
    assert list(notes.columns) == ["Code", "Notice", "Fee table", "Source", "Rows"]
    assert notes.values.tolist() == [["W1", CARRIED, "us-2026", "us-referral.md 3", 3],
                                     ["W2", GIFT, "us-2026", "REF-7, REF-8", 1],
                                     ["W3", GIFT_MIN, "us-2026", "REF-7 (REF-8 gives none)", 1]]


def test_a_legend_already_there_is_replaced_only_with_force(tmp_path):
    (tmp_path / "c.csv").write_text(ROWS)
    (tmp_path / "c.costed.notes.csv").write_text("mine")
    with pytest.raises(BatchError, match="c.costed.notes.csv: already exists; use --force to replace it"):
        cost_file(tmp_path / "c.csv", on=ON)
    cost_file(tmp_path / "c.csv", on=ON, force=True)
    assert (tmp_path / "c.costed.notes.csv").read_text(encoding="utf-8-sig").startswith("code,notice,")
