"""What a catalog pays under the fee schedules of two dates, and why it changes (pure DataFrame function)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import numpy as np
import pandas as pd

from .frame import cost_frame
from .tables.schema import FEE_LINES

LINES = (*FEE_LINES, "total", "landed_total")
# The summary's totals: the removal and disposal fee is per unit removed, not per unit sold, so a catalog's sum of it
# (weighted by units sold) would mean nothing; it stays a column of the rows.
SUMMED = tuple(k for k in LINES if k != "removal_disposal")


def impact_frame(df: pd.DataFrame, date_from, date_to, marketplace: str = "US") -> pd.DataFrame:
    """Input columns, then per fee `<fee>_from`, `<fee>_to`, `<fee>_change`, tiers, tables, `why`, `error`."""
    a = cost_frame(df, on=date_from, marketplace=marketplace)
    b = cost_frame(df, on=date_to, marketplace=marketplace)
    out = {"size_tier_from": a["size_tier"], "size_tier_to": b["size_tier"],
           "fee_table_from": a["fee_table"], "fee_table_to": b["fee_table"],
           "currency": b["currency"].astype(object).where(b["currency"].notna(), a["currency"].astype(object))}
    for k in LINES:
        out[f"{k}_from"], out[f"{k}_to"] = a[k], b[k]
        out[f"{k}_change"] = b[k] - a[k]
    result = pd.DataFrame(out, index=df.index)
    result["why"] = _why(a, b)
    result["error"] = a["error"].where(a["error"].notna(), b["error"])
    kept = df.drop(columns=[c for c in result.columns if c in df.columns])
    full = pd.concat([kept, result], axis=1)
    full.attrs["fee_tables"] = {**a.attrs.get("fee_tables", {}), **b.attrs.get("fee_tables", {})}
    return full


def _why(a: pd.DataFrame, b: pd.DataFrame) -> pd.Series:
    """'size tier X -> Y; fulfillment 5.42 -> 5.61; ...' for the lines that changed (whole-column string ops)."""
    parts = []
    tier_a, tier_b = a["size_tier"].astype("string"), b["size_tier"].astype("string")
    changed = (tier_a != tier_b).fillna(False)
    parts.append(("size tier " + tier_a + " -> " + tier_b).where(changed))
    table_a, table_b = a["fee_table"].astype("string"), b["fee_table"].astype("string")
    for k in FEE_LINES:
        x, y = a[k].astype("string"), b[k].astype("string")
        moved = (x != y).fillna(False) | (x.isna() != y.isna())
        parts.append((k + " " + x.fillna("unavailable") + " -> " + y.fillna("unavailable")).where(moved))
    moved = (table_a != table_b).fillna(False)
    parts.append(("schedule " + table_a + " -> " + table_b).where(moved))
    text = pd.Series("", index=a.index, dtype="string")
    for part in parts:
        text = text + ("; " + part).fillna("")
    text = text.str.removeprefix("; ")
    return text.where(text != "", "no change")


UNITS = "monthly_units"
WEIGHTED = f"monthly, weighted by {UNITS}"


def impact_summary(result: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Totals per fee; change per size tier (the 'from' tier) and per category when there is one; for a file
    that mixes marketplaces, each per currency ('totals (GBP)'), since amounts in two currencies do not add.

    With a `monthly_units` column the totals are a month's: each row's per-unit amount times its units, rounded
    half up to the cent once per row, and the titles say so ('totals (monthly, weighted by monthly_units)').  A sum
    holds the rows whose amount is known; the rows where it is unavailable are counted beside it (a column shown
    when any is), not added as 0."""
    rows = result[result["error"].isna()]
    currencies = sorted(rows["currency"].dropna().unique()) if "currency" in rows else []
    if len(currencies) <= 1:
        return _summary(rows)
    out: dict[str, pd.DataFrame] = {}
    for cur in currencies:
        out |= {f"{title} ({cur})": table for title, table in _summary(rows[rows["currency"] == cur]).items()}
    return out


def _summary(rows: pd.DataFrame) -> dict[str, pd.DataFrame]:
    units = rows[UNITS].to_numpy(np.float64) if UNITS in rows.columns else None
    cents = {k: {side: _cents(rows[f"{k}_{side}"], units) for side in ("from", "to")} for k in SUMMED}
    change = {k: cents[k]["to"] - cents[k]["from"] for k in SUMMED}  # NaN where either is unavailable
    # each sum is of the rows where the amount is known; the rows where it is unavailable are counted beside it,
    # never added as 0 (a total with such rows is the known part only, and says how much is missing)
    totals = pd.DataFrame({"from": [_sum(cents[k]["from"]) for k in SUMMED],
                           "to": [_sum(cents[k]["to"]) for k in SUMMED],
                           "change": [_sum(change[k]) for k in SUMMED],
                           "rows unavailable (from)": [_unknown(cents[k]["from"]) for k in SUMMED],
                           "rows unavailable (to)": [_unknown(cents[k]["to"]) for k in SUMMED],
                           "rows unavailable (change)": [_unknown(change[k]) for k in SUMMED]}, index=list(SUMMED))
    totals = _without_empty_counts(totals)
    weighted = f" ({WEIGHTED})" if units is not None else ""
    out = {f"totals{weighted}": totals}
    for by, column in (("size tier", "size_tier_from"), ("category", "category")):
        if column in rows.columns and len(rows):
            keys = rows[column].astype(str).to_numpy()
            groups = sorted(set(keys.tolist()))
            sums = [_sum(change["total"][keys == key]) for key in groups]
            sizes = [int((keys == key).sum()) for key in groups]
            unknown = [_unknown(change["total"][keys == key]) for key in groups]
            known = [n - u for n, u in zip(sizes, unknown, strict=True)]
            out[f"{by}{weighted}"] = pd.DataFrame({
                "rows": sizes, "rows unavailable": unknown, "total change": sums,
                "average change": [(v / n).quantize(CENT, ROUND_HALF_UP) if n else None
                                   for v, n in zip(sums, known, strict=True)]},
                index=groups).pipe(_without_empty_counts)
    return out


CENT = Decimal("0.01")


def _cents(amounts: pd.Series, units: np.ndarray | None) -> np.ndarray:
    """Per row: the amount in cents (NaN where unavailable); with units, amount x units rounded half up to the cent
    (half towards +infinity: the one negative line, the SIPP discount, rounds half towards zero)."""
    cents = np.rint(amounts.astype("float64").to_numpy(np.float64, na_value=np.nan) * 100)
    return cents if units is None else np.floor(cents * units + 0.5)


def _sum(cents: np.ndarray) -> Decimal:
    """The exact sum of the known cents, as an amount."""
    return Decimal(int(np.nansum(cents))).scaleb(-2)


def _without_empty_counts(table: pd.DataFrame) -> pd.DataFrame:
    """The table without its 'rows unavailable' columns where every count is 0 (nothing is missing from its sums)."""
    empty = [c for c in table.columns if c.startswith("rows unavailable") and not table[c].any()]
    return table.drop(columns=empty)


def _unknown(cents: np.ndarray) -> int:
    """How many rows' amounts are unavailable (left out of the sum beside it)."""
    return int(np.isnan(cents).sum())
