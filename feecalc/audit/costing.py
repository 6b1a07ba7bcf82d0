"""Turning report lines into the engine's items, and the second looks the audit takes when Amazon's figure and
feecalc's differ: the other fee category's card (apparel or not), and the referral categories whose fee is
Amazon's figure.  Every figure here comes from `expected.figures`, the one engine, once per distinct item.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..engine import compiled_table
from ..errors import NoFeeTable
from ..marketplaces import REGISTRY
from ..tables import table_for
from .amounts import micro_text
from .expected import Expected, distinct, figures
from .ledger import NONE

ITEM_COLUMNS = ("price", "shipping", "gift_wrap", "length", "width", "height", "dimension_unit", "weight",
                "weight_unit", "category", "marketplace", "date", "apparel", "dangerous_goods", "utilization_weeks")


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

    def errors_named(self, columns: dict[str, str]) -> np.ndarray:
        """Each row's error with the field it starts with named as the report's column ('date: ...' ->
        'posted-date: ...'), once per distinct item."""
        named = np.array([named_field(e, columns) for e in self.expected.error] + [None], dtype=object)
        return named[self.code]

    def explain(self, row: int, name: str) -> str:
        return self.expected.explain(int(self.code[row]), name)


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
