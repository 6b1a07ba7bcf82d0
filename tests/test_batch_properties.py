"""Properties of `feecalc batch` over random spreadsheets (hypothesis): whatever the cells, every input row
comes back once, in order, with its cells unchanged; a row has fees or an error, never both."""

import csv
import io

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from feecalc.batch import cost_file

HEADER = ["sku", "price", "length", "width", "height", "weight", "category", "shipping", "apparel"]
GOOD = ["24.99", "10", "6", "3", "1.2", "home_and_kitchen", "", "false"]
junk = st.one_of(
    st.sampled_from(["", " ", "abc", "-1", "0", "1e400", "nan", "1,5", "24,99", "$5", "15%", "=1+1", "@x", "true",
                     "home_and_kitchen", "toys", "\u00e9", '"', "a,b", "line\nbreak", "1_000", "0x10"]),
    st.text(alphabet=st.characters(blacklist_categories=["Cs"], blacklist_characters="\x00\r"), max_size=6),
)


@st.composite
def rows(draw):
    """A row: the good item with some cells replaced by junk, sometimes a cell short or long."""
    cells = list(GOOD)
    for i in draw(st.sets(st.integers(0, len(cells) - 1), max_size=3)):
        cells[i] = draw(junk)
    width = draw(st.sampled_from([0, 0, 0, 0, 0, 0, -1, 1]))  # mostly the header's width
    cells = cells[:width] if width < 0 else cells + ["extra"] * width
    return cells


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(rows(), min_size=1, max_size=12))
def test_every_row_comes_back_once_in_order_with_fees_or_an_error(tmp_path_factory, body):
    tmp = tmp_path_factory.mktemp("prop")
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(HEADER)
    for i, cells in enumerate(body):
        writer.writerow([f"S{i:03d}", *cells])
    src = tmp / "c.csv"
    src.write_text(text.getvalue(), encoding="utf-8")
    result = cost_file(src, on="2026-05-01", force=True)
    out = pd.read_csv(result.output, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    assert list(out["sku"]) == [f"S{i:03d}" for i in range(len(body))]
    assert result.summary.rows == len(body)
    for i, cells in enumerate(body):
        row = out.iloc[i]
        kept = [c for c in cells[:len(HEADER) - 1]]
        shown = [v.removeprefix("'") if v.startswith("'") and c[:1] in "=+-@\t\r" else v
                 for v, c in zip(row[HEADER[1:len(kept) + 1]], kept, strict=True)]
        assert shown == kept  # the cells, unchanged (apart from the formula guard)
        if row["error"]:
            assert row["total"] == "" and row["size_tier"] == ""
        else:
            assert row["total"] != "" and row["size_tier"] != ""
    assert result.summary.error_rows == int((out["error"] != "").sum())


cell = st.one_of(st.none(), st.booleans(), st.integers(-5, 500), st.floats(-1, 500, allow_nan=False),
                 st.sampled_from(["", "abc", "24,99", "1.234,5", "home_and_kitchen", "=1+1", "10"]),
                 st.dates(min_value=__import__("datetime").date(2020, 1, 1)))
GOOD_ROW = {"price": 24.99, "length": 10, "width": 6, "height": 3, "weight": 1.2, "category": "home_and_kitchen"}


@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(st.dictionaries(st.sampled_from(sorted(GOOD_ROW)), cell, max_size=2), min_size=1, max_size=8),
       st.sampled_from(["en_US", "de_DE"]))
def test_xlsx_of_mixed_cells_every_row_back_with_fees_or_an_error(tmp_path_factory, changes, locale):
    tmp = tmp_path_factory.mktemp("xlsx")
    frame = pd.DataFrame([{"sku": f"S{i}", **GOOD_ROW, **c} for i, c in enumerate(changes)])
    frame.to_excel(tmp / "c.xlsx", index=False, engine="xlsxwriter")
    result = cost_file(tmp / "c.xlsx", on="2026-05-01", locale=locale, force=True)
    out = pd.read_excel(result.output, engine="calamine", dtype=object)
    assert list(out["sku"]) == [f"S{i}" for i in range(len(changes))]
    for i, c in enumerate(changes):
        row = out.iloc[i]
        has_error = isinstance(row["error"], str)
        assert has_error == pd.isna(row["total"])
        if not c:  # the good item, whatever the locale: its number cells are numbers
            assert not has_error and row["total"] == 9.36
