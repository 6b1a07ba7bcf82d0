"""Table notices: statements a table makes about its own dates (a schedule carried forward, a change not yet in
the reference), shown as warnings on every quote in their dates, for one fee line or for all.

Data: `notices` (dated; `text`, `source`, optional `fee`).
Tests: tests/fees/test_notices.py.
"""

from __future__ import annotations

import numpy as np

from ..tables.schema import FEE_LINES
from .base import Frame, Section, WarningSource, classes


def compile(frame: Frame, data: Section) -> WarningSource:
    """Per period, the notices in force: one column for the whole table, then one per fee line."""
    n = len(frame.periods)
    columns = np.full((n, 1 + len(FEE_LINES)), -1, dtype=np.int32)
    for notice in data["notices"]:
        message = frame.message(notice["text"])
        column = 1 + FEE_LINES.index(notice["fee"]) if notice["fee"] else 0
        for p in range(n):
            if frame.periods.active(notice, p):
                columns[p, column] = message
    return classes(columns, (n,))


def warnings(notices: WarningSource, period: np.ndarray) -> list[WarningSource]:
    ids, table = notices
    return [(ids[period], table)]
