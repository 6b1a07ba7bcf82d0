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
from .amounts import nones
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
    headers = [str(h) for h in source.headers]
    if not chunks:
        raise ReportError(f"--catalog: {shown} has no rows under its header")
    chunk = pd.concat(chunks, ignore_index=True) if len(chunks) != 1 else chunks[0].reset_index(drop=True)
    normal = [normalize(h) for h in headers]
    sku_col = next((h for h, n in zip(headers, normal, strict=True) if n in SKU_NAMES), None)
    asin_col = next((h for h, n in zip(headers, normal, strict=True) if n in ASIN_NAMES), None)
    units_col = next((h for h, n in zip(headers, normal, strict=True) if n in UNITS_NAMES), None)
    mapping = match_columns(headers)
    missing = [f for f in ("length", "width", "height", "weight") if f not in mapping.columns]
    if (sku_col is None and asin_col is None) or missing:
        what = "sku or asin column" if sku_col is None and asin_col is None else f"column(s) {', '.join(missing)}"
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
    return nones(text.where(text.notna() & (text != ""), None))


def _column(frame: pd.DataFrame, name: str, n: int) -> np.ndarray:
    if name not in frame.columns:
        return np.full(n, None, dtype=object)
    return np.asarray(frame[name].to_numpy(), dtype=object)


CONFLICT = "cannot check: the measurements' file gives this SKU (or ASIN) different measurements on two or more lines"
MEASURES = ("length", "width", "height", "dimension_unit", "weight", "weight_unit", "category")


def origin_of(source: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """(the file, the line) of each `source` ('the fee preview fp.txt, line 7' -> 'the fee preview fp.txt', 'line
    7')."""
    parts = source.astype(str).str.rsplit(", ", n=1, expand=True)
    where = parts[1] if parts.shape[1] > 1 else pd.Series([""] * len(source))
    return parts[0].to_numpy(dtype=object), where.fillna("").to_numpy(dtype=object)


def conflicts(rows: pd.DataFrame, columns: list[str]) -> np.ndarray:
    """Per row, where its key (`columns`) is given different measurements or categories by the same file, the text
    that says so ('the fee preview fp.txt gives this SKU different measurements (lines 7, 8)'); None elsewhere.
    Computed per distinct key: no row of such a key may stand for the others."""
    out = np.full(len(rows), None, dtype=object)
    given = rows[columns].notna().all(axis=1).to_numpy()
    if not given.any():
        return out
    sub = rows[given]
    origin, where = origin_of(sub["source"])
    frame = pd.DataFrame({**{c: sub[c].to_numpy() for c in columns}, "origin": origin,
                          **{m: sub[m].to_numpy() for m in MEASURES}})
    group = frame.groupby(columns + ["origin"], sort=False, dropna=False).ngroup().to_numpy()
    kinds = frame.drop_duplicates().groupby(columns + ["origin"], sort=False, dropna=False).ngroup()
    many = np.bincount(kinds.to_numpy(), minlength=group.max() + 1)
    # ngroup numbers groups in order of first appearance in both frames, so the numbers agree
    bad = many[group] > 1
    text = np.full(len(sub), None, dtype=object)
    what = "ASIN" if columns == ["asin"] else "SKU"
    for g in np.unique(group[bad]).tolist():
        at = group == g
        lines = ", ".join(str(w).split(" ")[-1] for w in where[at])
        noun = "sheet rows" if str(where[at][0]).startswith("sheet row") else "lines"
        text[at] = f"{origin[at][0]} gives this {what} different measurements ({noun} {lines})"
    out[np.flatnonzero(given)] = text
    return out


def catalog_conflicts(rows: pd.DataFrame) -> np.ndarray:
    """Per catalog row, the conflict its SKU (or, for a row without one, its ASIN) is part of (None: none)."""
    by_sku = conflicts(rows, ["sku"])
    by_asin = conflicts(rows, ["asin"])
    return np.where((by_sku == None) & rows["sku"].isna().to_numpy(), by_asin, by_sku)  # noqa: E711


class Measurements:
    """Every source of measurements, the fee preview's rows first: looked up by (SKU, marketplace), then SKU, then
    ASIN, once per distinct key.  A key that the first file to name it gives different measurements (two fee preview
    rows of one SKU) is a conflict: no row stands for it (`lookup` says so), never silently the first."""

    def __init__(self, parts: list[pd.DataFrame]):
        parts = [p[list(FIELDS)] for p in parts if len(p)]
        self.rows = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=list(FIELDS))
        self.used = np.zeros(len(self.rows), dtype=bool)
        self.conflicted = np.full(len(self.rows), None, dtype=object)  # per row: the conflict it is part of
        self.texts: list[str] = []  # the conflicts found, coded -2 - k by lookup

    def __len__(self) -> int:
        return len(self.rows)

    def lookup(self, sku: np.ndarray | None, market: np.ndarray | None, asin: np.ndarray | None = None) -> np.ndarray:
        """Index of each query's measurements (-1: none; -2 - k: a conflict, `conflict` says which), and marks
        them used (every row of the key in that file, where they are equal)."""
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
        origin, _ = origin_of(self.rows["source"])
        for columns, query in stages:
            table = self.rows[columns].dropna()
            if not len(table):
                continue
            clash = conflicts(self.rows, columns)
            group = pd.DataFrame({**{c: table[c] for c in columns}, "o": origin[table.index]}).groupby(
                columns + ["o"], sort=False, dropna=False).ngroup().to_numpy()
            first = table[~table.duplicated(keep="first")]
            index = pd.MultiIndex.from_frame(first) if len(columns) > 1 else pd.Index(first[columns[0]])
            wanted = pd.MultiIndex.from_arrays(query) if len(columns) > 1 else pd.Index(query[0])
            found = index.get_indexer(wanted)
            rows = np.where(found >= 0, first.index.to_numpy()[np.maximum(found, 0)], -1)
            hit = np.unique(rows[rows >= 0])
            bad = hit[clash[hit] != None]  # noqa: E711
            code = {}
            for r in bad.tolist():
                if clash[r] not in self.texts:
                    self.texts.append(clash[r])
                code[r] = -2 - self.texts.index(clash[r])
                self.conflicted[np.flatnonzero(clash == clash[r])] = clash[r]
            if code:
                rows = pd.Series(rows).replace(code).to_numpy(dtype=np.intp)
            good = hit[clash[hit] == None]  # noqa: E711
            position = np.flatnonzero(np.isin(table.index.to_numpy(), good))
            self.used[table.index.to_numpy()[np.isin(group, group[position])]] = True
            out = np.where(out == -1, rows, out)
        return out

    def conflict(self, index: np.ndarray) -> np.ndarray:
        """The conflict text of each index `lookup` gave (None where it is none)."""
        texts = np.array([*self.texts, None], dtype=object)
        k = -2 - np.asarray(index)
        return texts[np.where(k >= 0, k, len(self.texts))]


def category_map(path) -> dict[str, str]:
    """A `label,category` CSV (as `feecalc batch --category-map` reads it)."""
    try:
        return load_category_map(Path(path))
    except BatchError as exc:
        raise ReportError(f"--category-map: {exc}") from exc
