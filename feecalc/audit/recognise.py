"""Opening one of Amazon's reports and recognising it by its header, never by its name (reports.md 1: parse by
header name, never by position).

A file may be gzip-compressed (SP-API documents come as GZIP, reports.md 1), with or without a `.gz` name; its
encoding is not fixed (UTF-8, with or without a byte order mark, UTF-16 with one, else cp1252: reports.md 8.4).  The
header is looked for in the first lines, since the transaction CSV has description lines above it (reports.md 6.1).
Rows are read whole-file by Arrow, every cell as text; a line of another width than the header is kept, with its
text, as an unreadable line (never dropped), and blank lines are counted, not read as rows.  Every row keeps its
physical line number in the file.
"""

from __future__ import annotations

import csv
import gzip
import io
import re
import zlib
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from ..columns import normalize
from ..errors import FeecalcError

FEE_PREVIEW, SETTLEMENT, STORAGE, LONG_TERM_STORAGE, TRANSACTIONS = (
    "fee preview", "settlement", "storage", "long-term storage", "transactions")
REPORT_TYPES = {
    FEE_PREVIEW: "FBA Fee Preview (GET_FBA_ESTIMATED_FBA_FEES_TXT_DATA)",
    SETTLEMENT: "settlement flat file V2 (GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE_V2)",
    STORAGE: "monthly storage fees (GET_FBA_STORAGE_FEE_CHARGES_DATA)",
    LONG_TERM_STORAGE: "long-term storage fee charges (GET_FBA_FULFILLMENT_LONGTERM_STORAGE_FEE_CHARGES_DATA)",
    TRANSACTIONS: "transaction (date range) report CSV",
}
HEADER_SEARCH_LINES = 30
_LINE_END = re.compile(r"\r\n|\r|\n")  # the line ends Arrow's reader knows, and no others


class ReportError(FeecalcError):
    """A file cannot be audited (exit 2): unreadable, or not one of the reports feecalc recognises."""


def _names(text: str) -> list[str]:
    return text.split()


# ---- the documented headers (reports.md), in order -----------------------------------------------------------
FUTURE = ["estimated-future-fee (Current Selling on Amazon + Future Fulfillment fees)",
          "estimated-future-order-handling-fee-per-order", "estimated-future-pick-pack-fee-per-unit",
          "estimated-future-weight-handling-fee-per-unit", "expected-future-fulfillment-fee-per-unit"]
NA_31 = _names("sku fnsku asin amazon-store product-name product-group brand fulfilled-by your-price sales-price "
               "longest-side median-side shortest-side length-and-girth unit-of-dimension item-package-weight "
               "unit-of-weight product-size-tier currency estimated-fee-total estimated-referral-fee-per-unit "
               "estimated-variable-closing-fee estimated-order-handling-fee-per-order "
               "estimated-pick-pack-fee-per-unit estimated-weight-handling-fee-per-unit "
               "expected-fulfillment-fee-per-unit") + FUTURE
EU_29 = _names("sku fnsku asin product-name product-group brand fulfilled-by has-local-inventory your-price "
               "sales-price longest-side median-side shortest-side length-and-girth unit-of-dimension "
               "item-package-weight unit-of-weight product-size-weight-band currency estimated-fee-total "
               "estimated-referral-fee-per-unit estimated-variable-closing-fee "
               "expected-domestic-fulfilment-fee-per-unit "
               "expected-efn-fulfilment-fee-per-unit-uk expected-efn-fulfilment-fee-per-unit-de "
               "expected-efn-fulfilment-fee-per-unit-fr expected-efn-fulfilment-fee-per-unit-it "
               "expected-efn-fulfilment-fee-per-unit-es expected-efn-fulfilment-fee-per-unit-se")
_EFN = [f"expected-efn-fulfilment-fee-per-unit-{c}" for c in ("uk", "de", "fr", "it", "es")]
_UK_29 = EU_29[:22] + ["estimated-order-handling-fee-per-order"] + EU_29[22:28]
FEE_PREVIEW_VARIANTS = {  # reports.md 2.2 (a) to (c); RPT-A1, RPT-C1, RPT-C2, RPT-C3
    "NA, 31 columns (2026)": NA_31,
    "US, 25 columns (older)": [c for c in NA_31 if c != "amazon-store" and c not in FUTURE],
    "CA, 22 columns (older)": [c for c in NA_31 if c not in ("amazon-store", "product-size-tier",
                                                              "estimated-order-handling-fee-per-order",
                                                              "expected-fulfillment-fee-per-unit") + tuple(FUTURE)],
    "EU, 29 columns": EU_29,
    "EUR, 28 columns (older)": EU_29[:-1],
    "UK, 29 columns (older)": _UK_29,
    "UK_TEMP, 37 columns (older)": _UK_29[:24] + [
        "estimated-future-fee (Current Selling on Amazon + Future Fulfillment fees)",
        "estimated-future-order-handling-fee-per-order", "expected-future-domestic-fulfilment-fee-per-unit"]
        + _UK_29[24:] + [f"expected-future-efn-fulfilment-fee-per-unit-{c}" for c in ("uk", "de", "fr", "it", "es")],
}
SETTLEMENT_V2 = _names("settlement-id settlement-start-date settlement-end-date deposit-date total-amount currency "
                       "transaction-type order-id merchant-order-id adjustment-id shipment-id marketplace-name "
                       "amount-type amount-description amount fulfillment-id posted-date posted-date-time "
                       "order-item-code merchant-order-item-id merchant-adjustment-item-id sku quantity-purchased "
                       "promotion-id")
SETTLEMENT_VARIANTS = {"V2, 24 columns": SETTLEMENT_V2, "V2, 23 columns (Amazon's attribute list)": SETTLEMENT_V2[:23]}
_STORAGE_HEAD = _names("asin fnsku product_name fulfillment_center country_code longest_side median_side "
                       "shortest_side measurement_units weight weight_units item_volume volume_units product_size_tier "
                       "average_quantity_on_hand average_quantity_pending_removal estimated_total_item_volume "
                       "month_of_charge")
_STORAGE_TAIL = _names("dangerous_goods_storage_type eligible_for_inventory_discount qualifies_for_inventory_discount "
                       "total_incentive_fee_amount breakdown_incentive_fee_amount average_quantity_customer_orders")
STORAGE_VARIANTS = {  # reports.md 4.2 (a) RPT-C4, RPT-C2, RPT-C13; (b) RPT-C5
    "up to early 2024, 27 columns (storage_rate)": _STORAGE_HEAD + ["storage_rate", "currency",
                                                                    "estimated_monthly_storage_fee"] + _STORAGE_TAIL,
    "from April 2024, 34 columns (base_rate and the storage utilization surcharge)": _STORAGE_HEAD + _names(
        "storage_utilization_ratio storage_utilization_ratio_units base_rate utilization_surcharge_rate "
        "avg_qty_for_sus est_vol_for_sus est_base_msf est_sus currency estimated_monthly_storage_fee") + _STORAGE_TAIL,
}
LTSF_VARIANTS = {  # reports.md 5.1
    "current, 14 columns (aged inventory surcharge)": _names(
        "snapshot-date sku fnsku asin product-name condition per-unit-volume currency volume-unit country qty-charged "
        "amount-charged surcharge-age-tier rate-surcharge"),
    "before the surcharge model, 15 columns": _names(
        "snapshot-date sku fnsku asin product-name condition qty-charged-12-mo-long-term-storage-fee per-unit-volume "
        "currency 12-mo-long-terms-storage-fee qty-charged-6-mo-long-term-storage-fee 6-mo-long-terms-storage-fee "
        "volume-unit country enrolled-in-small-and-light"),
}
TRANSACTIONS_US = ["date/time", "settlement id", "type", "order id", "sku", "description", "quantity", "marketplace",
                   "account type", "fulfillment", "order city", "order state", "order postal", "tax collection model",
                   "product sales", "product sales tax", "shipping credits", "shipping credits tax",
                   "gift wrap credits", "giftwrap credits tax", "Regulatory Fee", "Tax On Regulatory Fee",
                   "promotional rebates", "promotional rebates tax", "marketplace withheld tax", "selling fees",
                   "fba fees", "other transaction fees", "other", "total"]
GERMAN = {  # reports.md 6.3 (RPT-C8, RPT-C9): the amazon.de names of the US columns
    "Datum/Uhrzeit": "date/time", "Abrechnungsnummer": "settlement id", "Typ": "type", "Bestellnummer": "order id",
    "SKU": "sku", "Beschreibung": "description", "Menge": "quantity", "Marketplace": "marketplace",
    "Versand": "fulfillment", "Ort der Bestellung": "order city", "Bundesland": "order state",
    "Postleitzahl": "order postal", "Steuererhebungsmodell": "tax collection model", "Umsätze": "product sales",
    "Produktumsatzsteuer": "product sales tax", "Gutschrift für Versandkosten": "shipping credits",
    "Steuer auf Versandgutschrift": "shipping credits tax",
    "Gutschrift für Geschenkverpackung": "gift wrap credits",
    "Steuer auf Geschenkverpackungsgutschriften": "giftwrap credits tax",
    "Rabatte aus Werbeaktionen": "promotional rebates", "Steuer auf Aktionsrabatte": "promotional rebates tax",
    "Einbehaltene Steuer auf Marketplace": "marketplace withheld tax", "Verkaufsgebühren": "selling fees",
    "Gebühren zu Versand durch Amazon": "fba fees", "Andere Transaktionsgebühren": "other transaction fees",
    "Andere": "other", "Gesamt": "total", "Transaktionsstatus": "Transaction Status",
    "Freigabedatum der Transaktion": "Transaction Release Date",
}
_GERMAN = {normalize(k): v for k, v in GERMAN.items()}
REQUIRED = {  # what each kind needs to be audited at all, by canonical name
    FEE_PREVIEW: ("sku", "longest-side", "median-side", "shortest-side", "unit-of-dimension", "item-package-weight",
                  "unit-of-weight", "currency"),
    SETTLEMENT: ("transaction-type", "amount-type", "amount-description", "amount", "posted-date", "sku",
                 "quantity-purchased", "currency"),
    STORAGE: ("asin", "longest_side", "median_side", "shortest_side", "measurement_units", "weight", "weight_units",
              "month_of_charge", "currency", "estimated_monthly_storage_fee", "estimated_total_item_volume"),
    LONG_TERM_STORAGE: ("snapshot-date", "sku"),
    TRANSACTIONS: ("date/time", "type", "sku", "quantity", "selling fees", "fba fees", "total"),
}


@dataclass
class Report:
    """One report read whole: `table` has one text column per header cell (named by position, `c0` ...), `columns`
    maps each canonical column name to its position, `line` is each row's line in the file (1-based), `blank`
    marks blank lines, and `unreadable` holds the lines of another width (line, text, reason)."""

    path: Path
    name: str
    kind: str
    variant: str
    header: list[str]
    columns: dict[str, int]
    table: pa.Table
    line: np.ndarray
    blank: np.ndarray
    header_line: int
    encoding: str
    compressed: bool
    delimiter: str
    unreadable: list[tuple[int, str, str]] = field(default_factory=list)
    preamble: list[str] = field(default_factory=list)  # the lines above the header (a transaction CSV's description)

    def __len__(self) -> int:
        return self.table.num_rows

    def has(self, name: str) -> bool:
        return name in self.columns

    def text(self, name: str) -> pa.Array:
        """A column's cells as text ('' where the column is absent)."""
        if name not in self.columns:
            return pa.array([""] * len(self), type=pa.string())
        column = self.table.column(self.columns[name])
        return column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column

    def values(self, name: str) -> np.ndarray:
        """A column's cells as a numpy object array of str."""
        return np.asarray(self.text(name).to_numpy(zero_copy_only=False), dtype=object)


def read_report(path, name: str | None = None) -> Report:
    """Open, decompress, decode and recognise one report; ReportError says why a file cannot be audited."""
    path = Path(path)
    shown = name or str(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ReportError(f"{shown}: cannot be read ({exc.strerror or exc})") from exc
    compressed = raw[:2] == b"\x1f\x8b"
    if compressed:
        try:
            raw = gzip.decompress(raw)
        except (OSError, EOFError, zlib.error) as exc:
            raise ReportError(f"{shown}: a gzip file that cannot be decompressed ({exc})") from exc
    elif path.suffix.lower() == ".gz":
        raise ReportError(f"{shown}: named .gz, but not gzip-compressed")
    if not raw.strip():
        raise ReportError(f"{shown}: the file is empty")
    text, encoding = decode(raw)
    if "\x00" in text:
        raise ReportError(f"{shown}: not a text file (it contains NUL bytes); reports are tab-delimited or CSV text")
    found = find_header(text)
    if found is None:
        first = next((line for line in _LINE_END.split(text, maxsplit=HEADER_SEARCH_LINES) if line.strip()), "")
        kinds = "; ".join(REPORT_TYPES.values())
        raise ReportError(f"{shown}: not a report feecalc audits: no line among the first {HEADER_SEARCH_LINES} is "
                          f"the header of one of them ({kinds}); line 1 reads {first[:120]!r}")
    kind, variant, header, canonical, line_index, delimiter = found
    missing = [c for c in REQUIRED[kind] if c not in canonical]
    if missing:
        raise ReportError(f"{shown}: a {REPORT_TYPES[kind]} without the column(s) {', '.join(missing)}; its header "
                          f"(line {line_index + 1}) has {', '.join(map(repr, header))}")
    report = _read_rows(path, shown, kind, variant, header, canonical, text, line_index, delimiter, encoding,
                        compressed)
    report.preamble = _LINE_END.split(text, maxsplit=line_index)[:line_index]
    return report


def decode(raw: bytes) -> tuple[str, str]:
    """The text of a report and the encoding read: a byte order mark's; else UTF-8 where the bytes are UTF-8; else
    cp1252 (reports.md 8.4: Cp1252 is the usual fallback), or Latin-1 for the five bytes cp1252 leaves undefined."""
    for bom, codec in ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if raw.startswith(bom):
            try:
                return raw.decode(codec), codec
            except UnicodeDecodeError as exc:
                raise ReportError(f"cannot be read as {codec} ({exc})") from exc
    for codec in ("utf-8", "cp1252", "latin-1"):
        try:
            return raw.decode(codec), codec
        except UnicodeDecodeError:
            continue
    raise AssertionError("latin-1 decodes every byte")  # pragma: no cover


def find_header(text: str):
    """(kind, variant, header, canonical name -> position, line index, delimiter) of the first of the first lines that
    is a recognised header, or None."""
    lines = _LINE_END.split(text, maxsplit=HEADER_SEARCH_LINES)[:HEADER_SEARCH_LINES]
    for i, line in enumerate(lines):
        for delimiter in ("\t", ","):
            if delimiter not in line:
                continue
            cells = next(csv.reader([line], delimiter=delimiter), []) if delimiter == "," else line.split("\t")
            cells = [c.strip().lstrip("\ufeff") for c in cells]
            hit = recognise(cells)
            if hit is not None:
                kind, variant, canonical = hit
                return kind, variant, cells, canonical, i, delimiter
    return None


def recognise(cells: list[str]) -> tuple[str, str, dict[str, int]] | None:
    """(kind, variant, canonical name -> position) of a header, or None.  Names are compared as
    feecalc.columns.normalize does (case, spaces and punctuation aside); a header with the kind's key columns but not
    exactly a documented variant is still read by name, and its variant says so."""
    names = [normalize(c) for c in cells]
    have = set(names)
    german = [_GERMAN.get(n) for n in names]
    if sum(g is not None for g in german) >= 8 and {"date/time", "selling fees", "fba fees", "total"} <= set(german):
        canonical = {g: j for j, g in reversed(list(enumerate(german))) if g is not None}
        return TRANSACTIONS, _variant("German headers (amazon.de)", names, None), canonical
    keys = {
        FEE_PREVIEW: ({"sku", "asin", "estimatedfeetotal", "longestside"}, FEE_PREVIEW_VARIANTS),
        SETTLEMENT: ({"settlementid", "transactiontype", "amounttype", "amountdescription"}, SETTLEMENT_VARIANTS),
        STORAGE: ({"asin", "monthofcharge", "estimatedmonthlystoragefee"}, STORAGE_VARIANTS),
        LONG_TERM_STORAGE: ({"snapshotdate", "sku", "fnsku", "asin"}, LTSF_VARIANTS),
        TRANSACTIONS: ({"datetime", "settlementid", "type", "sellingfees", "fbafees"},
                       {"US headers": TRANSACTIONS_US}),
    }
    for kind, (key, variants) in keys.items():
        if key <= have and (kind != LONG_TERM_STORAGE or "qtycharged" in have or
                            "qtycharged12molongtermstoragefee" in have):
            known = {normalize(c): c for v in variants.values() for c in v}
            canonical = {known[n]: j for j, n in reversed(list(enumerate(names))) if n in known}
            if kind == TRANSACTIONS:
                return kind, _variant("US headers", names, TRANSACTIONS_US), canonical
            label = next((v for v, cols in variants.items() if [normalize(c) for c in cols] == names), None)
            if label is None and kind == STORAGE:
                label = _storage_conflict(names)
            return kind, label or f"{len(cells)} columns, a variant reports.md does not list (read by name)", canonical
    return None


def _storage_conflict(names: list[str]) -> str | None:
    """The storage headers reports.md 4.2 lists under "Conflicts" (L): a `category` column before
    `eligible_for_inventory_discount`, or the 27 columns with `sku` and the surcharge block appended."""
    older = [normalize(c) for c in STORAGE_VARIANTS["up to early 2024, 27 columns (storage_rate)"]]
    newer = [normalize(c) for c in STORAGE_VARIANTS[
        "from April 2024, 34 columns (base_rate and the storage utilization surcharge)"]]
    at = names.index("eligibleforinventorydiscount") if "eligibleforinventorydiscount" in names else -1
    if at > 0 and names[at - 1] == "category" and names[:at - 1] + names[at:] in (older, newer):
        return (f"{len(names)} columns: a category column before eligible_for_inventory_discount (reports.md 4.2, "
                f"Conflicts; read by name)")
    block = [c for c in newer if c not in older]
    if names[:len(older)] == older and sorted(names[len(older):]) == sorted(["sku", *block]):
        return (f"{len(names)} columns: storage_rate with sku and the surcharge block appended (reports.md 4.2, "
                f"Conflicts; read by name)")
    return None


def _variant(label: str, names: list[str], documented: list[str] | None) -> str:
    """The transaction CSV's variant: its language, and which of the optional columns it has (reports.md 6.2)."""
    extras = [c for c in ("Regulatory Fee", "account type", "Transaction Status") if normalize(c) in names] \
        if documented is not None else []
    return f"{label}, {len(names)} columns" + (f" (with {', '.join(extras)})" if extras else "")


def _read_rows(path: Path, shown: str, kind: str, variant: str, header: list[str], canonical: dict[str, int],
               text: str, line_index: int, delimiter: str, encoding: str, compressed: bool) -> Report:
    """The rows under the header, every cell as text, with their line numbers."""
    offset = _line_offset(text, line_index + 1)
    body = text[offset:].encode("utf-8")
    width = len(header)
    names = [f"c{j}" for j in range(width)]
    bad: list[tuple[int, str, int]] = []

    def handler(row) -> str:
        bad.append((int(row.number), row.text, int(row.actual_columns)))
        return "skip"

    if not body.strip():  # a header and no rows: a report of no lines, not an error
        empty = pa.table({n: pa.array([], type=pa.string()) for n in names})
        return Report(path, shown, kind, variant, header, canonical, empty, np.zeros(0, dtype=np.int64),
                      np.zeros(0, dtype=bool), line_index + 1, encoding, compressed, delimiter, [])
    try:
        table = pacsv.read_csv(
            io.BytesIO(body),
            read_options=pacsv.ReadOptions(column_names=names, use_threads=False, block_size=1 << 26),
            parse_options=pacsv.ParseOptions(delimiter=delimiter, quote_char='"' if delimiter == "," else False,
                                             newlines_in_values=False, ignore_empty_lines=False,
                                             invalid_row_handler=handler),
            convert_options=pacsv.ConvertOptions(column_types={n: pa.string() for n in names},
                                                 strings_can_be_null=False, quoted_strings_can_be_null=False))
    except pa.ArrowInvalid as exc:
        raise ReportError(f"{shown}: the rows cannot be read ({exc})") from exc
    first = line_index + 2  # the line of the first row, 1-based
    records = table.num_rows + len(bad)
    skipped = np.zeros(records, dtype=bool)
    skipped[[n - 1 for n, _, _ in bad]] = True
    line = (np.arange(records, dtype=np.int64) + first)[~skipped]
    blank = _blank_rows(table)
    unreadable = [(n + first - 1, t, f"the line has {k} cell(s) where the header has {width}; it is not read")
                  for n, t, k in bad if t.strip()]
    return Report(path, shown, kind, variant, header, canonical, table, line, blank, line_index + 1, encoding,
                  compressed, delimiter, unreadable)


def _line_offset(text: str, lines: int) -> int:
    """The character offset where line `lines` (0-based) starts."""
    offset = 0
    for _ in range(lines):
        found = _LINE_END.search(text, offset)
        if found is None:
            return len(text)
        offset = found.end()
    return offset


def _blank_rows(table: pa.Table) -> np.ndarray:
    """Rows whose every cell is empty or spaces: blank lines, not rows."""
    blank = np.ones(table.num_rows, dtype=bool)
    for column in table.columns:
        empty = pc.equal(pc.utf8_trim_whitespace(column), "")
        blank &= np.asarray(empty.to_numpy(zero_copy_only=False), dtype=bool)
        if not blank.any():
            break
    return blank
