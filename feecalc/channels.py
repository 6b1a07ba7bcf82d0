"""Channel economics: FBA, seller-fulfilled (MFN) and an own web shop, per item and per catalog.

Amazon's fees come from `cost_frame` (the one engine); the seller's costs and the channel settings
come from a cost profile (feecalc/profiles/*.toml).  Money is int64 cents, each line rounded half up.
Break-even and target-margin prices are the lowest whole-cent prices at which the condition holds,
found exactly (see `lowest_price`), never by a closed formula.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, replace
from decimal import Decimal
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

import numpy as np
import pandas as pd

from .engine import compiled_table, price_breakpoints
from .errors import FeecalcError, InvalidItem
from .fees.base import day_number
from .frame import cost_frame
from .inputs import as_date
from .money import CURRENCY_DIGITS, PPM, half_up_div, percent_to_ppm, to_cents
from .tables import TABLES_DIR, all_tables, category_key, check_sources, registry_for, table_for
from .units import UNIT_ALIASES, convert_each, fraction_to_float, quantity_in

CHANNELS = ("fba", "mfn", "web_shop")
PROFILES: Traversable = resources.files("feecalc") / "profiles"  # the bundled cost profiles, checkout or wheel
SELLER_KEYS = {"cost_of_goods", "inbound_per_unit", "inbound_per_kg", "inbound_per_cubic_foot",
               "prep_per_unit", "advertising_percent", "return_rate",
               "cost_per_return", "monthly_units", "days_in_inventory", "packaging_per_order", "labour_per_order",
               "own_storage_per_cubic_foot_month"}
PERCENT_KEYS = ("advertising_percent", "return_rate")  # seller values given as a share: 0.05 or '5%'
ZONES = ("1", "8-9", "average")  # carrier zones of the profile's rate card ('average' derived from the other two)
SHIP_VIA = ("carrier", "mcf")    # how the web shop ships: the profile's carrier, or Amazon's Multi-Channel Fulfillment
OVERRIDES = SELLER_KEYS | {"zone", "ship_via", "mcf_per_unit"}


@dataclass(frozen=True)
class Profile:
    """A seller's costs and channel settings; every value has a unit (see the profile file's comments)."""

    id: str
    currency: str
    seller: dict
    marketplace: str                # the store whose fees, currency and carrier rates the profile holds
    plan_c: int                     # Amazon Professional plan, cents per month
    carrier_name: str
    carrier_edges: tuple            # lb, ascending
    carrier_c: dict                 # zone -> tuple of cents per band
    zone: str
    shop_plan_c: int
    card_ppm: int
    card_fixed_c: int
    ship_via: str
    mcf_per_unit_c: int | None = None
    notes: tuple = field(default_factory=tuple)

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
                seller[key] = _seller_value(key, value)
            elif key == "zone":
                if str(value) not in ZONES:
                    raise InvalidItem("zone", value, "unknown zone", choices=list(ZONES))
                out = replace(out, zone=str(value))
            elif key == "ship_via":
                if value not in SHIP_VIA:
                    raise InvalidItem("ship_via", value, "unknown shipping", choices=list(SHIP_VIA))
                out = replace(out, ship_via=value)
            elif key == "mcf_per_unit":
                out = replace(out, mcf_per_unit_c=_cents(value, key))
        return replace(out, seller=seller)


# Upper bounds that keep every per-unit and per-month figure inside int64 cents
MAX_SELLER_AMOUNT = Decimal(1_000_000)  # per unit or per order, in the profile's currency
MAX_UNITS = {"monthly_units": Decimal(10**9), "days_in_inventory": Decimal(100_000)}


def _cents(value, name: str) -> int:
    try:
        amount = Decimal(str(value))
    except ArithmeticError:
        raise InvalidItem(name, value, "must be an amount such as 2.50") from None
    if not amount.is_finite() or amount < 0 or amount * 100 != (amount * 100).to_integral_value():
        raise InvalidItem(name, value, "must be a non-negative whole number of cents")
    if amount > MAX_SELLER_AMOUNT:
        raise InvalidItem(name, value, f"must be at most {MAX_SELLER_AMOUNT:,}")
    return int(amount * 100)


def fraction_ppm(value, name: str, problem: str) -> int:
    """'5%' or 0.05 as parts per million (exact to 0.0001%); anything else is an InvalidItem with `problem`."""
    text = str(value).strip()
    try:
        return percent_to_ppm(text if text.endswith("%") else f"{Decimal(text) * 100}%")
    except (ValueError, ArithmeticError):
        raise InvalidItem(name, value, problem) from None


def _seller_value(key: str, value):
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
        if number > MAX_UNITS[key]:
            raise InvalidItem(key, value, f"must be at most {MAX_UNITS[key]:,}")
        return number
    return _cents(value, key)


def load_profile(path: str | Path | None = None, **overrides) -> Profile:
    """Load a profile file (default: the bundled us-default.toml) and apply overrides; strict on keys."""
    source: Path | Traversable = Path(path) if path else PROFILES / "us-default.toml"
    try:
        raw = tomllib.loads(source.read_text(), parse_float=Decimal)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise FeecalcError(f"{source}: cannot read the profile ({exc})") from exc
    expected = {"id", "marketplace", "currency", "seller", "amazon", "carrier", "web_shop"}
    unknown = set(raw) - expected | {f"seller.{k}" for k in raw.get("seller", {}) if k not in SELLER_KEYS}
    if unknown or expected - set(raw):
        raise FeecalcError(f"{source}: unknown key(s) {sorted(unknown)} or missing {sorted(expected - set(raw))}")
    if CURRENCY_DIGITS.get(str(raw["currency"]), 2) != 2:  # the comparison's amounts are cents
        raise FeecalcError(f"{source}: a profile in {raw['currency']}, a currency without two decimal places, is not "
                           "supported yet: channel comparisons count in cents")
    cited = check_sources(raw, registry_for(TABLES_DIR))  # the bundled registry: profiles cite channels.md keys
    if cited:
        raise FeecalcError(f"{source}: " + "; ".join(cited))
    seller = {k: _seller_value(k, v) for k, v in raw["seller"].items()}
    missing = SELLER_KEYS - set(seller)
    if missing:
        raise FeecalcError(f"{source}: seller is missing {sorted(missing)}")
    carrier = raw["carrier"]
    edges = tuple(fraction_to_float(quantity_in(b["upto"], "lb")) for b in carrier["bands"])
    rates = {"1": tuple(to_cents(b["zone_1"]) for b in carrier["bands"]),
             "8-9": tuple(to_cents(b["zone_8_9"]) for b in carrier["bands"])}
    rates["average"] = tuple((a + b + 1) // 2 for a, b in zip(rates["1"], rates["8-9"], strict=True))
    shop = raw["web_shop"]
    notes = [
        f"carrier rates: {carrier['name']} ({carrier['source']}; confidence {carrier['confidence']}); "
        f"{carrier['note']}",
        "carrier zone 'average' is DERIVED: the mean of the zone 1 and zones 8-9 prices, rounded half up",
    ]
    return Profile(
        id=raw["id"], currency=raw["currency"], seller=seller, marketplace=raw["marketplace"],
        plan_c=to_cents(raw["amazon"]["professional_plan_per_month"]["value"]),
        carrier_name=carrier["name"], carrier_edges=edges, carrier_c=rates, zone=str(carrier["zone"]),
        shop_plan_c=to_cents(shop["plan_per_month"]["value"]), card_ppm=percent_to_ppm(shop["card_percent"]["value"]),
        card_fixed_c=to_cents(shop["card_fixed"]["value"]), ship_via=shop["ship_via"], notes=tuple(notes),
    ).with_overrides(**overrides)


# ---- per-channel unit costs (whole-column arithmetic) -------------------------------------------------
def _frame_cents(col: pd.Series) -> np.ndarray:
    arr = col.array._pa_array
    import pyarrow.compute as pc

    return pc.cast(pc.multiply(pc.fill_null(arr, 0), 100), "int64").to_numpy()


def unit_lines(df: pd.DataFrame, profile: Profile, on=None, marketplace: str = "US") -> dict[str, dict]:
    """Per channel: {line: int64 cents per unit}, plus 'reason' (object array, None = available).

    `df` has quote's columns; optional per-row columns override profile seller values."""
    n = len(df)
    markets = set(df["marketplace"].dropna().astype(str)) if "marketplace" in df else {marketplace}
    other = sorted(markets - {profile.marketplace})
    if other:
        raise InvalidItem("marketplace", other[0], f"the cost profile {profile.id!r} holds {profile.marketplace} "
                          f"costs in {profile.currency}; pass a profile for {other[0]} (profile=...)")
    parsed = {k: _column(df, k, profile.seller[k], n) for k in SELLER_KEYS}
    seller = {k: v for k, (v, _) in parsed.items()}
    seller_errors = _join_messages([m for _, m in parsed.values() if m is not None], n)
    days = seller["days_in_inventory"].astype(np.float64)
    fees = cost_frame(df, on=on, marketplace=marketplace)
    price = pd.to_numeric(df["price"], errors="coerce").to_numpy(np.float64)  # a bad price is that row's error
    price_c = np.rint(np.where(np.isfinite(price), price, 0) * 100).astype(np.int64)
    amazon = {k: _frame_cents(fees[k]) for k in ("referral", "closing", "per_item", "fulfillment", "fuel_surcharge",
                                                 "packaging", "storage_monthly")}
    errors = fees["error"].astype(object).where(fees["error"].notna(), None).to_numpy(object)
    if seller_errors is not None:  # a seller cost that does not parse makes the row an error, like a bad input
        errors = np.where(errors == None, seller_errors, errors)  # noqa: E711
    bad = errors != None  # noqa: E711
    unavailable = fees[["referral", "fulfillment", "fuel_surcharge", "storage_monthly"]].isna().to_numpy()
    # blank units mean the marketplace's own (its tables all use the same units)
    units = next((t.data["units"] for t in all_tables() if t.marketplace == profile.marketplace),
                 {"length": "in", "weight": "lb"})
    volume = _volume_cuft(df, units["length"])
    weight = _weight_lb(df, units["weight"])
    common = {
        "cost_of_goods": seller["cost_of_goods"],
        "advertising": half_up_div(price_c * seller["advertising_percent"], PPM),
        "returns": half_up_div(seller["return_rate"] * seller["cost_per_return"], PPM),
    }
    storage_fba = np.floor(amazon["storage_monthly"] * days / 30 + 0.5).astype(np.int64)
    inbound = seller["inbound_per_unit"] + np.floor(
        weight * float(fraction_to_float(quantity_in("1 lb", "kg"))) * seller["inbound_per_kg"]
        + volume * seller["inbound_per_cubic_foot"] + 0.5).astype(np.int64)
    own_storage = np.floor(volume * seller["own_storage_per_cubic_foot_month"] * days / 30 + 0.5).astype(np.int64)
    carrier, carrier_ok = _carrier(profile, weight)
    fba = {"referral": amazon["referral"], "closing": amazon["closing"], "per_item": amazon["per_item"],
           "fulfillment": amazon["fulfillment"], "fuel_surcharge": amazon["fuel_surcharge"],
           "fba_packaging": amazon["packaging"], "storage": storage_fba, "inbound": inbound,
           "prep": seller["prep_per_unit"], **common}
    mfn = {"referral": amazon["referral"], "closing": amazon["closing"], "per_item": amazon["per_item"],
           "shipping": carrier, "packaging": seller["packaging_per_order"], "labour": seller["labour_per_order"],
           "storage": own_storage, **common}
    card = half_up_div(price_c * profile.card_ppm, PPM) + profile.card_fixed_c
    if profile.ship_via == "mcf":
        ship = np.full(n, profile.mcf_per_unit_c or 0, dtype=np.int64)
        shop = {"card": card, "shipping": ship, "storage": storage_fba, "inbound": inbound,
                "prep": seller["prep_per_unit"], **common}
    else:
        shop = {"card": card, "shipping": carrier, "packaging": seller["packaging_per_order"],
                "labour": seller["labour_per_order"], "storage": own_storage, **common}
    reasons = {
        "fba": _reason(errors, bad, unavailable.any(axis=1),
                       ("an Amazon fee is unavailable for the date: " + fees["warnings"].astype(str)).to_numpy(object)),
        "mfn": _reason(errors, bad, fees["referral"].isna().to_numpy() | ~carrier_ok, np.where(
            carrier_ok, "the referral fee is unavailable for the date", "needs input: a carrier rate for this weight "
            f"(the profile's card ends at {profile.carrier_edges[-1]:g} lb)").astype(object)),
        "web_shop": _reason(errors, bad, _shop_missing(profile, carrier_ok, n), np.full(n, _shop_why(profile),
                                                                                      dtype=object)),
    }
    out = {}
    for name, lines in (("fba", fba), ("mfn", mfn), ("web_shop", shop)):
        lines = {k: np.broadcast_to(np.asarray(v, dtype=np.int64), (n,)).copy() for k, v in lines.items()}
        out[name] = {"lines": lines, "reason": reasons[name], "error": errors, "price_c": price_c,
                     "fixed_month_c": profile.plan_c if name != "web_shop" else profile.shop_plan_c,
                     "monthly_units": seller["monthly_units"].astype(np.float64), "days": days,
                     "storage_per_day_c": (amazon["storage_monthly"] if name == "fba" or
                                           (name == "web_shop" and profile.ship_via == "mcf") else
                                           volume * seller["own_storage_per_cubic_foot_month"]) / 30}
    return out


def _shop_missing(profile: Profile, carrier_ok: np.ndarray, n: int) -> np.ndarray:
    if profile.ship_via == "mcf":
        return np.full(n, profile.mcf_per_unit_c is None)
    return ~carrier_ok


def _shop_why(profile: Profile) -> str:
    if profile.ship_via == "mcf":
        return "needs input: mcf_per_unit (US MCF per-unit rates for 2025 and 2026 are NOT FOUND, channels.md 7)"
    return f"needs input: a carrier rate for this weight (the profile's card ends at {profile.carrier_edges[-1]:g} lb)"


def _reason(errors, bad, missing, why) -> np.ndarray:
    return np.where(bad, errors, np.where(missing, why, None)).astype(object)


def _column(df: pd.DataFrame, key: str, default, n: int) -> tuple[np.ndarray, np.ndarray | None]:
    """A seller value per row (blank cells take the profile's), and per-row messages for cells that do not
    parse (None where fine); each distinct value is parsed once."""
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
            values.append(_seller_value(key, u))
            messages.append(None)
        except InvalidItem as exc:
            values.append(default)
            messages.append(str(exc))
    rows = np.array([*values, default], dtype=dtype)[codes]  # code -1 (blank) takes the last: the default
    if all(m is None for m in messages):
        return rows, None
    return rows, np.array([*messages, None], dtype=object)[codes]


def _join_messages(columns: list[np.ndarray], n: int) -> np.ndarray | None:
    """Per row, the messages of several columns joined with '; ' (None where there are none)."""
    if not columns:
        return None
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
    return np.array([UNIT_ALIASES.get(str(u).lower(), default) for u in uniques] + [default], dtype=object)[codes]


def _volume_cuft(df: pd.DataFrame, default: str) -> np.ndarray:
    unit = _unit_codes(df, "dimension_unit", default)
    out = np.ones(len(df))
    for k in ("length", "width", "height"):
        out *= convert_each(pd.to_numeric(df[k]).to_numpy(np.float64), unit, "ft")
    return out


def _weight_lb(df: pd.DataFrame, default: str) -> np.ndarray:
    return convert_each(pd.to_numeric(df["weight"]).to_numpy(np.float64), _unit_codes(df, "weight_unit", default),
                        "lb")


def _carrier(profile: Profile, weight_lb: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    edges = np.array(profile.carrier_edges)
    band = np.searchsorted(edges, np.round(weight_lb, 9), side="left")
    ok = band < len(edges)
    rates = np.array(profile.carrier_c[profile.zone] + (0,), dtype=np.int64)
    return np.where(ok, rates[np.minimum(band, len(edges))], 0), ok


# ---- results -------------------------------------------------------------------------------------------
def summarize(channel: dict, allocate_fixed: bool) -> dict[str, np.ndarray]:
    """Unit cost, profit, margin, ROI and monthly profit (cents or ratios) for one channel."""
    lines = channel["lines"]
    cost = sum(lines.values())
    fixed_share = np.floor(channel["fixed_month_c"] / channel["monthly_units"] + 0.5).astype(np.int64) \
        if allocate_fixed else 0
    profit = channel["price_c"] - cost - fixed_share
    invested = lines["cost_of_goods"] + lines.get("inbound", 0) + lines.get("prep", 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        margin = np.where(channel["price_c"] > 0, profit / channel["price_c"], np.nan)
        roi = np.where(invested > 0, profit / invested, np.nan)
    monthly = np.floor((channel["price_c"] - cost) * channel["monthly_units"] + 0.5).astype(np.int64)
    if allocate_fixed:
        monthly = monthly - channel["fixed_month_c"]
    return {"cost": cost + fixed_share, "fixed_share": np.broadcast_to(fixed_share, cost.shape), "profit": profit,
            "margin": margin, "roi": roi, "monthly_profit": monthly}


def lowest_price(df: pd.DataFrame, profile: Profile, channel: str, target_margin: Decimal = Decimal(0),
                 on=None, marketplace: str = "US", allocate_fixed: bool = True, cap_c: int = 10**9) -> list[int | None]:
    """Per row, the lowest price in cents at which profit >= target_margin x price (None if none below cap_c).

    Profit is linear in price between breakpoints (price-band edges, referral tier edges, the minimum-fee
    crossover), apart from half-up rounding of a few percentage lines (at most a few cents).  Each segment
    is solved linearly, then a window of whole cents around the solution is checked exactly; every check
    runs through the fee engine in one batched call."""
    if not 0 <= target_margin < 1:
        raise InvalidItem("target_margin", target_margin, "must be at least 0 and below 1")
    m_ppm = int(target_margin * PPM)
    rows, seg_a, seg_b = _segments(df, channel, on, marketplace, cap_c)
    probe_b = np.minimum(seg_b, seg_a + 100_000)
    g_a = _gap(df, rows, seg_a, profile, channel, m_ppm, on, marketplace, allocate_fixed)
    g_b = _gap(df, rows, probe_b, profile, channel, m_ppm, on, marketplace, allocate_fixed)
    with np.errstate(invalid="ignore"):  # -inf where a price is not quotable: no slope, nothing found there
        slope = np.nan_to_num(np.where(probe_b > seg_a, (g_b - g_a) / np.maximum(probe_b - seg_a, 1), 0.0))
    # where the segment's start already holds, it is the answer; else a window of whole cents around the
    # linear solution (wide enough for the half-up rounding of the percentage lines)
    rising = (slope > 0) & np.isfinite(g_a)
    with np.errstate(divide="ignore", invalid="ignore"):
        centre = np.where(rising, seg_a + np.ceil(-g_a / np.where(rising, slope, 1)), seg_a)
        window = np.where(rising, np.ceil(4 * PPM / np.maximum(slope, 1.0)) + 3, 20)
    holds = g_a >= 0
    lo = np.where(holds, seg_a, np.maximum(seg_a, centre - window)).astype(np.int64)
    hi = np.where(holds, seg_a, np.minimum(seg_b, centre + window)).astype(np.int64)
    counts = np.maximum(hi - lo + 1, 0)
    cand_rows = np.repeat(rows, counts)
    cand_p = np.repeat(lo, counts) + (np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts))
    best = np.full(len(df), np.iinfo(np.int64).max)
    if len(cand_p):
        ok = _gap(df, cand_rows, cand_p, profile, channel, m_ppm, on, marketplace, allocate_fixed) >= 0
        np.minimum.at(best, cand_rows[ok], cand_p[ok])
    return [None if b == np.iinfo(np.int64).max else int(b) for b in best.tolist()]


def _segments(df: pd.DataFrame, channel: str, on, marketplace: str, cap_c: int):
    """(row, first cent, last cent) of every piece between breakpoints, for every row (last piece open to cap_c)."""
    keys = pd.Series(list(zip(df["category"].astype(str), _extra_cents(df), strict=True)))
    codes, uniques = pd.factorize(keys)
    pieces = []
    for code, points in enumerate(_breakpoints(uniques, channel, on, marketplace)):  # one per distinct group
        cuts = np.array(sorted({p for p in points if 1 <= p < cap_c} | {1}), dtype=np.int64)
        members = np.flatnonzero(codes == code)
        pieces.append((np.repeat(members, len(cuts)), np.tile(cuts, len(members)),
                       np.tile(np.append(cuts[1:], cap_c) - 1, len(members))))
    rows, a, b = (np.concatenate(part) for part in zip(*pieces, strict=True))
    return rows, a, b


def _extra_cents(df: pd.DataFrame) -> np.ndarray:
    extra = np.zeros(len(df), dtype=np.int64)
    for k in ("shipping", "gift_wrap"):
        if k in df.columns:
            extra += np.rint(pd.to_numeric(df[k]).fillna(0).to_numpy(np.float64) * 100).astype(np.int64)
    return extra


def _gap(df, rows, prices_c, profile, channel, m_ppm, on, marketplace, allocate_fixed) -> np.ndarray:
    """(profit - target x price) in millionths of a cent, for df rows `rows` at `prices_c`; -inf if unavailable."""
    items = df.iloc[rows].reset_index(drop=True).copy()
    items["price"] = prices_c / 100
    ch = unit_lines(items, profile, on=on, marketplace=marketplace)[channel]
    res = summarize(ch, allocate_fixed)
    gap = res["profit"].astype(np.float64) * PPM - m_ppm * prices_c.astype(np.float64)
    return np.where(pd.isna(ch["reason"]), gap, -np.inf)


def _breakpoints(groups, channel: str, on, marketplace: str) -> list[set[int]]:
    """Prices (cents) where the fee structure changes, for each distinct (category, shipping + gift wrap)."""
    if channel == "web_shop":  # no Amazon fee in a web shop's price
        return [set() for _ in groups]
    t = compiled_table(table_for(marketplace, as_date(on)))
    period = int(t.frame.periods.of(np.array([day_number(as_date(on))]))[0])
    out = []
    for cat, extra in groups:
        ci = t.frame.categories.lookup.get(category_key(cat))
        out.append(t.fulfillment.price_bands.breakpoints() if ci is None else
                   price_breakpoints(t, period, ci, int(extra)))
    return out
