"""The referral fee: a percentage of the total sales price (item price + shipping + gift wrap) by category, with
a minimum per item.

Data: `referral` (one entry per category and date range; `rate`, or `whole_price` tiers where the whole price
takes the rate of the tier it falls in, or `marginal` tiers where each portion of the price takes its tier's
rate, as jewelry's 20% up to $250 and 5% above; `minimum`, or `no_minimum` with the reason, or
`minimum_unavailable` with the reason where the minimum is NOT FOUND; `aliases`).  A category with no entry in force
on a date has no referral rate then, and one whose entry is `unavailable` (its rate NOT FOUND) has none at all: the
fee is unavailable, with that reason.  Amounts are minor units of the table's currency.
Tests: tests/fees/test_referral.py.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal

import numpy as np

from ..money import PPM, half_up_div, minor_to_decimal, percent_to_ppm, to_minor
from ..tables import category_key
from .base import BIG, Frame, Line, Section, WarningSource, classes


@dataclass(frozen=True)
class Referral:
    """Per rule (one per referral entry, plus a last row for "not in force"): tier bounds and rates in cents and
    ppm, marginal or whole-price, minimum; and per (period, category) the rule in force."""

    lo: np.ndarray          # int64 (rule, tier): the tier's lower bound in cents
    width: np.ndarray       # int64 (rule, tier): the tier's width in cents (BIG - lo where open)
    ppm: np.ndarray         # int64 (rule, tier)
    marginal: np.ndarray    # bool per rule
    minimum_c: np.ndarray   # int64 per rule
    figure: np.ndarray      # int32 per rule
    minimum_fig: np.ndarray
    text: list[str]         # 'Jewelry: marginal 20% up to 250.00, 5% above'
    rule: np.ndarray        # int32 (period, category): the rule in force (the last row where none)
    missing: np.ndarray     # int32 (period, category): reason id where no rule is in force or it is unavailable
    warnings: WarningSource  # per rule: its "no minimum" note and its figures' warnings
    currency: str


@dataclass(frozen=True)
class ReferralLine(Line):
    rule: np.ndarray


def compile(frame: Frame, data: Section) -> Referral:
    items = data["referral"]
    nr = len(items)
    ntiers = max(len(cat["whole_price"] or cat["marginal"] or [1]) for cat in items)
    lo = np.full((nr + 1, ntiers), BIG, dtype=np.int64)
    hi = np.full((nr + 1, ntiers), BIG, dtype=np.int64)
    ppm = np.zeros((nr + 1, ntiers), dtype=np.int64)
    marginal = np.zeros(nr + 1, dtype=bool)
    minimum_c = np.zeros(nr + 1, dtype=np.int64)
    figure = np.full(nr + 1, -1, dtype=np.int32)
    minimum_fig = np.full(nr + 1, -1, dtype=np.int32)
    note = np.full(nr + 1, -1, dtype=np.int32)
    text = [""] * (nr + 1)
    unavailable = np.full(nr + 1, -1, dtype=np.int32)  # per rule: why its fee is unavailable
    for r, cat in enumerate(items):
        if cat.get("unavailable") is not None:
            unavailable[r] = frame.message(f"referral: {cat['name']}: {cat['unavailable']}")
            text[r] = f"{cat['name']}: unavailable"
            continue
        if cat.get("minimum_unavailable") is not None:
            unavailable[r] = frame.message(f"referral: {cat['name']}: {cat['minimum_unavailable']}")
        tiers = cat["whole_price"] or cat["marginal"] or [{"upto": None, "rate": cat["rate"]}]
        low = 0
        for j, tier in enumerate(tiers):
            high = to_minor(Decimal(tier["upto"]), frame.currency) if tier["upto"] is not None else int(BIG)
            lo[r, j], hi[r, j], ppm[r, j] = low, high, percent_to_ppm(tier["rate"])
            low = high
        marginal[r] = cat["marginal"] is not None
        kind = "marginal" if cat["marginal"] else "whole-price" if cat["whole_price"] else "flat"
        text[r] = f"{cat['name']}: {kind} " + ", ".join(
            f"{x['rate']}" + (f" up to {x['upto']}" if x["upto"] is not None else (" above" if len(tiers) > 1 else ""))
            for x in tiers)
        key = f"referral[{r}] {cat['name']}"
        figure[r] = frame.figure(key, cat)
        if cat["minimum"]:
            minimum_c[r] = to_minor(cat["minimum"]["value"], frame.currency)
            minimum_fig[r] = frame.figure(key + " minimum", cat["minimum"], cat)
        elif cat["no_minimum"] is not None:
            note[r] = frame.message(f"referral: {cat['name']}: no minimum applied: {cat['no_minimum']}")
    periods, categories = frame.periods, frame.categories
    rule = np.full((len(periods), len(categories)), nr, dtype=np.int32)
    missing = np.full((len(periods), len(categories)), -1, dtype=np.int32)
    for p in range(len(periods)):
        for r, cat in enumerate(items):
            if periods.active(cat, p):
                rule[p, categories.lookup[category_key(cat["name"])]] = r
        for ci, name in enumerate(categories.names):
            if rule[p, ci] == nr:
                missing[p, ci] = frame.message(
                    f"referral: {name} has no rate in {frame.id} on {periods.starts[p]} to {periods.ends[p]}")
            else:
                missing[p, ci] = unavailable[rule[p, ci]]
    fw = frame.register.warnings_of
    return Referral(lo, hi - lo, ppm, marginal, minimum_c, figure, minimum_fig, text, rule, missing,
                    classes(np.stack([note, fw(figure), fw(minimum_fig)], 1), note.shape), frame.currency)


def evaluate(ref: Referral, period: np.ndarray, category: np.ndarray, total_c: np.ndarray) -> ReferralLine:
    """The percentage of each portion of the total sales price its tier covers (marginal), or of the whole price
    at the rate of the tier it falls in; rounded half up, and at least the minimum."""
    rule = ref.rule[period, category]
    above = total_c[:, None] - ref.lo[rule]  # how far the total sales price reaches into each tier
    width = ref.width[rule]
    portion = np.where(ref.marginal[rule][:, None], np.minimum(np.maximum(above, 0), width),
                       np.where((above > 0) & (above <= width), total_c[:, None], 0))
    pct = half_up_div((portion * ref.ppm[rule]).sum(axis=1), PPM)
    return ReferralLine(np.maximum(pct, ref.minimum_c[rule]), ref.missing[period, category], ref.figure[rule], rule)


def warnings(ref: Referral, line: ReferralLine) -> list[WarningSource]:
    ids, table = ref.warnings
    return [(ids[line.rule], table)]


def explain(ref: Referral, line: ReferralLine, i: int, cite: str) -> str:
    rule = int(line.rule[i])
    floor = f"; minimum {minor_to_decimal(int(ref.minimum_c[rule]), ref.currency)}" \
        if ref.minimum_fig[rule] >= 0 else "; no minimum"
    return f"{ref.text[rule]} of the total sales price{floor} {cite}"


def breakpoints(ref: Referral, period: int, category: int, extra_c: int) -> set[int]:
    """Item prices (cents) around which the fee's formula changes, for a category and a given shipping + gift wrap:
    each tier's edges and the price where the percentage crosses the minimum (and the cents beside them)."""
    rule = int(ref.rule[period, category])
    points: set[int] = set()
    for low, width, ppm in zip(ref.lo[rule], ref.width[rule], ref.ppm[rule], strict=True):
        for edge in (int(low), int(low) + int(width)):
            if edge < BIG:
                points |= {edge - extra_c + d for d in (0, 1)}
        if ppm:
            cross = int(math.ceil(int(ref.minimum_c[rule]) * PPM / int(ppm))) - extra_c
            points |= {cross - 1, cross, cross + 1}
    return points
