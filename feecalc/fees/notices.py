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
    """Per period, the notices in force, in table order: the notices for the whole table, then those for each fee line
    in FEE_LINES order (several may be in force for one line at once)."""
    n = len(frame.periods)
    notices = sorted(data["notices"], key=lambda x: 1 + FEE_LINES.index(x["fee"]) if x["fee"] else 0)
    columns = np.full((n, max(len(notices), 1)), -1, dtype=np.int32)
    for j, notice in enumerate(notices):
        message = frame.register.sourced(frame.message(notice["text"]), notice.get("source"))
        for p in range(n):
            if frame.periods.active(notice, p):
                columns[p, j] = message
    return classes(columns, (n,))


def warnings(notices: WarningSource, period: np.ndarray) -> list[WarningSource]:
    ids, table = notices
    return [(ids[period], table)]
