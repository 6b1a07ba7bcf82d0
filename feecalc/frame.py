"""`cost_frame`: a DataFrame of items in, the same rows with their fees out (pure function).

Rows keep their order and count; a bad row gets its message in `error` and no fees.  Fee
columns are exact decimals (Arrow decimal128 with 2 places, whatever the rows' currencies: whole yen
are 1234.00, so a frame mixing USD and JPY rows is exact, and the columns' type never depends on the
rows, as Dask and Parquet datasets need; `currency` says each row's), null where not costed or where
the figure is unavailable for the date (the reason is in `warnings`).
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from .engine import LANDED_LINES, TOTAL_LINES, distinct_warnings, evaluate
from .errors import InvalidItem
from .inputs import as_date, prepare
from .money import cents_to_series, to_money_scale
from .spec import INPUTS, REQUIRED
from .tables.schema import FEE_LINES, TIER_NAMES

OUTPUT_COLUMNS = ("size_tier", "dimensional_weight", "shipping_weight", *FEE_LINES, "total", "landed_total",
                  "currency", "fee_table", "warnings", "error")
# Columns only given when asked for (`extra=`), after the others: what the profit layer needs of the engine.
EXTRA_COLUMNS = {
    "vat_in_price": "VAT contained in the VAT-inclusive total sales price (0.00 where the store's table has no VAT)",
    "dsf_on_selling_fees": "the part of the Digital Services Fee charged on the selling fees alone (referral, "
                           "closing, per-item): what a sale shipped by the seller pays",
    "reasons": "per fee line, `unavailable_<fee>`: why it is unavailable (None where it is available)",
}


def cost_frame(df: pd.DataFrame, on=None, marketplace: str = "US", extra: tuple[str, ...] = ()) -> pd.DataFrame:
    """Cost every row of `df` (columns named like `quote`'s arguments) on date `on` (default today).

    Optional per-row `marketplace` and `date` columns override the arguments.  Input columns whose
    names clash with output columns are replaced by the output.  `extra` asks for more columns
    (EXTRA_COLUMNS); without it the output is exactly OUTPUT_COLUMNS after the input's.
    """
    unknown = [k for k in extra if k not in EXTRA_COLUMNS]
    if unknown:
        raise ValueError(f"cost_frame: unknown extra column {unknown[0]!r} (known: {', '.join(EXTRA_COLUMNS)})")
    n = len(df)
    _check_required(df)
    cols = {name: _values(df[name]) for name in INPUTS if name in df.columns}
    groups, probs = prepare(cols, n, as_date(on), marketplace) if n else ([], None)

    tier = np.full(n, -1, dtype=np.int16)
    dim_w, ship_w = np.full(n, np.nan), np.full(n, np.nan)
    # a line that is 0.00 on every costed row (one whose input no row gives) keeps no arrays of its own
    cents: dict[str, np.ndarray | None] = dict.fromkeys(FEE_LINES)
    valid: dict[str, np.ndarray | None] = dict.fromkeys(FEE_LINES)
    costed = np.zeros(n, dtype=bool)
    table = np.full(n, -1, dtype=np.int16)
    warnings = np.full(n, -1, dtype=np.int32)
    texts: dict[str, int] = {}
    more = _Extra(n, extra)
    table_ids: list[str] = []
    currencies: list[str] = []  # per table id
    hashes: dict[str, str] = {}
    for group, rows, items, notes in _chunks(groups, n):
        c, r = group.table, evaluate(group.table, items)
        tier[rows] = np.array([TIER_NAMES.index(t) for t in c.tier_names], dtype=np.int16)[r.tier]
        dim_w[rows], ship_w[rows] = r.dim_weight, r.ship_weight
        costed[rows] = True
        for k in FEE_LINES:
            line, amounts, known = r.lines[k], cents[k], valid[k]
            if amounts is None or known is None:
                if not line.cents.any() and line.reason.max(initial=-1) < 0:
                    continue
                amounts, known = np.zeros(n, dtype=np.int64), costed.copy()  # earlier rows: 0.00, as costed
                cents[k], valid[k] = amounts, known
            amounts[rows] = to_money_scale(line.cents, c.currency)  # minor units -> hundredths (yen x 100)
            known[rows] = line.reason < 0
        if c.id not in hashes:
            table_ids.append(c.id)
            currencies.append(c.currency)
            hashes[c.id] = c.info.sha256
        table[rows] = table_ids.index(c.id)
        warnings[rows] = _warning_codes(c, r, texts, notes)
        more.add(c, r, rows)

    zero_c = np.zeros(n, dtype=np.int64)
    fee_c = {k: zero_c if v is None else v for k, v in cents.items()}
    fee_ok = {k: costed if v is None else v for k, v in valid.items()}
    total, total_ok = _add_up(fee_c, fee_ok, TOTAL_LINES, n)
    landed, landed_ok = _add_up(fee_c, fee_ok, LANDED_LINES, n)
    landed += total
    landed_ok &= total_ok
    index = df.index
    zero = cents_to_series(zero_c, costed, index) if any(v is None for v in cents.values()) else None
    out = {
        "size_tier": pd.Categorical.from_codes(tier, categories=list(TIER_NAMES)),
        "dimensional_weight": dim_w, "shipping_weight": ship_w,
        **{k: zero if cents[k] is None else cents_to_series(fee_c[k], fee_ok[k], index) for k in FEE_LINES},
        "total": cents_to_series(total, total_ok, index),
        "landed_total": cents_to_series(landed, landed_ok, index),
        "currency": _currency(table, currencies),
        "fee_table": pd.Categorical.from_codes(table, categories=table_ids or ["none"]),
        "warnings": pd.Categorical.from_codes(warnings, categories=list(texts)),
        "error": probs.text if probs is not None else np.full(0, None, dtype=object),
    }
    out.update(more.columns(index))
    result = pd.DataFrame({k: (v.array if isinstance(v, pd.Series) else v) for k, v in out.items()}, index=index)
    kept = df.drop(columns=[c for c in OUTPUT_COLUMNS if c in df.columns])
    out = pd.concat([kept, result], axis=1)
    out.attrs["fee_tables"] = hashes  # table id -> its hash (file chained with its parents'), to reproduce the costing
    return out


def _add_up(cents: dict[str, np.ndarray], valid: dict[str, np.ndarray], lines: tuple[str, ...],
            n: int) -> tuple[np.ndarray, np.ndarray]:
    """The sum of some fee lines per row, and where every one of them is available (in place, line by line: no
    stacked copy of the columns)."""
    total, ok = np.zeros(n, dtype=np.int64), np.ones(n, dtype=bool)
    for k in lines:
        total += cents[k]
        ok &= valid[k]
    return total, ok


def _check_required(df: pd.DataFrame) -> None:
    """InvalidItem naming a required column the frame lacks, the columns it has, and one that differs from the name
    only in case, spaces or punctuation ('Price ' for price), which is most often the mistake."""
    names = [str(c) for c in df.columns]
    for name in REQUIRED:
        if name in df.columns:
            continue
        near = [c for c in names if re.sub(r"[^0-9a-z]", "", c.casefold()) == name.replace("_", "")]
        hint = f"; {near[0]!r} differs from it only in case or spaces: rename it" if near else ""
        shown = ", ".join(map(repr, names[:30])) + (f" and {len(names) - 30} more" if len(names) > 30 else "")
        raise InvalidItem(name, None, "is required", message=f"{name}: is required, but the frame has no column "
                          f"named {name!r}{hint} (its columns: {shown or 'none'})")


class _Extra:
    """The extra columns asked of `cost_frame`, filled chunk by chunk (reason texts once per distinct reason)."""

    def __init__(self, n: int, names: tuple[str, ...]):
        self.names = names
        self.vat = np.zeros(n, dtype=np.int64)
        self.dsf = np.zeros(n, dtype=np.int64)
        self.costed = np.zeros(n, dtype=bool)
        self.dsf_ok = np.zeros(n, dtype=bool)
        self.why = {k: np.full(n, None, dtype=object) for k in FEE_LINES} if "reasons" in names else {}

    def add(self, table, result, rows) -> None:
        if not self.names:
            return
        self.costed[rows] = True
        self.vat[rows] = to_money_scale(result.vat_c, table.currency)  # in the money columns' units, as the fees
        self.dsf[rows] = to_money_scale(result.dsf.selling.cents, table.currency)
        self.dsf_ok[rows] = result.dsf.selling.reason < 0
        for k, ids in result.reason.items():
            if k in self.why and (ids >= 0).any():
                self.why[k][rows] = np.array([*table.messages, None], dtype=object)[ids]

    def columns(self, index: pd.Index) -> dict:
        out: dict = {}
        if "vat_in_price" in self.names:
            out["vat_in_price"] = cents_to_series(self.vat, self.costed, index)
        if "dsf_on_selling_fees" in self.names:
            out["dsf_on_selling_fees"] = cents_to_series(self.dsf, self.costed & self.dsf_ok, index)
        out.update({f"unavailable_{k}": v for k, v in self.why.items()})
        return out


def _currency(table: np.ndarray, currencies: list[str]) -> pd.Categorical:
    """Each row's currency, its fee table's (null where no table costed it): a file may mix marketplaces."""
    names = list(dict.fromkeys(currencies)) or ["none"]
    codes = np.array([names.index(c) for c in currencies] + [-1], dtype=np.int16)[table]
    return pd.Categorical.from_codes(codes, categories=names)


CHUNK = 1 << 16  # rows per engine call: bounds the engine's temporary arrays (about 25 MB)


def _chunks(groups, n: int):
    """(group, output rows, items, the rows' input notes or None) in chunks of at most CHUNK rows."""
    for group in groups:
        m = len(group.items.price_c)
        for lo in range(0, m, CHUNK):
            part = slice(lo, min(lo + CHUNK, m))
            rows = part if group.rows is None else group.rows[part]
            items = group.items if m <= CHUNK else type(group.items)(
                **{k: v[part] for k, v in vars(group.items).items()})
            yield group, rows, items, None if group.notes is None else group.notes[part]


def _values(column: pd.Series):
    """numpy array for numpy dtypes; the extension array itself (categorical, Arrow) otherwise."""
    return column.to_numpy() if isinstance(column.dtype, np.dtype) else column.array


def _warning_codes(c, r, texts: dict[str, int], notes: np.ndarray | None = None) -> np.ndarray:
    """Per-row codes into `texts` (grown here): warnings built once per distinct row signature, each row's input
    note (a category read from a product group) first, once per distinct (note, warnings) pair."""
    codes, distinct = distinct_warnings(c, r)
    local = np.empty(len(distinct), dtype=np.int32)
    for u, ids in enumerate(distinct):
        text = "; ".join(c.messages[m] for m in ids)
        local[u] = texts.setdefault(text, len(texts)) if text else -1
    out = local[codes]
    if notes is None:
        return out
    noted = np.flatnonzero(notes != None)  # noqa: E711
    if len(noted):
        pairs, uniques = pd.factorize(pd.Series(out[noted]).astype(str) + "\x00" + pd.Series(notes[noted]))
        listed = list(texts)
        combined = []
        for key in uniques:
            code, note = key.split("\x00", 1)
            text = note if code == "-1" else f"{note}; {listed[int(code)]}"
            combined.append(texts.setdefault(text, len(texts)))
        out[noted] = np.array(combined, dtype=np.int32)[pairs]
    return out
