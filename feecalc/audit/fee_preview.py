"""The FBA Fee Preview (GET_FBA_ESTIMATED_FBA_FEES_TXT_DATA; reports.md 2): each SKU's size tier, referral, closing
and fulfilment fee recomputed from the row's own measurements, price and product group on the report's date, and
compared with Amazon's estimate.

The report carries no date of its own, so the date is `--on` (default today), said in the Summary.  The price is
`sales-price` (the referral base Amazon's example uses, reports.md 2.3), else `your-price`.  The store is the row's
`amazon-store` (NA); a file without one (older NA, EU) names it by the currency, and an EU row in euros by the
country whose EFN column is `--` (reports.md 2.3, 8.3: EU files mix stores and have no store column; that reading is
L-M, and each such finding says so).  Amazon's fulfilment figure is `expected-fulfillment-fee-per-unit` (NA),
`expected-domestic-fulfilment-fee-per-unit` (EU), or the sum of the older split fee's parts where only they are
given; whether it includes the fuel surcharge, the packaging fee or the overmax handling fee, or is less the SIPP
discount, is not in the reference, so each reading is tried.

Flags: the size tier differs; the fulfilment fee differs from the card (and when the other fee category's card
gives Amazon's figure: the apparel fee category); the referral fee differs (with the categories whose fee is
Amazon's figure); the closing fee differs; the row's `estimated-fee-total` is not the sum of its own parts.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow.compute as pc

from ..numbers import parse_numbers
from .amounts import decimal_symbol, minor_units, nones, read_amounts
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
    market_of_currency,
)
from .findings import (
    APPAREL,
    ASK,
    CATEGORY_APPEAL,
    CLOSING,
    DISPUTE,
    FULFILMENT,
    NO_FIGURE,
    REFERRAL,
    REMEASURE,
    SUMS,
    TIER,
    UNAVAILABLE,
    Reading,
    action_for,
    choose,
)
from .ledger import Ledger
from .measurements import conflicts
from .recognise import Report
from .tiers import compare_tiers

EFN_COUNTRIES = ("uk", "de", "fr", "it", "es", "se")
COLUMN_OF_FIELD = {"price": "sales-price", "length": "longest-side", "width": "median-side", "height": "shortest-side",
                   "dimension_unit": "unit-of-dimension", "weight": "item-package-weight",
                   "weight_unit": "unit-of-weight", "category": "product-group", "marketplace": "amazon-store"}
EFN_READING = "the EFN fee column marked '--' (reports.md 2.3, RPT-C1: L-M)"
NA_PARTS = ("estimated-order-handling-fee-per-order", "estimated-pick-pack-fee-per-unit",
            "estimated-weight-handling-fee-per-unit")


@dataclass
class Preview:
    """A fee preview read row by row: `rows` (sku, asin, marketplace, the measurements and category, price,
    currency, Amazon's figures in micro-units with their `*_given` masks, tier), and why a row cannot be used."""

    report: Report
    rows: pd.DataFrame
    problem: np.ndarray
    locale: str
    notes: list[str]


def read(report: Report, ctx: Context) -> Preview:
    """Parse a fee preview's rows (numbers with the file's decimal symbol, decided per file)."""
    n = len(report)
    fee_columns = [c for c in report.columns if "fee" in c] + ["your-price", "sales-price"]
    decimal = decimal_symbol([report.text(c) for c in fee_columns if report.has(c)])
    locale = "de_DE" if decimal == "," else "en_US"
    notes = [f"numbers read with {'a decimal comma' if decimal == ',' else 'a decimal point'} "
             f"(the EU report's decimal symbol is NOT FOUND in the reference, reports.md 8.4)"
             if report.has("expected-domestic-fulfilment-fee-per-unit") else
             f"numbers read with {'a decimal comma' if decimal == ',' else 'a decimal point'}"]
    problem = np.full(n, None, dtype=object)

    def flag(mask: np.ndarray, text) -> None:
        fresh = mask & (problem == None)  # noqa: E711
        problem[fresh] = text[fresh] if isinstance(text, np.ndarray) else text

    def amount(name: str) -> tuple[np.ndarray, np.ndarray]:
        if not report.has(name):
            return np.zeros(n, dtype=np.int64), np.zeros(n, dtype=bool)
        got = read_amounts(report.text(name), decimal)
        flag(got.bad, np.array([f"{name}: {v!r} is not an amount" for v in report.values(name)], dtype=object)
             if got.bad.any() else "")
        return got.micro, got.given

    sku = _stripped(report.values("sku"))
    flag(sku == None, "no sku")  # noqa: E711
    currency = _upper(report.values("currency"))
    market, market_note, store_reading = _markets(report, currency, n)
    flag(market == None, market_note)  # noqa: E711
    sales, sales_given = amount("sales-price")
    listed, listed_given = amount("your-price")
    price = np.where(sales_given, sales, listed)
    price_given = sales_given | listed_given
    flag(~price_given, "no price: sales-price and your-price are empty")
    step = minor_units(currency)
    flag(step == 0, np.array([f"currency {c!r}: not a currency of Amazon's stores" for c in currency], dtype=object)
         if (step == 0).any() else "")
    flag(price_given & (price % np.maximum(step, 1) != 0), "the price is not a whole number of the currency's "
         "minor unit")
    flag(price_given & (price < 0), "the price is negative")
    sides = {}
    for field_name, column in (("length", "longest-side"), ("width", "median-side"), ("height", "shortest-side"),
                               ("weight", "item-package-weight")):
        numbers, bad = parse_numbers(report.text(column).to_pandas(), locale)
        sides[field_name] = numbers
        flag(bad | np.isnan(numbers), f"{column}: not a number ({locale})")
    category = ctx.relabel(_stripped(report.values("product-group")))
    flag(category == None, "no product-group")  # noqa: E711
    figures = {name: amount(column) for name, column in (
        ("total", "estimated-fee-total"), ("referral", "estimated-referral-fee-per-unit"),
        ("closing", "estimated-variable-closing-fee"))}
    fulfilment, given, reading = _fulfilment(report, amount, n)
    tier = report.values("product-size-tier") if report.has("product-size-tier") else \
        report.values("product-size-weight-band")
    rows = pd.DataFrame({
        "sku": sku, "asin": _stripped(report.values("asin")), "marketplace": market, "currency": currency,
        "store_reading": store_reading,
        "price": price, "price_column": np.where(sales_given, "sales-price", "your-price"),
        "length": sides["length"], "width": sides["width"], "height": sides["height"],
        "dimension_unit": _stripped(report.values("unit-of-dimension")), "weight": sides["weight"],
        "weight_unit": _stripped(report.values("unit-of-weight")), "category": category,
        "tier": _stripped(tier), "fulfilment": fulfilment, "fulfilment_given": given, "fulfilment_reading": reading,
        **{k: v[0] for k, v in figures.items()}, **{f"{k}_given": v[1] for k, v in figures.items()},
        "line": report.line,
    })
    rows["source"] = f"the fee preview {report.name}, line " + pd.Series(report.line).astype(str)
    rows["monthly_units"] = np.nan
    problem[report.blank] = None
    return Preview(report, rows, problem, locale, notes)


def measurements(preview: Preview) -> pd.DataFrame:
    """The usable rows as a source of measurements (Amazon's own) for the settlement and transaction files."""
    ok = (preview.problem == None) & ~preview.report.blank  # noqa: E711
    return preview.rows[ok]


def _stripped(values: np.ndarray) -> np.ndarray:
    """Cells as stripped text; None where empty or Amazon's '--'."""
    text = pd.Series(values, dtype=object).astype("string").str.strip()
    return nones(text.where(text.notna() & (text != "") & (text != "--"), None))


def _upper(values: np.ndarray) -> np.ndarray:
    text = pd.Series(_stripped(values), dtype="string").str.upper()
    return nones(text.where(text.notna(), None))


def _markets(report: Report, currency: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each row's store, why it cannot be told where it cannot, and how it was read."""
    why = np.full(n, "", dtype=object)
    if report.has("amazon-store"):
        store = _upper(report.values("amazon-store"))
        store = np.where(store == "GB", "UK", store)
        why[:] = "amazon-store is empty"
        return store, why, np.full(n, "amazon-store", dtype=object)
    store = market_of_currency(currency)
    how = np.full(n, "the currency", dtype=object)
    why[:] = "the currency names no one store"
    efn = [c for c in (f"expected-efn-fulfilment-fee-per-unit-{k}" for k in EFN_COUNTRIES) if report.has(c)]
    if efn:  # EU: the row's own country is the EFN column that is `--` (reports.md 2.3, RPT-C1, L-M)
        dashes = np.stack([pc.equal(pc.utf8_trim_whitespace(report.text(c)), "--").to_numpy(zero_copy_only=False)
                           for c in efn], axis=1)
        own = np.array([c.rsplit("-", 1)[1].upper() for c in efn], dtype=object)
        one = dashes.sum(axis=1) == 1
        country = np.where(one, own[dashes.argmax(axis=1)], None)
        euro = currency == "EUR"
        store = np.where(euro, country, store)
        why = np.where(euro, "an EU row in euros whose store cannot be told: not exactly one EFN fee column is '--' "
                             "(EU fee previews have no store column, reports.md 8.3)", why)
        how = np.where(euro, EFN_READING, how)
    return store, why, how


def _fulfilment(report: Report, amount, n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Amazon's fulfilment figure per row, whether given, and which columns it is."""
    total, given = np.zeros(n, dtype=np.int64), np.zeros(n, dtype=bool)
    label = np.full(n, "", dtype=object)
    for column in ("expected-fulfillment-fee-per-unit", "expected-domestic-fulfilment-fee-per-unit"):
        if report.has(column):
            value, has = amount(column)
            take = has & ~given
            total, given, label = np.where(take, value, total), given | has, np.where(take, column, label)
    if report.has("expected-domestic-fulfilment-fee-per-unit") and report.has(NA_PARTS[0]):
        value, has = amount(NA_PARTS[0])  # the older UK file: order handling beside the domestic fee
        total = np.where(given & has, total + value, total)
        label = np.where(given & has, label + " + " + NA_PARTS[0], label)
    parts = [amount(c) for c in NA_PARTS if report.has(c)]
    if parts:  # the three-part fee of older NA files, where the one figure is absent
        value = np.sum([v for v, _ in parts], axis=0)
        has = np.logical_or.reduce([h for _, h in parts])
        take = has & ~given
        names = " + ".join(c for c in NA_PARTS if report.has(c))
        total, given, label = np.where(take, value, total), given | has, np.where(take, names, label)
    return total, given, label


def audit(preview: Preview, ctx: Context) -> tuple[pd.DataFrame, Ledger]:
    """The fee preview's findings and its ledger."""
    report, rows = preview.report, preview.rows
    n = len(rows)
    ledger = Ledger(report.name, report.kind, report.variant, report.line, report.table, report.header)
    ledger.notes.append(f"fee date {ctx.day} (--on: the fee preview carries no date of its own)")
    ledger.notes.extend(preview.notes)
    ledger.assign(report.blank, True, "blank line")
    bad = preview.problem != None  # noqa: E711
    ledger.assign(bad, False, "cannot read the row", preview.problem)
    usable = np.flatnonzero(~bad & ~report.blank)
    out = Rows(report.name)
    if len(usable):
        _check(preview, ctx, usable, ledger, out)
    ledger.assign(np.ones(n, dtype=bool), True, "checked")
    ledger.drop(report.blank)
    ledger.add_unreadable(report.unreadable, report.delimiter)
    return out.frame(), ledger.done()


def items_of(rows: pd.DataFrame, day, apparel=None) -> pd.DataFrame:
    """The engine's items for fee preview rows on `day`."""
    items = rows[["price", "length", "width", "height", "dimension_unit", "weight", "weight_unit", "category",
                  "marketplace"]].copy()
    items["date"] = np.datetime64(day, "D")
    if apparel is not None:
        items["apparel"] = apparel
    return items.reset_index(drop=True)


def _check(preview: Preview, ctx: Context, usable: np.ndarray, ledger: Ledger, out: Rows) -> None:
    rows = preview.rows.iloc[usable].reset_index(drop=True)
    items = items_of(rows, ctx.day)
    costed = cost(items)
    error = costed.errors_named(COLUMN_OF_FIELD)
    failed = error != None  # noqa: E711
    mask = np.zeros(len(preview.rows), dtype=bool)
    mask[usable[failed]] = True
    detail = np.full(len(preview.rows), None, dtype=object)
    detail[usable] = error
    ledger.assign(mask, False, "cannot cost the item", detail)
    bad = np.flatnonzero(failed)
    if len(bad):  # the estimate's own arithmetic needs no fee table: checked on every row
        lost = rows.iloc[bad].reset_index(drop=True)
        _sums(_Common(lost, ctx, Costed(costed.code[bad], costed.expected), out, str(ctx.day), Columns(lost)),
              ctx.tolerance_micro(len(lost)))
    good = np.flatnonzero(~failed)
    if not len(good):
        return
    rows, items = rows.iloc[good].reset_index(drop=True), items.iloc[good].reset_index(drop=True)
    costed = Costed(costed.code[good], costed.expected)
    m = len(rows)
    step = minor_units(costed.take(costed.expected.currency))
    tol = ctx.tolerance_micro(m)
    common = _Common(rows, ctx, costed, out, str(ctx.day), Columns(rows), clash=conflicts(rows, ["sku", "marketplace"]))
    tier_differs = _tier(common)
    fee = {k: costed.minor(k) * step for k in FULFILMENT_LINES + ("referral", "closing")}
    why = {k: costed.reason(k) for k in fee}
    ok = {k: why[k] == None for k in fee}  # noqa: E711
    sipp = as_sipp(items)
    readings = _fulfilment_readings(fee, ok, fees_of(sipp, step))
    given = rows["fulfilment_given"].to_numpy()
    actual = rows["fulfilment"].to_numpy()
    pick, diff, any_ok = choose(actual, readings, tol)
    common.unavailable(given & ~ok["fulfillment"], "fulfillment", actual, why["fulfillment"])
    found = given & any_ok & (diff != 0)
    if found.any():
        other = flipped(items, costed)
        _, alt_diff, alt_any = choose(actual, _fulfilment_readings(*fees_of(other, step)), tol)
        apparel = costed.take(costed.expected.apparel)
        common.sipp = sipp
        for i in np.flatnonzero(found).tolist():
            expected = readings[pick[i]].expected[i]
            common.reading = readings[pick[i]]
            if alt_any[i] and abs(alt_diff[i]) <= tol[i]:
                card = "the apparel card" if apparel[i] == 0 else "the non-apparel card"
                ours = "non-apparel" if apparel[i] == 0 else "apparel"
                common.add(i, APPAREL, "fulfillment", actual[i], expected, diff[i], readings[pick[i]].label,
                           action_for(APPAREL, diff[i:i + 1], tol[i:i + 1], CATEGORY_APPEAL)[0],
                           f"Amazon's figure is {card}'s fee for these measurements; feecalc priced the item as "
                           f"{ours} (its fee category, from the category {common.cols['category'][i]!r})")
            else:
                common.add(i, FULFILMENT, "fulfillment", actual[i], expected, diff[i], readings[pick[i]].label,
                           action_for(FULFILMENT, diff[i:i + 1], tol[i:i + 1],
                                      REMEASURE if tier_differs[i] else DISPUTE)[0],
                           f"Amazon's tier: {common.cols['tier'][i] or 'not given'}; feecalc's: "
                           f"{costed.take(costed.expected.tier)[i]}")
        common.reading = None
    _single(common, "referral", "referral", fee, ok, why, tol, step)
    _single(common, "closing", "closing", fee, ok, why, tol, step)
    _sums(common, tol)


@dataclass
class _Common:
    rows: pd.DataFrame
    ctx: Context
    costed: Costed
    out: Rows
    date: str
    cols: Columns
    sipp: Costed | None = None  # the rows costed as SIPP units, for a reading less the SIPP discount
    reading: Reading | None = None  # the reading of the fulfilment finding being added
    clash: np.ndarray | None = None  # per row: where the preview gives its SKU other measurements too (None: not)

    def units(self, i: int):
        """(units, basis) of row i's money at stake; per unit where the SKU has other measurements in the preview
        (the units sold are the SKU's, not this row's)."""
        if self.clash is not None and self.clash[i] is not None:
            return None, f"per unit ({self.clash[i]}: the SKU's units are not split between them)"
        return self.ctx.units.of(self.cols["sku"][i])

    def explanation(self, i: int, fee: str) -> str:
        reading = self.reading if fee == "fulfillment" else None
        text = explain_reading(self.costed, self.sipp, i, reading) if reading is not None else \
            self.costed.explain(i, fee)
        row = self.cols.row(i)
        return (f"{text}; measurements {row['length']:g} x {row['width']:g} x {row['height']:g} "
                f"{row['dimension_unit'] or ''}, {row['weight']:g} {row['weight_unit'] or ''} (Amazon's, from the fee "
                f"preview); price {row['price_column']}")

    def add(self, i: int, kind: str, fee: str, amazon: int | None, feecalc: int | None, difference: int | None,
            reading: str, action: str, detail: str = "") -> None:
        row = self.cols.row(i)
        units, basis = self.units(i)
        if row["store_reading"] == EFN_READING:
            detail += ("; " if detail else "") + f"the store is read from {EFN_READING}"
        self.out.add(line=row["line"], sku=row["sku"], asin=row["asin"], marketplace=row["marketplace"],
                     date=self.date, kind=kind, fee=fee, currency=row["currency"], amazon=amazon, feecalc=feecalc,
                     difference=difference, units=units, basis=basis, reading=reading,
                     explanation=self.explanation(i, fee) if fee in _ENGINE_LINES else "", action=action,
                     detail=detail)

    def unavailable(self, mask: np.ndarray, fee: str, actual: np.ndarray, why: np.ndarray) -> None:
        for i in np.flatnonzero(mask).tolist():
            row = self.cols.row(i)
            self.out.add(line=row["line"], sku=row["sku"], asin=row["asin"], marketplace=row["marketplace"],
                         date=self.date, kind=UNAVAILABLE, fee=fee, currency=row["currency"], amazon=int(actual[i]),
                         feecalc=None, difference=None, basis="", reading="",
                         explanation=f"unavailable: {why[i]}", action=NO_FIGURE)


_ENGINE_LINES = ("fulfillment", "referral", "closing", "storage_monthly")


def _fulfilment_readings(fee: dict[str, np.ndarray], ok: dict[str, np.ndarray], sipp=None) -> list[Reading]:
    """Amazon's fulfilment figure read as the card's fee alone or with any of the fuel surcharge, the packaging fee
    and the overmax handling fee, and less the SIPP discount (costing.fulfilment_variants)."""
    return fulfilment_variants(fee, ok, sipp)


def _tier(c: _Common) -> np.ndarray:
    """Amazon's size tier against the one feecalc computes from the row's own measurements; where they differ."""
    ours = c.costed.take(c.costed.expected.tier)
    oversize = c.costed.take(c.costed.expected.oversize)
    same, compared = compare_tiers(c.rows["tier"].to_numpy(), ours, oversize,
                                   c.costed.take(c.costed.expected.tier_names))
    for i in np.flatnonzero(compared & ~same).tolist():
        row = c.cols.row(i)
        c.out.add(line=row["line"], sku=row["sku"], asin=row["asin"], marketplace=row["marketplace"], date=c.date,
                  kind=TIER, fee="size tier", currency=row["currency"], amazon=None, feecalc=None, difference=None,
                  reading="product-size-tier" if "tier" in row else "", action=REMEASURE,
                  explanation=c.explanation(i, "fulfillment"),
                  detail=f"Amazon's tier {row['tier']!r}; feecalc's tier from the report's own measurements: "
                         f"{ours[i]} ({'oversize' if oversize[i] else 'standard-size'}); the fee findings of this "
                         f"line carry the money")
    return compared & ~same


column_of = {"referral": "estimated-referral-fee-per-unit", "closing": "estimated-variable-closing-fee"}


def _single(c: _Common, name: str, column: str, fee, ok, why, tol, step) -> None:
    """Amazon's referral or closing fee against feecalc's (one reading: the fee on the row's price)."""
    actual = c.rows[column].to_numpy()
    given = c.rows[f"{column}_given"].to_numpy()
    c.unavailable(given & ~ok[name], name, actual, why[name])
    diff = actual - fee[name]
    found = np.flatnonzero(given & ok[name] & (diff != 0))
    kind = REFERRAL if name == "referral" else CLOSING
    charging = categories_charging(items_of(c.rows, c.ctx.day), c.costed, found,
                                   actual // np.maximum(step, 1)) if name == "referral" and len(found) else None
    for i in found.tolist():
        detail = ""
        if charging is not None:
            detail = (f"Amazon's figure is the referral fee of: {charging[i]}" if charging[i] else
                      "no referral category of the table gives Amazon's figure at this price")
            detail += f"; feecalc's category: {c.cols['category'][i]}"
        c.add(i, kind, name, int(actual[i]), int(fee[name][i]), int(diff[i]), column_of[name],
              action_for(kind, diff[i:i + 1], tol[i:i + 1], CATEGORY_APPEAL if name == "referral" else DISPUTE)[0],
              detail)


def _sums(c: _Common, tol: np.ndarray) -> None:
    """The row's own `estimated-fee-total` against the sum of its own parts (no feecalc figure is involved)."""
    total, has_total = c.rows["total"].to_numpy(), c.rows["total_given"].to_numpy()
    parts = c.rows["referral"].to_numpy() + c.rows["closing"].to_numpy() + c.rows["fulfilment"].to_numpy()
    has_parts = c.rows["referral_given"].to_numpy() | c.rows["fulfilment_given"].to_numpy()
    diff = total - parts
    for i in np.flatnonzero(has_total & has_parts & (diff != 0)).tolist():
        row = c.cols.row(i)
        c.out.add(line=row["line"], sku=row["sku"], asin=row["asin"], marketplace=row["marketplace"], date=c.date,
                  kind=SUMS, fee="estimated-fee-total", currency=row["currency"], amazon=int(total[i]),
                  feecalc=int(parts[i]), difference=int(diff[i]), no_stake=True,
                  basis="none: Amazon's own arithmetic in its estimate, not a charge",
                  reading="estimated-fee-total against estimated-referral-fee-per-unit + "
                          f"estimated-variable-closing-fee + {row['fulfilment_reading'] or 'no fulfilment figure'}",
                  explanation="the sum of the row's own fee columns (Amazon's parts, not feecalc's figures)",
                  action=action_for(SUMS, diff[i:i + 1], tol[i:i + 1], ASK)[0])
