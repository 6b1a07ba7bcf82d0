"""`feecalc impact` on a file: read every chunk, run impact_frame, write the result, summarise."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .batch import Summary, assemble, default_output, engine_frame, make_writer, merge_errors
from .columns import accepted, header_units, match_columns
from .impact import impact_frame, impact_summary
from .numbers import is_valid_locale
from .sheets import BatchError, open_source, output_kind


def impact_file(args) -> tuple[dict[str, pd.DataFrame], Path, int]:
    """(summary tables, output path, rows with errors) for the parsed `feecalc impact` arguments."""
    path = Path(args.input)
    locale = args.locale or {"US": "en_US"}.get(args.marketplace.upper(), "en_US")
    if not is_valid_locale(locale):
        raise BatchError(f"--locale: unknown locale {locale!r}")
    out_path = Path(args.output) if args.output else default_output(path, "impact")
    output_kind(out_path)
    if out_path.exists() and not args.force:
        raise BatchError(f"{out_path}: already exists; use --force to replace it")
    source = open_source(path, sheet=args.sheet, delimiter=args.delimiter, encoding=args.encoding)
    mapping = match_columns(source.headers)
    if mapping.missing:
        raise BatchError(f"{path}: missing required column(s) {', '.join(mapping.missing)}; found "
                         f"{', '.join(map(repr, source.headers))}; accepted names: {accepted()}")
    dim_unit, weight_unit, problem = header_units(mapping)
    if problem:
        raise BatchError(f"{path}: {problem}")
    writer = make_writer(out_path, source, locale, args.marketplace)
    parts, errors = [], 0
    try:
        for chunk in source.chunks:
            frame, parse_errors = engine_frame(chunk, mapping, locale, dim_unit, weight_unit)
            result = impact_frame(frame, args.date_from, args.date_to, marketplace=args.marketplace)
            result["error"] = merge_errors(parse_errors, result["error"], mapping)
            errors += int(result["error"].notna().sum())
            writer.write(assemble(chunk, result.drop(columns=list(frame.columns))))
            parts.append(result.drop(columns=[c for c in frame.columns if c != "category"]))
        writer.close(Summary())
    except BaseException:
        writer.abort()
        raise
    return impact_summary(pd.concat(parts)), out_path, errors
