"""A costed file's notes: the warnings that belong to a fee table or a figure, stated once per file.

A carried-forward schedule or a DERIVED figure says the same thing on every row it applies to; in a file of a
million rows that sentence would fill most of the output and drown what is really about one row.  `Legend` gives
each such notice a short code (W1, W2, ...) in order of first appearance; a row's `warnings` cell carries the codes
in place of the texts, its own warnings (why one of its fees is unavailable, how its category was read) in full.
The notices themselves, with their fee table, source and the number of rows they apply to, go to a legend file
beside a CSV or Parquet output (`<name>.notes.csv`) or to an XLSX output's Notes sheet.  `cost_frame` keeps the
full texts and gives the notices in `attrs["notes"]` and each warnings text's parts in `attrs["warning_parts"]`.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pandas as pd

NOTE_COLUMNS = ("code", "notice", "fee_table", "source", "rows")


def notes_path(output: Path) -> Path:
    """catalog.costed.csv -> catalog.costed.notes.csv beside it (the same for a Parquet output)."""
    return output.with_name(f"{output.stem}.notes.csv")


class Legend:
    """The notices of one file, in order of first appearance, each with its code and the rows it applies to."""

    def __init__(self) -> None:
        self.notes: dict[str, dict] = {}

    def code(self, warnings: pd.Series, attrs: dict) -> pd.Categorical:
        """A chunk's `warnings` column (cost_frame's, with its attrs) with each notice replaced by its code; the
        rows' own warnings are kept as they are, in their place."""
        for note in attrs.get("notes", ()):
            known = self.notes.get(note["notice"])
            if known is None:
                self.notes[note["notice"]] = {"code": f"W{len(self.notes) + 1}", **note}
            else:
                known["rows"] += note["rows"]
        parts = attrs.get("warning_parts", {})
        column = pd.Categorical(warnings)
        texts = ["; ".join(self.notes[text]["code"] if notice is not None else text for text, notice in parts[t])
                 if t in parts else t for t in column.categories]
        codes, uniques = pd.factorize(pd.Series(texts, dtype=object))  # two texts may code alike: keep one each
        mapped = np.append(codes, -1)[column.codes]
        return pd.Categorical.from_codes(mapped, categories=list(uniques))

    def rows(self) -> list[dict]:
        """The notices as the legend states them: code, notice, fee table, source and rows."""
        return [{k: note[k] for k in NOTE_COLUMNS} for note in self.notes.values()]

    def write(self, path: Path) -> None:
        """The legend as a CSV file (UTF-8 with a byte order mark, which spreadsheet programs read)."""
        partial = path.with_name(path.name + ".partial")  # a run stopped half-way leaves the old file whole
        with open(partial, "w", encoding="utf-8-sig", newline="") as fh:
            out = csv.writer(fh)
            out.writerow(NOTE_COLUMNS)
            for note in self.rows():
                out.writerow([note[k] if note[k] is not None else "" for k in NOTE_COLUMNS])
        partial.replace(path)
