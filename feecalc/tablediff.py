"""Readable views of fee tables: figure counts by confidence, and the difference between two schedules."""

from __future__ import annotations

import re
from collections import Counter

from .engine import compiled_table
from .fees.base import band_labels
from .tables import TableInfo

_YEAR = re.compile(r"^(?:[A-Z]{2} )?\d{4}(/\d{4})?\s+")  # "2026 ", "FR 2026 ": the schedule's own year


def confidence_counts(info: TableInfo) -> Counter:
    """How many figures of the table carry each confidence grade."""
    return Counter(f.confidence for f in compiled_table(info).figures)


def flatten(info: TableInfo) -> dict[str, str]:
    """Every figure of a table under a key that stays the same from one year's table to the next."""
    t, out = info.data, {}
    for tier in t["size_tiers"]:
        limits = [f"{k.removeprefix('max_')} {tier[k]}" for k in ("max_longest", "max_median", "max_shortest",
                                                                 "max_length_girth", "max_weight") if tier[k]]
        out[f"size tier {tier['tier']}"] = ", ".join(limits) or "no limits"
    for w in t["peak_windows"]:
        out[f"peak window {_YEAR.sub('', w['name'])}"] = f"{w['start']} to {w['end']}"
    for card in t["fulfillment_cards"]:
        name = _YEAR.sub("", card["name"])
        if card["unavailable"] and not card["tiers"]:
            out[f"fulfillment {name}"] = f"unavailable: {card['unavailable']}"
        columns = card["price_bands"] or ["any price"]
        for tier, rows in card["tiers"].items():
            prev = None
            for row in rows:
                if row["upto"]:
                    band = f"{prev}+ to {row['upto']}" if prev else f"up to {row['upto']}"
                else:
                    band = f"over {prev}" if prev else "any weight"
                prev = row["upto"] or prev
                for i, col in enumerate(columns):
                    out[f"fulfillment {name} / {tier} / {band} / {col}"] = _figure(row, i)
    for s in t["surcharges"]:
        out[f"surcharge {s['name']}"] = f"{s['rate']} from {s['start']}" if s["rate"] else \
            f"unavailable: {s.get('unavailable')}"
    for cat in t["referral"]:
        when = f" (from {cat['start']})" if cat["start"] else f" (to {cat['end']})" if cat["end"] else ""
        if cat.get("unavailable"):
            out[f"referral {cat['name']}{when}"] = f"unavailable: {cat['unavailable']}"
            continue
        tiers = cat["whole_price"] or cat["marginal"]
        rate = cat["rate"] or ", ".join(f"{x['rate']}" + (f" up to {x['upto']}" if x["upto"] else "") for x in tiers)
        kind = "marginal" if cat["marginal"] else "whole price" if cat["whole_price"] else "flat"
        out[f"referral {cat['name']}{when}"] = f"{kind} {rate}, minimum " + (
            str(cat["minimum"]["value"]) if cat["minimum"] else
            "unavailable" if cat.get("minimum_unavailable") else "none")
    for ver in t["storage"]:
        for group in ("rates", "dangerous_goods"):
            for cls, seasons in (ver[group] or {}).items():
                for season, fig in (seasons or {}).items():
                    out[f"storage {group} {cls} {season}"] = str(fig["value"]) if fig else "unavailable"
    for ver in t["aged_inventory"]:
        for band in ver["bands"]:
            span = f"{band['from_days']}-{band['to_days'] or ''} days"
            parts = [f"{band[k]['value']} {k.replace('_', ' ')}" for k in ("per_cubic_foot", "per_unit") if band[k]]
            out[f"aged inventory {span}"] = " or ".join(parts) or f"unavailable: {band['unavailable']}"
    out |= _per_unit_fees(t)
    return out


def _band_names(rows: list[dict]) -> list[str]:
    return band_labels(rows, first="up to {}")


def _figure(row: dict, i: int = 0) -> str:
    """A band's figure as text: 'unavailable', '9.61' or '9.61 + 0.38 per 1 lb above 1 lb'."""
    if row["fee"] is None:
        return "unavailable"
    value = str(row["fee"][i if len(row["fee"]) > 1 else 0]["value"])
    step = row["step"]
    if step:
        every = f"{step['per']} in steps of {step['every']}" if step.get("per") else step["every"]
        value += f" + {step['fee']['value']} per {every} above {step['above']}"
    return value


def _dated(section: str, item: dict) -> str:
    """A section's key, with the date its version starts where the section is dated."""
    return f"{section} (from {item['start']})" if item.get("start") else section


def _per_unit_fees(t: dict) -> dict[str, str]:
    """The per-unit fees of issue 13: inbound placement, low inventory, returns, removal, SIPP, overmax."""
    out: dict[str, str] = {}
    for ver in t["inbound_placement"]:
        key = _dated("inbound placement", ver)
        if ver["not_in_force"]:
            out[key] = f"not in force: {ver['not_in_force']}"
        for option in ("minimal", "partial", "optimized"):
            opt = ver[option]
            if opt is None:
                continue
            if opt["unavailable"]:
                out[f"{key} {option} / other tiers"] = f"unavailable: {opt['unavailable']}"
            for tier, rows in opt["tiers"].items():
                for row, band in zip(rows, _band_names(rows), strict=True):
                    value = "unavailable" if row["unavailable"] else str(row["fee"]["value"]) if row["fee"] else \
                        f"{row['low']['value'] if row['low'] else '?'} to {row['high']['value']}"
                    out[f"{key} {option} / {tier} / {band}"] = value
    for ver in t["low_inventory_level"]:
        key = _dated("low inventory level", ver)
        if ver["not_in_force"]:
            out[key] = f"not in force: {ver['not_in_force']}"
        for tier, rows in ver["tiers"].items():
            for row, band in zip(rows, _band_names(rows), strict=True):
                for i, limit in enumerate(ver["days_below"]):
                    out[f"{key} / {tier} / {band} / days < {limit}"] = _figure(row, i)
        for tier in ver["not_charged_tiers"]:
            out[f"{key} / {tier}"] = "not charged"
        if ver["exemptions"]:
            out[f"{key} exemptions"] = ", ".join(ver["exemptions"] + ver["exempt_categories"])
    for ver in t["returns_processing"]:
        key = _dated("returns processing", ver)
        if ver["not_in_force"]:
            out[key] = f"not in force: {ver['not_in_force']}"
        for th in ver["thresholds"]:
            out[f"{key} threshold {th['category']}"] = th["rate"]
        if ver["every_return_categories"]:
            out[f"{key} every returned unit"] = ", ".join(ver["every_return_categories"])
        if ver["rate_unavailable"]:
            out[f"{key} rate"] = f"unavailable: {ver['rate_unavailable']}"
    for ver in t["removal_orders"]:
        key = _dated("removal and disposal", ver)
        if ver["unavailable"]:
            out[key] = f"unavailable: {ver['unavailable']}"
        for tier, rows in ver["tiers"].items():
            for row, band in zip(rows, _band_names(rows), strict=True):
                out[f"{key} / {tier} / {band}"] = _figure(row)
    for entry in t["sipp_discounts"]:
        name = _YEAR.sub("", entry["name"])
        if entry["unavailable"]:
            out[name] = f"unavailable: {entry['unavailable']}"
        for tier, rows in entry["tiers"].items():
            for row, band in zip(rows, _band_names(rows), strict=True):
                out[f"{name} / {tier} / {band}"] = _figure(row)
    for ver in t["overmax_handling"]:
        key = _dated("overmax handling", ver)
        out[f"{key} limits"] = f"longest over {ver['longest_over']} or length + girth over {ver['length_girth_over']}"
        for tier, fig in ver["tiers"].items():
            out[f"{key} / {tier}"] = str(fig["value"])
    return out


def diff(a: TableInfo, b: TableInfo) -> list[str]:
    """Lines '~ key: old -> new', '- key: old', '+ key: new', sorted by key."""
    x, y = flatten(a), flatten(b)
    lines = []
    for key in sorted(set(x) | set(y)):
        if key in x and key in y and x[key] != y[key]:
            lines.append(f"~ {key}: {x[key]} -> {y[key]}")
        elif key not in y:
            lines.append(f"- {key}: {x[key]}")
        elif key not in x:
            lines.append(f"+ {key}: {y[key]}")
    return lines
