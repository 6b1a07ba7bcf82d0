"""The Ships in Product Packaging (SIPP) discount: a negative adjustment on the fulfilment fee of a SIPP-certified
unit, by the fulfilment card that priced it, size tier and weight band (the weight that card bills).  It is its own
line, so the fulfilment line stays the rate card's figure.

Data: `sipp_discounts` (entries naming the fulfilment `cards` they apply to, the last may name none and take every
other card; each with tiers of weight bands, a discount per band, or `unavailable`: the reason).  A card no entry
covers, or a table without the section, makes the discount of a SIPP unit unavailable: never a zero.
Tests: tests/fees/test_sipp.py.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..money import minor_to_decimal
from .base import Frame, Line, Section, WeightBands, band_labels, constant


@dataclass(frozen=True)
class Sipp:
    segment: np.ndarray   # intp (card + 1, tier): band segment (-1: unavailable); the last card row is "no card"
    why: np.ndarray       # int32 (card + 1, tier)
    notice: np.ndarray    # int32 (card + 1): the entry's notice
    bands: WeightBands
    slot_why: np.ndarray  # int32 per band slot: why that band's discount is unknown (-1: it is known)


@dataclass(frozen=True)
class SippLine(Line):
    slot: np.ndarray
    card: np.ndarray
    sipp: np.ndarray


def compile(frame: Frame, data: Section, tier_names: list[str], card_names: list[str]) -> Sipp:
    entries = data["sipp_discounts"]
    segments = [(e, tier, rows) for e, entry in enumerate(entries) for tier, rows in entry["tiers"].items()]
    bands = WeightBands(max(len(segments), 1), max([len(rows) for *_, rows in segments] + [1]), frame.currency)
    slot_why = np.full(len(bands.fee_c), -1, dtype=np.int32)
    seg_of = {}
    for s, (e, tier, rows) in enumerate(segments):
        seg_of[e, tier] = s
        for j, (row, label) in enumerate(zip(rows, band_labels(rows), strict=True)):
            slot = bands.slot(s, j)
            bands.set_edge(frame, s, j, row)
            bands.text[slot] = f"{entries[e]['name']}, {tier}, {label}"
            if row["fee"] is None:
                slot_why[slot] = frame.message(f"SIPP discount, {bands.text[slot]}: {row['unavailable']}")
                continue
            bands.set_fee(frame, slot, f"sipp_discounts[{e}] {bands.text[slot]}", row["fee"][0], row, entries[e])
    nk, nt = len(card_names) + 1, len(tier_names)
    segment = np.full((nk, nt), -1, dtype=np.intp)
    why = np.full((nk, nt), frame.message(
        f"SIPP discount: no figures in {frame.id} (NOT FOUND in the reference for this store and date)"),
        dtype=np.int32)
    notice = np.full(nk, -1, dtype=np.int32)
    why[-1] = frame.message("SIPP discount: the fulfilment fee itself is unavailable")
    for k, card in enumerate(card_names):
        found = next((i for i, entry in enumerate(entries) if card in (entry["cards"] or ())), None)
        if found is None and entries and entries[-1]["cards"] is None:
            found = len(entries) - 1
        if found is None:
            continue
        e, entry = found, entries[found]
        notice[k] = frame.message(entry["notice"]) if entry["notice"] else -1
        for t, tier in enumerate(tier_names):
            if (e, tier) in seg_of:
                segment[k, t] = seg_of[e, tier]
            else:
                why[k, t] = frame.message(f"SIPP discount on the {card!r} card: {entry['unavailable']}")
    return Sipp(segment, why, notice, bands, slot_why)


def evaluate(sp: Sipp, card: np.ndarray, tier: np.ndarray, weight: np.ndarray, sipp: np.ndarray) -> SippLine:
    """`card`: the fulfilment card of each row (-1: none), `weight`: the weight that card billed."""
    n = len(tier)
    on = sipp == 1
    if not on.any():  # the common case: no SIPP unit
        zero = Line.zero(n)
        return SippLine(zero.cents, zero.reason, zero.figure, constant(n, -1, np.intp), card, on)
    seg = sp.segment[card, tier]
    slot = np.where(on & (seg >= 0), sp.bands.band_of(np.maximum(seg, 0), weight), -1)
    s = np.maximum(slot, 0)
    reason = np.where(on & (slot < 0), sp.why[card, tier], np.where(slot >= 0, sp.slot_why[s], -1)).astype(np.int32)
    priced = (slot >= 0) & (reason < 0)
    return SippLine(np.where(priced, -sp.bands.fee_c[s], 0), reason,
                    np.where(priced, sp.bands.fee_fig[s], -1).astype(np.int32), slot, card, on)


def warning_messages(sp: Sipp, line: SippLine) -> list[np.ndarray]:
    if not line.sipp.any():
        return []
    return [np.where((line.slot >= 0) & (line.reason < 0), sp.notice[line.card], -1)]


def explain(sp: Sipp, line: SippLine, i: int, cite: str) -> str:
    if not line.sipp[i]:
        return "no discount: not a SIPP unit (sipp=false)"
    slot = int(line.slot[i])
    amount = minor_to_decimal(int(line.cents[i]), sp.bands.currency)
    return f"{sp.bands.text[slot]}: {amount} on the fulfilment fee {cite}"
