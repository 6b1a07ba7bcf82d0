"""The low-inventory-level fee: per unit shipped when stock runs thin, by size tier, weight band (the tier's
shipping weight) and the band of the item's historical days of supply.

Amazon charges it only when both the short-term (30-day) and the long-term (90-day) historical days of supply are
below the last band's limit, and uses the greater of the two to choose the band (A-LIL24), so the fee depends on
the greater figure alone: the item's `days_of_supply` (one number for both, or the greater of the two it gives).
Without days of supply the line is not assessed (0, said in the explanation).  A row flagged with an exemption the
version lists (new seller, new to FBA, low sales in the last 7 days, AWD auto-replenishment), in an exempt category,
or priced on an exempt fulfilment card (the EU low-price card) pays none, and the explanation says why.

Data: `low_inventory_level` (dated versions: `not_in_force`; or `days_below` (the bands' upper limits, exclusive),
`tiers` of weight bands with one fee per days band, `not_charged_tiers`, `exemptions`, `exempt_categories`,
`exempt_cards`, `unknown_cards` with `unknown_cards_reason` (cards whose units may or may not be exempt: the fee is
unavailable on them), `pan_eu_only` (why a unit outside Pan-European FBA is unavailable), `level`, `notice`).
Tests: tests/fees/test_low_inventory.py.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..money import minor_to_decimal, to_minor
from ..tables.schema import LIL_EXEMPTIONS
from .base import Frame, Line, Section, WeightBands, band_labels, constant

EXEMPTION_TEXT = {"new_seller": "a new Professional seller (365 days after its first FBA inventory)",
                  "new_to_fba": "a parent product new to FBA (180 days, FBA New Selection)",
                  "low_sales_7_days": "fewer than 20 units sold in the last 7 days",
                  "awd_replenished": "70% or more of the inventory auto-replenished through AWD over 90 days"}
# per-row states
PRICED, NOT_IN_FORCE, NOT_CHARGED_TIER, ENOUGH_SUPPLY, EXEMPT, EXEMPT_CATEGORY, EXEMPT_CARD, UNAVAILABLE = range(8)


@dataclass(frozen=True)
class LowInventory:
    version: np.ndarray      # intp per period (-1: no version: the section is not in this table)
    segment: np.ndarray      # intp (version, tier): first band segment (segment * days bands + band), -1: none
    tier_state: np.ndarray   # int8 (version, tier): PRICED, NOT_IN_FORCE, NOT_CHARGED_TIER or UNAVAILABLE
    tier_why: np.ndarray     # int32 (version, tier): reason (UNAVAILABLE) or explanation id
    below: np.ndarray        # float64 (version, days band): each band's upper limit (exclusive); inf: unused
    nbands: np.ndarray       # intp per version
    exempt_mask: np.ndarray  # int64 per version: bits of LIL_EXEMPTIONS the version honours
    exempt_category: np.ndarray  # bool (version, category + 1)
    exempt_card: np.ndarray  # bool (version, card + 1): the last column is "no card"
    unknown_card: np.ndarray  # int32 (version, card + 1): why a unit on the card may or may not pay (-1: it is known)
    pan_eu_only: np.ndarray  # int32 per version: reason for a unit outside Pan-EU (-1: any unit)
    notice: np.ndarray       # int32 per version
    warning: np.ndarray      # int32 (version, state): the figure warning of an exemption or of not charging a tier
    level: list[str]
    bands: WeightBands
    width: int               # days bands per segment (the widest version's)
    no_section: int          # reason id: the table has no such section


@dataclass(frozen=True)
class LowInventoryLine(Line):
    assessed: np.ndarray
    state: np.ndarray
    slot: np.ndarray
    days: np.ndarray
    version: np.ndarray
    exemption: np.ndarray    # intp: index of the exemption flag that applied (-1: none)
    note: np.ndarray         # int32: why a tier or date pays none (NOT_IN_FORCE, NOT_CHARGED_TIER; -1: other)


def compile(frame: Frame, data: Section, tier_names: list[str], card_names: list[str]) -> LowInventory:
    versions = data["low_inventory_level"]
    nv, nt = max(len(versions), 1), len(tier_names)
    width = max([len(v["days_below"]) for v in versions] + [1])
    segments = [(v, tier, rows) for v, ver in enumerate(versions) for tier, rows in ver["tiers"].items()]
    rows_width = max([len(rows) for *_, rows in segments] + [1])
    bands = WeightBands(max(len(segments), 1) * width, rows_width, frame.currency)
    segment = np.full((nv, nt), -1, dtype=np.intp)
    no_section = frame.message(f"low-inventory-level fees are not in {frame.id} (the reference has none for this "
                               "store)")
    tier_state = np.full((nv, nt), UNAVAILABLE, dtype=np.int8)
    tier_why = np.full((nv, nt), no_section, dtype=np.int32)
    below = np.full((nv, width), np.inf)
    nbands = np.zeros(nv, dtype=np.intp)
    exempt_mask = np.zeros(nv, dtype=np.int64)
    exempt_category = np.zeros((nv, len(frame.categories) + 1), dtype=bool)
    exempt_card = np.zeros((nv, len(card_names) + 1), dtype=bool)
    unknown_card = np.full((nv, len(card_names) + 1), -1, dtype=np.int32)
    pan_eu_only = np.full(nv, -1, dtype=np.int32)
    notice = np.full(nv, -1, dtype=np.int32)
    warning = np.full((nv, UNAVAILABLE + 1), -1, dtype=np.int32)
    level = [""] * nv
    fw = frame.register.warnings_of
    for s, (v, tier, rows) in enumerate(segments):
        ver = versions[v]
        segment[v, tier_names.index(tier)] = s
        days = ver["days_below"]
        for b in range(len(days)):
            seg = s * width + b
            span = f"{days[b - 1] if b else 0} <= days of supply < {days[b]}"
            for j, (row, label) in enumerate(zip(rows, band_labels(rows), strict=True)):
                slot = bands.slot(seg, j)
                bands.set_edge(frame, seg, j, row)
                bands.text[slot] = f"{tier}, {label}, {span}"
                fig = row["fee"][b]
                bands.fee_c[slot] = to_minor(fig["value"], frame.currency)
                bands.fee_fig[slot] = frame.figure(f"low_inventory_level[{v}] {tier}, {label}, {span}", fig, row, ver)
    for v, ver in enumerate(versions):
        where = f"low_inventory_level[{v}]"
        level[v] = ver["level"] or ""
        notice[v] = frame.message(ver["notice"]) if ver["notice"] else -1
        if ver["not_in_force"]:
            tier_state[v], tier_why[v] = NOT_IN_FORCE, frame.message(f"not in force: {ver['not_in_force']}")
            continue
        below[v, :len(ver["days_below"])] = ver["days_below"]
        nbands[v] = len(ver["days_below"])
        for t, tier in enumerate(tier_names):
            if tier in ver["tiers"]:
                tier_state[v, t] = PRICED
            elif tier in ver["not_charged_tiers"]:
                tier_state[v, t] = NOT_CHARGED_TIER
                charged = ", ".join(ver["tiers"])
                cite = f"[{ver['not_charged_source']}; confidence {ver['not_charged_confidence']}]"
                tier_why[v, t] = frame.message(f"not charged on {tier}: the fee applies to {charged} {cite}")
            else:
                tier_why[v, t] = frame.message(f"low-inventory-level fee, {tier}: {ver['unavailable']}")
        for state, prefix in ((NOT_CHARGED_TIER, "not_charged"), (EXEMPT, "exemption"),
                              (EXEMPT_CATEGORY, "exempt_categories"), (EXEMPT_CARD, "exempt_cards")):
            if ver[f"{prefix}_source"]:
                fig = frame.figure(f"{where} {prefix}", {"source": ver[f"{prefix}_source"],
                                                         "confidence": ver[f"{prefix}_confidence"]})
                warning[v, state] = int(fw([fig])[0])
        exempt_mask[v] = sum(1 << LIL_EXEMPTIONS.index(e) for e in ver["exemptions"])
        exempt_category[v, frame.categories.indices(ver["exempt_categories"], f"{where}.exempt_categories")] = True
        exempt_card[v, [card_names.index(c) for c in ver["exempt_cards"]]] = True
        if ver.get("unknown_cards"):
            unknown_card[v, [card_names.index(c) for c in ver["unknown_cards"]]] = frame.message(
                f"low-inventory-level fee: {ver['unknown_cards_reason']}")
        if ver["pan_eu_only"]:
            pan_eu_only[v] = frame.message(f"low-inventory-level fee: {ver['pan_eu_only']}")
    version = np.array([next((i for i, ver in enumerate(versions) if frame.periods.active(ver, p)), -1)
                        for p in range(len(frame.periods))], dtype=np.intp)
    if not versions:
        return _empty(frame, tier_names, card_names, no_section)
    return LowInventory(np.maximum(version, 0), segment, tier_state, tier_why, below, nbands, exempt_mask,
                        exempt_category, exempt_card, unknown_card, pan_eu_only, notice, warning, level, bands, width,
                        no_section)


def _empty(frame: Frame, tier_names: list[str], card_names: list[str], no_section: int) -> LowInventory:
    """The section is not in the table: every assessed row is unavailable, with that reason."""
    nt = len(tier_names)
    return LowInventory(np.zeros(len(frame.periods), dtype=np.intp), np.full((1, nt), -1, dtype=np.intp),
                        np.full((1, nt), UNAVAILABLE, dtype=np.int8), np.full((1, nt), no_section, dtype=np.int32),
                        np.full((1, 1), np.inf), np.zeros(1, dtype=np.intp), np.zeros(1, dtype=np.int64),
                        np.zeros((1, len(frame.categories) + 1), dtype=bool),
                        np.zeros((1, len(card_names) + 1), dtype=bool),
                        np.full((1, len(card_names) + 1), -1, dtype=np.int32), np.full(1, -1, dtype=np.int32),
                        np.full(1, -1, dtype=np.int32), np.full((1, UNAVAILABLE + 1), -1, dtype=np.int32), [""],
                        WeightBands(1, 1), 1, no_section)


def evaluate(lil: LowInventory, period: np.ndarray, tier: np.ndarray, ship_weight: np.ndarray, days: np.ndarray,
             flags: np.ndarray, category: np.ndarray, card: np.ndarray, pan_eu: np.ndarray) -> LowInventoryLine:
    """`pan_eu`: 1 for a Pan-European FBA unit (a Pan-EU programme, or the item's `pan_eu_unit` flag)."""
    n = len(tier)
    given = ~np.isnan(days)
    if not given.any():  # the common case: no days of supply given, nothing assessed
        zero, none = constant(n, 0, np.int64), constant(n, -1, np.int32)
        return LowInventoryLine(zero, none, none, given, constant(n, PRICED, np.int8), none, days, none, none, none)
    v = lil.version[period]
    state = lil.tier_state[v, tier].copy()
    reason = np.where(state == UNAVAILABLE, lil.tier_why[v, tier], -1)
    outside = (lil.pan_eu_only[v] >= 0) & (pan_eu == 0) & (state == PRICED)
    reason = np.where(outside, lil.pan_eu_only[v], reason)
    state[outside] = UNAVAILABLE
    d = np.where(given, days, np.inf)
    band = (d[:, None] >= lil.below[v]).sum(axis=1)
    hit = flags & lil.exempt_mask[v]
    exemption = np.where(hit > 0, np.log2(np.maximum(hit & -hit, 1)).astype(np.intp), -1)
    priced = state == PRICED
    for code, mask in ((ENOUGH_SUPPLY, band >= lil.nbands[v]), (EXEMPT, hit > 0),
                       (EXEMPT_CATEGORY, lil.exempt_category[v, category]), (EXEMPT_CARD, lil.exempt_card[v, card])):
        state = np.where(priced & mask, code, state).astype(np.int8)
        priced &= ~mask
    unknown = lil.unknown_card[v, card]
    unsure = priced & (unknown >= 0)  # not exempt otherwise, but may be exempt by its card: unavailable
    if unsure.any():
        state = np.where(unsure, UNAVAILABLE, state).astype(np.int8)
        reason = np.where(unsure, unknown, reason)
        priced &= ~unsure
    seg = np.maximum(lil.segment[v, tier], 0) * lil.width + np.minimum(band, lil.width - 1)
    slot = np.where(priced, lil.bands.band_of(seg, ship_weight), -1)
    s = np.maximum(slot, 0)
    charged = given & priced
    return LowInventoryLine(np.where(charged, lil.bands.fee_c[s], 0), np.where(given, reason, -1).astype(np.int32),
                            np.where(charged, lil.bands.fee_fig[s], -1).astype(np.int32), given,
                            np.where(given, state, PRICED).astype(np.int8), np.where(charged, slot, -1), days,
                            v, np.where(given & (state == EXEMPT), exemption, -1),
                            np.where(given & ((state == NOT_IN_FORCE) | (state == NOT_CHARGED_TIER)),
                                     lil.tier_why[v, tier], -1).astype(np.int32))


def warning_messages(lil: LowInventory, line: LowInventoryLine) -> list[np.ndarray]:
    """Per row, message ids of its warnings: the version's notice, and the figure warning of an exemption or of a
    tier that is not charged (the fee figure's own warning is the engine's, from the line's figure)."""
    if not line.assessed.any():
        return []
    shown = line.assessed & (line.reason < 0)
    return [np.where(shown, lil.notice[line.version], -1),
            np.where(shown, lil.warning[line.version, line.state], -1)]


def explain(lil: LowInventory, line: LowInventoryLine, i: int, cite: str, messages: list[str]) -> str:
    if not line.assessed[i]:
        return "not assessed: no days of supply given (days_of_supply, or days_of_supply_short and _long)"
    v, state, days = int(line.version[i]), int(line.state[i]), float(line.days[i])
    shown = f"{days:g} days of supply (the greater of the short- and long-term figures)"
    level = f", measured per {lil.level[v]}" if lil.level[v] else ""
    if state == PRICED:
        slot = int(line.slot[i])
        amount = minor_to_decimal(int(line.cents[i]), lil.bands.currency)
        return f"{lil.bands.text[slot]}: {shown}{level}; {amount} per unit shipped {cite}"
    if state == ENOUGH_SUPPLY:
        return f"no fee: {shown}, not below {lil.below[v, lil.nbands[v] - 1]:g}"
    if state == EXEMPT:
        return f"no fee: exempt as {EXEMPTION_TEXT[LIL_EXEMPTIONS[int(line.exemption[i])]]}"
    if state == EXEMPT_CATEGORY:
        return "no fee: the category is exempt"
    if state == EXEMPT_CARD:
        return "no fee: not charged on units priced on this fulfilment card"
    return f"no fee: {messages[int(line.note[i])]}"
