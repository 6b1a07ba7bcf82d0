"""The storage utilization surcharge (US, from 2024-04-01): a charge per cubic foot on top of monthly storage,
by the seller's storage utilization ratio in weeks of supply, for Professional sellers.

Data: `storage_utilization` (dated versions; `none_up_to_weeks`, then `tiers` with `above_weeks` and a rate for
standard-size and oversize; or `not_in_force`; or `unavailable`, above the threshold or, without one, for any
ratio; dangerous goods may be unavailable).  Without a
ratio (`utilization_weeks`) the surcharge is not assessed, and the quote says so.
Tests: tests/fees/test_utilization.py.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..money import to_minor
from .base import STORED_ELSEWHERE_TEXT, Frame, Line, Section, WarningSource, classes, per_volume, stored_elsewhere


@dataclass(frozen=True)
class Utilization:
    version: np.ndarray      # intp per period
    edges: np.ndarray        # float (version, tier): the tier's lower ratio, exclusive
    rate: np.ndarray         # int64 (version, slot, oversize): slot 0 is at or below the threshold (no charge)
    figure: np.ndarray       # int32, same shape
    reason: np.ndarray       # int32 (version, slot)
    dg_reason: np.ndarray    # int32 per version: dangerous goods above the threshold
    text: list[list[str]]    # per version and slot: 'ratio over 22 to 28 weeks'
    warnings: WarningSource
    elsewhere: int           # reason id: the units are stored in another marketplace


@dataclass(frozen=True)
class UtilizationLine(Line):
    version: np.ndarray
    slot: np.ndarray
    oversize: np.ndarray
    weeks: np.ndarray        # the ratio given (NaN: none)
    individual: np.ndarray


def compile(frame: Frame, data: Section) -> Utilization:
    versions = data["storage_utilization"]
    nv, maxt = len(versions), max([len(v["tiers"]) for v in versions] + [1])
    edges = np.full((nv, maxt), np.inf)
    rate = np.full((nv, maxt + 1, 2), -1, dtype=np.int64)
    rate[:, 0, :] = 0
    figure = np.full((nv, maxt + 1, 2), -1, dtype=np.int32)
    reason = np.full((nv, maxt + 1), -1, dtype=np.int32)
    dg_reason = np.full(nv, -1, dtype=np.int32)
    text = [[""] * (maxt + 1) for _ in range(nv)]
    for v, ver in enumerate(versions):
        if ver["not_in_force"]:
            text[v][0] = f"not in force: {ver['not_in_force']}"
            continue
        threshold = ver["none_up_to_weeks"]
        if threshold is None:  # NOT FOUND altogether: unavailable for any ratio given
            edges[v, 0] = -np.inf
            reason[v, 1:] = frame.message(f"storage utilization surcharge: {ver['unavailable']}")
            continue
        text[v][0] = f"ratio of {threshold} weeks or less: none"
        if ver["dangerous_goods_unavailable"]:
            dg_reason[v] = frame.message(f"storage utilization surcharge: {ver['dangerous_goods_unavailable']}")
        if not ver["tiers"]:
            edges[v, 0] = float(threshold)
            reason[v, 1:] = frame.message(
                f"storage utilization surcharge above {threshold} weeks: {ver['unavailable']}")
            continue
        for j, tier in enumerate(ver["tiers"]):
            edges[v, j] = float(tier["above_weeks"])
            upper = ver["tiers"][j + 1]["above_weeks"] if j + 1 < len(ver["tiers"]) else None
            text[v][j + 1] = f"ratio over {tier['above_weeks']}" + (f" to {upper}" if upper else "") + " weeks"
            for ov, cls in enumerate(("standard", "oversize")):
                rate[v, j + 1, ov] = to_minor(tier[cls]["value"], frame.currency)
                figure[v, j + 1, ov] = frame.figure(f"storage_utilization[{v}] {cls}, {text[v][j + 1]}", tier[cls],
                                                    tier, ver)
    fw = frame.register.warnings_of(figure.ravel()).reshape(figure.shape)
    return Utilization(frame.periods.first_active(versions), edges, rate, figure, reason, dg_reason, text,
                       classes(fw[..., None], figure.shape),
        frame.message(STORED_ELSEWHERE_TEXT))


def evaluate(surcharge: Utilization, period: np.ndarray, oversize: np.ndarray, dangerous: np.ndarray,
             individual: np.ndarray, weeks_given: np.ndarray, volume: np.ndarray,
             program: np.ndarray) -> UtilizationLine:
    """Surcharge per storage unit of volume at the tier of the seller's ratio; Professional sellers only."""
    n = len(period)
    version = surcharge.version[period]
    weeks = np.where(individual, np.nan, weeks_given)
    if np.isnan(weeks).all():  # no ratio given anywhere: nothing assessed
        zero = Line.zero(n)
        return UtilizationLine(zero.cents, zero.reason, zero.figure, version, np.zeros(n, dtype=np.intp), oversize,
                               weeks_given, individual)
    slot = (weeks[:, None] > surcharge.edges[version]).sum(axis=1)  # 0: not given, or at or below the threshold
    rate = surcharge.rate[version, slot, oversize]
    why = surcharge.reason[version, slot]
    dg_why = np.where(dangerous.astype(bool) & (slot > 0), surcharge.dg_reason[version], -1)
    line = UtilizationLine(per_volume(volume, np.maximum(rate, 0)), np.where(why >= 0, why, dg_why),
                           surcharge.figure[version, slot, oversize], version, slot, oversize, weeks_given, individual)
    return stored_elsewhere(line, program, surcharge.elsewhere)


def warnings(surcharge: Utilization, line: UtilizationLine) -> list[WarningSource]:
    ids, table = surcharge.warnings
    return [(ids[line.version, line.slot, line.oversize], table)]


def explain(surcharge: Utilization, line: UtilizationLine, i: int, cite: str) -> str:
    text = surcharge.text[int(line.version[i])][int(line.slot[i])]
    if line.figure[i] >= 0:
        return f"{text}: per cubic foot x item volume {cite}"
    if bool(line.individual[i]):
        return "Individual plan: not charged (Professional sellers only)"
    return text if line.slot[i] > 0 or not np.isnan(line.weeks[i]) else \
        "not assessed: no storage utilization ratio (utilization_weeks) given"
