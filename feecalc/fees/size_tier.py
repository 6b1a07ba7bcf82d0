"""Size tier, dimensional weight and shipping weight.

Data: `size_tiers` (tried in order; limits inclusive, on the sides sorted by length, length + girth, the sum of
the three sides, unit or shipping weight and dimensional weight; the last tier takes every larger item; a tier with
`categories` admits only those) and `dimensional_weight.divisor` (L x W x H / divisor, each side at least the
tier's `dim_min_side`).  The shipping weight is the greater of unit and dimensional weight for tiers billed on
it.  Derived lengths and weights are snapped to 1e-9 of the table unit, so that an item exactly on an edge stays
on it (13.9 x 10 x 1 in / 139 is exactly 1 lb).
Tests: tests/fees/test_size_tier.py.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .base import Frame, Section, WarningSource, classes, snap


@dataclass(frozen=True)
class SizeTiers:
    names: list[str]
    max_longest: np.ndarray
    max_median: np.ndarray
    max_shortest: np.ndarray
    max_girth: np.ndarray          # longest side + girth
    max_sum: np.ndarray            # sum of the three sides (inf: no limit)
    max_weight: np.ndarray
    max_dim_weight: np.ndarray
    test_shipping: np.ndarray      # bool: the weight limit reads the shipping weight (else the unit weight)
    bill_shipping: np.ndarray      # bool: fees read the shipping weight
    min_sides: list[float]         # distinct minimum sides for dimensional weight
    side: np.ndarray               # intp: each tier's index into min_sides
    oversize: np.ndarray           # intp 0/1: stored as oversize
    admits: np.ndarray             # bool (category + 1, tier): the tier is open to the category
    limited: bool                  # some tier is open to some categories only
    divisor: float
    divisor_fig: int
    figures: list[int]
    warnings: WarningSource        # per tier: its notice and its storage notice


@dataclass(frozen=True)
class Measure:
    """Per row: size tier, the tier's dimensional weight, the shipping weight, the volume (table unit cubed), and
    the longest side and length + girth (table unit)."""

    tier: np.ndarray
    dim_weight: np.ndarray
    ship_weight: np.ndarray
    volume: np.ndarray
    longest: np.ndarray
    girth: np.ndarray


def compile(frame: Frame, data: Section) -> SizeTiers:
    tiers, units = data["size_tiers"], frame.units
    sides = [units.length_of(x["dim_min_side"], 0.0) for x in tiers]
    min_sides = sorted(set(sides))
    admits = np.ones((len(frame.categories) + 1, len(tiers)), dtype=bool)
    for i, tier in enumerate(tiers):
        if tier["categories"] is not None:
            admits[:, i] = False
            admits[frame.categories.indices(tier["categories"], f"{frame.id}: size_tiers[{i}]"), i] = True
    notice = [frame.message(x["notice"]) if x["notice"] else -1 for x in tiers]
    storage_notice = [frame.message(x["storage_notice"]) if x["storage_notice"] else -1 for x in tiers]
    dw = data["dimensional_weight"]
    return SizeTiers(
        names=[x["tier"] for x in tiers],
        max_longest=np.array([units.length_of(x["max_longest"]) for x in tiers]),
        max_median=np.array([units.length_of(x["max_median"]) for x in tiers]),
        max_shortest=np.array([units.length_of(x["max_shortest"]) for x in tiers]),
        max_girth=np.array([units.length_of(x["max_length_girth"]) for x in tiers]),
        max_sum=np.array([units.length_of(x.get("max_sum_of_sides")) for x in tiers]),
        max_weight=np.array([units.weight_of(x["max_weight"]) for x in tiers]),
        max_dim_weight=np.array([units.weight_of(x["max_dim_weight"]) for x in tiers]),
        test_shipping=np.array([x["weight_basis"] == "shipping" for x in tiers]),
        bill_shipping=np.array([x["billing_weight"] == "shipping" for x in tiers]),
        min_sides=min_sides, side=np.array([min_sides.index(s) for s in sides], dtype=np.intp),
        oversize=np.array([x["storage"] == "oversize" for x in tiers], dtype=np.intp),
        admits=admits, limited=not admits.all(),
        divisor=float(dw["divisor"]), divisor_fig=frame.figure("dimensional_weight.divisor", dw),
        figures=[frame.figure(f"size_tiers[{i}] {x['tier']}", x) for i, x in enumerate(tiers)],
        warnings=classes(np.stack([notice, storage_notice], 1), (len(tiers),)),
    )


def evaluate(s: SizeTiers, dims: np.ndarray, weight: np.ndarray, category: np.ndarray) -> Measure:
    """The first tier, in table order, whose limits all hold and which admits the item's category."""
    n = len(weight)
    sides = np.sort(dims, axis=1)
    longest, median, shortest = sides[:, 2], sides[:, 1], sides[:, 0]
    girth = snap(longest + 2 * (median + shortest))
    dimw = np.stack([snap(longest * np.maximum(median, m) * np.maximum(shortest, m) / s.divisor) for m in s.min_sides])
    dim = dimw[s.side].T
    test = np.where(s.test_shipping, np.maximum(weight[:, None], dim), weight[:, None])
    fits = ((test <= s.max_weight) & (dim <= s.max_dim_weight) & (longest[:, None] <= s.max_longest)
            & (median[:, None] <= s.max_median) & (shortest[:, None] <= s.max_shortest)
            & (girth[:, None] <= s.max_girth))
    if np.isfinite(s.max_sum).any():
        fits &= snap(longest + median + shortest)[:, None] <= s.max_sum
    if s.limited:
        fits &= s.admits[category]
    fits[:, -1] = True
    tier = fits.argmax(axis=1)
    tier_dim = dimw[s.side[tier], np.arange(n)]
    ship = np.where(s.bill_shipping[tier], np.maximum(weight, tier_dim), weight)
    volume = snap(dims[:, 0] * dims[:, 1] * dims[:, 2])
    return Measure(tier, tier_dim, ship, volume, longest, girth)


def warnings(s: SizeTiers, m: Measure) -> list[WarningSource]:
    ids, table = s.warnings
    return [(ids[m.tier], table)]
