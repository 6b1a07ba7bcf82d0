"""The inbound placement service fee: per unit received, by size tier, weight band (the tier's shipping weight:
unit weight for small standard, the greater of unit and dimensional weight otherwise, us-fba.md 7) and the
placement option the seller chooses: minimal, partial or Amazon-optimized shipment splits.

Amazon publishes each cell as a range that depends on the inbound location.  The line carries both ends (`low`,
`high`) and takes its amount at the item's `inbound_point`: "high" (the default) is an upper bound, "low" a lower
bound, and a warning says which.  Without a `placement` the line is not assessed: 0, and the explanation says so.

Data: `inbound_placement` (dated versions: `not_in_force`, or the options `minimal`, `partial` and `optimized`,
each with tiers of weight bands carrying `low` and `high`, `fee` where there is no range, `low_unavailable`, or
`unavailable`; an option or tier that is missing takes the option's or the version's `unavailable`).
Tests: tests/fees/test_inbound_placement.py.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..money import minor_to_decimal, to_minor
from ..tables.schema import PLACEMENTS
from .base import Frame, Line, Section, WarningSource, WeightBands, band_labels, constant

OPTION_TEXT = {"minimal": "minimal shipment splits", "partial": "partial shipment splits",
               "optimized": "Amazon-optimized shipment splits"}
PRICED, NOT_IN_FORCE, UNAVAILABLE = 0, 1, 2


@dataclass(frozen=True)
class Placement:
    segment: np.ndarray      # intp (period, option, tier) -> band segment (-1: none)
    state: np.ndarray        # int8, same shape: PRICED, NOT_IN_FORCE or UNAVAILABLE
    why: np.ndarray          # int32, same shape: the reason (UNAVAILABLE) or the explanation (NOT_IN_FORCE)
    notice: np.ndarray       # int32 (period, option): a warning wherever the option is priced (-1: none)
    low: WeightBands         # the low end of each band's range ...
    high: WeightBands        # ... and the high end (equal where there is no range)
    low_reason: np.ndarray   # int32 per slot: why the low end is unknown (-1: it is known)
    high_reason: np.ndarray  # int32 per slot
    point_table: np.ndarray  # int32 (1 + slot * 2 + point, 2): which end of the range, and the figure's own warning
    notice_table: np.ndarray  # int32 (1 + period * options + option, 1): the option's notice


@dataclass(frozen=True)
class PlacementLine(Line):
    assessed: np.ndarray     # bool: a placement was given
    low_c: np.ndarray        # the range's ends, cents (valid where their reason is -1)
    high_c: np.ndarray
    low_reason: np.ndarray
    high_reason: np.ndarray
    slot: np.ndarray         # band slot (-1: no band: not assessed, not in force or unavailable)
    option: np.ndarray       # intp: index into PLACEMENTS (-1: not given)
    point: np.ndarray        # intp: 0 high, 1 low
    period: np.ndarray
    note: np.ndarray         # int32: why there is no fee on the date (not in force; -1: none)


def compile(frame: Frame, data: Section, tier_names: list[str]) -> Placement:
    versions = data["inbound_placement"]
    nper, nopt, ntier = len(frame.periods), len(PLACEMENTS), len(tier_names)
    segments = [(v, o, tier, rows) for v, ver in enumerate(versions) for o, name in enumerate(PLACEMENTS)
                if ver[name] for tier, rows in ver[name]["tiers"].items()]
    width = max([len(rows) for *_, rows in segments] + [1])
    low, high = (WeightBands(max(len(segments), 1), width, frame.currency) for _ in range(2))
    low_reason = np.full(len(low.fee_c), -1, dtype=np.int32)
    high_reason = np.full(len(low.fee_c), -1, dtype=np.int32)
    point_warning = np.full((len(low.fee_c), 2), -1, dtype=np.int32)
    seg_of = {}
    for s, (v, o, tier, rows) in enumerate(segments):
        seg_of[v, o, tier] = s
        ver, option = versions[v], versions[v][PLACEMENTS[o]]
        for j, (row, label) in enumerate(zip(rows, band_labels(rows), strict=True)):
            slot = low.slot(s, j)
            low.set_edge(frame, s, j, row)
            high.set_edge(frame, s, j, row)
            text = f"{OPTION_TEXT[PLACEMENTS[o]]}, {tier}, {label}"
            low.text[slot] = high.text[slot] = text
            key = f"inbound_placement[{v}].{PLACEMENTS[o]} {tier}, {label}"
            if row["unavailable"]:
                low_reason[slot] = high_reason[slot] = frame.message(f"inbound placement, {text}: {row['unavailable']}")
                continue
            if row["fee"] is not None:
                fig = frame.figure(key, row["fee"], row, option, ver)
                low.fee_c[slot] = high.fee_c[slot] = to_minor(row["fee"]["value"], frame.currency)
                low.fee_fig[slot] = high.fee_fig[slot] = fig
                continue
            high.fee_c[slot] = to_minor(row["high"]["value"], frame.currency)
            high.fee_fig[slot] = frame.figure(key + " (high end)", row["high"], row, option, ver)
            if row["low"] is not None:
                low.fee_c[slot] = to_minor(row["low"]["value"], frame.currency)
                low.fee_fig[slot] = frame.figure(key + " (low end)", row["low"], row, option, ver)
            else:
                low_reason[slot] = frame.message(f"inbound placement, {text}: low end of the range: "
                                                 f"{row['low_unavailable']}")
            if row["low"] is None:  # a maximum rate alone (a code source's), not a range Amazon published
                source = frame.register.figures[high.fee_fig[slot]].source
                point_warning[slot, 0] = frame.message(
                    f"inbound_placement for {text} is a maximum rate from {source}, {row['high']['value']} per unit, "
                    "not an Amazon range; its low end is NOT FOUND: an upper bound (inbound_point='high')")
                continue
            span = f"{row['low']['value']} to {row['high']['value']}"
            point_warning[slot, 0] = frame.message(
                f"inbound_placement is taken at the high end of Amazon's range for {text} ({span} per unit, by "
                "inbound location): an upper bound (inbound_point='high')")
            point_warning[slot, 1] = frame.message(
                f"inbound_placement is taken at the low end of Amazon's range for {text} ({span} per unit, by "
                "inbound location): a lower bound (inbound_point='low')")
    segment = np.full((nper, nopt, ntier), -1, dtype=np.intp)
    state = np.full((nper, nopt, ntier), UNAVAILABLE, dtype=np.int8)
    why = np.full((nper, nopt, ntier), frame.message(
        f"inbound placement fees are not in {frame.id} (the reference has none for this store)"), dtype=np.int32)
    notice = np.full((nper, nopt), -1, dtype=np.int32)
    for p in range(nper):
        found = next((i for i, ver in enumerate(versions) if frame.periods.active(ver, p)), None)
        if found is None:
            continue
        v, ver = found, versions[found]
        if ver["not_in_force"]:
            state[p], why[p] = NOT_IN_FORCE, frame.message(f"not in force: {ver['not_in_force']}")
            continue
        for o, name in enumerate(PLACEMENTS):
            option = ver[name]
            if option is not None and option["notice"]:
                notice[p, o] = frame.message(option["notice"])
            for t, tier in enumerate(tier_names):
                if option is not None and tier in option["tiers"]:
                    segment[p, o, t], state[p, o, t] = seg_of[v, o, tier], PRICED
                    continue
                text = (option or {}).get("unavailable") or ver["unavailable"]
                why[p, o, t] = frame.message(f"inbound placement, {OPTION_TEXT[name]}, {tier}: {text}")
    fw = frame.register.warnings_of
    figure_warning = np.stack([fw(high.fee_fig), fw(low.fee_fig)], axis=1)
    point_table = np.concatenate([[[-1, -1]], np.stack([point_warning.ravel(), figure_warning.ravel()], 1)])
    notice_table = np.concatenate([[-1], notice.ravel()])[:, None]
    return Placement(segment, state, why, notice, low, high, low_reason, high_reason,
                     point_table.astype(np.int32), notice_table.astype(np.int32))


def evaluate(pl: Placement, period: np.ndarray, tier: np.ndarray, ship_weight: np.ndarray, placement: np.ndarray,
             point: np.ndarray) -> PlacementLine:
    n = len(tier)
    given = placement >= 0
    if not given.any():  # the common case: no placement given, nothing assessed
        zero, none = constant(n, 0, np.int64), constant(n, -1, np.int32)
        return PlacementLine(zero, none, none, given, zero, zero, none, none, constant(n, -1, np.intp),
                             placement, point, period, none)
    option = np.maximum(placement, 0)
    seg = pl.segment[period, option, tier]
    state = pl.state[period, option, tier]
    slot = np.where(seg >= 0, pl.low.band_of(np.maximum(seg, 0), ship_weight), -1)
    s = np.maximum(slot, 0)
    priced = given & (seg >= 0)
    low_r = np.where(priced, pl.low_reason[s], -1).astype(np.int32)
    high_r = np.where(priced, pl.high_reason[s], -1).astype(np.int32)
    at_high = point == 0
    reason = np.where(at_high, high_r, low_r)
    reason = np.where(given & (state == UNAVAILABLE), pl.why[period, option, tier], reason).astype(np.int32)
    low_c, high_c = np.where(priced, pl.low.fee_c[s], 0), np.where(priced, pl.high.fee_c[s], 0)
    figure = np.where(priced & (reason < 0), np.where(at_high, pl.high.fee_fig[s], pl.low.fee_fig[s]), -1)
    cents = np.where(reason < 0, np.where(at_high, high_c, low_c), 0)
    note = np.where(given & (state == NOT_IN_FORCE), pl.why[period, option, tier], -1).astype(np.int32)
    return PlacementLine(cents, reason, figure.astype(np.int32), given, low_c, high_c, low_r, high_r,
                         np.where(priced, slot, -1), np.where(given, placement, -1), point, period, note)


def warnings(pl: Placement, line: PlacementLine) -> list[WarningSource]:
    """Where the amount came from a range: which end, and so which bound; the figure's own warning; the option's
    notice (a rule carried forward)."""
    if not line.assessed.any():  # no placement given: no warning to give
        return []
    priced = (line.slot >= 0) & (line.reason < 0)
    cell = np.where(priced, np.maximum(line.slot, 0) * 2 + line.point + 1, 0)
    notice = np.where(priced, 1 + line.period * len(PLACEMENTS) + np.maximum(line.option, 0), 0)
    return [(cell, pl.point_table), (notice, pl.notice_table)]


def explain(pl: Placement, line: PlacementLine, i: int, cite: str, messages: list[str]) -> str:
    if not line.assessed[i]:
        return "not assessed: no placement given (placement = minimal, partial or optimized)"
    slot = int(line.slot[i])
    if slot < 0:
        return f"{OPTION_TEXT[PLACEMENTS[int(line.option[i])]]}: no fee, {messages[int(line.note[i])]}"
    money = pl.high.currency
    text, amount = pl.high.text[slot], minor_to_decimal(int(line.cents[i]), money)
    notice = int(pl.notice[int(line.period[i]), int(line.option[i])])
    tail = f"; {messages[notice]}" if notice >= 0 else ""
    if line.low_c[i] == line.high_c[i] and line.low_reason[i] < 0:
        return f"{text}: {amount} per unit received {cite}{tail}"
    high = minor_to_decimal(int(line.high_c[i]), money)
    if line.low_reason[i] >= 0:  # a maximum rate alone: say so, not "Amazon's range"
        return (f"{text}: a maximum rate of {high} per unit received, not an Amazon range (its low end is NOT FOUND); "
                f"{amount}, an upper bound {cite}{tail}")
    span = f"{minor_to_decimal(int(line.low_c[i]), money)} to {high}"
    end = "high" if line.point[i] == 0 else "low"
    bound = "an upper bound" if end == "high" else "a lower bound"
    return (f"{text}: Amazon's range {span} per unit received, by inbound location; taken at the {end} end, "
            f"{amount} ({bound}) {cite}{tail}")

