"""Costing a spreadsheet: every input row, in order, with its original columns, fees and error.

    cost_file("catalog.csv")  ->  catalog.costed.csv

Each chunk goes through `cost_frame`; columns are matched by feecalc.columns and numbers parsed
for the locale by feecalc.numbers.  Output columns whose names clash with input columns get a
"feecalc_" prefix.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import io
import re
import sys
import time
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from xml.etree import ElementTree as ET

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
from babel.numbers import get_currency_symbol

from .columns import Mapping, accepted, header_units, match_columns, normalize
from .frame import OUTPUT_COLUMNS, cost_frame
from .inputs import Problems, as_date, check_marketplace
from .legend import NOTE_COLUMNS, Legend, notes_path
from .marketplaces import marketplace as marketplace_info
from .money import CURRENCY_DIGITS, MONEY_SCALE, minor_digits
from .numbers import as_arrow_text, is_valid_locale, read_numbers, symbols
from .pipeline import WriteBehind, read_ahead
from .quantities import SIDES, Cells, read_cells, row_units
from .sheets import (
    ARROW,
    BLOCK_BYTES,
    EXCEL_MAX_ROWS,
    ROW_ERRORS,
    BatchError,
    Source,
    escape_formulas,
    escape_header,
    open_source,
    output_kind,
    output_suffix,
)
from .spec import FIELDS, NUMERIC, REQUIRED, is_blank
from .tables import category_key, market_codes, tables_of
from .tables.schema import FEE_LINES
from .workbook import (
    KEPT,
    NOTES_NAMES,
    SUMMARY_NAMES,
    Cell,
    Heading,
    KeptWorkbook,
    Money,
    WorkbookError,
    added_rows,
    free_sheet_name,
)

MONEY = (*FEE_LINES, "total", "landed_total")


@dataclass
class Summary:
    """Totals over every chunk, for the CLI and the XLSX Summary sheet."""

    rows: int = 0
    error_rows: int = 0
    cents: Counter = field(default_factory=Counter)    # (currency, fee) -> cents: a file may mix marketplaces
    counted: Counter = field(default_factory=Counter)  # (currency, fee) -> rows with the fee
    tiers: Counter = field(default_factory=Counter)
    categories: Counter = field(default_factory=Counter)
    tables: dict[str, str] = field(default_factory=dict)
    first_errors: list[tuple[int, str]] = field(default_factory=list)
    notes: list[dict] = field(default_factory=list)  # the file's table and figure notices, with their codes

    def add(self, out: pd.DataFrame, errors: pd.Series, categories: pd.Series | None, offset: int) -> None:
        self.rows += len(out)
        bad = errors.notna().to_numpy()
        self.error_rows += int(bad.sum())
        currency = out["currency"]
        for cur in currency.dropna().unique():
            mine = (currency == cur).to_numpy()
            every = mine.all()
            for k in MONEY:
                amounts = out[k].array._pa_array  # exact decimals: their sum is exact too
                amounts = amounts if every else amounts.filter(pa.array(mine))
                total = Decimal(pc.sum(amounts).as_py() or 0) if len(amounts) else Decimal(0)
                self.cents[cur, k] += int(total.scaleb(MONEY_SCALE))
                self.counted[cur, k] += len(amounts) - amounts.null_count
        self.tiers.update(out["size_tier"].value_counts().to_dict())
        if categories is not None:
            self.categories.update(categories[~bad].astype(str).value_counts().to_dict())
        self.tables.update(out.attrs.get("fee_tables", {}))
        for i in np.flatnonzero(bad)[: max(0, 10 - len(self.first_errors))]:
            self.first_errors.append((offset + int(i) + 1, errors.iloc[i]))

    @property
    def currencies(self) -> list[str]:
        return sorted({cur for cur, _ in self.cents})

    def money(self, key: str, currency: str | None = None) -> Decimal:
        """Total of one fee over the costed rows in `currency` (default: the only one there is), in the currency's
        own places (Decimal('1234') for yen)."""
        code = self._currency(currency)
        total = Decimal(self.cents[code, key]).scaleb(-MONEY_SCALE)  # the money columns' units
        return total.quantize(Decimal(1).scaleb(-minor_digits(code))) if code in CURRENCY_DIGITS else total

    def count(self, key: str, currency: str | None = None) -> int:
        return self.counted[self._currency(currency), key]

    def _currency(self, currency: str | None) -> str | None:
        if currency is None and len(self.currencies) > 1:
            raise ValueError(f"the file has amounts in {', '.join(self.currencies)}: name one")
        return currency or (self.currencies[0] if self.currencies else None)


@dataclass
class BatchResult:
    output: Path
    summary: Summary
    notes: list[str]
    header_row: int = 1  # the input's header line or sheet row: data row r is on line header_row + r
    kind: str = "csv"
    output_notes: list[str] = field(default_factory=list)  # how the output differs in form from the input (encoding)
    legend: Path | None = None  # the notices' legend beside a CSV or Parquet output


def default_output(path: Path, tag: str = "costed") -> Path:
    """catalog.csv -> catalog.costed.csv beside the input; XLSM, XLS and ODS inputs give .xlsx."""
    return path.with_name(f"{path.stem}.{tag}{output_suffix(path.suffix)}")


def cost_file(path, output=None, on=None, marketplace: str = "US", locale: str | None = None,
              sheet: str | None = None, delimiter: str | None = None, encoding: str | None = None,
              force: bool = False, progress: bool = False, deadline: float | None = None,
              category_map=None, full_warnings: bool = False) -> BatchResult:
    """Cost every row of a CSV, XLSX/XLSM/ODS or Parquet file and write the costed file.

    `deadline` (a time.perf_counter() value) stops the run with TimeoutError between chunks;
    `category_map` is a CSV of the file's own category labels and the categories they stand for.  The notices of
    fee tables and figures are stated once (feecalc.legend: codes in the rows, a legend file or a Notes sheet);
    `full_warnings` writes them in full on every row instead."""
    day = as_date(on)
    job = open_job(path, output, "costed", locale, marketplace, sheet, delimiter, encoding, force, category_map)
    check_covered(day, marketplace, job.mapping, "on", given=on is not None)
    source, mapping, out_path, locale = job.source, job.mapping, job.out_path, job.locale
    dim_unit, weight_unit = job.dim_unit, job.weight_unit
    legend = None if full_warnings else Legend()
    legend_path = notes_path(out_path) if legend is not None and output_kind(out_path) != "excel" else None
    if legend_path is not None and legend_path.resolve() == Path(path).resolve():
        raise BatchError(f"{legend_path}: the legend of the output's notices would overwrite the input; choose "
                         "another -o")
    if legend_path is not None and legend_path.exists() and not force:
        raise BatchError(f"{legend_path}: already exists; use --force to replace it")
    summary = Summary()
    writer = make_writer(out_path, source, locale, marketplace)
    behind = WriteBehind(writer)
    meter = Progress(source, enabled=progress)
    try:
        for chunk in read_ahead(source.chunks):
            frame, parse_errors = engine_frame(chunk, mapping, locale, dim_unit, weight_unit)
            costed = cost_frame(frame, on=day, marketplace=marketplace)
            errors = merge_errors(parse_errors, costed["error"], mapping)
            fees = costed[[c for c in OUTPUT_COLUMNS if c != "error"]].assign(error=errors.astype(object))
            if legend is not None:
                fees = fees.assign(warnings=legend.code(costed["warnings"], costed.attrs))
            result = assemble(chunk, fees)
            behind.write(result)
            summary.add(costed, errors, frame.get("category"), summary.rows)
            meter.update(summary.rows)
            if deadline is not None and time.perf_counter() > deadline:
                raise TimeoutError(f"the time budget ran out after {summary.rows:,} rows")
        behind.finish()
        summary.notes = legend.rows() if legend is not None else []
        writer.close(summary)
        if legend_path is not None and legend is not None:
            if summary.notes:
                legend.write(legend_path)
            else:  # no notice to state: no legend (one left by an earlier run is gone: --force was given)
                legend_path.unlink(missing_ok=True)
                legend_path = None
    except BaseException:
        if behind.thread.is_alive():
            behind.finish_quietly()
        writer.abort()
        raise
    finally:
        meter.done()
    return BatchResult(out_path, summary, mapping.notes, source.header_row, source.kind,
                       list(getattr(writer, "notes", [])), legend_path)


@dataclass
class Job:
    """An opened input with its matched columns, header units, output path and locale."""

    source: Source
    mapping: Mapping
    dim_unit: str | None
    weight_unit: str | None
    out_path: Path
    locale: str


def open_job(path, output, tag: str, locale: str | None, marketplace: str, sheet: str | None = None,
             delimiter: str | None = None, encoding: str | None = None, force: bool = False,
             category_map=None) -> Job:
    """Open a spreadsheet for a command: check the locale and the output path, match the columns.

    Raises BatchError (exit code 2) naming the file, the sheet and what is wrong."""
    path = Path(path)
    check_marketplace(marketplace)
    market = marketplace_info(marketplace)
    locale = locale or (market.locale if market else "en_US")
    if not is_valid_locale(locale):
        raise BatchError(f"unknown locale {locale!r} (for example en_US, de_DE, en_GB)", option="locale")
    out_path = Path(output) if output else default_output(path, tag)
    output_kind(out_path)
    if out_path.resolve() == path.resolve():
        raise BatchError(f"{out_path}: the output would overwrite the input; choose another -o")
    if out_path.exists() and not force:
        raise BatchError(f"{out_path}: already exists; use --force to replace it")
    source = open_source(path, sheet=sheet, delimiter=delimiter, encoding=encoding)
    mapping = match_columns(source.headers)
    if mapping.missing and source.kind == "excel":
        source, mapping = _find_header_row(source, mapping)
    where = f"{path}" + (f", sheet {source.sheet!r}" if source.sheet else "")
    if mapping.missing:
        raise BatchError(f"{where}: missing required column(s) {', '.join(mapping.missing)}; found "
                         f"{', '.join(map(repr, source.headers))}; accepted names: {accepted()}")
    dim_unit, weight_unit, problem = header_units(mapping)
    if problem:
        raise BatchError(f"{where}: {problem}")
    if category_map is not None:
        mapping.categories = load_category_map(Path(category_map))
        mapping.notes.append(f"{len(mapping.categories)} category label(s) mapped by {category_map}")
    return Job(source, mapping, dim_unit, weight_unit, out_path, locale)


def check_covered(day: dt.date, marketplace: str, mapping: Mapping, option: str, given: bool = True) -> None:
    """Stop once (BatchError, exit 2) when the file-wide date is beyond every fee table, rather than fail every row.

    Only when the date applies to every row: without a `date` column; with a `marketplace` column, when no
    marketplace's tables cover the date (a row of another marketplace would still get its own error)."""
    if "date" in mapping.columns:
        return
    markets = list(market_codes()) if "marketplace" in mapping.columns else [str(marketplace).strip().upper()]
    spans = {m: list(tables_of(m)) if m in market_codes() else [] for m in markets}
    if any(t.effective_from <= day <= t.effective_to for tables in spans.values() for t in tables):
        return
    covered = "; ".join(f"the {m} fee tables cover {_span(tables)}" for m, tables in spans.items() if tables)
    what = f"{day}" if given else f"today, {day},"
    raise BatchError(f"no fee table covers {what} for {' or '.join(markets)}: {covered}"
                     + ("" if given else "; give a date with {option}"), option=option)


def _span(tables) -> str:
    """'2023-01-01 to 2027-01-14', or each table's dates where they leave a gap."""
    tables = sorted(tables, key=lambda t: t.effective_from)
    gaps = any((b.effective_from - a.effective_to).days > 1 for a, b in zip(tables, tables[1:], strict=False))
    if not gaps:
        return f"{tables[0].effective_from} to {tables[-1].effective_to}"
    return ", ".join(f"{t.effective_from} to {t.effective_to}" for t in tables)


def load_category_map(path: Path) -> dict[str, str]:
    """A two-column CSV, `label,category` with a header row: a file's own category names (the fee preview
    report's product groups, a shop's departments) and the referral category each stands for.  Labels
    are matched as categories are: case, '&' and punctuation do not matter."""
    try:
        with open(path, encoding="utf-8-sig", newline="") as fh:
            rows = [row for row in csv.reader(fh) if any(cell.strip() for cell in row)]
    except (OSError, UnicodeDecodeError) as exc:
        raise BatchError(f"{path}: cannot read the category map ({exc})") from exc
    if not rows or [normalize(cell) for cell in rows[0][:2]] != ["label", "category"]:
        raise BatchError(f"{path}: a category map needs the header 'label,category' and a row per label")
    out: dict[str, str] = {}
    for line, row in enumerate(rows[1:], start=2):
        if len(row) != 2 or not row[0].strip() or not row[1].strip():
            raise BatchError(f"{path}, line {line}: expected a label and a category, got {row!r}")
        key = category_key(row[0])
        if out.get(key, row[1].strip()) != row[1].strip():
            raise BatchError(f"{path}, line {line}: {row[0]!r} is mapped twice, to {out[key]!r} and {row[1]!r}")
        out[key] = row[1].strip()
    return out


def _find_header_row(source: Source, mapping: Mapping) -> tuple[Source, Mapping]:
    """A sheet with title rows above its header: the first of the next 20 rows that names every required
    column is the header, and the rows above it are not data.  Unchanged when there is none."""
    for i, cells in enumerate(source.leading_rows()):
        found = match_columns(cells)
        if not found.missing:
            source = source.with_header_row(i + 2)
            found.notes.insert(0, f"sheet {source.sheet!r}: the column names are on row {source.header_row}; "
                                  f"the {source.header_row - 1} row(s) above them are not costed")
            return source, found
    return source, mapping


def engine_frame(chunk: pd.DataFrame, mapping: Mapping, locale: str, dim_unit: str | None,
                 weight_unit: str | None) -> tuple[pd.DataFrame, pd.Series]:
    """The chunk as `cost_frame` columns, and per-row messages for cells that are empty or not numbers.

    Dimension and weight cells may carry their unit ('12 in', '1,2 kg'; feecalc.quantities).  A row with a cell
    that cannot be read is withheld from costing (its price goes to the engine blank), so it gets no fees: an
    optional cell that does not parse must not be costed as its default."""
    cols: dict[str, object] = {}
    cells = Problems(len(chunk))  # messages built once per distinct bad value, as for the engine's

    def note(mask: np.ndarray, values: pd.Series | np.ndarray, make) -> None:
        if mask.any():  # the cells as given, as Python objects, only when some are wrong
            cells.add(mask, np.asarray(values, dtype=object), make)

    read: dict[str, Cells] = {}
    for name, column in mapping.columns.items():
        values = chunk[column]
        if name in NUMERIC:
            said = np.zeros(len(chunk), dtype=bool)  # cells whose own message is given below
            if name in (*SIDES, "weight"):
                read[name] = got = read_cells(values, locale, "weight" if name == "weight" else "length")
                numbers, bad, percent = got.numbers, got.bad, got.percent
                if got.reasons is not None:
                    said = got.reasons != None  # noqa: E711
                    bad = bad & ~said
                    note(said, _pairs(values, got.reasons, said), lambda v, c=column: f"{c}: {v[0]!r} {v[1]}")
            else:
                numbers, bad, percent = read_numbers(values, locale)
            if percent is not None and FIELDS[name].kind != "share":  # a share may be written '12%' (0.12)
                numbers, bad, said = np.where(percent, np.nan, numbers), bad & ~percent, said | percent
                example = f"an amount such as 19{symbols(locale)[0]}99" if FIELDS[name].kind == "money" else "a number"
                note(percent, values, lambda v, c=column, e=example: f"{c}: {v!r} is a percentage, where {e} is "
                                                                      f"expected")
            note(bad, values, lambda v, c=column: f"{c}: {_shown(v)} is not a number ({locale})" +
                 _separators_hint(v, locale))
            if name in REQUIRED:
                note(np.isnan(numbers) & ~bad & ~said, values, lambda v, c=column: f"{c}: empty cell")
            cols[name] = numbers
        else:
            if name in REQUIRED:
                blank = pc.fill_null(pc.equal(pc.utf8_trim_whitespace(as_arrow_text(values)), ""), True)
                note(blank.to_numpy(zero_copy_only=False), values, lambda v, c=column: f"{c}: empty cell")
            cols[name] = values.to_numpy() if isinstance(values.dtype, np.dtype) else values.array
            if name == "category" and mapping.categories:
                cols[name] = _relabel(cols[name], mapping.categories)
    for kind, fields, header, unit_field in (("length", SIDES, dim_unit, "dimension_unit"),
                                             ("weight", ("weight",), weight_unit, "weight_unit")):
        if all(read[f].units is None for f in fields):
            continue
        unit_column = mapping.columns.get(unit_field)
        settled = row_units({f: read[f] for f in fields},
                            {f: chunk[mapping.columns[f]].to_numpy(dtype=object) for f in fields}, mapping.columns,
                            header, chunk[unit_column].to_numpy(dtype=object) if unit_column else None, unit_column,
                            kind)
        cols.update(settled.numbers)
        cols[unit_field] = settled.unit
        note(settled.messages != None, settled.messages, lambda m: m)  # noqa: E711
    errors = _row_errors(chunk, pd.Series(cells.text, index=chunk.index))
    bad = errors.notna().to_numpy()
    if bad.any():
        cols["price"] = np.where(bad, np.nan, np.asarray(cols["price"], dtype=np.float64))
    if "dimension_unit" not in cols and dim_unit:
        cols["dimension_unit"] = dim_unit
    if "weight_unit" not in cols and weight_unit:
        cols["weight_unit"] = weight_unit
    frame = pd.DataFrame({k: v for k, v in cols.items() if not isinstance(v, str)}, index=chunk.index)
    for k, v in cols.items():
        if isinstance(v, str):
            frame[k] = v
    return frame, errors


def _pairs(values: pd.Series, reasons: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """(cell, reason) for the rows in `mask` (None elsewhere): a message key per distinct bad cell."""
    out = np.full(len(reasons), None, dtype=object)
    cells = values.to_numpy(dtype=object)
    for i in np.flatnonzero(mask):  # only the rows whose cell cannot be read
        out[i] = (cells[i], reasons[i])
    return out


def _shown(value) -> str:
    """A cell as a message shows it: text quoted; a date or a TRUE/FALSE cell said to be one, since their
    Python form (datetime.datetime(2026, 1, 5, 0, 0)) is not what the sheet shows."""
    if isinstance(value, (bool, np.bool_)):
        return f"a TRUE/FALSE cell ({'TRUE' if value else 'FALSE'})"
    if isinstance(value, (dt.datetime, pd.Timestamp)):
        return f"a date cell ({value.date() if value.time() == dt.time() else value.isoformat(sep=' ')})"
    if isinstance(value, (dt.date, dt.time)):
        return f"a {'time' if isinstance(value, dt.time) else 'date'} cell ({value.isoformat()})"
    if isinstance(value, dt.timedelta):
        return f"a duration cell ({value})"
    return repr(value)


def _relabel(values, labels: dict[str, str]) -> np.ndarray:
    """Category cells through a category map, once per distinct value; cells it does not name are kept."""
    codes, uniques = pd.factorize(np.asarray(values, dtype=object), use_na_sentinel=False)
    mapped = [labels.get(category_key(u), u) if isinstance(u, str) else u for u in uniques]
    return np.array(mapped, dtype=object)[codes]


def _row_errors(chunk: pd.DataFrame, errors: pd.Series) -> pd.Series:
    """Cell messages, replaced by one message for the whole row where the row is of the wrong width (its cells
    are not matched up) or a blank sheet row (not one 'empty cell' per required column)."""
    unreadable = chunk.attrs.get(ROW_ERRORS)
    if unreadable is not None:
        errors = pd.Series(np.where(unreadable != None, unreadable, errors.to_numpy()), index=chunk.index)  # noqa: E711
    bad = np.flatnonzero(errors.notna().to_numpy())
    if len(bad):
        empty = _empty_rows(chunk.iloc[bad])
        if empty.any():
            errors.iloc[bad[empty]] = "empty row"
    return errors


def _empty_rows(rows: pd.DataFrame) -> np.ndarray:
    """Rows whose every cell is empty or blank (sheets keep blank rows between data; CSV readers skip them)."""
    empty = np.ones(len(rows), dtype=bool)
    for _, column in rows.items():
        text = column.astype(object)
        empty &= (text.isna() | (text.astype(str).str.strip() == "")).to_numpy()
    return empty


def _separators_hint(value, locale: str) -> str:
    """For a cell with digits: the locale's separators, since '24.99' in de_DE is most often a file written
    with the other convention (the fix is --locale)."""
    if not isinstance(value, str) or not any(ch.isdigit() for ch in value):  # a date cell's digits are not a number's
        return ""
    decimal, group = symbols(locale)
    return f"; in {locale} the decimal symbol is {decimal!r} and {group!r} groups thousands"


def merge_errors(parse_errors: pd.Series, engine_errors: pd.Series, mapping: Mapping | None = None) -> pd.Series:
    """A cell-level message (column name, raw text) wins over the engine's message for that row; engine
    messages name the file's column ('your-price: must not be negative') rather than the field."""
    engine = engine_errors.astype("string")
    for name, column in (mapping.columns.items() if mapping else ()):
        if column != name and engine.notna().any():
            engine = engine.str.replace(f"^{name}:", f"{column}:", regex=True)
    engine = engine.astype(object).where(engine.notna(), None)
    return parse_errors.where(parse_errors.notna(), engine)


OWN = "feecalc_columns"  # attrs of an assembled chunk: the names of feecalc's columns (the input's come first)
# feecalc's text columns whose cells start with feecalc's own words or codes, never a formula: not escaped
PLAIN = ("size_tier", "currency", "fee_table", "warnings")


def _own_names(taken: list, names: list) -> list[str]:
    """feecalc's column names, each 'feecalc_'-prefixed as often as needed to be unlike every input column (an input
    may already have a 'feecalc_warnings' column) and every other of feecalc's."""
    used = {str(c) for c in taken} | {str(c) for c in names}
    out = []
    for c in names:
        name = str(c)
        if name in {str(t) for t in taken}:
            name = f"feecalc_{name}"
            while name in used:
                name = f"feecalc_{name}"
            used.add(name)
        out.append(name)
    return out


def base_name(name: object) -> str:
    """A column's name without feecalc's 'feecalc_' prefixes (the name of the line it holds)."""
    text = str(name)
    while text.startswith("feecalc_"):
        text = text.removeprefix("feecalc_")
    return text


def assemble(chunk: pd.DataFrame, extra: pd.DataFrame) -> pd.DataFrame:
    """Original columns, then feecalc's; a feecalc column whose name is taken gets a 'feecalc_' prefix."""
    extra = extra.set_axis(_own_names(list(chunk.columns), list(extra.columns)), axis=1)
    result = pd.concat([chunk, extra], axis=1)
    result.attrs = dict(extra.attrs)
    result.attrs[OWN] = list(extra.columns)
    if ARROW in chunk.attrs:  # a Parquet chunk's own columns, in their own types
        result.attrs[ARROW] = chunk.attrs[ARROW]
    return result


@dataclass
class TableSummary:
    """A summary given as titled tables (the impact report's), for the XLSX Summary sheet."""

    rows: int
    error_rows: int
    tables: dict[str, pd.DataFrame]
    fee_tables: dict[str, str]


def make_writer(path: Path, source: Source, locale: str, marketplace: str, sheet: str = "Costed"):
    """The writer of an output: CSV and Parquet stream; an XLSX or XLSM input's workbook is kept (KeptXlsxWriter);
    other inputs give a new workbook whose data sheet is `sheet` (or the input sheet's name)."""
    kind = output_kind(path)
    if kind == "csv":
        return CsvWriter(path, source, locale)
    if kind == "parquet":
        return ParquetWriter(path)
    if source.kind == "excel" and source.path.suffix.lower() in KEPT:
        return KeptXlsxWriter(path, source, locale, marketplace, sheet)
    return XlsxWriter(path, locale, marketplace, sheet, source)


def _text_array(col: pd.Series, decimal: str) -> pa.Array:
    """A column as Arrow text for CSV: amounts with the locale's decimal symbol, no grouping."""
    if isinstance(col.dtype, pd.CategoricalDtype):
        return pc.cast(pa.Array.from_pandas(col), pa.string())
    if col.dtype == object:
        cells = col.to_numpy()
        if pd.api.types.infer_dtype(cells, skipna=True) in ("string", "empty"):  # a text column: as it is
            return pa.array(cells, type=pa.string(), from_pandas=True)
        return pa.array([_cell_text(v, decimal) for v in cells], type=pa.string())
    arr = pa.Array.from_pandas(col) if not hasattr(col.array, "_pa_array") else col.array._pa_array
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    if pa.types.is_string(arr.type):
        return arr
    if pa.types.is_large_string(arr.type):
        return pc.cast(arr, pa.string())
    if pa.types.is_floating(arr.type):
        arr = pc.round(arr, 6)
    if decimal == ".":
        return arr  # the CSV writer formats decimals and floats itself
    return pc.replace_substring(pc.cast(arr, pa.string()), ".", decimal)


def _cell_text(value, decimal: str) -> str | None:
    """A spreadsheet cell (number, text, date, boolean) as CSV text: numbers as a sheet shows them (10, 24.99)
    with the locale's decimal symbol, booleans as TRUE/FALSE, dates in ISO form."""
    if is_blank(value):
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, (bool, np.bool_)):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (float, np.floating)):
        number = float(value)
        text = str(int(number)) if number.is_integer() and abs(number) < 1e15 else repr(number)
        return text.replace(".", decimal)
    if isinstance(value, (int, np.integer, Decimal)):
        return str(value).replace(".", decimal)
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


class CsvWriter:
    """Streams CSV chunks as the input was written: its delimiter (a tab for .tsv; a comma after a spreadsheet), its
    encoding and its byte order mark.  Where the input's encoding cannot hold a character of the output, the whole
    file is written again as UTF-8 (with a byte order mark, which Excel reads), and `notes` says so."""

    def __init__(self, path: Path, source: Source, locale: str):
        self.path = path
        self.delimiter = "\t" if path.suffix.lower() == ".tsv" else source.delimiter or ","
        self.decimal = symbols(locale)[0]
        self.encoding, bom = _output_encoding(source)
        self.file = open(path.with_name(path.name + ".partial"), "wb")
        self.file.write(bom)
        self.schema: pa.Schema | None = None
        self.writer: pacsv.CSVWriter | None = None  # for UTF-8 output: Arrow's own streaming writer
        self.notes: list[str] = []

    def write(self, frame: pd.DataFrame) -> None:
        digits = _row_digits(frame)
        done: dict[int, pa.Array] = {}  # cost_frame's columns of a line that is 0.00 on every row share one array
        table = pa.table({str(k): _amount_text(v, digits, self.decimal, done) if _is_decimal(v) else
                          _text_array(v, self.decimal) for k, v in frame.items()})
        own = set(frame.attrs.get(OWN, ()))
        text = [str(k) for k, v in frame.items()  # the input's text (and feecalc's error, which may quote it)
                if not _is_amount(v) and not (k in own and base_name(k) in PLAIN)]
        table = escape_formulas(table, text)
        table = table.rename_columns(escape_header(table.column_names))
        header = self.schema is None
        if self.schema is None:
            self.schema = table.schema
        if self.encoding == "utf-8":  # Arrow writes UTF-8 itself, straight to the file
            if self.writer is None and header:
                self.writer = pacsv.CSVWriter(self.file, self.schema,
                                              write_options=pacsv.WriteOptions(delimiter=self.delimiter))
            if self.writer is not None:
                self.writer.write_table(table.cast(self.schema))
            else:  # turned UTF-8 after a character the input's encoding could not hold: no second header
                pacsv.write_csv(table.cast(self.schema), self.file,
                                write_options=pacsv.WriteOptions(include_header=False, delimiter=self.delimiter))
            return
        buffer = io.BytesIO()
        pacsv.write_csv(table.cast(self.schema), buffer,
                        write_options=pacsv.WriteOptions(include_header=header, delimiter=self.delimiter))
        self.file.write(self._encode(buffer.getvalue().decode("utf-8")))

    def _encode(self, text: str) -> bytes:
        """The text in the output's encoding; on a character it cannot hold, the file so far turns UTF-8."""
        try:
            return text.encode(self.encoding)
        except UnicodeEncodeError as exc:
            char = exc.object[exc.start]
            self.notes.append(f"the output is UTF-8 (with a byte order mark), not {self.encoding} as the input: "
                              f"{self.encoding} cannot hold {char!r} (U+{ord(char):04X})")
            self.file.flush()
            written = Path(self.file.name).read_bytes()
            old, self.encoding = self.encoding, "utf-8"
            self.file.seek(0)
            self.file.truncate()
            self.file.write(b"\xef\xbb\xbf" + _strip_bom(written).decode(old).encode("utf-8"))
            return text.encode("utf-8")

    def close(self, summary: Summary | TableSummary) -> None:
        if self.writer is not None:
            self.writer.close()
        self.file.close()
        Path(self.file.name).replace(self.path)

    def abort(self) -> None:
        self.file.close()
        Path(self.file.name).unlink(missing_ok=True)


def _output_encoding(source: Source) -> tuple[str, bytes]:
    """(Python codec, byte order mark) of a CSV output: the CSV input's own (UTF-16 in the byte order of its mark);
    UTF-8 without a mark after a spreadsheet or Parquet."""
    if source.kind != "csv" or not source.encoding:
        return "utf-8", b""
    name = source.encoding.lower().replace("_", "-")
    if name.startswith("utf-16") or name.startswith("utf16"):
        return ("utf-16-be", b"\xfe\xff") if source.bom == b"\xfe\xff" else ("utf-16-le", b"\xff\xfe")
    if name in ("utf8", "utf-8", "utf-8-sig", "utf8-sig"):
        return "utf-8", b"\xef\xbb\xbf" if source.bom == b"\xef\xbb\xbf" or name.endswith("sig") else b""
    return source.encoding, b""


def _strip_bom(data: bytes) -> bytes:
    for bom in (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff"):
        if data.startswith(bom):
            return data[len(bom):]
    return data


def _is_decimal(col: pd.Series) -> bool:
    return isinstance(col.dtype, pd.ArrowDtype) and pa.types.is_decimal(col.dtype.pyarrow_dtype)


def _row_digits(frame: pd.DataFrame) -> np.ndarray:
    """Each row's minor-unit digits, from feecalc's currency column (the last column named currency or
    feecalc_currency; MONEY_SCALE where there is none, or no currency)."""
    names = [k for k in frame.columns if base_name(k) == "currency"]
    if not names:
        return np.full(len(frame), MONEY_SCALE)
    codes, uniques = pd.factorize(frame.iloc[:, list(frame.columns).index(names[-1])].astype(object).to_numpy())
    digits = np.array([CURRENCY_DIGITS.get(str(u), MONEY_SCALE) for u in uniques] + [MONEY_SCALE])
    return digits[codes]


def _amount_text(col: pd.Series, digits: np.ndarray, decimal: str, done: dict[int, pa.Array] | None = None
                 ) -> pa.Array:
    """An amount column as CSV text with each row's currency's places (5.42 EUR, 318 JPY) and the locale's decimal
    symbol, no grouping; text in every file, so that all chunks have one type.  `done` keeps the text of each array
    already written in this chunk (by the array's identity): columns that share one array are formatted once."""
    given = col.array._pa_array
    if done is not None and id(given) in done:
        return done[id(given)]
    arr = given.combine_chunks() if isinstance(given, pa.ChunkedArray) else given
    text = _decimal_text(arr)  # the money columns' scale: '318.00'
    short = digits < MONEY_SCALE
    if short.any():  # a currency with fewer places (JPY): its whole units are exact, drop the zero places
        trimmed = pc.replace_substring_regex(text, r"\.0+$", "")
        text = pc.if_else(pa.array(short), trimmed, text)
    text = text if decimal == "." else pc.replace_substring(text, ".", decimal)
    if done is not None:
        done[id(given)] = text
    return text


TEXTS = 1 << 18  # amounts from 0.00 to 2,621.43 in the money columns' scale are written from a table of their texts


@functools.cache
def _amount_texts() -> pa.Array:
    """The text of every amount from 0 to TEXTS - 1 hundredths, made once by the same cast as any other amount."""
    words = np.zeros(2 * TEXTS, dtype=np.int64)  # decimal128: two little-endian words per value, the low one first
    words[0::2] = np.arange(TEXTS)
    amounts = pa.Array.from_buffers(pa.decimal128(38, MONEY_SCALE), TEXTS, [None, pa.py_buffer(words)])
    return pc.cast(amounts, pa.string())


def _decimal_text(arr: pa.Array) -> pa.Array:
    """Decimals in the money columns' scale as text ('318.00'), looked up in a table of texts (one copy per cell, no
    formatting) where the amount is in it; others (negative or large amounts) by Arrow's cast, as before."""
    if not pa.types.is_decimal128(arr.type) or arr.type.scale != MONEY_SCALE or not len(arr):
        return pc.cast(arr, pa.string())
    words = np.frombuffer(arr.buffers()[1], dtype=np.int64)[2 * arr.offset:2 * (arr.offset + len(arr))]
    low, high = words[0::2], words[1::2]
    found = (high == 0) & (low >= 0) & (low < TEXTS)
    valid = np.asarray(arr.is_valid(), dtype=bool)
    text = pc.take(_amount_texts(), pa.array(np.where(found, low, 0), mask=~valid))
    if (found | ~valid).all():
        return text
    return pc.if_else(pa.array(found | ~valid), text, pc.cast(arr, pa.string()))


def _is_amount(col: pd.Series) -> bool:
    """Columns feecalc computed as numbers cannot start a formula; skip them when escaping."""
    return isinstance(col.dtype, pd.ArrowDtype) and pa.types.is_decimal(col.dtype.pyarrow_dtype) or \
        col.dtype == np.float64


class ParquetWriter:
    """Streams Parquet chunks: a Parquet input's columns as they were read (their types, decimal128 included, and
    the schema's metadata), then feecalc's, whose amounts are exact decimals."""

    def __init__(self, path: Path):
        self.path, self.partial = path, path.with_name(path.name + ".partial")
        self.writer: pq.ParquetWriter | None = None
        self.schema: pa.Schema | None = None

    def write(self, frame: pd.DataFrame) -> None:
        given = frame.attrs.get(ARROW)
        kept = given.num_columns if given is not None else 0
        added = frame.iloc[:, kept:].copy()
        added.attrs = {}  # the record batch and the tables' hashes are not the frame's data
        typed = {}
        for name, col in added.items():
            if isinstance(col.dtype, pd.CategoricalDtype):
                added[name] = col.astype(object).where(col.notna(), None).astype("string")
            elif col.dtype == object:  # a sheet's cells: each column in its own type where it has one
                typed[name] = _typed(col)
        table = pa.Table.from_pandas(added.drop(columns=list(typed)), preserve_index=False)
        for name, array in typed.items():
            table = table.add_column(list(added.columns).index(name), name, array)
        table = table.replace_schema_metadata(None)
        if given is not None:
            columns = [*given.columns, *table.columns]
            fields = [*given.schema, *table.schema]
            table = pa.Table.from_arrays(columns, schema=pa.schema(fields, metadata=given.schema.metadata))
        if self.writer is None:
            self.writer = pq.ParquetWriter(self.partial, table.schema)
            self.schema = table.schema
        self.writer.write_table(table.cast(self.schema))

    def close(self, summary: Summary | TableSummary) -> None:
        if self.writer is not None:
            self.writer.close()
            self.partial.replace(self.path)

    def abort(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.partial.unlink(missing_ok=True)


def _is_money(name: str) -> bool:
    """An amount column: a fee line or the total, with the impact report's _from, _to and _change forms."""
    return re.sub(r"_(from|to|change)$", "", base_name(name)) in MONEY


def summary_rows(summary: Summary | TableSummary, currency: str) -> list[list[Cell]]:
    """The Summary sheet, row by row (an empty list is an empty row): rows and errors, totals and averages per fee
    for each currency, counts per size tier and category and the fee tables with their sha256; or an impact
    report's tables.  `currency` is the marketplace's, for a file with no costed row."""
    if isinstance(summary, TableSummary):
        rows: list[list[Cell]] = [[Heading("Rows"), summary.rows], [Heading("Rows with errors"), summary.error_rows]]
        for title, table in summary.tables.items():
            rows += [[], [Heading(title), *(Heading(str(c)) for c in table.columns)]]
            for key, values in zip(table.index, table.itertuples(index=False), strict=True):
                rows.append([str(key), *(_summary_value(v) for v in values)])
        return rows + [[]] + _fee_table_rows(summary.fee_tables)
    s = summary
    rows = [[Heading("Rows"), s.rows], [Heading("Rows with errors"), s.error_rows],
            [Heading("Rows costed"), s.rows - s.error_rows]]
    for cur in s.currencies or [currency]:
        rows += [[], [Heading("Fee"), Heading(f"Total ({cur})"), Heading("Average per costed row"),
                      Heading("Rows with the fee")]]
        for key in MONEY:
            count = s.count(key, cur)
            rows.append([key, Money(s.money(key, cur), cur),
                         Money(float(s.money(key, cur)) / count, cur) if count else None, count])
    for title, counts in (("Size tier", s.tiers), ("Category", s.categories)):
        rows += [[], [Heading(title), Heading("Rows")]]
        rows += [[str(name), count] for name, count in sorted(counts.items(), key=lambda kv: -kv[1]) if count]
    return rows + [[]] + _fee_table_rows(s.tables)


def notes_rows(summary: Summary | TableSummary) -> list[list[Cell]]:
    """The Notes sheet: each notice of a fee table or a figure, its code in the rows' warnings, where it comes from
    and the rows it applies to; empty where there are none (or the rows carry them in full)."""
    notes = summary.notes if isinstance(summary, Summary) else []
    if not notes:
        return []
    head = [Heading(c.replace("_", " ").capitalize()) for c in NOTE_COLUMNS]  # Code, Notice, Fee table, ...
    return [head, *([n[c] for c in NOTE_COLUMNS] for n in notes)]


def _summary_value(value) -> Cell:
    if isinstance(value, Decimal):
        return Money(value)
    if isinstance(value, (int, float, np.integer, np.floating)) and not pd.isna(value):
        return float(value)
    if isinstance(value, str):
        return value
    return None


def _fee_table_rows(tables: dict[str, str]) -> list[list[Cell]]:
    rows: list[list[Cell]] = [[Heading("Fee table"), Heading("sha256")]]
    return rows + [[table_id, digest] for table_id, digest in tables.items()]


def _currency_column(columns: list[str]) -> int | None:
    """feecalc's currency column: the last one named so (an input column of that name keeps its own values)."""
    return max((j for j, name in enumerate(columns) if base_name(name) == "currency"), default=None)


def _typed(col: pd.Series) -> pa.Array:
    """A column of spreadsheet cells for Parquet: numbers, booleans, dates and text in their own Arrow type where
    the column holds one kind; a column of mixed kinds as text, each cell as a sheet shows it."""
    cells = col.to_numpy(dtype=object)
    cells = np.where(pd.isna(cells), None, cells)
    try:
        array = pa.array(cells, from_pandas=True)
    except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError, ValueError):
        return pa.array([_cell_text(v, ".") for v in cells], type=pa.string())
    return pc.cast(array, pa.string()) if pa.types.is_null(array.type) else array


class XlsxWriter:
    """A new workbook (after a CSV, Parquet, XLS or ODS input): the data sheet (the input sheet's name, else
    `sheet`; a sheet's title rows above the header; currency formats, frozen header, filters; text always as text,
    booleans as booleans, dates as dates) and a 'Summary'."""

    def __init__(self, path: Path, locale: str, marketplace: str, sheet: str = "Costed", source: Source | None = None):
        import xlsxwriter

        self.path, self.partial = path, path.with_name(path.name + ".partial.xlsx")
        self.book = xlsxwriter.Workbook(self.partial, {
            "constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False,
            "strings_to_numbers": False, "nan_inf_to_errors": False})
        kept = source is not None and source.kind == "excel" and source.sheet
        self.sheet = self.book.add_worksheet(source.sheet if kept and source is not None else sheet)
        self.titles = source.title_rows if kept and source is not None else []
        market = marketplace_info(marketplace)
        self.currency, self.locale = market.currency if market else "USD", locale
        self.formats: dict[str, object] = {}
        self.money_fmt = self._money_format(self.currency)
        self.bold = self.book.add_format({"bold": True})
        self.date_fmt = self.book.add_format({"num_format": "yyyy-mm-dd"})
        self.datetime_fmt = self.book.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"})
        self.row = 0
        self.columns: list[str] = []

    def _money_format(self, currency: str):
        """A number format with the currency's symbol in the locale, one per currency."""
        if currency not in self.formats:
            self.formats[currency] = self.book.add_format({"num_format": money_format(currency, self.locale)})
        return self.formats[currency]

    def write(self, frame: pd.DataFrame) -> None:
        if not self.columns:
            for cells in self.titles:  # a sheet's rows above its header, as they were
                self._write_row(cells, None, set())
            self.columns = [str(c) for c in frame.columns]
            self.sheet.write_row(self.row, 0, self.columns, self.bold)
            self.sheet.freeze_panes(self.row + 1, 0)
            for j in self._money_columns():
                self.sheet.set_column(j, j, 12, self.money_fmt)
            self.row += 1
        if self.row - 1 + len(frame) > EXCEL_MAX_ROWS:
            raise BatchError(f"{self.path}: an XLSX sheet holds at most {EXCEL_MAX_ROWS:,} rows; write CSV or "
                             "Parquet instead (-o costed.csv)")
        money = set(self._money_columns())
        where = _currency_column(self.columns)
        values = frame.astype(object).where(frame.notna(), None).to_numpy()
        for row in values:
            fmt = self._money_format(row[where]) if where is not None and row[where] else self.money_fmt
            self._write_row(row, fmt, money)

    def _write_row(self, row, fmt, money: set[int]) -> None:
        """One row's cells, each in its own type."""
        for j, value in enumerate(row):
            if value is None or is_blank(value):
                continue
            if isinstance(value, str):
                self.sheet.write_string(self.row, j, value)
            elif isinstance(value, (bool, np.bool_)):
                self.sheet.write_boolean(self.row, j, bool(value))
            elif isinstance(value, (int, float, Decimal, np.integer, np.floating)):
                self.sheet.write_number(self.row, j, float(value), fmt if j in money else None)
            elif isinstance(value, (dt.datetime, pd.Timestamp)):
                self.sheet.write_datetime(self.row, j, value.to_pydatetime() if isinstance(value, pd.Timestamp)
                                          else value, self.datetime_fmt)
            elif isinstance(value, dt.date):
                self.sheet.write_datetime(self.row, j, dt.datetime(value.year, value.month, value.day),
                                          self.date_fmt)
            else:
                self.sheet.write_string(self.row, j, str(value))
        self.row += 1

    def _money_columns(self) -> list[int]:
        return [j for j, name in enumerate(self.columns) if _is_money(name)]

    def close(self, summary: Summary | TableSummary) -> None:
        if self.columns:
            top = len(self.titles)
            self.sheet.autofilter(top, 0, max(self.row - 1, top + 1), len(self.columns) - 1)
        taken = {self.sheet.name.casefold()}
        ws = self.book.add_worksheet(free_sheet_name(taken, SUMMARY_NAMES))
        taken.add(ws.name.casefold())
        for r, cells in enumerate(summary_rows(summary, self.currency)):
            for j, value in enumerate(cells):
                self._summary_cell(ws, r, j, value)
        ws.set_column(0, 0, 28)
        ws.set_column(1, 3, 16)
        notes = notes_rows(summary)
        if notes:
            ws = self.book.add_worksheet(free_sheet_name(taken, NOTES_NAMES))
            for r, cells in enumerate(notes):
                for j, value in enumerate(cells):
                    self._summary_cell(ws, r, j, value)
            ws.set_column(0, 0, 8)
            ws.set_column(1, 1, 100)
            ws.set_column(2, 3, 16)
        self.book.close()
        self.partial.replace(self.path)

    def _summary_cell(self, ws, r: int, j: int, value: Cell) -> None:
        if isinstance(value, Heading):
            ws.write_string(r, j, value.text, self.bold)
        elif isinstance(value, str):
            ws.write_string(r, j, value)
        elif isinstance(value, Money):
            ws.write_number(r, j, float(value.value), self._money_format(value.currency or self.currency))
        elif value is not None:
            ws.write_number(r, j, float(value))

    def abort(self) -> None:
        try:
            self.book.close()
        finally:
            self.partial.unlink(missing_ok=True)


def money_format(currency: str, locale: str) -> str:
    """The XLSX number format of amounts in `currency`: its symbol in the locale and its minor unit's places
    ('"$"#,##0.00', '"¥"#,##0')."""
    places = minor_digits(currency) if currency in CURRENCY_DIGITS else MONEY_SCALE
    return f'"{get_currency_symbol(currency, locale=locale)}"#,##0' + ("." + "0" * places if places else "")


class KeptXlsxWriter:
    """XLSX (or XLSM) in, XLSX out: the input workbook kept as it is (feecalc.workbook), with feecalc's columns to
    the right of its data sheet, amounts in each row's currency format, and a Summary sheet.  Should the workbook's
    parts not be as expected, it is written as a new workbook instead (XlsxWriter), and `notes` says so."""

    def __init__(self, path: Path, source: Source, locale: str, marketplace: str, sheet: str = "Costed"):
        self.path, self.source, self.locale, self.marketplace, self.sheet = path, source, locale, marketplace, sheet
        self.partial = path.with_name(path.name + ".partial.xlsx")
        market = marketplace_info(marketplace)
        self.currency = market.currency if market else "USD"
        self.frames: list[pd.DataFrame] = []
        self.notes: list[str] = []

    def write(self, frame: pd.DataFrame) -> None:
        if sum(map(len, self.frames)) + len(frame) + self.source.header_row > EXCEL_MAX_ROWS + 1:
            raise BatchError(f"{self.path}: an XLSX sheet holds at most {EXCEL_MAX_ROWS:,} rows; write CSV or "
                             "Parquet instead (-o costed.csv)")
        self.frames.append(frame)

    def close(self, summary: Summary | TableSummary) -> None:
        frame = pd.concat(self.frames) if len(self.frames) != 1 else self.frames[0]
        added = frame.iloc[:, len(self.source.headers):]
        try:
            self._keep(added, summary)
        except (WorkbookError, zipfile.BadZipFile, KeyError, ET.ParseError) as exc:
            self.partial.unlink(missing_ok=True)
            self.notes.append(f"the workbook could not be kept as it was ({exc}); it is written as a new workbook")
            fallback = XlsxWriter(self.path, self.locale, self.marketplace, self.sheet, self.source)
            fallback.write(frame)
            fallback.close(summary)
            return
        self.partial.replace(self.path)

    def _keep(self, added: pd.DataFrame, summary: Summary | TableSummary) -> None:
        book = KeptWorkbook(self.source.path, self.partial, self.source.sheet or "",
                            lambda cur: money_format(cur or self.currency, self.locale))
        try:
            first, prefix = book.first_column(len(self.source.headers))
            names = [str(c) for c in added.columns]
            where = _currency_column(names)
            styles = None
            if where is not None:
                currency = pa.array(added.iloc[:, where].astype(object).where(added.iloc[:, where].notna(), None)
                                    .to_numpy(dtype=object), type=pa.string(), from_pandas=True)
                currency = pc.fill_null(currency, self.currency)  # a row not costed: the marketplace's
                lookup = {c: f' s="{book.style(money_format(c, self.locale))}"'
                          for c in pc.unique(currency).to_pylist()}
                styles = pc.take(pa.array(list(lookup.values())),
                                 pc.index_in(currency, value_set=pa.array(list(lookup))))
            amounts = {n for n in names if _is_money(n)}
            cells = added_rows(book, added, self.source.header_row + 1, first, amounts, styles, prefix)
            drop = self.source.path.suffix.lower() == ".xlsm" and self.path.suffix.lower() == ".xlsx"
            book.write(self.source.header_row, first, names, cells, self.source.header_row + len(added),
                       summary_rows(summary, self.currency), drop, notes_rows(summary))
            if drop:
                self.notes.append("the input's macros are not in the output (an .xlsx cannot hold them)")
        finally:
            book.close()

    def abort(self) -> None:
        self.partial.unlink(missing_ok=True)


class Progress:
    """Rows done, rows per second and time left on stderr, when it is a terminal."""

    def __init__(self, source: Source, enabled: bool):
        self.enabled = enabled and sys.stderr.isatty()
        self.start, self.last, self.chunks = time.perf_counter(), 0.0, 0
        self.source = source

    def done_fraction(self, rows: int) -> float | None:
        """Share of the input read: by rows where the total is known, else by CSV blocks of BLOCK_BYTES."""
        if self.source.rows:
            return rows / self.source.rows
        if self.source.kind == "csv":
            return min(1.0, self.chunks * BLOCK_BYTES / self.source.total_bytes)
        return None

    def update(self, rows: int) -> None:
        self.chunks += 1
        if not self.enabled:
            return
        now = time.perf_counter()
        if now - self.last < 0.2:
            return
        self.last = now
        elapsed = max(now - self.start, 1e-9)
        text = f"\r{rows:,} rows, {rows / elapsed:,.0f} rows/s"
        share = self.done_fraction(rows)
        if share:
            text += f", {share:.0%}, about {elapsed * (1 - share) / share:,.0f} s left"
        sys.stderr.write(text + "   ")
        sys.stderr.flush()

    def done(self) -> None:
        if self.enabled:
            sys.stderr.write("\n")
