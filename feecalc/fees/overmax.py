"""The overmax handling fee: a per-unit fee on extra-large items whose longest side or length + girth is over the
table's limits, by size tier, charged beside the fulfilment fee (its own line, so the fulfilment line stays the
rate card's figure).

Data: `overmax_handling` (dated; `longest_over`, `length_girth_over`, a fee per tier; tiers not listed pay none).
A table without the section has no such fee.
Tests: tests/fees/test_overmax.py.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..money import minor_to_decimal, to_minor
from .base import Frame, Line, Section, constant


@dataclass(frozen=True)
class Overmax:
    fee_c: np.ndarray        # int64 (period, tier)
    figure: np.ndarray       # int32 (period, tier)
    longest: np.ndarray      # float64 per period: the longest side it must be over (inf: no fee on the date)
    girth: np.ndarray        # float64 per period: the length + girth it must be over
    limits: list[str]        # per period, the limits as written
    notice: np.ndarray       # int32 per period
    any: bool
    currency: str


@dataclass(frozen=True)
class OvermaxLine(Line):
    over: np.ndarray         # bool: the item is over a limit (whether or not its tier pays the fee)
    period: np.ndarray


def compile(frame: Frame, data: Section, tier_names: list[str]) -> Overmax:
    nper, nt = len(frame.periods), len(tier_names)
    fee_c = np.zeros((nper, nt), dtype=np.int64)
    figure = np.full((nper, nt), -1, dtype=np.int32)
    longest, girth = np.full(nper, np.inf), np.full(nper, np.inf)
    limits = [""] * nper
    notice = np.full(nper, -1, dtype=np.int32)
    for v, ver in enumerate(data["overmax_handling"]):
        figs = {tier: frame.figure(f"overmax_handling[{v}] {tier}", fig, ver) for tier, fig in ver["tiers"].items()}
        for p in range(nper):
            if not frame.periods.active(ver, p):
                continue
            longest[p] = frame.units.length_of(ver["longest_over"])
            girth[p] = frame.units.length_of(ver["length_girth_over"])
            limits[p] = f"longest side over {ver['longest_over']} or length + girth over {ver['length_girth_over']}"
            notice[p] = frame.message(ver["notice"]) if ver["notice"] else -1
            for tier, fig in ver["tiers"].items():
                t = tier_names.index(tier)
                fee_c[p, t], figure[p, t] = to_minor(fig["value"], frame.currency), figs[tier]
    return Overmax(fee_c, figure, longest, girth, limits, notice, bool(fee_c.any()), frame.currency)


def evaluate(om: Overmax, period: np.ndarray, tier: np.ndarray, longest: np.ndarray, girth: np.ndarray) -> OvermaxLine:
    n = len(tier)
    fee = om.fee_c[period, tier] if om.any else None
    if fee is None or not fee.any():  # a table without the fee, or no row in a tier that pays it
        zero = Line.zero(n)
        over = (longest > om.longest[period]) | (girth > om.girth[period]) if om.any else constant(n, False, bool)
        return OvermaxLine(zero.cents, zero.reason, zero.figure, over, period)
    over = (longest > om.longest[period]) | (girth > om.girth[period])
    charged = over & (fee > 0)
    return OvermaxLine(np.where(charged, fee, 0), constant(n, -1, np.int32),
                       np.where(charged, om.figure[period, tier], -1).astype(np.int32), over, period)


def warning_messages(om: Overmax, line: OvermaxLine) -> list[np.ndarray]:
    if not om.any:
        return []
    return [np.where(line.figure >= 0, om.notice[line.period], -1)]


def explain(om: Overmax, line: OvermaxLine, i: int, cite: str, tier: str) -> str:
    p = int(line.period[i])
    if not om.limits[p]:
        return "no overmax handling fee on this date"
    if line.figure[i] >= 0:
        return f"overmax ({om.limits[p]}), {tier}: {minor_to_decimal(int(line.cents[i]), om.currency)} per unit {cite}"
    if line.over[i]:
        return f"over the overmax limits, but {tier} pays no overmax handling fee"
    return f"not overmax ({om.limits[p]})"
