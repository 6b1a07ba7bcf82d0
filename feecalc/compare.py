"""`compare` (one item) and `compare_frame` (a catalog): which channel earns more, and at what prices it pays.

The lines and the formula are those of `feecalc.channels` (its docstring, and "How profit is computed" in
docs/channels.md); break-even and target prices come from `feecalc.breakeven`, with the price ranges where they are
unknown and the windows above them where the channel falls short.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from decimal import Decimal

import numpy as np
import pandas as pd

from .breakeven import Prices, search
from .channels import CHANNELS, FBA_LINES, STAY_LINES, Basis, basis, lines_at, summarize
from .costprofile import AVERAGE_ZONE_NOTE, OVERRIDES, Profile, effective_placement, fraction_ppm, load_profile
from .errors import InvalidItem
from .money import PPM, cents_to_decimal, cents_to_series, half_up_div
from .quote import Quote, quote_many
from .spec import INPUTS
from .stay import stay_curve

ZERO = Decimal(0)
NAMES = {"fba": "FBA", "mfn": "seller-fulfilled (MFN)", "web_shop": "own web shop"}
HORIZON_DAYS = 3 * 365  # how far `changes` looks for the days in inventory at which the runner-up wins
Range = tuple[Decimal, Decimal]


@dataclass(frozen=True)
class PriceAnswer:
    """Where a channel reaches a margin, over whole-cent prices: the exact lowest price (None where unknown prices
    lie below it, or none holds), the lowest price known to hold, a lower bound where unknown prices lie below it,
    the unknown price ranges and the ranges above the answer that fall short, up to `ceiling`."""

    margin: Decimal
    exact: Decimal | None
    first_known: Decimal | None
    at_least: Decimal | None
    unknown_ranges: list[Range]
    short_ranges: list[Range]
    ceiling: Decimal | None
    note: str | None = None  # where the answer is only a bound, why

    @classmethod
    def of(cls, margin: Decimal, prices: Prices, row: int) -> PriceAnswer:
        p = prices.of(row)
        return cls(margin, p["exact"], p["first_known"], p["at_least"], p["unknown"], p["short"], p["ceiling"])

    def text(self) -> str:
        """'13.91', or 'at least 11.01 (unknown from 11.01 to 20.00; 20.01 holds)', or 'none below ...'."""
        if self.note is not None:
            return f"at least {self.at_least} ({self.note})" if self.at_least is not None else f"unknown ({self.note})"
        if self.exact is not None:
            out = str(self.exact)
        elif self.at_least is not None:
            holds = f"; {self.first_known} holds" if self.first_known is not None else ""
            out = f"at least {self.at_least} ({_ranges('unknown', self.unknown_ranges)}{holds})"
        else:
            out = "none"
        if self.short_ranges:
            out += f"; {'loss' if self.margin == 0 else 'below target'} " + _ranges("", self.short_ranges).strip()
        if self.exact is not None and self.unknown_ranges:
            out += f"; {_ranges('unknown', self.unknown_ranges)}"
        return out

    def to_dict(self) -> dict:
        money = lambda v: None if v is None else str(v)  # noqa: E731
        return {"margin": str(self.margin), "exact": money(self.exact), "first_known": money(self.first_known),
                "at_least": money(self.at_least), "ceiling": money(self.ceiling),
                "unknown_ranges": [[str(a), str(b)] for a, b in self.unknown_ranges],
                "short_ranges": [[str(a), str(b)] for a, b in self.short_ranges], "note": self.note}


def _ranges(label: str, ranges: list[Range]) -> str:
    return (label + " " if label else " ") + ", ".join(f"{a}-{b}" if a != b else f"{a}" for a, b in ranges)


@dataclass(frozen=True)
class ChannelResult:
    """One channel's economics for one item (money as Decimal; None where the channel is unavailable)."""

    channel: str
    available: bool
    reason: str | None
    revenue: dict[str, Decimal]          # sales (what the buyer pays), vat (paid over), revenue (what remains)
    lines: dict[str, Decimal]            # every cost line, plan_share last
    sources: dict[str, str]              # where each line comes from
    cost: Decimal | None
    profit: Decimal | None
    margin: Decimal | None               # profit / revenue
    roi: Decimal | None                  # profit / (cost of goods + inbound + prep)
    monthly_profit: Decimal | None
    break_even_prices: PriceAnswer | None
    target_prices: PriceAnswer | None = None
    profit_at_most: Decimal | None = None  # where unavailable for lack of a cost line: profit without it, a bound
    notes: list[str] = field(default_factory=list)

    @property
    def break_even(self) -> Decimal | None:
        """The exact break-even price (None where unknown prices lie below it, or no price breaks even)."""
        return self.break_even_prices.exact if self.break_even_prices else None

    @property
    def break_even_at_least(self) -> Decimal | None:
        return self.break_even_prices.at_least if self.break_even_prices else None

    @property
    def unknown_ranges(self) -> list[Range]:
        return self.break_even_prices.unknown_ranges if self.break_even_prices else []

    @property
    def loss_windows(self) -> list[Range]:
        """Price ranges above the break-even (up to its ceiling) at which the channel loses money."""
        return self.break_even_prices.short_ranges if self.break_even_prices else []

    @property
    def target_price(self) -> Decimal | None:
        return self.target_prices.exact if self.target_prices else None

    def to_dict(self) -> dict:
        money = lambda v: None if v is None else str(v)  # noqa: E731
        be, tp = self.break_even_prices, self.target_prices
        return {"channel": self.channel, "available": self.available, "reason": self.reason,
                "revenue": {k: str(v) for k, v in self.revenue.items()},
                "lines": {k: str(v) for k, v in self.lines.items()}, "sources": dict(self.sources),
                "cost": money(self.cost), "profit": money(self.profit), "margin": money(self.margin),
                "roi": money(self.roi), "monthly_profit": money(self.monthly_profit),
                "break_even": money(self.break_even), "break_even_at_least": money(self.break_even_at_least),
                "unknown_ranges": [[str(a), str(b)] for a, b in self.unknown_ranges],
                "loss_windows": [[str(a), str(b)] for a, b in self.loss_windows],
                "target_price": money(self.target_price),
                "break_even_prices": be.to_dict() if be else None, "target_prices": tp.to_dict() if tp else None,
                "profit_at_most": money(self.profit_at_most), "notes": list(self.notes)}


@dataclass(frozen=True)
class Comparison:
    """The channels side by side, the best one, and what would change the answer."""

    currency: str
    price: Decimal
    channels: dict[str, ChannelResult]
    best: str | None
    wins_by: Decimal | None
    wins_by_month: Decimal | None
    changes: list[str]
    notes: list[str]

    def to_dict(self) -> dict:
        return {"currency": self.currency, "price": str(self.price), "best": self.best,
                "wins_by": None if self.wins_by is None else str(self.wins_by),
                "wins_by_month": None if self.wins_by_month is None else str(self.wins_by_month),
                "changes": list(self.changes), "notes": list(self.notes),
                "channels": {k: v.to_dict() for k, v in self.channels.items()}}

    def explain(self) -> str:
        """Each channel: profit, margin and ROI as percentages, the price answers, then every line and its source."""
        out = [f"price {self.price} {self.currency}"]
        for name, r in self.channels.items():
            head = f"{NAMES[name]}: " + (f"profit {r.profit} per unit (margin {_percent(r.margin)}, ROI "
                                         f"{_percent(r.roi)}), {r.monthly_profit} per month" if r.available else
                                         f"unavailable: {r.reason}" + (
                                             f"; profit at most {r.profit_at_most} per unit (the unknown lines are "
                                             "costs)" if r.profit_at_most is not None else ""))
            out.append(head)
            if r.break_even_prices is not None:
                out.append(f"    break-even: {r.break_even_prices.text()}")
            if r.target_prices is not None:
                out.append(f"    price for a {_percent(r.target_prices.margin)} margin: {r.target_prices.text()}")
            rev = r.revenue
            out.append(f"    {'revenue':<22}{rev['revenue']:>10}  sales {rev['sales']} (price, shipping, gift wrap)"
                       f" - VAT {rev['vat']} paid over")
            out.extend(f"    {k:<22}{v:>10}  {r.sources.get(k, '')}".rstrip() for k, v in r.lines.items())
            out.extend(f"    note: {n}" for n in r.notes)
        if self.best:
            out.append(f"best: {NAMES[self.best]}" + (f", by {self.wins_by} per unit ({self.wins_by_month} per month)"
                                                      if self.wins_by is not None else ""))
        out.extend(self.changes)
        out.extend(f"note: {n}" for n in self.notes)
        return "\n".join(out)


def _percent(x: Decimal | None) -> str:
    """0.3770 -> '37.7%' (one decimal place, half up)."""
    if x is None:
        return "n/a"
    return f"{(x * 100).quantize(Decimal('0.1'), rounding='ROUND_HALF_UP')}%"


def _ratio(x) -> Decimal | None:
    return None if x is None or (isinstance(x, float) and math.isnan(x)) else Decimal(str(round(float(x), 4)))


def compare(marketplace: str = "US", on=None, *, profile: Profile | str | None = None,
            target_margin=None, **arguments) -> Comparison:
    """Compare FBA, MFN and an own web shop for one item (quote's arguments plus profile overrides)."""
    overrides = {k: arguments.pop(k) for k in list(arguments) if k in OVERRIDES}
    prof = profile if isinstance(profile, Profile) else load_profile(profile)
    prof = prof.with_overrides(**overrides)
    unknown = set(arguments) - set(INPUTS)
    if unknown:
        raise InvalidItem(sorted(unknown)[0], None, "is not a compare argument",
                          choices=sorted(set(INPUTS) | OVERRIDES))
    checked = quote_many([arguments], on=on, marketplace=marketplace)[0]
    if isinstance(checked, list):  # the item itself is invalid: raise as quote() would
        raise checked[0]
    # the quote the FBA lines are explained from: the profile's placement and return rate, as the costing takes them
    explained = quote_many([{**arguments, "placement": arguments.get("placement") or effective_placement(prof),
                             "return_rate": f"{Decimal(prof.seller['return_rate']) / 10_000}%"}], on=on,
                           marketplace=marketplace)[0]
    checked = explained if not isinstance(explained, list) else checked
    b = basis(pd.DataFrame([arguments]), prof, on=on, marketplace=marketplace)
    per = lines_at(b)
    target = _margin(target_margin)
    margins = [ZERO] if target is None else [ZERO, target]
    priceable = [c for c in CHANNELS if b.needs[c][0] is None]  # a price-dependent gap is reported in ranges
    found: dict[tuple, Prices] = dict(search(b, [(c, m) for c in priceable for m in margins]))
    # a channel short of a cost line at every price: its answers without that line, lower bounds
    found |= {(c, m, "bound"): p for (c, m), p in search(
        b, [(c, m) for c in CHANNELS if c not in priceable for m in margins], bound=True).items()}
    results = {name: _channel(b, per[name], name, checked, found, target) for name in CHANNELS}
    ranked = sorted((r for r in results.values() if r.profit is not None), key=lambda r: r.profit or ZERO,
                    reverse=True)
    best = ranked[0].channel if ranked else None
    wins_by = (ranked[0].profit or ZERO) - (ranked[1].profit or ZERO) if len(ranked) > 1 else None
    units = Decimal(str(b.seller["monthly_units"][0]))
    changes = _what_changes(b, per, ranked) if len(ranked) > 1 else []
    notes = list(prof.notes) + ([AVERAGE_ZONE_NOTE] if prof.zone == "average" else []) + [_placement_note(prof)]
    notes += [f"the seller's own {k.replace('_', ' ')} is 0 in the profile: set yours"
              for k in ("cost_of_goods", "packaging_per_order", "labour_per_order")
              if prof.seller[k] == 0 and k not in overrides and k not in arguments]
    return Comparison(prof.currency, cents_to_decimal(int(per["fba"]["price_c"][0])), results, best, wins_by,
                      None if wins_by is None else (wins_by * units).quantize(Decimal("0.01")), changes, notes)


def _channel(b: Basis, ch: dict, name: str, q: Quote, found: dict, target: Decimal | None) -> ChannelResult:
    """One channel's result for the one row of `b`: lines with their sources, profit, and the price answers."""
    res = summarize(ch, allocate_fixed=True)
    lines = {k: cents_to_decimal(int(v[0])) for k, v in ch["lines"].items()}
    lines["plan_share"] = cents_to_decimal(int(res["fixed_share"][0]))
    revenue = {"sales": cents_to_decimal(int(ch["sales_c"][0])), "vat": cents_to_decimal(int(ch["vat_c"][0])),
               "revenue": cents_to_decimal(int(ch["revenue_c"][0]))}
    sources = _sources(b, name, q, lines)
    be = _answer(found, name, ZERO)
    tp = _answer(found, name, target) if target is not None else None
    reason = ch["reason"][0]
    if reason is not None:
        bound = None if ch["error"][0] is not None else cents_to_decimal(int(res["profit"][0]))
        return ChannelResult(name, False, reason, revenue, lines, sources, None, None, None, None, None, be, tp,
                             bound)
    return ChannelResult(name, True, None, revenue, lines, sources, cents_to_decimal(int(res["cost"][0])),
                         cents_to_decimal(int(res["profit"][0])), _ratio(res["margin"][0]), _ratio(res["roi"][0]),
                         cents_to_decimal(int(res["monthly_profit"][0])), be, tp)


def _answer(found: dict, name: str, margin: Decimal) -> PriceAnswer | None:
    """The channel's answer for a margin; where it is a lower bound (a cost line unknown at every price), only that
    bound, as `at_least`."""
    if (name, margin) in found:
        return PriceAnswer.of(margin, found[(name, margin)], 0)
    bound = PriceAnswer.of(margin, found[(name, margin, "bound")], 0)
    return PriceAnswer(margin, None, None, bound.first_known, [], [], bound.ceiling,
                       note="a lower bound: a cost line is unknown at every price")


AMAZON_LINES = FBA_LINES
PLACEMENT_NOTE = {
    "optimized": "Amazon-optimized shipment splits: no fee, for sellers who send at least five identical cartons or "
                 "pallets per item (A-IPF25, ACCL; from 2026 the 2025 rule carried forward)",
    "minimal": "minimal shipment splits: the fee table's range at its high end (an upper bound)",
    "partial": "partial shipment splits: the fee table's range at its high end (an upper bound)"}


def _placement_note(p: Profile) -> str:
    """What FBA's inbound placement line assumes: stated in every comparison."""
    if p.inbound_placement_c is not None:
        return (f"FBA inbound placement: your own figure, {cents_to_decimal(p.inbound_placement_c)} per unit "
                "(inbound_placement_per_unit)")
    placement = effective_placement(p)
    if placement is None:
        return (f"FBA inbound placement: not assessed: the {p.marketplace} fee tables have no inbound placement fee "
                "(the reference gives none for this store); set placement to assess it")
    return (f"FBA inbound placement: placement {placement!r} ({PLACEMENT_NOTE[placement]}); set placement or "
            "inbound_placement_per_unit (the figure Seller Central shows) for yours")


def _sources(b: Basis, name: str, q: Quote, lines: dict[str, Decimal]) -> dict[str, str]:
    """Where each line of one item's channel comes from: the engine's explanation, the stay's months and snapshots,
    the profile's value, or the carrier's card."""
    p = b.profile
    out: dict[str, str] = {}
    for line in lines:
        if line == "inbound_placement" and name == "fba" and p.inbound_placement_c is not None:
            out[line] = f"profile {p.id}: inbound_placement_per_unit (the figure Seller Central showed you)"
        elif line in AMAZON_LINES:
            fee = AMAZON_LINES[line]
            if name == "mfn" and line == "digital_services_fee":
                out[line] = "the Digital Services Fee on the selling fees alone (referral, closing, per-item): " + \
                    q.lines[fee].split(": ", 1)[-1]
            else:
                out[line] = q.lines[fee].split(" ", 2)[-1] if fee in q.fees else q.lines[fee]
        elif line in STAY_LINES and (name == "fba" or p.ship_via == "mcf"):
            days = int(b.seller["days_in_inventory"][0])
            how = "a snapshot each 15th" if line == "aged_inventory" else "each month's amount x days / month"
            out[line] = f"{days} days in inventory from the quote date, {how}: {b.stay.explain(0, line)}"
        elif line == "vat_on_fees":
            out[line] = "VAT at the store's rate on Amazon's fee lines above: not VAT-registered (uk-de.md 8.2)"
        elif line == "shipping":
            out[line] = (f"profile {p.id}: mcf_per_unit" if name == "web_shop" and p.ship_via == "mcf" else
                         f"carrier {p.carrier.name}, zone {p.zone}, by weight")
        elif line == "card":
            out[line] = f"profile {p.id}: {p.card_ppm / 10_000:g}% of what the buyer pays + {p.card_fixed_c / 100:.2f}"
        elif line == "storage":
            out[line] = f"profile {p.id}: own_storage_per_cubic_foot_month x volume x days in inventory / 30"
        elif line == "plan_share":
            fixed = int(b.fixed_month_c(name)[0])
            out[line] = ("Individual plan: no subscription (its per-item fee is above)" if fixed == 0 else
                         f"{'shop' if name == 'web_shop' else 'Professional'} plan "
                         f"{cents_to_decimal(fixed)} a month / monthly units")
        else:
            out[line] = f"profile {p.id}: {PROFILE_LINES.get(line, line)}"
    return out


PROFILE_LINES = {"inbound": "inbound_per_unit + inbound_per_kg x weight + inbound_per_cubic_foot x volume",
                 "prep": "prep_per_unit", "cost_of_goods": "cost_of_goods",
                 "advertising": "advertising_percent x item price", "returns": "return_rate x cost_per_return",
                 "packaging": "packaging_per_order", "labour": "labour_per_order"}


def _margin(value) -> Decimal | None:
    """A target margin such as 0.2 or '20%' (None: not asked for); anything else is an InvalidItem."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    ppm = fraction_ppm(value, "target_margin", "must be a number such as 0.2 or '20%'")
    if ppm >= PPM:
        raise InvalidItem("target_margin", value, "must be at least 0 and below 1")
    return Decimal(ppm) / PPM


def _what_changes(b: Basis, per: dict, ranked: list[ChannelResult]) -> list[str]:
    """The days in inventory at which the runner-up would overtake the best channel: each channel's profit for every
    stay length (Amazon's storage month by month, the aged-inventory snapshots, own storage per 30 days)."""
    a, r = ranked[0], ranked[1]
    days = int(b.seller["days_in_inventory"][0])
    horizon = max(HORIZON_DAYS, days)
    curve = stay_curve(b.items, horizon, on=b.on, marketplace=b.marketplace)
    profit_a = _profit_by_days(b, per, a.channel, curve.cents, horizon)
    profit_r = _profit_by_days(b, per, r.channel, curve.cents, horizon)
    uses_stay = {c for c in (a.channel, r.channel) if c == "fba" or (c == "web_shop" and b.profile.ship_via == "mcf")}
    known = curve.known_days if uses_stay else horizon
    later = np.flatnonzero((profit_r > profit_a)[days + 1: known + 1])
    if len(later):
        return [f"{NAMES[a.channel]} wins unless days in inventory exceed {days + int(later[0])} "
                f"(then {NAMES[r.channel]} does)"]
    if known < horizon:
        return [f"{NAMES[a.channel]} stays ahead of {NAMES[r.channel]} for up to {known} days in inventory; a longer "
                f"stay is unknown ({curve.why})"]
    return [f"{NAMES[a.channel]} stays ahead of {NAMES[r.channel]} however long units are stored (up to "
            f"{horizon} days)"]


def _profit_by_days(b: Basis, per: dict, channel: str, stay: dict[str, np.ndarray], horizon: int) -> np.ndarray:
    """One item's unit profit (cents) for stays of 0..horizon days, the other lines as they are."""
    ch = per[channel]
    lines = {k: int(v[0]) for k, v in ch["lines"].items()}
    d = np.arange(horizon + 1)
    amazon_stay = channel == "fba" or (channel == "web_shop" and b.profile.ship_via == "mcf")
    fixed = int(summarize(ch, allocate_fixed=True)["fixed_share"][0])
    base = int(ch["revenue_c"][0]) - sum(v for k, v in lines.items() if k not in (*STAY_LINES, "vat_on_fees")) - fixed
    if amazon_stay:
        varying = np.sum([stay[k] for k in STAY_LINES], axis=0)
        if "vat_on_fees" in lines:
            amazon = sum(v for k, v in lines.items() if k in AMAZON_LINES)
            varying = varying + half_up_div((amazon + varying) * int(b.fee_vat_ppm[0]), PPM)
        return base - varying
    own = np.floor(b.own_storage_per_day[0] * d + 0.5).astype(np.int64) if "storage" in lines else np.zeros(len(d))
    return base - own.astype(np.int64) - lines.get("vat_on_fees", 0)


def compare_frame(df: pd.DataFrame, profile: Profile | str | None = None, on=None, marketplace: str = "US",
                  core_units: float | None = None, core_share: float | None = None,
                  break_even: bool = False) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Per SKU: profit per channel and the best channel; and portfolio totals for all-FBA, all-MFN,
    all-web-shop, the best per-SKU mix and "core on FBA, long tail elsewhere" (by monthly units or
    revenue share).  Fixed monthly costs (plans) are charged once per portfolio, so the break-even prices
    (`break_even=True`) leave them out."""
    prof = profile if isinstance(profile, Profile) else load_profile(profile)
    b = basis(df, prof, on=on, marketplace=marketplace)
    per = lines_at(b)
    n = len(df)
    out = df.copy()
    profit, monthly = {}, {}
    for name in CHANNELS:
        res = summarize(per[name], allocate_fixed=False)
        ok = pd.isna(per[name]["reason"])
        profit[name] = np.where(ok, res["profit"], np.iinfo(np.int64).min)
        monthly[name] = np.where(ok, res["monthly_profit"], 0)
        out[f"profit_{name}"] = cents_to_series(res["profit"], ok, out.index)
        out[f"monthly_profit_{name}"] = cents_to_series(res["monthly_profit"], ok, out.index)
        out[f"needs_{name}"] = per[name]["reason"]
    if break_even:
        priceable = [np.flatnonzero(pd.isna(b.needs[c]) & pd.isna(per[c]["error"])) for c in CHANNELS]
        answers = search(b, [(c, ZERO) for c in CHANNELS], priceable, allocate_fixed=False)
        for name in CHANNELS:
            found = answers[(name, ZERO)]
            exact = np.full(n, -1, dtype=np.int64)
            at_least = np.full(n, -1, dtype=np.int64)
            exact[found.rows], at_least[found.rows] = found.exact, found.at_least
            at = out.columns.get_loc(f"needs_{name}") + 1  # beside the channel's other columns
            out.insert(at, f"break_even_{name}", cents_to_series(exact, exact >= 0, out.index))
            out.insert(at + 1, f"break_even_at_least_{name}", cents_to_series(at_least, at_least >= 0, out.index))
            out.insert(at + 2, f"unknown_prices_{name}", found.texts(n, "unknown"))
            out.insert(at + 3, f"loss_windows_{name}", found.texts(n, "short"))
    out["error"] = per["fba"]["error"]  # the row's own input error (the same for every channel)
    stacked = np.stack([profit[c] for c in CHANNELS])
    sellable = stacked.max(axis=0) > np.iinfo(np.int64).min
    best_idx = stacked.argmax(axis=0)
    out["best_channel"] = np.where(sellable, np.array(CHANNELS, dtype=object)[best_idx], None)
    units = per["fba"]["monthly_units"]
    revenue = per["fba"]["revenue_c"] * units
    core = _core(units, revenue, core_units, core_share)
    tail_idx = np.where(profit["mfn"] >= profit["web_shop"], 1, 2)
    scenarios = {f"all {NAMES[c]}": np.full(n, i) for i, c in enumerate(CHANNELS)}
    scenarios["best per SKU"] = best_idx
    if core is not None:
        scenarios["core on FBA, long tail elsewhere"] = np.where(core, 0, tail_idx)
    totals = []
    professional = ~b.individual
    for label, choice in scenarios.items():
        chosen = stacked[choice, np.arange(n)]
        ok = chosen > np.iinfo(np.int64).min
        month = np.stack([monthly[c] for c in CHANNELS])[choice, np.arange(n)]
        on_amazon = ok & (choice < 2)
        fixed = (prof.plan_c if (on_amazon & professional).any() else 0) + \
            (prof.shop_plan_c if (ok & (choice == 2)).any() else 0)
        totals.append({"scenario": label, "skus": int(ok.sum()), "skus_not_sellable": int((~ok).sum()),
                     "monthly_revenue": cents_to_decimal(int(np.floor(revenue[ok] + 0.5).sum())),
                     "monthly_contribution": cents_to_decimal(int(month[ok].sum())),
                     "fixed_monthly_costs": cents_to_decimal(fixed),
                     "monthly_profit": cents_to_decimal(int(month[ok].sum()) - fixed)})
    return out, pd.DataFrame(totals)


def _core(units, revenue, core_units, core_share) -> np.ndarray | None:
    if core_units is not None:
        return units >= core_units
    if core_share is not None:
        order = np.argsort(-revenue, kind="stable")
        cumulative = np.cumsum(revenue[order]) / max(revenue.sum(), 1)
        core = np.zeros(len(revenue), dtype=bool)
        core[order[: int(np.searchsorted(cumulative, core_share, side="left")) + 1]] = True
        return core
    return None
