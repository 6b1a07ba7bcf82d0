"""Channel economics: the revenue and cost lines of one unit sold through FBA, seller-fulfilled (MFN) or an own web
shop, per item and per catalog.  This is the formula, line by line ("How profit is computed" in docs/channels.md
says the same); money is int64 cents, each line rounded once, half up.

Revenue (every channel): what the buyer pays, item price + shipping + gift wrap, less the VAT it contains where the
store's fee table has VAT and the profile's seller is VAT-registered (`vat_registered`, default true), since that
VAT is paid over to the tax office.  Prices are VAT-inclusive where the store has VAT (uk-de.md 1, 8).

Amazon's lines come from the one engine (`cost_frame`), never from a formula here:
* FBA: referral, closing, per_item (Individual plan only), fulfillment, sipp_discount, overmax_handling,
  fuel_surcharge, fba_packaging, low_inventory_level (when days of supply are given), the
  digital_services_fee on them; inbound_placement at the row's or the profile's `placement` (default "optimized":
  Amazon's no-fee option for five or more identical cartons), or the seller's own `inbound_placement_per_unit`;
  returns_processing at the profile's `return_rate`; and, for the days in inventory (`stay`), storage month by
  month, the storage utilisation surcharge (when a ratio is given) and the aged-inventory surcharge at each 15th, or
  a removal order where that is cheaper;
* MFN: referral, closing, per_item and the digital_services_fee on those selling fees alone;
* web shop shipping by Multi-Channel Fulfillment: the same storage-type lines as FBA (the stock is in Amazon's
  fulfilment centres); by carrier: none.
* vat_on_fees, for a seller who is not VAT-registered in a store with VAT: Amazon adds VAT at the seller's
  country's rate to its fees when no VAT number is given (uk-de.md 8.2, EU-25); the table's rate is used for a
  seller established in the store's country, and the line is unknown for one established elsewhere.

Profile lines (feecalc/profiles/*.toml, overridable per call or per spreadsheet column): cost_of_goods; inbound
(per unit + per kg + per cubic foot, FBA and MCF); prep (FBA and MCF); advertising (% of the item price); returns
(return rate x cost per return); shipping (the carrier's card by weight, MFN and web shop; or `mcf_per_unit`);
packaging and labour per order (MFN and carrier-shipped web shop); own storage (per cubic foot per 30 days, for
stock the seller keeps); card (the shop's % of everything the buyer pays + a fixed fee per order).

Fixed monthly costs: the Amazon Professional plan (FBA and MFN; the Individual plan has none, it pays `per_item`
instead) and the shop's plan (web shop).  One item's comparison spreads them over its monthly units (`plan_share`);
a portfolio charges each once.

unit profit = revenue - every line - plan share; margin = unit profit / revenue; ROI = unit profit / (cost of goods
+ inbound + prep); monthly profit = (revenue - every line) x monthly units - the fixed monthly costs.

A line that is unavailable (a figure NOT FOUND, no fee table for a month of the stay, a carrier rate the profile does
not have) makes the channel unavailable, with the reason: never a zero.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import numpy as np
import pandas as pd
import pyarrow.compute as pc

from .costprofile import (
    OVERRIDES,
    PERCENT_KEYS,
    PROFILES,
    SELLER_KEYS,
    SHIP_VIA,
    ZONES,
    Profile,
    effective_placement,
    fraction_ppm,
    load_profile,
    seller_value,
    table_units,
)
from .engine import compiled_table
from .errors import FeecalcError, InvalidItem
from .frame import cost_frame
from .inputs import as_date
from .money import PPM, half_up_div
from .spec import is_blank
from .stay import Stay, stay_lines
from .tables import table_for
from .units import UNIT_ALIASES, convert_each

__all__ = ["CHANNELS", "OVERRIDES", "PERCENT_KEYS", "PROFILES", "SHIP_VIA", "ZONES", "Basis", "Profile", "basis",
           "fraction_ppm", "lines_at", "load_profile", "summarize", "unit_lines"]

CHANNELS = ("fba", "mfn", "web_shop")
FBA_FEES = ("referral", "closing", "per_item", "fulfillment", "sipp_discount", "overmax_handling", "fuel_surcharge",
            "packaging", "low_inventory_level", "digital_services_fee",
            "inbound_placement", "returns_processing")
# FBA's Amazon lines by their channel names (the engine's `packaging` is `fba_packaging` beside MFN's own packaging)
FBA_LINES = {"referral": "referral", "closing": "closing", "per_item": "per_item", "fulfillment": "fulfillment",
             "sipp_discount": "sipp_discount", "overmax_handling": "overmax_handling",
             "fuel_surcharge": "fuel_surcharge", "fba_packaging": "packaging",
             "low_inventory_level": "low_inventory_level",
             "digital_services_fee": "digital_services_fee", "inbound_placement": "inbound_placement",
             "returns_processing": "returns_processing"}
MFN_FEES = ("referral", "closing", "per_item", "dsf_on_selling_fees")
STAY_LINES = ("storage", "storage_utilization", "aged_inventory")
INVESTED = ("cost_of_goods", "inbound", "prep")  # what ROI divides by
NONE = np.array(None, dtype=object)  # a missing reason in an object array (np.where(mask, NONE, texts))


@dataclass(frozen=True)
class Basis:
    """Per row, everything of the economics that does not depend on the price: the seller's values, the carrier's
    price, the stay's storage-type lines, and why a channel cannot be costed whatever the price (None: it can)."""

    items: pd.DataFrame               # the rows, index 0..n-1
    profile: Profile
    on: object
    marketplace: str
    seller: dict[str, np.ndarray]
    errors: np.ndarray                # object: a seller value that does not parse (the row's error), else None
    extra_c: np.ndarray               # shipping + gift wrap the buyer pays, cents
    individual: np.ndarray            # bool: Individual selling plan (per-item fee, no subscription)
    stay: Stay
    carrier_c: np.ndarray
    own_storage_c: np.ndarray
    own_storage_per_day: np.ndarray   # float cents: own storage for one day (the rate is per 30 days)
    inbound_c: np.ndarray
    fee_vat_ppm: np.ndarray           # VAT Amazon adds to its fees (0: none)
    needs: dict[str, np.ndarray]      # channel -> object: why it cannot be costed at any price (None: it can)

    @property
    def n(self) -> int:
        return len(self.items)

    def fixed_month_c(self, channel: str) -> np.ndarray:
        """The channel's fixed monthly cost per row: the Professional plan (none on the Individual plan), or the
        shop's plan."""
        if channel == "web_shop":
            return np.full(self.n, self.profile.shop_plan_c, dtype=np.int64)
        return np.where(self.individual, 0, self.profile.plan_c).astype(np.int64)


def basis(df: pd.DataFrame, profile: Profile, on=None, marketplace: str = "US") -> Basis:
    """The price-independent part of every row's economics (`df` has quote's columns and optional seller columns,
    which override the profile's values row by row; a blank seller cell is that row's error)."""
    items = df.reset_index(drop=True)
    n = len(items)
    markets = set(items["marketplace"].dropna().astype(str).str.upper()) if "marketplace" in items else set()
    other = sorted((markets or {marketplace.upper()}) - {profile.marketplace})
    if other:
        raise InvalidItem("marketplace", other[0], f"the cost profile {profile.id!r} holds {profile.marketplace} "
                          f"costs in {profile.currency}; pass a profile for {other[0]} (profile=...)")
    parsed = {k: _column(items, k, profile.seller[k], n) for k in SELLER_KEYS}
    seller = {k: v for k, (v, _) in parsed.items()}
    errors = _join_messages([m for _, m in parsed.values() if m is not None], n)
    units = table_units(profile.marketplace)
    weight_units = _unit_codes(items, "weight_unit", units["weight"])
    weight = _numbers(items, "weight")
    dims_in = np.stack([convert_each(_numbers(items, k), _unit_codes(items, "dimension_unit", units["length"]), "in")
                        for k in ("length", "width", "height")], axis=1)
    volume = np.prod(dims_in, axis=1) / 1728.0  # cubic feet
    weight_kg = convert_each(weight, weight_units, "kg")
    days = seller["days_in_inventory"].astype(np.int64)
    stay = stay_lines(items, days, on=on, marketplace=marketplace)
    carrier_c, carrier_why = profile.carrier.price(profile.zone, weight, weight_units, volume, dims_in)
    inbound = seller["inbound_per_unit"] + np.floor(
        weight_kg * seller["inbound_per_kg"] + volume * seller["inbound_per_cubic_foot"] + 0.5).astype(np.int64)
    own_per_day = volume * seller["own_storage_per_cubic_foot_month"] / 30
    own_storage = np.floor(own_per_day * days + 0.5).astype(np.int64)
    fee_vat_ppm, fee_vat_why = _fee_vat(items, profile, on, marketplace)
    stay_why = _first([stay.reason[k] for k in STAY_LINES])
    if profile.ship_via == "mcf":
        shop_why = _first([np.full(n, None if profile.mcf_per_unit_c is not None else
                                   "needs input: mcf_per_unit (US MCF per-unit rates for 2025 and 2026 are NOT FOUND, "
                                   "channels.md 7)", dtype=object), stay_why, fee_vat_why])
    else:
        shop_why = carrier_why
    needs = {"fba": _first([stay_why, fee_vat_why]), "mfn": _first([carrier_why, fee_vat_why]), "web_shop": shop_why}
    plan = items["plan"].astype(str).str.strip().str.lower().to_numpy() if "plan" in items else np.full(n, "")
    return Basis(items, profile, on, marketplace, seller, errors, _extra_cents(items), plan == "individual", stay,
                 carrier_c, own_storage, own_per_day, inbound, fee_vat_ppm, needs)


def lines_at(b: Basis, rows: np.ndarray | None = None, prices_c: np.ndarray | None = None) -> dict[str, dict]:
    """Per channel, each line in cents per unit for rows `rows` of the basis at prices `prices_c` (default: every
    row at its own price), with revenue, and why the channel is unavailable there (None: it is not)."""
    rows = np.arange(b.n) if rows is None else np.asarray(rows)
    items = b.items.iloc[rows].reset_index(drop=True)
    if prices_c is not None:
        items["price"] = np.asarray(prices_c) / 100
    items = _fba_inputs(items, b, rows)
    fees = cost_frame(items, on=b.on, marketplace=b.marketplace,
                      extra=("vat_in_price", "dsf_on_selling_fees", "reasons"))
    price_c = np.asarray(prices_c, dtype=np.int64) if prices_c is not None else _price_cents(items)
    amazon = {k: _frame_cents(fees[k]) for k in (*FBA_FEES, "dsf_on_selling_fees", "vat_in_price")}
    own_placement = b.profile.inbound_placement_c
    if own_placement is not None:  # the figure Seller Central showed the seller, instead of the table's range
        amazon["inbound_placement"] = np.full(len(rows), own_placement, dtype=np.int64)
    error = fees["error"].to_numpy(object)
    seller_error = b.errors[rows]
    error = np.where(pd.isna(error), seller_error, error).astype(object)
    error = np.where(pd.isna(error), NONE, error).astype(object)
    seller = {k: v[rows] for k, v in b.seller.items()}
    sales = price_c + b.extra_c[rows]
    vat = amazon["vat_in_price"] if b.profile.vat_registered else np.zeros(len(rows), dtype=np.int64)
    stay = {k: b.stay.cents[k][rows] for k in STAY_LINES}
    common = {
        "cost_of_goods": seller["cost_of_goods"],
        "advertising": half_up_div(price_c * seller["advertising_percent"], PPM),
        "returns": half_up_div(seller["return_rate"] * seller["cost_per_return"], PPM),
    }
    fee_vat = b.fee_vat_ppm[rows]
    fba = {**{line: amazon[fee] for line, fee in FBA_LINES.items()}, **stay}
    mfn = {"referral": amazon["referral"], "closing": amazon["closing"], "per_item": amazon["per_item"],
           "digital_services_fee": amazon["dsf_on_selling_fees"]}
    card = half_up_div(sales * b.profile.card_ppm, PPM) + b.profile.card_fixed_c
    mcf = b.profile.ship_via == "mcf"
    shop: dict[str, np.ndarray] = {"card": card}
    shop_amazon = dict(stay) if mcf else {}
    if not b.profile.vat_registered and b.fee_vat_ppm.any():
        fba["vat_on_fees"] = half_up_div(sum(fba.values()) * fee_vat, PPM)
        mfn["vat_on_fees"] = half_up_div(sum(mfn.values()) * fee_vat, PPM)
        if mcf:
            shop_amazon["vat_on_fees"] = half_up_div(sum(shop_amazon.values()) * fee_vat, PPM)
    fba |= {"inbound": b.inbound_c[rows], "prep": seller["prep_per_unit"], **common}
    mfn |= {"shipping": b.carrier_c[rows], "packaging": seller["packaging_per_order"],
            "labour": seller["labour_per_order"], "storage": b.own_storage_c[rows], **common}
    if mcf:
        shop |= {"shipping": np.full(len(rows), b.profile.mcf_per_unit_c or 0, dtype=np.int64), **shop_amazon,
                 "inbound": b.inbound_c[rows], "prep": seller["prep_per_unit"], **common}
    else:
        shop |= {"shipping": b.carrier_c[rows], "packaging": seller["packaging_per_order"],
                 "labour": seller["labour_per_order"], "storage": b.own_storage_c[rows], **common}
    fba_checked = tuple(k for k in FBA_FEES if not (k == "inbound_placement" and own_placement is not None))
    why = {"fba": _amazon_why(fees, fba_checked), "mfn": _amazon_why(fees, ("referral", "closing", "per_item")),
           "web_shop": np.full(len(rows), None, dtype=object)}
    out = {}
    for name, lines in (("fba", fba), ("mfn", mfn), ("web_shop", shop)):
        out[name] = {"lines": {k: np.broadcast_to(np.asarray(v, dtype=np.int64), (len(rows),)).copy()
                               for k, v in lines.items()},
                     "reason": _first([error, b.needs[name][rows], why[name]]),
                     "reason_at_price": _first([error, why[name]]),  # leaving out what holds at any price (needs)
                     "error": error, "price_c": price_c, "sales_c": sales, "vat_c": vat,
                     "revenue_c": sales - vat, "fixed_month_c": b.fixed_month_c(name)[rows],
                     "monthly_units": seller["monthly_units"].astype(np.float64)}
    return out


def unit_lines(df: pd.DataFrame, profile: Profile, on=None, marketplace: str = "US") -> dict[str, dict]:
    """Per channel, every line of every row at its own price (`basis` then `lines_at`)."""
    return lines_at(basis(df, profile, on=on, marketplace=marketplace))


def summarize(channel: dict, allocate_fixed: bool) -> dict[str, np.ndarray]:
    """Unit cost, profit, margin, ROI and monthly profit (cents or ratios) for one channel; `allocate_fixed` spreads
    the fixed monthly cost over the monthly units (one item) instead of leaving it to the portfolio."""
    lines = channel["lines"]
    cost = np.asarray(sum(lines.values()), dtype=np.int64)
    revenue = channel["revenue_c"]
    fixed_share = np.floor(channel["fixed_month_c"] / channel["monthly_units"] + 0.5).astype(np.int64) \
        if allocate_fixed else np.zeros(len(cost), dtype=np.int64)
    profit = revenue - cost - fixed_share
    invested = sum(lines.get(k, 0) for k in INVESTED)
    with np.errstate(divide="ignore", invalid="ignore"):
        margin = np.where(revenue > 0, profit / np.where(revenue > 0, revenue, 1), np.nan)
        roi = np.where(np.asarray(invested) > 0, profit / np.maximum(invested, 1), np.nan)
    monthly = np.floor((revenue - cost) * channel["monthly_units"] + 0.5).astype(np.int64)
    if allocate_fixed:
        monthly = monthly - channel["fixed_month_c"]
    return {"cost": cost + fixed_share, "fixed_share": fixed_share, "profit": profit, "margin": margin, "roi": roi,
            "monthly_profit": monthly}


# ---- helpers ----------------------------------------------------------------------------------------------------
def _fba_inputs(items: pd.DataFrame, b: Basis, rows: np.ndarray) -> pd.DataFrame:
    """The engine inputs FBA's extra lines take from the seller: the row's `placement`, else the profile's; the
    return rate of the row or the profile (returns processing)."""
    placement = items["placement"] if "placement" in items else pd.Series([None] * len(items), dtype=object)
    given = placement.notna() & (placement.astype(str).str.strip() != "")
    items["placement"] = placement.where(given, effective_placement(b.profile)).to_numpy(object)
    items["return_rate"] = b.seller["return_rate"][rows] / PPM
    return items



def _first(reasons: list[np.ndarray]) -> np.ndarray:
    """Per row, the first reason that is not None."""
    out = np.asarray(reasons[0], dtype=object).copy()
    for more in reasons[1:]:
        out = np.where(pd.isna(out), np.asarray(more, dtype=object), out)
    return np.where(pd.isna(out), NONE, out).astype(object)


def _amazon_why(fees: pd.DataFrame, names: tuple[str, ...]) -> np.ndarray:
    """Per row, '<fee> unavailable: <reason>' for the first of `names` that is unavailable (None: none is)."""
    out = np.full(len(fees), None, dtype=object)
    for name in reversed(names):
        missing = fees[name].isna().to_numpy()
        if missing.any():
            why = pd.Series(fees[f"unavailable_{name}"].to_numpy(object), dtype=object)
            out = np.where(missing, (f"{name} unavailable: " + why.astype(str)).to_numpy(object), out)
    return np.where(fees["error"].notna().to_numpy(), NONE, out).astype(object)


def _fee_vat(items: pd.DataFrame, profile: Profile, on, marketplace: str) -> tuple[np.ndarray, np.ndarray]:
    """(VAT rate Amazon adds to its fees in ppm, why it is unknown) per row: none for a VAT-registered seller or a
    store without VAT; the store's rate for a seller established in the store's country (uk-de.md 8.2)."""
    n = len(items)
    zero, none = np.zeros(n, dtype=np.int64), np.full(n, None, dtype=object)
    if profile.vat_registered:
        return zero, none
    try:
        ppm = compiled_table(table_for(profile.marketplace, as_date(on))).vat.ppm
    except FeecalcError:  # no table for the date: every row is that error in the costing
        return zero, none
    if not ppm:
        return zero, none
    country = items["seller_country"].astype(object) if "seller_country" in items else pd.Series([None] * n)
    code = country.where(country.notna(), None).map(lambda c: None if is_blank(c) else str(c).strip().upper())
    home = code.isna() | code.isin([profile.marketplace, "GB" if profile.marketplace == "UK" else ""])
    why = np.where(home.to_numpy(), NONE, "VAT on Amazon's fees: a seller without a VAT number pays it at the rate "
                   "of its own country (uk-de.md 8.2), which this store's table does not hold: set "
                   "vat_registered=true or use a profile for your country").astype(object)
    return np.full(n, ppm, dtype=np.int64), why


def _column(df: pd.DataFrame, key: str, default, n: int) -> tuple[np.ndarray, np.ndarray | None]:
    """A seller value per row (the profile's where the frame has no such column), and per-row messages for cells
    that are blank or do not parse (None where fine); each distinct value is parsed once."""
    dtype = np.float64 if isinstance(default, Decimal) else np.int64
    if key not in df.columns:
        return np.full(n, default, dtype=dtype), None
    raw = df[key].astype(object)
    blank = raw.isna() | (raw.astype(str).str.strip() == "")
    codes, uniques = pd.factorize(raw.where(~blank, None), use_na_sentinel=True)
    values: list = []
    messages: list[str | None] = []
    for u in uniques:
        try:
            values.append(seller_value(key, u))
            messages.append(None)
        except InvalidItem as exc:
            values.append(default)
            messages.append(str(exc))
    empty = f"{key}: empty cell (give a value, or leave the column out to use the profile's)"
    rows = np.array([*values, default], dtype=dtype)[codes]  # code -1 (blank): the default, with its error
    message_of = np.array([*messages, empty], dtype=object)[codes]
    if all(m is None for m in messages) and not blank.any():
        return rows, None
    return rows, message_of


def _join_messages(columns: list[np.ndarray], n: int) -> np.ndarray:
    """Per row, the messages of several columns joined with '; ' (None where there are none)."""
    if not columns:
        return np.full(n, None, dtype=object)
    out = pd.Series(pd.NA, index=range(n), dtype="string")
    for messages in columns:
        more = pd.Series(messages, dtype="string")
        out = (out + "; " + more).fillna(out).fillna(more)
    return out.astype(object).where(out.notna(), None).to_numpy(object)


def _unit_codes(df: pd.DataFrame, column: str, default: str) -> np.ndarray:
    """Each row's unit code from its unit cell (a blank or unknown cell: the marketplace's own unit)."""
    if column not in df.columns:
        return np.full(len(df), default, dtype=object)
    codes, uniques = pd.factorize(df[column])  # a blank cell has code -1: the last entry below
    return np.array([UNIT_ALIASES.get(str(u).strip().lower(), default) for u in uniques] + [default],
                    dtype=object)[codes]


def _numbers(df: pd.DataFrame, column: str) -> np.ndarray:
    """A column as float64 (what does not parse is NaN: the row's error in the costing)."""
    return pd.to_numeric(df[column], errors="coerce").to_numpy(np.float64)


def _extra_cents(df: pd.DataFrame) -> np.ndarray:
    """Shipping + gift wrap the buyer pays, in cents (a bad cell counts 0: the row's error in the costing)."""
    extra = np.zeros(len(df), dtype=np.int64)
    for k in ("shipping", "gift_wrap"):
        if k in df.columns:
            value = pd.to_numeric(df[k], errors="coerce").to_numpy(np.float64)
            extra += np.rint(np.where(np.isfinite(value) & (value >= 0) & (value < 1e12), value, 0) * 100) \
                .astype(np.int64)
    return extra


def _price_cents(df: pd.DataFrame) -> np.ndarray:
    price = pd.to_numeric(df["price"], errors="coerce").to_numpy(np.float64)
    return np.rint(np.where(np.isfinite(price) & (np.abs(price) < 1e12), price, 0) * 100).astype(np.int64)


def _frame_cents(col: pd.Series) -> np.ndarray:
    """int64 cents of an exact decimal column of cost_frame (0 where null: such rows carry a reason)."""
    arr = col.array._pa_array
    return pc.cast(pc.multiply(pc.fill_null(arr, 0), 100), "int64").to_numpy()

