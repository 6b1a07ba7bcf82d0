"""`compare` (one item) and `compare_frame` (a catalog): which channel earns more, and at what price it pays."""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal

import numpy as np
import pandas as pd

from .channels import CHANNELS, OVERRIDES, Profile, fraction_ppm, load_profile, lowest_price, summarize, unit_lines
from .errors import InvalidItem
from .money import PPM, cents_to_decimal, cents_to_series
from .quote import quote_many
from .spec import INPUTS

ZERO = Decimal(0)
NAMES = {"fba": "FBA", "mfn": "seller-fulfilled (MFN)", "web_shop": "own web shop"}


@dataclass(frozen=True)
class ChannelResult:
    """One channel's economics for one item (money as Decimal; None where the channel needs input)."""

    channel: str
    available: bool
    reason: str | None
    lines: dict[str, Decimal]
    cost: Decimal | None
    profit: Decimal | None
    margin: Decimal | None
    roi: Decimal | None
    monthly_profit: Decimal | None
    break_even: Decimal | None
    target_price: Decimal | None

    def to_dict(self) -> dict:
        money = lambda v: None if v is None else str(v)  # noqa: E731
        return {"channel": self.channel, "available": self.available, "reason": self.reason,
                "lines": {k: str(v) for k, v in self.lines.items()}, "cost": money(self.cost),
                "profit": money(self.profit), "margin": money(self.margin), "roi": money(self.roi),
                "monthly_profit": money(self.monthly_profit), "break_even": money(self.break_even),
                "target_price": money(self.target_price)}


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
        out = [f"price {self.price} {self.currency}"]
        for name, r in self.channels.items():
            if not r.available:
                out.append(f"{NAMES[name]}: {r.reason}")
                continue
            out.append(f"{NAMES[name]}: profit {r.profit} per unit (margin {r.margin}), {r.monthly_profit} per month; "
                       f"break-even {r.break_even}" + (f"; target price {r.target_price}" if r.target_price else ""))
            out.extend(f"    {k}: {v}" for k, v in r.lines.items())
        if self.best:
            out.append(f"best: {NAMES[self.best]}" + (f", by {self.wins_by} per unit ({self.wins_by_month} per month)"
                                                      if self.wins_by is not None else ""))
        out.extend(self.changes)
        out.extend(f"note: {n}" for n in self.notes)
        return "\n".join(out)


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
    df = pd.DataFrame([arguments])
    per = unit_lines(df, prof, on=on, marketplace=marketplace)
    target = _margin(target_margin)
    results = {}
    for name in CHANNELS:
        ch = per[name]
        reason = ch["reason"][0]
        res = summarize(ch, allocate_fixed=True)
        lines = {k: cents_to_decimal(v[0]) for k, v in ch["lines"].items()}
        lines["plan_share"] = cents_to_decimal(res["fixed_share"][0])
        if reason is not None:
            results[name] = ChannelResult(name, False, reason, lines, None, None, None, None, None, None, None)
            continue
        be = lowest_price(df, prof, name, Decimal(0), on=on, marketplace=marketplace)[0]
        tp = lowest_price(df, prof, name, target, on=on, marketplace=marketplace)[0] if target is not None else None
        results[name] = ChannelResult(
            name, True, None, lines, cents_to_decimal(res["cost"][0]), cents_to_decimal(res["profit"][0]),
            _ratio(res["margin"][0]), _ratio(res["roi"][0]), cents_to_decimal(res["monthly_profit"][0]),
            None if be is None else cents_to_decimal(be), None if tp is None else cents_to_decimal(tp))
    ranked = sorted((r for r in results.values() if r.profit is not None), key=lambda r: r.profit or ZERO, reverse=True)
    best = ranked[0].channel if ranked else None
    wins_by = (ranked[0].profit or ZERO) - (ranked[1].profit or ZERO) if len(ranked) > 1 else None
    units = Decimal(str(per["fba"]["monthly_units"][0]))
    changes = _what_changes(per, ranked) if len(ranked) > 1 else []
    notes = list(prof.notes) + [f"the seller's own {k.replace('_', ' ')} is 0 in the profile: set yours"
                                for k in ("cost_of_goods", "packaging_per_order", "labour_per_order")
                                if prof.seller[k] == 0 and k not in overrides and k not in arguments]
    return Comparison(prof.currency, cents_to_decimal(per["fba"]["price_c"][0]), results, best, wins_by,
                      None if wins_by is None else (wins_by * units).quantize(Decimal("0.01")), changes, notes)


def _margin(value) -> Decimal | None:
    """A target margin such as 0.2 or '20%' (None: not asked for); anything else is an InvalidItem."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    ppm = fraction_ppm(value, "target_margin", "must be a number such as 0.2 or '20%'")
    if ppm >= PPM:
        raise InvalidItem("target_margin", value, "must be at least 0 and below 1")
    return Decimal(ppm) / PPM


def _what_changes(per: dict, ranked: list[ChannelResult]) -> list[str]:
    """The days in inventory at which the runner-up would overtake the best channel (storage is per day)."""
    a, b = ranked[0], ranked[1]
    days = float(per[a.channel]["days"][0])
    slope_a, slope_b = float(per[a.channel]["storage_per_day_c"][0]), float(per[b.channel]["storage_per_day_c"][0])
    gap = float((a.profit or ZERO) - (b.profit or ZERO)) * 100  # cents
    if slope_a <= slope_b:
        return [f"{NAMES[a.channel]} stays ahead of {NAMES[b.channel]} however long units are stored"]
    limit = days + gap / (slope_a - slope_b)
    return [f"{NAMES[a.channel]} wins unless days in inventory exceed {math.floor(limit)} "
            f"(then {NAMES[b.channel]} does)"]


def compare_frame(df: pd.DataFrame, profile: Profile | str | None = None, on=None, marketplace: str = "US",
                  core_units: float | None = None, core_share: float | None = None,
                  break_even: bool = False) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Per SKU: profit per channel and the best channel; and portfolio totals for all-FBA, all-MFN,
    all-web-shop, the best per-SKU mix and "core on FBA, long tail elsewhere" (by monthly units or
    revenue share).  Fixed monthly costs (plans) are charged once per portfolio."""
    prof = profile if isinstance(profile, Profile) else load_profile(profile)
    per = unit_lines(df, prof, on=on, marketplace=marketplace)
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
            be = lowest_price(df, prof, name, on=on, marketplace=marketplace, allocate_fixed=False)
            out[f"break_even_{name}"] = [None if v is None else cents_to_decimal(v) for v in be]
    out["error"] = per["fba"]["error"]  # the row's own input error (the same for every channel)
    stacked = np.stack([profit[c] for c in CHANNELS])
    sellable = stacked.max(axis=0) > np.iinfo(np.int64).min
    best_idx = stacked.argmax(axis=0)
    out["best_channel"] = np.where(sellable, np.array(CHANNELS, dtype=object)[best_idx], None)
    units = per["fba"]["monthly_units"]
    revenue = per["fba"]["price_c"] * units
    core = _core(units, revenue, core_units, core_share)
    tail_idx = np.where(profit["mfn"] >= profit["web_shop"], 1, 2)
    scenarios = {f"all {NAMES[c]}": np.full(len(df), i) for i, c in enumerate(CHANNELS)}
    scenarios["best per SKU"] = best_idx
    if core is not None:
        scenarios["core on FBA, long tail elsewhere"] = np.where(core, 0, tail_idx)
    rows = []
    for label, choice in scenarios.items():
        chosen = stacked[choice, np.arange(len(df))]
        ok = chosen > np.iinfo(np.int64).min
        month = np.stack([monthly[c] for c in CHANNELS])[choice, np.arange(len(df))]
        used = {CHANNELS[i] for i in np.unique(choice[ok])}
        fixed = (prof.plan_c if used & {"fba", "mfn"} else 0) + (prof.shop_plan_c if "web_shop" in used else 0)
        rows.append({"scenario": label, "skus": int(ok.sum()), "skus_not_sellable": int((~ok).sum()),
                     "monthly_revenue": cents_to_decimal(int(revenue[ok].sum())),
                     "monthly_contribution": cents_to_decimal(int(month[ok].sum())),
                     "fixed_monthly_costs": cents_to_decimal(fixed),
                     "monthly_profit": cents_to_decimal(int(month[ok].sum()) - fixed)})
    return out, pd.DataFrame(rows)


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
