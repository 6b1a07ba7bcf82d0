"""Request and response schemas of the HTTP API (marshmallow; the OpenAPI document is built from them)."""

from __future__ import annotations

from collections import Counter

from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates_schema

from feecalc.tables.schema import PROGRAM_NAMES

NUMBER = {"oneOf": [{"type": "number"}, {"type": "string", "example": "24.99"}]}


class Number(fields.Field):
    """A number, or a decimal string such as "24.99" (exact); booleans and other types are rejected."""

    def __init__(self, **kwargs):
        kwargs.setdefault("metadata", {}).update(NUMBER)
        super().__init__(**kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, bool) or not isinstance(value, (int, float, str)):
            raise ValidationError("must be a number or a decimal string")
        if isinstance(value, str) and len(value) > 40:
            raise ValidationError("must be at most 40 characters")
        return value


def _text(**kw):
    return fields.String(validate=validate.Length(min=1, max=200), **kw)


class ItemFields(Schema):
    """The arguments of feecalc.quote."""

    class Meta:
        unknown = RAISE

    price = Number()
    shipping = Number()
    gift_wrap = Number()
    length = Number()
    width = Number()
    height = Number()
    dimension_unit = _text(metadata={"example": "in"})
    weight = Number()
    weight_unit = _text(metadata={"example": "lb"})
    category = _text(metadata={"example": "home_and_kitchen"})
    apparel = fields.Boolean(truthy={True}, falsy={False})
    dangerous_goods = fields.Boolean(truthy={True}, falsy={False})
    sipp = fields.Boolean(truthy={True}, falsy={False},
                          metadata={"description": "ships in its own product packaging: no packaging fee"})
    plan = fields.String(validate=validate.OneOf(["professional", "individual"]))
    program = fields.String(validate=validate.OneOf(PROGRAM_NAMES))
    age_days = fields.Integer(validate=validate.Range(min=0, max=100_000), strict=True)
    utilization_weeks = Number(allow_none=True)
    marketplace = fields.String(validate=validate.Length(min=2, max=2), metadata={"example": "US"})
    on = fields.Date(metadata={"description": "date of the fees (default: today)"})


REQUIRED = ("price", "length", "width", "height", "weight", "category")


class ListItem(ItemFields):
    """One item of a list; price, dimensions, weight and category are required (checked by QuoteRequest)."""

    id = fields.String(required=True, validate=validate.Length(min=1, max=128),
                       metadata={"description": "the caller's id; results are keyed by it"})


class QuoteRequest(ItemFields):
    """One item (the quote arguments), or {"items": [...]} with an id on each item."""

    items = fields.List(fields.Nested(ListItem), validate=validate.Length(min=1))

    @validates_schema
    def _shape(self, data, **kwargs):
        if "items" in data:
            extra = [k for k in data if k not in ("items", "on", "marketplace")]
            if extra:
                raise ValidationError({k: ["not allowed beside 'items'; put it on each item"] for k in extra})
            missing = {f"items[{i}].{f}": ["Missing data for required field."]
                       for i, item in enumerate(data["items"]) for f in REQUIRED if f not in item}
            if missing:
                raise ValidationError(missing)
            counts = Counter(item["id"] for item in data["items"])
            dupes = sorted(i for i, n in counts.items() if n > 1)
            if dupes:
                raise ValidationError({"items": [f"ids must be unique; repeated: {', '.join(dupes[:5])}"]})
            return
        missing = [f for f in REQUIRED if f not in data]
        if missing:
            raise ValidationError({f: ["Missing data for required field."] for f in missing})


class QuoteQuery(Schema):
    class Meta:
        unknown = RAISE

    shape = fields.String(load_default="feecalc", validate=validate.OneOf(["feecalc", "sp-api"]))
    locale = fields.String(validate=validate.Length(min=2, max=20),
                           metadata={"description": "Babel locale for display strings, e.g. de_DE"})
    explain = fields.Boolean(load_default=None, metadata={
        "description": "include the per-fee explanation (default: yes for one item, no for a list)"})


class CategoryQuery(Schema):
    class Meta:
        unknown = RAISE

    marketplace = fields.String(load_default="US", validate=validate.Length(min=2, max=2))
    on = fields.Date()


class BatchForm(Schema):
    class Meta:
        unknown = RAISE

    on = fields.Date()
    marketplace = fields.String(load_default="US", validate=validate.Length(min=2, max=2))
    locale = fields.String(validate=validate.Length(min=2, max=20))
    sheet = fields.String(validate=validate.Length(min=1, max=100))


# ---- responses (documentation components; the routes build plain dicts of the same shape) -----------
class Money(Schema):
    amount = fields.String(required=True, metadata={"example": "2.49"})
    currency = fields.String(required=True, metadata={"example": "USD"})
    display = fields.String(metadata={"example": "$2.49"})


class FieldError(Schema):
    field = fields.String(allow_none=True, required=True)
    message = fields.String(required=True)


class Problem(Schema):
    type = fields.String(required=True)
    title = fields.String(required=True)
    status = fields.Integer(required=True)
    detail = fields.String(required=True)
    instance = fields.String(required=True)
    errors = fields.List(fields.Nested(FieldError))


class QuoteResult(Schema):
    marketplace = fields.String(required=True)
    date = fields.String(required=True)
    currency = fields.String(required=True)
    table_id = fields.String(required=True)
    table_hash = fields.String(required=True)
    size_tier = fields.String(required=True)
    program = fields.String(required=True, metadata={"description": "the fulfilment programme priced"})
    dimensional_weight = fields.String(required=True)
    shipping_weight = fields.String(required=True)
    weight_unit = fields.String(required=True)
    fees = fields.Dict(keys=fields.String(), values=fields.Nested(Money), required=True)
    unavailable = fields.Dict(keys=fields.String(), values=fields.String(), required=True)
    total = fields.Nested(Money, allow_none=True, required=True)
    warnings = fields.List(fields.String(), required=True)
    vat_in_price = fields.String(allow_none=True, metadata={"description": "VAT contained in a VAT-inclusive price"})
    explanation = fields.Dict(keys=fields.String(), values=fields.String())


class ItemResult(Schema):
    quote = fields.Nested(QuoteResult)
    error = fields.Nested(Problem)


class QuoteList(Schema):
    results = fields.Dict(keys=fields.String(), values=fields.Nested(ItemResult), required=True)


class SpMoney(Schema):
    CurrencyCode = fields.String(required=True)
    Amount = fields.Float(required=True)


class SpFeeDetail(Schema):
    FeeType = fields.String(required=True)
    FeeAmount = fields.Nested(SpMoney, required=True)
    FeePromotion = fields.Nested(SpMoney)
    FinalFee = fields.Nested(SpMoney, required=True)
    IncludedFeeDetailList = fields.List(fields.Dict())


class SpEstimate(Schema):
    TimeOfFeesEstimation = fields.String(required=True)
    TotalFeesEstimate = fields.Nested(SpMoney, required=True)
    FeeDetailList = fields.List(fields.Nested(SpFeeDetail), required=True)


class SpResult(Schema):
    Status = fields.String(required=True)
    FeesEstimateIdentifier = fields.Dict(required=True)
    FeesEstimate = fields.Nested(SpEstimate, allow_none=True, required=True)
    Error = fields.Dict(allow_none=True, required=True)


class SpResponse(Schema):
    FeesEstimateResult = fields.Nested(SpResult)
    FeesEstimateResults = fields.List(fields.Nested(SpResult))


class TableSummary(Schema):
    id = fields.String(required=True)
    title = fields.String(required=True)
    marketplace = fields.String(required=True)
    currency = fields.String(required=True)
    effective_from = fields.String(required=True)
    effective_to = fields.String(required=True)
    sha256 = fields.String(required=True)


class MarketplaceInfo(Schema):
    code = fields.String(required=True)
    marketplace_id = fields.String(required=True)
    domain = fields.String(allow_none=True, required=True)
    currency = fields.String(required=True)
    locale = fields.String(required=True)
    has_tables = fields.Boolean(required=True)
    tables_from = fields.String()
    tables_to = fields.String()


class Category(Schema):
    key = fields.String(required=True)
    name = fields.String(required=True)


class Categories(Schema):
    marketplace = fields.String(required=True)
    date = fields.String(required=True)
    table_id = fields.String(required=True)
    categories = fields.List(fields.Nested(Category), required=True)


class Health(Schema):
    status = fields.String(required=True)
    tables = fields.Integer(required=True)
    hashes = fields.Dict(keys=fields.String(), values=fields.String(), required=True)


class CompareFields(ItemFields):
    """quote's arguments plus cost-profile overrides (see feecalc/profiles/us-default.toml)."""

    cost_of_goods = Number()
    inbound_per_unit = Number()
    inbound_per_kg = Number()
    inbound_per_cubic_foot = Number()
    prep_per_unit = Number()
    advertising_percent = Number(metadata={"description": "a share such as 0.05 or '5%'"})
    return_rate = Number()
    cost_per_return = Number()
    monthly_units = Number()
    days_in_inventory = Number()
    packaging_per_order = Number()
    labour_per_order = Number()
    own_storage_per_cubic_foot_month = Number()
    zone = fields.String(validate=validate.OneOf(["1", "8-9", "average"]))
    ship_via = fields.String(validate=validate.OneOf(["carrier", "mcf"]))
    mcf_per_unit = Number()
    target_margin = Number(metadata={"description": "also return the lowest price for this margin, e.g. 0.2"})


class CompareItem(CompareFields):
    id = fields.String(required=True, validate=validate.Length(min=1, max=128))


class CompareRequest(CompareFields):
    """One item, or {"items": [...]} with an id on each item."""

    items = fields.List(fields.Nested(CompareItem), validate=validate.Length(min=1))

    @validates_schema
    def _shape(self, data, **kwargs):
        QuoteRequest._shape(self, data)
