"""feecalc's own figures for the items a report names: the one engine (`inputs.prepare`, `engine.evaluate`), run once
per distinct item, never per report line, and never a second implementation of a fee rule.

Besides each fee line (in the table's minor units, or the reason it is unavailable), the audit needs what the
engine decided on the way: the size tier and its storage class, whether the apparel card was used, the storage rate
per volume unit of the month and the storage utilization surcharge rate (read from the compiled table at the cell
the engine chose), and, for the lines that become findings, the engine's own explanation of a figure (table, card,
tier, band, rule, source), with its low-confidence warning and the input stage's note.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..engine import CompiledTable, Result, evaluate, explain
from ..errors import NoFeeTable
from ..frame import CHUNK
from ..inputs import as_date, prepare
from ..spec import INPUTS
from ..tables.schema import FEE_LINES


@dataclass
class Expected:
    """Per distinct item: the error that kept it from being costed (None: costed), its table and currency, tier,
    storage class, apparel card, each fee line and the reason where it is unavailable, the storage and storage
    utilization surcharge rates (minor units per storage volume unit; -1 unavailable) and the unit's volume."""

    n: int
    error: np.ndarray
    table: np.ndarray
    currency: np.ndarray
    tier: np.ndarray
    oversize: np.ndarray
    apparel: np.ndarray
    minor: dict[str, np.ndarray]
    reason: dict[str, np.ndarray]
    storage_rate: np.ndarray
    storage_reason: np.ndarray
    sus_rate: np.ndarray
    storage_unit: np.ndarray
    unit_volume: np.ndarray
    tier_names: np.ndarray  # the table's tier names (a tuple), per item
    no_table: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))  # the item's only error: no fee
    # table covers its store on its date (a figure unavailable for the date, not an input to correct)
    _groups: list[tuple[CompiledTable, Result, np.ndarray, np.ndarray | None]] = field(default_factory=list)
    _group: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.intp))
    _local: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.intp))

    @property
    def costed(self) -> np.ndarray:
        return self.error == None  # noqa: E711  (element-wise)

    def explain(self, i: int, name: str, note: bool = True) -> str:
        """How fee line `name` was computed for item i (the engine's explanation), with the figure's
        low-confidence warning and (unless `note` is false) the note of the input stage (a category read from a
        product group)."""
        g = int(self._group[i])
        if g < 0:
            return f"not costed: {self.error[i]}"
        table, result, _, notes = self._groups[g]
        j = int(self._local[i])
        line = result.lines[name]
        if line.reason[j] >= 0:
            text = f"unavailable: {table.messages[int(line.reason[j])]}"
        else:
            text = f"{table.id}, {self.tier[i]}: {explain(table, result, j, name)}"
        warning = int(table.frame.register.warnings_of([int(line.figure[j])])[0])
        if warning >= 0:
            text += f"; warning: {table.messages[warning]}"
        if note and notes is not None and notes[j]:
            text += f"; {notes[j]}"
        return text


def figures(items: pd.DataFrame, on=None, marketplace: str = "US") -> Expected:
    """The engine's figures for each row of `items` (columns named like `quote`'s arguments, with `marketplace` and
    `date`); rows are costed as they are: call it with distinct items."""
    n = len(items)
    cols = {name: _values(items[name]) for name in INPUTS if name in items.columns}
    out = Expected(
        n, np.full(n, None, dtype=object), np.full(n, None, dtype=object), np.full(n, None, dtype=object),
        np.full(n, None, dtype=object), np.zeros(n, dtype=bool), np.full(n, -1, dtype=np.intp),
        {k: np.zeros(n, dtype=np.int64) for k in FEE_LINES}, {k: np.full(n, None, dtype=object) for k in FEE_LINES},
        np.full(n, -1, dtype=np.int64), np.full(n, None, dtype=object), np.full(n, -1, dtype=np.int64),
        np.full(n, None, dtype=object), np.full(n, np.nan), np.full(n, None, dtype=object))
    out._group, out._local = np.full(n, -1, dtype=np.intp), np.zeros(n, dtype=np.intp)
    if not n:
        return out
    out.no_table = np.zeros(n, dtype=bool)
    groups, probs = prepare(cols, n, as_date(on), marketplace, keep_all=True)
    out.error[:] = probs.text
    for row, errors in probs.every.items():
        out.no_table[row] = all(isinstance(e, NoFeeTable) and not str(e).startswith("marketplace:") for e in errors)
    for group in groups:
        m = len(group.items.price_c)
        for lo in range(0, m, CHUNK):
            part = slice(lo, min(lo + CHUNK, m))
            rows = np.arange(n)[part] if group.rows is None else group.rows[part]
            items_part = group.items if m <= CHUNK else type(group.items)(
                **{k: v[part] for k, v in vars(group.items).items()})
            notes = None if group.notes is None else group.notes[part]
            _fill(out, group.table, evaluate(group.table, items_part), rows, notes)
    return out


def _fill(out: Expected, table: CompiledTable, result: Result, rows: np.ndarray, notes: np.ndarray | None) -> None:
    out._group[rows] = len(out._groups)
    out._local[rows] = np.arange(len(rows))
    out._groups.append((table, result, rows, notes))
    out.table[rows], out.currency[rows] = table.id, table.currency
    out.tier[rows] = np.array(table.tier_names, dtype=object)[result.tier]
    names = np.empty(len(rows), dtype=object)
    names.fill(tuple(table.tier_names))
    out.tier_names[rows] = names
    out.oversize[rows] = table.size_tier.oversize[result.tier].astype(bool)
    out.apparel[rows] = result.items.apparel
    messages = np.array([*table.messages, None], dtype=object)
    for name, line in result.lines.items():
        out.minor[name][rows] = line.cents
        out.reason[name][rows] = messages[line.reason]
    rate = table.storage.rate[result.storage.cell]
    out.storage_rate[rows] = rate
    out.storage_reason[rows] = messages[table.storage.reason[result.storage.cell]]
    sus = result.utilization
    out.sus_rate[rows] = table.utilization.rate[sus.version, sus.slot, sus.oversize]
    out.storage_unit[rows] = table.storage.unit
    out.unit_volume[rows] = result.measure.volume * table.storage.volume_factor


def distinct(items: pd.DataFrame) -> tuple[np.ndarray, pd.DataFrame]:
    """(code per row, the distinct rows in order of first appearance): the engine runs once per distinct item."""
    if not len(items):
        return np.zeros(0, dtype=np.intp), items
    codes = items.groupby(list(items.columns), sort=False, dropna=False).ngroup().to_numpy()
    first = np.full(codes.max() + 1, -1, dtype=np.intp)
    first[codes[::-1]] = np.arange(len(codes))[::-1]
    return codes, items.iloc[first].reset_index(drop=True)


def _values(column: pd.Series):
    return column.to_numpy() if isinstance(column.dtype, np.dtype) else column.array
