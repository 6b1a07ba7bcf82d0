"""Every input line's fate: matched (read and understood: checked, or not a fee) or unmatched, each with its reason,
so that no line is lost and the Summary can say how many lines could not be matched and why.

A line's first assigned status stands: the auditors assign the most specific reasons first and end with a
catch-all, and `done` checks that every line has one.  Blank lines are not lines of data: they are counted apart.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa

MATCHED, UNMATCHED = "matched", "unmatched"
NONE = np.array(None, dtype=object)  # a missing value in np.where


@dataclass
class Ledger:
    """The lines of one input file: `line` numbers, and per line `matched`, `reason` (a reason shared by many lines,
    which the Summary counts), `detail` (this line's own words, or None), and for report lines with an amount, that
    amount (micro-units) and its currency, so that unknown and unchecked fee types are totalled, never dropped."""

    file: str
    kind: str
    variant: str
    line: np.ndarray
    cells: pa.Table | pd.DataFrame  # each line's cells as given, for the unmatched lines' sheet
    header: list[str]  # the file's column names, in order
    blank_lines: int = 0
    matched: np.ndarray = field(init=False)
    reason: np.ndarray = field(init=False)
    detail: np.ndarray = field(init=False)
    amount: np.ndarray = field(init=False)
    has_amount: np.ndarray = field(init=False)
    currency: np.ndarray = field(init=False)
    notes: list[str] = field(default_factory=list)  # what applies to the whole file (its date, its decimal symbol)

    def __post_init__(self) -> None:
        n = len(self.line)
        self.matched = np.zeros(n, dtype=bool)
        self.reason = np.full(n, None, dtype=object)
        self.detail = np.full(n, None, dtype=object)
        self.amount = np.zeros(n, dtype=np.int64)
        self.has_amount = np.zeros(n, dtype=bool)
        self.currency = np.full(n, None, dtype=object)

    def __len__(self) -> int:
        return len(self.line)

    @property
    def open(self) -> np.ndarray:
        """Lines with no status yet."""
        return self.reason == None  # noqa: E711  (element-wise)

    def assign(self, mask: np.ndarray, matched: bool, reason: str, detail: np.ndarray | str | None = None) -> None:
        """Give the lines in `mask` that have no status yet this one."""
        rows = mask & self.open
        if not rows.any():
            return
        self.matched[rows] = matched
        self.reason[rows] = reason
        if detail is not None:
            self.detail[rows] = detail[rows] if isinstance(detail, np.ndarray) else detail

    def amounts(self, micro: np.ndarray, given: np.ndarray, currency: np.ndarray) -> None:
        self.amount, self.has_amount, self.currency = micro, given, currency

    def done(self) -> Ledger:
        left = np.flatnonzero(self.open)
        if len(left):  # an auditor that left a line without a status: a bug, said rather than hidden
            raise AssertionError(f"{self.file}: line(s) {self.line[left[:5]].tolist()} were given no status")
        return self

    def drop(self, rows: np.ndarray) -> None:
        """Leave out rows that are not lines of data (blank lines), counting them."""
        keep = ~rows
        self.blank_lines += int(rows.sum())
        for name in ("line", "matched", "reason", "detail", "amount", "has_amount", "currency"):
            setattr(self, name, getattr(self, name)[keep])
        self.cells = self.cells.filter(pa.array(keep)) if isinstance(self.cells, pa.Table) else self.cells[keep]

    def add_unreadable(self, lines: list[tuple[int, str, str]], delimiter: str) -> None:
        """Lines that could not be read as rows (another width than the header): unmatched, their text kept."""
        if not lines:
            return
        width = len(self.header)
        # a line wider than the header keeps its further cells in the last column, as the line had them (joined by
        # the delimiter): the cells, joined again, are the line
        cells = [(text.split(delimiter, width - 1) + [""] * width)[:width] for _, text, _ in lines]
        extra = pd.DataFrame(cells, columns=[f"c{j}" for j in range(width)], dtype=object)
        if isinstance(self.cells, pa.Table):
            self.cells = pa.concat_tables([self.cells, pa.Table.from_pandas(extra, schema=self.cells.schema,
                                                                            preserve_index=False)])
        else:
            self.cells = pd.concat([self.cells, extra.set_axis(list(self.cells.columns), axis=1)], ignore_index=True)
        n = len(lines)
        self.line = np.concatenate([self.line, [line for line, _, _ in lines]])
        self.matched = np.concatenate([self.matched, np.zeros(n, dtype=bool)])
        self.reason = np.concatenate([self.reason, np.full(n, "unreadable line", dtype=object)])
        self.detail = np.concatenate([self.detail, np.array([f"{why}: {text!r}" for _, text, why in lines],
                                                            dtype=object)])
        self.amount = np.concatenate([self.amount, np.zeros(n, dtype=np.int64)])
        self.has_amount = np.concatenate([self.has_amount, np.zeros(n, dtype=bool)])
        self.currency = np.concatenate([self.currency, np.full(n, None, dtype=object)])
        order = np.argsort(self.line, kind="stable")
        for name in ("line", "matched", "reason", "detail", "amount", "has_amount", "currency"):
            setattr(self, name, getattr(self, name)[order])
        self.cells = self.cells.take(order) if isinstance(self.cells, pa.Table) else \
            self.cells.iloc[order].reset_index(drop=True)

    def unmatched(self) -> pd.DataFrame:
        """The unmatched lines: line, reason, detail, then their cells as given, under the file's own names."""
        rows = np.flatnonzero(~self.matched)
        head = pd.DataFrame({"line": self.line[rows], "reason": self.reason[rows], "detail": self.detail[rows]})
        if isinstance(self.cells, pa.Table):
            cells = self.cells.take(pa.array(rows, type=pa.int64())).to_pandas()
        else:
            cells = self.cells.iloc[rows].reset_index(drop=True)
        cells = cells.set_axis([str(h) for h in self.header], axis=1)
        return pd.concat([head, cells], axis=1)

    def counts(self) -> pd.DataFrame:
        """Lines per (matched, reason), with the total of their amounts per currency where they have one."""
        frame = pd.DataFrame({"matched": self.matched, "reason": self.reason,
                              "currency": np.where(self.has_amount, self.currency, NONE),
                              "amount": np.where(self.has_amount, self.amount, 0)})
        frame["currency"] = frame["currency"].fillna("")
        out = frame.groupby(["matched", "reason", "currency"], sort=False).agg(
            lines=("amount", "size"), amount=("amount", "sum")).reset_index()
        return out
