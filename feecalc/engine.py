"""The one fee engine: a table compiled fee by fee, and arrays of items costed fee by fee, in the order stated in
`evaluate` (each fee takes what it needs from the ones before it: fuel the fulfilment fee, the Digital Services
Fee the selling and FBA fees, storage the size tier).

`quote` calls it with one row, `cost_frame` with a million; no fee rule exists anywhere else.  Every step is a
whole-array operation; loops run over tiers or fee lines, never over rows.  Amounts are int64 minor units.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

from .fees import (
    aged_inventory,
    closing,
    dsf,
    fuel,
    fulfillment,
    notices,
    packaging,
    per_item,
    referral,
    size_tier,
    storage,
    utilization,
    vat,
)
from .fees.base import FigureRef, Frame, Line, WarningSource, compile_frame
from .tables import TableInfo

# the per-sale total Amazon deducts: selling fees, FBA fees and the Digital Services Fee
TOTAL_LINES = ("referral", "closing", "per_item", "fulfillment", "fuel_surcharge", "packaging",
               "digital_services_fee")


@dataclass(frozen=True)
class CompiledTable:
    """A table compiled fee by fee: what the engine reads.  Built once per table (see `compiled_table`)."""

    info: TableInfo
    frame: Frame
    size_tier: size_tier.SizeTiers
    fulfillment: fulfillment.Cards
    fuel: fuel.Fuel
    packaging: packaging.Packaging
    referral: referral.Referral
    closing: closing.Closing
    per_item: per_item.PerItem
    dsf: dsf.Dsf
    vat: vat.Vat
    storage: storage.Storage
    utilization: utilization.Utilization
    aged_inventory: aged_inventory.AgedInventory
    notices: WarningSource
    reasons: np.ndarray  # message id m is class m + 1 of a reason used as its own warning class

    @property
    def id(self) -> str:
        return self.info.id

    @property
    def currency(self) -> str:
        return self.frame.currency

    @property
    def messages(self) -> list[str]:
        return self.frame.register.messages

    @property
    def figures(self) -> list[FigureRef]:
        return self.frame.register.figures

    @property
    def tier_names(self) -> list[str]:
        return self.size_tier.names

    @property
    def length_unit(self) -> str:
        return self.frame.units.length

    @property
    def weight_unit(self) -> str:
        return self.frame.units.weight


def compile_table(info: TableInfo) -> CompiledTable:
    """Compile a loaded table; a pure function of the table's data."""
    t, frame = info.data, compile_frame(info)
    tiers = size_tier.compile(frame, t)
    parts = dict(
        size_tier=tiers, fulfillment=fulfillment.compile(frame, t, tiers.names), fuel=fuel.compile(frame, t),
        packaging=packaging.compile(frame, t, tiers.names), referral=referral.compile(frame, t),
        closing=closing.compile(frame, t), per_item=per_item.compile(frame, t), dsf=dsf.compile(frame, t),
        vat=vat.compile(frame, t), storage=storage.compile(frame, t), utilization=utilization.compile(frame, t),
        aged_inventory=aged_inventory.compile(frame, t), notices=notices.compile(frame, t),
    )
    frame.register.freeze()
    reasons = np.arange(-1, len(frame.register.messages), dtype=np.int32)[:, None]
    return CompiledTable(info, frame, reasons=reasons, **parts)  # type: ignore[arg-type]


@lru_cache(maxsize=64)
def compiled_table(info: TableInfo) -> CompiledTable:
    """The compiled form of a loaded table (cached: tables are immutable)."""
    return compile_table(info)


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
    program: np.ndarray      # intp, index into fees.base.PROGRAMS
    age_days: np.ndarray     # int64
    utilization: np.ndarray  # float64 weeks of the seller's storage utilization ratio; NaN: not given
    seller_country: np.ndarray  # intp, index into the table's Digital Services Fee countries
    day: np.ndarray          # int64 days since 1970-01-01


@dataclass(frozen=True)
class Result:
    """Engine output: the measurement of each item and one typed line per fee."""

    items: Items
    period: np.ndarray
    measure: size_tier.Measure
    fulfillment: fulfillment.FulfillmentLine
    fuel: Line
    packaging: packaging.PackagingLine
    referral: referral.ReferralLine
    closing: Line
    per_item: Line
    dsf: Line
    storage: storage.StorageLine
    utilization: utilization.UtilizationLine
    aged_inventory: aged_inventory.AgedLine
    vat_c: np.ndarray  # VAT contained in the total sales price, cents (0 where the table has none)

    @property
    def lines(self) -> dict[str, Line]:
        """Every fee line by its name, in FEE_LINES order."""
        return {"referral": self.referral, "closing": self.closing, "per_item": self.per_item,
                "fulfillment": self.fulfillment, "fuel_surcharge": self.fuel, "packaging": self.packaging,
                "digital_services_fee": self.dsf, "storage_monthly": self.storage,
                "storage_utilization_surcharge": self.utilization, "aged_inventory_surcharge": self.aged_inventory}

    @property
    def tier(self) -> np.ndarray:
        return self.measure.tier

    @property
    def dim_weight(self) -> np.ndarray:
        return self.measure.dim_weight

    @property
    def ship_weight(self) -> np.ndarray:
        """The weight the fulfilment fee was billed on (shipping weight, or unit weight for a card that bills it)."""
        return self.fulfillment.weight

    @property
    def cents(self) -> dict[str, np.ndarray]:
        return {k: line.cents for k, line in self.lines.items()}

    @property
    def reason(self) -> dict[str, np.ndarray]:
        return {k: line.reason for k, line in self.lines.items()}


def evaluate(t: CompiledTable, it: Items) -> Result:
    """Cost every item under compiled table `t`, fee by fee."""
    frame = t.frame
    period = frame.periods.of(it.day)
    m = size_tier.evaluate(t.size_tier, it.dims, it.weight, it.category)
    pack = packaging.evaluate(t.packaging, period, m.tier, m.dim_weight, m.ship_weight, it.sipp)
    ful = fulfillment.evaluate(t.fulfillment, period, it.apparel, it.dangerous, it.program, it.category, m.tier,
                               it.weight, m.ship_weight, it.price_c)
    fuel_line = fuel.evaluate(t.fuel, period, ful)
    ref = referral.evaluate(t.referral, period, it.category, it.total_c)
    close = closing.evaluate(t.closing, ref)
    item_fee = per_item.evaluate(t.per_item, it.individual)
    services = dsf.evaluate(t.dsf, period, it.seller_country, {
        "referral": ref, "closing": close, "per_item": item_fee, "fulfillment": ful, "packaging": pack})
    season = frame.periods.oct_dec[it.day - frame.periods.bounds[0]]
    oversize = t.size_tier.oversize[m.tier]
    volume = m.volume * t.storage.volume_factor
    stored = storage.evaluate(t.storage, period, season, it.dangerous, it.category, oversize, volume,
                              it.program)
    surcharge = utilization.evaluate(t.utilization, period, oversize, it.dangerous, it.individual,
                                     it.utilization, volume, it.program)
    aged = aged_inventory.evaluate(t.aged_inventory, period, it.category, it.age_days, volume, it.program)
    return Result(it, period, m, ful, fuel_line, pack, ref, close, item_fee, services, stored, surcharge, aged,
                  vat.contained(t.vat, it.total_c))


def warning_classes(t: CompiledTable, r: Result) -> list[WarningSource]:
    """Per row, one (class id, class table) per warning source, in the order warnings are shown."""
    def own(ids: np.ndarray) -> WarningSource:  # a reason, or a figure's warning, that is itself one message id
        return ids + 1, t.reasons

    figure_warning = t.frame.register.warnings_of
    return [
        *size_tier.warnings(t.size_tier, r.measure),
        *notices.warnings(t.notices, r.period),
        *fuel.warnings(t.fuel, r.period),
        *fulfillment.warnings(t.fulfillment, r.fulfillment),
        own(r.fulfillment.reason),
        own(figure_warning(r.packaging.figure)),
        *referral.warnings(t.referral, r.referral),
        *closing.warnings(t.closing, r.referral),
        own(r.referral.reason),
        *storage.warnings(t.storage, r.storage),
        own(r.closing.reason),
        *dsf.warnings(t.dsf, r.period, r.items.seller_country),
        *utilization.warnings(t.utilization, r.utilization),
        own(r.utilization.reason),
        *aged_inventory.warnings(t.aged_inventory, r.aged_inventory),
        *per_item.warnings(t.per_item, r.items.individual),
    ]


def signature(classes: list[WarningSource]) -> np.ndarray:
    """One int64 per row combining its warning classes: equal signatures have equal warnings."""
    key, size = np.zeros(len(classes[0][0]), dtype=np.int64), 1
    for ids, table in classes:
        if size * len(table) >= 2**62:  # keep the mixed radix inside int64
            key, uniques = pd.factorize(key)
            size = len(uniques)
        key, size = key * len(table) + ids, size * len(table)
    return key


def warning_ids(classes: list[WarningSource], rows: np.ndarray) -> np.ndarray:
    """(len(rows), k) message ids (-1 none) of the warnings that apply to `rows`."""
    return np.concatenate([table[ids[rows]] for ids, table in classes], axis=1)


def distinct_warnings(t: CompiledTable, r: Result) -> tuple[np.ndarray, list[list[int]]]:
    """(per row a code, per code the message ids of its warnings in order without repeats): warnings are
    worked out once per distinct combination of warning classes, never per row."""
    classes = warning_classes(t, r)
    if len(r.tier) == 1:  # one quote: no combinations to find
        return np.zeros(1, dtype=np.intp), [row_warning_ids(classes, 0)]
    codes, uniques = pd.factorize(signature(classes))
    first = np.zeros(len(uniques), dtype=np.intp)
    first[codes[::-1]] = np.arange(len(codes))[::-1]  # the first row of each combination
    return codes, [list(dict.fromkeys(int(m) for m in row if m >= 0)) for row in warning_ids(classes, first)]


def row_warning_ids(classes: list[WarningSource], i: int) -> list[int]:
    """The message ids of row i's warnings, in order, without repeats (one row of warning_ids)."""
    out = [m for ids, table in classes for m in table[ids[i]].tolist() if m >= 0]
    return list(dict.fromkeys(out))


def explain(t: CompiledTable, r: Result, i: int, name: str) -> str:
    """How fee line `name` was computed for row i: table, card, tier, band, rule and source."""
    line = r.lines[name]
    fig = int(line.figure[i])
    cite = t.frame.register.cite(fig)
    key = t.figures[fig].key if fig >= 0 else None
    if name == "fulfillment":
        return fulfillment.explain(t.fulfillment, r.fulfillment, i, cite)
    if name == "packaging":
        return packaging.explain(t.packaging, r.packaging, i, cite)
    if name == "fuel_surcharge":
        return fuel.explain(key, cite)
    if name == "referral":
        return referral.explain(t.referral, r.referral, i, cite)
    if name == "closing":
        return closing.explain(t.closing, r.referral, i, cite)
    if name == "per_item":
        return per_item.explain(r.per_item, i, cite)
    if name == "storage_monthly":
        return storage.explain(t.storage, key or "storage", cite)
    if name == "digital_services_fee":
        return dsf.explain(t.dsf, int(r.items.seller_country[i]), key, cite)
    if name == "storage_utilization_surcharge":
        return utilization.explain(t.utilization, r.utilization, i, cite)
    return aged_inventory.explain(t.aged_inventory, r.aged_inventory, i, cite)


def price_breakpoints(t: CompiledTable, period: int, category: int, extra_c: int) -> set[int]:
    """Item prices (cents) where Amazon's fees for a category change formula (price-band edges, referral tier
    edges, the minimum-fee crossover), for a given buyer-paid shipping + gift wrap; profit is linear between."""
    return t.fulfillment.price_bands.breakpoints() | referral.breakpoints(t.referral, period, category, extra_c)
