"""Packaging fees (the US 2026 bulky packaging fee, the UK/DE 2026 oversize packaging fee): weight bands per size
tier and period, read on the dimensional or the shipping weight, waived for units that ship in their own product
packaging (SIPP).

Data: `packaging_fees` (dated; `weight = "dimensional" | "shipping"`; `tiers` of weight bands, the last open; a band
without a fee is `unavailable`, the reason: a store whose fee for that tier is NOT FOUND).
Tests: tests/fees/test_packaging.py.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .base import Frame, Line, Section, WeightBands, band_labels


@dataclass(frozen=True)
class Packaging:
    segment: np.ndarray       # intp (period + 1, tier) -> segment, -1: no packaging fee
    dimensional: np.ndarray   # bool per segment: the bands read the dimensional weight
    bands: WeightBands
    reason: np.ndarray        # int32 per slot: why the fee is unavailable (-1: it is not)
    has_steps: bool
    tier_has_fee: np.ndarray  # bool per tier: a packaging fee in some period (a cheap first test)
    any: bool


@dataclass(frozen=True)
class PackagingLine(Line):
    slot: np.ndarray     # band slot, -1 where no fee is due
    steps: np.ndarray
    waived: np.ndarray   # bool: the tier has a fee on the date, waived for SIPP


def compile(frame: Frame, data: Section, tier_names: list[str]) -> Packaging:
    """segment[period, tier] -> segment; per segment its band edges and weight basis; per slot fee, step and
    figure, in the layout of the fulfilment cards (WeightBands)."""
    sections = data["packaging_fees"]
    segments = [(k, pack, tier, rows) for k, pack in enumerate(sections) for tier, rows in pack["tiers"].items()]
    width = max([len(rows) for *_, rows in segments] + [1])
    bands = WeightBands(max(len(segments), 1), width, frame.currency)
    segment = np.full((len(frame.periods) + 1, len(tier_names)), -1, dtype=np.intp)
    dimensional = np.zeros(bands.segments, dtype=bool)
    reason = np.full(len(bands.fee_c), -1, dtype=np.int32)
    for s, (k, pack, tier, rows) in enumerate(segments):
        dimensional[s] = pack["weight"] == "dimensional"
        ti = tier_names.index(tier)
        for p in range(len(frame.periods)):
            if frame.periods.active(pack, p) and segment[p, ti] < 0:
                segment[p, ti] = s
        basis = "dimensional weight" if pack["weight"] == "dimensional" else "shipping weight"
        for j, (row, label) in enumerate(zip(rows, band_labels(rows), strict=True)):
            slot = bands.slot(s, j)
            bands.set_edge(frame, s, j, row)
            bands.text[slot] = f"{pack['name']}, {tier}, {label} ({basis})"
            if row["fee"] is None:
                reason[slot] = frame.message(f"packaging: {pack['name']}, {tier}: {row['unavailable']}")
                continue
            bands.set_fee(frame, slot, f"packaging_fees[{k}] {bands.text[slot]}", row["fee"][0], row, pack)
    tier_has_fee = np.asarray((segment >= 0).any(axis=0))
    return Packaging(segment, dimensional, bands, reason, bool(np.isfinite(bands.step_above).any()), tier_has_fee,
                     bool(tier_has_fee.any()))


def evaluate(pack: Packaging, period: np.ndarray, tier: np.ndarray, dim_weight: np.ndarray,
             ship_weight: np.ndarray, sipp: np.ndarray) -> PackagingLine:
    n = len(tier)
    if not pack.any or not pack.tier_has_fee[tier].any():  # the common case, kept to a few array calls
        return _none(n, np.zeros(n, dtype=bool))
    has = pack.segment[period, tier] >= 0
    due = has & (sipp == 0)
    if not due.any():
        return _none(n, has)
    s = np.maximum(pack.segment[period, tier], 0)
    weight = np.where(pack.dimensional[s], dim_weight, ship_weight)
    slot = pack.bands.band_of(s, weight)
    steps = pack.bands.steps(weight, slot) if pack.has_steps else np.zeros(n, dtype=np.int64)
    why = np.where(due, pack.reason[slot], -1).astype(np.int32)
    return PackagingLine(np.where(due, pack.bands.amount(slot, steps), 0), why,
                         np.where(due, pack.bands.fee_fig[slot], -1).astype(np.int32), np.where(due, slot, -1),
                         np.where(due, steps, 0), has & ~due)


def _none(n: int, waived: np.ndarray) -> PackagingLine:
    zero = Line.zero(n)
    return PackagingLine(zero.cents, zero.reason, zero.figure, zero.reason, zero.cents, waived)


def explain(pack: Packaging, line: PackagingLine, i: int, cite: str) -> str:
    slot = int(line.slot[i])
    if slot < 0:
        return "waived: the unit ships in its own packaging (SIPP)" if line.waived[i] else \
            "no packaging fee for this tier and date"
    return f"{pack.bands.text[slot]}; {pack.bands.how(slot, int(line.steps[i]))} {cite}"
