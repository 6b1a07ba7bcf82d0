"""Cost profiles: a seller's own costs and the channel settings (feecalc/profiles/*.toml), loaded strictly.

A profile holds one marketplace's costs in its currency: the seller's per-unit costs (every one overridable per
call, per spreadsheet column, or with `--set`), the Amazon Professional plan, a carrier rate card for orders the
seller ships, and an own web shop's plan and card fees.  Every figure that is not the seller's own cites its source
and confidence (checked against fee_tables/sources.toml, as tables are); amounts are whole cents, written as TOML
numbers (39 or 39.99) or strings.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, replace
from decimal import Decimal
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

import numpy as np

from .errors import FeecalcError, InvalidItem
from .money import CURRENCY_DIGITS, PPM, percent_to_ppm, to_cents
from .spec import FALSE, TRUE
from .tables import TABLES_DIR, all_tables, check_sources, registry_for
from .tables.schema import PLACEMENTS
from .units import convert_each, fraction_to_float, parse_quantity, quantity_in

PROFILES: Traversable = resources.files("feecalc") / "profiles"  # the bundled cost profiles, checkout or wheel
SELLER_KEYS = {"cost_of_goods", "inbound_per_unit", "inbound_per_kg", "inbound_per_cubic_foot",
               "prep_per_unit", "advertising_percent", "return_rate",
               "cost_per_return", "monthly_units", "days_in_inventory", "packaging_per_order", "labour_per_order",
               "own_storage_per_cubic_foot_month"}
PERCENT_KEYS = ("advertising_percent", "return_rate")  # seller values given as a share: 0.05 or '5%'
ZONES = ("1", "8-9", "average")  # carrier zones of the profile's rate card ('average' derived from the other two)
SHIP_VIA = ("carrier", "mcf")    # how the web shop ships: the profile's carrier, or Amazon's Multi-Channel Fulfillment
AMAZON_KEYS = {"professional_plan_per_month", "placement", "inbound_placement_per_unit"}
SETTINGS = {"zone", "ship_via", "mcf_per_unit", "vat_registered", "placement", "inbound_placement_per_unit"}
OVERRIDES = SELLER_KEYS | SETTINGS

# Upper bounds that keep every per-unit and per-month figure inside int64 cents
MAX_SELLER_AMOUNT = Decimal(1_000_000)  # per unit or per order, in the profile's currency
MAX_UNITS = {"monthly_units": Decimal(10**9), "days_in_inventory": Decimal(100_000)}


@dataclass(frozen=True)
class Carrier:
    """The rate card for parcels the seller ships: bands up to a weight, a price per band and zone."""

    name: str
    bands: tuple[str, ...]          # "4 oz", "1 lb", ...: each band's upper limit, inclusive
    cents: dict[str, tuple[int, ...]]  # zone -> cents per band
    dim_over_cuft: Decimal | None   # above this volume the carrier bills dimensional weight ...
    dim_divisor: int | None         # ... at this divisor (in3 per lb); None: NOT FOUND
    dim_cite: str = ""

    def price(self, zone: str, weight: np.ndarray, weight_units: np.ndarray, volume_cuft: np.ndarray,
              dims_in: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(cents per parcel, why it is unknown or None) for each parcel: the first band whose limit its weight does
        not exceed.  Each limit is compared in its own unit, into which the weight is converted exactly as the
        engine converts (so 1,000 g is in a '1 kg' band and 4 oz in a '4 oz' band, whatever the input unit)."""
        n = len(weight)
        exceeds = np.zeros((n, len(self.bands)), dtype=bool)
        why = np.full(n, None, dtype=object)
        dim_lb = None
        if self.dim_over_cuft is not None:
            over = volume_cuft > float(self.dim_over_cuft)
            if self.dim_divisor is not None:
                dim_lb = np.where(over, np.prod(dims_in, axis=1) / self.dim_divisor, 0.0)
            else:
                why = np.where(over, f"needs input: a carrier rate for this parcel ({self.name} bills dimensional "
                               f"weight above {self.dim_over_cuft} cubic foot [{self.dim_cite}], and the reference "
                               f"gives no divisor)", why)
        for j, band in enumerate(self.bands):
            value, unit = parse_quantity(band)
            exceeds[:, j] = convert_each(weight, weight_units, unit) > fraction_to_float(value)
            if dim_lb is not None:
                exceeds[:, j] |= dim_lb > fraction_to_float(quantity_in(band, "lb"))
        slot = exceeds.sum(axis=1)
        beyond = slot >= len(self.bands)
        last = f"ends at {self.bands[-1]}" if self.bands else "has no bands"
        why = np.where(beyond & (why == None), "needs input: a carrier rate for this weight (the profile's card "  # noqa: E711
                       f"{last})", why)
        rates = np.array(self.cents.get(zone, ()) + (0,), dtype=np.int64)
        return np.where(beyond, 0, rates[np.minimum(slot, len(self.bands))]), why


@dataclass(frozen=True)
class Profile:
    """A seller's costs and channel settings; every value has a unit (see the profile file's comments)."""

    id: str
    currency: str
    seller: dict
    marketplace: str                # the store whose fees, currency and carrier rates the profile holds
    plan_c: int                     # Amazon Professional plan, cents per month
    carrier: Carrier
    zone: str
    shop_plan_c: int
    card_ppm: int
    card_fixed_c: int
    ship_via: str
    mcf_per_unit_c: int | None = None
    vat_registered: bool = True     # the seller pays VAT over on its sales (and Amazon adds none to its fees)
    notes: tuple = field(default_factory=tuple)
    placement: str | None = None    # FBA inbound placement option; None: "optimized" (no fee for 5+ identical cartons)
                                    # where the store's tables have the fee, not assessed where they have none
    inbound_placement_c: int | None = None  # the seller's own inbound placement fee per unit (Seller Central's)

    def with_overrides(self, **values) -> Profile:
        """A copy with seller values or settings replaced (money as numbers or strings, percents as '5%')."""
        unknown = set(values) - OVERRIDES
        if unknown:
            raise InvalidItem(sorted(unknown)[0], values[sorted(unknown)[0]], "is not a profile setting",
                              choices=sorted(OVERRIDES))
        seller = dict(self.seller)
        out = self
        for key, value in values.items():
            if value is None:
                continue
            if key in SELLER_KEYS:
                seller[key] = seller_value(key, value)
            elif key == "zone":
                if str(value) not in ZONES:
                    raise InvalidItem("zone", value, "unknown zone", choices=list(ZONES))
                out = replace(out, zone=str(value))
            elif key == "ship_via":
                if value not in SHIP_VIA:
                    raise InvalidItem("ship_via", value, "unknown shipping", choices=list(SHIP_VIA))
                out = replace(out, ship_via=value)
            elif key == "mcf_per_unit":
                out = replace(out, mcf_per_unit_c=cents(value, key))
            elif key == "vat_registered":
                out = replace(out, vat_registered=_yes_no(key, value))
            elif key == "placement":
                if str(value).strip().lower() not in PLACEMENTS:
                    raise InvalidItem("placement", value, "unknown placement", choices=list(PLACEMENTS))
                out = replace(out, placement=str(value).strip().lower())
            elif key == "inbound_placement_per_unit":
                out = replace(out, inbound_placement_c=cents(value, key))
        return replace(out, seller=seller)

    def values(self) -> dict[str, str | bool | None]:
        """Every overridable value (OVERRIDES) as it would be given: '5%', '6.00', '300', 'average', True; None
        where the profile has none (mcf_per_unit; placement: FBA is then costed at 'optimized' where the store has
        the fee, and says so)."""
        out: dict[str, str | bool | None] = {}
        for key in sorted(SELLER_KEYS):
            value = self.seller[key]
            if key in PERCENT_KEYS:
                out[key] = f"{(Decimal(int(value)) / 10_000).normalize():f}%"
            elif key in MAX_UNITS:
                out[key] = f"{Decimal(value).normalize():f}"
            else:
                out[key] = str(Decimal(int(value)).scaleb(-2))
        mcf = None if self.mcf_per_unit_c is None else str(Decimal(self.mcf_per_unit_c).scaleb(-2))
        placement_fee = None if self.inbound_placement_c is None else str(Decimal(self.inbound_placement_c).scaleb(-2))
        return out | {"zone": self.zone, "ship_via": self.ship_via, "mcf_per_unit": mcf,
                      "vat_registered": self.vat_registered, "placement": self.placement,
                      "inbound_placement_per_unit": placement_fee}


def _yes_no(key: str, value: Any) -> bool:
    if isinstance(value, bool | np.bool_):
        return bool(value)
    text = str(value).strip().lower()
    if text in TRUE or text in FALSE - {""}:
        return text in TRUE
    raise InvalidItem(key, value, "expected true or false")


def cents(value: Any, name: str) -> int:
    """Whole cents of a seller amount such as 2.50 (number or string); anything else is an InvalidItem."""
    try:
        amount = Decimal(str(value))
    except ArithmeticError:
        raise InvalidItem(name, value, "must be an amount such as 2.50") from None
    if not amount.is_finite() or amount < 0 or amount * 100 != (amount * 100).to_integral_value():
        raise InvalidItem(name, value, "must be a non-negative whole number of cents")
    if amount > MAX_SELLER_AMOUNT:
        raise InvalidItem(name, value, f"must be at most {MAX_SELLER_AMOUNT:,}")
    return int(amount * 100)


def fraction_ppm(value: Any, name: str, problem: str) -> int:
    """'5%' or 0.05 as parts per million (exact to 0.0001%); anything else is an InvalidItem with `problem`."""
    text = str(value).strip()
    try:
        return percent_to_ppm(text if text.endswith("%") else f"{Decimal(text) * 100}%")
    except (ValueError, ArithmeticError):
        raise InvalidItem(name, value, problem) from None


def seller_value(key: str, value: Any):
    """One seller value, checked: a share in ppm, a number of units or whole days, or whole cents."""
    if key in PERCENT_KEYS:
        ppm = fraction_ppm(value, key, "must be a percentage such as '5%' or 0.05")
        if not 0 <= ppm <= PPM:
            raise InvalidItem(key, value, "must be between 0% and 100%")
        return ppm
    if key in ("monthly_units", "days_in_inventory"):
        try:
            number = Decimal(str(value))
        except ArithmeticError:
            raise InvalidItem(key, value, "must be a number") from None
        if not number.is_finite() or number < 0 or (key == "monthly_units" and number == 0):
            raise InvalidItem(key, value, "must be greater than zero" if key == "monthly_units" else
                              "must not be negative")
        if key == "days_in_inventory" and number != number.to_integral_value():
            raise InvalidItem(key, value, "must be a whole number of days")
        if number > MAX_UNITS[key]:
            raise InvalidItem(key, value, f"must be at most {MAX_UNITS[key]:,}")
        return number
    return cents(value, key)


def _figure_cents(figure: Any, where: str) -> int:
    """Cents of a profile figure {value = 39.99, source, confidence} or a bare amount; 39 and 39.00 alike."""
    value = figure["value"] if isinstance(figure, dict) else figure
    try:
        return to_cents(Decimal(str(value)))
    except (ArithmeticError, ValueError) as exc:
        raise FeecalcError(f"{where}: expected an amount such as 39.99, got {value!r}") from exc


def _percent(figure: Any, where: str) -> int:
    value = figure["value"] if isinstance(figure, dict) else figure
    try:
        return percent_to_ppm(str(value))
    except (ArithmeticError, ValueError) as exc:
        raise FeecalcError(f"{where}: expected a percentage such as '2.9%', got {value!r}") from exc


def load_profile(path: str | Path | None = None, **overrides) -> Profile:
    """Load a profile file (default: the bundled us-default.toml) and apply overrides; strict on keys."""
    source: Path | Traversable = Path(path) if path else PROFILES / "us-default.toml"
    try:
        raw = tomllib.loads(source.read_text(), parse_float=Decimal)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise FeecalcError(f"{source}: cannot read the profile ({exc})") from exc
    expected = {"id", "marketplace", "currency", "seller", "amazon", "carrier", "web_shop"}
    unknown = set(raw) - expected - {"vat_registered"} | \
        {f"seller.{k}" for k in raw.get("seller", {}) if k not in SELLER_KEYS} | \
        {f"amazon.{k}" for k in raw.get("amazon", {}) if k not in AMAZON_KEYS}
    if unknown or expected - set(raw):
        raise FeecalcError(f"{source}: unknown key(s) {sorted(unknown)} or missing {sorted(expected - set(raw))}")
    if CURRENCY_DIGITS.get(str(raw["currency"]), 2) != 2:  # the comparison's amounts are cents
        raise FeecalcError(f"{source}: a profile in {raw['currency']}, a currency without two decimal places, is not "
                           "supported yet: channel comparisons count in cents")
    cited = check_sources(raw, registry_for(TABLES_DIR))  # the bundled registry: profiles cite channels.md keys
    if cited:
        raise FeecalcError(f"{source}: " + "; ".join(cited))
    try:
        seller = {k: seller_value(k, v) for k, v in raw["seller"].items()}
        vat_registered = _yes_no("vat_registered", raw.get("vat_registered", True))
    except InvalidItem as exc:
        raise FeecalcError(f"{source}: seller.{exc}") from exc
    missing = SELLER_KEYS - set(seller)
    if missing:
        raise FeecalcError(f"{source}: seller is missing {sorted(missing)}")
    carrier, notes = _carrier(raw["carrier"], f"{source}: carrier")
    shop = raw["web_shop"]
    return Profile(
        id=raw["id"], currency=raw["currency"], seller=seller, marketplace=raw["marketplace"],
        plan_c=_figure_cents(raw["amazon"]["professional_plan_per_month"], f"{source}: amazon"),
        carrier=carrier, zone=str(raw["carrier"].get("zone", "average")),
        shop_plan_c=_figure_cents(shop["plan_per_month"], f"{source}: web_shop.plan_per_month"),
        card_ppm=_percent(shop["card_percent"], f"{source}: web_shop.card_percent"),
        card_fixed_c=_figure_cents(shop["card_fixed"], f"{source}: web_shop.card_fixed"),
        ship_via=shop["ship_via"], vat_registered=vat_registered, notes=tuple(notes),
    ).with_overrides(**{**{k: raw["amazon"][k] for k in ("placement", "inbound_placement_per_unit")
                           if k in raw["amazon"]}, **overrides})


def _carrier(section: dict, where: str) -> tuple[Carrier, list[str]]:
    bands = section.get("bands", [])
    try:
        for b in bands:
            quantity_in(b["upto"], "kg")
    except ValueError as exc:
        raise FeecalcError(f"{where}.bands: {exc}") from exc
    rates = {"1": tuple(_figure_cents(b["zone_1"], f"{where}.bands") for b in bands),
             "8-9": tuple(_figure_cents(b["zone_8_9"], f"{where}.bands") for b in bands)}
    rates["average"] = tuple((a + b + 1) // 2 for a, b in zip(rates["1"], rates["8-9"], strict=True))
    dim = section.get("dimensional_weight_over_cubic_feet")
    divisor = section.get("dimensional_weight_divisor")
    carrier = Carrier(section["name"], tuple(str(b["upto"]) for b in bands), rates,
                      None if dim is None else Decimal(str(dim["value"] if isinstance(dim, dict) else dim)),
                      None if divisor is None else int(divisor["value"] if isinstance(divisor, dict) else divisor),
                      f"{dim.get('source')}; confidence {dim.get('confidence')}" if isinstance(dim, dict) else "")
    notes = [f"carrier rates: {section['name']} ({section.get('source')}; confidence {section.get('confidence')}); "
             f"{section.get('note', '')}".rstrip("; ")]
    return carrier, notes


AVERAGE_ZONE_NOTE = "carrier zone 'average' is DERIVED: the mean of the zone 1 and zones 8-9 prices, rounded half up"


def has_placement_fees(marketplace: str) -> bool:
    """Do the marketplace's fee tables hold inbound placement fees (the US), or none (the reference gives none)?"""
    return any(t.data["inbound_placement"] for t in all_tables() if t.marketplace == marketplace)


def effective_placement(profile: Profile) -> str | None:
    """The placement FBA is costed at: the profile's, else Amazon-optimized splits where the store has the fee."""
    if profile.placement is not None:
        return profile.placement
    return "optimized" if has_placement_fees(profile.marketplace) else None


def bundled_profiles() -> dict[str, Profile]:
    """The cost profiles shipped with feecalc (feecalc/profiles/*.toml), by id."""
    profiles = (load_profile(str(entry)) for entry in sorted(PROFILES.iterdir(), key=lambda e: e.name)
                if entry.name.endswith(".toml"))
    return {p.id: p for p in profiles}


def table_units(marketplace: str) -> dict[str, str]:
    """The marketplace's fee-table units (its tables all use the same): blank unit cells mean these."""
    return next((dict(t.data["units"]) for t in all_tables() if t.marketplace == marketplace),
                {"length": "in", "weight": "lb"})

