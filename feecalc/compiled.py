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
from .schema import DSF_LINES, LOW_CONFIDENCE, PROGRAM_NAMES, STOCK_ELSEWHERE
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
    from .cards import compile_cards  # these modules build on the helpers here
    from .packaging import compile_packaging
    from .storage import compile_storage

    t, c = info.data, Compiled(info)
    c.length_unit, c.weight_unit = t["units"]["length"], t["units"]["weight"]
    c.currency = t["currency"]
    c.start, c.end = info.effective_from, info.effective_to
    _periods(c, t)
    _tiers(c, t)
    _price_bands(c, t)
    _referral(c, t)
    _tier_categories(c, t)
    compile_cards(c, t)
    compile_packaging(c, t)
    _surcharges(c, t)
    _vat_and_dsf(c, t)
    c.per_item_c = to_cents(t["per_item_fee"]["individual"]["value"])
    c.per_item_fig = c.figure("per_item_fee.individual", t["per_item_fee"]["individual"], t["per_item_fee"])
    compile_storage(c, t)
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


def band_labels(rows: list[dict]) -> list[str]:
    """Amazon-style weight-band labels: '4 oz or less', '4 oz+ to 8 oz', 'over 3 lb', 'any weight'."""
    out, prev = [], None
    for row in rows:
        if row["upto"]:
            out.append(f"{prev}+ to {row['upto']}" if prev else f"{row['upto']} or less")
        else:
            out.append(f"over {prev}" if prev else "any weight")
        prev = row["upto"] or prev
    return out


def compile_step(c: Compiled, step: dict) -> tuple[float, float, int, str]:
    """A band's per-step increment: (every, above) in the table's weight unit, fee in cents, and its text."""
    text = f" (+{step['fee']['value']} per {step['every']} above {step['above']})"
    return _weight(c, step["every"]), _weight(c, step["above"]), to_cents(step["fee"]["value"]), text


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


def _category_index(c: Compiled, name: str) -> int:
    ci = c.category_lookup.get(category_key(name))
    if ci is None:
        raise ValueError(f"{c.id}: unknown category {name!r} in a fulfillment card")
    return ci


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


def _vat_and_dsf(c: Compiled, t: dict) -> None:
    """VAT rate for the VAT contained in a price; Digital Services Fee rates by period and seller country."""
    vat = t["vat"]
    c.vat_ppm = percent_to_ppm(vat["rate"]) if vat else 0
    c.vat_fig = c.figure("vat", vat) if vat else -1
    rules = t["digital_services_fee"]
    c.dsf_countries = sorted({k for r in rules for k in r["seller_countries"] if k != "*"}) + ["*"]
    shape = (c.nper, len(c.dsf_countries))
    c.dsf_ppm = np.zeros(shape, dtype=np.int64)
    c.dsf_on = np.zeros((*shape, len(DSF_LINES)), dtype=np.int64)  # per DSF_LINES
    c.dsf_fig = np.full(shape, -1, dtype=np.int32)
    lines = DSF_LINES
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
