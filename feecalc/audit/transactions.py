"""The transaction (date range) report CSV from Seller Central (reports.md 6; no SP-API report type): every order
row's `selling fees` checked against the referral and closing fees, and its `fba fees` against the fulfilment fee,
for that SKU on its date (feecalc.audit.charges), US or German headers (reports.md 6.3; `Typ` `Bestellung`,
`Versand` `Amazon`).

The numbers' decimal symbol is decided per file (6.3: DE, FR, ES, IT, NL, BE and SE write a decimal comma, `30,24`,
`1.234,56`, `1 135,72`; the US, UK and IE a point); the date is the row's own (`Jul 3, 2026 9:12:00 AM PDT`, German
`03.07.2026 09:12:00 GMT+00:00`), as written.  A row's price is its `product sales` (for all its units), with
`shipping credits` and `gift wrap credits`.  Refunds, service fees, transfers and the FBA inventory fees have no
per-unit check and are listed with the reason; a type the reference does not name is listed and totalled.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from ..columns import normalize
from ..money import CURRENCY_DIGITS
from ..numbers import parse_numbers
from .amounts import decimal_symbol, micro_text, nones, read_amounts, read_dates
from .charges import UNCOVERED, check
from .context import Context, Rows
from .costing import market_of_domain
from .ledger import Ledger
from .measurements import CONFLICT
from .recognise import Report

ORDER = {"order", "bestellung"}
FBA = {"amazon"}
NOT_CHECKED = {  # the row types reports.md 6.2 and 6.3 name, in English and German
    "refund": "a refund (the fees given back are not checked)", "erstattung": "a refund (the fees given back are not "
    "checked)",
    "servicefee": "an account-level service fee (subscription, advertising): not a per-unit fee",
    "servicegebuhr": "an account-level service fee (subscription, advertising): not a per-unit fee",
    "fbainventoryfee": "an FBA inventory fee for the account (storage, long-term storage), with no units to check: "
    "check storage with the monthly storage fee report",
    "adjustment": "an adjustment (reimbursements and corrections): not a fee of feecalc's tables",
}
NOT_A_FEE = {"transfer": "not a fee: a transfer to the bank"}


def units_sold(report: Report) -> pd.DataFrame:
    """(sku, units, day) of the order rows."""
    kind = _normal(report.values("type"))
    quantity, bad = parse_numbers(report.text("quantity").to_pandas(), "en_US")
    day, has_day = read_dates(report.text("date/time"))
    keep = np.isin(kind, list(ORDER)) & ~bad & ~np.isnan(quantity) & has_day
    return pd.DataFrame({"sku": report.values("sku")[keep], "units": quantity[keep], "day": day[keep]})


def _normal(values: np.ndarray) -> np.ndarray:
    codes, uniques = pd.factorize(pd.Series(values, dtype=object), use_na_sentinel=False)
    return np.array([normalize(u) for u in uniques] + [""], dtype=object)[codes]


def audit(report: Report, ctx: Context) -> tuple[pd.DataFrame, Ledger]:
    n = len(report)
    ledger = Ledger(report.name, report.kind, report.variant, report.line, report.table, report.header)
    money = ["product sales", "shipping credits", "gift wrap credits", "selling fees", "fba fees", "total"]
    decimal = decimal_symbol([report.text(c) for c in money if report.has(c)])
    ledger.notes.append(f"amounts read with {'a decimal comma' if decimal == ',' else 'a decimal point'}; dates as "
                        f"written, in the file's time zone")
    read = {c: read_amounts(report.text(c), decimal) for c in money}
    market = market_of_domain(report.values("marketplace"))
    currency = np.array([None] * n, dtype=object)
    currency[:] = _currencies(market)
    whole = file_currency(report.preamble, currency)
    if whole is not None:  # account-level rows (no marketplace) are in the file's currency
        currency[currency == None] = whole  # noqa: E711
        how = "as the description lines say" if _said(report.preamble) else "the currency of every row with a store"
        ledger.notes.append(f"rows without a store read in {whole} ({how})")
    ledger.amounts(read["total"].micro, read["total"].given, currency)
    kind = _normal(report.values("type"))
    ledger.assign(report.blank, True, "blank line")
    for key, why in NOT_A_FEE.items():
        ledger.assign(kind == key, True, why)
    for key, why in NOT_CHECKED.items():
        ledger.assign(kind == key, False, f"not checked: {why}", report.values("type"))
    ledger.assign(~np.isin(kind, list(ORDER)), False, "unknown transaction type", report.values("type"))
    bad = np.logical_or.reduce([read[c].bad for c in money])
    ledger.assign(bad, False, "cannot read an amount")
    out = Rows(report.name)
    rows = ledger.open.copy()
    if rows.any():
        _check(report, ctx, rows, read, market, currency, ledger, out)
    ledger.drop(report.blank)
    ledger.add_unreadable(report.unreadable, report.delimiter)
    return out.frame(), ledger.done()


_SAID = re.compile(r"(?:All amounts in|Alle Beträge in)\s+([A-Za-z]{3,4})\b", re.IGNORECASE)


def _said(preamble: list[str]) -> str | None:
    """The currency the description lines state ('All amounts in USD, unless specified'; 'Alle Beträge in Euro')."""
    for line in preamble:
        found = _SAID.search(line.replace('"', ""))
        if found:
            code = found.group(1).upper()
            code = "EUR" if code == "EURO" else code
            return code if code in CURRENCY_DIGITS else None
    return None


def file_currency(preamble: list[str], currency: np.ndarray) -> str | None:
    """The file's one currency: the one its description lines state, else the one every row with a store is in."""
    said = _said(preamble)
    if said is not None:
        return said
    known = pd.unique(pd.Series(currency, dtype=object).dropna())
    return str(known[0]) if len(known) == 1 else None


def _currencies(market: np.ndarray) -> np.ndarray:
    from ..marketplaces import REGISTRY

    codes, uniques = pd.factorize(pd.Series(market, dtype=object), use_na_sentinel=False)
    return np.array([REGISTRY[u].currency if isinstance(u, str) and u in REGISTRY else None for u in uniques]
                    + [None], dtype=object)[codes]


def _check(report: Report, ctx: Context, rows: np.ndarray, read, market: np.ndarray, currency: np.ndarray,
           ledger: Ledger, out: Rows) -> None:
    n = len(report)
    sku = pd.Series(report.values("sku"), dtype="string").str.strip()
    sku = nones(sku.where(sku.notna() & (sku != ""), None))
    quantity, bad_q = parse_numbers(report.text("quantity").to_pandas(), "en_US")
    whole = ~bad_q & ~np.isnan(quantity) & (quantity >= 1) & (quantity == np.floor(quantity)) & (quantity < 1e6)
    day, has_day = read_dates(report.text("date/time"))
    fba = np.isin(_normal(report.values("fulfillment")), list(FBA))
    ledger.assign(rows & (sku == None), False, "no sku on the order row")  # noqa: E711
    ledger.assign(rows & ~whole, False, "no quantity (a whole number of at least 1) on the order row")
    ledger.assign(rows & ~has_day, False, "cannot read the date")
    ledger.assign(rows & (market == None), False, "no store: the marketplace column names no store")  # noqa: E711
    ledger.assign(rows & ~read["product sales"].given, False, "no product sales (the price sets the referral fee)")
    measure = np.full(n, -1, dtype=np.intp)
    open_rows = rows & ledger.open
    if open_rows.any():
        measure[open_rows] = ctx.measurements.lookup(sku[open_rows], market[open_rows])
    ledger.assign(open_rows & (measure < -1), False, CONFLICT, ctx.measurements.conflict(measure))
    missing = open_rows & (measure == -1)
    detail = np.full(n, None, dtype=object)
    detail[missing] = [f"sku {s!r}" for s in sku[missing]]
    ledger.assign(missing, False, "no measurements for the SKU: give a fee preview or a --catalog that has it", detail)
    go = rows & ledger.open
    parts = []
    for fee, column, label, mask in (("selling", "selling fees", report.header[report.columns["selling fees"]], go),
                                     ("fulfillment", "fba fees", report.header[report.columns["fba fees"]], go & fba)):
        charged = -read[column].micro
        pick = np.flatnonzero(mask & read[column].given & (charged != 0))
        parts.append(pd.DataFrame({
            "fee": fee, "charged": charged[pick], "price": read["product sales"].micro[pick],
            "shipping": read["shipping credits"].micro[pick], "gift_wrap": read["gift wrap credits"].micro[pick],
            "quantity": quantity[pick].astype(np.int64), "day": day[pick].astype("datetime64[D]"),
            "marketplace": market[pick], "currency": currency[pick], "sku": sku[pick], "line": report.line[pick],
            "label": label, "measure": measure[pick], "row": pick,
            "price_label": report.header[report.columns["product sales"]]}))
    lines = pd.concat(parts, ignore_index=True)
    credit = lines["charged"].to_numpy() < 0
    ok, error = check(lines[~credit].reset_index(drop=True), ctx, out, report.header[report.columns["date/time"]])
    failed = np.zeros(n, dtype=bool)
    why = np.full(n, None, dtype=object)
    rows_ok = lines["row"].to_numpy()[~credit]
    failed[rows_ok[~ok]] = True
    why[rows_ok[~ok]] = error[~ok]
    ledger.assign(failed, False, "cannot cost the item", why)
    uncovered = np.zeros(n, dtype=bool)
    uncovered[rows_ok[ok & (error != None)]] = True  # noqa: E711
    ledger.assign(uncovered, True, UNCOVERED)
    # a positive fee amount is a credit or a refund (reports.md 3.2 #15), as the settlement says: not checked
    credited = np.zeros(n, dtype=bool)
    credited[lines["row"].to_numpy()[credit]] = True
    what = np.full(n, None, dtype=object)
    amount = pd.Series(micro_text(-lines["charged"].to_numpy()), dtype=object).str.replace(
        r"(\.\d\d\d*?)0+$", r"\1", regex=True).to_numpy(dtype=object)  # 3.750000 -> 3.75
    for fee in ("selling", "fulfillment"):  # at most one line of each per row: the row's credits, in column order
        mine = credit & (lines["fee"].to_numpy() == fee)
        at = lines["row"].to_numpy()[mine]
        text = lines["label"].to_numpy()[mine] + " " + amount[mine]
        first = what[at] == None  # noqa: E711
        what[at[first]] = text[first]
        what[at[~first]] = what[at[~first]] + "; " + text[~first]
    checked = np.zeros(n, dtype=bool)
    checked[rows_ok] = True
    what[credited & checked] = what[credited & checked] + "; the other fee of the row was checked"
    ledger.assign(credited, False, "a credit on an order's fee line (not a charge): not checked", what)
    ledger.assign(go, True, "checked")
