"""Break-even and target-margin prices over whole cents, exact, with the prices where the answer is unknown and the
price windows above it where the channel falls short.

For a channel and a margin m (0: break-even), a whole-cent item price p *holds* when unit profit >= m x revenue,
*falls short* when it is below, and is *unknown* when the channel is unavailable at p (a fee NOT FOUND at that
price, such as DE low-price FBA between EUR 11.01 and 20.00).  Per row:

* `exact`: the lowest price that holds, when every price below it is known (otherwise None);
* `first_known`: the lowest price that holds (the answer, or, with unknown prices below, an upper bound of it);
* `at_least`: where unknown prices lie below `first_known`, the lowest of them: the answer is at least that;
* `unknown`: the unknown price ranges, and `short`: the ranges above `first_known` that fall short, both up to a
  ceiling of 3 x `first_known` or the item's own price, whichever is higher (whole-cent closed intervals).

How: profit is linear in price between breakpoints (price-band edges, referral tiers, the minimum-fee crossover,
from the engine's tables), apart from each line's half-up rounding, which moves it by a few cents.  Each piece is
costed exactly at both ends; where its straight line lies more than TOLERANCE from the condition's edge the whole
part is decided, and the cents within TOLERANCE of it are each costed exactly through the engine, all rows at
once.  A piece whose ends differ in availability is bisected to the cent where it changes.  The tests compare
the answers with a scan of every cent.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import numpy as np
import pandas as pd

from .channels import CHANNELS, Basis, lines_at, summarize
from .engine import compiled_table, price_breakpoints
from .errors import FeecalcError, InvalidItem
from .inputs import as_date
from .money import PPM
from .stay import start_days
from .tables import category_key, table_for

HOLDS, SHORT, UNKNOWN = 1, 0, -1
TOLERANCE = 16 * PPM     # the most rounding moves profit from its straight line, with margin (millionths of a cent)
MAX_EXACT = 200_000      # cents costed one by one per piece at most (a piece flat within TOLERANCE of the edge)
CEILING_FACTOR = 3       # windows and unknown ranges are reported up to 3 x the answer (or the item's price)


@dataclass(frozen=True)
class Prices:
    """Per row (of the rows searched, in the basis's numbering): the answer and the ranges, in cents."""

    rows: np.ndarray          # the basis rows searched
    exact: np.ndarray         # int64, -1: none
    first_known: np.ndarray   # int64, -1: no price holds below the cap
    at_least: np.ndarray      # int64, -1: nothing unknown below first_known
    ceiling: np.ndarray       # int64: ranges are reported up to here
    ranges: pd.DataFrame      # row, lo, hi, kind ('unknown' or 'short'), in price order

    def of(self, row: int) -> dict:
        """The answer for one basis row, as Decimals and lists of (lo, hi) Decimal pairs."""
        i = int(np.flatnonzero(self.rows == row)[0])
        money = lambda c: None if c < 0 else Decimal(int(c)).scaleb(-2)  # noqa: E731
        mine = self.ranges[self.ranges["row"] == row]
        pairs = {kind: [(money(lo), money(hi)) for lo, hi in zip(part["lo"], part["hi"], strict=True)]
                 for kind, part in ((k, mine[mine["kind"] == k]) for k in ("unknown", "short"))}
        return {"exact": money(self.exact[i]), "first_known": money(self.first_known[i]),
                "at_least": money(self.at_least[i]), "unknown": pairs["unknown"], "short": pairs["short"],
                "ceiling": money(self.ceiling[i])}

    def texts(self, n: int, kind: str) -> np.ndarray:
        """Per basis row, the ranges of one kind as text ('10.00-10.75; 50.01-52.00'; None where there are none)."""
        out = np.full(n, None, dtype=object)
        part = self.ranges[self.ranges["kind"] == kind]
        if len(part):
            text = pd.Series(_money_text(part["lo"].to_numpy()), dtype=object) + "-" + \
                pd.Series(_money_text(part["hi"].to_numpy()), dtype=object)
            joined = text.groupby(part["row"].to_numpy(), sort=False).agg("; ".join)
            out[joined.index.to_numpy()] = joined.to_numpy(object)
        return out


def _money_text(cents: np.ndarray) -> np.ndarray:
    whole, frac = np.divmod(cents, 100)
    return np.char.add(np.char.add(whole.astype(str), "."), np.char.zfill(frac.astype(str), 2))


def lowest_prices(b: Basis, channel: str, margin: Decimal = Decimal(0), rows: np.ndarray | None = None,
                  allocate_fixed: bool = True, cap_c: int = 10**9) -> Prices:
    """Search rows `rows` of a basis (default: every row) for where `channel` reaches `margin` (see the module)."""
    return search(b, [(channel, margin)], rows, allocate_fixed, cap_c)[(channel, margin)]


def search(b: Basis, asks: list[tuple[str, Decimal]], rows: np.ndarray | list[np.ndarray] | None = None,
           allocate_fixed: bool = True, cap_c: int = 10**9, bound: bool = False) -> dict[tuple[str, Decimal], Prices]:
    """Several (channel, margin) searches at once, over the same rows or each over its own (`rows` a list aligned
    with `asks`): each step costs every row and question in one engine call.

    `bound=True` searches a channel that is unavailable at every price for want of a cost line (`Basis.needs`: a
    storage month NOT FOUND, a carrier rate) with that line left out: since every line is a cost, its answers
    are lower bounds of the true ones."""
    for _, margin in asks:
        if not 0 <= margin < 1:
            raise InvalidItem("target_margin", margin, "must be at least 0 and below 1")
    every = np.arange(b.n)
    per_ask = rows if isinstance(rows, list) else [every if rows is None else np.asarray(rows)] * len(asks)
    per_ask = [np.asarray(r, dtype=np.intp) for r in per_ask]
    bounds = np.cumsum([0] + [len(r) for r in per_ask])
    task_row = np.concatenate(per_ask) if per_ask else np.zeros(0, dtype=np.intp)
    task_channel = np.repeat([CHANNELS.index(c) for c, _ in asks], [len(r) for r in per_ask]).astype(np.intp)
    task_m = np.repeat([int(m * PPM) for _, m in asks], [len(r) for r in per_ask]).astype(np.int64)
    s = _Search(b, task_row, task_channel, task_m, allocate_fixed, bound)
    seg_t, seg_a, seg_b = _pieces(b, task_row, task_channel, cap_c)
    ga, ka = s.gap(seg_t, seg_a)
    gb, kb = s.gap(seg_t, seg_b)
    pieces = s.split_mixed(seg_t, seg_a, seg_b, ga, gb, ka, kb)
    answers = _answers(b, task_row, s.classify(*pieces))
    out = {}
    for k, ask in enumerate(asks):
        lo, hi = int(bounds[k]), int(bounds[k + 1])
        ranges = answers.ranges[(answers.ranges["row"] >= lo) & (answers.ranges["row"] < hi)]
        out[ask] = Prices(per_ask[k], answers.exact[lo:hi], answers.first_known[lo:hi], answers.at_least[lo:hi],
                          answers.ceiling[lo:hi], ranges.assign(row=task_row[ranges["row"].to_numpy()]))
    return out


class _Search:
    """The condition's gap, profit - m x revenue in millionths of a cent, costed through the engine, for tasks:
    (basis row, channel, margin) each."""

    def __init__(self, b: Basis, row: np.ndarray, channel: np.ndarray, m_ppm: np.ndarray, allocate_fixed: bool,
                 bound: bool = False):
        self.b, self.row, self.channel, self.m_ppm = b, row, channel, m_ppm
        self.allocate_fixed, self.reason = allocate_fixed, "reason_at_price" if bound else "reason"

    def gap(self, tasks: np.ndarray, prices: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(gap, known) of tasks at prices, in one engine call for every channel."""
        if not len(tasks):
            return np.zeros(0), np.zeros(0, dtype=bool)
        per = lines_at(self.b, self.row[tasks], prices)
        channel = self.channel[tasks]
        profit = np.choose(channel, [summarize(per[c], self.allocate_fixed)["profit"] for c in CHANNELS])
        revenue = np.choose(channel, [per[c]["revenue_c"] for c in CHANNELS])
        known = np.choose(channel, [pd.isna(per[c][self.reason]) for c in CHANNELS])
        gap = profit.astype(np.float64) * PPM - self.m_ppm[tasks] * revenue.astype(np.float64)
        return gap, known.astype(bool)

    def split_mixed(self, row, a, b, ga, gb, ka, kb):
        """Pieces whose ends differ in availability, cut at the cent where it changes (bisection, all at once)."""
        mixed = ka != kb
        if not mixed.any():
            return row, a, b, ga, gb, ka
        lo, hi = a[mixed].copy(), b[mixed].copy()
        r, k_lo = row[mixed], ka[mixed]
        g_lo, g_hi = ga[mixed].copy(), gb[mixed].copy()
        while (hi - lo > 1).any():
            live = hi - lo > 1
            mid = (lo + hi) // 2
            g, k = self.gap(r[live], mid[live])
            same = k == k_lo[live]
            idx = np.flatnonzero(live)
            lo[idx[same]], g_lo[idx[same]] = mid[live][same], g[same]
            hi[idx[~same]], g_hi[idx[~same]] = mid[live][~same], g[~same]
        # the left part [a, lo] keeps a's availability, the right part [hi, b] b's
        keep = ~mixed
        return (np.concatenate([row[keep], r, r]), np.concatenate([a[keep], a[mixed], hi]),
                np.concatenate([b[keep], lo, b[mixed]]), np.concatenate([ga[keep], ga[mixed], g_hi]),
                np.concatenate([gb[keep], g_lo, gb[mixed]]), np.concatenate([ka[keep], k_lo, kb[mixed]]))

    def classify(self, row, a, b, ga, gb, known) -> pd.DataFrame:
        """Intervals (row, lo, hi, status) covering every piece: decided from the straight line where it is far
        from the edge, cent by cent through the engine where it is near."""
        parts = [pd.DataFrame({"row": row[~known], "lo": a[~known], "hi": b[~known], "status": UNKNOWN})]
        r, a, b, ga, gb = row[known], a[known], b[known], ga[known], gb[known]
        width = np.maximum(b - a, 1).astype(np.float64)
        slope = np.where(b > a, (gb - ga) / width, 0.0)
        with np.errstate(divide="ignore", invalid="ignore"):
            p1 = a + (-TOLERANCE - ga) / slope
            p2 = a + (TOLERANCE - ga) / slope
        flat = np.abs(slope) < 1e-9
        near = np.abs(ga) < TOLERANCE
        lo_f = np.where(flat, np.where(near, a, b + 1), np.floor(np.minimum(p1, p2)) - 1)
        hi_f = np.where(flat, np.where(near, b, a - 1), np.ceil(np.maximum(p1, p2)) + 1)
        u = np.clip(lo_f, a, b + 1).astype(np.int64)
        v = np.clip(hi_f, a - 1, b).astype(np.int64)
        empty = u > v
        u, v = np.where(empty, b + 1, u), np.where(empty, b, v)  # nothing to check: the whole piece is decided
        v = np.minimum(v, u + MAX_EXACT - 1)
        below = np.where(ga >= 0, HOLDS, SHORT)   # the part below the checked cents has a's side
        above = np.where(gb >= 0, HOLDS, SHORT)   # ... and the part above it b's side
        whole = np.where(ga >= 0, HOLDS, SHORT)
        parts.append(pd.DataFrame({"row": r, "lo": a, "hi": np.where(empty, b, u - 1),
                                   "status": np.where(empty, whole, below)}))
        parts.append(pd.DataFrame({"row": r, "lo": v + 1, "hi": b, "status": above})[~empty])
        counts = np.where(empty, 0, v - u + 1)
        if counts.sum():
            cand_r = np.repeat(r, counts)
            cand_p = np.repeat(u, counts) + np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
            g, k = self.gap(cand_r, cand_p)
            status = np.where(k, np.where(g >= 0, HOLDS, SHORT), UNKNOWN)
            parts.append(pd.DataFrame({"row": cand_r, "lo": cand_p, "hi": cand_p, "status": status}))
        out = pd.concat(parts, ignore_index=True)
        return out[out["lo"] <= out["hi"]]


def _pieces(b: Basis, task_row: np.ndarray, task_channel: np.ndarray,
            cap_c: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(task, first cent, last cent) of every piece between breakpoints, for every task (the last open to cap_c)."""
    items = b.items.iloc[task_row]
    start = start_days(items, b.on)
    market = items["marketplace"].astype(str).str.upper().to_numpy() if "marketplace" in items else \
        np.full(len(task_row), b.marketplace.upper())
    shop = task_channel == CHANNELS.index("web_shop")  # no Amazon fee in a web shop's price
    keys = pd.Series(list(zip(items["category"].astype(str), b.extra_c[task_row], start, market, shop,
                              strict=True)))
    codes, uniques = pd.factorize(keys)
    out_t, out_a, out_b = [], [], []
    for code, (category, extra, day, mk, in_shop) in enumerate(uniques):  # per distinct group, never per row
        points = set() if in_shop else _breakpoints(str(category), int(extra), int(day), str(mk))
        cuts = np.array(sorted({p for p in points if 1 <= p < cap_c} | {1}), dtype=np.int64)
        members = np.flatnonzero(codes == code)
        out_t.append(np.repeat(members, len(cuts)))
        out_a.append(np.tile(cuts, len(members)))
        out_b.append(np.tile(np.append(cuts[1:], cap_c) - 1, len(members)))
    if not out_t:
        return np.zeros(0, np.intp), np.zeros(0, np.int64), np.zeros(0, np.int64)
    return np.concatenate(out_t), np.concatenate(out_a), np.concatenate(out_b)


def price_cuts(b: Basis, row: int) -> set[int]:
    """Prices (cents) where Amazon's fees for row `row` of a basis change formula (see `_breakpoints`)."""
    items = b.items.iloc[[row]]
    market = str(items["marketplace"].iloc[0]).upper() if "marketplace" in items else b.marketplace.upper()
    return _breakpoints(str(items["category"].iloc[0]), int(b.extra_c[row]), int(start_days(items, b.on)[0]), market)


def _breakpoints(category: str, extra_c: int, day: int, marketplace: str) -> set[int]:
    """Prices (cents) where the table's fees change formula for a category, shipping + gift wrap and date."""
    try:
        table = compiled_table(table_for(marketplace, as_date(np.datetime64(day, "D").item())))
    except FeecalcError:  # no table: every price is that row's error
        return set()
    period = int(table.frame.periods.of(np.array([day]))[0])
    ci = table.frame.categories.lookup.get(category_key(category))
    if ci is None:
        return table.fulfillment.price_bands.breakpoints()
    return price_breakpoints(table, period, ci, extra_c)




def _answers(b: Basis, task_row: np.ndarray, intervals: pd.DataFrame) -> Prices:
    """Merge the intervals of each task and read off the answers and the reported ranges (whole-array work); the
    result is indexed by task, its ranges' `row` too."""
    iv = intervals.sort_values(["row", "lo"], kind="stable").reset_index(drop=True)
    r, lo, hi, st = (iv[k].to_numpy() for k in ("row", "lo", "hi", "status"))
    new = np.ones(len(iv), dtype=bool)
    new[1:] = (r[1:] != r[:-1]) | (st[1:] != st[:-1]) | (lo[1:] != hi[:-1] + 1)
    group = np.cumsum(new) - 1
    m_lo = lo[new]
    m_hi = np.zeros(len(m_lo), dtype=np.int64)
    np.maximum.at(m_hi, group, hi)
    m_r, m_st = r[new], st[new]
    n = len(task_row)
    big = np.iinfo(np.int64).max
    first = np.full(n, big)
    np.minimum.at(first, m_r[m_st == HOLDS], m_lo[m_st == HOLDS])
    unknown_lo = np.full(n, big)
    unk = m_st == UNKNOWN
    np.minimum.at(unknown_lo, m_r[unk], m_lo[unk])
    own = _own_price(b)[task_row]
    found = first < big
    at_least = np.where(unknown_lo < first, unknown_lo, -1)
    exact = np.where(found & (at_least < 0), first, -1)
    ceiling = np.where(found, np.maximum(CEILING_FACTOR * np.where(found, first, 0), own), CEILING_FACTOR * own)
    ceiling = np.maximum(ceiling, 1)
    row_ceiling = ceiling[m_r]
    report_unknown = unk & (m_lo <= row_ceiling)
    report_short = (m_st == SHORT) & found[m_r] & (m_lo > first[m_r]) & (m_lo <= row_ceiling)
    keep = report_unknown | report_short
    ranges = pd.DataFrame({"row": m_r[keep], "lo": m_lo[keep], "hi": np.minimum(m_hi, row_ceiling)[keep],
                           "kind": np.where(report_unknown[keep], "unknown", "short")})
    return Prices(task_row, exact, np.where(found, first, -1), at_least, ceiling, ranges)


def _own_price(b: Basis) -> np.ndarray:
    price = pd.to_numeric(b.items["price"], errors="coerce").to_numpy(np.float64)
    return np.rint(np.where(np.isfinite(price) & (price > 0) & (price < 1e9), price, 0) * 100).astype(np.int64)
