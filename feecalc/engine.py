"""The one fee engine: arrays of items in a table's units -> arrays of fees in int64 cents.

`quote` calls it with one row, `cost_frame` with a million; no fee rule exists anywhere else.
Every step is a whole-array operation; loops run over tiers or fee lines, never over rows.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .compiled import STORED_ELSEWHERE, Compiled
from .money import PPM, half_up_div
from .schema import DSF_LINES

# Derived lengths and weights are snapped to 1e-9 of the table unit so that binary rounding
# (13.9 * 10 * 1 in = 139.00000000000003 in3) cannot push a value across a band edge.
SNAP = 9

FEE_LINES = ("referral", "closing", "per_item", "fulfillment", "fuel_surcharge", "packaging", "digital_services_fee",
             "storage_monthly", "storage_utilization_surcharge", "aged_inventory_surcharge")
TOTAL_LINES = ("referral", "closing", "per_item", "fulfillment", "fuel_surcharge", "packaging",
               "digital_services_fee")


@dataclass
class Items:
    """Validated items in a table's units: the engine's whole input."""

    price_c: np.ndarray      # int64 cents, item price
    total_c: np.ndarray      # int64 cents, price + shipping + gift wrap
    dims: np.ndarray         # float64 (n, 3), length unit of the table
    weight: np.ndarray       # float64, weight unit of the table
    category: np.ndarray     # intp, index into the table's categories
    apparel: np.ndarray      # intp 0/1
    dangerous: np.ndarray    # intp 0/1
    sipp: np.ndarray         # intp 0/1: ships in its own product packaging (no packaging fee)
    individual: np.ndarray   # bool, Individual selling plan
    program: np.ndarray      # intp, index into compiled.PROGRAMS
    age_days: np.ndarray     # int64
    utilization: np.ndarray  # float64 weeks of the seller's storage utilization ratio; NaN: not given
    seller_country: np.ndarray  # intp, index into the table's Digital Services Fee countries
    day: np.ndarray          # int64 days since 1970-01-01


@dataclass
class Result:
    """Engine output: per fee line cents, -1/ reason id, figure id; plus tier, weights, warnings."""

    tier: np.ndarray
    dim_weight: np.ndarray
    ship_weight: np.ndarray
    cents: dict[str, np.ndarray]
    reason: dict[str, np.ndarray]   # message id where the fee is unavailable, else -1
    figure: dict[str, np.ndarray]   # figure id behind the amount, else -1
    fulfillment_slot: np.ndarray    # band slot used, for explanations
    steps: np.ndarray
    referral_rule: np.ndarray
    ais_slot: np.ndarray
    period: np.ndarray
    price_band: np.ndarray
    category: np.ndarray
    exempt: np.ndarray
    dangerous: np.ndarray
    oct_dec: np.ndarray
    individual: np.ndarray
    sus_slot: np.ndarray
    utilization: np.ndarray
    seller_country: np.ndarray
    vat_c: np.ndarray                # VAT contained in the total sales price, cents (0 where the table has none)
    st_class: np.ndarray             # storage class: 0 standard, 1 oversize, 2 standard-size apparel
    program: np.ndarray              # fulfilment programme, index into compiled.PROGRAMS
    pk_slot: np.ndarray              # packaging-fee band slot, -1 where none applies
    pk_steps: np.ndarray
    sipp: np.ndarray


def snap(x: np.ndarray) -> np.ndarray:
    """Round to SNAP decimals (what np.round does, without its per-call overhead)."""
    return np.rint(x * 10.0**SNAP) / 10.0**SNAP


def evaluate(c: Compiled, it: Items) -> Result:
    """Cost every item under compiled table `c`."""
    n = len(it.price_c)
    period = np.searchsorted(c.bounds, it.day, side="right") - 1
    sides = np.sort(it.dims, axis=1)
    longest, median, shortest = sides[:, 2], sides[:, 1], sides[:, 0]
    girth = snap(longest + 2 * (median + shortest))
    dimw = np.stack([snap(longest * np.maximum(median, m) * np.maximum(shortest, m) / c.divisor)
                     for m in c.min_sides])
    tier = _size_tier(c, longest, median, shortest, girth, dimw, it.weight, it.category)
    rows = np.arange(n)
    tier_dim = dimw[c.tier_side[tier], rows]
    ship = np.where(c.bill_shipping[tier], np.maximum(it.weight, tier_dim), it.weight)

    cents, reason, figure = {}, {}, {}
    band = np.searchsorted(c.band_max, it.price_c, side="left")
    pk_slot, pk_steps = _packaging(c, it, period, tier, tier_dim, ship, cents, reason, figure)
    slot, steps, ship = _fulfillment(c, it, period, tier, band, ship, cents, reason, figure)
    _fuel(c, period, cents, reason, figure)
    rule = _referral(c, it, period, cents, reason, figure)
    _dsf(c, it, period, cents, reason, figure)
    vat_c = (it.total_c * c.vat_ppm + (PPM + c.vat_ppm) // 2) // (PPM + c.vat_ppm) if c.vat_ppm else \
        np.zeros(len(it.total_c), dtype=np.int64)
    volume = snap(it.dims[:, 0] * it.dims[:, 1] * it.dims[:, 2]) * c.cuft_per_unit3
    oct_dec = c.oct_dec[it.day - c.bounds[0]]
    st_class = c.tier_oversize[tier]
    if c.has_apparel_storage:  # standard-size items in apparel categories have their own storage rate
        st_class = np.where(st_class == 1, 1, np.where(c.st_apparel[period, it.category], 2, 0))
    _storage(c, it, period, st_class, oct_dec, volume, cents, reason, figure)
    sus_slot = _utilization(c, it, period, tier, volume, cents, reason, figure)
    ais_slot, exempt = _aged(c, it, period, volume, cents, reason, figure)
    _stored_elsewhere(c, it, cents, reason, figure)
    return Result(tier, tier_dim, ship, cents, reason, figure, slot, steps, rule, ais_slot, period, band,
                  it.category, exempt, it.dangerous, oct_dec, it.individual, sus_slot, it.utilization,
                  it.seller_country, vat_c, st_class, it.program, pk_slot, pk_steps, it.sipp)


def warning_classes(c: Compiled, r: Result) -> list[tuple[np.ndarray, np.ndarray]]:
    """Per row, one (class id, class table) per warning source; see compiled._warning_classes."""
    def own(ids):  # a reason that is itself one message id
        return ids + 1, c.wc_reason

    ver_ais, ver_sus, oversize = c.ais_version[r.period], c.sus_version[r.period], c.tier_oversize[r.tier]
    return [
        (c.wc_tier[0][r.tier], c.wc_tier[1]),
        (c.wc_period[0][r.period], c.wc_period[1]),
        (c.wc_slot[0][r.fulfillment_slot], c.wc_slot[1]),
        own(r.reason["fulfillment"]),
        own(c.fig_warning[r.figure["packaging"]]),
        (c.wc_rule[0][r.referral_rule], c.wc_rule[1]),
        own(r.reason["referral"]),
        (c.wc_storage[0][r.period, r.dangerous, r.st_class, r.oct_dec], c.wc_storage[1]),
        own(r.reason["closing"]),
        (c.wc_dsf[0][r.period, r.seller_country], c.wc_dsf[1]),
        (c.wc_sus[0][ver_sus, r.sus_slot, oversize], c.wc_sus[1]),
        own(r.reason["storage_utilization_surcharge"]),
        (c.wc_ais[0][ver_ais, r.ais_slot, r.exempt.astype(np.intp)], c.wc_ais[1]),
        (c.wc_per_item[0][r.individual.astype(np.intp)], c.wc_per_item[1]),
    ]


def signature(classes: list[tuple[np.ndarray, np.ndarray]]) -> np.ndarray:
    """One int64 per row combining its warning classes: equal signatures have equal warnings."""
    key, size = np.zeros(len(classes[0][0]), dtype=np.int64), 1
    for ids, table in classes:
        if size * len(table) >= 2**62:  # keep the mixed radix inside int64
            key, uniques = pd.factorize(key)
            size = len(uniques)
        key, size = key * len(table) + ids, size * len(table)
    return key


def warning_ids(classes: list[tuple[np.ndarray, np.ndarray]], rows: np.ndarray) -> np.ndarray:
    """(len(rows), k) message ids (-1 none) of the warnings that apply to `rows`."""
    return np.concatenate([table[ids[rows]] for ids, table in classes], axis=1)


def distinct_warnings(c: Compiled, r: Result) -> tuple[np.ndarray, list[list[int]]]:
    """(per row a code, per code the message ids of its warnings in order without repeats): warnings are
    worked out once per distinct combination of warning classes, never per row."""
    classes = warning_classes(c, r)
    if len(r.tier) == 1:  # one quote: no combinations to find
        return np.zeros(1, dtype=np.intp), [row_warning_ids(classes, 0)]
    codes, uniques = pd.factorize(signature(classes))
    first = np.zeros(len(uniques), dtype=np.intp)
    first[codes[::-1]] = np.arange(len(codes))[::-1]  # the first row of each combination
    return codes, [list(dict.fromkeys(int(m) for m in row if m >= 0)) for row in warning_ids(classes, first)]


def row_warning_ids(classes: list[tuple[np.ndarray, np.ndarray]], i: int) -> list[int]:
    """The message ids of row i's warnings, in order, without repeats (one row of warning_ids)."""
    out = [m for ids, table in classes for m in table[ids[i]].tolist() if m >= 0]
    return list(dict.fromkeys(out))


def _steps(weight: np.ndarray, above: np.ndarray, every: np.ndarray) -> np.ndarray:
    """Increments started above a band's base weight (0 where the band has none: `above` is +inf)."""
    return np.maximum(np.ceil(snap((weight - above) / every)), 0).astype(np.int64)


def _size_tier(c, longest, median, shortest, girth, dimw, unit, category) -> np.ndarray:
    """First tier, in table order, whose limits all hold (limits inclusive) and which admits the item's
    category; the last tier takes the rest."""
    dim = dimw[c.tier_side].T
    test = np.where(c.test_shipping, np.maximum(unit[:, None], dim), unit[:, None])
    fits = ((test <= c.max_weight) & (dim <= c.max_dim_weight) & (longest[:, None] <= c.max_longest)
            & (median[:, None] <= c.max_median) & (shortest[:, None] <= c.max_shortest)
            & (girth[:, None] <= c.max_girth))
    if c.tier_cat_limited:
        fits &= c.tier_cat_t[category]
    fits[:, -1] = True
    return fits.argmax(axis=1)


def _fulfillment(c, it, period, tier, band, ship, cents, reason, figure):
    cell = (period, it.apparel, it.dangerous, it.program, band, c.category_class[it.category], tier)
    seg = c.seg_lookup[cell]
    weight = np.where(c.seg_bill_unit[seg], it.weight, ship)  # a card may bill on unit weight (Low-Price FBA)
    j = (weight[:, None] > c.edges[seg]).sum(axis=1)
    beyond = c.seg_partial[seg] & (j >= c.seg_nbands[seg])  # past a partial card's last band: the next card
    if beyond.any():
        seg = np.where(beyond, c.seg_next[cell], seg)
        weight = np.where(c.seg_bill_unit[seg], it.weight, ship)
        j = (weight[:, None] > c.edges[seg]).sum(axis=1)
    ship = weight
    slot = seg * (c.maxb + 1) + j
    steps = _steps(ship, c.step_above[slot], c.step_every[slot])
    cents["fulfillment"] = c.fee_c[slot] + steps * c.step_fee_c[slot]
    why = c.band_reason[slot]
    reason["fulfillment"] = np.where((it.price_c > c.slot_max_price[slot]) & (why < 0), c.price_over_max, why)
    figure["fulfillment"] = c.band_fig[slot]
    return slot, steps, ship


def _fuel(c, period, cents, reason, figure):
    ppm = c.fuel_ppm[period]
    cents["fuel_surcharge"] = half_up_div(cents["fulfillment"] * ppm, PPM)
    reason["fuel_surcharge"] = np.where(ppm > 0, reason["fulfillment"], -1)
    figure["fuel_surcharge"] = c.fuel_fig[period]


def _referral(c, it, period, cents, reason, figure):
    rule = c.ref_rule[period, it.category]
    above = it.total_c[:, None] - c.ref_lo[rule]  # how far the total sales price reaches into each tier
    width = c.ref_width[rule]
    portion = np.where(c.ref_marginal[rule][:, None], np.minimum(np.maximum(above, 0), width),
                       np.where((above > 0) & (above <= width), it.total_c[:, None], 0))
    ppm = c.ref_ppm[rule]
    pct = half_up_div((portion * ppm).sum(axis=1), PPM)
    cents["referral"] = np.maximum(pct, c.ref_min_c[rule])
    reason["referral"] = c.ref_miss[period, it.category]
    figure["referral"] = c.ref_fig[rule]
    cents["closing"] = c.closing_c[rule]
    reason["closing"] = np.where(reason["referral"] >= 0, reason["referral"], c.closing_reason[rule])
    figure["closing"] = c.closing_fig[rule]
    cents["per_item"] = np.where(it.individual, c.per_item_c, 0)
    reason["per_item"] = np.full(len(rule), -1, dtype=np.int32)
    figure["per_item"] = np.where(it.individual, c.per_item_fig, -1)
    return rule


def _per_volume(volume_cuft: np.ndarray, rate_c: np.ndarray) -> np.ndarray:
    """Cents for a volume at a rate per cubic foot, rounded half up (exact to 1e-6 cent)."""
    exact = np.rint(volume_cuft * rate_c * 1e6) / 1e6
    return np.floor(exact + 0.5).astype(np.int64)


def _dsf(c, it, period, cents, reason, figure):
    """Digital Services Fee: a percentage of the selling and FBA fee lines its rule names."""
    ppm = c.dsf_ppm[period, it.seller_country]
    if not ppm.any():  # no Digital Services Fee for these sellers in this store
        cents["digital_services_fee"] = np.zeros(len(ppm), dtype=np.int64)
        reason["digital_services_fee"] = np.full(len(ppm), -1, dtype=np.int32)
        figure["digital_services_fee"] = c.dsf_fig[period, it.seller_country]
        return
    on = c.dsf_on[period, it.seller_country]
    # each fee's share is rounded on its own, as in Amazon's example (2% of $2.25 -> $0.05, of $3.30 -> $0.07)
    cents["digital_services_fee"] = sum(half_up_div(cents[line] * ppm, PPM) * on[:, k]
                                        for k, line in enumerate(DSF_LINES))
    why = np.where((on[:, 0] > 0) & (reason["referral"] >= 0), reason["referral"],
                   np.where((on[:, 3] > 0) & (reason["fulfillment"] >= 0), reason["fulfillment"], -1))
    reason["digital_services_fee"] = np.where(ppm > 0, why, -1)
    figure["digital_services_fee"] = c.dsf_fig[period, it.seller_country]


def _storage(c, it, period, st_class, oct_dec, volume, cents, reason, figure):
    key = (period, it.dangerous, st_class, oct_dec)
    rate = c.st_rate[key]
    cents["storage_monthly"] = _per_volume(volume, np.maximum(rate, 0))
    reason["storage_monthly"] = c.st_reason[key]
    figure["storage_monthly"] = c.st_fig[key]


def _packaging(c, it, period, tier, tier_dim, ship, cents, reason, figure):
    """Packaging fee by tier and weight band where the table has one, unless the unit ships in its own packaging."""
    n = len(tier)
    due = c.pk_tier_any[tier] if c.pk_any else None  # cheap first test: can any row's tier owe the fee at all?
    if due is not None and due.any():
        seg = c.pk_seg[period, tier]
        due = (seg >= 0) & (it.sipp == 0)
    if due is None or not due.any():  # the common case, kept to a few array calls
        none, zero = np.full(n, -1, dtype=np.int32), np.zeros(n, dtype=np.int64)
        cents["packaging"], reason["packaging"], figure["packaging"] = zero, none, none
        return none, zero
    reason["packaging"] = np.full(n, -1, dtype=np.int32)
    s = np.maximum(seg, 0)
    weight = np.where(c.pk_dimensional[s], tier_dim, ship)
    slot = s * (c.pk_maxb + 1) + (weight[:, None] > c.pk_edges[s]).sum(axis=1)
    if c.pk_has_steps:
        steps = _steps(weight, c.pk_step_above[slot], c.pk_step_every[slot])
        cents["packaging"] = np.where(due, c.pk_fee_c[slot] + steps * c.pk_step_fee_c[slot], 0)
    else:
        steps = np.zeros(n, dtype=np.int64)
        cents["packaging"] = np.where(due, c.pk_fee_c[slot], 0)
    figure["packaging"] = np.where(due, c.pk_fig[slot], -1).astype(np.int32)
    return np.where(due, slot, -1), np.where(due, steps, 0)


def _stored_elsewhere(c, it, cents, reason, figure):
    """EFN and remote fulfilment ship from another marketplace's stock: no storage line here, with the reason."""
    away = STORED_ELSEWHERE[it.program]
    if not away.any():
        return
    for name in ("storage_monthly", "storage_utilization_surcharge", "aged_inventory_surcharge"):
        cents[name] = np.where(away, 0, cents[name])
        reason[name] = np.where(away, c.stored_elsewhere_reason, reason[name]).astype(np.int32)
        figure[name] = np.where(away, -1, figure[name]).astype(np.int32)


def _utilization(c, it, period, tier, volume, cents, reason, figure):
    """Surcharge per cubic foot by the seller's utilization ratio; Professional sellers only."""
    ver = c.sus_version[period]
    weeks = np.where(it.individual, np.nan, it.utilization)
    if np.isnan(weeks).all():  # no ratio given anywhere: nothing assessed
        none = np.full(len(weeks), -1, dtype=np.int32)
        cents["storage_utilization_surcharge"] = np.zeros(len(weeks), dtype=np.int64)
        reason["storage_utilization_surcharge"], figure["storage_utilization_surcharge"] = none, none
        return np.zeros(len(weeks), dtype=np.intp)
    slot = (weeks[:, None] > c.sus_edges[ver]).sum(axis=1)  # 0: not given, or at or below the threshold
    cls = c.tier_oversize[tier]
    rate = c.sus_rate[ver, slot, cls]
    cents["storage_utilization_surcharge"] = _per_volume(volume, np.maximum(rate, 0))
    why = c.sus_reason[ver, slot]
    dg_why = np.where(it.dangerous.astype(bool) & (slot > 0), c.sus_dg_reason[ver], -1)
    reason["storage_utilization_surcharge"] = np.where(why >= 0, why, dg_why)
    figure["storage_utilization_surcharge"] = c.sus_fig[ver, slot, cls]
    return slot


def _aged(c, it, period, volume, cents, reason, figure):
    n = len(it.age_days)
    if it.age_days.max(initial=0) < c.ais_youngest:  # all younger than every first band: nothing to charge
        cents["aged_inventory_surcharge"] = np.zeros(n, dtype=np.int64)
        reason["aged_inventory_surcharge"] = figure["aged_inventory_surcharge"] = np.full(n, -1, dtype=np.int32)
        return np.zeros(n, dtype=np.intp), np.zeros(n, dtype=bool)
    ver = c.ais_version[period]
    slot = (it.age_days[:, None] >= c.ais_lower[ver]).sum(axis=1)
    cell = ver * c.ais_lower.shape[1] + ver + slot  # flat index into the (version, slot) arrays
    exempt = c.ais_exempt.reshape(-1, c.ais_exempt.shape[2])[cell, it.category]
    amount = np.maximum(_per_volume(volume, c.ais_cuft_c.ravel()[cell]), c.ais_unit_c.ravel()[cell])
    cents["aged_inventory_surcharge"] = np.where(exempt, 0, amount)
    reason["aged_inventory_surcharge"] = c.ais_reason.ravel()[cell]
    figure["aged_inventory_surcharge"] = np.where(exempt, -1, c.ais_fig.ravel()[cell])
    return slot, exempt
