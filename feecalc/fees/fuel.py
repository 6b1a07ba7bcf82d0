"""The fuel and logistics surcharge: a percentage of the fulfilment fee, rounded half up to the cent.

Data: `surcharges` (dated; `fee = "fuel_surcharge"`, `on = "fulfillment"`, `rate`, or `unavailable`, the reason,
where whether or how much the store charges is NOT FOUND).  Where the fulfilment fee is unavailable, so is its
surcharge.
Tests: tests/fees/test_fuel.py.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..money import PPM, half_up_div, percent_to_ppm
from .base import Frame, Line, Section, WarningSource, classes


@dataclass(frozen=True)
class Fuel:
    ppm: np.ndarray        # int64 per period: the rate in parts per million (0: none in force)
    figure: np.ndarray     # int32 per period
    reason: np.ndarray     # int32 per period: why the surcharge is unavailable (-1: it is not)
    warnings: WarningSource


def compile(frame: Frame, data: Section) -> Fuel:
    n = len(frame.periods)
    ppm = np.zeros(n, dtype=np.int64)
    figure = np.full(n, -1, dtype=np.int32)
    reason = np.full(n, -1, dtype=np.int32)
    for i, sur in enumerate(data["surcharges"]):
        if sur["rate"] is None:
            why, fig = frame.message(f"fuel_surcharge: {sur['name']}: {sur['unavailable']}"), -1
        else:
            why, fig = -1, frame.figure(f"surcharges[{i}] {sur['name']} {sur['rate']}", sur)
        for p in range(n):
            if frame.periods.active(sur, p):
                ppm[p] = percent_to_ppm(sur["rate"]) if sur["rate"] is not None else 0
                figure[p], reason[p] = fig, why
    return Fuel(ppm, figure, reason, classes(frame.register.warnings_of(figure)[:, None], (n,)))


def evaluate(fuel: Fuel, period: np.ndarray, fulfillment: Line) -> Line:
    ppm = fuel.ppm[period]
    return Line(half_up_div(fulfillment.cents * ppm, PPM), np.where(ppm > 0, fulfillment.reason, fuel.reason[period]),
                fuel.figure[period])


def warnings(fuel: Fuel, period: np.ndarray) -> list[WarningSource]:
    ids, table = fuel.warnings
    return [(ids[period], table)]


def explain(key: str | None, cite: str) -> str:
    return f"{key} on the fulfillment fee, half up {cite}" if key is not None else "no surcharge in force on this date"
