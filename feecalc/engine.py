"""The one fee engine: a table compiled fee by fee, and arrays of items costed fee by fee, in the order stated in
`evaluate` (each fee takes what it needs from the ones before it: fuel the fulfilment fee, the SIPP discount and the
low-inventory-level fee the fulfilment card, the Digital Services Fee the selling and FBA fees, storage the size
tier).

`quote` calls it with one row, `cost_frame` with a million; no fee rule exists anywhere else.  Every step is a
whole-array operation; loops run over tiers or fee lines, never over rows.  Amounts are int64 minor units.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
import pandas as pd

from .fees import (
    aged_inventory,
    closing,
    dsf,
    fee_category,
    fuel,
    fulfillment,
    inbound_placement,
    low_inventory,
    notices,
    overmax,
    packaging,
    per_item,
    referral,
    removal,
    returns_processing,
    sipp,
    size_tier,
    storage,
    utilization,
    vat,
)
from .fees.base import FigureRef, Frame, Line, WarningSource, compile_frame
from .tables import TableInfo
from .tables.schema import FEE_LINES, PROGRAM_NAMES

PAN_EU_PROGRAM = np.array([p in ("pan_eu", "pan_eu_cep") for p in PROGRAM_NAMES], dtype=np.intp)  # Pan-EU units
# the per-sale total Amazon deducts: selling fees, FBA fees (the fulfilment fee with its SIPP discount, overmax
# handling, fuel surcharge, packaging fee and low-inventory-level fee) and the Digital Services Fee
TOTAL_LINES = ("referral", "closing", "per_item", "fulfillment", "sipp_discount", "overmax_handling",
               "fuel_surcharge", "packaging", "low_inventory_level", "digital_services_fee")
# what `landed_total` adds to the total, per unit sold: the per-unit costs not deducted at the sale
LANDED_LINES = ("inbound_placement", "storage_monthly", "storage_utilization_surcharge", "aged_inventory_surcharge",
                "returns_processing")


@dataclass(frozen=True)
class CompiledTable:
    """A table compiled fee by fee: what the engine reads.  Built once per table (see `compiled_table`)."""

    info: TableInfo
    frame: Frame
    fee_category: fee_category.FeeCategory
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
    inbound_placement: inbound_placement.Placement
    low_inventory: low_inventory.LowInventory
    returns: returns_processing.Returns
    removal: removal.Removal
    sipp: sipp.Sipp
    overmax: overmax.Overmax
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
    data, frame = info.data, compile_frame(info)
    tiers = size_tier.compile(frame, data)
    ful = fulfillment.compile(frame, data, tiers.names)
    parts = dict(
        fee_category=fee_category.compile(frame, data), size_tier=tiers, fulfillment=ful,
        fuel=fuel.compile(frame, data), packaging=packaging.compile(frame, data, tiers.names),
        referral=referral.compile(frame, data), closing=closing.compile(frame, data),
        per_item=per_item.compile(frame, data), dsf=dsf.compile(frame, data), vat=vat.compile(frame, data),
        storage=storage.compile(frame, data), utilization=utilization.compile(frame, data),
        aged_inventory=aged_inventory.compile(frame, data),
        inbound_placement=inbound_placement.compile(frame, data, tiers.names),
        low_inventory=low_inventory.compile(frame, data, tiers.names, ful.names),
        returns=returns_processing.compile(frame, data), removal=removal.compile(frame, data, tiers.names),
        sipp=sipp.compile(frame, data, tiers.names, ful.names), overmax=overmax.compile(frame, data, tiers.names),
        notices=notices.compile(frame, data),
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
    apparel_inferred: np.ndarray  # bool: apparel not given, and the category's fee category is Apparel
    dangerous: np.ndarray    # intp 0/1
    sipp: np.ndarray         # intp 0/1: ships in its own product packaging (no packaging fee)
    individual: np.ndarray   # bool, Individual selling plan
    program: np.ndarray      # intp, index into fees.base.PROGRAMS
    age_days: np.ndarray     # int64
    utilization: np.ndarray  # float64 weeks of the seller's storage utilization ratio; NaN: not given
    seller_country: np.ndarray  # intp, index into the table's Digital Services Fee countries
    day: np.ndarray          # int64 days since 1970-01-01
    placement: np.ndarray    # intp, index into PLACEMENTS (-1: not given: inbound placement not assessed)
    inbound_point: np.ndarray  # intp: 0 the high end of Amazon's range, 1 the low end
    days_of_supply: np.ndarray  # float64: the greater historical days of supply (NaN: not given)
    lil_exempt: np.ndarray   # int64 bits of LIL_EXEMPTIONS the item claims
    return_rate: np.ndarray  # int64 ppm (-1: not given)
    pan_eu_unit: np.ndarray  # intp 0/1: a Pan-European FBA unit (implied by the pan_eu programmes)


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
    dsf: dsf.DsfLine
    storage: storage.StorageLine
    utilization: utilization.UtilizationLine
    aged_inventory: aged_inventory.AgedLine
    sipp: sipp.SippLine
    overmax: overmax.OvermaxLine
    low_inventory: low_inventory.LowInventoryLine
    inbound_placement: inbound_placement.PlacementLine
    returns: returns_processing.ReturnsLine
    removal: removal.RemovalLine
    vat_c: np.ndarray  # VAT contained in the total sales price, cents (0 where the table has none)
    lines: dict[str, Line] = field(init=False)  # every fee line by its name, in FEE_LINES order

    def __post_init__(self) -> None:
        object.__setattr__(self, "lines", {
            "referral": self.referral, "closing": self.closing, "per_item": self.per_item,
            "fulfillment": self.fulfillment, "sipp_discount": self.sipp, "overmax_handling": self.overmax,
            "fuel_surcharge": self.fuel, "packaging": self.packaging, "low_inventory_level": self.low_inventory,
            "digital_services_fee": self.dsf,
            "inbound_placement": self.inbound_placement, "storage_monthly": self.storage,
            "storage_utilization_surcharge": self.utilization, "aged_inventory_surcharge": self.aged_inventory,
            "returns_processing": self.returns, "removal_disposal": self.removal})

    def not_assessed(self, i: int) -> dict[str, str]:
        """The lines of row i that were not assessed because their input was not given, and what input."""
        out = {}
        use = self.utilization
        if np.isnan(use.weeks[i]) and use.slot[i] == 0 and use.figure[i] < 0 and use.reason[i] < 0 \
                and not use.individual[i]:
            out["storage_utilization_surcharge"] = "no utilization_weeks given"
        for name, line, needs in (("low_inventory_level", self.low_inventory, "days_of_supply"),
                                  ("inbound_placement", self.inbound_placement, "placement"),
                                  ("returns_processing", self.returns, "return_rate")):
            if not line.assessed[i]:
                out[name] = f"no {needs} given"
        return dict(sorted(out.items(), key=lambda kv: FEE_LINES.index(kv[0])))

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


def evaluate(table: CompiledTable, items: Items) -> Result:
    """Cost every item under compiled table `t`, fee by fee."""
    frame = table.frame
    period = frame.periods.of(items.day)
    measure = size_tier.evaluate(table.size_tier, items.dims, items.weight, items.category)
    pack = packaging.evaluate(table.packaging, period, measure.tier, measure.dim_weight, measure.ship_weight,
                              items.sipp)
    ful = fulfillment.evaluate(table.fulfillment, period, items.apparel, items.dangerous, items.program,
                               items.category, measure.tier, items.weight, measure.ship_weight, items.price_c)
    card = fulfillment.card_of(table.fulfillment, ful)
    discount = sipp.evaluate(table.sipp, card, measure.tier, ful.weight, items.sipp)
    handling = overmax.evaluate(table.overmax, period, measure.tier, measure.longest, measure.girth)
    fuel_line = fuel.evaluate(table.fuel, period, ful)
    low_stock = low_inventory.evaluate(table.low_inventory, period, measure.tier, measure.ship_weight,
                                       items.days_of_supply, items.lil_exempt, items.category, card,
                                       items.pan_eu_unit | PAN_EU_PROGRAM[items.program])
    ref = referral.evaluate(table.referral, period, items.category, items.total_c)
    close = closing.evaluate(table.closing, ref)
    item_fee = per_item.evaluate(table.per_item, items.individual)
    services = dsf.evaluate(table.dsf, period, items.seller_country, {
        "referral": ref, "closing": close, "per_item": item_fee, "fulfillment": ful, "sipp_discount": discount,
        "overmax_handling": handling, "packaging": pack, "low_inventory_level": low_stock})
    placed = inbound_placement.evaluate(table.inbound_placement, period, measure.tier, measure.ship_weight,
                                        items.placement, items.inbound_point)
    season = frame.periods.oct_dec[items.day - frame.periods.bounds[0]]
    oversize = table.size_tier.oversize[measure.tier]
    volume = measure.volume * table.storage.volume_factor
    stored = storage.evaluate(table.storage, period, season, items.dangerous, items.category, oversize, volume,
                              items.program)
    surcharge = utilization.evaluate(table.utilization, period, oversize, items.dangerous, items.individual,
                                     items.utilization, volume, items.program)
    aged = aged_inventory.evaluate(table.aged_inventory, period, items.category, items.age_days, volume, items.program)
    returned = returns_processing.evaluate(table.returns, period, items.category, items.return_rate)
    removed = removal.evaluate(table.removal, period, measure.tier, measure.ship_weight, items.category, items.apparel,
                               items.dangerous)
    return Result(items, period, measure, ful, fuel_line, pack, ref, close, item_fee, services, stored, surcharge, aged,
                  discount, handling, low_stock, placed, returned, removed,
                  vat.contained(table.vat, items.total_c))


def warning_classes(table: CompiledTable, result: Result) -> list[WarningSource]:
    """Per row, one (class id, class table) per warning source, in the order warnings are shown."""
    def own(ids: np.ndarray) -> WarningSource:  # a reason, or a figure's warning, that is itself one message id
        return ids + 1, table.reasons

    def some(*rows: np.ndarray) -> list[WarningSource]:  # the same, left out where no row has one (a line's input
        return [own(ids) for ids in rows if (ids.item(0) if len(ids) == 1 else ids.max(initial=-1)) >= 0]  # absent)

    figure_warning = table.frame.register.warnings_of
    return [
        *fee_category.warnings(table.fee_category, result.items.apparel_inferred),
        *size_tier.warnings(table.size_tier, result.measure),
        *notices.warnings(table.notices, result.period),
        *fuel.warnings(table.fuel, result.period),
        *fulfillment.warnings(table.fulfillment, result.fulfillment),
        own(result.fulfillment.reason),
        *some(result.sipp.reason, figure_warning(result.sipp.figure),
              *sipp.warning_messages(table.sipp, result.sipp)),
        *some(figure_warning(result.overmax.figure), *overmax.warning_messages(table.overmax, result.overmax)),
        own(figure_warning(result.packaging.figure)),
        *some(result.low_inventory.reason, figure_warning(result.low_inventory.figure),
              *low_inventory.warning_messages(table.low_inventory, result.low_inventory)),
        *referral.warnings(table.referral, result.referral),
        *closing.warnings(table.closing, result.referral),
        own(result.referral.reason),
        *storage.warnings(table.storage, result.storage),
        own(result.closing.reason),
        *dsf.warnings(table.dsf, result.period, result.items.seller_country),
        *utilization.warnings(table.utilization, result.utilization),
        own(result.utilization.reason),
        *aged_inventory.warnings(table.aged_inventory, result.aged_inventory),
        *some(result.inbound_placement.reason),
        *inbound_placement.warnings(table.inbound_placement, result.inbound_placement),
        *some(result.returns.reason, figure_warning(result.returns.figure),
              *returns_processing.warning_messages(table.returns, result.returns)),
        *some(result.removal.reason, figure_warning(result.removal.figure)),
        *per_item.warnings(table.per_item, result.items.individual),
    ]


def signature(classes: list[WarningSource]) -> np.ndarray:
    """One int64 per row combining its warning classes: equal signatures have equal warnings."""
    key, size = np.zeros(len(classes[0][0]), dtype=np.int64), 1
    for ids, table in classes:
        if len(table) == 1 or (len(ids) and ids.min() == ids.max()):  # the same for every row: tells none apart
            continue
        if size * len(table) >= 2**62:  # keep the mixed radix inside int64
            key, uniques = pd.factorize(key)
            size = len(uniques)
        key, size = key * len(table) + ids, size * len(table)
    return key


def warning_ids(classes: list[WarningSource], rows: np.ndarray) -> np.ndarray:
    """(len(rows), k) message ids (-1 none) of the warnings that apply to `rows`."""
    return np.concatenate([table[ids[rows]] for ids, table in classes], axis=1)


def distinct_warnings(table: CompiledTable, result: Result) -> tuple[np.ndarray, list[list[int]]]:
    """(per row a code, per code the message ids of its warnings in order without repeats): warnings are
    worked out once per distinct combination of warning classes, never per row."""
    classes = warning_classes(table, result)
    if len(result.tier) == 1:  # one quote: no combinations to find
        return np.zeros(1, dtype=np.intp), [row_warning_ids(classes, 0)]
    codes, uniques = pd.factorize(signature(classes))
    first = np.zeros(len(uniques), dtype=np.intp)
    first[codes[::-1]] = np.arange(len(codes))[::-1]  # the first row of each combination
    return codes, [list(dict.fromkeys(int(m) for m in row if m >= 0)) for row in warning_ids(classes, first)]


def row_warning_ids(classes: list[WarningSource], i: int) -> list[int]:
    """The message ids of row i's warnings, in order, without repeats (one row of warning_ids)."""
    out = [m for ids, table in classes for m in table[ids[i]].tolist() if m >= 0]
    return list(dict.fromkeys(out))


def explain(table: CompiledTable, result: Result, i: int, name: str) -> str:
    """How fee line `name` was computed for row i: table, card, tier, band, rule and source."""
    line = result.lines[name]
    fig = int(line.figure[i])
    cite = table.frame.register.cite(fig)
    key = table.figures[fig].key if fig >= 0 else None
    if name == "fulfillment":
        return fulfillment.explain(table.fulfillment, result.fulfillment, i, cite)
    if name == "packaging":
        return packaging.explain(table.packaging, result.packaging, i, cite)
    if name == "fuel_surcharge":
        return fuel.explain(key, cite)
    if name == "referral":
        return referral.explain(table.referral, result.referral, i, cite)
    if name == "closing":
        return closing.explain(table.closing, result.referral, i, cite)
    if name == "per_item":
        return per_item.explain(result.per_item, i, cite)
    if name == "storage_monthly":
        return storage.explain(table.storage, key or "storage", cite)
    if name == "digital_services_fee":
        return dsf.explain(table.dsf, int(result.items.seller_country[i]), key, cite)
    if name == "storage_utilization_surcharge":
        return utilization.explain(table.utilization, result.utilization, i, cite)
    if name == "sipp_discount":
        return sipp.explain(table.sipp, result.sipp, i, cite)
    if name == "overmax_handling":
        return overmax.explain(table.overmax, result.overmax, i, cite, table.tier_names[int(result.tier[i])])
    if name == "low_inventory_level":
        return low_inventory.explain(table.low_inventory, result.low_inventory, i, cite, table.messages)
    if name == "inbound_placement":
        return inbound_placement.explain(table.inbound_placement, result.inbound_placement, i, cite, table.messages)
    if name == "returns_processing":
        return returns_processing.explain(table.returns, result.returns, i, cite, table.messages)
    if name == "removal_disposal":
        return removal.explain(table.removal, result.removal, i, cite, table.weight_unit)
    return aged_inventory.explain(table.aged_inventory, result.aged_inventory, i, cite)


def price_breakpoints(table: CompiledTable, period: int, category: int, extra_c: int) -> set[int]:
    """Item prices (cents) where Amazon's fees for a category change formula (price-band edges, referral tier
    edges, the minimum-fee crossover), for a given buyer-paid shipping + gift wrap; profit is linear between."""
    return table.fulfillment.price_bands.breakpoints() | referral.breakpoints(table.referral, period, category, extra_c)
