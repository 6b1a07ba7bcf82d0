"""The monthly storage fee report (GET_FBA_STORAGE_FEE_CHARGES_DATA; reports.md 4), both header versions: each row's
fee recomputed from its volume, size tier, month and the rate card, and the rate and the volume checked.

Each row (an ASIN in one fulfilment centre for one month) is costed by the engine on its own sides and weight, on
the first day of `month_of_charge`: that gives its size tier and storage class, feecalc's unit volume, and the rate
per cubic foot (or cubic metre) of the month for that class (the compiled table's own figure, as the engine chose
it).  Then:

- the rate: `storage_rate` (the 2022 header) or `base_rate` (from April 2024) against feecalc's rate; where the
  report has the storage utilization surcharge block and the row's ratio is in weeks, `utilization_surcharge_rate`
  against feecalc's surcharge for that ratio (the block's meaning is L in reports.md 4.3);
- the fee: `estimated_monthly_storage_fee` (half up to the minor unit: the report prints four places) against
  `estimated_total_item_volume` x feecalc's rate (plus `est_vol_for_sus` x the surcharge rate), each rounded once,
  half up, as every storage line; where the rate differs, that one finding carries the fee's difference;
- the volume: `item_volume` against the volume of the printed sides, which, printed to two places, allow a range:
  outside it, the volume differs from the sides (re-measurement request), its money being feecalc's rate on the
  excess times the units on hand;
- the tier: `product_size_tier` against feecalc's storage class (reports.md 9: `Standard-Size` is the only value
  seen; others are not compared).

The report has no category and no price: the storage rates of a table that sets no apparel storage class and no
tier by category do not depend on them, so such rows are costed with the table's first category and no price, and
said so; where the table does depend on the category, the row takes the fee preview's or the catalog's (by ASIN)
or is unmatched.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import numpy as np
import pandas as pd

from ..engine import compiled_table
from ..errors import NoFeeTable
from ..fees.base import EPOCH, per_volume
from ..numbers import parse_numbers
from ..tables import table_for
from ..units import LENGTH_UNITS
from .amounts import decimal_symbol, minor_units, nones, read_amounts, round_to_minor
from .charges import UNCOVERED
from .context import Context, Rows
from .costing import cost, market_of_currency, named_field
from .findings import (
    BELOW,
    DISPUTE,
    NO_FIGURE,
    REMEASURE,
    STORAGE_FEE,
    STORAGE_RATE,
    STORAGE_VOLUME,
    TIER,
    UNAVAILABLE,
    action_for,
)
from .ledger import NONE, Ledger
from .recognise import Report
from .tiers import compare_tiers

VOLUME_UNITS = {"cubicfeet": "ft", "cubicfoot": "ft", "cuft": "ft", "ft3": "ft", "cubicmeters": "m",
                "cubicmetres": "m", "cubicmeter": "m", "cubicmetre": "m", "m3": "m", "cubiccentimeters": "cm",
                "cubiccentimetres": "cm", "cm3": "cm"}
SIDE_PLACES = 2  # the report prints sides to two places (reports.md 4.4's row): each side is known to +-0.005


def audit(report: Report, ctx: Context) -> tuple[pd.DataFrame, Ledger]:
    n = len(report)
    ledger = Ledger(report.name, report.kind, report.variant, report.line, report.table, report.header)
    money = [c for c in ("storage_rate", "base_rate", "utilization_surcharge_rate", "estimated_monthly_storage_fee",
                         "est_base_msf", "est_sus") if report.has(c)]
    decimal = decimal_symbol([report.text(c) for c in money])
    locale = "de_DE" if decimal == "," else "en_US"
    ledger.notes.append(f"amounts read with {'a decimal comma' if decimal == ',' else 'a decimal point'}")
    read = {c: read_amounts(report.text(c), decimal) for c in money}
    currency = pd.Series(report.values("currency"), dtype="string").str.strip().str.upper()
    currency = nones(currency.where(currency.notna() & (currency != ""), None))
    fee = read["estimated_monthly_storage_fee"]
    ledger.amounts(fee.micro, fee.given, currency)
    ledger.assign(report.blank, True, "blank line")
    number = {c: parse_numbers(report.text(c).to_pandas(), locale) for c in (
        "longest_side", "median_side", "shortest_side", "weight", "item_volume", "estimated_total_item_volume",
        "average_quantity_on_hand", "storage_utilization_ratio", "est_vol_for_sus") if report.has(c)}
    for c in ("longest_side", "median_side", "shortest_side", "weight", "estimated_total_item_volume"):
        values, bad = number[c]
        ledger.assign(bad | np.isnan(values), False, f"cannot read {c}")
    rate_column = "storage_rate" if report.has("storage_rate") else "base_rate"
    for c in money:
        ledger.assign(read[c].bad, False, f"cannot read {c}")
    ledger.assign(~fee.given, False, "no estimated_monthly_storage_fee")
    ledger.assign(~read[rate_column].given if rate_column in read else np.ones(n, dtype=bool), False,
                  f"no {rate_column}")
    day, _ = _months(report)
    ledger.assign(day < 0, False, "cannot read month_of_charge")
    country = pd.Series(report.values("country_code"), dtype="string").str.strip().str.upper()
    market = np.where(country.notna() & (country != ""), country.replace({"GB": "UK"}).astype(object).to_numpy(),
                      market_of_currency(currency))
    market = np.where(pd.isna(market), NONE, market)
    ledger.assign(market == None, False, "no store: country_code is empty and the currency names no one store")  # noqa: E711
    unit = _volume_units(report.values("volume_units"))
    ledger.assign(unit == None, False, "volume_units names no volume unit feecalc knows")  # noqa: E711
    out = Rows(report.name)
    go = np.flatnonzero(ledger.open)
    if len(go):
        _check(report, ctx, go, number, read, currency, market, day, unit, rate_column, ledger, out)
    ledger.drop(report.blank)
    ledger.add_unreadable(report.unreadable, report.delimiter)
    return out.frame(), ledger.done()


def _months(report: Report) -> tuple[np.ndarray, np.ndarray]:
    """The first day of each row's `month_of_charge` (YYYY-MM), -1 where it is not one."""
    text = pd.Series(report.values("month_of_charge"), dtype="string").str.strip()
    ok = text.str.fullmatch(r"[0-9]{4}-[0-9]{1,2}").fillna(False).to_numpy(dtype=bool)
    days = pd.to_datetime(text.where(ok, None) + "-01", format="%Y-%m-%d", errors="coerce")
    out = np.where(days.isna(), -1, (days.to_numpy(dtype="datetime64[D]").astype(np.int64)))
    return out.astype(np.int64), out >= 0


def _volume_units(values: np.ndarray) -> np.ndarray:
    from ..columns import normalize

    codes, uniques = pd.factorize(pd.Series(values, dtype=object), use_na_sentinel=False)
    return np.array([VOLUME_UNITS.get(normalize(u)) if isinstance(u, str) else None for u in uniques] + [None],
                    dtype=object)[codes]


def _placeholder_category(market: str, day: int) -> tuple[str | None, str | None]:
    """(the category a row without one is costed with, or why there is none): the table's first, where nothing of
    storage depends on the category."""
    try:
        table = compiled_table(table_for(market, EPOCH + dt.timedelta(days=int(day))))
    except NoFeeTable as exc:
        return None, str(exc)
    if table.storage.has_apparel or table.size_tier.limited:
        return None, None
    return table.frame.categories.keys[0], None


def _check(report: Report, ctx: Context, go: np.ndarray, number, read, currency, market, day, unit, rate_column,
           ledger: Ledger, out: Rows) -> None:
    n = len(report)
    asin = pd.Series(report.values("asin"), dtype="string").str.strip().astype(object).to_numpy()
    measure = ctx.measurements.lookup(None, None, asin[go])
    known = np.full(len(go), None, dtype=object)
    has = measure >= 0
    known[has] = ctx.measurements.rows["category"].to_numpy()[measure[has]]
    keys = pd.DataFrame({"m": market[go], "d": day[go]})
    distinct = keys.drop_duplicates()
    found = [_placeholder_category(m, d) for m, d in distinct.itertuples(index=False)]  # per distinct store and month
    distinct = distinct.assign(c=[c for c, _ in found], why=[w for _, w in found])
    looked = keys.merge(distinct, on=["m", "d"], how="left")
    stand_in, no_table = looked["c"].to_numpy(dtype=object), looked["why"].to_numpy(dtype=object)
    category = np.where(pd.notna(known), known, stand_in)
    uncovered = np.zeros(n, dtype=bool)
    uncovered[go[pd.notna(no_table) & pd.isna(known)]] = True
    why = np.full(n, None, dtype=object)
    why[go] = no_table
    _unavailable(report, out, uncovered, why, currency, market, day, read, ledger)
    missing = np.zeros(n, dtype=bool)
    missing[go[pd.isna(category)]] = True
    ledger.assign(missing, False, "the storage rate depends on the category here, and no fee preview or catalog row "
                  "has this ASIN")
    keep = ~pd.isna(category)
    go, category, measure = go[keep], category[keep], measure[keep]
    if not len(go):
        return
    units = np.where(report.values("measurement_units")[go] == "", None, report.values("measurement_units")[go])
    weight_units = np.where(report.values("weight_units")[go] == "", None, report.values("weight_units")[go])
    dangerous = pd.Series(report.values("dangerous_goods_storage_type")[go], dtype="string").str.strip()
    dangerous = (dangerous.notna() & (dangerous != "") & (dangerous != "--")).to_numpy(dtype=bool)
    ratio = number.get("storage_utilization_ratio", (np.full(n, np.nan), None))[0][go]
    weeks = pd.Series(report.values("storage_utilization_ratio_units")[go] if report.has(
        "storage_utilization_ratio_units") else np.full(len(go), ""), dtype="string").str.contains("week", case=False)
    weeks = weeks.fillna(False).to_numpy(dtype=bool)
    items = pd.DataFrame({
        "price": np.zeros(len(go), dtype=np.int64),
        "length": number["longest_side"][0][go], "width": number["median_side"][0][go],
        "height": number["shortest_side"][0][go], "dimension_unit": units, "weight": number["weight"][0][go],
        "weight_unit": weight_units, "category": category, "marketplace": market[go],
        "date": day[go].astype("datetime64[D]"), "dangerous_goods": dangerous,
        "utilization_weeks": np.where(weeks, ratio, np.nan)})
    costed = cost(items)
    error = costed.errors_named({"date": "month_of_charge", "length": "longest_side", "width": "median_side",
                                 "height": "shortest_side", "dimension_unit": "measurement_units",
                                 "weight_unit": "weight_units"})
    why = np.full(n, None, dtype=object)
    why[go] = error
    uncovered = np.zeros(n, dtype=bool)
    uncovered[go[costed.no_table]] = True
    _unavailable(report, out, uncovered, why, currency, market, day, read, ledger)
    failed = np.zeros(n, dtype=bool)
    failed[go[error != None]] = True  # noqa: E711
    ledger.assign(failed, False, "cannot cost the item", why)
    ok = error == None  # noqa: E711
    rows = _Rows(report, ctx, costed, out, go, currency, market, day, measure, category, known)
    rows.check(ok, number, read, unit, rate_column, weeks)
    ledger.assign(np.isin(np.arange(n), go), True, "checked")


def _unavailable(report: Report, out: Rows, rows: np.ndarray, why: np.ndarray, currency, market, day, read,
                 ledger: Ledger) -> None:
    """Rows of a month no fee table covers: 'cannot check: unavailable' findings with the reason (the fee charged,
    feecalc's figure unknown), matched."""
    rows = rows & ledger.open
    fee = read["estimated_monthly_storage_fee"]
    asin = report.values("asin")
    for i in np.flatnonzero(rows).tolist():
        out.add(line=report.line[i], sku=None, asin=asin[i], marketplace=market[i],
                date=str(np.datetime64(int(day[i]), "D"))[:7], kind=UNAVAILABLE, fee="storage_monthly",
                currency=currency[i], amazon=int(fee.micro[i]) if fee.given[i] else None, feecalc=None,
                difference=None, action=NO_FIGURE,
                explanation=f"unavailable: {named_field(why[i], {'date': 'month_of_charge'})}")
    ledger.assign(rows, True, UNCOVERED)


class _Rows:
    """The costed rows of a storage report and the findings they give."""

    def __init__(self, report, ctx, costed, out, go, currency, market, day, measure, category, known):
        self.report, self.ctx, self.costed, self.out, self.go = report, ctx, costed, out, go
        self.currency, self.market, self.day = currency[go], market[go], day[go]
        self.category, self.known = category, known
        self.asin = report.values("asin")

    def add(self, j: int, kind: str, fee: str, amazon, feecalc, difference, per=1, units=None, stake=None,
            basis="", reading="", action="", detail="", explanation=None, no_stake=False) -> None:
        i = self.go[j]
        text = explanation if explanation is not None else self.costed.explain(j, "storage_monthly")
        if pd.isna(self.known[j]):
            text += (f"; costed with the category {self.category[j]}: the table's storage rates and size tiers do "
                     f"not depend on the category, which the report does not give")
        self.out.add(line=self.report.line[i], sku=None, asin=self.asin[i],
                     marketplace=self.market[j], date=str(np.datetime64(int(self.day[j]), "D"))[:7], kind=kind,
                     fee=fee,
                     currency=self.currency[j], amazon=amazon, feecalc=feecalc, difference=difference, per=per,
                     units=units, stake=stake, basis=basis, reading=reading, explanation=text, action=action,
                     detail=detail, no_stake=no_stake)

    def check(self, ok, number, read, unit, rate_column, weeks) -> None:
        go, costed = self.go, self.costed
        e = costed.expected
        step = minor_units(self.currency)
        rate = costed.take(e.storage_rate)
        rate_why = costed.take(e.storage_reason)
        table_unit = costed.take(e.storage_unit)
        factor = _factors(unit[go], table_unit)  # Amazon's volume unit -> the table's storage unit
        total = number["estimated_total_item_volume"][0][go] * factor
        amazon_rate = read[rate_column].micro[go]
        fee = read["estimated_monthly_storage_fee"].micro[go]
        fee_minor = round_to_minor(fee, step)
        tol = self.ctx.tolerance_micro(len(go))
        has_sus = "utilization_surcharge_rate" in read and "est_vol_for_sus" in number
        sus_rate = costed.take(e.sus_rate)
        sus_amazon = read["utilization_surcharge_rate"].micro[go] if has_sus else np.zeros(len(go), np.int64)
        sus_given = read["utilization_surcharge_rate"].given[go] & weeks if has_sus else np.zeros(len(go), bool)
        sus_volume = (number["est_vol_for_sus"][0][go] * factor) if has_sus else np.zeros(len(go))
        sus_volume = np.where(np.isnan(sus_volume), 0.0, sus_volume)
        available = ok & (rate >= 0)
        for j in np.flatnonzero(ok & (rate < 0)).tolist():
            self.add(j, UNAVAILABLE, "storage_monthly", int(fee[j]), None, None, action=NO_FIGURE,
                     explanation=f"unavailable: {rate_why[j]}")
        expected = per_volume(np.where(ok, total, 0.0), np.maximum(rate, 0)) * step  # not costed: no volume factor
        sus_ok = sus_given & (sus_rate >= 0)
        expected = expected + np.where(sus_ok, per_volume(sus_volume, np.maximum(sus_rate, 0)) * step, 0)
        ours_rate = rate * step
        rate_diff = amazon_rate - ours_rate
        fee_diff = fee_minor - expected
        for j in np.flatnonzero(available & (rate_diff != 0)).tolist():
            per_unit_name = "cubic foot" if table_unit[j] == "ft" else "cubic metre"
            plural = "cubic feet" if table_unit[j] == "ft" else "cubic metres"
            action = action_for(STORAGE_RATE, fee_diff[j:j + 1], tol[j:j + 1], DISPUTE)[0] if fee_diff[j] else BELOW
            self.add(j, STORAGE_RATE, f"storage_monthly ({rate_column})", int(amazon_rate[j]), int(ours_rate[j]),
                     int(rate_diff[j]), stake=int(fee_diff[j]),
                     units=Decimal(repr(float(total[j]))).normalize(),
                     basis=f"the row's estimated_total_item_volume, in {plural}",
                     reading=f"{rate_column}: the rate per {per_unit_name} of the month",
                     action=action, detail=f"the row's fee {_d(fee[j])} against {_d(expected[j])} at feecalc's rate "
                                           f"on the row's volume ({_d(fee_diff[j])} at stake)")
        if has_sus:
            for j in np.flatnonzero(ok & sus_given & (sus_rate >= 0) & (sus_amazon != sus_rate * step)).tolist():
                self.add(j, STORAGE_RATE, "storage_utilization_surcharge (utilization_surcharge_rate)",
                         int(sus_amazon[j]), int(sus_rate[j] * step[j]), int(sus_amazon[j] - sus_rate[j] * step[j]),
                         reading="utilization_surcharge_rate (reports.md 4.3: meaning L)",
                         explanation=costed.explain(j, "storage_utilization_surcharge"),
                         action=action_for(STORAGE_RATE, np.array([sus_amazon[j] - sus_rate[j] * step[j]]),
                                           tol[j:j + 1], DISPUTE)[0])
        for j in np.flatnonzero(available & (rate_diff == 0) & (fee_diff != 0)).tolist():
            self.add(j, STORAGE_FEE, "storage_monthly (estimated_monthly_storage_fee)", int(fee_minor[j]),
                     int(expected[j]), int(fee_diff[j]), stake=int(fee_diff[j]), basis="the row's fee",
                     reading="estimated_monthly_storage_fee, half up to the minor unit",
                     action=action_for(STORAGE_FEE, fee_diff[j:j + 1], tol[j:j + 1], DISPUTE)[0],
                     detail=f"estimated_total_item_volume x the rate: {_d(expected[j])}")
        self._volume(available, number, unit, factor, rate, step, tol)
        self._tier(ok)

    def _volume(self, available, number, unit, factor, rate, step, tol) -> None:
        go, report, costed = self.go, self.report, self.costed
        if "item_volume" not in number:
            return
        amazon = number["item_volume"][0][go] * factor
        ours = costed.take(costed.expected.unit_volume)
        sides = np.sort(np.stack([number[c][0][go] for c in ("longest_side", "median_side", "shortest_side")], 1), 1)
        half = 0.5 * 10.0 ** -SIDE_PLACES
        low = np.prod(np.maximum(sides - half, 0), axis=1)
        high = np.prod(sides + half, axis=1)
        scale = np.where(ours > 0, ours / np.maximum(np.prod(sides, axis=1), 1e-300), 0)
        low, high = low * scale, high * scale
        on_hand = number.get("average_quantity_on_hand", (np.full(len(report), np.nan), None))[0][go]
        outside = available & ~np.isnan(amazon) & ((amazon < low * (1 - 1e-9)) | (amazon > high * (1 + 1e-9)))
        for j in np.flatnonzero(outside).tolist():
            name = "cubic feet" if costed.take(costed.expected.storage_unit)[j] == "ft" else "cubic metres"
            detail = (f"Amazon's volume per unit {amazon[j]:.6g} {name}; the printed sides give {ours[j]:.6g} "
                      f"({low[j]:.6g} to {high[j]:.6g} allowing for their two printed places)")
            common = {"basis": "average_quantity_on_hand", "reading": f"item_volume, in {name}"}
            if np.isnan(on_hand[j]):  # the units on hand are not given: the money at stake cannot be sized
                self.add(j, STORAGE_VOLUME, "storage_monthly (item_volume)", None, None, None, no_stake=True,
                         action=REMEASURE if amazon[j] > ours[j] else BELOW, **common,
                         detail=detail + "; the average quantity on hand is not given, so the money at stake is "
                                         "unknown")
                continue
            excess = (amazon[j] - ours[j]) * on_hand[j]
            stake = int(np.sign(excess) * per_volume(np.array([abs(excess)]), np.array([rate[j]]))[0] * step[j])
            self.add(j, STORAGE_VOLUME, "storage_monthly (item_volume)", None, None, None, stake=stake,
                     units=Decimal(repr(float(on_hand[j]))).normalize(), **common,
                     action=action_for(STORAGE_VOLUME, np.array([stake]), tol[j:j + 1], REMEASURE)[0],
                     detail=detail)

    def _tier(self, ok) -> None:
        costed = self.costed
        amazon = self.report.values("product_size_tier")[self.go]
        ours = costed.take(costed.expected.tier)
        oversize = costed.take(costed.expected.oversize)
        same, compared = compare_tiers(amazon, ours, oversize, costed.take(costed.expected.tier_names))
        for j in np.flatnonzero(ok & compared & ~same).tolist():
            self.add(j, TIER, "size tier (product_size_tier)", None, None, None, reading="product_size_tier",
                     action=REMEASURE, detail=f"Amazon's tier {amazon[j]!r}; feecalc's from the row's sides and "
                                              f"weight: {ours[j]} ({'oversize' if oversize[j] else 'standard-size'})")


def _factors(amazon: np.ndarray, table: np.ndarray) -> np.ndarray:
    """Per row, what one of Amazon's volume units is in the table's storage unit (cubed lengths, exact ratios)."""
    codes, uniques = pd.factorize(pd.Series(list(zip(amazon, table, strict=True)), dtype=object))
    values = [float((LENGTH_UNITS[a] / LENGTH_UNITS[t]) ** 3) if a and t else np.nan for a, t in uniques]
    return np.array(values)[codes]


def _d(micro: int) -> str:
    return f"{Decimal(int(micro)).scaleb(-6).normalize():f}"

