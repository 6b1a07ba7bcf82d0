"""Reading and writing spreadsheets in chunks: CSV, Parquet, XLSX/XLSM/ODS (read), XLSX (write).

CSV cells are read as text, exactly as written (SKUs keep their leading zeros), and written back
unchanged.  Text that a spreadsheet would run as a formula is written so that it shows as text.
"""

from __future__ import annotations

import csv
import io
import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from .errors import FeecalcError
from .spec import is_blank

CSV_EXT = {".csv", ".tsv", ".txt"}
EXCEL_EXT = {".xlsx", ".xlsm", ".xls", ".ods"}
PARQUET_EXT = {".parquet", ".pq"}
READABLE = CSV_EXT | EXCEL_EXT | PARQUET_EXT  # what `feecalc batch` and POST /v1/batch accept
BLOCK_BYTES = 2 << 20  # about 24,000 catalog rows: small chunks keep memory flat at no cost in speed
PARQUET_BATCH = 1 << 16
EXCEL_MAX_ROWS = 1_048_575  # plus the header row
NUMBER = r"^[+-]?[0-9][0-9.,]*$"


class BatchError(FeecalcError):
    """The command cannot run on this file (exit code 2); the message names file, sheet, column.

    `option` names the setting the message is about (`locale`, `sheet`): the command line shows it as its option
    (`--locale: ...`), the HTTP API as its form field (`locale: ...`, `for_field`).  A message that names the
    option inside its text holds '{option}' where the name goes."""

    def __init__(self, message: str, option: str | None = None):
        self.template, self.option = message, option
        super().__init__(self._render(f"--{option}"))

    def _render(self, name: str) -> str:
        if self.option is None:
            return self.template
        return self.template.replace("{option}", name) if "{option}" in self.template else f"{name}: {self.template}"

    def for_field(self) -> str:
        """The message naming the API's form field rather than the command-line option."""
        return self._render(self.option) if self.option else str(self)


WRITABLE = {".csv", ".tsv", ".txt", ".xlsx", ".parquet", ".pq"}


def output_suffix(ext: str) -> str:
    """The suffix of the costed file for an input with suffix `ext`: the same, except that the spreadsheets read but
    not written (XLSM, XLS, ODS) give .xlsx.  The command line and the HTTP API both name their output by it."""
    return ".xlsx" if ext.lower() in READABLE - WRITABLE else ext


def output_kind(path: Path) -> str:
    """The kind of an output path; XLSM, XLS and ODS are read but not written."""
    if path.suffix.lower() not in WRITABLE:
        raise BatchError(f"{path}: cannot write {path.suffix or 'a file without an extension'}; "
                         "write .csv, .tsv, .xlsx or .parquet")
    return kind_of(path)


def kind_of(path: Path) -> str:
    ext = path.suffix.lower()
    for kind, exts in (("csv", CSV_EXT), ("excel", EXCEL_EXT), ("parquet", PARQUET_EXT)):
        if ext in exts:
            return kind
    raise BatchError(f"{path}: unsupported file type {ext or '(none)'}; use .csv, .tsv, .xlsx, .xlsm, .ods "
                     f"or .parquet")


@dataclass
class Source:
    """An opened input: its chunks, and what is known about it."""

    path: Path
    kind: str
    headers: list[str]
    chunks: Iterator[pd.DataFrame]
    total_bytes: int
    delimiter: str | None = None
    encoding: str | None = None
    bom: bytes = b""  # a CSV input's byte order mark, written again at the head of a CSV output
    sheet: str | None = None
    rows: int | None = None  # when known in advance (Parquet, spreadsheets)
    header_row: int = 1  # the sheet row holding the column names (spreadsheets may have title rows above)
    header_cells: list | None = None  # a sheet's header row as its cells (None where blank)
    title_rows: list[list] = field(default_factory=list)  # a sheet's rows above the header, as their cells

    def with_header_row(self, row: int) -> Source:
        """A spreadsheet source re-read with sheet row `row` (1-based) as its header: the rows above it are title
        rows, kept to be written back, not costed."""
        frame = next(self.chunks)
        cells = frame.where(frame.notna(), None).to_numpy(dtype=object).tolist()
        titles = [self.header_cells or list(self.headers), *cells[:row - 2]]
        header = cells[row - 2]
        headers = [_header_text(v, j) for j, v in enumerate(header)]
        body = frame.iloc[row - 1:].set_axis(headers, axis=1).reset_index(drop=True)
        return Source(self.path, self.kind, headers, iter([body]), self.total_bytes, sheet=self.sheet,
                      rows=len(body), header_row=row, header_cells=header, title_rows=titles)

    def leading_rows(self, count: int = 20) -> list[list[str]]:
        """The first rows under the current header, as text, to look for the real header (spreadsheets)."""
        frame = next(self.chunks)
        self.chunks = iter([frame])
        return [[_header_text(v, j) for j, v in enumerate(row)] for row in frame.head(count).itertuples(index=False)]


def _header_text(value, j: int) -> str:
    return f"column {j + 1}" if is_blank(value) else str(value)



def open_source(path: Path, sheet: str | None = None, delimiter: str | None = None,
                encoding: str | None = None) -> Source:
    """Open `path` for chunked reading, or raise BatchError saying why it cannot be read."""
    if not path.exists():
        raise BatchError(f"{path}: no such file")
    kind = kind_of(path)
    if sheet is not None and kind != "excel":
        raise BatchError(f"{path}: {{option}} applies to spreadsheets (.xlsx, .xlsm, .xls, .ods), not to {kind} files",
                         option="sheet")
    size = path.stat().st_size
    if size == 0:
        raise BatchError(f"{path}: the file is empty")
    if kind == "csv":
        return _open_csv(path, delimiter, encoding, size)
    if kind == "parquet":
        try:
            pf = pq.ParquetFile(path)
        except (pa.ArrowInvalid, OSError) as exc:
            raise BatchError(f"{path}: not a readable Parquet file ({exc})") from exc
        chunks = (_parquet_chunk(batch) for batch in pf.iter_batches(batch_size=PARQUET_BATCH))
        return Source(path, kind, pf.schema_arrow.names, chunks, size, rows=pf.metadata.num_rows)
    return _open_excel(path, sheet, size)


ARROW = "arrow"  # chunk.attrs key: a Parquet chunk's own record batch, written back as it was read


def _parquet_chunk(batch: pa.RecordBatch) -> pd.DataFrame:
    """A Parquet batch as pandas for costing, every column a column (an index stored by pandas too), with the
    batch itself kept so that its columns go back out in their own types (decimal128 stays decimal128)."""
    frame = batch.to_pandas(ignore_metadata=True)
    frame.attrs[ARROW] = batch
    return frame


def _open_excel(path: Path, sheet: str | None, size: int) -> Source:
    """A sheet as one chunk of its cells as Python values (numbers, text, booleans, dates; formulas as their cached
    values), row i being sheet row i + 2 under the header on row 1: calamine is read with its empty leading rows and
    columns, so that rows and columns are the sheet's own."""
    from python_calamine import CalamineWorkbook

    try:
        book = CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises its own error types for broken files
        raise BatchError(f"{path}: not a readable spreadsheet ({exc})") from exc
    names = list(book.sheet_names)
    if sheet is not None and sheet not in names:
        raise BatchError(f"{path}: no sheet {sheet!r}; the sheets are {', '.join(map(repr, names))}")
    chosen = sheet if sheet is not None else names[0]
    try:
        rows = book.get_sheet_by_name(chosen).to_python(skip_empty_area=False)
    except Exception as exc:
        raise BatchError(f"{path}, sheet {chosen!r}: cannot be read ({exc})") from exc
    if not rows or not any(c != "" for c in rows[0]) and len(rows) == 1:
        raise BatchError(f"{path}, sheet {chosen!r}: the sheet is empty")
    header = [None if c == "" else c for c in rows[0]]
    headers = [_header_text(v, j) for j, v in enumerate(header)]
    frame = pd.DataFrame(rows[1:], columns=headers, dtype=object) if len(rows) > 1 else \
        pd.DataFrame(columns=headers, dtype=object)
    frame = frame.where(frame != "", None)  # calamine gives '' for an empty cell
    dupes = sorted({h for h in headers if headers.count(h) > 1})
    if dupes:
        raise BatchError(f"{path}, sheet {chosen!r}: duplicated column {dupes[0]!r}")
    return Source(path, "excel", headers, iter([frame]), size, sheet=chosen, rows=len(frame), header_cells=header)


def _open_csv(path: Path, delimiter: str | None, encoding: str | None, size: int) -> Source:
    with open(path, "rb") as fh:
        sample = fh.read(1 << 16)
    if sample.startswith((b"\xff\xfe", b"\xfe\xff")) and not encoding:
        encoding = "utf-16"  # Excel's "Unicode Text" export: UTF-16 with a byte order mark, tab-delimited
    if b"\x00" in sample and not (encoding or "").lower().replace("_", "-").startswith("utf-16"):
        raise BatchError(f"{path}: not a text file (it contains NUL bytes); is it a spreadsheet renamed .csv?")
    if not sample.strip(b"\x00\xff\xfe \r\n\t"):
        raise BatchError(f"{path}: the file is empty")
    encoding = encoding or _detect_encoding(sample)
    try:
        text = sample.decode(encoding if encoding != "utf8" else "utf-8-sig", errors="strict" if
                             len(sample) < (1 << 16) else "ignore")
    except (UnicodeDecodeError, LookupError) as exc:
        raise BatchError(f"{path}: cannot be read as {encoding} ({exc})") from exc
    delimiter = delimiter or _sniff_delimiter(text)
    try:
        header = next(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), [])
    except csv.Error as exc:
        raise BatchError(f"{path}: the header line cannot be read as CSV ({exc})") from exc
    if not header or all(not h.strip() for h in header):
        raise BatchError(f"{path}: the first line is empty; it must hold the column names")
    dupes = sorted({h for h in header if header.count(h) > 1})
    if dupes:
        raise BatchError(f"{path}: duplicated column {dupes[0]!r} in the header")
    try:
        reader = pacsv.open_csv(
            path, read_options=pacsv.ReadOptions(encoding=encoding, block_size=BLOCK_BYTES),
            parse_options=pacsv.ParseOptions(delimiter=delimiter, newlines_in_values=True),
            convert_options=pacsv.ConvertOptions(column_types={h: pa.string() for h in header},
                                                 strings_can_be_null=False, quoted_strings_can_be_null=False))
    except (pa.ArrowInvalid, UnicodeDecodeError) as exc:
        if not RAGGED.search(str(exc)):
            raise BatchError(f"{path}: not a readable CSV file ({exc})") from exc
        reader = None  # a row of the wrong width in the first block

    def chunks():
        done = 0
        try:
            for batch in reader or ():
                yield batch.to_pandas()
                done += batch.num_rows
            if reader is not None:
                return
        except pa.ArrowInvalid as exc:
            if not RAGGED.search(str(exc)):
                raise BatchError(f"{path}: {exc}") from exc
        # A row with too few or too many cells: Arrow stops at its block, so the rest of the file, from the
        # first row not yet read, goes through Python's csv module, where such a row is that row's error.
        yield from _ragged_chunks(path, encoding, delimiter, header, skip=done)

    bom = next((b for b in (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff") if sample.startswith(b)), b"")
    return Source(path, "csv", header, chunks(), size, delimiter=delimiter, encoding=encoding, bom=bom)


RAGGED = re.compile(r"Expected \d+ columns, got \d+")
ROW_ERRORS = "row_errors"  # chunk.attrs key: per-row messages from reading (None where the row is fine)


def _ragged_chunks(path: Path, encoding: str, delimiter: str, header: list[str], skip: int,
                   rows_per_chunk: int = 1 << 15) -> Iterator[pd.DataFrame]:
    """Rows from record `skip` on (after the header), padded or cut to the header's width; a row of another
    width, or one whose quote is never closed, keeps its cells and gets a message in chunk.attrs[ROW_ERRORS].
    Blank lines are not rows, as in Arrow's reader."""
    with open(path, encoding="utf-8-sig" if encoding == "utf8" else encoding, newline="") as fh:
        records = _records(fh, delimiter, len(header))
        next(records, None)  # the header
        for _ in range(skip):
            next(records, None)
        while True:
            block = list(itertools.islice(records, rows_per_chunk))
            if not block:
                return
            yield _ragged_frame(block, header)


class _Lines:
    """The lines of a file for csv.reader, with the lines each record took (`taken`) and lines handed back to be
    read again (`back`, last first)."""

    def __init__(self, lines: Iterator[str]):
        self.lines, self.back, self.taken = lines, list[str](), list[str]()

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        line = self.back.pop() if self.back else next(self.lines)
        self.taken.append(line)
        return line


def _records(fh, delimiter: str, width: int) -> Iterator[tuple[list[str], str | None]]:
    """(cells, message) of each record of a CSV text stream; blank lines are skipped.

    A quote that is never closed swallows the lines after it into one cell, so the record spans lines and has the
    wrong width, and some line it swallowed is a row on its own (the header's width, its own quotes closed, where
    the end of a quoted cell with line breaks leaves a lone quote): then the line where it started is a
    row of its own, with a message, and reading starts again at that next line of the header's width (lines in
    between, not rows, are kept in the message).  A quoted cell with line breaks in it, in a record of the header's
    width, is a record like any other; in a record of another width, that whole record is the row."""
    feed = _Lines(iter(fh))
    for row in csv.reader(feed, delimiter=delimiter):
        lines, feed.taken = feed.taken, []
        if not row:
            continue
        if len(lines) == 1 or len(row) == width:
            yield row, None
            continue
        rest = lines[1:]
        resume = next((k for k, line in enumerate(rest)  # a row of its own: the header's width, its quotes closed
                       if line.count('"') % 2 == 0 and len(_cells(line, delimiter)) == width), None)
        if resume is None:  # a quoted line break in a row of the wrong width: that row, whole
            yield row, None
            continue
        first, stray = _cells(lines[0], delimiter), rest[:resume]
        feed.back.extend(reversed(rest[resume:]))
        kept = f"; the line(s) after it up to the next row, not rows themselves: " \
               f"{', '.join(repr(line.rstrip(chr(13) + chr(10))) for line in stray)}" if stray else ""
        yield first, (f"a quote in cell {len(first)} ({first[-1][:40]!r}) is never closed; the row is not costed, "
                      f"and the lines after it are read as rows{kept}")


def _cells(line: str, delimiter: str) -> list[str]:
    """One line read alone, without its line break (a quote left open runs to its end)."""
    return next(csv.reader([line.rstrip("\r\n")], delimiter=delimiter), [])


def _ragged_frame(block: list[tuple[list[str], str | None]], header: list[str]) -> pd.DataFrame:
    width = len(header)
    rows = [cells for cells, _ in block]
    counts = np.fromiter((len(row) for row in rows), dtype=np.int64, count=len(rows))
    cells = [row if len(row) == width else (row + [""] * width)[:width] for row in rows]
    frame = pd.DataFrame(cells, columns=header, dtype="str")
    messages = np.full(len(block), None, dtype=object)
    for i in np.flatnonzero(counts != width).tolist():
        extra = rows[i][width:]  # kept in the message, so that nothing of the row is lost
        beyond = f"cells beyond the header: {', '.join(map(repr, extra))}" if extra else ""
        given = block[i][1]
        if given is not None:
            messages[i] = given + (f"; {beyond}" if extra else "")
            continue
        hint = f" (is a value with the delimiter in it missing its quotes? {beyond})" if extra else ""
        messages[i] = f"the row has {int(counts[i])} cells where the header has {width}{hint}; it is not costed"
    for j, (_, message) in enumerate(block):
        if message is not None and messages[j] is None:
            messages[j] = message
    frame.attrs[ROW_ERRORS] = messages
    return frame


def _detect_encoding(sample: bytes) -> str:
    """UTF-8 (with or without BOM) if the sample decodes as UTF-8, else cp1252."""
    try:
        sample.decode("utf-8")
        return "utf8"
    except UnicodeDecodeError as exc:
        if exc.start > len(sample) - 4:  # a character cut at the end of the sample
            return "utf8"
        return "cp1252"


DELIMITERS = ",;\t|"


def _sniff_delimiter(text: str) -> str:
    """The delimiter of a CSV sample, decided on its header line: the candidate (comma, semicolon, tab, bar) found
    most often outside quotes there; between candidates found as often, the one that splits the next lines into
    as many cells.  A comma inside a quoted name ('"Preis, brutto";Menge') does not count."""
    lines = _quoted_lines(text, 21)
    if not lines:
        return ","
    counts = {d: _outside_quotes(lines[0], d) for d in DELIMITERS}
    best = max(counts.values())
    if best == 0:
        return ","
    tied = [d for d in DELIMITERS if counts[d] == best]
    if len(tied) == 1:
        return tied[0]
    return max(tied, key=lambda d: sum(_outside_quotes(line, d) == best for line in lines[1:]))


def _quoted_lines(text: str, limit: int) -> list[str]:
    """The first `limit` records of a CSV sample as text: a line break inside quotes does not end one."""
    out, start, quoted = [], 0, False
    for i, ch in enumerate(text):
        if ch == '"':
            quoted = not quoted
        elif ch in "\r\n" and not quoted:
            if i > start:
                out.append(text[start:i])
                if len(out) == limit:
                    return out
            start = i + 1
    if start < len(text):
        out.append(text[start:])
    return out


def _outside_quotes(line: str, delimiter: str) -> int:
    """How often `delimiter` occurs in a record outside quoted cells."""
    count, quoted = 0, False
    for ch in line:
        if ch == '"':
            quoted = not quoted
        elif ch == delimiter and not quoted:
            count += 1
    return count


# A text cell a spreadsheet would run as a formula: after any leading spaces, tabs or line breaks, '=' and something
# after it; or '+', '-' or '@' followed by a function call (SUM(), a cell reference (A1, $B$2), a '|' (DDE) or a
# calculation on a number (+1+1, -2*3), or a bracket (-(1)).  Numbers (-5, +3.5), '-', '--', '- item', '@user' and
# '+49 30 1234' are not.
FORMULA = (r"(?s)^\s*(?:=.|[+\-@]\s*(?:\(|.*(?:[A-Za-z_][A-Za-z0-9_.]*\(|(?:\$|\b)[A-Za-z]{1,3}\$?[0-9]+\b|\|)"
           r"|[0-9.,]+\s*[-+*/^&]\s*[0-9(A-Za-z$]))")


def formula_cells(col: pa.Array) -> pa.Array:
    """True for the text cells a spreadsheet would evaluate (see FORMULA); plain numbers never are."""
    risky = pc.fill_null(pc.match_substring_regex(col, FORMULA), False)
    return pc.and_(risky, pc.invert(pc.fill_null(pc.match_substring_regex(col, NUMBER), False)))


def escape_formulas(table: pa.Table, columns: list[str]) -> pa.Table:
    """Prefix with an apostrophe the text cells that a spreadsheet would run as formulas (FORMULA), and only
    those: Amazon's '--' placeholder or a '- item' note come back as they were."""
    for name in columns:
        col = table.column(name)
        if not pa.types.is_string(col.type) and not pa.types.is_large_string(col.type):
            continue
        if not _may_start_a_formula(col):
            continue  # the common case: no cell even starts like one
        risky = formula_cells(col)
        if not pc.any(risky).as_py():
            continue
        fixed = pc.if_else(risky, pc.binary_join_element_wise("'", col, ""), col)
        table = table.set_column(table.schema.get_field_index(name), name, fixed)
    return table


RE2_SPACE = "\t\n\f\r "  # what FORMULA's \s matches in RE2, Arrow's regex engine (form feed included)
_STARTS = np.zeros(256, dtype=bool)  # the first bytes of a cell that may be a formula: = + - @ and FORMULA's \s
_STARTS[[ord(c) for c in "=+-@" + RE2_SPACE]] = True


def _may_start_a_formula(col: pa.Array | pa.ChunkedArray) -> bool:
    """Does any cell start with a byte a formula may start with?  Read from the array's own offsets and bytes (no
    new arrays), since it is asked of every text column of every chunk and the answer is nearly always no."""
    for chunk in col.chunks if isinstance(col, pa.ChunkedArray) else [col]:
        _, offsets_buf, data_buf = chunk.buffers()
        if data_buf is None or len(chunk) == 0:
            continue
        kind = np.dtype(np.int64 if pa.types.is_large_string(chunk.type) else np.int32)
        offsets: np.ndarray = np.frombuffer(offsets_buf, dtype=kind)[chunk.offset:chunk.offset + len(chunk) + 1]
        starts = offsets[:-1][offsets[1:] > offsets[:-1]]  # the cells that are not empty (a null's slot is)
        if len(starts) and _STARTS[np.frombuffer(data_buf, dtype=np.uint8)[starts]].any():
            return True
    return False


def escape_header(names: list[str]) -> list[str]:
    """Column names through the same guard as the cells (a header is a row of text cells too)."""
    risky = formula_cells(pa.array(names, type=pa.string())).to_pylist()
    return [f"'{n}" if r else n for n, r in zip(names, risky, strict=True)]
