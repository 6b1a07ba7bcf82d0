"""Where an item's measurements come from: Amazon's own (the fee preview's package sides and weight, reports.md 2.1:
Amazon's measurement once units have been received) or the seller's catalog (`--catalog`: any spreadsheet `feecalc
batch` reads, its rows matched by SKU or ASIN).  The settlement and transaction files have no measurements, so
their fee lines are costed with these: the fee preview's first, else the catalog's, and each finding says which.

The catalog is read exactly as `feecalc batch` reads a file (feecalc.sheets, columns, engine_frame: its locale,
cells with units, per-row errors); a catalog needs no price, and its category is used where the report gives
none.  `monthly_units` (a column of that name, as in cost profiles) gives the units a month for money at stake.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ..batch import engine_frame, load_category_map
from ..columns import header_units, match_columns, normalize
from ..numbers import parse_numbers
from ..sheets import BatchError, open_source
from .ledger import NONE, Ledger
from .recognise import ReportError

FIELDS = ("sku", "asin", "marketplace", "length", "width", "height", "dimension_unit", "weight", "weight_unit",
          "category", "source", "monthly_units")
SKU_NAMES = {normalize(n) for n in ("sku", "seller-sku", "seller sku", "merchant sku", "msku", "item sku")}
ASIN_NAMES = {normalize("asin")}
UNITS_NAMES = {normalize(n) for n in ("monthly_units", "monthly units", "units per month")}


@dataclass
class Catalog:
    """A seller's catalog read for the audit: per row its measurements (`rows`, FIELDS), the row's error (None:
    usable), and its ledger."""

    rows: pd.DataFrame
    error: np.ndarray
    ledger: Ledger


def read_catalog(path, marketplace: str = "US", locale: str | None = None, labels: dict[str, str] | None = None,
                 name: str | None = None) -> Catalog:
    """Read a catalog spreadsheet; ReportError says why it cannot be used (no SKU or ASIN column, no sides)."""
    shown = name or str(path)
    try:
        source = open_source(Path(path))
        chunks = list(source.chunks)
    except BatchError as exc:
        raise ReportError(f"--catalog: {str(exc).replace(str(path), shown)}") from exc
    chunk = pd.concat(chunks, ignore_index=True) if len(chunks) != 1 else chunks[0].reset_index(drop=True)
    headers = [str(h) for h in source.headers]
    normal = [normalize(h) for h in headers]
    sku_col = next((h for h, n in zip(headers, normal, strict=True) if n in SKU_NAMES), None)
    asin_col = next((h for h, n in zip(headers, normal, strict=True) if n in ASIN_NAMES), None)
    units_col = next((h for h, n in zip(headers, normal, strict=True) if n in UNITS_NAMES), None)
    mapping = match_columns(headers)
    missing = [f for f in ("length", "width", "height", "weight") if f not in mapping.columns]
    if (sku_col is None and asin_col is None) or missing:
        what = "a sku or asin column" if sku_col is None and asin_col is None else f"the column(s) {', '.join(missing)}"
        raise ReportError(f"--catalog: {shown} has no {what}; its columns are {', '.join(map(repr, headers))}")
    if labels:
        mapping.categories = dict(labels)
    dim_unit, weight_unit, problem = header_units(mapping)
    if problem:
        raise ReportError(f"--catalog: {shown}: {problem}")
    from ..marketplaces import marketplace as market_info

    market = market_info(marketplace)
    locale = locale or (market.locale if market else "en_US")
    work = chunk.copy()
    if "price" not in mapping.columns:  # the price comes from the report line: a placeholder nothing reads
        work["\x00price"] = "0"
        mapping.columns["price"] = "\x00price"
    frame, errors = engine_frame(work, mapping, locale, dim_unit, weight_unit)
    n = len(chunk)
    rows = pd.DataFrame({
        "sku": _text(chunk, sku_col, n), "asin": _text(chunk, asin_col, n), "marketplace": None,
        **{k: frame[k].to_numpy() for k in ("length", "width", "height", "weight")},
        "dimension_unit": _column(frame, "dimension_unit", n), "weight_unit": _column(frame, "weight_unit", n),
        "category": _column(frame, "category", n) if "category" in mapping.columns else None,
        "source": None, "monthly_units": np.nan})
    line = np.arange(n, dtype=np.int64) + source.header_row + 1
    where = "sheet row" if source.kind == "excel" else "line"
    rows["source"] = f"the catalog {shown}, {where} " + pd.Series(line).astype(str)
    error = errors.to_numpy(dtype=object)
    error = np.where(pd.isna(error), NONE, error)
    if units_col is not None:
        numbers, bad = parse_numbers(chunk[units_col], locale)
        rows["monthly_units"] = numbers
        error = np.where((error == None) & bad, f"{units_col}: not a number ({locale})", error)  # noqa: E711
    no_key = (rows["sku"].isna() & rows["asin"].isna()).to_numpy()
    error = np.where((error == None) & no_key, "no sku or asin", error)  # noqa: E711
    ledger = Ledger(shown, "catalog", f"{source.kind} ({len(headers)} columns)", line, chunk.astype(object), headers)
    return Catalog(rows, error, ledger)


def _text(chunk: pd.DataFrame, column: str | None, n: int) -> np.ndarray:
    """A key column as stripped text (None where empty or absent)."""
    if column is None:
        return np.full(n, None, dtype=object)
    text = chunk[column].astype("string").str.strip()
    return text.where(text.notna() & (text != ""), None).astype(object).to_numpy()


def _column(frame: pd.DataFrame, name: str, n: int) -> np.ndarray:
    if name not in frame.columns:
        return np.full(n, None, dtype=object)
    return np.asarray(frame[name].to_numpy(), dtype=object)


class Measurements:
    """Every source of measurements, the fee preview's rows first: looked up by (SKU, marketplace), then SKU, then
    ASIN, once per distinct key."""

    def __init__(self, parts: list[pd.DataFrame]):
        parts = [p[list(FIELDS)] for p in parts if len(p)]
        self.rows = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=list(FIELDS))
        self.used = np.zeros(len(self.rows), dtype=bool)

    def __len__(self) -> int:
        return len(self.rows)

    def lookup(self, sku: np.ndarray | None, market: np.ndarray | None, asin: np.ndarray | None = None) -> np.ndarray:
        """Index of each query's measurements (-1: none), and marks them used."""
        n = len(sku if sku is not None else asin)  # type: ignore[arg-type]
        out = np.full(n, -1, dtype=np.intp)
        if not len(self.rows):
            return out
        stages = []
        if sku is not None and market is not None:
            stages.append((["sku", "marketplace"], [sku, market]))
        if sku is not None:
            stages.append((["sku"], [sku]))
        if asin is not None:
            stages.append((["asin"], [asin]))
        for columns, query in stages:
            table = self.rows[columns].dropna()
            table = table[~table.duplicated(keep="first")]
            if not len(table):
                continue
            index = pd.MultiIndex.from_frame(table) if len(columns) > 1 else pd.Index(table[columns[0]])
            wanted = pd.MultiIndex.from_arrays(query) if len(columns) > 1 else pd.Index(query[0])
            found = index.get_indexer(wanted)
            rows = np.where(found >= 0, table.index.to_numpy()[np.maximum(found, 0)], -1)
            out = np.where(out < 0, rows, out)
        self.used[out[out >= 0]] = True
        return out


def category_map(path) -> dict[str, str]:
    """A `label,category` CSV (as `feecalc batch --category-map` reads it)."""
    try:
        return load_category_map(Path(path))
    except BatchError as exc:
        raise ReportError(f"--category-map: {exc}") from exc
