"""Your catalog's measurements against Amazon's (issue 15, point 2): where the seller's own sides and weight give a
cheaper fulfilment fee (a smaller tier or a lighter band) than Amazon's measured ones, the unit is a candidate for a
re-measurement request.  Both figures are feecalc's, from the same engine, for the fee preview's price, category,
store and date; only the measurements differ.  The fee compared is the fulfilment fee with the fuel surcharge, the
packaging fee and the overmax handling fee (what the unit pays per order for its size and weight).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .amounts import minor_units
from .context import Columns, Context, Rows
from .costing import cost
from .findings import CATALOG, REMEASURE, WITHIN
from .measurements import catalog_conflicts

LINES = ("fulfillment", "fuel_surcharge", "packaging", "overmax_handling")  # what the size and weight set per unit


def compare(preview_rows: pd.DataFrame, catalog_rows: pd.DataFrame, ctx: Context, file: str) -> tuple[pd.DataFrame,
                                                                                                      np.ndarray]:
    """Findings for the fee preview rows whose SKU (or ASIN) is in the catalog; and which catalog rows were compared."""
    out = Rows(file)
    used = np.zeros(len(catalog_rows), dtype=bool)
    if not len(preview_rows) or not len(catalog_rows):
        return out.frame(), used
    clash = catalog_conflicts(catalog_rows) != None  # noqa: E711  (a SKU given two measurements stands for none)
    by_sku = first_index(catalog_rows["sku"].where(~clash), preview_rows["sku"])
    at = np.where(by_sku >= 0, by_sku, first_index(catalog_rows["asin"].where(~clash), preview_rows["asin"]))
    pairs = np.flatnonzero(at >= 0)
    if not len(pairs):
        return out.frame(), used
    used[at[pairs]] = True
    for key in ("sku", "asin"):  # a row equal to the one compared (the same SKU again, same measurements) is used too
        keys = catalog_rows[key]
        used |= keys.isin(keys[used].dropna()).to_numpy() & keys.notna().to_numpy()
    amazon = preview_rows.iloc[pairs].reset_index(drop=True)
    mine = catalog_rows.iloc[at[pairs]].reset_index(drop=True)
    common = {"price": amazon["price"].to_numpy(), "category": amazon["category"].to_numpy(),
              "marketplace": amazon["marketplace"].to_numpy(), "date": np.datetime64(ctx.day, "D")}
    sides = ("length", "width", "height", "dimension_unit", "weight", "weight_unit")
    theirs = cost(pd.DataFrame({**common, **{k: amazon[k].to_numpy() for k in sides}}))
    ours = cost(pd.DataFrame({**common, **{k: mine[k].to_numpy() for k in sides}}))
    step = minor_units(amazon["currency"].to_numpy())
    ok = (theirs.error == None) & (ours.error == None)  # noqa: E711
    for name in LINES:
        ok &= (theirs.reason(name) == None) & (ours.reason(name) == None)  # noqa: E711
    fee_a = np.sum([theirs.minor(k) for k in LINES], axis=0) * step
    fee_c = np.sum([ours.minor(k) for k in LINES], axis=0) * step
    diff = fee_a - fee_c
    tier_a, tier_c = theirs.take(theirs.expected.tier), ours.take(ours.expected.tier)
    tol = ctx.tolerance_micro(len(amazon))
    theirs_cols, mine_cols = Columns(amazon), Columns(mine)
    for i in np.flatnonzero(ok & (diff > 0)).tolist():
        row, cat = theirs_cols.row(i), mine_cols.row(i)
        units, basis = ctx.units.of(row["sku"])
        out.add(line=row["line"], sku=row["sku"], asin=row["asin"], marketplace=row["marketplace"], date=str(ctx.day),
                kind=CATALOG, fee=" + ".join(LINES), currency=row["currency"],
                amazon=int(fee_a[i]), feecalc=int(fee_c[i]), difference=int(diff[i]), units=units, basis=basis,
                reading="both figures are feecalc's: on Amazon's measurements (the fee preview) and on yours (the "
                        "catalog)",
                explanation=f"Amazon's measurements: {ours_text(row)}: {_explained(theirs, i)}; yours: "
                            f"{ours_text(cat)}: {_explained(ours, i)}",
                action=WITHIN if diff[i] <= tol[i] else REMEASURE,
                detail=f"tier on Amazon's measurements {tier_a[i]}, on yours {tier_c[i]}; your measurements are from "
                       f"{cat['source']}")
    return out.frame(), used


def ours_text(row) -> str:
    """'10 x 6 x 3 in, 1.2 lb' of a measurements row (units as given; the table's own where none is)."""
    dim = row["dimension_unit"] or "(the table's unit)"
    weight = row["weight_unit"] or "(the table's unit)"
    return f"{row['length']:g} x {row['width']:g} x {row['height']:g} {dim}, {row['weight']:g} {weight}"


def first_index(keys: pd.Series, query: pd.Series) -> np.ndarray:
    """Per query value, the position of its first equal key (-1: none; empty keys match nothing)."""
    given = keys[keys.notna()]
    given = given[~given.duplicated(keep="first")]
    if not len(given):
        return np.full(len(query), -1)
    found = pd.Index(given.to_numpy(dtype=object)).get_indexer(query.to_numpy(dtype=object))
    return np.where(found >= 0, given.index.to_numpy()[np.maximum(found, 0)], -1)


def _explained(costed, i: int) -> str:
    """The fulfilment fee's explanation, and the overmax handling fee's where the unit pays one."""
    names = ("fulfillment", "overmax_handling") if costed.minor("overmax_handling")[i] else ("fulfillment",)
    return costed.explain_all(i, names)
