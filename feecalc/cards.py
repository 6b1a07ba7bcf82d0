"""Fulfilment rate cards compiled into segments: which card prices each (period, condition, category
class, tier) cell, and each segment's weight-band edges, fees and per-step increments."""

from __future__ import annotations

from decimal import Decimal

import numpy as np

from .compiled import BIG, PROGRAMS, Compiled, _active, _category_index, _weight, band_labels, compile_step
from .money import to_cents


def _card_applies(card: dict, apparel: int, dg: int, program: int, band: str, peak: bool) -> bool:
    return ((card["apparel"] is None or card["apparel"] == bool(apparel))
            and (card["dangerous_goods"] is None or card["dangerous_goods"] == bool(dg))
            and card["program"] == PROGRAMS[program]
            and (card["price_bands"] is None or band in card["price_bands"])
            and (card["season"] is None or (card["season"] == "peak") == peak))


def _card_categories(c: Compiled, card: dict) -> set[int] | None:
    """Category indices a card is limited to (None: any category)."""
    keys = {i: True for i in range(len(c.category_keys))}
    if card["categories"] is None and card["except_categories"] is None:
        return None
    chosen = set(keys) if card["categories"] is None else {_category_index(c, n) for n in card["categories"]}
    return chosen - {_category_index(c, n) for n in card["except_categories"] or []}


def _resolve_rows(cards: list[dict]) -> list[dict]:
    """Cards with `rows_from` get the named card's rows (themselves resolved, so chains such as
    dangerous goods -> CEP -> DE only work) plus their fixed adjustment (`plus`)."""
    by_name = {card["name"]: card for card in cards}
    resolved: dict[str, dict] = {}

    def resolve(card: dict) -> dict:
        if card["rows_from"] is None:
            return card
        if card["name"] not in resolved:
            resolved[card["name"]] = _with_rows(card, resolve(by_name[card["rows_from"]]))
        return resolved[card["name"]]

    return [resolve(card) for card in cards]


def _with_rows(card: dict, base: dict) -> dict:
    """`card` with `base`'s rows plus its own adjustment, sourced to `card`."""
    plus = Decimal(str(card["plus"] or 0))
    fig = {"source": card["source"], "confidence": card["confidence"], "method": card["method"],
           "note": card["note"]}
    tiers = {}
    for tier, rows in base["tiers"].items():
        add = Decimal(0) if tier in card["plus_except_tiers"] else plus
        tiers[tier] = [dict(row, fee=None if row["fee"] is None else
                            [dict(f, value=f["value"] + add, **fig) for f in row["fee"]],
                            source=card["source"], confidence=card["confidence"]) for row in rows]
    return dict(card, tiers=tiers, price_bands=card["price_bands"] or base["price_bands"])


def compile_cards(c: Compiled, t: dict) -> None:
    cards, nb, nt = _resolve_rows(t["fulfillment_cards"]), len(c.band_names), len(c.tier_names)
    c.card_names = [k["name"] for k in cards]
    limits = [_card_categories(c, k) for k in cards]
    # categories fall into classes with the same card memberships; the lookup has one axis per class
    signature = [tuple(i in lim if lim is not None else True for lim in limits) for i in range(len(c.category_keys))]
    classes = list(dict.fromkeys(signature))
    c.category_class = np.array([classes.index(sig) for sig in signature] + [0], dtype=np.intp)
    shape = (c.nper, 2, 2, len(PROGRAMS), nb, len(classes))
    maxb = max([len(rows) for k in cards for rows in k["tiers"].values()] + [1])
    nseg = len(cards) * nt * nb
    c.maxb = maxb
    c.card_max_price = np.array(
        [to_cents(Decimal(k["max_price"])) if k["max_price"] is not None else int(BIG) for k in cards] + [int(BIG)],
        dtype=np.int64)
    misses: dict[str, int] = {}
    c.seg_lookup = np.empty((*shape, nt), dtype=np.int32)
    c.seg_next = np.empty((*shape, nt), dtype=np.int32)  # where a partial card's last band is passed
    for cell in np.ndindex(shape):
        p, apparel, dg, prog, b, cls = cell
        applying = [k for k, card in enumerate(cards)
                    if _active(c, card, p) and classes[cls][k] and
                    _card_applies(card, apparel, dg, prog, c.band_names[b], c.peak[p])]
        for ti, tier in enumerate(c.tier_names):
            usable = [k for k in applying if not cards[k]["partial"] or tier in cards[k]["tiers"]]
            k = usable[0] if usable else None
            after = usable[1] if len(usable) > 1 else None
            if k is None or after is None:
                after_seg = None
            else:
                after_seg = (after * nt + ti) * nb + b
            if k is None:
                if any(card["program"] == PROGRAMS[prog] for card in cards):
                    what = ", ".join(filter(None, [
                        "apparel" if apparel else "non-apparel", "dangerous goods" if dg else "",
                        f"program {PROGRAMS[prog]}", f"price band {c.band_names[b]}", "peak" if c.peak[p] else
                        "non-peak"]))
                    text = f"no fulfillment rate card in {c.id} for {what} on {c.period_starts[p]} to " \
                           f"{c.period_ends[p]}"
                else:
                    text = f"program {PROGRAMS[prog]} has no fulfillment rate card in {c.id}"
                misses.setdefault(text, nseg + len(misses))
                c.seg_lookup[(*cell, ti)] = misses[text]
                c.seg_next[(*cell, ti)] = misses[text]
            else:
                c.seg_lookup[(*cell, ti)] = (k * nt + ti) * nb + b
                c.seg_next[(*cell, ti)] = after_seg if after_seg is not None else (k * nt + ti) * nb + b
    c.nseg = nseg
    nall = nseg + len(misses)
    c.edges = np.full((nall, maxb), np.inf)
    slots = nall * (maxb + 1)
    c.fee_c = np.zeros(slots, dtype=np.int64)
    c.step_every = np.ones(slots)         # a band without steps: above = +inf, so it never counts one
    c.step_above = np.full(slots, np.inf)
    c.step_fee_c = np.zeros(slots, dtype=np.int64)
    c.band_reason = np.full(slots, -1, dtype=np.int32)
    c.band_fig = np.full(slots, -1, dtype=np.int32)
    c.band_step_fig = np.full(slots, -1, dtype=np.int32)
    c.slot_max_price = np.full(slots, int(BIG), dtype=np.int64)
    c.seg_bill_unit = np.zeros(nall, dtype=bool)
    c.seg_partial = np.zeros(nall, dtype=bool)
    c.seg_nbands = np.full(nall, maxb + 1, dtype=np.int64)
    c.band_text = [""] * slots
    for text, seg in misses.items():  # cells with no card: every slot carries the reason
        base = seg * (maxb + 1)
        c.band_reason[base:base + maxb + 1] = c.message(text)
    for k, card in enumerate(cards):
        columns = card["price_bands"] or c.band_names
        card_reason = c.message(f"{card['name']}: {card['unavailable']}") if card["unavailable"] else None
        for ti, tier in enumerate(c.tier_names):
            rows = card["tiers"].get(tier)
            for b, band in enumerate(c.band_names):
                seg = (k * nt + ti) * nb + b
                base = seg * (maxb + 1)
                c.slot_max_price[base:base + maxb + 1] = c.card_max_price[k]
                c.seg_bill_unit[seg] = card["billing_weight"] == "unit"
                c.seg_partial[seg] = card["partial"] and rows is not None and rows[-1]["upto"] is not None
                if rows is not None:
                    c.seg_nbands[seg] = len(rows)
                if rows is None or band not in columns:
                    c.band_reason[base:base + maxb + 1] = card_reason if card_reason is not None else \
                        c.message(f"{card['name']}: no rows for {tier}")
                    continue
                col = columns.index(band)
                _segment(c, k, card, tier, rows, col, seg, base, card_reason)
    c.price_over_max = c.message("price above the program's maximum")


def _segment(c: Compiled, k: int, card: dict, tier: str, rows: list[dict], col: int, seg: int, base: int,
             card_reason: int | None) -> None:
    maxb = c.maxb
    for j, (row, label) in enumerate(zip(rows, band_labels(rows), strict=True)):
        slot = base + j
        if row["upto"] is not None:
            c.edges[seg, j] = _weight(c, row["upto"])
        c.band_text[slot] = f"{card['name']}, {tier}, {label}"
        if row["fee"] is None:
            reason = row["unavailable"] or card["unavailable"]
            c.band_reason[slot] = c.message(f"{card['name']}, {tier}, {label}: {reason}")
            continue
        fig = row["fee"][col if len(row["fee"]) > 1 else 0]
        key = f"fulfillment_cards[{k}] {card['name']}, {tier}, {label}"
        c.fee_c[slot] = to_cents(fig["value"])
        c.band_fig[slot] = c.figure(key, fig, row, card)
        if row["step"]:
            c.step_every[slot], c.step_above[slot], c.step_fee_c[slot], text = compile_step(c, row["step"])
            c.band_step_fig[slot] = c.figure(key + " step", row["step"]["fee"], row, card)
            c.band_text[slot] += text
    last_open = rows[-1]["upto"] is None
    beyond = base + len(rows)
    c.band_reason[beyond:base + maxb + 1] = c.message(
        f"{card['name']}, {tier}: weight above the card's last band ({rows[-1]['upto']})") if not last_open else \
        (card_reason if card_reason is not None else -1)
