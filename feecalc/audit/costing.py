"""Turning report lines into the engine's items, and the second looks the audit takes when Amazon's figure and
feecalc's differ: the other fee category's card (apparel or not), and the referral categories whose fee is
Amazon's figure.  Every figure here comes from `expected.figures`, the one engine, once per distinct item.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations

import numpy as np
import pandas as pd

from ..engine import compiled_table
from ..errors import NoFeeTable
from ..marketplaces import REGISTRY
from ..tables import table_for
from .amounts import micro_text
from .expected import Expected, distinct, figures
from .findings import Reading
from .ledger import NONE

ITEM_COLUMNS = ("price", "shipping", "gift_wrap", "length", "width", "height", "dimension_unit", "weight",
                "weight_unit", "category", "marketplace", "date", "apparel", "dangerous_goods", "sipp",
                "utilization_weeks")
# what Amazon's one fulfilment figure may or may not include (the reference does not say): each is tried
EXTRAS = (("fuel_surcharge", "the fuel surcharge"), ("packaging", "the packaging fee"),
          ("overmax_handling", "the overmax handling fee"))
FULFILMENT_LINES = ("fulfillment", "sipp_discount") + tuple(name for name, _ in EXTRAS)
SIPP_NOTE = "less the SIPP discount (if the unit is SIPP-certified: the report does not say)"


@dataclass
class Costed:
    """The engine's figures for every row of an items frame: `expected` per distinct item, `code` per row."""

    code: np.ndarray
    expected: Expected

    def take(self, values: np.ndarray) -> np.ndarray:
        """A per-item array for every row."""
        return values[self.code]

    def minor(self, name: str) -> np.ndarray:
        return self.expected.minor[name][self.code]

    def reason(self, name: str) -> np.ndarray:
        return self.expected.reason[name][self.code]

    @property
    def error(self) -> np.ndarray:
        return self.expected.error[self.code]

    @property
    def no_table(self) -> np.ndarray:
        """Rows whose only error is that no fee table covers their store on their date."""
        return self.expected.no_table[self.code] if len(self.code) else np.zeros(0, dtype=bool)

    def errors_named(self, columns: dict[str, str]) -> np.ndarray:
        """Each row's error with the field it starts with named as the report's column ('date: ...' ->
        'posted-date: ...'), once per distinct item."""
        named = np.array([named_field(e, columns) for e in self.expected.error] + [None], dtype=object)
        return named[self.code]

    def explain(self, row: int, name: str, note: bool = True) -> str:
        return self.expected.explain(int(self.code[row]), name, note)

    def explain_all(self, row: int, names) -> str:
        """The explanations of several lines of one row, the input stage's note once, at the end."""
        texts = [self.explain(row, name, note=False) for name in names]
        whole = self.explain(row, names[0])
        if whole != texts[0]:
            texts.append(whole[len(texts[0]) + 2:])
        return "; ".join(texts)


def named_field(error, columns: dict[str, str]):
    """An error message with the field it starts with named as the report's column."""
    if not isinstance(error, str):
        return error
    field, sep, rest = error.partition(": ")
    return f"{columns[field]}: {rest}" if sep and field in columns else error


def cost(items: pd.DataFrame) -> Costed:
    """Cost every row of `items` (ITEM_COLUMNS; amounts as micro-units, whole minor units of the row's currency;
    `date` as datetime64[D]) once per distinct row."""
    frame = items[[c for c in ITEM_COLUMNS if c in items.columns]]
    code, unique = distinct(frame)
    engine = unique.copy()
    for name in ("price", "shipping", "gift_wrap"):
        if name in engine.columns:
            engine[name] = micro_text(engine[name].to_numpy())
    if "apparel" in engine.columns:
        engine["apparel"] = engine["apparel"].astype(object).where(engine["apparel"].notna(), None)
    return Costed(code, figures(engine))


def market_of_domain(names: np.ndarray) -> np.ndarray:
    """The store of each `marketplace-name` (`Amazon.com`, `amazon.co.uk`, `amazon.de`; reports.md 3.2), None where
    it is empty or names no store of the registry."""
    domains = {m.domain.lower(): m.code for m in REGISTRY.values() if m.domain}
    codes, uniques = pd.factorize(pd.Series(names, dtype=object).fillna(""), use_na_sentinel=False)
    mapped = [domains.get(str(u).strip().lower().removeprefix("www.")) for u in uniques]
    return np.array(mapped + [None], dtype=object)[codes]


def market_of_currency(currency: np.ndarray) -> np.ndarray:
    """The one store of each currency (GBP: UK), None where the currency is empty or several stores use it (EUR)."""
    stores: dict[str, list[str]] = {}
    for m in REGISTRY.values():
        stores.setdefault(m.currency, []).append(m.code)
    codes, uniques = pd.factorize(pd.Series(currency, dtype=object).fillna(""), use_na_sentinel=False)
    mapped = [stores[u][0] if len(stores.get(str(u), ())) == 1 else None for u in uniques]
    return np.array(mapped + [None], dtype=object)[codes]


def flipped(items: pd.DataFrame, costed: Costed) -> Costed:
    """The same items on the other fee category's card: apparel where feecalc priced them as not, and the reverse."""
    other = items.copy()
    apparel = costed.take(costed.expected.apparel)
    other["apparel"] = np.where(apparel == 1, False, np.where(apparel == 0, True, NONE)).astype(object)
    return cost(other)


def categories_charging(items: pd.DataFrame, costed: Costed, rows: np.ndarray, amazon_minor: np.ndarray,
                        quantity: np.ndarray | None = None) -> np.ndarray:
    """For each of `rows`, the referral categories of its table whose referral fee (per unit, times `quantity`) is
    Amazon's figure, as text ('' where none is); one engine run over those rows' distinct items and every category."""
    out = np.full(len(items), "", dtype=object)
    if not len(rows):
        return out
    pick = items.iloc[rows].reset_index(drop=True)
    keys = [_categories(m, d) for m, d in zip(pick["marketplace"], pick["date"], strict=True)]
    wide = pick.loc[np.repeat(np.arange(len(pick)), [len(k) for k in keys])].reset_index(drop=True)
    wide["category"] = [k for ks in keys for k in ks]
    found = cost(wide)
    owner = np.repeat(np.arange(len(pick)), [len(k) for k in keys])
    times = 1 if quantity is None else np.repeat(quantity[rows], [len(k) for k in keys])
    hit = (found.minor("referral") * times == np.repeat(amazon_minor[rows], [len(k) for k in keys])) & \
        (found.reason("referral") == None) & (found.error == None)  # noqa: E711
    for j in np.unique(owner[hit]):
        out[rows[j]] = ", ".join(wide["category"].to_numpy()[hit & (owner == j)])
    return out


def _categories(marketplace: str, date) -> list[str]:
    """The referral category keys of the table in force (none where no table is)."""
    day = pd.Timestamp(date).date()
    try:
        return list(compiled_table(table_for(marketplace, day)).frame.categories.keys)
    except NoFeeTable:
        return []


def fulfilment_variants(fee: dict[str, np.ndarray], ok: dict[str, np.ndarray],
                        sipp: tuple[dict[str, np.ndarray], dict[str, np.ndarray]] | None = None) -> list[Reading]:
    """Amazon's fulfilment figure per unit (micro-units), read as the card's fee alone or with any of the fuel
    surcharge, the packaging fee and the overmax handling fee (us-fba.md 2.3: overmax is "added to the XL fulfillment
    fee"; whether Amazon's figure includes each is not in the reference), each only where it adds something; with
    `sipp` (the fees and availability of the same units costed as SIPP units), the same less the SIPP discount, only
    where the table gives the unit one and only where it agrees with Amazon's figure (whether the unit is
    SIPP-certified is not in the reports: the discount may explain a lower charge, never measure a discrepancy).
    `fee` and `ok` are keyed by FULFILMENT_LINES; alone first, then by the number of additions, in EXTRAS order (the
    first of equal readings wins)."""
    out = []
    cases = [(fee, ok, ok["fulfillment"], False)]
    if sipp is not None:
        s_fee, s_ok = sipp
        cases.append((s_fee, s_ok, s_ok["fulfillment"] & s_ok["sipp_discount"] & (s_fee["sipp_discount"] != 0), True))
    for fees, oks, base_ok, is_sipp in cases:
        base = fees["fulfillment"] + (fees["sipp_discount"] if is_sipp else 0)
        adds = {name: oks[name] & (fees[name] != 0) for name, _ in EXTRAS}
        for k in range(len(EXTRAS) + 1):
            for chosen in combinations(EXTRAS, k):
                names = [name for name, _ in chosen]
                label = "the card's fulfilment fee" + (" with " + _joined([text for _, text in chosen]) if chosen
                                                       else "")
                if is_sipp:
                    label += ", " + SIPP_NOTE
                available = base_ok.copy()
                for name in names:
                    available &= adds[name]
                expected = base + sum((fees[name] for name in names), np.zeros_like(base))
                parts = ("fulfillment",) + (("sipp_discount",) if is_sipp else ()) + tuple(names)
                out.append(Reading(label, expected, available, parts, is_sipp, agrees_only=is_sipp))
    return out


def _joined(texts: list[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    return texts[0] if len(texts) == 1 else ", ".join(texts[:-1]) + " and " + texts[-1]


def fees_of(costed: Costed, step: np.ndarray, names=FULFILMENT_LINES) -> tuple[dict[str, np.ndarray],
                                                                             dict[str, np.ndarray]]:
    """(fee per row in micro-units, whether it is available) of each of `names`."""
    fee = {k: costed.minor(k) * step for k in names}
    ok = {k: (costed.error == None) & (costed.reason(k) == None) for k in names}  # noqa: E711
    return fee, ok


def as_sipp(items: pd.DataFrame) -> Costed:
    """The same items costed as SIPP units (their fulfilment fee less the SIPP discount where the table has one)."""
    return cost(items.assign(sipp=True))


def explain_reading(costed: Costed, sipp: Costed | None, i: int, reading: Reading) -> str:
    """feecalc's explanation of each line a fulfilment reading adds up (the SIPP costing's, for a SIPP reading)."""
    source = sipp if reading.sipp and sipp is not None else costed
    return source.explain_all(i, reading.parts or ("fulfillment",))
