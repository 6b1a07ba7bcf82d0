"""Unit profit per channel against price: the points of the profit chart (`compare --plot`, the web page), costed
through the same lines as `compare` (one engine call for every point).

The prices run over whole cents from 0.01 to twice the item's price, or 1.5 x the highest break-even or target
answer if that is higher; besides an even spread, every price where a fee changes formula (price-band edges, referral
tiers, the minimum-fee crossover) and the cent below it are points, so the chart's steps are where the fees' are.
A price where a channel is unavailable has no profit (None) and is part of one of the channel's `gaps`, with the
reason; a channel that cannot be costed at any price (a cost line NOT FOUND whatever the price) has none at all.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import numpy as np
import pandas as pd

from .breakeven import price_cuts
from .channels import CHANNELS, Profile, basis, lines_at, summarize
from .compare import Comparison
from .errors import InvalidItem
from .money import cents_to_decimal

MAX_POINTS = 2000  # an even spread of at most this many prices (the fee steps come on top)


@dataclass(frozen=True)
class Curve:
    """Per channel, unit profit (plan share included, as in `compare`) at each price; None where it is unknown."""

    currency: str
    prices: list[Decimal]
    profit: dict[str, list[Decimal | None]]
    gaps: dict[str, list[tuple[Decimal, Decimal, str]]]  # price ranges (whole cents, closed) without a profit, why
    unavailable: dict[str, str | None]                   # a channel with no profit at any price: why

    def to_dict(self) -> dict:
        money = lambda v: None if v is None else str(v)  # noqa: E731
        return {"currency": self.currency, "prices": [str(p) for p in self.prices],
                "channels": {c: {"profit": [money(v) for v in self.profit[c]],
                                 "gaps": [[str(lo), str(hi), why] for lo, hi, why in self.gaps[c]],
                                 "unavailable": self.unavailable[c]} for c in self.profit}}


def price_range(comparison: Comparison) -> tuple[int, int]:
    """(first, last) price in cents: 0.01 to twice the item's price, or 1.5 x the highest answer (at least 2.00)."""
    answers = [a for r in comparison.channels.values() for a in (r.break_even_prices, r.target_prices) if a]
    highs = [comparison.price * 2] + [a.first_known * Decimal("1.5") for a in answers if a.first_known is not None]
    return 1, max(int(max(highs) * 100), 200)


def curve_prices(b, first: int, last: int, points: int) -> np.ndarray:
    """Whole-cent prices: `points` spread evenly from `first` to `last`, the item's own price, and each fee step
    in between with the cent below it."""
    if not 2 <= points <= MAX_POINTS:
        raise InvalidItem("points", points, f"must be from 2 to {MAX_POINTS}")
    cuts = np.array(sorted(price_cuts(b, 0)), dtype=np.int64)
    own = pd.to_numeric(b.items["price"], errors="coerce").to_numpy(np.float64)[:1]
    own_c = np.rint(own[np.isfinite(own)] * 100).astype(np.int64)
    prices = np.concatenate([np.linspace(first, last, points).round().astype(np.int64), cuts, cuts - 1, own_c])
    return np.unique(prices[(prices >= first) & (prices <= last)])


def profit_curve(item: dict, comparison: Comparison, profile: Profile, on=None, marketplace: str = "US",
                 points: int = 400) -> Curve:
    """The profit chart's points for one item (`compare`'s arguments, overrides included in `profile`) whose
    comparison is `comparison` (it sets the range: see the module docstring)."""
    b = basis(pd.DataFrame([item]), profile, on=on, marketplace=marketplace)
    first, last = price_range(comparison)
    prices = curve_prices(b, first, last, points)
    per = lines_at(b, np.zeros(len(prices), dtype=np.intp), prices)
    profit, gaps, unavailable = {}, {}, {}
    for name in CHANNELS:
        why_always = b.needs[name][0]
        reason = per[name]["reason"]
        cents = summarize(per[name], allocate_fixed=True)["profit"]
        known = pd.isna(reason) if why_always is None else np.zeros(len(prices), dtype=bool)
        profit[name] = [cents_to_decimal(int(c)) if ok else None for c, ok in zip(cents, known, strict=True)]
        gaps[name] = [] if why_always is not None else _gaps(prices, known, reason)
        unavailable[name] = why_always
    return Curve(comparison.currency, [cents_to_decimal(int(p)) for p in prices], profit, gaps, unavailable)


def _gaps(prices: np.ndarray, known: np.ndarray, reason: np.ndarray) -> list[tuple[Decimal, Decimal, str]]:
    """Runs of consecutive unknown points as (first price, last price, the first point's reason)."""
    out: list[tuple[Decimal, Decimal, str]] = []
    start = None
    for i, ok in enumerate(known.tolist() + [True]):  # per point of one chart (a few hundred), not per catalog row
        if not ok and start is None:
            start = i
        elif ok and start is not None:
            out.append((cents_to_decimal(int(prices[start])), cents_to_decimal(int(prices[i - 1])),
                        str(reason[start])))
            start = None
    return out
