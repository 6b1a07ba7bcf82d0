"""Marshmallow schemas of a fee-table file: anything not described here is a load error.

A "figure" is a number, or an inline table {value, source, confidence, method, note}; a
figure without its own source inherits the source and confidence of the band, card or
section it sits in.  Quantities are strings with a unit ("4 oz", "0.75 in"), percentages
are strings ("3.5%"), dates are TOML dates, money is a TOML decimal in the table currency.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from functools import lru_cache

from marshmallow import RAISE, Schema, ValidationError, fields, validate

from ..units import parse_quantity

CONFIDENCES = ("H", "M-H", "M", "M/L", "M-L", "L-M", "L", "DERIVED")
LOW_CONFIDENCE = {"M/L", "M-L", "L-M", "L", "DERIVED"}
TIER_NAMES = (
    "small_standard", "large_standard", "small_bulky", "large_bulky",
    "extra_large_0_50", "extra_large_50_70", "extra_large_70_150", "extra_large_150_plus",
    "small_oversize", "medium_oversize", "large_oversize", "special_oversize",
    "light_envelope", "standard_envelope", "large_envelope", "extra_large_envelope", "small_parcel",
    "standard_parcel", "standard_oversize_light", "standard_oversize_heavy", "standard_oversize_large",
    "bulky_oversize", "heavy_oversize",
    # the UK/EU "selected categories" parcel card (clothing, bags and others): its own parcel sizes
    "small_parcel_1", "small_parcel_2", "small_parcel_3", "medium_parcel_1", "medium_parcel_2",
    "large_parcel_1", "large_parcel_2",
    # amazon.ie's own list (eu.md 6): a small envelope and one standard oversize tier
    "small_envelope", "standard_oversize",
    # amazon.ca (ca-jp-mx.md 2.2)
    "envelope", "standard",
    # amazon.co.jp (ca-jp-mx.md 3.2): small, standard, large and extra-large, by size and the sum of the three sides
    "small", "standard_1", "standard_2a", "standard_2b", "standard_2c", "standard_2d", "standard_2e", "standard_3",
    "standard_4", "large_1", "large_2", "large_3", "large_4", "large_5", "large_6", "large_7", "large_8",
    "extra_large_1", "extra_large_2", "extra_large_3", "extra_large_4a", "extra_large_4b",
)
# fulfilment programmes: local stock (standard), legacy US Small and Light, DE with the Central Europe Programme,
# EFN from another EU country's stock (not in / in CEP), remote fulfilment across the UK/EU border, and Pan-EU
# units shipped from stock in another EU country (not in / in CEP)
PROGRAM_NAMES = ("standard", "small_and_light", "cep", "efn", "efn_cep", "remote_fulfillment", "pan_eu", "pan_eu_cep")
STOCK_ELSEWHERE = ("efn", "efn_cep", "remote_fulfillment", "pan_eu", "pan_eu_cep")  # stored in another marketplace
# the fee lines a Digital Services Fee rule may name: selling fees and FBA fees
DSF_LINES = ("referral", "closing", "per_item", "fulfillment", "sipp_discount", "overmax_handling", "packaging",
             "low_inventory_level")
SELLING_FEES = ("referral", "closing", "per_item")  # Amazon's selling fees: what every sale pays, FBA or not
FEE_LINES = (  # every fee line feecalc prices, in the order quotes show them
    "referral", "closing", "per_item", "fulfillment", "sipp_discount", "overmax_handling", "fuel_surcharge",
    "packaging", "low_inventory_level", "digital_services_fee",
    "inbound_placement", "storage_monthly", "storage_utilization_surcharge", "aged_inventory_surcharge",
    "returns_processing", "removal_disposal",
)
PLACEMENTS = ("minimal", "partial", "optimized")  # inbound placement options (us-fba.md 7)
INBOUND_POINTS = ("high", "low")  # where in Amazon's published range an inbound placement fee is taken
# the low-inventory-level fee's exemptions, each an item flag (us-fba.md 8; uk-de.md 5.11)
LIL_EXEMPTIONS = ("new_seller", "new_to_fba", "low_sales_7_days", "awd_replenished")


class Strict(Schema):
    class Meta:
        unknown = RAISE


class Date(fields.Field):
    """A TOML date (not a datetime, not a string)."""

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
            raise ValidationError("expected a date such as 2026-01-15")
        return value


class Quantity(fields.Field):
    """A quantity with a unit, such as "4 oz"; kept as text, checked here, converted at compile time."""

    def _deserialize(self, value, attr, data, **kwargs):
        try:
            parse_quantity(value)
        except ValueError as exc:
            raise ValidationError(str(exc)) from exc
        return str(value)


class Percent(fields.Field):
    """A percentage string such as "3.5%"."""

    def _deserialize(self, value, attr, data, **kwargs):
        text = str(value).strip()
        try:
            ok = text.endswith("%") and Decimal(text[:-1]) >= 0
        except ArithmeticError:
            ok = False
        if not ok:
            raise ValidationError(f"expected a percentage such as '15%', got {value!r}")
        return text


def _money(value) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, (int, Decimal)):
        raise ValidationError(f"expected an amount such as 3.22, got {value!r}")
    amount = Decimal(value)
    if amount < 0 or amount * 100 != (amount * 100).to_integral_value():
        raise ValidationError(f"amount must be a non-negative whole number of cents, got {value}")
    return amount


class SourceMixin(Strict):
    source = fields.String(load_default=None)
    confidence = fields.String(load_default=None, validate=validate.OneOf(CONFIDENCES))
    method = fields.String(load_default=None)
    note = fields.String(load_default=None)
    # a statement shown as a warning wherever a figure of this item (or under it) prices a line, whatever its grade:
    # a single-sourced or M figure the reference qualifies, an undated schedule.  No default: other tables' loaded
    # data stay as they were.
    warning = fields.String()


class FigureSchema(SourceMixin):
    value = fields.Raw(required=True)


class Figure(fields.Field):
    """A money figure: a bare amount, or {value, source, confidence, method, note}."""

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, dict):
            loaded = FigureSchema().load(value)
            loaded["value"] = _money(loaded["value"])
            return loaded
        return {"value": _money(value), "source": None, "confidence": None, "method": None, "note": None}


class FigureList(fields.Field):
    """One figure, or a list of figures (one per price band of the card)."""

    def _deserialize(self, value, attr, data, **kwargs):
        items = value if isinstance(value, list) else [value]
        errors, out = {}, []
        for i, item in enumerate(items):
            try:
                out.append(Figure()._deserialize(item, attr, data))
            except ValidationError as exc:
                errors[i] = exc.messages
        if errors:
            raise ValidationError(errors)
        return out


class Dated(Strict):
    """Optional inclusive `from`/`to` dates, loaded as `start`/`end`."""

    start = Date(data_key="from", load_default=None)
    end = Date(data_key="to", load_default=None)


class UnitsSchema(Strict):
    length = fields.String(required=True, validate=validate.OneOf(["in", "cm"]))
    weight = fields.String(required=True, validate=validate.OneOf(["lb", "kg", "g"]))


class NoticeSchema(Dated):
    text = fields.String(required=True)
    fee = fields.String(load_default=None, validate=validate.OneOf(FEE_LINES))
    source = fields.String(required=True)


class DimWeightSchema(SourceMixin):
    divisor = fields.Integer(required=True, validate=validate.Range(min=1))


class TierSchema(SourceMixin):
    tier = fields.String(required=True, validate=validate.OneOf(TIER_NAMES))
    max_longest = Quantity(load_default=None)
    max_median = Quantity(load_default=None)
    max_shortest = Quantity(load_default=None)
    max_length_girth = Quantity(load_default=None)
    max_weight = Quantity(load_default=None)
    max_dim_weight = Quantity(load_default=None)
    weight_basis = fields.String(required=True, validate=validate.OneOf(["unit", "shipping"]))
    billing_weight = fields.String(required=True, validate=validate.OneOf(["unit", "shipping"]))
    dim_min_side = Quantity(load_default=None)
    max_sum_of_sides = Quantity()  # length + width + height (amazon.co.jp's tiers)
    storage = fields.String(required=True, validate=validate.OneOf(["standard", "oversize"]))
    categories = fields.List(fields.String(), load_default=None)  # the tier exists only for these categories
    notice = fields.String(load_default=None)
    storage_notice = fields.String(load_default=None)


class PriceBandSchema(SourceMixin):
    band = fields.String(required=True)
    below = fields.Raw(load_default=None)
    upto = fields.Raw(load_default=None)


class PeakSchema(Dated, SourceMixin):
    name = fields.String(required=True)


class StepSchema(Strict):
    """A charge for each `every` started above `above`; the fee is per `every`, or, with `per`, a rate per `per`
    charged in steps of `every` (CAD 0.90 per kg in steps of 100 g: 0.09 a step)."""

    every = Quantity(required=True)
    above = Quantity(required=True)
    fee = Figure(required=True)
    per = Quantity()


class PlusSchema(SourceMixin):
    """What a card adds to one tier of the card it takes its rows from: a fee, and a per-step fee added to the
    rows' own step (the Pan-EU oversize surcharge on an oversize band)."""

    fee = Figure(required=True)
    step = fields.Nested(StepSchema)


class BandSchema(SourceMixin):
    upto = Quantity(load_default=None)
    fee = FigureList(load_default=None)
    step = fields.Nested(StepSchema, load_default=None)
    unavailable = fields.String(load_default=None)


class CardSchema(Dated, SourceMixin):
    name = fields.String(required=True)
    apparel = fields.Boolean(load_default=None, truthy={True}, falsy={False})
    dangerous_goods = fields.Boolean(load_default=None, truthy={True}, falsy={False})
    season = fields.String(load_default=None, validate=validate.OneOf(["peak", "non_peak"]))
    program = fields.String(load_default="standard", validate=validate.OneOf(PROGRAM_NAMES))
    categories = fields.List(fields.String(), load_default=None)
    except_categories = fields.List(fields.String(), load_default=None)
    covers_some_tiers = fields.Boolean(data_key="partial", attribute="partial", load_default=False, truthy={True},
                                       falsy={False})  # not `partial`, which a Schema already has
    billing_weight = fields.String(load_default=None, validate=validate.OneOf(["unit", "shipping"]))
    rows_from = fields.String(load_default=None)
    plus = fields.Raw(load_default=None)
    plus_except_tiers = fields.List(fields.String(validate=validate.OneOf(TIER_NAMES)), load_default=list)
    plus_tiers = fields.Dict(keys=fields.String(validate=validate.OneOf(TIER_NAMES)), values=fields.Nested(PlusSchema))
    price_bands = fields.List(fields.String(), load_default=None)
    max_price = fields.Raw(load_default=None)
    unavailable = fields.String(load_default=None)
    tiers = fields.Dict(
        keys=fields.String(validate=validate.OneOf(TIER_NAMES)),
        values=fields.List(fields.Nested(BandSchema)),
        load_default=dict,
    )


class SurchargeSchema(Dated, SourceMixin):
    """A percentage of a fee; or, with `unavailable` (the reason) instead of a rate, one whose rate is NOT FOUND."""

    name = fields.String(required=True)
    fee = fields.String(required=True, validate=validate.OneOf(["fuel_surcharge"]))
    rate = Percent(load_default=None)
    on = fields.String(required=True, validate=validate.OneOf(["fulfillment"]))
    unavailable = fields.String()


class PackagingSchema(Dated, SourceMixin):
    """A per-unit packaging fee by size tier and weight band, waived for units shipped in their own packaging
    (SIPP); `weight` says which weight the bands read."""

    name = fields.String(required=True)
    weight = fields.String(required=True, validate=validate.OneOf(["dimensional", "shipping"]))
    tiers = fields.Dict(keys=fields.String(validate=validate.OneOf(TIER_NAMES)),
                        values=fields.List(fields.Nested(BandSchema), validate=validate.Length(min=1)),
                        required=True)


class RateTierSchema(Strict):
    upto = fields.Raw(load_default=None)
    rate = Percent(required=True)


class ReferralSchema(Dated, SourceMixin):
    name = fields.String(required=True)
    aliases = fields.List(fields.String(), load_default=list)
    rate = Percent(load_default=None)
    whole_price = fields.List(fields.Nested(RateTierSchema), load_default=None)
    marginal = fields.List(fields.Nested(RateTierSchema), load_default=None)
    minimum = Figure(load_default=None)
    no_minimum = fields.String(load_default=None)
    minimum_unavailable = fields.String()  # the minimum is NOT FOUND: the fee is unavailable (the reason)
    closing_fee = Figure(load_default=None)
    closing_fee_unavailable = fields.String(load_default=None)
    unavailable = fields.String()  # the category's rate is NOT FOUND (the reason); the category exists


class PerItemSchema(SourceMixin):
    individual = Figure(load_default=None)
    unavailable = fields.String()  # the Individual plan's per-item fee is NOT FOUND (the reason)


class SeasonSchema(Strict):
    jan_sep = Figure(load_default=None)
    oct_dec = Figure(load_default=None)


class StorageClassesSchema(Strict):
    standard = fields.Nested(SeasonSchema, required=True)
    oversize = fields.Nested(SeasonSchema, required=True)
    standard_apparel = fields.Nested(SeasonSchema, load_default=None)


class StorageSchema(Dated, SourceMixin):
    unavailable = fields.String(load_default=None)
    rates = fields.Nested(StorageClassesSchema, load_default=None)
    dangerous_goods = fields.Nested(StorageClassesSchema, load_default=None)
    apparel_categories = fields.List(fields.String(), load_default=list)


class UtilizationTierSchema(SourceMixin):
    above_weeks = fields.Decimal(required=True)
    standard = Figure(required=True)
    oversize = Figure(required=True)


class StorageUtilizationSchema(Dated, SourceMixin):
    not_in_force = fields.String(load_default=None)
    none_up_to_weeks = fields.Decimal(load_default=None)
    unavailable = fields.String(load_default=None)
    tiers = fields.List(fields.Nested(UtilizationTierSchema), load_default=list)
    dangerous_goods_unavailable = fields.String(load_default=None)


class AgeBandSchema(SourceMixin):
    from_days = fields.Integer(required=True, validate=validate.Range(min=0))
    to_days = fields.Integer(load_default=None)
    per_cubic_foot = Figure(load_default=None)
    per_unit = Figure(load_default=None)
    unavailable = fields.String(load_default=None)
    exempt_categories = fields.List(fields.String(), load_default=list)
    exemption_source = fields.String(load_default=None)
    exemption_confidence = fields.String(load_default=None, validate=validate.OneOf(CONFIDENCES))


class AgedInventorySchema(Dated, SourceMixin):
    unavailable = fields.String(load_default=None)
    bands = fields.List(fields.Nested(AgeBandSchema), load_default=list)


class NoticeMixin(Strict):
    """A statement shown as a warning wherever the section's figures price a line (a rule carried forward, a
    combination with another fee that the reference does not settle)."""

    notice = fields.String(load_default=None)


def _tier_bands(**kw) -> fields.Dict:
    """Weight bands per size tier (the last band open)."""
    return fields.Dict(keys=fields.String(validate=validate.OneOf(TIER_NAMES)),
                       values=fields.List(fields.Nested(BandSchema), validate=validate.Length(min=1)), **kw)


class RangeBandSchema(SourceMixin):
    """A weight band of a fee Amazon publishes as a range (low to high, by inbound location); `fee` where there is
    no range (the same figure at both ends, such as no fee); `low_unavailable` where only the high end is known."""

    upto = Quantity(load_default=None)
    fee = Figure(load_default=None)
    low = Figure(load_default=None)
    high = Figure(load_default=None)
    low_unavailable = fields.String(load_default=None)
    unavailable = fields.String(load_default=None)


class PlacementOptionSchema(SourceMixin, NoticeMixin):
    """One inbound placement option: ranges by size tier and weight band; tiers not listed take `unavailable`."""

    unavailable = fields.String(load_default=None)
    tiers = fields.Dict(keys=fields.String(validate=validate.OneOf(TIER_NAMES)),
                        values=fields.List(fields.Nested(RangeBandSchema), validate=validate.Length(min=1)),
                        load_default=dict)


class InboundPlacementSchema(Dated, SourceMixin):
    """The inbound placement service fee, by placement option (`minimal`, `partial`, `optimized`); `not_in_force`
    where the fee did not exist (no charge, said in the explanation)."""

    not_in_force = fields.String(load_default=None)
    unavailable = fields.String(load_default=None)
    minimal = fields.Nested(PlacementOptionSchema, load_default=None)
    partial_splits = fields.Nested(PlacementOptionSchema, data_key="partial", attribute="partial",
                                   load_default=None)  # not `partial`, which a Schema already has
    optimized = fields.Nested(PlacementOptionSchema, load_default=None)


class LowInventorySchema(Dated, SourceMixin, NoticeMixin):
    """The low-inventory-level fee: per unit shipped when every historical days-of-supply figure is below the
    last of `days_below`, by size tier, weight band and the band of the greater figure (one fee per band)."""

    not_in_force = fields.String(load_default=None)
    unavailable = fields.String(load_default=None)
    days_below = fields.List(fields.Integer(validate=validate.Range(min=1)), load_default=list)
    level = fields.String(load_default=None)  # what the days of supply are measured on (parent product, FNSKU)
    tiers = _tier_bands(load_default=dict)
    not_charged_tiers = fields.List(fields.String(validate=validate.OneOf(TIER_NAMES)), load_default=list)
    not_charged_source = fields.String(load_default=None)
    not_charged_confidence = fields.String(load_default=None, validate=validate.OneOf(CONFIDENCES))
    exemptions = fields.List(fields.String(validate=validate.OneOf(LIL_EXEMPTIONS)), load_default=list)
    exemption_source = fields.String(load_default=None)
    exemption_confidence = fields.String(load_default=None, validate=validate.OneOf(CONFIDENCES))
    exempt_categories = fields.List(fields.String(), load_default=list)
    exempt_categories_source = fields.String(load_default=None)
    exempt_categories_confidence = fields.String(load_default=None, validate=validate.OneOf(CONFIDENCES))
    exempt_cards = fields.List(fields.String(), load_default=list)  # fulfilment cards whose units pay none
    exempt_cards_source = fields.String(load_default=None)
    exempt_cards_confidence = fields.String(load_default=None, validate=validate.OneOf(CONFIDENCES))
    # fulfilment cards whose units may or may not be exempt (the reference does not settle which card they pay):
    # the fee is unavailable on them, with `unknown_cards_reason`.  No default: other tables' data stay the same.
    unknown_cards = fields.List(fields.String())
    unknown_cards_reason = fields.String()
    pan_eu_only = fields.String(load_default=None)  # why a unit outside Pan-European FBA is unavailable


class ThresholdSchema(SourceMixin):
    category = fields.String(required=True)
    rate = Percent(required=True)


class ReturnsProcessingSchema(Dated, SourceMixin, NoticeMixin):
    """The returns processing fee: charged per returned unit above a category's return-rate threshold (or on
    every returned unit in `every_return_categories`); `rate_unavailable` says why the per-unit rate is not known,
    so where a fee is due the line is unavailable with that reason."""

    not_in_force = fields.String(load_default=None)
    rate_unavailable = fields.String(load_default=None)
    thresholds = fields.List(fields.Nested(ThresholdSchema), load_default=list)
    every_return_categories = fields.List(fields.String(), load_default=list)
    every_return_source = fields.String(load_default=None)
    every_return_confidence = fields.String(load_default=None, validate=validate.OneOf(CONFIDENCES))
    other_categories_unavailable = fields.String(load_default=None)
    other_categories_not_charged = fields.String(load_default=None)


class RemovalSchema(Dated, SourceMixin):
    """Removal and disposal order fees per unit, by size tier and shipping weight (bands with per-lb steps);
    `special_handling` says why units in `special_handling_categories`, dangerous goods and apparel are
    unavailable."""

    unavailable = fields.String(load_default=None)
    tiers = _tier_bands(load_default=dict)
    round_up = fields.String(load_default=None)  # how Amazon rounds the weight, for the explanation
    special_handling = fields.String(load_default=None)
    special_handling_categories = fields.List(fields.String(), load_default=list)


class SippSchema(SourceMixin, NoticeMixin):
    """A Ships in Product Packaging discount on the fulfilment fee of the cards it names (`cards`; none: every card
    no earlier entry names), by tier and weight band as the card bills; or `unavailable` for those cards."""

    name = fields.String(required=True)
    cards = fields.List(fields.String(), load_default=None)
    unavailable = fields.String(load_default=None)
    tiers = _tier_bands(load_default=dict)


class OvermaxSchema(Dated, SourceMixin, NoticeMixin):
    """A handling fee per unit for extra-large items over a longest side or a length + girth, by tier."""

    longest_over = Quantity(required=True)
    length_girth_over = Quantity(required=True)
    tiers = fields.Dict(keys=fields.String(validate=validate.OneOf(TIER_NAMES)), values=Figure(), required=True)


class ApparelFeeCategorySchema(SourceMixin):
    """The referral categories whose items are in Amazon's Apparel fee category, so pay the apparel fulfilment
    cards (where the caller does not say whether an item is apparel)."""

    categories = fields.List(fields.String(), required=True, validate=validate.Length(min=1))


class VatSchema(SourceMixin):
    rate = Percent(required=True)


class DsfRuleSchema(Dated, SourceMixin):
    """Digital Services Fee: a percentage of the listed fee lines, for sellers established in these countries."""

    seller_countries = fields.List(fields.String(), required=True, validate=validate.Length(min=1))
    rate = Percent(load_default=None)
    on = fields.List(fields.String(validate=validate.OneOf(DSF_LINES)), load_default=list)
    unavailable = fields.String()  # for these sellers the fee is NOT FOUND (the reason), in place of rate and on


class TableSchema(Strict):
    id = fields.String(required=True, validate=validate.Regexp(r"^[a-z]{2}-[0-9a-z-]+$"))
    marketplace = fields.String(required=True, validate=validate.Regexp(r"^[A-Z]{2}$"))
    currency = fields.String(required=True, validate=validate.Regexp(r"^[A-Z]{3}$"))
    effective_from = Date(required=True)
    effective_to = Date(required=True)
    title = fields.String(required=True)
    notes = fields.List(fields.String(), load_default=list)
    units = fields.Nested(UnitsSchema, required=True)
    notices = fields.List(fields.Nested(NoticeSchema), load_default=list)
    dimensional_weight = fields.Nested(DimWeightSchema, required=True)
    size_tiers = fields.List(fields.Nested(TierSchema), required=True, validate=validate.Length(min=1))
    price_bands = fields.List(fields.Nested(PriceBandSchema), required=True, validate=validate.Length(min=1))
    peak_windows = fields.List(fields.Nested(PeakSchema), load_default=list)
    fulfillment_cards = fields.List(fields.Nested(CardSchema), required=True)
    surcharges = fields.List(fields.Nested(SurchargeSchema), load_default=list)
    packaging_fees = fields.List(fields.Nested(PackagingSchema), load_default=list)
    referral = fields.List(fields.Nested(ReferralSchema), required=True)
    per_item_fee = fields.Nested(PerItemSchema, required=True)
    storage = fields.List(fields.Nested(StorageSchema), required=True)
    storage_volume_unit = fields.String(load_default="ft", validate=validate.OneOf(["ft", "m"]))
    vat = fields.Nested(VatSchema, load_default=None)
    apparel_fee_category = fields.Nested(ApparelFeeCategorySchema, load_default=None)
    digital_services_fee = fields.List(fields.Nested(DsfRuleSchema), load_default=list)
    storage_utilization = fields.List(fields.Nested(StorageUtilizationSchema), required=True)
    aged_inventory = fields.List(fields.Nested(AgedInventorySchema), required=True)
    inbound_placement = fields.List(fields.Nested(InboundPlacementSchema), load_default=list)
    low_inventory_level = fields.List(fields.Nested(LowInventorySchema), load_default=list)
    returns_processing = fields.List(fields.Nested(ReturnsProcessingSchema), load_default=list)
    removal_orders = fields.List(fields.Nested(RemovalSchema), load_default=list)
    sipp_discounts = fields.List(fields.Nested(SippSchema), load_default=list)
    overmax_handling = fields.List(fields.Nested(OvermaxSchema), load_default=list)


def flatten_errors(messages, prefix: str = "") -> list[str]:
    """Turn marshmallow's nested error dict into 'key.path[3].field: message' lines."""
    out: list[str] = []
    if isinstance(messages, dict):
        for key, sub in messages.items():
            part = f"[{key}]" if isinstance(key, int) else (f".{key}" if prefix else str(key))
            out.extend(flatten_errors(sub, prefix + part))
    elif isinstance(messages, list) and all(isinstance(m, str) for m in messages):
        out.extend(f"{prefix}: {m}" for m in messages)
    elif isinstance(messages, list):
        for sub in messages:
            out.extend(flatten_errors(sub, prefix))
    else:
        out.append(f"{prefix}: {messages}")
    return out


@lru_cache(maxsize=65536)
def category_key(name: str) -> str:
    """Amazon's category name as a key: lower case, '&' as 'and', punctuation dropped, spaces as '_'."""
    text = str(name).strip().lower().replace("&", " and ")
    text = re.sub(r"[^\w\s]", "", text)
    return re.sub(r"[\s_]+", "_", text).strip("_")
