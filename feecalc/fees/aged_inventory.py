"""The aged-inventory surcharge (formerly the long-term storage fee): a monthly charge on units stored longer
than a number of days, per cubic foot and/or per unit (the greater), by age band; some categories are exempt
in some bands.

Data: `aged_inventory` (dated versions of contiguous `bands` from `from_days` to `to_days`; `per_cubic_foot`,
`per_unit`, `exempt_categories` with their own source; or `unavailable`).  The line is one month's charge for a
unit of age `age_days`.
Tests: tests/fees/test_aged_inventory.py.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..money import to_minor
from .base import BIG, STORED_ELSEWHERE_TEXT, Frame, Line, Section, WarningSource, classes, per_volume, stored_elsewhere


@dataclass(frozen=True)
class AgedInventory:
    version: np.ndarray      # intp per period
    lower: np.ndarray        # int64 (version, band): first day of each band (BIG: unused)
    per_volume_c: np.ndarray  # int64 (version, slot): slot 0 is younger than the first band
    per_unit_c: np.ndarray
    reason: np.ndarray       # int32 (version, slot)
    figure: np.ndarray       # int32 (version, slot)
    exempt: np.ndarray       # bool (version, slot, category)
    text: list[list[str]]
    youngest: int            # the lowest age at which any band (or unknown schedule) starts
    warnings: WarningSource  # by (version, slot, exempt)
    elsewhere: int           # reason id: the units are stored in another marketplace


@dataclass(frozen=True)
class AgedLine(Line):
    version: np.ndarray
    slot: np.ndarray
    exempt: np.ndarray


def compile(frame: Frame, data: Section) -> AgedInventory:
    versions = data["aged_inventory"]
    maxb = max([len(v["bands"]) for v in versions] + [1])
    nv, ncat = len(versions), len(frame.categories)
    lower = np.full((nv, maxb), BIG, dtype=np.int64)
    slots = (nv, maxb + 1)
    per_volume_c = np.zeros(slots, dtype=np.int64)
    per_unit_c = np.zeros(slots, dtype=np.int64)
    reason = np.full(slots, -1, dtype=np.int32)
    figure = np.full(slots, -1, dtype=np.int32)
    exempt = np.zeros((nv, maxb + 1, ncat), dtype=bool)
    exempt_fig = np.full(slots, -1, dtype=np.int32)
    text = [[""] * (maxb + 1) for _ in range(nv)]
    for v, ver in enumerate(versions):
        if ver["unavailable"]:
            lower[v, 0] = 1  # new stock (age 0) owes no aged-inventory charge; older stock is unknown
            reason[v, 1:] = frame.message(f"aged inventory surcharge: {ver['unavailable']}")
            continue
        for j, band in enumerate(ver["bands"]):
            lower[v, j] = band["from_days"]
            slot = (v, j + 1)
            span = f"{band['from_days']}-{band['to_days']} days" if band["to_days"] else f"{band['from_days']}+ days"
            text[v][j + 1] = f"aged {span}"
            if band["unavailable"]:
                reason[slot] = frame.message(f"aged inventory surcharge, {span}: {band['unavailable']}")
                continue
            key = f"aged_inventory[{v}] {span}"
            if band["per_cubic_foot"]:
                per_volume_c[slot] = to_minor(band["per_cubic_foot"]["value"], frame.currency)
                figure[slot] = frame.figure(key, band["per_cubic_foot"], band, ver)
            if band["per_unit"]:
                per_unit_c[slot] = to_minor(band["per_unit"]["value"], frame.currency)
                text[v][j + 1] += f", greater of {band['per_cubic_foot']['value']}/cu ft and " \
                                  f"{band['per_unit']['value']}/unit"
                if figure[slot] < 0:
                    figure[slot] = frame.figure(key, band["per_unit"], band, ver)
            exempt[v, j + 1, frame.categories.indices(band["exempt_categories"],
                                                     f"aged_inventory[{v}].bands[{j}].exempt_categories")] = True
            if band["exempt_categories"]:
                exempt_fig[slot] = frame.figure(key + " category exemption", {
                    "source": band["exemption_source"], "confidence": band["exemption_confidence"]})
    fw = frame.register.warnings_of
    exempt_warning = np.broadcast_to(fw(exempt_fig.ravel()).reshape(slots)[..., None], (*slots, 2)).copy()
    exempt_warning[..., 0] = -1  # the exemption's warning only where the exemption applies
    figure_warning = np.stack([fw(figure.ravel()).reshape(slots), np.full(slots, -1)], -1)  # exempt: no figure
    reasons = np.broadcast_to(reason[..., None], figure_warning.shape)
    return AgedInventory(frame.periods.first_active(versions), lower, per_volume_c, per_unit_c, reason, figure,
                         exempt, text, int(lower[:, 0].min()),
                         classes(np.stack([reasons, figure_warning, exempt_warning], -1), (nv, maxb + 1, 2)),
        frame.message(STORED_ELSEWHERE_TEXT))


def evaluate(aged: AgedInventory, period: np.ndarray, category: np.ndarray, age_days: np.ndarray,
             volume: np.ndarray, program: np.ndarray) -> AgedLine:
    n = len(age_days)
    version = aged.version[period]
    if age_days.max(initial=0) < aged.youngest:  # all younger than every first band: nothing to charge
        zero = Line.zero(n)
        return AgedLine(zero.cents, zero.reason, zero.figure, version, np.zeros(n, dtype=np.intp),
                        np.zeros(n, dtype=bool))
    slot = (age_days[:, None] >= aged.lower[version]).sum(axis=1)
    cell = version * (aged.lower.shape[1] + 1) + slot  # flat index into the (version, slot) arrays
    exempt = aged.exempt.reshape(-1, aged.exempt.shape[2])[cell, category]
    amount = np.maximum(per_volume(volume, aged.per_volume_c.ravel()[cell]), aged.per_unit_c.ravel()[cell])
    line = AgedLine(np.where(exempt, 0, amount), aged.reason.ravel()[cell],
                    np.where(exempt, -1, aged.figure.ravel()[cell]), version, slot, exempt)
    return stored_elsewhere(line, program, aged.elsewhere)


def warnings(aged: AgedInventory, line: AgedLine) -> list[WarningSource]:
    ids, table = aged.warnings
    return [(ids[line.version, line.slot, line.exempt.astype(np.intp)], table)]


def explain(aged: AgedInventory, line: AgedLine, i: int, cite: str) -> str:
    text = aged.text[int(line.version[i])][int(line.slot[i])]
    if line.figure[i] < 0:
        return f"{text}: exempt category" if text else "younger than the first aged-inventory band"
    return f"{text} {cite}"
