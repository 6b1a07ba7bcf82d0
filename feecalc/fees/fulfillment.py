"""The FBA fulfilment fee: rate cards by size tier and weight band, chosen by date, season, apparel, dangerous
goods, programme, price band and category.

Data: `price_bands` (the US 2026 low/mid/high bands: "under $10", "$10 to $50", "over $50") and
`fulfillment_cards`, tried in order; the first card whose conditions hold and which has rows for the tier prices
it.  A card may take another card's rows plus a fixed amount (`rows_from`, `plus`), cover some tiers only
(`partial`: past its last band the next card applies), bill on unit weight (`billing_weight`), stop at a
price (`max_price`) or be unavailable with its reason.  Cards compile into segments (card x tier x price band)
of weight bands; a lookup by (period, apparel, dangerous goods, programme, price band, category class, tier)
gives each item its segment.
Tests: tests/fees/test_fulfillment.py, tests/fees/test_fulfillment_edges.py, tests/fees/test_fulfillment_reference.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import numpy as np

from ..money import to_minor
from .base import BIG, PROGRAMS, Frame, Line, Section, WarningSource, WeightBands, band_labels, classes


@dataclass(frozen=True)
class PriceBands:
    names: list[str]
    max_c: np.ndarray   # int64: the highest price in cents of each band (BIG: open)
    labels: list[str]   # 'mid (price 10.00 to 50.00)'

    def of(self, price_c: np.ndarray) -> np.ndarray:
        return np.searchsorted(self.max_c, price_c, side="left")

    def breakpoints(self) -> set[int]:
        """Prices (cents) where the band changes: each band's top and the cent above it."""
        return {int(x) + d for x in self.max_c if x < BIG for d in (0, 1)}


@dataclass(frozen=True)
class Cards:
    price_bands: PriceBands
    names: list[str]
    category_class: np.ndarray   # intp per category (+1): categories with the same card memberships share a class
    lookup: np.ndarray           # int32 (period, apparel, dg, programme, band, class, tier) -> segment
    after: np.ndarray            # same shape: the segment after a partial card's last band
    nseg: int                    # segments below nseg are cards'; above, cells with no card (a reason each)
    bands: WeightBands
    reason: np.ndarray           # int32 per slot: why the fee is unavailable there (-1: it is not)
    max_price_c: np.ndarray      # int64 per slot: the programme's highest price
    bill_unit: np.ndarray        # bool per segment: the card bills on unit weight
    partial: np.ndarray          # bool per segment: a partial card whose last band is closed
    nbands: np.ndarray           # int64 per segment: bands of the card's rows
    over_max_price: int          # reason id: price above the programme's maximum
    warnings: WarningSource      # per slot: the band's and the step's figure warnings

    def card_for(self, period: int, apparel: int, dg: int, program: int, band: int, category: int,
                 tier: int) -> int | None:
        """Index of the card pricing this cell and tier, or None where no card applies."""
        seg = int(self.lookup[period, apparel, dg, program, band, self.category_class[category], tier])
        return seg // (self.lookup.shape[-1] * len(self.price_bands.names)) if seg < self.nseg else None


@dataclass(frozen=True)
class FulfillmentLine(Line):
    """The fee per row, with the band slot and steps that priced it, the weight billed and the price band."""

    slot: np.ndarray
    steps: np.ndarray
    weight: np.ndarray
    price_band: np.ndarray


def compile_price_bands(data: Section) -> PriceBands:
    bands, currency = data["price_bands"], data["currency"]
    limits = []
    for b in bands:
        if b["below"] is not None:
            limits.append(to_minor(Decimal(b["below"]), currency) - 1)
        elif b["upto"] is not None:
            limits.append(to_minor(Decimal(b["upto"]), currency))
        else:
            limits.append(int(BIG))
    labels, lower = [], None
    for b in bands:
        if b["below"] is not None:
            label = f"price under {b['below']}" if lower is None else f"price {lower} to under {b['below']}"
            lower = b["below"]
        elif b["upto"] is not None:
            label = f"price up to {b['upto']}" if lower is None else f"price {lower} to {b['upto']}"
            lower = b["upto"]
        else:
            label = "any price" if lower is None else f"price over {lower}" if bands[-2]["upto"] else \
                f"price {lower} or more"
        labels.append(f"{b['band']} ({label})")
    return PriceBands([b["band"] for b in bands], np.array(limits, dtype=np.int64), labels)


def _applies(card: Section, apparel: int, dg: int, program: int, band: str, peak: bool) -> bool:
    return bool((card["apparel"] is None or card["apparel"] == bool(apparel))
                and (card["dangerous_goods"] is None or card["dangerous_goods"] == bool(dg))
                and card["program"] == PROGRAMS[program]
                and (card["price_bands"] is None or band in card["price_bands"])
                and (card["season"] is None or (card["season"] == "peak") == peak))


def _card_categories(frame: Frame, card: Section) -> set[int] | None:
    """Category indices a card is limited to (None: any category)."""
    if card["categories"] is None and card["except_categories"] is None:
        return None
    where = f"{frame.id}: fulfillment card {card['name']!r}"
    chosen = set(range(len(frame.categories))) if card["categories"] is None else \
        set(frame.categories.indices(card["categories"], where))
    return chosen - set(frame.categories.indices(card["except_categories"] or [], where))


def resolve_rows(cards: list[Section]) -> list[Section]:
    """Cards with `rows_from` get the named card's rows (themselves resolved, so chains such as
    dangerous goods -> CEP -> DE only work) plus their fixed adjustment (`plus`)."""
    by_name = {card["name"]: card for card in cards}
    resolved: dict[str, Section] = {}

    def resolve(card: Section) -> Section:
        if card["rows_from"] is None:
            return card
        if card["name"] not in resolved:
            resolved[card["name"]] = _with_rows(card, resolve(by_name[card["rows_from"]]))
        return resolved[card["name"]]

    return [resolve(card) for card in cards]


def _with_rows(card: Section, base: Section) -> Section:
    """`card` with `base`'s rows plus its own adjustment (`plus` on every tier but `plus_except_tiers`, and
    `plus_tiers`' fee and step on its tiers), sourced to `card`."""
    plus = Decimal(str(card["plus"] or 0))
    fig = {"source": card["source"], "confidence": card["confidence"], "method": card["method"],
           "note": card["note"]}
    tiers = {}
    for tier, rows in base["tiers"].items():
        extra = (card.get("plus_tiers") or {}).get(tier) or {}
        add = (Decimal(0) if tier in card["plus_except_tiers"] else plus) + (extra["fee"]["value"] if extra else 0)
        tiers[tier] = [dict(row, fee=None if row["fee"] is None else
                            [dict(f, value=f["value"] + add, **fig) for f in row["fee"]],
                            step=_add_step(row["step"], extra.get("step"), fig),
                            source=card["source"], confidence=card["confidence"]) for row in rows]
    return dict(card, tiers=tiers, price_bands=card["price_bands"] or base["price_bands"])


def _add_step(step: Section | None, extra: Section | None, fig: Section) -> Section | None:
    """A row's step with another step's fee added (the loader checked that both step alike)."""
    if step is None or extra is None:
        return step
    return dict(step, fee=dict(step["fee"], value=step["fee"]["value"] + extra["fee"]["value"], **fig))


def compile(frame: Frame, data: Section, tier_names: list[str]) -> Cards:
    price_bands = compile_price_bands(data)
    cards, nb, nt = resolve_rows(data["fulfillment_cards"]), len(price_bands.names), len(tier_names)
    periods = frame.periods
    limits = [_card_categories(frame, k) for k in cards]
    # categories fall into classes with the same card memberships; the lookup has one axis per class
    signature = [tuple(i in lim if lim is not None else True for lim in limits) for i in range(len(frame.categories))]
    kinds = list(dict.fromkeys(signature))
    category_class = np.array([kinds.index(sig) for sig in signature] + [0], dtype=np.intp)
    shape = (len(periods), 2, 2, len(PROGRAMS), nb, len(kinds))
    width = max([len(rows) for k in cards for rows in k["tiers"].values()] + [1])
    nseg = len(cards) * nt * nb
    misses: dict[str, int] = {}
    lookup = np.empty((*shape, nt), dtype=np.int32)
    after = np.empty((*shape, nt), dtype=np.int32)
    for cell in np.ndindex(shape):
        p, apparel, dg, prog, b, cls = cell
        applying = [k for k, card in enumerate(cards)
                    if periods.active(card, p) and kinds[cls][k] and
                    _applies(card, apparel, dg, prog, price_bands.names[b], bool(periods.peak[p]))]
        for ti, tier in enumerate(tier_names):
            usable = [k for k in applying if not cards[k]["partial"] or tier in cards[k]["tiers"]]
            if not usable:
                text = _no_card(frame, cards, cell, price_bands)
                misses.setdefault(text, nseg + len(misses))
                lookup[(*cell, ti)] = after[(*cell, ti)] = misses[text]
                continue
            own = (usable[0] * nt + ti) * nb + b
            lookup[(*cell, ti)] = own
            after[(*cell, ti)] = (usable[1] * nt + ti) * nb + b if len(usable) > 1 else own
    bands = WeightBands(nseg + len(misses), width, frame.currency)
    slots = len(bands.fee_c)
    reason = np.full(slots, -1, dtype=np.int32)
    max_price_c = np.full(slots, int(BIG), dtype=np.int64)
    bill_unit = np.zeros(bands.segments, dtype=bool)
    partial = np.zeros(bands.segments, dtype=bool)
    nbands = np.full(bands.segments, width + 1, dtype=np.int64)
    for text, seg in misses.items():  # cells with no card: every slot carries the reason
        reason[bands.slot(seg, 0):bands.slot(seg + 1, 0)] = frame.message(text)
    card_max = [to_minor(Decimal(k["max_price"]), frame.currency) if k["max_price"] is not None else int(BIG)
                for k in cards]
    for k, card in enumerate(cards):
        columns = card["price_bands"] or price_bands.names
        card_reason = frame.message(f"{card['name']}: {card['unavailable']}") if card["unavailable"] else None
        for ti, tier in enumerate(tier_names):
            rows = card["tiers"].get(tier)
            for b, band in enumerate(price_bands.names):
                seg = (k * nt + ti) * nb + b
                first, end = bands.slot(seg, 0), bands.slot(seg + 1, 0)
                max_price_c[first:end] = card_max[k]
                bill_unit[seg] = card["billing_weight"] == "unit"
                partial[seg] = card["partial"] and rows is not None and rows[-1]["upto"] is not None
                if rows is not None:
                    nbands[seg] = len(rows)
                if rows is None or band not in columns:
                    reason[first:end] = card_reason if card_reason is not None else \
                        frame.message(f"{card['name']}: no rows for {tier}")
                    continue
                _segment(frame, bands, reason, k, card, tier, rows, columns.index(band), seg, card_reason)
    figures = np.stack([frame.register.warnings_of(bands.fee_fig), frame.register.warnings_of(bands.step_fig)], 1)
    return Cards(price_bands, [k["name"] for k in cards], category_class, lookup, after, nseg, bands, reason,
                 max_price_c, bill_unit, partial, nbands, frame.message("price above the program's maximum"),
                 classes(figures, bands.fee_fig.shape))


def _no_card(frame: Frame, cards: list[Section], cell: tuple, price_bands: PriceBands) -> str:
    """Why no card prices a lookup cell."""
    p, apparel, dg, prog, b, _ = cell
    periods = frame.periods
    if not any(card["program"] == PROGRAMS[prog] for card in cards):
        return f"program {PROGRAMS[prog]} has no fulfillment rate card in {frame.id}"
    what = ", ".join(filter(None, [
        "apparel" if apparel else "non-apparel", "dangerous goods" if dg else "", f"program {PROGRAMS[prog]}",
        f"price band {price_bands.names[b]}", "peak" if periods.peak[p] else "non-peak"]))
    return f"no fulfillment rate card in {frame.id} for {what} on {periods.starts[p]} to {periods.ends[p]}"


def _segment(frame: Frame, bands: WeightBands, reason: np.ndarray, k: int, card: Section, tier: str,
             rows: list[Section], col: int, seg: int, card_reason: int | None) -> None:
    for j, (row, label) in enumerate(zip(rows, band_labels(rows), strict=True)):
        slot = bands.slot(seg, j)
        bands.set_edge(frame, seg, j, row)
        bands.text[slot] = f"{card['name']}, {tier}, {label}"
        if row["fee"] is None:
            why = row["unavailable"] or card["unavailable"]
            reason[slot] = frame.message(f"{card['name']}, {tier}, {label}: {why}")
            continue
        fig = row["fee"][col if len(row["fee"]) > 1 else 0]
        bands.set_fee(frame, slot, f"fulfillment_cards[{k}] {card['name']}, {tier}, {label}", fig, row, card)
    beyond = bands.slot(seg, len(rows))
    reason[beyond:bands.slot(seg + 1, 0)] = frame.message(
        f"{card['name']}, {tier}: weight above the card's last band ({rows[-1]['upto']})") \
        if rows[-1]["upto"] is not None else (card_reason if card_reason is not None else -1)


def evaluate(cards: Cards, period: np.ndarray, apparel: np.ndarray, dangerous: np.ndarray, program: np.ndarray,
             category: np.ndarray, tier: np.ndarray, unit_weight: np.ndarray, ship_weight: np.ndarray,
             price_c: np.ndarray) -> FulfillmentLine:
    band = cards.price_bands.of(price_c)
    cell = (period, apparel, dangerous, program, band, cards.category_class[category], tier)
    seg = cards.lookup[cell]
    weight = np.where(cards.bill_unit[seg], unit_weight, ship_weight)  # a card may bill on unit weight (Low-Price)
    slot = cards.bands.band_of(seg, weight)
    j = slot - seg * (cards.bands.width + 1)
    beyond = cards.partial[seg] & (j >= cards.nbands[seg])  # past a partial card's last band: the next card
    if beyond.any():
        seg = np.where(beyond, cards.after[cell], seg)
        weight = np.where(cards.bill_unit[seg], unit_weight, ship_weight)
        slot = cards.bands.band_of(seg, weight)
    steps = cards.bands.steps(weight, slot)
    why = cards.reason[slot]
    reason = np.where((price_c > cards.max_price_c[slot]) & (why < 0), cards.over_max_price, why)
    return FulfillmentLine(cards.bands.amount(slot, steps), reason, cards.bands.fee_fig[slot], slot, steps, weight,
                           band)


def card_of(cards: Cards, line: FulfillmentLine) -> np.ndarray:
    """Per row, the index of the card that priced it (-1: no card applies); fees defined on the card (the SIPP
    discount, exemptions of the low-inventory-level fee) look it up."""
    seg = line.slot // (cards.bands.width + 1)
    per_card = cards.lookup.shape[-1] * len(cards.price_bands.names)
    return np.where(seg < cards.nseg, seg // per_card, -1)


def warnings(cards: Cards, line: FulfillmentLine) -> list[WarningSource]:
    """The warnings of the band's figures (DERIVED or low confidence)."""
    ids, table = cards.warnings
    return [(ids[line.slot], table)]


def explain(cards: Cards, line: FulfillmentLine, i: int, cite: str) -> str:
    slot, steps = int(line.slot[i]), int(line.steps[i])
    band = cards.price_bands.names[line.price_band[i]]
    return f"{cards.bands.text[slot]}; price band {band}; {cards.bands.how(slot, steps)} {cite}"
