"""The costed file's fast paths write what the slow ones wrote: amounts from a table of texts, the formula check on
the text's own bytes, feecalc's own columns not escaped (an input column of the same name still is)."""

from __future__ import annotations

from decimal import Decimal

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from feecalc.batch import TEXTS, _decimal_text
from feecalc.cli import main
from feecalc.sheets import _may_start_a_formula


def test_amount_texts_are_arrows_cast_of_every_amount_in_and_out_of_the_table():
    cents = [0, 1, 5, 99, 100, 12345, TEXTS - 1, TEXTS, TEXTS + 1, -1, -12345, 10**20, -(10**20)]
    amounts = pa.array([Decimal(c).scaleb(-2) for c in cents] + [None], type=pa.decimal128(38, 2))
    assert _decimal_text(amounts).to_pylist() == ["0.00", "0.01", "0.05", "0.99", "1.00", "123.45", "2621.43",
                                                  "2621.44", "2621.45", "-0.01", "-123.45",
                                                  "1000000000000000000.00", "-1000000000000000000.00", None]
    every = pa.array([Decimal(c).scaleb(-2) for c in range(0, TEXTS + 50, 7)], type=pa.decimal128(18, 2))
    assert _decimal_text(every).equals(pc.cast(every, pa.string()))
    part = amounts.slice(3, 6)  # an array that starts inside its buffer
    assert _decimal_text(part).to_pylist() == ["0.99", "1.00", "123.45", "2621.43", "2621.44", "2621.45"]


def test_the_formula_check_reads_each_cells_first_byte():
    assert not _may_start_a_formula(pa.array(["abc", "", None, "1+1", "é=", "W1; W2"]))
    for start in ("=", "+", "-", "@", " ", "\t", "\r", "\n"):
        assert _may_start_a_formula(pa.array(["abc", None, f"{start}x"]))
    assert not _may_start_a_formula(pa.array(["=x", "abc"]).slice(1))  # the slice's own cells only
    assert _may_start_a_formula(pa.chunked_array([["a"], ["b", "-c"]], type=pa.large_string()))


def test_feecalcs_own_columns_are_not_escaped_an_input_column_of_their_name_is(tmp_path):
    (tmp_path / "c.csv").write_text("sku,price,length,width,height,weight,category,warnings\n"
                                    "A,24.99,10,6,3,1.2,home_and_kitchen,=HYPERLINK(\"http://x\")\n")
    assert main(["batch", str(tmp_path / "c.csv"), "--on", "2026-05-01", "--quiet"]) == 0
    out = pd.read_csv(tmp_path / "c.costed.csv", dtype=str, keep_default_na=False)
    assert out.loc[0, "warnings"] == "'=HYPERLINK(\"http://x\")"
    assert out.loc[0, "feecalc_warnings"] == "W1"


def test_every_first_byte_the_formula_pattern_skips_as_space_is_looked_at():
    # before: a cell "\f=1+1" (form feed, which the pattern's \s skips in RE2) was flagged by the pattern but never
    # looked at, so it was written unescaped
    from feecalc.sheets import formula_cells

    cell = pa.array(["\f=1+1"])
    assert formula_cells(cell).to_pylist() == [True]
    assert _may_start_a_formula(cell)
