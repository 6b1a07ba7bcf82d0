"""The per-item fee of the Individual selling plan (Professional sellers pay a monthly subscription instead).

Data: `per_item_fee.individual`, or `per_item_fee.unavailable` (the reason) where the store's fee is NOT FOUND:
then an Individual-plan item's fee is unavailable, and a Professional one's is none.
Tests: tests/fees/test_closing.py.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..money import to_minor
from .base import Frame, Line, Section, WarningSource, classes


@dataclass(frozen=True)
class PerItem:
    cents: int
    figure: int
    reason: int               # -1, or why the Individual plan's fee is unavailable
    warnings: WarningSource   # by plan: 0 Professional, 1 Individual


def compile(frame: Frame, data: Section) -> PerItem:
    section = data["per_item_fee"]
    if section["individual"] is None:
        reason = frame.message(f"per_item: the Individual plan's per-item fee: {section['unavailable']}")
        return PerItem(0, -1, reason, classes(np.array([[-1], [-1]]), (2,)))
    fig = frame.figure("per_item_fee.individual", section["individual"], section)
    return PerItem(to_minor(section["individual"]["value"], frame.currency), fig, -1,
                   classes(np.array([[-1], [frame.register.warnings_of([fig])[0]]]), (2,)))


def evaluate(per_item: PerItem, individual: np.ndarray) -> Line:
    return Line(np.where(individual, per_item.cents, 0), np.where(individual, per_item.reason, -1).astype(np.int32),
                np.where(individual, per_item.figure, -1))


def warnings(per_item: PerItem, individual: np.ndarray) -> list[WarningSource]:
    ids, table = per_item.warnings
    return [(ids[individual.astype(np.intp)], table)]


def explain(line: Line, i: int, cite: str) -> str:
    return f"Individual plan per-item fee {cite}" if line.figure[i] >= 0 else "Professional plan: none"
