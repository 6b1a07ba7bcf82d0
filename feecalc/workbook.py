"""A seller's XLSX workbook given back as it was, with the costed columns added to the right of its data sheet.

The file is edited, not rewritten: every part but a few is copied as it is (other sheets, charts, images, names,
themes, comments), and the data sheet's XML keeps every cell it had (title rows, formulas with their cached values,
booleans, dates, number formats, styles, merged cells); the costed cells are added at the end of each data row:
amounts and weights as numbers (amounts with a currency format added to the styles), repeated texts (size tier,
currency, fee table, warnings) through the shared strings, others (errors) as inline strings.  A Summary sheet is
added after the last sheet.  The parts edited: the data sheet, the styles, the shared strings, the workbook (its
list of sheets) with its relationships, and the content types.  An XLSM workbook written as .xlsx loses its macros
(an .xlsx cannot hold them).

openpyxl could load and save the workbook, but it drops the cached values of formulas, charts and images, and took
95 s and 1.1 GB for a 100,000-row sheet (see benchmarks/RESULTS.md).
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from xml.etree import ElementTree as ET
from xml.sax.saxutils import quoteattr

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
WORKSHEET = f"{REL}/worksheet"
SHARED = f"{REL}/sharedStrings"
WORKSHEET_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
SHARED_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
MACRO_MAIN = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"
PLAIN_MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
KEPT = {".xlsx", ".xlsm"}  # the inputs whose workbook is kept (XLS and ODS are read, not edited)
SLICE = 1 << 14  # rows whose added cells are built at a time: the output is streamed, memory stays flat


# the names feecalc's own sheets take, the first that no sheet of the workbook has (case does not matter)
SUMMARY_NAMES = ("Summary", "feecalc Summary", "feecalc Summary 2")
NOTES_NAMES = ("Notes", "feecalc Notes", "feecalc Notes 2")


def free_sheet_name(taken: set[str], names: tuple[str, ...]) -> str:
    """The first of `names` that is not a sheet name of `taken` (casefolded names), as Excel compares them."""
    return next(n for n in names if n.casefold() not in taken)


class WorkbookError(Exception):
    """The workbook's parts are not as an XLSX file has them; the caller falls back to writing a new workbook."""


def letters(j: int) -> str:
    """Column letters of a 0-based column index: 0 -> A, 26 -> AA."""
    out = ""
    j += 1
    while j:
        j, rest = divmod(j - 1, 26)
        out = chr(65 + rest) + out
    return out


def column_index(text: str) -> int:
    """0-based column index of column letters: A -> 0, AA -> 26."""
    j = 0
    for ch in text:
        j = j * 26 + ord(ch) - 64
    return j - 1


@dataclass(frozen=True)
class Money:
    """A summary cell holding an amount in a currency (None: the workbook's default currency)."""

    value: float | Decimal
    currency: str | None = None


@dataclass(frozen=True)
class Heading:
    """A summary cell holding a heading (bold where the writer can)."""

    text: str


Cell = str | int | float | Decimal | Money | Heading | None


def xml_text(values: pa.Array) -> pa.Array:
    """Text made safe for an XML text node: &, < and > escaped, control characters written as Excel writes them
    (_x0001_), and a literal _x0041_ kept literal (_x005F_x0041_)."""
    values = pc.replace_substring_regex(values, "_x([0-9A-Fa-f]{4})_", "_x005F_x\\1_")
    for old, new in (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;")):
        values = pc.replace_substring(values, old, new)
    controls = "[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]"
    if pc.any(pc.fill_null(pc.match_substring_regex(values, controls), False)).as_py():
        for code in [*range(0, 9), 11, 12, *range(14, 32), 0xFFFE, 0xFFFF]:
            values = pc.replace_substring(values, chr(code), f"_x{code:04X}_")
    return values


def _safe(text: str) -> str:
    return xml_text(pa.array([text], type=pa.string()))[0].as_py()


SUMMARY_WIDTHS = ((1, 1, 28), (2, 4, 16))  # (first column, last column, width) of the Summary sheet
NOTES_WIDTHS = ((1, 1, 8), (2, 2, 100), (3, 5, 16))


class KeptWorkbook:
    """Writes `source`'s workbook to `out` with cells added to its sheet `sheet` and a Summary sheet.

    `currency_format(code)` gives the number format of amounts in a currency (None: the default one)."""

    def __init__(self, source: Path, out: Path, sheet: str, currency_format):
        self.source, self.out, self.sheet = source, out, sheet
        self.currency_format = currency_format
        self.zin = zipfile.ZipFile(source)
        self.names = set(self.zin.namelist())
        self.types = self.zin.read("[Content_Types].xml").decode("utf-8")
        self.book = self.zin.read("xl/workbook.xml").decode("utf-8")
        self.book_rels = self.zin.read("xl/_rels/workbook.xml.rels").decode("utf-8")
        self.sheet_part = self._part(sheet)
        self.styles = self.zin.read("xl/styles.xml").decode("utf-8") if "xl/styles.xml" in self.names else None
        self.shared_part = self._shared_part()
        self.shared = self.zin.read(self.shared_part).decode("utf-8") if self.shared_part in self.names else None
        self.shared_base = len(re.findall(r"<(?:\w+:)?si\b", self.shared)) if self.shared else 0
        self.new_strings: dict[str, int] = {}  # text -> index in the shared strings (after the existing ones)
        self.shared_uses = 0
        self.formats: dict[str, int] = {}  # number format code -> cell style index (added to the styles)
        self.new_xfs: list[str] = []
        self.new_fmts: list[str] = []
        self._sheet: str | None = None

    def _rels(self) -> ET.Element:
        try:
            return ET.fromstring(self.book_rels)
        except ET.ParseError as exc:
            raise WorkbookError(f"the workbook's relationships cannot be read ({exc})") from exc

    def _target(self, target: str) -> str:
        return target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))

    def _part(self, name: str) -> str:
        """The zip name of the worksheet called `name`, through the workbook's relationships."""
        try:
            book = ET.fromstring(self.book)
        except ET.ParseError as exc:
            raise WorkbookError(f"the workbook's list of sheets cannot be read ({exc})") from exc
        rid = next((s.get(f"{{{REL}}}id") for s in book.iter(f"{{{MAIN}}}sheet") if s.get("name") == name), None)
        target = next((r.get("Target") for r in self._rels().iter(f"{{{PKG_REL}}}Relationship")
                       if r.get("Id") == rid), None)
        if target is None:
            raise WorkbookError(f"no worksheet part for sheet {name!r}")
        part = self._target(target)
        if part not in self.names:
            raise WorkbookError(f"sheet {name!r}: its part {part} is missing")
        return part

    def _shared_part(self) -> str:
        target = next((r.get("Target") for r in self._rels().iter(f"{{{PKG_REL}}}Relationship")
                       if r.get("Type") == SHARED), None)
        return self._target(target) if target else "xl/sharedStrings.xml"

    def first_column(self, width: int) -> tuple[int, str]:
        """(the first column free for the added cells: after the data's `width` columns and after any cell with
        content, such as a formula whose cached value is empty; the sheet's element prefix)."""
        if self._sheet is None:
            self._sheet = self.zin.read(self.sheet_part).decode("utf-8")
            self._prefix = _prefix(self._sheet)
            self._used = _last_used(self._sheet, self._prefix)
        return max(width, self._used + 1), self._prefix

    def style(self, code: str) -> int:
        """The index of a cell style with number format `code`, added to the styles on first use."""
        if code in self.formats:
            return self.formats[code]
        if self.styles is None:
            raise WorkbookError("the workbook has no styles part")
        xfs = re.search(r"<(\w+:)?cellXfs\b[^>]*>(.*?)</(\w+:)?cellXfs>", self.styles, re.S)
        ids = [int(i) for i in re.findall(r'<(?:\w+:)?numFmt\b[^>]*\bnumFmtId="(\d+)"', self.styles)]
        if xfs is None:
            raise WorkbookError("the styles have no cell formats")
        existing = len(re.findall(r"<(?:\w+:)?xf\b", xfs.group(2)))
        fmt_id = max([163, *ids]) + 1 + len(self.new_fmts)
        self.new_fmts.append(f'<numFmt numFmtId="{fmt_id}" formatCode={quoteattr(code)}/>')
        self.new_xfs.append(f'<xf numFmtId="{fmt_id}" fontId="0" fillId="0" borderId="0" xfId="0" '
                            f'applyNumberFormat="1"/>')
        self.formats[code] = existing + len(self.new_xfs) - 1
        return self.formats[code]

    def strings(self, texts: Iterable[str], uses: int) -> list[int]:
        """The shared-string index of each text (added on first use); `uses` cells will refer to them."""
        self.shared_uses += uses
        return [self.new_strings.setdefault(t, self.shared_base + len(self.new_strings)) for t in texts]

    def write(self, header_row: int, first_column: int, names: Sequence[str], rows: Iterator[tuple[int, str]],
              last_row: int, summary: list[list[Cell]], drop_macros: bool, notes: list[list[Cell]] | None = None
              ) -> None:
        """Write the workbook: `names` on `header_row` from column `first_column` on, and each (sheet row, XML of the
        added cells) of `rows` (in row order, ending at `last_row`), a Summary sheet of `summary`'s rows and, where
        there are `notes` (feecalc.legend), a Notes sheet of them."""
        self.first_column(first_column)
        sheet, self._sheet = self._sheet or "", ""
        prefix = self._prefix
        header = "".join(_text_cell(f"{letters(first_column + j)}{header_row}", name, prefix)
                         for j, name in enumerate(names))
        last = (letters(first_column + len(names) - 1), max(last_row, header_row))
        pieces = _merged(sheet, _with_header(rows, header_row, header), first_column, len(names), prefix, last)
        summary_part, summary_xml = self._summary_part(summary)
        dropped = self._drop_macros() if drop_macros else set()
        book, rels, types = self._add_sheet(summary_part)
        notes_part, notes_xml = self._summary_part(notes, {summary_part}, NOTES_WIDTHS) if notes else ("", "")
        if notes:
            book, rels, types = self._add_sheet(notes_part, NOTES_NAMES,
                                                "rIdFeecalcNotes", (book, rels, types))
        # Zip64 only where the sheet may pass 2 GB: some spreadsheet programs read a Zip64 entry as damage
        big = len(sheet) + (last_row - header_row) * 2000 > (1 << 31) - (1 << 26)
        later = {"xl/styles.xml", self.shared_part, "xl/workbook.xml", "xl/_rels/workbook.xml.rels",
                 "[Content_Types].xml"}  # edited once the sheet is written (it adds styles and shared strings)
        with zipfile.ZipFile(self.out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zout:
            for info in self.zin.infolist():
                if info.filename in dropped or info.filename in later:
                    continue
                if info.filename == self.sheet_part:
                    with zout.open(_info(info), "w", force_zip64=big) as raw:
                        for block in _blocks(pieces):
                            raw.write(block.encode("utf-8"))
                    continue
                zout.writestr(_info(info), self.zin.read(info.filename))
            zout.writestr(_info(zipfile.ZipInfo(summary_part)), summary_xml.encode("utf-8"))
            if notes:
                zout.writestr(_info(zipfile.ZipInfo(notes_part)), notes_xml.encode("utf-8"))
            edited = {"[Content_Types].xml": types, "xl/workbook.xml": book, "xl/_rels/workbook.xml.rels": rels}
            if self.styles is not None:
                edited["xl/styles.xml"] = self._styles() if self.new_xfs else self.styles
            if self.new_strings:
                edited[self.shared_part], edited["xl/_rels/workbook.xml.rels"], edited["[Content_Types].xml"] = \
                    self._shared_strings(rels, types)
            elif self.shared is not None:
                edited[self.shared_part] = self.shared
            for name, text in edited.items():
                info = self.zin.getinfo(name) if name in self.names else zipfile.ZipInfo(name)
                zout.writestr(_info(info), text.encode("utf-8"))

    def parts_written_anew(self) -> set[str]:
        """The parts the output holds in an edited form (the others are the input's, byte for byte)."""
        return {self.sheet_part, "xl/styles.xml", self.shared_part, "xl/workbook.xml", "xl/_rels/workbook.xml.rels",
                "[Content_Types].xml"}

    def close(self) -> None:
        self.zin.close()

    def _styles(self) -> str:
        assert self.styles is not None
        styles = _append(self.styles, "cellXfs", "".join(self.new_xfs), len(self.new_xfs))
        if re.search(r"<(\w+:)?numFmts\b", styles):
            return _append(styles, "numFmts", "".join(self.new_fmts), len(self.new_fmts))
        head = re.search(r"<(\w+:)?styleSheet\b[^>]*>", styles)
        if head is None:
            raise WorkbookError("the styles part has no styleSheet")
        p = head.group(1) or ""
        block = f'<{p}numFmts count="{len(self.new_fmts)}">' + "".join(self.new_fmts).replace(
            "<numFmt", f"<{p}numFmt") + f"</{p}numFmts>"
        return styles[:head.end()] + block + styles[head.end():]

    def _shared_strings(self, rels: str, types: str) -> tuple[str, str, str]:
        """The shared strings with the new ones appended (a new part, with its relationship and content type, where
        the workbook had none), and the relationships and content types to go with it."""
        items = "".join(f'<si><t xml:space="preserve">{_safe(t)}</t></si>' for t in self.new_strings)
        if self.shared is None:
            sst = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="{MAIN}" '
                   f'count="{self.shared_uses}" uniqueCount="{len(self.new_strings)}">{items}</sst>')
            rel = f'<Relationship Id="rIdFeecalcStrings" Type="{SHARED}" Target="/{self.shared_part}"/>'
            return sst, _before_close(rels, "Relationships", rel), _before_close(
                types, "Types", f'<Override PartName="/{self.shared_part}" ContentType="{SHARED_TYPE}"/>')
        head = re.search(r"<(\w+:)?sst\b([^>]*?)(/?)>", self.shared)
        if head is None:
            raise WorkbookError("the shared strings have no sst element")
        p = head.group(1) or ""
        attrs = head.group(2)
        count = re.search(r'\bcount="(\d+)"', attrs)
        attrs = re.sub(r'\bcount="\d+"', f'count="{int(count.group(1)) + self.shared_uses}"', attrs) if count \
            else attrs
        unique = f'uniqueCount="{self.shared_base + len(self.new_strings)}"'
        attrs = re.sub(r'\buniqueCount="\d+"', unique, attrs) if "uniqueCount=" in attrs else f"{attrs} {unique}"
        items = items.replace("<si>", f"<{p}si>").replace("</si>", f"</{p}si>").replace("<t ", f"<{p}t ") \
            .replace("</t>", f"</{p}t>")
        if head.group(3):  # <sst .../>: no strings yet
            return (self.shared[:head.start()] + f"<{p}sst{attrs}>{items}</{p}sst>" + self.shared[head.end():],
                    rels, types)
        close = self.shared.rindex(f"</{p}sst>")
        return (self.shared[:head.start()] + f"<{p}sst{attrs}>" + self.shared[head.end():close] + items +
                self.shared[close:], rels, types)

    def _summary_part(self, rows: list[list[Cell]], taken: set[str] | None = None,
                      widths: tuple[tuple[int, int, int], ...] = SUMMARY_WIDTHS) -> tuple[str, str]:
        """A new sheet's part name (none of the input's, nor `taken`) and its XML: `rows` of cells, `widths` as
        (first column, last column, width)."""
        k = 1
        while f"xl/worksheets/sheet{k}.xml" in self.names or f"xl/worksheets/sheet{k}.xml" in (taken or ()):
            k += 1
        body = []
        for r, row in enumerate(rows, start=1):
            cells = "".join(self._summary_cell(f"{letters(j)}{r}", value) for j, value in enumerate(row))
            body.append(f'<row r="{r}">{cells}</row>')
        cols = "".join(f'<col min="{a}" max="{b}" width="{w}" customWidth="1"/>' for a, b, w in widths)
        return f"xl/worksheets/sheet{k}.xml", (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{MAIN}">'
            f'<cols>{cols}</cols><sheetData>{"".join(body)}</sheetData></worksheet>')

    def _summary_cell(self, ref: str, value: Cell) -> str:
        if value is None:
            return ""
        if isinstance(value, (Heading, str)):
            return _text_cell(ref, value.text if isinstance(value, Heading) else value, "")
        if isinstance(value, Money):
            style = self.style(self.currency_format(value.currency))
            return f'<c r="{ref}" s="{style}"><v>{_number(value.value)}</v></c>'
        return f'<c r="{ref}"><v>{_number(value)}</v></c>'

    def _add_sheet(self, part: str, names: tuple[str, ...] = SUMMARY_NAMES,
                   rid: str = "rIdFeecalcSummary", after: tuple[str, str, str] | None = None) -> tuple[str, str, str]:
        """The workbook, its relationships and the content types (the input's, or `after`'s) with a sheet added
        after the last, named the first of `names` that no sheet has."""
        given, given_rels, given_types = after or (self.book, self.book_rels, self.types)
        book = ET.fromstring(given)
        taken = {s.get("name", "").casefold() for s in book.iter(f"{{{MAIN}}}sheet")}
        name = free_sheet_name(taken, names)
        sheet_id = max([0, *(int(s.get("sheetId", 0)) for s in book.iter(f"{{{MAIN}}}sheet"))]) + 1
        prefix = re.search(r'xmlns:(\w+)="' + re.escape(REL) + '"', given)
        main = _prefix(given)
        ref = f'{prefix.group(1)}:id="{rid}"' if prefix else f'xmlns:fr="{REL}" fr:id="{rid}"'
        entry = f'<{main}sheet name={quoteattr(name)} sheetId="{sheet_id}" {ref}/>'
        close = given.rfind(f"</{main}sheets>")
        if close < 0:
            raise WorkbookError("the workbook has no list of sheets")
        book_xml = given[:close] + entry + given[close:]
        rel = f'<Relationship Id="{rid}" Type="{WORKSHEET}" Target="/{part}"/>'
        rels_xml = _before_close(given_rels, "Relationships", rel)
        types = _before_close(given_types, "Types", f'<Override PartName="/{part}" ContentType="{WORKSHEET_TYPE}"/>')
        return book_xml, rels_xml, types

    def _drop_macros(self) -> set[str]:
        """An XLSM workbook written as .xlsx: its macro project goes (with its relationships and signature) and the
        workbook's content type becomes a plain workbook's; the parts dropped."""
        dropped: set[str] = set()
        for r in list(self._rels().iter(f"{{{PKG_REL}}}Relationship")):
            if r.get("Type", "").endswith("/vbaProject"):
                part = self._target(r.get("Target", ""))
                dropped |= {part, f"{posixpath.dirname(part)}/_rels/{posixpath.basename(part)}.rels"}
                self.book_rels = re.sub(rf'<Relationship\b[^>]*\bId="{re.escape(r.get("Id", ""))}"[^>]*/>', "",
                                        self.book_rels)
        dropped |= {n for n in self.names if n.startswith("xl/vbaProjectSignature")}
        self.types = self.types.replace(MACRO_MAIN, PLAIN_MAIN)
        self.types = re.sub(r'<Override\b[^>]*PartName="/xl/vbaProject[^"]*"[^>]*/>', "", self.types)
        self.types = re.sub(r'<Default\b[^>]*Extension="bin"[^>]*vbaProject[^>]*/>', "", self.types)
        return dropped & self.names


def _blocks(pieces: Iterator[str], size: int = 1 << 20) -> Iterator[str]:
    """The pieces joined into blocks of about `size` characters (one compressor call each)."""
    held: list[str] = []
    count = 0
    for piece in pieces:
        held.append(piece)
        count += len(piece)
        if count >= size:
            yield "".join(held)
            held, count = [], 0
    if held:
        yield "".join(held)


def _info(info: zipfile.ZipInfo) -> zipfile.ZipInfo:
    """A copy of an entry's header for the output, deflated."""
    out = zipfile.ZipInfo(info.filename, date_time=info.date_time if info.date_time[0] >= 1980 else
                          (1980, 1, 1, 0, 0, 0))
    out.compress_type = zipfile.ZIP_DEFLATED
    out.external_attr = info.external_attr
    return out


def _prefix(xml: str) -> str:
    """'x:' where the document's root element is written with a prefix (<x:worksheet>), else ''."""
    root = re.search(r"<(?!\?|!)(\w+:)?\w+", xml)
    return root.group(1) or "" if root else ""


def _append(xml: str, element: str, children: str, added: int) -> str:
    """`children` appended to the first `element` of `xml`, its count attribute raised by `added`."""
    found = re.search(rf"<(\w+:)?{element}\b([^>]*?)(/?)>", xml)
    if found is None:
        raise WorkbookError(f"no {element} element")
    p = found.group(1) or ""
    children = re.sub(r"<(?=\w)", f"<{p}", children) if p else children
    if found.group(3):  # an empty element, <numFmts/>: opened and closed
        xml = xml[:found.start()] + f"<{p}{element}{found.group(2)}></{p}{element}>" + xml[found.end():]
        found = re.search(rf"<(\w+:)?{element}\b([^>]*?)>", xml)
        assert found is not None
    close = xml.index(f"</{p}{element}>", found.end())
    count = re.search(r'\bcount="(\d+)"', found.group(2))
    existing = int(count.group(1)) if count else len(re.findall(r"<(?:\w+:)?(?:xf|numFmt)\b",
                                                                    xml[found.end():close]))
    head = xml[found.start():found.end()]
    head = re.sub(r'\bcount="\d+"', f'count="{existing + added}"', head) if count else \
        head[:-1] + f' count="{existing + added}">'
    return xml[:found.start()] + head + xml[found.end():close] + children + xml[close:]


def _before_close(xml: str, element: str, child: str) -> str:
    close = xml.rfind(f"</{element}>")
    if close < 0:
        raise WorkbookError(f"no {element} element")
    return xml[:close] + child + xml[close:]


def _number(value) -> str:
    if isinstance(value, Decimal):
        return format(value, "f")
    return repr(float(value)) if isinstance(value, float) else str(value)


def _text_cell(ref: str, text: str, prefix: str) -> str:
    return f'<{prefix}c r="{ref}" t="inlineStr"><{prefix}is><{prefix}t xml:space="preserve">{_safe(text)}' \
           f'</{prefix}t></{prefix}is></{prefix}c>'


def _last_used(sheet: str, prefix: str) -> int:
    """The last column (0-based) holding a cell with content (a value, a formula or inline text), -1 for none."""
    found = re.findall(rf'<{prefix}c\b[^>]*?\br="([A-Z]+)[0-9]+"[^>]*?(?<!/)>\s*<{prefix}(?:v|f|is)\b', sheet)
    return max((column_index(c) for c in set(found)), default=-1)


def _with_header(rows: Iterator[tuple[int, str]], header_row: int, header: str) -> Iterator[tuple[int, str]]:
    yield header_row, header
    yield from rows


def _merged(sheet: str, added: Iterator[tuple[int, str]], first: int, width: int, prefix: str,
            last: tuple[str, int]) -> Iterator[str]:
    """The sheet XML in pieces, with each (r, cells) of `added` (in row order) at the end of row r, rows that are not
    there created in order, and the dimension widened to the added cells."""
    open_at = re.search(rf"<{prefix}sheetData\b[^>]*?(/?)>", sheet)
    if open_at is None:
        raise WorkbookError("the sheet has no sheetData")
    if open_at.group(1):  # <sheetData/>
        sheet = sheet[:open_at.start()] + f"<{prefix}sheetData></{prefix}sheetData>" + sheet[open_at.end():]
        open_at = re.search(rf"<{prefix}sheetData\b[^>]*?>", sheet)
        assert open_at is not None
    close_at = sheet.rindex(f"</{prefix}sheetData>")
    yield _dimension(sheet[:open_at.end()], prefix, last)
    body = sheet[open_at.end():close_at]
    row_re = re.compile(rf"<{prefix}row\b[^>]*?(?:/>|>.*?</{prefix}row>)", re.S)
    cell_re = re.compile(rf'<{prefix}c\b[^>]*?(?:/>|>.*?</{prefix}c>)', re.S)
    end_tag = f"</{prefix}row>"
    pending = next(added, None)
    previous, pos = 0, 0
    for match in row_re.finditer(body):
        if match.start() > pos:
            yield body[pos:match.start()]
        pos = match.end()
        row = match.group(0)
        tag = row[:row.index(">") + 1]
        number = re.search(r'\br="(\d+)"', tag)
        r = int(number.group(1)) if number else previous + 1
        previous = r
        while pending is not None and pending[0] < r:
            yield f'<{prefix}row r="{pending[0]}">{pending[1]}{end_tag}'
            pending = next(added, None)
        if pending is not None and pending[0] == r:
            yield _add_cells(row, tag, pending[1], first, width, prefix, cell_re, end_tag)
            pending = next(added, None)
        else:
            yield row
    yield body[pos:]
    while pending is not None:
        yield f'<{prefix}row r="{pending[0]}">{pending[1]}{end_tag}'
        pending = next(added, None)
    yield sheet[close_at:]


_REF = re.compile(r'\br="([A-Z]+)[0-9]*"')


def _add_cells(row: str, tag: str, cells: str, first: int, width: int, prefix: str, cell_re, end_tag: str) -> str:
    """One row's XML with `cells` after its cells; cells of its own that stand in the added columns (empty ones, with
    only a style: cells with content lie before `first`) give way."""
    head = re.sub(r'\sspans="[^"]*"', "", tag)
    if tag.endswith("/>"):
        return head[:-2].rstrip() + ">" + cells + end_tag
    inner = row[len(tag):-len(end_tag)]
    last_cell = inner.rfind(f"<{prefix}c ")
    ref = _REF.search(inner, last_cell) if last_cell >= 0 else None
    if last_cell < 0 or (ref is not None and column_index(ref.group(1)) < first):  # cells are in column order
        return head + inner + cells + end_tag
    kept = []
    for n, cell in enumerate(cell_re.findall(inner)):
        found = _REF.search(cell)
        j = column_index(found.group(1)) if found else n
        if not first <= j < first + width:
            kept.append((j, cell))
    ours = [(first + n, c) for n, c in enumerate(cell_re.findall(cells))]
    return head + "".join(c for _, c in sorted(kept + ours, key=lambda jc: jc[0])) + end_tag


def _dimension(head: str, prefix: str, last: tuple[str, int]) -> str:
    """The sheet's head with its dimension widened to take in `last` (column letters, row)."""
    found = re.search(rf'(<{prefix}dimension\b[^>]*\bref=")([A-Z]+)([0-9]+)(?::([A-Z]+)([0-9]+))?(")', head)
    if found is None:
        return head
    col = max(column_index(found.group(4) or found.group(2)), column_index(last[0]))
    row = max(int(found.group(5) or found.group(3)), last[1])
    ref = f"{found.group(2)}{found.group(3)}:{letters(col)}{row}"
    return head[:found.start()] + found.group(1) + ref + found.group(6) + head[found.end():]


def added_rows(book: KeptWorkbook, frame: pd.DataFrame, first_row: int, first: int, amounts: set[str],
               styles: pa.Array | None, prefix: str = "") -> Iterator[tuple[int, str]]:
    """(sheet row, XML of its added cells) for each row of `frame`, which starts on sheet row `first_row`; built a
    slice of rows at a time, column by column with Arrow (no per-cell Python)."""
    for lo in range(0, len(frame), SLICE):
        part = frame.iloc[lo:lo + SLICE]
        rows = np.arange(first_row + lo, first_row + lo + len(part))
        cells = _cells(book, part, rows, first, amounts, None if styles is None else styles[lo:lo + SLICE], prefix)
        yield from zip(rows.tolist(), cells, strict=True)


def _cells(book: KeptWorkbook, frame: pd.DataFrame, rows: np.ndarray, first: int, amounts: set[str],
           styles: pa.Array | None, prefix: str) -> list[str]:
    """The added cells' XML of each row: amounts as numbers in the row's currency style, other numbers as numbers,
    a category column's texts through the shared strings, other text inline; an empty value is no cell."""
    n = len(frame)
    refs = pa.array(rows.astype(str), type=pa.string())
    none = pa.array([""] * n, type=pa.string())
    parts = []
    for j, (name, col) in enumerate(frame.items()):
        c = f'<{prefix}c r="{letters(first + j)}'
        if isinstance(col.dtype, pd.CategoricalDtype):
            codes = col.cat.codes.to_numpy()
            index = np.array(book.strings([str(x) for x in col.cat.categories], int((codes >= 0).sum())) + [-1],
                             dtype=np.int64)[codes]
            values = pc.cast(pa.array(index, mask=codes < 0), pa.string())
            cell = pc.binary_join_element_wise(c, refs, f'" t="s"><{prefix}v>', values, f"</{prefix}v></{prefix}c>",
                                               "")
        else:
            values, numeric = _arrow(col)
            if numeric:
                style = styles if name in amounts and styles is not None else none
                cell = pc.binary_join_element_wise(c, refs, '"', style, f"><{prefix}v>", values,
                                                   f"</{prefix}v></{prefix}c>", "")
            else:
                cell = pc.binary_join_element_wise(
                    c, refs, f'" t="inlineStr"><{prefix}is><{prefix}t xml:space="preserve">', xml_text(values),
                    f"</{prefix}t></{prefix}is></{prefix}c>", "")
        parts.append(pc.fill_null(cell, ""))
    if not parts:
        return [""] * n
    return pc.binary_join_element_wise(*parts, "").to_pylist()


def _arrow(col: pd.Series) -> tuple[pa.Array, bool]:
    """(the column as Arrow text, whether it is a number column); NaN is no value."""
    if isinstance(col.dtype, pd.ArrowDtype) and pa.types.is_decimal(col.dtype.pyarrow_dtype):
        arr = col.array._pa_array
        arr = arr.combine_chunks() if isinstance(arr, pa.ChunkedArray) else arr
        return pc.cast(arr, pa.string()), True
    if col.dtype.kind in "fiu":
        return pc.cast(pa.array(col.to_numpy(), from_pandas=True), pa.string()), True
    cells = col.to_numpy(dtype=object)
    if pd.api.types.infer_dtype(cells, skipna=True) not in ("string", "empty"):  # rare: a column of mixed values
        cells = np.array([None if v is None or v != v else str(v) for v in cells], dtype=object)
    return pa.array(cells, type=pa.string(), from_pandas=True), False
