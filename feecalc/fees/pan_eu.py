"""The Pan-EU oversize surcharge: a per-unit charge on a Pan-European FBA oversize unit sold in the store after the
seller sent it to another country's fulfilment centres (`pan_eu="cross_border"`), by tier and shipping weight (a
base fee and a fee per started kg above the base weight, as the oversize cards read).

Data: `pan_eu_oversize_surcharge` (dated; `tiers` of weight bands; tiers not listed pay none; `not_in_force`
where the store has no such charge).  A table without the section makes a cross-border unit's surcharge
unavailable, with that reason.
Tests: tests/fees/test_pan_eu.py.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .base import Frame, Line, Section, WeightBands, band_labels

CROSS_BORDER = 1  # index of "cross_border" in schema.PAN_EU


@dataclass(frozen=True)
class PanEu:
    segment: np.ndarray      # intp (period, tier): band segment (-1: none)
    why: np.ndarray          # int32 (period, tier): why none (not charged, not in force) or the reason it is unknown
    unknown: np.ndarray      # bool (period, tier): the surcharge is unknown there (the section is not in the table)
    notice: np.ndarray       # int32 per period
    bands: WeightBands


@dataclass(frozen=True)
class PanEuLine(Line):
    slot: np.ndarray
    steps: np.ndarray
    assessed: np.ndarray     # bool: a cross-border Pan-EU unit
    note: np.ndarray         # int32: why no surcharge
    period: np.ndarray


def compile(frame: Frame, data: Section, tier_names: list[str]) -> PanEu:
    versions = data["pan_eu_oversize_surcharge"]
    segments = [(v, tier, rows) for v, ver in enumerate(versions) for tier, rows in ver["tiers"].items()]
    bands = WeightBands(max(len(segments), 1), max([len(rows) for *_, rows in segments] + [1]))
    seg_of = {}
    for s, (v, tier, rows) in enumerate(segments):
        seg_of[v, tier] = s
        for j, (row, label) in enumerate(zip(rows, band_labels(rows), strict=True)):
            slot = bands.slot(s, j)
            bands.set_edge(frame, s, j, row)
            bands.text[slot] = f"{tier}, {label} (shipping weight)"
            bands.set_fee(frame, slot, f"pan_eu_oversize_surcharge[{v}] {tier}, {label}", row["fee"][0], row,
                          versions[v])
    nper, nt = len(frame.periods), len(tier_names)
    segment = np.full((nper, nt), -1, dtype=np.intp)
    unknown = np.ones((nper, nt), dtype=bool)
    why = np.full((nper, nt), frame.message(
        f"Pan-EU oversize surcharge: not in {frame.id} (the reference has none for this store and date)"),
        dtype=np.int32)
    notice = np.full(nper, -1, dtype=np.int32)
    for p in range(nper):
        found = next((i for i, ver in enumerate(versions) if frame.periods.active(ver, p)), None)
        if found is None:
            continue
        v, ver = found, versions[found]
        unknown[p] = False
        notice[p] = frame.message(ver["notice"]) if ver["notice"] else -1
        if ver["not_in_force"]:
            why[p] = frame.message(f"not in force: {ver['not_in_force']}")
            continue
        charged = ", ".join(ver["tiers"])
        for t, tier in enumerate(tier_names):
            if (v, tier) in seg_of:
                segment[p, t] = seg_of[v, tier]
            else:
                why[p, t] = frame.message(f"not charged on {tier}: the surcharge applies to {charged}")
    return PanEu(segment, why, unknown, notice, bands)


def evaluate(pe: PanEu, period: np.ndarray, tier: np.ndarray, ship_weight: np.ndarray,
             pan_eu: np.ndarray) -> PanEuLine:
    n = len(tier)
    cross = pan_eu == CROSS_BORDER
    if not cross.any():  # the common case: no cross-border Pan-EU unit
        zero = Line.zero(n)
        return PanEuLine(zero.cents, zero.reason, zero.figure, zero.reason, zero.cents, cross, zero.reason, period)
    seg = pe.segment[period, tier]
    charged = cross & (seg >= 0)
    slot = np.where(charged, pe.bands.band_of(np.maximum(seg, 0), ship_weight), -1)
    s = np.maximum(slot, 0)
    steps = np.where(charged, pe.bands.steps(ship_weight, s), 0)
    unknown = cross & pe.unknown[period, tier]
    return PanEuLine(np.where(charged, pe.bands.amount(s, steps), 0),
                     np.where(unknown, pe.why[period, tier], -1).astype(np.int32),
                     np.where(charged, pe.bands.fee_fig[s], -1).astype(np.int32), slot, steps, cross,
                     np.where(cross & ~charged & ~unknown, pe.why[period, tier], -1).astype(np.int32), period)


def warning_messages(pe: PanEu, line: PanEuLine) -> list[np.ndarray]:
    if not line.assessed.any():
        return []
    return [np.where(line.slot >= 0, pe.notice[line.period], -1)]


def explain(pe: PanEu, line: PanEuLine, i: int, cite: str, messages: list[str]) -> str:
    if not line.assessed[i]:
        return "not assessed: not a Pan-EU unit sent to another country (pan_eu='cross_border')"
    slot = int(line.slot[i])
    if slot < 0:
        return f"no surcharge: {messages[int(line.note[i])]}"
    return f"{pe.bands.text[slot]}; {pe.bands.how(slot, int(line.steps[i]))} {cite}"
