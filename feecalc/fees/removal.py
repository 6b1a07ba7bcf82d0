"""Removal and disposal order fees: what Amazon charges per unit to send a unit back to the seller or to dispose
of it (the same fee for both), by size tier and shipping weight.  Not part of a sale: `quote` shows it beside the
sale's lines, `removal_order` prices it alone, and the channel comparison weighs it against the aged-inventory
surcharge of a long stay.

Amazon rounds the weight up (standard-size under 1 lb to the next 0.1 lb, everything else to the next whole lb,
A-REM); the bands' edges are whole multiples of those steps, so the rounding never moves a unit to another band or
step, and the explanation shows the rounded weight.  Units that need special handling (apparel, shoes, watches,
jewellery, dangerous goods) pay rates the reference does not grade, so they are unavailable with that reason.

Data: `removal_orders` (dated versions: `tiers` of weight bands with per-lb steps, `round_up`, `special_handling`
and `special_handling_categories`, or `unavailable`).
Tests: tests/fees/test_removal.py.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .base import Frame, Line, Section, WeightBands, band_labels, constant


@dataclass(frozen=True)
class Removal:
    segment: np.ndarray      # intp (period, tier): band segment (-1: unavailable)
    stepped: np.ndarray      # bool per band slot: the band charges per-lb steps
    why: np.ndarray          # int32 (period, tier): the reason where unavailable (-1: priced)
    special: np.ndarray      # int32 (period, category + 1): the special-handling reason of a category (-1: none)
    special_why: np.ndarray  # int32 per period: the reason for apparel and dangerous goods (-1: none)
    round_up: list[str]      # per period, how Amazon rounds the weight
    bands: WeightBands


@dataclass(frozen=True)
class RemovalLine(Line):
    slot: np.ndarray
    steps: np.ndarray
    weight: np.ndarray
    period: np.ndarray


def compile(frame: Frame, data: Section, tier_names: list[str]) -> Removal:
    versions = data["removal_orders"]
    segments = [(v, tier, rows) for v, ver in enumerate(versions) for tier, rows in ver["tiers"].items()]
    bands = WeightBands(max(len(segments), 1), max([len(rows) for *_, rows in segments] + [1]), frame.currency)
    seg_of = {}
    for s, (v, tier, rows) in enumerate(segments):
        seg_of[v, tier] = s
        for j, (row, label) in enumerate(zip(rows, band_labels(rows), strict=True)):
            slot = bands.slot(s, j)
            bands.set_edge(frame, s, j, row)
            bands.text[slot] = f"{tier}, {label} (shipping weight)"
            bands.set_fee(frame, slot, f"removal_orders[{v}] {tier}, {label}", row["fee"][0], row, versions[v])
    nper, nt = len(frame.periods), len(tier_names)
    segment = np.full((nper, nt), -1, dtype=np.intp)
    why = np.full((nper, nt), frame.message(
        f"removal and disposal order fees are not in {frame.id} (the reference has none for this store)"),
        dtype=np.int32)
    special = np.full((nper, len(frame.categories) + 1), -1, dtype=np.int32)
    special_why = np.full(nper, -1, dtype=np.int32)
    round_up = [""] * nper
    for p in range(nper):
        found = next((i for i, ver in enumerate(versions) if frame.periods.active(ver, p)), None)
        if found is None:
            continue
        v, ver = found, versions[found]
        round_up[p] = ver["round_up"] or ""
        if ver["special_handling"]:
            special_why[p] = frame.message(f"removal and disposal order fees: {ver['special_handling']}")
            special[p, frame.categories.indices(ver["special_handling_categories"],
                                                f"removal_orders[{v}].special_handling_categories")] = special_why[p]
        for t, tier in enumerate(tier_names):
            if (v, tier) in seg_of:
                segment[p, t], why[p, t] = seg_of[v, tier], -1
            else:
                why[p, t] = frame.message(f"removal and disposal order fees, {tier}: {ver['unavailable']}")
    return Removal(segment, np.isfinite(bands.step_above), why, special, special_why, round_up, bands)


def evaluate(rm: Removal, period: np.ndarray, tier: np.ndarray, ship_weight: np.ndarray, category: np.ndarray,
             apparel: np.ndarray, dangerous: np.ndarray) -> RemovalLine:
    seg = rm.segment[period, tier]
    slot = rm.bands.band_of(np.maximum(seg, 0), ship_weight)
    steps = rm.bands.steps(ship_weight, slot) if rm.stepped[slot].any() else constant(len(slot), 0, np.int64)
    handled = np.where((apparel == 1) | (dangerous == 1), rm.special_why[period], rm.special[period, category])
    why = rm.why[period, tier]
    reason = np.where(why >= 0, why, handled).astype(np.int32)
    if reason.max(initial=-1) < 0:  # every row priced (the usual case): no masking
        return RemovalLine(rm.bands.amount(slot, steps), reason, rm.bands.fee_fig[slot], slot, steps, ship_weight,
                           period)
    ok = reason < 0
    return RemovalLine(np.where(ok, rm.bands.amount(slot, steps), 0), reason,
                       np.where(ok, rm.bands.fee_fig[slot], -1).astype(np.int32), np.where(ok, slot, -1), steps,
                       ship_weight, period)


def explain(rm: Removal, line: RemovalLine, i: int, cite: str, weight_unit: str) -> str:
    slot = int(line.slot[i])
    rounding = rm.round_up[int(line.period[i])]
    rounded = f"; {rounding}" if rounding else ""
    return (f"{rm.bands.text[slot]}, {float(line.weight[i]):g} {weight_unit}{rounded}: "
            f"{rm.bands.how(slot, int(line.steps[i]))} per unit removed or disposed of (not part of a sale) {cite}")
