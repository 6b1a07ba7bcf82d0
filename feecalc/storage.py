"""Monthly storage, the storage utilization surcharge and the aged-inventory surcharge, compiled into
lookups by period, storage class, season, utilization tier and age band."""

from __future__ import annotations

import numpy as np

from .compiled import BIG, Compiled, _active, _category_index
from .money import to_cents
from .tables import category_key


def compile_storage(c: Compiled, t: dict) -> None:
    """All storage-related sections of a table."""
    _storage(c, t)
    _utilization(c, t)
    _aged(c, t)
    _youngest(c)


def _storage(c: Compiled, t: dict) -> None:
    # rate[period, dangerous_goods, class (standard, oversize, standard_apparel), oct_dec] in cents per storage
    # volume unit; -1: unavailable.  Standard-size items in a version's apparel_categories use standard_apparel.
    shape = (c.nper + 1, 2, 3, 2)
    c.st_rate = np.full(shape, -1, dtype=np.int64)
    c.st_fig = np.full(shape, -1, dtype=np.int32)
    c.st_reason = np.full(shape, -1, dtype=np.int32)
    c.st_apparel = np.zeros((c.nper + 1, len(c.category_keys) + 1), dtype=bool)
    c.has_apparel_storage = any(ver["apparel_categories"] for ver in t["storage"])
    for i, ver in enumerate(t["storage"]):
        for p in range(c.nper):
            if not _active(c, ver, p):
                continue
            for name in ver["apparel_categories"]:
                c.st_apparel[p, _category_index(c, name)] = True
            for dg, group in enumerate(("rates", "dangerous_goods")):
                for cls_i, cls in enumerate(("standard", "oversize", "standard_apparel")):
                    classes = ver[group] or {}
                    seasons = classes.get(cls) or (classes.get("standard") if cls == "standard_apparel" else None)
                    for oct_dec, season in enumerate(("jan_sep", "oct_dec")):
                        fig = (seasons or {}).get(season)
                        if fig is None:
                            why = ver["unavailable"] or "NOT FOUND in the reference"
                            c.st_reason[p, dg, cls_i, oct_dec] = c.message(
                                f"storage: {'dangerous goods ' if dg else ''}{cls} {season.replace('_', '-')} "
                                f"rate from {ver['start'] or c.start} to {ver['end'] or c.end}: {why}")
                            continue
                        c.st_rate[p, dg, cls_i, oct_dec] = to_cents(fig["value"])
                        used = cls if classes.get(cls) else "standard"
                        c.st_fig[p, dg, cls_i, oct_dec] = c.figure(f"storage[{i}].{group}.{used}.{season}", fig, ver)


def _utilization(c: Compiled, t: dict) -> None:
    """Storage utilization surcharge: tiers by the seller's ratio (weeks), per cubic foot by storage class."""
    versions = t["storage_utilization"]
    nv, maxt = len(versions), max([len(v["tiers"]) for v in versions] + [1])
    c.sus_version = np.array([next(i for i, v in enumerate(versions) if _active(c, v, p)) for p in range(c.nper)],
                             dtype=np.intp)
    c.sus_edges = np.full((nv, maxt), np.inf)
    c.sus_rate = np.full((nv, maxt + 1, 2), -1, dtype=np.int64)  # slot 0: at or below the threshold
    c.sus_rate[:, 0, :] = 0
    c.sus_fig = np.full((nv, maxt + 1, 2), -1, dtype=np.int32)
    c.sus_reason = np.full((nv, maxt + 1), -1, dtype=np.int32)
    c.sus_dg_reason = np.full(nv, -1, dtype=np.int32)
    c.sus_text = [[""] * (maxt + 1) for _ in range(nv)]
    for v, ver in enumerate(versions):
        if ver["not_in_force"]:
            c.sus_text[v][0] = f"not in force: {ver['not_in_force']}"
            continue
        threshold = ver["none_up_to_weeks"]
        c.sus_text[v][0] = f"ratio of {threshold} weeks or less: none"
        if ver["dangerous_goods_unavailable"]:
            c.sus_dg_reason[v] = c.message(f"storage utilization surcharge: {ver['dangerous_goods_unavailable']}")
        if not ver["tiers"]:
            c.sus_edges[v, 0] = float(threshold)
            c.sus_reason[v, 1:] = c.message(f"storage utilization surcharge above {threshold} weeks: "
                                            f"{ver['unavailable']}")
            continue
        for j, tier in enumerate(ver["tiers"]):
            c.sus_edges[v, j] = float(tier["above_weeks"])
            upper = ver["tiers"][j + 1]["above_weeks"] if j + 1 < len(ver["tiers"]) else None
            c.sus_text[v][j + 1] = f"ratio over {tier['above_weeks']}" + (f" to {upper}" if upper else "") + " weeks"
            for ov, cls in enumerate(("standard", "oversize")):
                c.sus_rate[v, j + 1, ov] = to_cents(tier[cls]["value"])
                c.sus_fig[v, j + 1, ov] = c.figure(
                    f"storage_utilization[{v}] {cls}, {c.sus_text[v][j + 1]}", tier[cls], tier, ver)


def _aged(c: Compiled, t: dict) -> None:
    versions = t["aged_inventory"]
    maxb = max([len(v["bands"]) for v in versions] + [1])
    nv, ncat = len(versions), len(c.category_keys)
    c.ais_version = np.zeros(c.nper, dtype=np.intp)
    for p in range(c.nper):
        c.ais_version[p] = next(i for i, v in enumerate(versions) if _active(c, v, p))
    c.ais_lower = np.full((nv, maxb), BIG, dtype=np.int64)
    slots = (nv, maxb + 1)  # slot 0: younger than the first band (no charge)
    c.ais_cuft_c = np.zeros(slots, dtype=np.int64)
    c.ais_unit_c = np.zeros(slots, dtype=np.int64)
    c.ais_reason = np.full(slots, -1, dtype=np.int32)
    c.ais_fig = np.full(slots, -1, dtype=np.int32)
    c.ais_exempt = np.zeros((nv, maxb + 1, ncat), dtype=bool)
    c.ais_exempt_fig = np.full(slots, -1, dtype=np.int32)
    c.ais_text = [[""] * (maxb + 1) for _ in range(nv)]
    for v, ver in enumerate(versions):
        if ver["unavailable"]:
            c.ais_lower[v, 0] = 1  # new stock (age 0) owes no aged-inventory charge; older stock is unknown
            c.ais_reason[v, 1:] = c.message(f"aged inventory surcharge: {ver['unavailable']}")
            continue
        for j, band in enumerate(ver["bands"]):
            c.ais_lower[v, j] = band["from_days"]
            slot = (v, j + 1)
            span = f"{band['from_days']}-{band['to_days']} days" if band["to_days"] else f"{band['from_days']}+ days"
            c.ais_text[v][j + 1] = f"aged {span}"
            if band["unavailable"]:
                c.ais_reason[slot] = c.message(f"aged inventory surcharge, {span}: {band['unavailable']}")
                continue
            key = f"aged_inventory[{v}] {span}"
            if band["per_cubic_foot"]:
                c.ais_cuft_c[slot] = to_cents(band["per_cubic_foot"]["value"])
                c.ais_fig[slot] = c.figure(key, band["per_cubic_foot"], band, ver)
            if band["per_unit"]:
                c.ais_unit_c[slot] = to_cents(band["per_unit"]["value"])
                c.ais_text[v][j + 1] += f", greater of {band['per_cubic_foot']['value']}/cu ft and " \
                                        f"{band['per_unit']['value']}/unit"
                if c.ais_fig[slot] < 0:
                    c.ais_fig[slot] = c.figure(key, band["per_unit"], band, ver)
            for name in band["exempt_categories"]:
                ci = c.category_lookup.get(category_key(name))
                if ci is None:
                    raise ValueError(f"aged_inventory[{v}].bands[{j}].exempt_categories: unknown category {name!r}")
                c.ais_exempt[v, j + 1, ci] = True
            if band["exempt_categories"]:
                c.ais_exempt_fig[slot] = c.figure(
                    key + " category exemption",
                    {"source": band["exemption_source"], "confidence": band["exemption_confidence"]})


def _youngest(c: Compiled) -> None:
    """The lowest age at which any aged-inventory band (or unknown schedule) starts."""
    c.ais_youngest = int(c.ais_lower[:, 0].min())
