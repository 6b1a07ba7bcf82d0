"""The settlement report flat file V2 (GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE_V2; reports.md 3): every order line's
FBA fulfilment fee (`FBAPerUnitFulfillmentFee`), referral fee (`Commission`) and variable closing fee checked
against the card for that SKU on its posted date (feecalc.audit.charges); every other line sorted: a sale amount,
tax or promotion is not a fee; a fee type the reference names but feecalc does not check is listed with the reason;
any other is an unknown fee type, listed and totalled (reports.md 8.2: labels are not a stable key; an unknown
label is a residual to reconcile, never dropped).  The reference names no settlement fee type for the inbound
placement, low-inventory-level or returns processing fees (reports.md 3.3), so their lines, whatever Amazon calls
them, are unknown fee types: listed and totalled, not guessed.

Amounts are signed (negative: charged to the seller, reports.md 3.2); the decimal symbol and the date form are
decided per file (3.4: EU `1141,18` and `14.03.2023`, NA `14.9` and `2025-06-09`).  The first data row is the
settlement's summary row.  The price of an order line is its `ItemPrice` lines (`Principal`, `Shipping`,
`GiftWrap`) of the same order item; the store, the line's `marketplace-name`, else that of another line of the
order, else the one store of the file's currency.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow.compute as pc

from ..columns import normalize
from ..numbers import parse_numbers
from .amounts import decimal_symbol, nones, read_amounts, read_dates
from .charges import UNCOVERED, check
from .context import Context, Rows
from .costing import market_of_currency, market_of_domain
from .ledger import Ledger
from .measurements import CONFLICT
from .recognise import Report

CHECKED = {  # (transaction-type, amount-type, amount-description) -> the feecalc line (reports.md 3.3)
    ("order", "itemfees", "fbaperunitfulfillmentfee"): "fulfillment",
    ("order", "itemfees", "commission"): "referral",
    ("order", "itemfees", "variableclosingfee"): "closing",
}
NOT_A_FEE = {"itemprice": "not a fee: the sale's amounts", "promotion": "not a fee: a promotion",
             "itemwithheldtax": "not a fee: tax withheld by Amazon",
             "fbainventoryreimbursement": "not a fee: a reimbursement or claw-back"}
NOT_A_FEE_DESCRIPTIONS = {"currentreserveamount": "not a fee: a reserve balance",
                          "previousreserveamountbalance": "not a fee: a reserve balance"}
SPLIT_FBA_FEE = "the older split FBA fee: feecalc's cards price the fulfilment fee as one amount"
LONG_TERM_STORAGE = ("long-term storage or the aged inventory surcharge for the account, with no SKU (reports.md 5.1: "
                     "not audited)")
REMOVAL_ORDER = ("a removal or disposal order: reports.md 3.3 lists it among the account's fees, without the SKU, "
                 "units and weight that feecalc's removal_disposal fee is per")
NOT_CHECKED = {  # (transaction-type or '*', amount-type or '*', amount-description or '*') -> why
    ("order", "itemfees", "fbaperorderfulfillmentfee"): SPLIT_FBA_FEE,
    ("order", "itemfees", "fbaweightbasedfee"): SPLIT_FBA_FEE,
    ("order", "itemfees", "shippinghb"): "a shipping charge-back, not a fee of feecalc's tables",
    ("order", "itemfees", "shippingchargeback"): "a shipping charge-back, not a fee of feecalc's tables",
    ("order", "itemfees", "giftwrapchargeback"): "a gift-wrap charge-back, not a fee of feecalc's tables",
    ("order", "itemfees", "fixedclosingfee"): "a fixed closing fee, not a fee of feecalc's tables",
    ("order", "itemfees", "digitalservicesfee"): "the Digital Services Fee depends on where the seller is "
    "established, which the settlement does not say",
    ("refund", "itemfees", "*"): "a refund's fee line: a fee given back, or the refund administration fee, which "
    "feecalc's tables do not price",
    ("*", "*", "storagefee"): "monthly storage for the account, with no SKU: check it with the monthly storage fee "
    "report",
    ("*", "*", "storagerenewalbilling"): LONG_TERM_STORAGE,
    ("*", "*", "fbalongtermstoragefee"): LONG_TERM_STORAGE,
    ("*", "*", "subscription"): "the selling plan's subscription, not a per-unit fee",
    ("*", "*", "disposalcomplete"): REMOVAL_ORDER,
    ("*", "*", "removalcomplete"): REMOVAL_ORDER,
    ("*", "*", "shippinglabelpurchase"): "a shipping label, not a fee of feecalc's tables",
    ("fbafees", "inbounddefectfee", "*"): "the inbound defect fee is not in feecalc's tables",
    ("servicefee", "costofadvertising", "*"): "advertising, not a fee of feecalc's tables",
    # the other transaction and amount types reports.md 3.3 lists as seen (RPT-P2): known, none a fee of the tables
    **{(normalize(t), "*", "*"): f"the transaction type {t!r} (reports.md 3.3 lists it as seen): not a fee of "
       "feecalc's tables" for t in ("Chargeback Refund", "Commingling VAT", "CouponRedemptionFee", "Fee Adjustment",
                                    "Lightning Deal Fee", "Liquidations", "Liquidations Adjustments",
                                    "Order_Retrocharge", "Refund_Retrocharge", "Vine Enrollment Fee")},
    **{("*", normalize(a), "*"): f"the amount type {a!r} (reports.md 3.3 lists it as seen): not a fee of feecalc's "
       "tables" for a in ("Item Fee Adjustment", "LightningDealFee", "ShipmentFees", "Refund for Advertiser")},
}


def units_sold(report: Report) -> pd.DataFrame:
    """(sku, units, day) of the order items sold: each order item's `Principal` line, with its units."""
    kind = _keys(report)
    sold = (kind[0] == "order") & (kind[1] == "itemprice") & (kind[2] == "principal")
    quantity, bad = parse_numbers(report.text("quantity-purchased").to_pandas(), "en_US")
    day, has_day = read_dates(report.text("posted-date"))
    keep = sold & ~bad & ~np.isnan(quantity) & has_day
    return pd.DataFrame({"sku": report.values("sku")[keep], "units": quantity[keep], "day": day[keep]})


def _keys(report: Report) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """transaction-type, amount-type and amount-description of each row, normalised (case, spaces, punctuation)."""
    ttype, atype, desc = (_normal(report.text(c)) for c in ("transaction-type", "amount-type", "amount-description"))
    return ttype, atype, desc


def _normal(text) -> np.ndarray:
    codes, uniques = pd.factorize(pd.Series(text.to_numpy(zero_copy_only=False), dtype=object), use_na_sentinel=False)
    return np.array([normalize(u) for u in uniques] + [""], dtype=object)[codes]


def audit(report: Report, ctx: Context) -> tuple[pd.DataFrame, Ledger]:
    n = len(report)
    ledger = Ledger(report.name, report.kind, report.variant, report.line, report.table, report.header)
    decimal = decimal_symbol([report.text("amount"), report.text("total-amount")])
    ledger.notes.append(f"amounts read with {'a decimal comma' if decimal == ',' else 'a decimal point'}")
    amounts = read_amounts(report.text("amount"), decimal)
    currency = _upper(report.values("currency"))
    ledger.amounts(amounts.micro, amounts.given, currency)
    ttype, atype, desc = _keys(report)
    label = np.asarray(pc.binary_join_element_wise(*(report.text(k) for k in (
        "transaction-type", "amount-type", "amount-description")), " / ").to_numpy(zero_copy_only=False), dtype=object)
    ledger.assign(report.blank, True, "blank line")
    summary = (ttype == "") & (read_amounts(report.text("total-amount"), decimal).given)
    ledger.assign(summary, True, "the settlement's summary row")
    ledger.assign(amounts.bad, False, "cannot read the amount", _detail(report, "amount", amounts.bad))
    for key, why in NOT_A_FEE.items():
        ledger.assign(atype == key, True, why)
    for key, why in NOT_A_FEE_DESCRIPTIONS.items():
        ledger.assign(desc == key, True, why)
    fee = np.full(n, None, dtype=object)
    for (t, a, d), name in CHECKED.items():
        fee[(ttype == t) & (atype == a) & (desc == d)] = name
    for (t, a, d), why in NOT_CHECKED.items():
        rows = ((ttype == t) | (t == "*")) & ((atype == a) | (a == "*")) & ((desc == d) | (d == "*")) & (fee == None)  # noqa: E711
        ledger.assign(rows, False, f"not checked: {why}", label)
    ledger.assign((fee == None) & (ttype == "") & (atype == ""), False, "no transaction-type or amount-type")  # noqa: E711
    ledger.assign(fee == None, False, "unknown fee type", label)  # noqa: E711
    out = Rows(report.name)
    candidates = (fee != None) & ledger.open  # noqa: E711
    if candidates.any():
        _check(report, ctx, candidates, fee, amounts.micro, currency, decimal, ledger, out, label)
    ledger.drop(report.blank)
    ledger.add_unreadable(report.unreadable, report.delimiter)
    return out.frame(), ledger.done()


def _upper(values: np.ndarray) -> np.ndarray:
    text = pd.Series(values, dtype=object).astype("string").str.strip().str.upper()
    return nones(text.where(text.notna() & (text != ""), None))


def _detail(report: Report, column: str, mask: np.ndarray) -> np.ndarray:
    out = np.full(len(report), None, dtype=object)
    values = report.values(column)
    out[mask] = [f"{column}: {v!r}" for v in values[mask]]
    return out


def _check(report: Report, ctx: Context, rows: np.ndarray, fee: np.ndarray, micro: np.ndarray, currency: np.ndarray,
           decimal: str, ledger: Ledger, out: Rows, label: np.ndarray) -> None:
    n = len(report)
    sku = _stripped(report.values("sku"))
    quantity, bad_q = parse_numbers(report.text("quantity-purchased").to_pandas(), "en_US")
    whole = ~bad_q & ~np.isnan(quantity) & (quantity >= 1) & (quantity == np.floor(quantity)) & (quantity < 1e6)
    day, has_day = read_dates(report.text("posted-date"))
    day2, has_day2 = read_dates(report.text("posted-date-time"))
    day, has_day = np.where(has_day, day, day2), has_day | has_day2
    market = _markets(report, currency)
    price = _prices(report, micro, decimal)
    charged = -micro
    ledger.assign(rows & (sku == None), False, "no sku on the fee line")  # noqa: E711
    ledger.assign(rows & ~whole, False, "no quantity-purchased (a whole number of at least 1) on the fee line",
                  _detail(report, "quantity-purchased", rows & ~whole))
    ledger.assign(rows & ~has_day, False, "cannot read the posted date",
                  _detail(report, "posted-date", rows & ~has_day))
    nowhere = rows & pd.isna(market)
    ledger.assign(nowhere, False, "no store: marketplace-name is empty, no other line of the order names it, and "
                  "the currency names no one store")
    ledger.assign(rows & ~price["given"], False, "no ItemPrice / Principal line for the order item (the price sets "
                  "the referral fee and the price band)")
    ledger.assign(rows & (charged < 0), False, "a credit on an order's fee line (not a charge): not checked", label)
    measure = np.full(n, -1, dtype=np.intp)
    open_rows = rows & ledger.open
    if open_rows.any():
        measure[open_rows] = ctx.measurements.lookup(sku[open_rows], market[open_rows])
    ledger.assign(open_rows & (measure < -1), False, CONFLICT, ctx.measurements.conflict(measure))
    ledger.assign(open_rows & (measure < 0), False, "no measurements for the SKU: give a fee preview or a --catalog "
                  "that has it", _detail(report, "sku", open_rows & (measure < 0)))
    go = np.flatnonzero(rows & ledger.open)
    if not len(go):
        return
    q = quantity[go].astype(np.int64)
    lines = pd.DataFrame({
        "fee": fee[go], "charged": charged[go], "price": price["price"][go], "shipping": price["shipping"][go],
        "gift_wrap": price["gift_wrap"][go], "quantity": q, "day": day[go].astype("datetime64[D]"),
        "marketplace": market[go], "currency": currency[go], "sku": sku[go], "line": report.line[go],
        "label": report.values("amount-description")[go], "measure": measure[go],
        "price_label": "ItemPrice Principal (its Shipping and GiftWrap likewise)"})
    ok, error = check(lines, ctx, out, "posted-date")
    detail = np.full(n, None, dtype=object)
    detail[go] = error
    failed = np.zeros(n, dtype=bool)
    failed[go] = ~ok
    ledger.assign(failed, False, "cannot cost the item", detail)
    uncovered = np.zeros(n, dtype=bool)
    uncovered[go] = ok & (error != None)  # noqa: E711
    ledger.assign(uncovered, True, UNCOVERED)
    ledger.assign(rows, True, "checked")


def _stripped(values: np.ndarray) -> np.ndarray:
    text = pd.Series(values, dtype=object).astype("string").str.strip()
    return nones(text.where(text.notna() & (text != ""), None))


def _markets(report: Report, currency: np.ndarray) -> np.ndarray:
    """Each line's store: its marketplace-name; else another line's of the same order; else the currency's one."""
    market = market_of_domain(report.values("marketplace-name"))
    order = report.values("order-id")
    named = pd.notna(market) & (order != "")
    first = pd.DataFrame({"order": order[named], "market": market[named]}).drop_duplicates("order")
    found = pd.Index(first["order"]).get_indexer(order)
    by_order = np.where(found >= 0, first["market"].to_numpy(dtype=object)[np.maximum(found, 0)] if len(first)
                        else None, None)
    market = np.where(pd.notna(market), market, by_order)
    return np.where(pd.isna(market), market_of_currency(currency), market)


def _prices(report: Report, micro: np.ndarray, decimal: str) -> dict[str, np.ndarray]:
    """Per row, the order item's Principal, Shipping and GiftWrap amounts (micro-units), from its ItemPrice lines."""
    key = pc.binary_join_element_wise(report.text("settlement-id"), report.text("order-id"),
                                      report.text("order-item-code"), "\x1f").to_numpy(zero_copy_only=False)
    ttype, atype, desc = _keys(report)
    price_rows = (ttype == "order") & (atype == "itemprice")
    frame = pd.DataFrame({"key": key[price_rows], "what": desc[price_rows], "amount": micro[price_rows]})
    sums = frame.groupby(["what", "key"], sort=False)["amount"].sum()  # int64: no float on the way
    out: dict[str, np.ndarray] = {}
    for name, column in (("price", "principal"), ("shipping", "shipping"), ("gift_wrap", "giftwrap")):
        part = sums.xs(column, level="what") if column in sums.index.get_level_values("what") else \
            pd.Series([], dtype=np.int64)
        found = pd.Index(part.index).get_indexer(key) if len(part) else np.full(len(key), -1)
        values = part.to_numpy(dtype=np.int64)
        out[name] = np.where(found >= 0, values[np.maximum(found, 0)] if len(part) else 0, 0).astype(np.int64)
        if name == "price":
            out["given"] = found >= 0
    return out
