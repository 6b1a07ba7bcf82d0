"""`quote`: one item through the same engine as `cost_frame`, returned as an explainable Quote."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

import numpy as np

from .engine import TOTAL_LINES, CompiledTable, Result, distinct_warnings, evaluate, explain
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
    total: Decimal | None
    warnings: list[str]
    vat_in_price: Decimal | None  # VAT contained in the VAT-inclusive total sales price, where the table has VAT
    _engine: tuple = field(repr=False, compare=False)  # (compiled table, result, row) for explanations

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
        """One line per fee: amount, table, tier, band, rule and source."""
        head = (f"{self.table_id} (sha256 {self.table_hash[:12]}), {self.marketplace} on {self.date}: "
                f"{self.size_tier}, program {self.program}, shipping weight {self.shipping_weight} {self.weight_unit}")
        body = [f"{name}: {self.lines[name]}" for name in FEE_LINES]
        total = f"total: {self.total}" if self.total is not None else "total: unavailable (a fee line is unavailable)"
        return "\n".join([head, *body, total, *[f"warning: {w}" for w in self.warnings]])

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
            "total": None if self.total is None else str(self.total), "warnings": list(self.warnings),
            "vat_in_price": None if self.vat_in_price is None else str(self.vat_in_price),
        }
        if explain:
            body["explanation"] = dict(self.lines)
        return body


def quote(marketplace: str = "US", on=None, *, price, length, width, height, weight, category,
          shipping=0, gift_wrap=0, dimension_unit: str | None = None, weight_unit: str | None = None,
          apparel: bool | None = None, dangerous_goods: bool = False, sipp: bool = False, plan: str = "professional",
          program: str = "standard", age_days: int = 0, utilization_weeks=None, seller_country=None) -> Quote:
    """Cost one item on date `on` (default today); raises InvalidItem, UnknownCategory or NoFeeTable.

    Units default to the fee table's own: inches and pounds for US, centimetres and grams for UK and DE.
    `apparel=None` infers it from the category (Amazon's fee category; the quote warns that it did)."""
    day = as_date(on)
    cols = {"price": price, "length": length, "width": width, "height": height, "weight": weight,
            "category": category}
    for name, value in (("shipping", shipping), ("gift_wrap", gift_wrap), ("dimension_unit", dimension_unit),
                        ("weight_unit", weight_unit), ("apparel", apparel), ("dangerous_goods", dangerous_goods),
                        ("sipp", sipp), ("plan", plan), ("program", program), ("age_days", age_days),
                        ("utilization_weeks", utilization_weeks), ("seller_country", seller_country)):
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
    total = None if any(k in unavailable for k in TOTAL_LINES) else minor_to_decimal(
        sum(v.cents[k] for k in TOTAL_LINES), currency)
    return Quote(
        marketplace=table.info.marketplace, date=day, currency=table.currency, table_id=table.id,
        table_hash=table.info.sha256,
        size_tier=table.tier_names[v.tier], program=PROGRAMS[v.program],
        dimensional_weight=Decimal(repr(v.dim_weight)).quantize(WEIGHT_PLACES),
        shipping_weight=Decimal(repr(v.ship_weight)).quantize(WEIGHT_PLACES),
        weight_unit=table.weight_unit, fees=fees, unavailable=unavailable, total=total,
        warnings=([note] if note else []) + [table.messages[m] for m in v.warnings],
        vat_in_price=minor_to_decimal(v.vat_c, currency) if table.vat.ppm else None,
        _engine=(table, result, i),
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
