"""Checking what Amazon charged on an order line against the card: the shared part of the settlement and
transaction audits.

A line is an order item: its SKU, units, posted date, store, and the buyer's price, shipping and gift wrap for the
line.  The item is costed with its measurements (the fee preview's, else the catalog's) at the price per unit (the
line's price divided by its units, half up to the minor unit), on the posted date.  Then:

- the fulfilment fee is read per line (the amount is for all the units: what reports.md 3.3 recommends, L) and per
  unit (the amount is for each unit), each with and without the fuel surcharge, the packaging fee and the overmax
  handling fee (whether the charge includes them is not in the reference), and less the SIPP discount where the
  table gives the unit one (whether the unit is SIPP-certified is not in the report); a line of one unit has one
  quantity reading;
- the referral (and closing) fee is the fee per unit times the units, or, for a line of several units, the fee on
  the line's total (Amazon's rounding rule is NOT FOUND: either is accepted);
- a charge that agrees with no reading is charged above (or below) the card; when the other fee category's card
  gives the charge, the finding is the apparel fee category; for the referral fee, the categories whose fee is the
  charge are named.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from .amounts import minor_units, round_to_minor, to_decimal
from .context import Columns, Context, Rows
from .costing import (
    FULFILMENT_LINES,
    Costed,
    as_sipp,
    categories_charging,
    cost,
    explain_reading,
    fees_of,
    flipped,
    fulfilment_variants,
)
from .findings import (
    ABOVE,
    APPAREL,
    BELOW_KIND,
    CATEGORY_APPEAL,
    DISAGREE,
    DISAGREE_KIND,
    DISPUTE,
    NO_FIGURE,
    REMEASURE,
    UNAVAILABLE,
    Reading,
    action_for,
    choose,
    spread,
)

UNCOVERED = "cannot check: no fee table covers the date (listed as a finding)"


def check(lines: pd.DataFrame, ctx: Context, out: Rows, date_column: str,
          asin: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Check every line; returns (costed: the lines costed, error: why a line could not be costed (None: costed)),
    the error naming the file's `date_column` or the measurements' source where it is about them."""
    n = len(lines)
    if not n:
        return np.zeros(0, dtype=bool), np.zeros(0, dtype=object)
    meas = ctx.measurements.rows
    at = lines["measure"].to_numpy()
    step = minor_units(lines["currency"].to_numpy())
    quantity = lines["quantity"].to_numpy().astype(np.int64)
    unit = {k: round_to_minor(_half_up_div(lines[k].to_numpy(), quantity), step) for k in ("price", "shipping",
                                                                                            "gift_wrap")}
    base = pd.DataFrame({
        **{k: meas[k].to_numpy()[at] for k in ("length", "width", "height", "dimension_unit", "weight", "weight_unit",
                                                 "category")},
        "marketplace": lines["marketplace"].to_numpy(), "date": lines["day"].to_numpy()})
    items = base.assign(price=unit["price"], shipping=unit["shipping"], gift_wrap=unit["gift_wrap"])
    costed = cost(items)
    ok = costed.error == None  # noqa: E711
    error = costed.errors_named({"date": date_column, "price": "the price per unit",
                                 **{k: f"the measurements' {k}" for k in ("length", "width", "height", "weight",
                                                                          "dimension_unit", "weight_unit",
                                                                          "category")}})
    tol = ctx.tolerance_micro(n, quantity)
    charged = lines["charged"].to_numpy()
    fees = {k: costed.minor(k) * step for k in FULFILMENT_LINES + ("referral", "closing")}
    why = {k: costed.reason(k) for k in fees}
    avail = {k: ok & (why[k] == None) for k in fees}  # noqa: E711
    kind = lines["fee"].to_numpy()
    sipp = as_sipp(items) if (kind == "fulfillment").any() else None
    readings = _readings(lines, items, costed, fees, avail, quantity, step,
                         fees_of(sipp, step) if sipp is not None else None)
    pick, diff, any_ok = _choose_by_fee(kind, charged, readings, tol)
    need = {"fulfillment": avail["fulfillment"], "referral": avail["referral"], "closing": avail["closing"],
            "selling": avail["referral"] & avail["closing"]}
    missing = ok & ~np.select([kind == k for k in need], [need[k] for k in need], True)
    report = _Report(lines, ctx, costed, out, asin, quantity, Columns(lines), Columns(ctx.measurements.rows), sipp)
    for i in np.flatnonzero(missing).tolist():
        name = "referral" if kind[i] == "selling" and not avail["referral"][i] else \
            ("closing" if kind[i] == "selling" else kind[i])
        report.add(i, UNAVAILABLE, name, int(charged[i]), None, None, "", NO_FIGURE,
                   explanation=f"unavailable: {why[name][i]}")
    uncovered = costed.no_table
    for i in np.flatnonzero(uncovered).tolist():  # no fee table for the date: a figure unavailable, not bad input
        report.add(i, UNAVAILABLE, str(kind[i]), int(charged[i]), None, None, "", NO_FIGURE,
                   explanation=f"unavailable: {error[i]}")
    found = ok & ~missing & any_ok & (diff != 0)
    if found.any():
        _findings(report, lines, items, costed, readings, pick, diff, found, tol, step)
    return ok | uncovered, error


def _half_up_div(micro: np.ndarray, quantity: np.ndarray) -> np.ndarray:
    """micro / quantity, half up (away from zero), exact for int64."""
    q = np.maximum(quantity, 1)
    magnitude = (np.abs(micro) * 2 + q) // (2 * q)
    return np.where(micro < 0, -magnitude, magnitude)


def _readings(lines, items, costed, fees, avail, quantity, step, sipp=None) -> dict[str, list[Reading]]:
    """Per kind of fee, the readings of a charge, as the money each expects for the whole line; `sipp` the fees and
    availability of the items costed as SIPP units (a fulfilment charge less the SIPP discount)."""
    several = quantity > 1
    charged = lines["charged"].to_numpy()
    fulfilment = []
    for variant in fulfilment_variants(fees, avail, sipp):
        each, ok = variant.expected, variant.available
        per_line = each * quantity
        fulfilment.append(replace(variant, label=f"{variant.label}; per line: the amount is for all the units "
                                                 f"(reports.md 3.3, L)", expected=per_line))
        # per unit: the amount is each unit's fee; the line's money at stake is (charged - fee) x units
        per_unit = charged - (charged - each) * quantity
        fulfilment.append(replace(variant, label=f"{variant.label}; per unit: the amount is each unit's fee",
                                  expected=per_unit, available=ok & several, per_unit=True))
    referral = [Reading("the referral fee per unit x the units", fees["referral"] * quantity, avail["referral"])]
    selling = [Reading("the referral and closing fees per unit x the units",
                       (fees["referral"] + fees["closing"]) * quantity, avail["referral"] & avail["closing"])]
    if several.any():
        line_items = items.assign(price=lines["price"].to_numpy(), shipping=lines["shipping"].to_numpy(),
                                  gift_wrap=lines["gift_wrap"].to_numpy())
        whole = cost(line_items)
        w_ok = whole.error == None  # noqa: E711
        ref = whole.minor("referral") * step
        ref_ok = w_ok & (whole.reason("referral") == None) & several  # noqa: E711
        referral.append(Reading("the referral fee on the line's total", ref, ref_ok))
        selling.append(Reading("the referral fee on the line's total and the closing fee per unit x the units",
                               ref + fees["closing"] * quantity, ref_ok & avail["closing"]))
    closing = [Reading("the closing fee per unit x the units", fees["closing"] * quantity, avail["closing"])]
    return {"fulfillment": fulfilment, "referral": referral, "selling": selling, "closing": closing}


def _spread_by_fee(kind, charged, readings, tol):
    """Per line, the lowest and highest difference over its fee's readings, and which readings give them."""
    n = len(kind)
    out = [np.zeros(n, dtype=np.int64), np.zeros(n, dtype=np.intp), np.zeros(n, dtype=np.int64),
           np.zeros(n, dtype=np.intp)]
    for name, options in readings.items():
        rows = kind == name
        if rows.any():
            for k, values in enumerate(spread(charged, options, tol)):
                out[k] = np.where(rows, values, out[k])
    return out


def _choose_by_fee(kind, charged, readings, tol):
    n = len(kind)
    pick, diff, any_ok = np.zeros(n, dtype=np.intp), np.zeros(n, dtype=np.int64), np.zeros(n, dtype=bool)
    for name, options in readings.items():
        rows = kind == name
        if rows.any():
            p, d, a = choose(charged, options, tol)
            pick, diff, any_ok = np.where(rows, p, pick), np.where(rows, d, diff), np.where(rows, a, any_ok)
    return pick, diff, any_ok


@dataclass
class _Report:
    lines: pd.DataFrame
    ctx: Context
    costed: Costed
    out: Rows
    asin: np.ndarray | None
    quantity: np.ndarray
    cols: Columns
    meas: Columns
    sipp: Costed | None = None  # the items costed as SIPP units

    def add(self, i: int, kind: str, fee: str, amazon: int | None, feecalc: int | None, difference: int | None,
            reading: str | Reading, action: str, detail: str = "", explanation: str | None = None,
            stake: int | None | bool = True) -> None:
        """One finding of line i; `stake` the money at stake (micro-units; True: the difference)."""
        row = self.cols.row(i)
        meas = self.meas.row(int(row["measure"]))
        if explanation is None and isinstance(reading, Reading) and reading.parts:
            explanation = explain_reading(self.costed, self.sipp, i, reading)
        elif explanation is None:
            names = ("referral", "closing") if fee == "selling" else (fee,)
            explanation = "; ".join(self.costed.explain(i, name) for name in names)
        if isinstance(reading, Reading):
            reading = reading.label
        explanation += (f"; measurements {meas['length']:g} x {meas['width']:g} x {meas['height']:g} "
                        f"{meas['dimension_unit'] or ''}, {meas['weight']:g} {meas['weight_unit'] or ''} from "
                        f"{meas['source']}; price per unit: the line's {row['price_label']} / {self.quantity[i]}")
        q = int(self.quantity[i])
        shown = {"selling": "referral + closing"}.get(fee, fee)
        self.out.add(line=row["line"], sku=row["sku"], asin=meas["asin"] if self.asin is None else self.asin[i],
                     marketplace=row["marketplace"], date=str(row["day"])[:10], kind=kind,
                     fee=f"{shown} ({row['label']})",
                     currency=row["currency"], amazon=amazon, feecalc=feecalc, difference=difference, per=q, units=q,
                     stake=difference if stake is True else stake, no_stake=stake is None,
                     basis="the line's units" if difference is not None else "", reading=reading,
                     explanation=explanation, action=action, detail=detail)


def _findings(report: _Report, lines, items, costed, readings, pick, diff, found, tol, step) -> None:
    kind = lines["fee"].to_numpy()
    charged = lines["charged"].to_numpy()
    quantity = report.quantity
    low, low_pick, high, high_pick = _spread_by_fee(kind, charged, readings, tol)
    apparel_hits = np.zeros(len(lines), dtype=bool)
    fulfilment = found & (kind == "fulfillment")
    if fulfilment.any():
        other = flipped(items, costed)
        alt, alt_avail = fees_of(other, step, FULFILMENT_LINES + ("referral", "closing"))
        alt_readings = _readings(lines, items, other, alt, alt_avail, quantity, step)["fulfillment"]
        _, alt_diff, alt_any = choose(charged, alt_readings, tol)
        apparel_hits = fulfilment & alt_any & (np.abs(alt_diff) <= tol)
    referral_rows = np.flatnonzero(found & (kind == "referral") & (quantity == 1))
    charging = categories_charging(items, costed, referral_rows, charged // np.maximum(step, 1)) \
        if len(referral_rows) else np.full(len(lines), "", dtype=object)
    apparel = costed.take(costed.expected.apparel)
    category = items["category"].to_numpy()
    sources = report.ctx.measurements.rows["source"].astype(str)
    from_catalog = sources.str.startswith("the catalog").to_numpy(dtype=bool)[lines["measure"].to_numpy()]
    for i in np.flatnonzero(found).tolist():
        options = readings[kind[i]]
        reading = options[pick[i]]
        # feecalc's figure is the card's: per unit for a per-unit reading (Amazon's figure is then each unit's fee),
        # for all the units for a per-line one; the difference (for all the units) is the money at stake
        expected = int(charged[i] - diff[i] // quantity[i]) if reading.per_unit else int(charged[i] - diff[i])
        above = CATEGORY_APPEAL if apparel_hits[i] or charging[i] else (REMEASURE if from_catalog[i] and
                                                                        kind[i] == "fulfillment" else DISPUTE)
        action = action_for(ABOVE, diff[i:i + 1], tol[i:i + 1], above)[0]
        what = ABOVE if diff[i] > 0 else BELOW_KIND
        detail = ""
        if apparel_hits[i]:
            what = APPAREL
            detail = (f"the charge is {'the apparel' if apparel[i] == 0 else 'the non-apparel'} card's fee for these "
                      f"measurements; feecalc priced the item as {'non-apparel' if apparel[i] == 0 else 'apparel'} "
                      f"(its fee category, from the category {category[i]!r})")
        elif charging[i]:
            detail = (f"the charge is the referral fee of: {charging[i]}; feecalc's category: "
                      f"{category[i]}")
        elif from_catalog[i] and kind[i] == "fulfillment" and diff[i] > 0:
            detail = "the measurements are your catalog's: Amazon may have measured the unit larger"
        stake: int | None = int(diff[i])
        if low[i] < -tol[i] and high[i] > tol[i]:  # one reading above the card, another below: no dispute
            what, action, stake = DISAGREE_KIND, DISAGREE, None
            currency = report.lines["currency"].iat[i]
            up, down = to_decimal(int(high[i]), currency), to_decimal(-int(low[i]), currency)
            detail = (f"above the card by {currency} {up} for the line ({options[high_pick[i]].label}), the least of "
                      f"the readings above it; below it by {currency} {down} ({options[low_pick[i]].label}), the "
                      f"least of the readings below it" + (f"; {detail}" if detail else ""))
        name = "selling" if kind[i] == "selling" else kind[i]
        report.add(i, what, name, int(charged[i]), expected, int(diff[i]), reading, action, detail, stake=stake)
