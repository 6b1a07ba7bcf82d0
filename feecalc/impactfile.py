"""`feecalc impact` on a file: read every chunk, run impact_frame, write the result, summarise."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from .batch import TableSummary, assemble, check_covered, engine_frame, make_writer, merge_errors, open_job
from .columns import normalize
from .impact import UNITS, impact_frame, impact_summary
from .inputs import Problems, as_date
from .numbers import parse_numbers


@dataclass
class ImpactResult:
    tables: dict[str, pd.DataFrame]  # totals, change by size tier, change by category
    output: Path
    rows: int
    error_rows: int
    first_errors: list[tuple[int, str]]  # (row number, message) of the first ten rows with errors
    header_row: int
    kind: str
    output_notes: list[str]  # how the output differs in form from the input (an encoding that could not hold it)


def impact_file(args) -> ImpactResult:
    """Run `feecalc impact` for its parsed arguments: write the per-row file, return the summary."""
    job = open_job(args.input, args.output, "impact", args.locale, args.marketplace, args.sheet, args.delimiter,
                   args.encoding, args.force, args.category_map)
    check_covered(as_date(args.date_from), args.marketplace, job.mapping, "from")
    check_covered(as_date(args.date_to), args.marketplace, job.mapping, "to")
    source, mapping, out_path, locale = job.source, job.mapping, job.out_path, job.locale
    dim_unit, weight_unit = job.dim_unit, job.weight_unit
    writer = make_writer(out_path, source, locale, args.marketplace, sheet="Impact")
    parts: list[pd.DataFrame] = []
    first: list[tuple[int, str]] = []
    errors, fee_tables = 0, {}
    try:
        units_column = next((c for c in source.headers if normalize(c) == normalize(UNITS)), None)
        for chunk in source.chunks:
            frame, parse_errors = engine_frame(chunk, mapping, locale, dim_unit, weight_unit)
            if units_column is not None:  # the totals are weighted by it: a cell that is not a number is an error
                frame[UNITS], parse_errors = _units(chunk[units_column], units_column, locale, parse_errors)
                frame["price"] = frame["price"].where(parse_errors.isna())
            result = impact_frame(frame, args.date_from, args.date_to, marketplace=args.marketplace)
            result["error"] = merge_errors(parse_errors, result["error"], mapping)
            bad = result["error"].notna().to_numpy()
            offset = sum(len(p) for p in parts)
            first += [(offset + int(i) + 1, result["error"].iloc[i]) for i in np.flatnonzero(bad)[:10 - len(first)]]
            errors += int(bad.sum())
            writer.write(assemble(chunk, result.drop(columns=list(frame.columns))))
            parts.append(result.drop(columns=[c for c in frame.columns if c not in ("category", UNITS)]))
            fee_tables.update(result.attrs.get("fee_tables", {}))
        tables = impact_summary(pd.concat(parts))
        rows = sum(len(p) for p in parts)
        writer.close(TableSummary(rows, errors, {k.replace("totals", "Totals") if k.startswith("totals") else
                                                 f"Change by {k}": v for k, v in tables.items()}, fee_tables))
    except BaseException:
        writer.abort()
        raise
    return ImpactResult(tables, out_path, rows, errors, first, source.header_row, source.kind,
                        list(getattr(writer, "notes", [])))


def _units(values: pd.Series, column: str, locale: str, errors: pd.Series) -> tuple[np.ndarray, pd.Series]:
    """The monthly units of each row (read in the locale), and the row errors with those of cells that are empty, not
    numbers or negative: with such a cell the row's weight in the totals is unknown, so the row is an error."""
    numbers, bad = parse_numbers(values, locale)
    problems = Problems(len(values))
    cells = values.to_numpy(dtype=object)
    problems.add(bad, cells, lambda v: f"{column}: {v!r} is not a number ({locale})")
    problems.add(np.isnan(numbers) & ~bad, cells, lambda v: f"{column}: empty cell (the totals are weighted by it)")
    problems.add(numbers < 0, cells, lambda v: f"{column}: must not be negative, got {v!r}")
    mine = pd.Series(problems.text, index=errors.index)
    merged = errors.where(errors.isna() | mine.isna(), errors.astype(str) + "; " + mine.astype(str))
    return numbers, merged.where(merged.notna(), mine)
