"""Semantic checks of a fee table that its schema cannot express: ascending bands, contiguous dated versions,
sections inside the table's dates, and a source and confidence for every figure (own or inherited)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from ..money import CURRENCY_DIGITS, minor_unit_name
from ..units import quantity_in
from .schema import category_key

ONE_DAY = dt.timedelta(days=1)


def check_table(t: dict) -> list[str]:
    """Semantic checks the schema cannot express; returns 'key: message' lines."""
    out: list[str] = []
    start, end = t["effective_from"], t["effective_to"]
    if start > end:
        out.append(f"effective_to: {end} is before effective_from {start}")
    if t["currency"] not in CURRENCY_DIGITS:
        out.append(f"currency: unknown currency {t['currency']!r} (its ISO 4217 minor-unit digits are not in "
                   f"feecalc.money.CURRENCY_DIGITS)")
    else:
        out += _check_minor_units(t)
    units = t["units"]
    out += _check_tiers(t["size_tiers"], units)
    band_names = _check_price_bands(t["price_bands"], out)
    out += _check_windows("peak_windows", t["peak_windows"])
    tier_names = [tier["tier"] for tier in t["size_tiers"]]
    for i, card in enumerate(t["fulfillment_cards"]):
        out += _check_card(f"fulfillment_cards[{i}]", card, tier_names, band_names, units, t)
    for i, pack in enumerate(t["packaging_fees"]):
        key = f"packaging_fees[{i}]"
        priced = any(row["fee"] is not None for rows in pack["tiers"].values() for row in rows)
        out += _check_inside(key, pack, start, end) + (_need_source(key, pack) if priced else [])
        for name, rows in pack["tiers"].items():
            if name not in tier_names:
                out.append(f"{key}.tiers.{name}: not a size tier of this table")
            out += _check_bands(f"{key}.tiers.{name}", rows, 1, units, pack, t["currency"])
            if rows and rows[-1]["upto"] is not None:
                out.append(f"{key}.tiers.{name}[{len(rows) - 1}].upto: the last band must be open (no upto)")
    for i, sur in enumerate(t["surcharges"]):
        out += _check_inside(f"surcharges[{i}]", sur, start, end)
        if (sur["rate"] is None) == (sur.get("unavailable") is None):
            out.append(f"surcharges[{i}]: give 'rate' or 'unavailable' (the reason), exactly one")
        elif sur["rate"] is not None:
            out += _need_source(f"surcharges[{i}]", sur)
    out += _check_referral(t["referral"], start, end)
    per_item = t["per_item_fee"]
    if (per_item["individual"] is None) == (per_item.get("unavailable") is None):
        out.append("per_item_fee: give 'individual' or 'unavailable' (the reason), exactly one")
    elif per_item["individual"] is not None:
        out += _need_source("per_item_fee", per_item)
    for i, rule in enumerate(t["digital_services_fee"]):
        if (rule["rate"] is None) == (rule.get("unavailable") is None):
            out.append(f"digital_services_fee[{i}]: give 'rate' or 'unavailable' (the reason), exactly one")
        elif rule["rate"] is not None and not rule["on"]:
            out.append(f"digital_services_fee[{i}].on: missing (the fee lines the rate is taken on)")
    out += _check_versions("storage", t["storage"], start, end)
    for i, ver in enumerate(t["storage"]):
        out += _check_storage(f"storage[{i}]", ver)
    out += _check_versions("storage_utilization", t["storage_utilization"], start, end)
    for i, ver in enumerate(t["storage_utilization"]):
        out += _check_utilization(f"storage_utilization[{i}]", ver)
    out += _check_versions("aged_inventory", t["aged_inventory"], start, end)
    for i, ver in enumerate(t["aged_inventory"]):
        out += _check_ages(f"aged_inventory[{i}]", ver)
    out += _check_per_unit_fees(t, tier_names, units)
    out += _need_source("dimensional_weight", t["dimensional_weight"])
    if t["apparel_fee_category"]:
        out += _need_source("apparel_fee_category", t["apparel_fee_category"])
    return out


def _check_minor_units(t: dict) -> list[str]:
    """Every amount of the table is a whole number of its currency's minor unit: cents, pence, or whole yen."""
    currency = t["currency"]
    scale = Decimal(10) ** CURRENCY_DIGITS[currency]
    out = []

    def check(key: str, value) -> None:
        if value is not None and not isinstance(value, bool) and isinstance(value, (int, Decimal)):
            amount = Decimal(value) * scale
            if amount != amount.to_integral_value():
                out.append(f"{key}: amount must be a whole number of {minor_unit_name(currency)} ({currency}), "
                           f"got {value}")

    def walk(key: str, value) -> None:
        if isinstance(value, dict):
            if "value" in value and "confidence" in value:  # a figure (loaded figures carry all their keys)
                check(key, value["value"])
                return
            for k, v in value.items():
                walk(f"{key}.{k}" if key else str(k), v)
        elif isinstance(value, list):
            for i, v in enumerate(value):
                walk(f"{key}[{i}]", v)

    walk("", {k: v for k, v in t.items() if k not in ("price_bands", "referral", "fulfillment_cards")})
    for i, band in enumerate(t["price_bands"]):
        for field in ("below", "upto"):
            check(f"price_bands[{i}].{field}", band[field])
    for i, card in enumerate(t["fulfillment_cards"]):
        check(f"fulfillment_cards[{i}].max_price", card["max_price"])
        check(f"fulfillment_cards[{i}].plus", card["plus"])
        walk(f"fulfillment_cards[{i}].tiers", card["tiers"])
        walk(f"fulfillment_cards[{i}].plus_tiers", card.get("plus_tiers") or {})
    for i, cat in enumerate(t["referral"]):
        for kind in ("whole_price", "marginal"):
            for j, tier in enumerate(cat[kind] or []):
                check(f"referral[{i}].{kind}[{j}].upto", tier["upto"])
        walk(f"referral[{i}]", {k: cat[k] for k in ("minimum", "closing_fee")})
    return out


def _need_source(key: str, item: dict, parent: dict | None = None) -> list[str]:
    """A figure needs a source and a confidence, its own or inherited; DERIVED needs a method."""
    source = item.get("source") or (parent or {}).get("source")
    confidence = item.get("confidence") or (parent or {}).get("confidence")
    method = item.get("method") or (parent or {}).get("method")
    if not source:
        return [f"{key}: figure has no source"]
    if not confidence:
        return [f"{key}: figure has no confidence"]
    if confidence == "DERIVED" and not method:
        return [f"{key}: DERIVED figure has no method"]
    return []


def _check_tiers(tiers: list[dict], units: dict) -> list[str]:
    out, seen = [], set()
    for i, tier in enumerate(tiers):
        key = f"size_tiers[{i}]"
        if tier["tier"] in seen:
            out.append(f"{key}.tier: duplicate tier {tier['tier']!r}")
        seen.add(tier["tier"])
        for field in ("max_longest", "max_median", "max_shortest", "max_length_girth", "dim_min_side",
                      "max_sum_of_sides"):
            if tier.get(field):
                try:
                    quantity_in(tier[field], units["length"])
                except ValueError as exc:
                    out.append(f"{key}.{field}: {exc}")
        if tier["max_weight"]:
            try:
                quantity_in(tier["max_weight"], units["weight"])
            except ValueError as exc:
                out.append(f"{key}.max_weight: {exc}")
        out += _need_source(key, tier)
    limits = ("max_longest", "max_median", "max_shortest", "max_length_girth", "max_weight", "max_sum_of_sides")
    if tiers and any(tiers[-1].get(f) for f in limits):
        out.append(f"size_tiers[{len(tiers) - 1}]: the last tier must have no limits (it takes every larger item)")
    return out


def _check_price_bands(bands: list[dict], out: list[str]) -> list[str]:
    names, last = [], Decimal(-1)
    for i, band in enumerate(bands):
        key = f"price_bands[{i}]"
        limit = band["below"] if band["below"] is not None else band["upto"]
        if band["below"] is not None and band["upto"] is not None:
            out.append(f"{key}: give 'below' or 'upto', not both")
        is_last = i == len(bands) - 1
        if is_last and limit is not None:
            out.append(f"{key}: the last price band must be open (no 'below' or 'upto')")
        if not is_last and limit is None:
            out.append(f"{key}: only the last price band may be open")
        if limit is not None:
            limit = Decimal(limit)
            if limit <= last:
                out.append(f"{key}: price bands out of order ({limit} after {last})")
            last = limit
        if band["band"] in names:
            out.append(f"{key}.band: duplicate band {band['band']!r}")
        names.append(band["band"])
        out += _need_source(key, band)
    return names


def _check_windows(section: str, items: list[dict]) -> list[str]:
    out = []
    spans = sorted((w["start"], w["end"], i) for i, w in enumerate(items) if w["start"] and w["end"])
    for i, w in enumerate(items):
        if not (w["start"] and w["end"]):
            out.append(f"{section}[{i}]: a window needs 'from' and 'to'")
        elif w["start"] > w["end"]:
            out.append(f"{section}[{i}]: 'to' {w['end']} is before 'from' {w['start']}")
        out += _need_source(f"{section}[{i}]", w)
    for (_, end_a, a), (start_b, _, b) in zip(spans, spans[1:], strict=False):
        if start_b <= end_a:
            out.append(f"{section}[{b}]: overlaps {section}[{a}]")
    return out


def _check_inside(key: str, item: dict, start: dt.date, end: dt.date) -> list[str]:
    out = []
    for field, value in (("from", item.get("start")), ("to", item.get("end"))):
        if value is not None and not start <= value <= end:
            out.append(f"{key}.{field}: {value} is outside the table's dates {start} to {end}")
    if item.get("start") and item.get("end") and item["start"] > item["end"]:
        out.append(f"{key}: 'to' is before 'from'")
    return out


def _check_card(key: str, card: dict, tiers: list[str], bands: list[str], units: dict, t: dict) -> list[str]:
    out = _check_inside(key, card, t["effective_from"], t["effective_to"])
    columns = card["price_bands"] or bands
    for band in card["price_bands"] or []:
        if band not in bands:
            out.append(f"{key}.price_bands: unknown price band {band!r} (table has {', '.join(bands)})")
    if card["rows_from"] is not None:
        earlier = [k["name"] for k in t["fulfillment_cards"]]
        if card["rows_from"] not in earlier or card["rows_from"] == card["name"]:
            out.append(f"{key}.rows_from: no other card named {card['rows_from']!r}")
        elif _rows_cycle(card, t["fulfillment_cards"]):
            out.append(f"{key}.rows_from: {card['rows_from']!r} leads back to this card")
        if card["tiers"]:
            out.append(f"{key}: give rows_from or tiers, not both")
        out += _need_source(f"{key}.plus", card)
        if not out:
            out += _check_plus_tiers(key, card, t, units)
        return out
    if card.get("plus_tiers"):
        out.append(f"{key}.plus_tiers: only a card with rows_from adds to another card's tiers")
    if not card["tiers"] and not card["unavailable"]:
        out.append(f"{key}: a card with no tiers needs 'unavailable' (the reason)")
    if card["tiers"] and set(card["tiers"]) != set(tiers) and not card["unavailable"] and not card["partial"]:
        missing = sorted(set(tiers) - set(card["tiers"]))
        out.append(f"{key}.tiers: no rows for {', '.join(missing)}; add them or give 'unavailable' (the reason)")
    for name, rows in card["tiers"].items():
        if name not in tiers:
            out.append(f"{key}.tiers.{name}: not a size tier of this table")
        out += _check_bands(f"{key}.tiers.{name}", rows, len(columns), units, card, t["currency"])
    return out


def _check_plus_tiers(key: str, card: dict, t: dict, units: dict) -> list[str]:
    """A per-tier addition needs the tier in the rows it adds to, and a step only where those rows step alike."""
    by_name, base = {k["name"]: k for k in t["fulfillment_cards"]}, card
    while base["rows_from"] is not None:
        base = by_name[base["rows_from"]]
    out = []
    for tier, add in (card.get("plus_tiers") or {}).items():
        tkey = f"{key}.plus_tiers.{tier}"
        out += _need_source(f"{tkey}.fee", add["fee"], _merge(card, add))
        rows = base["tiers"].get(tier)
        if not rows:
            out.append(f"{tkey}: the card {base['name']!r} has no rows for {tier}")
            continue
        step = add.get("step")
        if step is None:
            continue
        out += _need_source(f"{tkey}.step.fee", step["fee"], _merge(card, add))
        out += _check_step(f"{tkey}.step", step, t["currency"], units)
        for j, row in enumerate(rows):
            own = row["step"]
            if own is None or any(own.get(f) != step.get(f) for f in ("every", "above", "per")):
                out.append(f"{tkey}.step: {base['name']!r} {tier}[{j}] has no step of the same every, above and per")
    return out


def _check_step(key: str, step: dict, currency: str, units: dict) -> list[str]:
    """The step's quantities are weights, and a rate per `per` in steps of `every` is a whole minor unit a step."""
    out = []
    for field in ("every", "above", "per"):
        if step.get(field) is None:
            continue
        try:
            quantity_in(step[field], units["weight"])
        except ValueError as exc:
            out.append(f"{key}.{field}: {exc}")
    if not out and step.get("per") is not None and currency in CURRENCY_DIGITS:
        share = quantity_in(step["every"], units["weight"]) / quantity_in(step["per"], units["weight"])
        amount = step["fee"]["value"] * Decimal(10) ** CURRENCY_DIGITS[currency] * share.numerator
        if amount % share.denominator:
            out.append(f"{key}: {step['fee']['value']} per {step['per']} in steps of {step['every']} is not a whole "
                       f"number of {minor_unit_name(currency)} a step")
    return out


def _rows_cycle(card: dict, cards: list[dict]) -> bool:
    """Does following `rows_from` from `card` come back to it?"""
    by_name, name, seen = {k["name"]: k for k in cards}, card["rows_from"], {card["name"]}
    while name is not None and name in by_name:
        if name in seen:
            return True
        seen.add(name)
        name = by_name[name]["rows_from"]
    return False


def _band_edges(key: str, rows: list[dict], units: dict) -> tuple[list[str], set[int]]:
    """Errors of a weight band list's `upto` edges (only the last open, in increasing order), and the rows whose
    edge does not read (their other checks are skipped)."""
    out: list[str] = []
    unread: set[int] = set()
    last = None
    for j, row in enumerate(rows):
        rkey = f"{key}[{j}]"
        if row["upto"] is None and j != len(rows) - 1:
            out.append(f"{rkey}.upto: only the last band may be open")
        if row["upto"] is not None:
            try:
                edge = quantity_in(row["upto"], units["weight"])
            except ValueError as exc:
                out.append(f"{rkey}.upto: {exc}")
                unread.add(j)
                continue
            if last is not None and edge <= last:
                out.append(f"{rkey}.upto: bands out of order or overlapping ({row['upto']} after a band up to "
                           f"{float(last):g} {units['weight']})")
            last = edge
    return out, unread


def _check_bands(key: str, rows: list[dict], ncols: int, units: dict, card: dict, currency: str = "USD") -> list[str]:
    out, unread = _band_edges(key, rows, units)
    for j, row in enumerate(rows):
        rkey = f"{key}[{j}]"
        if j in unread:
            continue
        if row["fee"] is None:
            if not (row["unavailable"] or card.get("unavailable")):  # packaging sections have none
                out.append(f"{rkey}.fee: missing; give the fee or 'unavailable' (the reason)")
            continue
        if len(row["fee"]) not in (1, ncols):
            out.append(f"{rkey}.fee: {len(row['fee'])} figures for {ncols} price band(s)")
        for k, fig in enumerate(row["fee"]):
            out += _need_source(f"{rkey}.fee[{k}]", fig, _merge(card, row))
        if row["step"]:
            out += _need_source(f"{rkey}.step.fee", row["step"]["fee"], _merge(card, row))
            out += _check_step(f"{rkey}.step", row["step"], currency, units)
    return out


def _merge(parent: dict, child: dict) -> dict:
    return {k: child.get(k) or parent.get(k) for k in ("source", "confidence", "method")}


def _check_referral(items: list[dict], start: dt.date, end: dt.date) -> list[str]:
    out: list[str] = []
    spans: dict[str, list[tuple[dt.date, dt.date, int]]] = {}
    for i, cat in enumerate(items):
        key = f"referral[{i}]"
        kinds = [k for k in ("rate", "whole_price", "marginal") if cat[k] is not None]
        floors = [k for k in ("minimum", "no_minimum", "minimum_unavailable") if cat.get(k) is not None]
        out += _check_inside(key, cat, start, end)
        if cat.get("unavailable") is not None:  # the category exists, its rate is NOT FOUND
            if kinds or floors or cat["closing_fee"]:
                out.append(f"{key}: a category with 'unavailable' has no {', '.join(kinds + floors) or 'closing_fee'}")
        else:
            if len(kinds) != 1:
                out.append(f"{key}: give exactly one of rate, whole_price, marginal (got {', '.join(kinds) or 'none'})")
            if len(floors) != 1:
                out.append(f"{key}: give 'minimum', 'no_minimum' (the reason) or 'minimum_unavailable' (the reason), "
                           "exactly one")
            out += _need_source(key, cat)
        for kind in ("whole_price", "marginal"):
            if cat[kind] is not None:
                out += _check_rate_tiers(f"{key}.{kind}", cat[kind])
        for fig in ("minimum", "closing_fee"):
            if cat[fig]:
                out += _need_source(f"{key}.{fig}", cat[fig], cat)
        lo, hi = cat["start"] or start, cat["end"] or end
        for name in [cat["name"], *cat["aliases"]]:
            for other_lo, other_hi, j in spans.get(category_key(name), []):
                if lo <= other_hi and other_lo <= hi:
                    out.append(f"{key}.name: {name!r} overlaps referral[{j}] in dates")
            spans.setdefault(category_key(name), []).append((lo, hi, i))
    return out


def _check_rate_tiers(key: str, tiers: list[dict]) -> list[str]:
    out, last = [], Decimal(0)
    for j, tier in enumerate(tiers):
        is_last = j == len(tiers) - 1
        if (tier["upto"] is None) != is_last:
            out.append(f"{key}[{j}].upto: only the last tier is open, and it must be")
        if tier["upto"] is not None:
            if Decimal(tier["upto"]) <= last:
                out.append(f"{key}[{j}].upto: tiers out of order ({tier['upto']} after {last})")
            last = Decimal(tier["upto"])
    return out


def _check_versions(section: str, items: list[dict], start: dt.date, end: dt.date) -> list[str]:
    """Dated versions of a section must cover the table's dates exactly: no gap, no overlap."""
    out, cursor = [], start
    for i, item in enumerate(items):
        lo, hi = item["start"] or start, item["end"] or end
        if lo > cursor:
            out.append(f"{section}[{i}].from: gap from {cursor} to {lo - ONE_DAY}")
        elif lo < cursor:
            out.append(f"{section}[{i}].from: {lo} overlaps the previous version (ends {cursor - ONE_DAY})")
        if hi < lo:
            out.append(f"{section}[{i}].to: {hi} is before {lo}")
        cursor = max(cursor, hi + ONE_DAY)
    if items and cursor <= end:
        out.append(f"{section}: no version covers {cursor} to {end}")
    if not items:
        out.append(f"{section}: at least one version is needed")
    return out


def _check_storage(key: str, ver: dict) -> list[str]:
    if ver["unavailable"]:
        return []
    if not ver["rates"]:
        return [f"{key}.rates: missing; give rates or 'unavailable' (the reason)"]
    out = []
    for group in ("rates", "dangerous_goods"):
        for cls, seasons in (ver[group] or {}).items():
            for season, fig in (seasons or {}).items():
                if fig is not None:
                    out += _need_source(f"{key}.{group}.{cls}.{season}", fig, ver)
    return out


def _check_utilization(key: str, ver: dict) -> list[str]:
    if ver["not_in_force"]:
        return [] if ver["none_up_to_weeks"] is None and not ver["tiers"] else \
            [f"{key}: a version that is not in force has no thresholds or tiers"]
    if ver["none_up_to_weeks"] is None and ver["unavailable"] and not ver["tiers"]:
        return []  # the surcharge and its threshold are NOT FOUND: any ratio given is unavailable
    out = _need_source(key, ver)
    if ver["none_up_to_weeks"] is None:
        out.append(f"{key}.none_up_to_weeks: missing (the ratio up to which no surcharge applies)")
    if not ver["tiers"] and not ver["unavailable"]:
        out.append(f"{key}.tiers: missing; give the tiers or 'unavailable' (the reason)")
    last = ver["none_up_to_weeks"]
    for j, tier in enumerate(ver["tiers"]):
        if last is not None and tier["above_weeks"] < last:
            out.append(f"{key}.tiers[{j}].above_weeks: tiers out of order ({tier['above_weeks']} after {last})")
        last = tier["above_weeks"]
        for cls in ("standard", "oversize"):
            out += _need_source(f"{key}.tiers[{j}].{cls}", tier[cls], _merge(ver, tier))
    if ver["tiers"] and ver["tiers"][0]["above_weeks"] != ver["none_up_to_weeks"]:
        out.append(f"{key}.tiers[0].above_weeks: must equal none_up_to_weeks (no gap between the bands)")
    return out


def _check_ages(key: str, ver: dict) -> list[str]:
    if ver["unavailable"]:
        return []
    out, nxt = [], None
    for j, band in enumerate(ver["bands"]):
        bkey = f"{key}.bands[{j}]"
        if nxt is not None and band["from_days"] != nxt:
            out.append(f"{bkey}.from_days: expected {nxt} (bands must be contiguous and in order)")
        if band["to_days"] is None and j != len(ver["bands"]) - 1:
            out.append(f"{bkey}.to_days: only the last band may be open")
        if band["to_days"] is not None and band["to_days"] < band["from_days"]:
            out.append(f"{bkey}.to_days: before from_days")
        nxt = None if band["to_days"] is None else band["to_days"] + 1
        if band["per_cubic_foot"] is None and band["per_unit"] is None and not band["unavailable"]:
            out.append(f"{bkey}: give per_cubic_foot and/or per_unit, or 'unavailable' (the reason)")
        for fig in ("per_cubic_foot", "per_unit"):
            if band[fig]:
                out += _need_source(f"{bkey}.{fig}", band[fig], _merge(ver, band))
        if band["exempt_categories"] and not (band["exemption_source"] and band["exemption_confidence"]):
            out.append(f"{bkey}: exempt_categories needs exemption_source and exemption_confidence")
    return out


# ---- the per-unit fees of issue 13: inbound placement, low inventory, returns, removal, SIPP, overmax ------------
def _check_per_unit_fees(t: dict, tiers: list[str], units: dict) -> list[str]:
    start, end = t["effective_from"], t["effective_to"]
    out: list[str] = []
    for section in ("inbound_placement", "low_inventory_level", "returns_processing", "removal_orders"):
        if t[section]:  # optional; where given, its dated versions cover the table's dates
            out += _check_versions(section, t[section], start, end)
    for i, ver in enumerate(t["inbound_placement"]):
        out += _check_placement(f"inbound_placement[{i}]", ver, tiers, units)
    for i, ver in enumerate(t["low_inventory_level"]):
        out += _check_low_inventory(f"low_inventory_level[{i}]", ver, tiers, units, t)
    for i, ver in enumerate(t["returns_processing"]):
        out += _check_returns(f"returns_processing[{i}]", ver)
    for i, ver in enumerate(t["removal_orders"]):
        key = f"removal_orders[{i}]"
        out += _check_tier_bands(key, ver, tiers, units, every_tier=not ver["unavailable"])
        if ver["special_handling_categories"] and not ver["special_handling"]:
            out.append(f"{key}.special_handling: missing (the reason special-handling units are unavailable)")
    cards = [k["name"] for k in t["fulfillment_cards"]]
    for i, entry in enumerate(t["sipp_discounts"]):
        key = f"sipp_discounts[{i}]"
        for name in entry["cards"] or []:
            if name not in cards:
                out.append(f"{key}.cards: no fulfillment card named {name!r}")
        if entry["cards"] is None and i != len(t["sipp_discounts"]) - 1:
            out.append(f"{key}.cards: only the last entry may leave out 'cards' (it takes every other card)")
        out += _check_tier_bands(key, entry, tiers, units, every_tier=not entry["unavailable"])
    for i, ver in enumerate(t["overmax_handling"]):
        key = f"overmax_handling[{i}]"
        out += _check_inside(key, ver, start, end)
        for name, fig in ver["tiers"].items():
            if name not in tiers:
                out.append(f"{key}.tiers.{name}: not a size tier of this table")
            out += _need_source(f"{key}.tiers.{name}", fig, ver)
        for field in ("longest_over", "length_girth_over"):
            try:
                quantity_in(ver[field], units["length"])
            except ValueError as exc:
                out.append(f"{key}.{field}: {exc}")
    return out


def _check_tier_bands(key: str, item: dict, tiers: list[str], units: dict, every_tier: bool) -> list[str]:
    """Weight bands of one figure each, per tier of the table, the last band open; with `every_tier`, each tier of
    the table has rows."""
    out = []
    for name, rows in item["tiers"].items():
        if name not in tiers:
            out.append(f"{key}.tiers.{name}: not a size tier of this table")
        out += _check_bands(f"{key}.tiers.{name}", rows, 1, units, item)
        if rows[-1]["upto"] is not None:
            out.append(f"{key}.tiers.{name}[{len(rows) - 1}].upto: the last band must be open (no upto)")
    missing = [name for name in tiers if name not in item["tiers"]]
    if every_tier and missing:
        out.append(f"{key}.tiers: no rows for {', '.join(missing)}; add them or give 'unavailable' (the reason)")
    return out


def _check_placement(key: str, ver: dict, tiers: list[str], units: dict) -> list[str]:
    if ver["not_in_force"]:
        return [] if not any(ver[o] for o in ("minimal", "partial", "optimized")) else \
            [f"{key}: a version that is not in force has no placement options"]
    out = []
    for name in ("minimal", "partial", "optimized"):
        option = ver[name]
        if option is None:
            if not ver["unavailable"]:
                out.append(f"{key}.{name}: missing; give the option or 'unavailable' (the reason)")
            continue
        okey = f"{key}.{name}"
        missing = [tier for tier in tiers if tier not in option["tiers"]]
        if missing and not (option["unavailable"] or ver["unavailable"]):
            out.append(f"{okey}.tiers: no rows for {', '.join(missing)}; add them or give 'unavailable' (the reason)")
        for tier, rows in option["tiers"].items():
            if tier not in tiers:
                out.append(f"{okey}.tiers.{tier}: not a size tier of this table")
            out += _check_ranges(f"{okey}.tiers.{tier}", rows, units, _merge(ver, option))
    return out


def _check_ranges(key: str, rows: list[dict], units: dict, parent: dict) -> list[str]:
    out, unread = _band_edges(key, rows, units)
    for j, row in enumerate(rows):
        rkey = f"{key}[{j}]"
        if j in unread or row["unavailable"]:
            continue
        if row["fee"] is not None:
            if row["low"] is not None or row["high"] is not None:
                out.append(f"{rkey}: give 'fee' (no range) or 'low' and 'high', not both")
            out += _need_source(f"{rkey}.fee", row["fee"], _merge(parent, row))
            continue
        if row["high"] is None:
            out.append(f"{rkey}: give 'fee', 'high' (with 'low' or 'low_unavailable') or 'unavailable' (the reason)")
            continue
        if row["low"] is None and not row["low_unavailable"]:
            out.append(f"{rkey}.low: missing; give it or 'low_unavailable' (the reason)")
        for end in ("low", "high"):
            if row[end] is not None:
                out += _need_source(f"{rkey}.{end}", row[end], _merge(parent, row))
        if row["low"] is not None and row["low"]["value"] > row["high"]["value"]:
            out.append(f"{rkey}: low {row['low']['value']} is above high {row['high']['value']}")
    return out


def _check_low_inventory(key: str, ver: dict, tiers: list[str], units: dict, t: dict) -> list[str]:
    if ver["not_in_force"] or (ver["unavailable"] and not ver["tiers"]):
        return []
    out = _need_source(key, ver) if not ver["tiers"] else []
    days = ver["days_below"]
    if not days:
        out.append(f"{key}.days_below: missing (the days-of-supply bands)")
    if days != sorted(set(days)):
        out.append(f"{key}.days_below: must rise ({days})")
    for name, rows in ver["tiers"].items():
        if name not in tiers:
            out.append(f"{key}.tiers.{name}: not a size tier of this table")
        out += _check_bands(f"{key}.tiers.{name}", rows, len(days), units, ver)
        for j, row in enumerate(rows):
            if row["fee"] is not None and len(row["fee"]) != len(days):
                out.append(f"{key}.tiers.{name}[{j}].fee: one figure per days-of-supply band ({len(days)})")
    missing = [name for name in tiers if name not in ver["tiers"] and name not in ver["not_charged_tiers"]]
    if missing and not ver["unavailable"]:
        out.append(f"{key}.tiers: no rows for {', '.join(missing)}; add them, list them in not_charged_tiers or "
                   "give 'unavailable' (the reason)")
    for field in ("not_charged_tiers", "exemptions", "exempt_categories", "exempt_cards"):
        prefix = {"not_charged_tiers": "not_charged", "exemptions": "exemption"}.get(field, field)
        if ver[field] and not (ver[f"{prefix}_source"] and ver[f"{prefix}_confidence"]):
            out.append(f"{key}: {field} needs {prefix}_source and {prefix}_confidence")
    cards = [k["name"] for k in t["fulfillment_cards"]]
    out += [f"{key}.{field}: no fulfillment card named {name!r}" for field in ("exempt_cards", "unknown_cards")
            for name in ver.get(field, []) if name not in cards]
    if bool(ver.get("unknown_cards")) != bool(ver.get("unknown_cards_reason")):
        out.append(f"{key}: unknown_cards and unknown_cards_reason go together (the cards, and why they are unknown)")
    return out


def _check_returns(key: str, ver: dict) -> list[str]:
    if ver["not_in_force"]:
        return []
    out = _need_source(key, ver)
    if not ver["rate_unavailable"]:
        out.append(f"{key}.rate_unavailable: missing (the reason the per-unit rate is not known)")
    if bool(ver["other_categories_unavailable"]) == bool(ver["other_categories_not_charged"]):
        out.append(f"{key}: give other_categories_unavailable or other_categories_not_charged (the reason), "
                   "exactly one")
    for j, th in enumerate(ver["thresholds"]):
        out += _need_source(f"{key}.thresholds[{j}]", th, ver)
    if ver["every_return_categories"] and not (ver["every_return_source"] and ver["every_return_confidence"]):
        out.append(f"{key}: every_return_categories needs every_return_source and every_return_confidence")
    return out
