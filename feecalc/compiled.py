"""A validated table compiled into flat numpy lookup arrays for the vectorised engine.

Dates are cut into periods at every date where any section changes; each section then becomes
an array indexed by period.  Fulfillment bands become an edge matrix per (card, tier, price
band) segment.  Every figure gets an id that points back to its source, confidence and key.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

import numpy as np

from .money import percent_to_ppm, to_cents
from .schema import LOW_CONFIDENCE, PROGRAM_NAMES, STOCK_ELSEWHERE
from .tables import ONE_DAY, TableInfo, category_key
from .units import fraction_to_float, quantity_in, unit_size

BIG = np.int64(2**62)
PROGRAMS = PROGRAM_NAMES
STORED_ELSEWHERE = np.array([p in STOCK_ELSEWHERE for p in PROGRAMS])
EPOCH = dt.date(1970, 1, 1)


def day_number(day: dt.date) -> int:
    return (day - EPOCH).days


@dataclass(frozen=True)
class FigureRef:
    """Where a figure came from: table key, source, confidence, method and note."""

    key: str
    source: str
    confidence: str
    method: str | None = None
    note: str | None = None

    @property
    def low(self) -> bool:
        return self.confidence in LOW_CONFIDENCE

    def cite(self) -> str:
        text = f"{self.source}; confidence {self.confidence}"
        if self.method:
            text += f"; method: {self.method}"
        return text


@dataclass
class Compiled:
    """Arrays the engine reads; built once per table."""

    info: TableInfo
    figures: list[FigureRef] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)  # reasons and warnings, by id
    _message_ids: dict[str, int] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return self.info.id

    def figure(self, key: str, fig: dict | None, *parents: dict | None) -> int:
        """Register a figure (with inherited source) and return its id."""
        chain = [fig or {}, *[p or {} for p in parents]]
        pick = lambda name: next((c.get(name) for c in chain if c.get(name)), None)  # noqa: E731
        own_note = (fig or {}).get("note")  # a note speaks of its own figure, not of its section's others
        self.figures.append(FigureRef(key, pick("source"), pick("confidence"), pick("method"), own_note))
        return len(self.figures) - 1

    def card_for(self, period: int, apparel: int, dg: int, program: int, band: int, category: int,
                 tier: int) -> int | None:
        """Index of the card pricing this cell and tier, or None where no card applies."""
        seg = int(self.seg_lookup[period, apparel, dg, program, band, self.category_class[category], tier])
        return seg // (len(self.tier_names) * len(self.band_names)) if seg < self.nseg else None

    def message(self, text: str) -> int:
        """Intern a reason or warning text and return its id."""
        if text not in self._message_ids:
            self._message_ids[text] = len(self.messages)
            self.messages.append(text)
        return self._message_ids[text]


def compile_table(info: TableInfo) -> Compiled:
    """Compile a loaded table; pure function of the table's data."""
    t, c = info.data, Compiled(info)
    c.length_unit, c.weight_unit = t["units"]["length"], t["units"]["weight"]
    c.currency = t["currency"]
    c.start, c.end = info.effective_from, info.effective_to
    _periods(c, t)
    _tiers(c, t)
    _price_bands(c, t)
    _referral(c, t)
    _tier_categories(c, t)
    _cards(c, t)
    _surcharges(c, t)
    _vat_and_dsf(c, t)
    c.per_item_c = to_cents(t["per_item_fee"]["individual"]["value"])
    c.per_item_fig = c.figure("per_item_fee.individual", t["per_item_fee"]["individual"], t["per_item_fee"])
    _storage(c, t)
    _utilization(c, t)
    _aged(c, t)
    _youngest(c)
    c.stored_elsewhere_reason = c.message(
        "under this programme the units are stored in another marketplace's fulfilment centres: their storage is "
        "charged there; cost it with that marketplace's table (program standard)")
    _notices(c, t)
    c.fig_warning = np.array([_fig_warning(c, f) for f in c.figures] + [-1], dtype=np.int32)
    _warning_classes(c)
    return c


def _classes(rows: np.ndarray, shape: tuple) -> tuple[np.ndarray, np.ndarray]:
    """Factorize rows of message ids (one row per lookup cell) into (class id per cell, class table)."""
    table, ids = np.unique(np.asarray(rows, dtype=np.int32).reshape(int(np.prod(shape)), -1), axis=0,
                           return_inverse=True)
    return ids.reshape(shape).astype(np.intp), table


def _warning_classes(c: Compiled) -> None:
    """Each lookup's warnings as a small class id plus a table class -> message ids (-1: none).

    A row's warnings are the union of its classes' messages (engine.warning_ids), so rows with equal
    class ids have equal warnings and texts are built once per combination."""
    fw = c.fig_warning
    nt, nv_ais = len(c.tier_names), c.ais_lower.shape[0]
    c.wc_tier = _classes(np.stack([c.tier_notice, c.storage_notice], 1), (nt,))
    c.wc_period = _classes(np.column_stack([c.notice_all, c.notice_matrix, fw[c.fuel_fig]]), (c.nper,))
    c.wc_slot = _classes(np.stack([fw[c.band_fig], fw[c.band_step_fig]], 1), c.band_fig.shape)
    c.wc_rule = _classes(np.stack([c.ref_note, fw[c.ref_fig], fw[c.min_fig], fw[c.closing_fig]], 1),
                         c.ref_note.shape)
    c.wc_storage = _classes(np.stack([c.st_reason, fw[c.st_fig]], -1), c.st_reason.shape)
    c.wc_sus = _classes(fw[c.sus_fig][..., None], c.sus_fig.shape)
    exempt_fig = np.broadcast_to(fw[c.ais_exempt_fig][..., None], (*c.ais_fig.shape, 2)).copy()
    exempt_fig[..., 0] = -1  # the exemption's warning only where the exemption applies
    ais_fig = np.stack([fw[c.ais_fig], np.full(c.ais_fig.shape, -1)], -1)  # an exempt row has no AIS figure
    reason = np.broadcast_to(c.ais_reason[..., None], ais_fig.shape)
    c.wc_ais = _classes(np.stack([reason, ais_fig, exempt_fig], -1), (nv_ais, c.ais_fig.shape[1], 2))
    c.wc_per_item = _classes(np.array([[-1], [fw[c.per_item_fig]]]), (2,))
    c.wc_dsf = _classes(fw[c.dsf_fig][..., None], c.dsf_fig.shape)
    c.wc_reason = np.arange(-1, len(c.messages), dtype=np.int32)[:, None]  # a reason id r is class r + 1


def _fig_warning(c: Compiled, fig: FigureRef) -> int:
    if not fig.low:
        return -1
    kind = "DERIVED" if fig.confidence == "DERIVED" else f"low confidence ({fig.confidence})"
    note = f"; note: {fig.note}" if fig.note else ""
    return c.message(f"{fig.key} is {kind}: {fig.cite()}{note}")


def _periods(c: Compiled, t: dict) -> None:
    cuts = {c.start, c.end + ONE_DAY}
    dated = [*t["peak_windows"], *t["fulfillment_cards"], *t["surcharges"], *t["referral"], *t["digital_services_fee"],
             *t["storage"], *t["storage_utilization"], *t["aged_inventory"], *t["notices"]]
    for item in dated:
        if item.get("start"):
            cuts.add(item["start"])
        if item.get("end"):
            cuts.add(item["end"] + ONE_DAY)
    starts = sorted(d for d in cuts if c.start <= d <= c.end)
    c.period_starts = starts
    c.period_ends = [d - ONE_DAY for d in starts[1:]] + [c.end]
    c.bounds = np.array([day_number(d) for d in starts], dtype=np.int64)
    c.nper = len(starts)
    c.peak = np.array([any(w["start"] <= s <= w["end"] for w in t["peak_windows"]) for s in starts])
    days = np.arange(day_number(c.start), day_number(c.end) + 1).astype("datetime64[D]")
    c.oct_dec = (days.astype("datetime64[M]").astype(np.int64) % 12 >= 9).astype(np.intp)  # Oct-Dec, by day


def _active(c: Compiled, item: dict, p: int) -> bool:
    """Is a dated item in force for the whole of period p?"""
    lo, hi = item.get("start") or c.start, item.get("end") or c.end
    return lo <= c.period_starts[p] and c.period_ends[p] <= hi


def _length(c: Compiled, text: str | None, default: float = np.inf) -> float:
    return default if text is None else fraction_to_float(quantity_in(text, c.length_unit))


def _weight(c: Compiled, text: str | None, default: float = np.inf) -> float:
    return default if text is None else fraction_to_float(quantity_in(text, c.weight_unit))


def _tiers(c: Compiled, t: dict) -> None:
    tiers = t["size_tiers"]
    c.tier_names = [x["tier"] for x in tiers]
    c.max_longest = np.array([_length(c, x["max_longest"]) for x in tiers])
    c.max_median = np.array([_length(c, x["max_median"]) for x in tiers])
    c.max_shortest = np.array([_length(c, x["max_shortest"]) for x in tiers])
    c.max_girth = np.array([_length(c, x["max_length_girth"]) for x in tiers])
    c.max_weight = np.array([_weight(c, x["max_weight"]) for x in tiers])
    c.max_dim_weight = np.array([_weight(c, x["max_dim_weight"]) for x in tiers])
    c.test_shipping = np.array([x["weight_basis"] == "shipping" for x in tiers])
    c.bill_shipping = np.array([x["billing_weight"] == "shipping" for x in tiers])
    sides = [_length(c, x["dim_min_side"], 0.0) for x in tiers]
    c.min_sides = sorted(set(sides))
    c.tier_side = np.array([c.min_sides.index(s) for s in sides], dtype=np.intp)
    c.tier_oversize = np.array([x["storage"] == "oversize" for x in tiers], dtype=np.intp)
    c.tier_fig = [c.figure(f"size_tiers[{i}] {x['tier']}", x) for i, x in enumerate(tiers)]
    c.tier_notice = np.array([c.message(x["notice"]) if x["notice"] else -1 for x in tiers], dtype=np.int32)
    c.storage_notice = np.array(
        [c.message(x["storage_notice"]) if x["storage_notice"] else -1 for x in tiers], dtype=np.int32)
    dw = t["dimensional_weight"]
    c.divisor = float(dw["divisor"])
    c.dim_fig = c.figure("dimensional_weight.divisor", dw)
    # storage volume units (cubic feet or cubic metres) per cubic table length unit
    c.storage_unit = t["storage_volume_unit"]
    c.cuft_per_unit3 = fraction_to_float((unit_size(c.length_unit) / unit_size(c.storage_unit)) ** 3)


def _tier_categories(c: Compiled, t: dict) -> None:
    """Which categories each tier admits (tiers with `categories` exist only for them); needs the categories."""
    ncat = len(c.category_keys)
    c.tier_cat = np.ones((len(t["size_tiers"]), ncat + 1), dtype=bool)
    for i, tier in enumerate(t["size_tiers"]):
        if tier["categories"] is not None:
            c.tier_cat[i] = False
            c.tier_cat[i, [_category_index(c, name) for name in tier["categories"]]] = True
    c.tier_cat_limited = not c.tier_cat.all()
    c.tier_cat_t = np.ascontiguousarray(c.tier_cat.T)


def _price_bands(c: Compiled, t: dict) -> None:
    bands = t["price_bands"]
    c.band_names = [b["band"] for b in bands]
    limits = []
    for b in bands:
        if b["below"] is not None:
            limits.append(to_cents(Decimal(b["below"])) - 1)
        elif b["upto"] is not None:
            limits.append(to_cents(Decimal(b["upto"])))
        else:
            limits.append(int(BIG))
    c.band_max = np.array(limits, dtype=np.int64)
    c.band_label = []
    lower = None
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
        c.band_label.append(f"{b['band']} ({label})")


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


def _category_index(c: Compiled, name: str) -> int:
    ci = c.category_lookup.get(category_key(name))
    if ci is None:
        raise ValueError(f"{c.id}: unknown category {name!r} in a fulfillment card")
    return ci


def _resolve_rows(cards: list[dict]) -> list[dict]:
    """Cards with `rows_from` get the named card's rows plus their fixed adjustment (`plus`)."""
    by_name = {card["name"]: card for card in cards}
    out = []
    for card in cards:
        if card["rows_from"] is None:
            out.append(card)
            continue
        base = by_name[card["rows_from"]]
        plus = Decimal(str(card["plus"] or 0))
        fig = {"source": card["source"], "confidence": card["confidence"], "method": card["method"],
               "note": card["note"]}
        tiers = {}
        for tier, rows in base["tiers"].items():
            add = Decimal(0) if tier in card["plus_except_tiers"] else plus
            tiers[tier] = [dict(row, fee=None if row["fee"] is None else
                                [dict(f, value=f["value"] + add, **fig) for f in row["fee"]],
                                source=card["source"], confidence=card["confidence"]) for row in rows]
        out.append(dict(card, tiers=tiers, price_bands=card["price_bands"] or base["price_bands"]))
    return out


def _cards(c: Compiled, t: dict) -> None:
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
    maxb, prev = c.maxb, None
    for j, row in enumerate(rows):
        slot = base + j
        if row["upto"] is not None:
            c.edges[seg, j] = _weight(c, row["upto"])
        label = (f"{prev}+ to {row['upto']}" if prev else f"{row['upto']} or less") if row["upto"] else \
            (f"over {prev}" if prev else "any weight")
        prev = row["upto"] or prev
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
            step = row["step"]
            c.step_every[slot] = _weight(c, step["every"])
            c.step_above[slot] = _weight(c, step["above"])
            c.step_fee_c[slot] = to_cents(step["fee"]["value"])
            c.band_step_fig[slot] = c.figure(key + " step", step["fee"], row, card)
            c.band_text[slot] += f" (+{step['fee']['value']} per {step['every']} above {step['above']})"
    last_open = rows[-1]["upto"] is None
    beyond = base + len(rows)
    c.band_reason[beyond:base + maxb + 1] = c.message(
        f"{card['name']}, {tier}: weight above the card's last band ({rows[-1]['upto']})") if not last_open else \
        (card_reason if card_reason is not None else -1)


def _surcharges(c: Compiled, t: dict) -> None:
    c.fuel_ppm = np.zeros(c.nper, dtype=np.int64)
    c.fuel_fig = np.full(c.nper, -1, dtype=np.int32)
    for i, sur in enumerate(t["surcharges"]):
        fig = c.figure(f"surcharges[{i}] {sur['name']} {sur['rate']}", sur)
        for p in range(c.nper):
            if _active(c, sur, p):
                c.fuel_ppm[p] = percent_to_ppm(sur["rate"])
                c.fuel_fig[p] = fig


def _referral(c: Compiled, t: dict) -> None:
    items = t["referral"]
    keys: dict[str, int] = {}
    c.category_names: list[str] = []
    for cat in items:
        k = category_key(cat["name"])
        if k not in keys:
            keys[k] = len(c.category_names)
            c.category_names.append(cat["name"])
    c.category_keys = list(keys)
    c.category_lookup = dict(keys)
    for cat in items:
        for alias in cat["aliases"]:
            c.category_lookup.setdefault(category_key(alias), keys[category_key(cat["name"])])
    ntiers = max(len(cat["whole_price"] or cat["marginal"] or [1]) for cat in items)
    nr = len(items)
    c.ref_lo = np.full((nr + 1, ntiers), BIG, dtype=np.int64)
    c.ref_hi = np.full((nr + 1, ntiers), BIG, dtype=np.int64)
    c.ref_ppm = np.zeros((nr + 1, ntiers), dtype=np.int64)
    c.ref_marginal = np.zeros(nr + 1, dtype=bool)
    c.ref_min_c = np.zeros(nr + 1, dtype=np.int64)
    c.closing_c = np.zeros(nr + 1, dtype=np.int64)
    c.ref_fig = np.full(nr + 1, -1, dtype=np.int32)
    c.min_fig = np.full(nr + 1, -1, dtype=np.int32)
    c.closing_fig = np.full(nr + 1, -1, dtype=np.int32)
    c.closing_reason = np.full(nr + 1, -1, dtype=np.int32)
    c.ref_note = np.full(nr + 1, -1, dtype=np.int32)
    c.ref_text = [""] * (nr + 1)
    for r, cat in enumerate(items):
        tiers = cat["whole_price"] or cat["marginal"] or [{"upto": None, "rate": cat["rate"]}]
        lo = 0
        for j, tier in enumerate(tiers):
            hi = to_cents(Decimal(tier["upto"])) if tier["upto"] is not None else int(BIG)
            c.ref_lo[r, j], c.ref_hi[r, j], c.ref_ppm[r, j] = lo, hi, percent_to_ppm(tier["rate"])
            lo = hi
        c.ref_marginal[r] = cat["marginal"] is not None
        kind = "marginal" if cat["marginal"] else "whole-price" if cat["whole_price"] else "flat"
        c.ref_text[r] = f"{cat['name']}: {kind} " + ", ".join(
            f"{x['rate']}" + (f" up to {x['upto']}" if x["upto"] is not None else (" above" if len(tiers) > 1 else ""))
            for x in tiers)
        key = f"referral[{r}] {cat['name']}"
        c.ref_fig[r] = c.figure(key, cat)
        if cat["minimum"]:
            c.ref_min_c[r] = to_cents(cat["minimum"]["value"])
            c.min_fig[r] = c.figure(key + " minimum", cat["minimum"], cat)
        else:
            c.ref_note[r] = c.message(f"referral: {cat['name']}: no minimum applied: {cat['no_minimum']}")
        if cat["closing_fee_unavailable"]:
            c.closing_reason[r] = c.message(f"closing fee: {cat['name']}: {cat['closing_fee_unavailable']}")
        if cat["closing_fee"]:
            c.closing_c[r] = to_cents(cat["closing_fee"]["value"])
            c.closing_fig[r] = c.figure(key + " closing fee", cat["closing_fee"], cat)
    c.ref_width = c.ref_hi - c.ref_lo
    c.ref_rule = np.full((c.nper, len(c.category_keys)), nr, dtype=np.int32)  # nr: not in force
    c.ref_miss = np.full((c.nper, len(c.category_keys)), -1, dtype=np.int32)
    for p in range(c.nper):
        for r, cat in enumerate(items):
            if _active(c, cat, p):
                c.ref_rule[p, keys[category_key(cat["name"])]] = r
        for ci, name in enumerate(c.category_names):
            if c.ref_rule[p, ci] == nr:
                c.ref_miss[p, ci] = c.message(
                    f"referral: {name} has no rate in {c.id} on {c.period_starts[p]} to {c.period_ends[p]}")


def _storage(c: Compiled, t: dict) -> None:
    # rate[period, dangerous_goods, class (standard, oversize, standard_apparel), oct_dec] in cents per storage
    # volume unit; -1: unavailable.  Standard-size items in a version's apparel_categories use standard_apparel.
    shape = (c.nper + 1, 2, 3, 2)
    c.st_rate = np.full(shape, -1, dtype=np.int64)
    c.st_fig = np.full(shape, -1, dtype=np.int32)
    c.st_reason = np.full(shape, -1, dtype=np.int32)
    c.st_apparel = np.zeros((c.nper + 1, len(c.category_keys) + 1), dtype=bool)
    c.has_apparel_storage = any(ver["apparel_categories"] for ver in t["storage"])
    for i, ver in enumerate(t["storage"]):
        for p in range(c.nper):
            if not _active(c, ver, p):
                continue
            for name in ver["apparel_categories"]:
                c.st_apparel[p, _category_index(c, name)] = True
            for dg, group in enumerate(("rates", "dangerous_goods")):
                for cls_i, cls in enumerate(("standard", "oversize", "standard_apparel")):
                    classes = ver[group] or {}
                    seasons = classes.get(cls) or (classes.get("standard") if cls == "standard_apparel" else None)
                    for oct_dec, season in enumerate(("jan_sep", "oct_dec")):
                        fig = (seasons or {}).get(season)
                        if fig is None:
                            why = ver["unavailable"] or "NOT FOUND in the reference"
                            c.st_reason[p, dg, cls_i, oct_dec] = c.message(
                                f"storage: {'dangerous goods ' if dg else ''}{cls} {season.replace('_', '-')} "
                                f"rate from {ver['start'] or c.start} to {ver['end'] or c.end}: {why}")
                            continue
                        c.st_rate[p, dg, cls_i, oct_dec] = to_cents(fig["value"])
                        used = cls if classes.get(cls) else "standard"
                        c.st_fig[p, dg, cls_i, oct_dec] = c.figure(f"storage[{i}].{group}.{used}.{season}", fig, ver)


def _vat_and_dsf(c: Compiled, t: dict) -> None:
    """VAT rate for the VAT contained in a price; Digital Services Fee rates by period and seller country."""
    vat = t["vat"]
    c.vat_ppm = percent_to_ppm(vat["rate"]) if vat else 0
    c.vat_fig = c.figure("vat", vat) if vat else -1
    rules = t["digital_services_fee"]
    c.dsf_countries = sorted({k for r in rules for k in r["seller_countries"] if k != "*"}) + ["*"]
    shape = (c.nper, len(c.dsf_countries))
    c.dsf_ppm = np.zeros(shape, dtype=np.int64)
    c.dsf_on = np.zeros((*shape, 4), dtype=np.int64)  # referral, closing, per_item, fulfillment
    c.dsf_fig = np.full(shape, -1, dtype=np.int32)
    lines = ("referral", "closing", "per_item", "fulfillment")
    for i, rule in enumerate(rules):
        fig = c.figure(f"digital_services_fee[{i}] {rule['rate']} for sellers in {', '.join(rule['seller_countries'])}",
                       rule)
        for p in range(c.nper):
            if not _active(c, rule, p):
                continue
            for country in rule["seller_countries"]:
                j = c.dsf_countries.index(country)
                c.dsf_ppm[p, j] = percent_to_ppm(rule["rate"])
                c.dsf_on[p, j] = [line in rule["on"] for line in lines]
                c.dsf_fig[p, j] = fig


def _utilization(c: Compiled, t: dict) -> None:
    """Storage utilization surcharge: tiers by the seller's ratio (weeks), per cubic foot by storage class."""
    versions = t["storage_utilization"]
    nv, maxt = len(versions), max([len(v["tiers"]) for v in versions] + [1])
    c.sus_version = np.array([next(i for i, v in enumerate(versions) if _active(c, v, p)) for p in range(c.nper)],
                             dtype=np.intp)
    c.sus_edges = np.full((nv, maxt), np.inf)
    c.sus_rate = np.full((nv, maxt + 1, 2), -1, dtype=np.int64)  # slot 0: at or below the threshold
    c.sus_rate[:, 0, :] = 0
    c.sus_fig = np.full((nv, maxt + 1, 2), -1, dtype=np.int32)
    c.sus_reason = np.full((nv, maxt + 1), -1, dtype=np.int32)
    c.sus_dg_reason = np.full(nv, -1, dtype=np.int32)
    c.sus_text = [[""] * (maxt + 1) for _ in range(nv)]
    for v, ver in enumerate(versions):
        if ver["not_in_force"]:
            c.sus_text[v][0] = f"not in force: {ver['not_in_force']}"
            continue
        threshold = ver["none_up_to_weeks"]
        c.sus_text[v][0] = f"ratio of {threshold} weeks or less: none"
        if ver["dangerous_goods_unavailable"]:
            c.sus_dg_reason[v] = c.message(f"storage utilization surcharge: {ver['dangerous_goods_unavailable']}")
        if not ver["tiers"]:
            c.sus_edges[v, 0] = float(threshold)
            c.sus_reason[v, 1:] = c.message(f"storage utilization surcharge above {threshold} weeks: "
                                            f"{ver['unavailable']}")
            continue
        for j, tier in enumerate(ver["tiers"]):
            c.sus_edges[v, j] = float(tier["above_weeks"])
            upper = ver["tiers"][j + 1]["above_weeks"] if j + 1 < len(ver["tiers"]) else None
            c.sus_text[v][j + 1] = f"ratio over {tier['above_weeks']}" + (f" to {upper}" if upper else "") + " weeks"
            for ov, cls in enumerate(("standard", "oversize")):
                c.sus_rate[v, j + 1, ov] = to_cents(tier[cls]["value"])
                c.sus_fig[v, j + 1, ov] = c.figure(
                    f"storage_utilization[{v}] {cls}, {c.sus_text[v][j + 1]}", tier[cls], tier, ver)


def _aged(c: Compiled, t: dict) -> None:
    versions = t["aged_inventory"]
    maxb = max([len(v["bands"]) for v in versions] + [1])
    nv, ncat = len(versions), len(c.category_keys)
    c.ais_version = np.zeros(c.nper, dtype=np.intp)
    for p in range(c.nper):
        c.ais_version[p] = next(i for i, v in enumerate(versions) if _active(c, v, p))
    c.ais_lower = np.full((nv, maxb), BIG, dtype=np.int64)
    slots = (nv, maxb + 1)  # slot 0: younger than the first band (no charge)
    c.ais_cuft_c = np.zeros(slots, dtype=np.int64)
    c.ais_unit_c = np.zeros(slots, dtype=np.int64)
    c.ais_reason = np.full(slots, -1, dtype=np.int32)
    c.ais_fig = np.full(slots, -1, dtype=np.int32)
    c.ais_exempt = np.zeros((nv, maxb + 1, ncat), dtype=bool)
    c.ais_exempt_fig = np.full(slots, -1, dtype=np.int32)
    c.ais_text = [[""] * (maxb + 1) for _ in range(nv)]
    for v, ver in enumerate(versions):
        if ver["unavailable"]:
            c.ais_lower[v, 0] = 1  # new stock (age 0) owes no aged-inventory charge; older stock is unknown
            c.ais_reason[v, 1:] = c.message(f"aged inventory surcharge: {ver['unavailable']}")
            continue
        for j, band in enumerate(ver["bands"]):
            c.ais_lower[v, j] = band["from_days"]
            slot = (v, j + 1)
            span = f"{band['from_days']}-{band['to_days']} days" if band["to_days"] else f"{band['from_days']}+ days"
            c.ais_text[v][j + 1] = f"aged {span}"
            if band["unavailable"]:
                c.ais_reason[slot] = c.message(f"aged inventory surcharge, {span}: {band['unavailable']}")
                continue
            key = f"aged_inventory[{v}] {span}"
            if band["per_cubic_foot"]:
                c.ais_cuft_c[slot] = to_cents(band["per_cubic_foot"]["value"])
                c.ais_fig[slot] = c.figure(key, band["per_cubic_foot"], band, ver)
            if band["per_unit"]:
                c.ais_unit_c[slot] = to_cents(band["per_unit"]["value"])
                c.ais_text[v][j + 1] += f", greater of {band['per_cubic_foot']['value']}/cu ft and " \
                                        f"{band['per_unit']['value']}/unit"
                if c.ais_fig[slot] < 0:
                    c.ais_fig[slot] = c.figure(key, band["per_unit"], band, ver)
            for name in band["exempt_categories"]:
                ci = c.category_lookup.get(category_key(name))
                if ci is None:
                    raise ValueError(f"aged_inventory[{v}].bands[{j}].exempt_categories: unknown category {name!r}")
                c.ais_exempt[v, j + 1, ci] = True
            if band["exempt_categories"]:
                c.ais_exempt_fig[slot] = c.figure(
                    key + " category exemption",
                    {"source": band["exemption_source"], "confidence": band["exemption_confidence"]})


def _youngest(c: Compiled) -> None:
    """The lowest age at which any aged-inventory band (or unknown schedule) starts."""
    c.ais_youngest = int(c.ais_lower[:, 0].min())


def _notices(c: Compiled, t: dict) -> None:
    """Table notices become warnings per (period, fee line)."""
    from .schema import FEE_KEYS

    c.notice = {fee: np.full(c.nper, -1, dtype=np.int32) for fee in FEE_KEYS}
    c.notice_all = np.full(c.nper, -1, dtype=np.int32)
    for n in t["notices"]:
        mid = c.message(n["text"])
        for p in range(c.nper):
            if _active(c, n, p):
                (c.notice[n["fee"]] if n["fee"] else c.notice_all)[p] = mid
    c.notice_matrix = np.stack([c.notice[fee] for fee in FEE_KEYS], axis=1)
