"""Request and response schemas of the HTTP API (marshmallow; the OpenAPI document is built from them)."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Callable
from typing import Any

from flask_smorest.fields import Upload
from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates_schema

from feecalc import spec
from feecalc.channels import OVERRIDES, PERCENT_KEYS, SHIP_VIA, ZONES

NUMBER = {"oneOf": [{"type": "number"}, {"type": "string", "example": "24.99"}]}
NUMBER_TEXT = 40    # the longest decimal string a number field takes
ID_LENGTH = (1, 128)  # an item id's shortest and longest text


class Number(fields.Field):
    """A number, or a decimal string such as "24.99" (exact); booleans and other types are rejected."""

    def __init__(self, **kwargs):
        kwargs.setdefault("metadata", {}).update(NUMBER)
        super().__init__(**kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, bool) or not isinstance(value, (int, float, str)):
            raise ValidationError("must be a number or a decimal string")
        if isinstance(value, str) and len(value) > NUMBER_TEXT:
            raise ValidationError(f"must be at most {NUMBER_TEXT} characters")
        return value


class DaysOfSupply(Number):
    """A number of days, or [short-term, long-term] (two numbers)."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.metadata.pop("oneOf", None)
        self.metadata["oneOf"] = [*NUMBER["oneOf"], {"type": "array", "minItems": 2, "maxItems": 2,
                                                     "items": NUMBER}]

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, list):
            if len(value) != 2:
                raise ValidationError("give one number, or two: [short-term, long-term]")
            return [super(DaysOfSupply, self)._deserialize(v, attr, data, **kwargs) for v in value]
        return super()._deserialize(value, attr, data, **kwargs)


class Identifier(fields.Field):
    """An item's id: a string, or a whole number (JSON ids are often numbers), answered as a string."""

    def __init__(self, **kwargs):
        kwargs.setdefault("metadata", {}).update(
            {"oneOf": [{"type": "string", "minLength": ID_LENGTH[0], "maxLength": ID_LENGTH[1]}, {"type": "integer"}],
             "description": "the caller's id (a string or a whole number); results are keyed by it, as a string"})
        super().__init__(**kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, int) and not isinstance(value, bool):
            return str(value)
        if not isinstance(value, str):
            raise ValidationError("must be a string or a whole number")
        if not ID_LENGTH[0] <= len(value) <= ID_LENGTH[1]:
            raise ValidationError(f"must be {ID_LENGTH[0]} to {ID_LENGTH[1]} characters")
        return value


TEXT = validate.Length(min=1, max=200)
CODE = validate.Length(min=2, max=2)
API_NAMES = {"date": "on"}  # the API's name where it differs from the library's (the date is `on`, as in quote)
CONTEXT = tuple(API_NAMES.get(f.name, f.name) for f in spec.CONTEXT_FIELDS)  # one per request, beside 'items'
REQUIRED = spec.REQUIRED


def spec_field(f: spec.Field, nullable: bool = False) -> fields.Field:
    """The request field for one input of the library's specification (feecalc.spec): its kind picks the type and
    the bounds (the library checks the values themselves); its description, example and default document it."""
    meta = {"description": f.description, **({"example": f.example} if f.example is not None else {}),
            **({"default": f.default} if f.default is not None else {})}
    kw: dict[str, Any] = {"metadata": meta, "allow_none": nullable}
    match f.kind:
        case "money" | "positive" | "weeks" | "days" | "share":
            return Number(**kw)
        case "days_of_supply":
            return DaysOfSupply(**kw)
        case "text" | "length_unit" | "weight_unit":
            return fields.String(validate=TEXT, **kw)
        case "country" | "marketplace":
            return fields.String(validate=CODE, **kw)
        case "flag" | "tristate":
            return fields.Boolean(truthy={True}, falsy={False}, **kw)
        case "plan" | "program" | "choice":
            return fields.String(validate=validate.OneOf(f.choices or ()), **kw)
        case "age":
            return fields.Integer(strict=True, validate=validate.Range(min=0, max=spec.MAX_AGE_DAYS), **kw)
        case "date":
            return fields.Date(**kw)
    raise ValueError(f"feecalc.spec input {f.name!r}: the API has no request field for kind {f.kind!r}")


def item_fields() -> dict[str, fields.Field]:
    """quote's arguments, then the request's marketplace and date, in the specification's order.  An optional
    input whose library default is None (the table's units, the marketplace's country, no utilization ratio)
    may also be null: not given."""
    item = {f.name: spec_field(f, nullable=not f.required and f.default is None) for f in spec.ITEM_FIELDS}
    return item | {API_NAMES.get(f.name, f.name): spec_field(f) for f in spec.CONTEXT_FIELDS}


class ItemFields(Schema):
    """The arguments of feecalc.quote, generated from feecalc.spec (the one list of item inputs)."""

    class Meta:
        unknown = RAISE
        include = item_fields()


class ListItem(ItemFields):
    """One item of a list; price, dimensions, weight and category are required (checked by QuoteRequest)."""

    id = Identifier(required=True)


# ---- one validation pass --------------------------------------------------------------------------------------
# A request body is checked once: the library (feecalc.inputs, from feecalc.spec) validates every value.  Before
# it, marshmallow's load only made sure each value is of a JSON type its field takes; `Gate` makes that check from
# the same fields, as one cheap test per value, and hands a body that passes straight to the route.  A body with
# anything else (an unknown field, a wrong type, a value outside a field's choices or bounds, a missing required
# field, repeated ids) goes through marshmallow's load as before, so every error message stays what it was.
Check = Callable[[Any], bool]
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")  # what fields.Date reads (date.fromisoformat reads more)


def _is_number(value: Any) -> bool:
    return (isinstance(value, (int, float)) and not isinstance(value, bool)) or (isinstance(value, str)
                                                                                and len(value) <= NUMBER_TEXT)


def _rule_check(rule: Any) -> Check | None:
    """A field validator as a test (None: one the gate does not know)."""
    if isinstance(rule, validate.OneOf):
        choices = frozenset(rule.choices)
        return lambda v: v in choices
    if isinstance(rule, validate.Length) and rule.equal is None:
        lo, hi = rule.min or 0, rule.max
        return lambda v: lo <= len(v) and (hi is None or len(v) <= hi)
    if isinstance(rule, validate.Range) and rule.min_inclusive and rule.max_inclusive:
        low, high = rule.min, rule.max
        return lambda v: (low is None or low <= v) and (high is None or v <= high)
    return None


def _check_of(field: fields.Field) -> Check | None:
    """A test that `field` would load a JSON value unchanged, or None where its load changes the value."""
    tests: list[Check] = []
    if isinstance(field, DaysOfSupply):
        tests.append(_is_number)  # a [short, long] pair goes through marshmallow
    elif isinstance(field, Number):
        tests.append(_is_number)
    elif isinstance(field, fields.Boolean):
        if field.truthy != {True} or field.falsy != {False}:
            return None
        tests.append(lambda v: isinstance(v, bool))
    elif isinstance(field, fields.Integer):
        if not field.strict:
            return None
        tests.append(lambda v: isinstance(v, int) and not isinstance(v, bool))
    elif isinstance(field, fields.String):
        tests.append(lambda v: isinstance(v, str))
    else:
        return None
    for rule in field.validators:
        test = _rule_check(rule)
        if test is None:
            return None
        tests.append(test)
    if field.allow_none:
        return lambda v: v is None or all(t(v) for t in tests)
    return lambda v: v is not None and all(t(v) for t in tests)


class Gate:
    """The JSON-type checks of a schema's item fields (see above); `on` is read as an ISO date, as fields.Date does."""

    def __init__(self, schema: Schema, item: Schema | None = None):
        named = {name: f for name, f in schema.fields.items() if name not in ("items", "on")}
        self.checks = {name: _check_of(f) for name, f in named.items()}
        self.item_checks = None if item is None else {name: _check_of(f) for name, f in item.fields.items()
                                                      if name != "id"}

    def _fields(self, body: dict, checks: dict[str, Check | None]) -> bool:
        for name, value in body.items():
            test = checks.get(name)
            if test is None or not test(value):
                return False
        return True

    def body(self, data: Any) -> dict | None:
        """The body as the route takes it, or None: let marshmallow load it (and word its errors)."""
        if not isinstance(data, dict):
            return None
        out = dict(data)
        if "on" in out:
            on = out["on"]
            if not (isinstance(on, str) and ISO_DATE.fullmatch(on)):
                return None
            try:
                out["on"] = dt.date.fromisoformat(on)
            except ValueError:
                return None
        items = out.get("items")
        if items is None:
            if "items" in out or any(f not in out for f in REQUIRED):
                return None
            rest = {k: v for k, v in out.items() if k != "on"}
            return out if self._fields(rest, self.checks) else None
        if self.item_checks is None or not isinstance(items, list) or not items:
            return None
        if any(k not in CONTEXT for k in out if k != "items"):
            return None
        if not self._fields({k: v for k, v in out.items() if k not in ("items", "on")}, self.checks):
            return None
        loaded, ids = [], set()
        for item in items:
            if not isinstance(item, dict) or "id" not in item or any(f not in item for f in REQUIRED):
                return None
            ident = item["id"]
            if isinstance(ident, int) and not isinstance(ident, bool):
                ident = str(ident)
            elif not (isinstance(ident, str) and ID_LENGTH[0] <= len(ident) <= ID_LENGTH[1]):
                return None
            if ident in ids:
                return None
            ids.add(ident)
            rest = {k: v for k, v in item.items() if k != "id"}
            if not self._fields(rest, self.item_checks):
                return None
            loaded.append({**rest, "id": ident})
        out["items"] = loaded
        return out


class GatedLoad:
    """`load` through the gate first (a schema with an `items` list of `item_schema`)."""

    item_schema: type[Schema]
    _gate: Gate | None = None

    def load(self, data, *, many=None, partial=None, unknown=None):
        if many is None and partial is None and unknown is None:
            if self._gate is None:
                self._gate = Gate(self, self.item_schema())
            body = self._gate.body(data)
            if body is not None:
                return body
        return super().load(data, many=many, partial=partial, unknown=unknown)


class QuoteRequest(GatedLoad, ItemFields):
    """One item (the quote arguments), or {"items": [...]} with an id on each item."""

    item_schema = ListItem

    items = fields.List(fields.Nested(ListItem), validate=validate.Length(min=1))

    @validates_schema
    def _shape(self, data, **kwargs):
        if "items" in data:
            extra = [k for k in data if k not in ("items", *CONTEXT)]
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
    """The multipart upload of POST /v1/batch: the file and its form fields, one request body."""

    class Meta:
        unknown = RAISE

    file = Upload(required=True, metadata={"description": "CSV, TSV, XLSX, XLSM, ODS or Parquet"})
    on = fields.Date()
    marketplace = fields.String(load_default="US", validate=validate.Length(min=2, max=2))
    locale = fields.String(validate=validate.Length(min=2, max=20))
    sheet = fields.String(validate=validate.Length(min=1, max=100))


class FilePart(Upload):
    """An uploaded file: a multipart part with a file name, never a plain form value."""

    def _deserialize(self, value, attr, data, **kwargs):
        from werkzeug.datastructures import FileStorage

        if not isinstance(value, FileStorage):
            raise ValidationError("expected a file (a multipart part with a filename)")
        return value


class AuditForm(Schema):
    """The multipart upload of POST /v1/audit: Amazon's reports (one `file` part each) and the options of
    `feecalc audit`."""

    class Meta:
        unknown = RAISE

    file: fields.List = fields.List(FilePart(), required=True, validate=validate.Length(min=1, max=20), metadata={
        "description": "Amazon's reports, one part each (recognised by their header, .gz or not): the FBA Fee "
                       "Preview, the settlement flat file V2, the transaction CSV, the monthly storage fees"})
    catalog = FilePart(metadata={"description": "your own measurements: any spreadsheet POST /v1/batch reads, with a "
                                              "sku or asin column"})
    category_map = FilePart(metadata={"description": "CSV 'label,category'"})
    on = fields.Date(metadata={"description": "the fee preview's date (default today)"})
    tolerance = fields.String(load_default="0", validate=validate.Length(max=20),
                              metadata={"description": "difference per unit still listed as within tolerance"})
    format = fields.String(load_default="json", validate=validate.OneOf(("json", "xlsx", "csv")),
                           metadata={"description": "json (findings, summary, unmatched lines), xlsx (the "
                                                    "workbook), csv (the findings)"})
    catalog_marketplace = fields.String(load_default="US", validate=validate.Length(min=2, max=2))


# ---- responses (documentation components; the routes build plain dicts of the same shape) -----------
class Money(Schema):
    amount = fields.String(required=True, metadata={"example": "2.49"})
    currency = fields.String(required=True, metadata={"example": "USD"})
    display = fields.String(metadata={"example": "$2.49"})


class Fee(Money):
    """A fee line: its amount, or a null amount and the reason where the figure is unavailable for the date."""

    amount = fields.String(required=True, allow_none=True, metadata={"example": "2.49"})
    unavailable = fields.String(metadata={"description": "why the figure is unavailable (amount null)"})


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
    fees = fields.Dict(keys=fields.String(), values=fields.Nested(Fee), required=True,
                       metadata={"description": "every fee line; an unavailable one has a null amount and its reason"})
    unavailable = fields.Dict(keys=fields.String(), values=fields.String(), required=True)
    total = fields.Nested(Money, allow_none=True, required=True, metadata={
        "description": "the per-sale total Amazon deducts (null: a line of it is unavailable)"})
    landed_total = fields.Nested(Money, allow_none=True, required=True, metadata={
        "description": "per unit sold: the total plus inbound placement, storage for the month, the storage "
                       "utilization and aged-inventory surcharges and returns processing"})
    not_assessed = fields.Dict(keys=fields.String(), values=fields.String(), required=True, metadata={
        "description": "lines left at 0 because their input was not given, and which input"})
    ranges = fields.Dict(keys=fields.String(), values=fields.Dict(), required=True, metadata={
        "description": "a line Amazon publishes as a range (inbound placement): its low and high ends"})
    total_lines = fields.List(fields.String(), metadata={"description": "the fee lines the total adds up"})
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
    FeeAmount = fields.Nested(SpMoney, required=True, allow_none=True)
    FeePromotion = fields.Nested(SpMoney)
    FinalFee = fields.Nested(SpMoney, required=True, allow_none=True)
    Unavailable = fields.String(metadata={"description": "why the line's figure is unavailable (amounts null)"})
    IncludedFeeDetailList = fields.List(fields.Dict())


class SpEstimate(Schema):
    TimeOfFeesEstimation = fields.String(required=True)
    TotalFeesEstimate = fields.Nested(SpMoney, required=True, allow_none=True)
    FeeDetailList = fields.List(fields.Nested(SpFeeDetail), required=True)


class SpResult(Schema):
    Status = fields.String(required=True)
    FeesEstimateIdentifier = fields.Dict(required=True)
    FeesEstimate = fields.Nested(SpEstimate, allow_none=True, required=True)
    Error = fields.Dict(allow_none=True, required=True)


class SpResponse(Schema):
    FeesEstimateResult = fields.Nested(SpResult)
    FeesEstimateResults = fields.List(fields.Nested(SpResult))


class StoreTable(Schema):
    """A fee table: its id, title, dates and hash."""
    id = fields.String(required=True)
    title = fields.String(required=True)
    effective_from = fields.String(required=True)
    effective_to = fields.String(required=True)
    sha256 = fields.String(required=True)


class TableSummary(StoreTable):
    """A fee table with its store and currency (GET /v1/tables)."""
    marketplace = fields.String(required=True)
    currency = fields.String(required=True)


class MarketplaceInfo(Schema):
    code = fields.String(required=True)
    marketplace_id = fields.String(required=True)
    domain = fields.String(allow_none=True, required=True)
    currency = fields.String(required=True)
    digits = fields.Integer(required=True, metadata={"description": "ISO 4217 minor-unit digits of the currency "
                                                                    "(2; 0 for JPY)"})
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


class StoreOptionSet(Schema):
    programs = fields.List(fields.String(), required=True)
    apparel = fields.Boolean(required=True)
    dangerous_goods = fields.Boolean(required=True)
    sipp = fields.Boolean(required=True)
    plans = fields.List(fields.String(), required=True)
    seller_countries = fields.List(fields.String(), required=True)
    age_days = fields.Boolean(required=True)
    utilization_weeks = fields.Boolean(required=True)


class InputField(Schema):
    name = fields.String(required=True)
    kind = fields.String(required=True)
    description = fields.String(required=True)
    required = fields.Boolean(required=True)
    default = fields.Raw(allow_none=True, required=True)
    choices = fields.List(fields.String(), allow_none=True, required=True)


class ProductGroup(Schema):
    name = fields.String(required=True, metadata={"description": "a name of Amazon's, e.g. a product-group value"})
    category = fields.String(allow_none=True, required=True, metadata={"description": "the category it stands for"})
    candidates = fields.List(fields.String(), required=True, metadata={
        "description": "where it stands for more than one category: those it may mean (a quote with it is an error)"})
    own_reading = fields.Boolean(required=True, metadata={"description": "feecalc's reading, not a source's"})


class StoreInputs(Schema):
    """What an item may say in a store on a date (feecalc.choices.store_options), with the categories in force."""

    marketplace = fields.String(required=True)
    date = fields.String(required=True)
    currency = fields.String(required=True)
    locale = fields.String(required=True)
    table = fields.Nested(StoreTable, required=True)
    units = fields.Dict(keys=fields.String(), values=fields.String(), required=True)
    options = fields.Nested(StoreOptionSet, required=True)
    fields_ = fields.List(fields.Nested(InputField), required=True, data_key="fields")
    product_groups = fields.List(fields.Nested(ProductGroup), required=True)
    categories = fields.List(fields.Nested(Category), required=True)


class CostProfileInfo(Schema):
    """A bundled cost profile: the values a comparison uses unless the request overrides them."""

    id = fields.String(required=True)
    marketplace = fields.String(required=True)
    currency = fields.String(required=True)
    values = fields.Dict(keys=fields.String(), values=fields.Raw(allow_none=True), required=True)
    notes = fields.List(fields.String(), required=True)


class Health(Schema):
    status = fields.String(required=True)
    tables = fields.Integer(required=True)
    hashes = fields.Dict(keys=fields.String(), values=fields.String(), required=True)


def override_field(name: str) -> fields.Field:
    """The request field for one cost-profile override (feecalc.channels.OVERRIDES); the library checks values."""
    if name == "zone":
        return fields.String(validate=validate.OneOf(ZONES), metadata={
            "description": "carrier zone of the profile's rate card ('average': the mean of zones 1 and 8-9)"})
    if name == "ship_via":
        return fields.String(validate=validate.OneOf(SHIP_VIA), metadata={
            "description": "how the web shop ships: the profile's carrier, or Amazon's Multi-Channel Fulfillment"})
    if name in PERCENT_KEYS:
        return Number(metadata={"description": "a share such as 0.05 or '5%'"})
    if name == "vat_registered":
        return fields.Boolean(truthy={True}, falsy={False}, metadata={
            "description": "the seller is VAT-registered: profit is on the price without its VAT (default true)"})
    return Number()


class CompareFields(ItemFields):
    """quote's arguments plus cost-profile overrides (see feecalc/profiles/us-default.toml)."""

    class Meta(ItemFields.Meta):
        include = {**{name: override_field(name) for name in sorted(OVERRIDES)}, "target_margin": Number(
            metadata={"description": "also return the lowest price for this margin, e.g. 0.2"})}


class CompareQuery(Schema):
    class Meta:
        unknown = RAISE

    curve = fields.Integer(strict=False, validate=validate.Range(min=2, max=2000), metadata={
        "description": "also return the profit chart's points: unit profit per channel at this many prices spread "
                       "from 0.01 to twice the price (or 1.5 x the highest answer), plus each fee step (one item)"})


class CompareItem(CompareFields):
    id = Identifier(required=True)


class CompareRequest(GatedLoad, CompareFields):
    """One item, or {"items": [...]} with an id on each item."""

    item_schema = CompareItem

    items = fields.List(fields.Nested(CompareItem), validate=validate.Length(min=1))

    @validates_schema
    def _shape(self, data, **kwargs):
        QuoteRequest._shape(self, data)
