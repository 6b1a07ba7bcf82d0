"""`quote`: one item through the same engine as `cost_frame`, returned as an explainable Quote."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

import numpy as np

from .engine import LANDED_LINES, TOTAL_LINES, CompiledTable, Result, distinct_warnings, evaluate, explain
from .errors import FeecalcError, FeeUnavailable, InvalidItem
from .fees.base import EPOCH, PROGRAMS
from .inputs import as_date, prepare
from .money import minor_to_decimal
from .spec import DEFAULTS, INPUTS, REQUIRED
from .tables.schema import FEE_LINES

WEIGHT_PLACES = Decimal("0.000001")


@dataclass(frozen=True)
class Quote:
    """The fees for one item on one date, with where every figure came from."""

    marketplace: str
    date: dt.date
    currency: str
    table_id: str
    table_hash: str
    size_tier: str
    program: str  # the fulfilment programme priced (the default is "standard": local stock, "DE only" in DE)
    dimensional_weight: Decimal
    shipping_weight: Decimal
    weight_unit: str
    fees: dict[str, Decimal]  # in the currency's own places: Decimal('2.49') EUR, Decimal('1234') JPY
    unavailable: dict[str, str]
    total: Decimal | None        # the per-sale total Amazon deducts: TOTAL_LINES (None: a line of it is unavailable)
    warnings: list[str]
    vat_in_price: Decimal | None  # VAT contained in the VAT-inclusive total sales price, where the table has VAT
    _engine: tuple = field(repr=False, compare=False)  # (compiled table, result, row) for explanations
    landed_total: Decimal | None = None  # per unit sold: total + LANDED_LINES (None: a line of them is unavailable)

    @cached_property
    def not_assessed(self) -> dict[str, str]:
        """The lines left at 0 for want of their input, and which input."""
        _, result, i = self._engine
        return result.not_assessed(i)

    @cached_property
    def ranges(self) -> dict[str, dict[str, Decimal | None]]:
        """A line Amazon publishes as a range (inbound placement): its low and high ends (None: NOT FOUND)."""
        _, result, i = self._engine
        placed = result.inbound_placement
        if not placed.assessed[i] or placed.slot[i] < 0:
            return {}
        return {"inbound_placement": {
            "low": None if placed.low_reason[i] >= 0 else minor_to_decimal(int(placed.low_c[i]), self.currency),
            "high": None if placed.high_reason[i] >= 0 else minor_to_decimal(int(placed.high_c[i]), self.currency)}}

    @cached_property
    def lines(self) -> dict[str, str]:
        """Per fee line: amount and how it was computed (table, card, tier, band, rule, source)."""
        table, result, i = self._engine
        return {name: f"unavailable: {self.unavailable[name]}" if name in self.unavailable else
                f"{self.fees[name]} {table.currency}: {explain(table, result, i, name)}" for name in FEE_LINES}

    def fee(self, name: str) -> Decimal:
        """One fee line; raises FeeUnavailable (with the reason) when its figure is not known."""
        if name in self.unavailable:
            raise FeeUnavailable(name, self.unavailable[name])
        return self.fees[name]

    def explain(self) -> str:
        """One line per fee: amount, table, tier, band, rule and source; the two totals and what each holds; a
        closing note of the lines priced, not assessed and unavailable."""
        head = (f"{self.table_id} (sha256 {self.table_hash[:12]}), {self.marketplace} on {self.date}: "
                f"{self.size_tier}, program {self.program}, shipping weight {self.shipping_weight} {self.weight_unit}")
        body = [f"{name}: {self.lines[name]}" for name in FEE_LINES]
        return "\n".join([head, *body, *self.totals(), self.closing_note(),
                          *[f"warning: {w}" for w in self.warnings]])

    def totals(self) -> list[str]:
        """'total: ...' and 'landed_total: ...', each with the lines it holds (and why it is unavailable)."""
        out = []
        for name, amount, lines, what in (
                ("total", self.total, TOTAL_LINES, "the per-sale total Amazon deducts"),
                ("landed_total", self.landed_total, ("total", *LANDED_LINES),
                 "per unit sold: the total and the per-unit costs not deducted at the sale, storage for the month of "
                 "the date")):
            missing = [k for k in lines if k in self.unavailable]
            value = str(amount) if amount is not None else f"unavailable ({', '.join(missing) or 'total'} unavailable)"
            out.append(f"{name}: {value} = {' + '.join(lines)} ({what})")
        return out

    def closing_note(self) -> str:
        """Which lines are priced, which are left at 0 for want of their input, and which are unavailable and why."""
        priced = [k for k in FEE_LINES if k not in self.unavailable and k not in self.not_assessed]
        parts = [f"priced: {', '.join(priced)}"]
        if self.not_assessed:
            parts.append("not assessed (0): " + "; ".join(f"{k} ({v})" for k, v in self.not_assessed.items()))
        if self.unavailable:
            parts.append("unavailable: " + "; ".join(f"{k} ({v})" for k, v in self.unavailable.items()))
        return "note: " + ". ".join(parts)

    def to_dict(self, explain: bool = True) -> dict:
        """JSON-ready form: amounts as decimal strings; `fees` has every fee line, null where the figure is
        unavailable (the reason in `unavailable`), so that `fees["fulfillment"]` never fails; `explain=False`
        leaves out the explanation."""
        body = {
            "marketplace": self.marketplace, "date": self.date.isoformat(), "currency": self.currency,
            "table_id": self.table_id, "table_hash": self.table_hash, "size_tier": self.size_tier,
            "program": self.program,
            "dimensional_weight": str(self.dimensional_weight), "shipping_weight": str(self.shipping_weight),
            "weight_unit": self.weight_unit,
            "fees": {k: str(self.fees[k]) if k in self.fees else None for k in FEE_LINES},
            "unavailable": dict(self.unavailable),
            "total": None if self.total is None else str(self.total),
            "landed_total": None if self.landed_total is None else str(self.landed_total),
            "not_assessed": dict(self.not_assessed),
            "ranges": {k: {end: None if v is None else str(v) for end, v in r.items()} for k, r in self.ranges.items()},
            "warnings": list(self.warnings),
            "vat_in_price": None if self.vat_in_price is None else str(self.vat_in_price),
        }
        if explain:
            body["explanation"] = dict(self.lines)
        return body


def quote(marketplace: str = "US", on=None, *, price, length, width, height, weight, category,
          shipping=0, gift_wrap=0, dimension_unit: str | None = None, weight_unit: str | None = None,
          apparel: bool | None = None, dangerous_goods: bool = False, sipp: bool = False, plan: str = "professional",
          program: str = "standard", age_days: int = 0, utilization_weeks=None, seller_country=None,
          placement: str | None = None, inbound_point: str = "high", days_of_supply=None, days_of_supply_short=None,
          days_of_supply_long=None, new_seller: bool = False, new_to_fba: bool = False, low_sales_7_days: bool = False,
          awd_replenished: bool = False, return_rate=None, pan_eu_unit: bool = False) -> Quote:
    """Cost one item on date `on` (default today); raises InvalidItem, UnknownCategory or NoFeeTable.

    Units default to the fee table's own: inches and pounds for US, centimetres and grams for UK and DE.
    `apparel=None` infers it from the category (Amazon's fee category; the quote warns that it did).
    `days_of_supply` is one number for both of Amazon's figures, or a pair (short-term, long-term).  Without
    `placement`, `days_of_supply` or `return_rate`, their lines are not assessed (0; `not_assessed` says so)."""
    day = as_date(on)
    cols = {"price": price, "length": length, "width": width, "height": height, "weight": weight,
            "category": category}
    values = split_days_of_supply(dict(
        shipping=shipping, gift_wrap=gift_wrap, dimension_unit=dimension_unit, weight_unit=weight_unit,
        apparel=apparel, dangerous_goods=dangerous_goods, sipp=sipp, plan=plan, program=program, age_days=age_days,
        utilization_weeks=utilization_weeks, seller_country=seller_country, placement=placement,
        inbound_point=inbound_point, days_of_supply=days_of_supply, days_of_supply_short=days_of_supply_short,
        days_of_supply_long=days_of_supply_long, new_seller=new_seller, new_to_fba=new_to_fba,
        low_sales_7_days=low_sales_7_days, awd_replenished=awd_replenished, return_rate=return_rate,
        pan_eu_unit=pan_eu_unit))
    for name, value in values.items():
        if value is not DEFAULTS[name]:
            cols[name] = value
    groups, probs = prepare(cols, 1, day, marketplace)
    if probs.first:
        raise probs.first[0]
    group = groups[0]
    table, result = group.table, evaluate(group.table, group.items)
    return build_quote(table, result, 0, day, next(_rows(table, result)), _note(group, 0))


def _note(group, j: int) -> str | None:
    """The input stage's warning for row `j` of a group (a category read from a product group), if any."""
    return None if group.notes is None else group.notes[j]


def split_days_of_supply(item: dict) -> dict:
    """`days_of_supply` given as a pair (short-term, long-term) becomes days_of_supply_short and _long."""
    pair = item.get("days_of_supply")
    if isinstance(pair, (tuple, list)):
        if len(pair) != 2:
            raise InvalidItem("days_of_supply", pair, "give one number, or two: (short-term, long-term)")
        item = {**item, "days_of_supply": None, "days_of_supply_short": pair[0], "days_of_supply_long": pair[1]}
    return item


@dataclass
class _Row:
    """One row of an engine result as Python values: what a Quote is built from."""

    reason: dict[str, int]
    cents: dict[str, int]
    warnings: list[int]  # message ids
    tier: int
    program: int
    dim_weight: float
    ship_weight: float
    vat_c: int


def _rows(table: CompiledTable, result: Result) -> Iterator[_Row]:
    """Every row (one, for a quote), each column converted once and warnings worked out once per distinct
    combination."""
    codes, distinct = distinct_warnings(table, result)
    reason = {k: line.reason.tolist() for k, line in result.lines.items()}
    cents = {k: line.cents.tolist() for k, line in result.lines.items()}
    columns = zip(codes.tolist(), result.tier.tolist(), result.items.program.tolist(), result.dim_weight.tolist(),
                  result.ship_weight.tolist(), result.vat_c.tolist(), strict=True)
    for i, (code, tier, program, dim_w, ship_w, vat_c) in enumerate(columns):
        yield _Row({k: v[i] for k, v in reason.items()}, {k: v[i] for k, v in cents.items()}, distinct[code],
                   tier, program, dim_w, ship_w, vat_c)


def build_quote(table: CompiledTable, result: Result, i: int, day: dt.date, v: _Row, note: str | None = None) -> Quote:
    """Row `i` of an engine result as a Quote, from that row's values `v` (one of `_rows(table, result)`); `note`, a
    warning of the input stage, comes first among the warnings."""
    fees, unavailable, currency = {}, {}, table.currency
    for name in FEE_LINES:
        reason = v.reason[name]
        if reason >= 0:
            unavailable[name] = table.messages[reason]
        else:
            fees[name] = minor_to_decimal(v.cents[name], currency)
    total_c = sum(v.cents[k] for k in TOTAL_LINES)
    total = None if any(k in unavailable for k in TOTAL_LINES) else minor_to_decimal(total_c, currency)
    landed = None if total is None or any(k in unavailable for k in LANDED_LINES) else minor_to_decimal(
        total_c + sum(v.cents[k] for k in LANDED_LINES), currency)
    return Quote(
        marketplace=table.info.marketplace, date=day, currency=table.currency, table_id=table.id,
        table_hash=table.info.sha256,
        size_tier=table.tier_names[v.tier], program=PROGRAMS[v.program],
        dimensional_weight=Decimal(repr(v.dim_weight)).quantize(WEIGHT_PLACES),
        shipping_weight=Decimal(repr(v.ship_weight)).quantize(WEIGHT_PLACES),
        weight_unit=table.weight_unit, fees=fees, unavailable=unavailable, total=total,
        warnings=([note] if note else []) + [table.messages[m] for m in v.warnings],
        vat_in_price=minor_to_decimal(v.vat_c, currency) if table.vat.ppm else None,
        _engine=(table, result, i), landed_total=landed,
    )


def quote_many(items: list[dict], on=None, marketplace: str = "US") -> list[Quote | list[FeecalcError]]:
    """Quote many items in one engine call: per item a Quote, or the list of its errors (in input order).

    Each item is a dict of `quote`'s keyword arguments; `marketplace` and `on`/`date` may be given per item.
    """
    day = as_date(on)
    n = len(items)
    names = {k for item in items for k in item} - {"on"}
    unknown = names - set(INPUTS)
    if unknown:
        raise InvalidItem(sorted(unknown)[0], None, "is not a quote argument", choices=sorted(INPUTS))
    items = [split_days_of_supply(item) for item in items]
    names |= {k for item in items for k in item if item[k] is not None}
    cols = {}
    for name in names | set(REQUIRED):
        column = np.empty(n, dtype=object)
        column[:] = [item.get(name, DEFAULTS.get(name)) for item in items]
        cols[name] = column
    if any("on" in item for item in items):
        cols["date"] = np.array([item.get("on", item.get("date")) for item in items], dtype=object)
    groups, probs = prepare(cols, n, day, marketplace, keep_all=True)
    out: list = [None] * n
    for i, errors in probs.every.items():
        out[i] = errors
    for group in groups:
        result = evaluate(group.table, group.items)
        days = [EPOCH + dt.timedelta(days=int(d)) for d in group.items.day.tolist()]
        rows = range(n) if group.rows is None else group.rows.tolist()
        for j, (i, values) in enumerate(zip(rows, _rows(group.table, result), strict=True)):
            out[i] = build_quote(group.table, result, j, days[j], values, _note(group, j))
    return out
