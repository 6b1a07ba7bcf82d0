"""`feecalc` command line: quote, batch, impact, compare, portfolio, audit, tables, serve.

Exit codes: 0 success; 1 some rows had errors (the output file is still written); 2 the command
could not run (bad arguments, unreadable input, missing columns, a missing extra).  Messages go to stderr.
`serve` (the web extra) and `compare --plot` (the plot extra) import their dependencies only when run.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import re
import sys
from decimal import Decimal
from pathlib import Path
from types import ModuleType

import numpy as np
import pandas as pd
from babel.numbers import format_currency

from .errors import FeecalcError
from .numbers import parse_numbers
from .quote import quote
from .tables.schema import INBOUND_POINTS, LIL_EXEMPTIONS, PLACEMENTS, PROGRAM_NAMES

_SIZE = re.compile(r"^\s*([\d.,]+)\s*x\s*([\d.,]+)\s*x\s*([\d.,]+)\s*([a-z]+)\s*$", re.I)
_AMOUNT = re.compile(r"^\s*([\d.,]+)\s*([a-z]+)\s*$", re.I)
_PLAIN = re.compile(r"^[+-]?(\d+(?:\.\d*)?|\.\d+)$")


def cli_number(text: str, marketplace: str, option: str) -> str:
    """A number as typed on the command line: plain (24.99) or with the marketplace's decimal symbol (24,99 for DE),
    never with grouping (1.234 is 1.234, not 1234); returned as a plain decimal string, exact."""
    from .marketplaces import marketplace as market_info
    from .numbers import symbols

    text = str(text).strip()
    if _PLAIN.match(text):
        return text
    market = market_info(marketplace)
    decimal = symbols(market.locale)[0] if market else "."
    if decimal != "." and text.count(decimal) == 1 and _PLAIN.match(text.replace(decimal, ".")):
        return text.replace(decimal, ".")
    raise FeecalcError(f"{option}: {text!r} is not a number: write it plainly (24.99)" +
                       (f" or with {decimal!r} as the decimal symbol (24{decimal}99)" if decimal != "." else "") +
                       ", without grouping")


def _dims(text: str) -> tuple[str, str, str, str]:
    match = _SIZE.match(text)
    if not match:
        raise argparse.ArgumentTypeError(f"expected dimensions such as 10x6x3in, got {text!r}")
    length, width, height, unit = match.groups()
    return length, width, height, unit


def _weight(text: str) -> tuple[str, str]:
    match = _AMOUNT.match(text)
    if not match:
        raise argparse.ArgumentTypeError(f"expected a weight such as 1.2lb, got {text!r}")
    weight, unit = match.groups()
    return weight, unit


def _item_args(p: argparse.ArgumentParser) -> None:
    """The item: required, never a sample item's values standing in for a forgotten option."""
    p.add_argument("--price", required=True, help="item price, e.g. 24.99 (or 24,99 where the marketplace writes a "
                                                  "decimal comma)")
    p.add_argument("--dims", type=_dims, required=True, help="LxWxH with unit, e.g. 10x6x3in or 25.4x15.2x7.6cm")
    p.add_argument("--weight", type=_weight, required=True, help="weight with unit, e.g. 1.2lb or 544g")
    p.add_argument("--category", required=True, help="referral category, e.g. home_and_kitchen")


def _item_options(p: argparse.ArgumentParser) -> None:
    """quote's optional inputs, the same for `quote` and `compare`."""
    p.add_argument("--shipping", default="0", help="shipping the buyer pays")
    p.add_argument("--gift-wrap", default="0", help="gift wrap the buyer pays")
    p.add_argument("--on", default=None, help="date, ISO format (default: today)")
    p.add_argument("--marketplace", default="US", help=f"store: {_stores()} (default: US)")
    p.add_argument("--apparel", action=argparse.BooleanOptionalAction, default=None,
                   help="priced on the apparel card (default: inferred from the category)")
    p.add_argument("--dangerous-goods", action="store_true")
    p.add_argument("--sipp", action="store_true", help="ships in its own product packaging: no packaging fee")
    p.add_argument("--plan", default="professional", choices=["professional", "individual"])
    p.add_argument("--age-days", type=int, default=0, help="the unit's age on the date (aged-inventory surcharge)")
    p.add_argument("--program", default="standard", choices=PROGRAM_NAMES,
                   help="fulfilment programme: standard (local stock), cep (DE), efn, efn_cep (from another EU "
                        "country's stock), remote_fulfillment (across the UK/EU border), pan_eu, pan_eu_cep (Pan-EU "
                        "stock in another EU country)")
    p.add_argument("--seller-country", default=None,
                   help="where the seller is established, for the Digital Services Fee (default: the marketplace's)")
    p.add_argument("--utilization-weeks", default=None,
                   help="the seller's storage utilization ratio in weeks (US storage utilization surcharge)")
    p.add_argument("--placement", default=None, choices=PLACEMENTS,
                   help="inbound placement option (inbound placement fee; default: not assessed)")
    p.add_argument("--inbound-point", default="high", choices=INBOUND_POINTS,
                   help="where in Amazon's inbound placement range to take the fee (high: an upper bound)")
    p.add_argument("--days-of-supply", nargs="+", default=None, metavar="DAYS",
                   help="historical days of supply: one number for both, or SHORT LONG (low-inventory-level fee)")
    p.add_argument("--return-rate", default=None, help="share of units returned, 0.12 or 12%% (returns processing)")
    p.add_argument("--pan-eu-unit", action="store_true",
                   help="a Pan-European FBA unit sold from this store's stock (programmes pan_eu, pan_eu_cep imply it)")
    for flag in LIL_EXEMPTIONS:
        p.add_argument(f"--{flag.replace('_', '-')}", action="store_true",
                       help=f"low-inventory-level fee exemption: {flag.replace('_', ' ')}")


def _item_values(args) -> dict:
    """The item's inputs from the command line, named as quote's arguments; numbers plain or with the marketplace's
    decimal symbol (cli_number)."""
    number = {name: cli_number(getattr(args, name), args.marketplace, f"--{name.replace('_', '-')}")
              for name in ("price", "shipping", "gift_wrap")}
    length, width, height = (cli_number(v, args.marketplace, "--dims") for v in args.dims[:3])
    dunit = args.dims[3]
    weight, wunit = cli_number(args.weight[0], args.marketplace, "--weight"), args.weight[1]
    return {"price": number["price"], "shipping": number["shipping"], "gift_wrap": number["gift_wrap"],
            "length": length,
            "width": width, "height": height, "dimension_unit": dunit, "weight": weight, "weight_unit": wunit,
            "category": args.category, "apparel": args.apparel, "dangerous_goods": args.dangerous_goods,
            "sipp": args.sipp, "plan": args.plan, "age_days": args.age_days, "program": args.program,
            "seller_country": args.seller_country, "utilization_weeks": args.utilization_weeks,
            "placement": args.placement, "inbound_point": args.inbound_point,
            "days_of_supply": _days_of_supply(args.days_of_supply), "return_rate": args.return_rate,
            "pan_eu_unit": args.pan_eu_unit, **{flag: getattr(args, flag) for flag in LIL_EXEMPTIONS}}


def _days_of_supply(values: list[str] | None):
    """One number for both, or (short, long)."""
    if values is None or len(values) == 1:
        return None if values is None else values[0]
    if len(values) != 2:
        raise FeecalcError("--days-of-supply: give one number, or two (short-term, long-term)")
    return tuple(values)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="feecalc", description="Exact, explainable Amazon seller fees.")
    sub = parser.add_subparsers(dest="command", required=True)
    q = sub.add_parser("quote", help="fee breakdown for one item")
    _item_args(q)
    _item_options(q)
    q.add_argument("--json", action="store_true", help="print quote(...).to_dict() as JSON")

    b = sub.add_parser("batch", help="cost every row of a CSV, XLSX/XLSM/ODS or Parquet file")
    _file_args(b)
    b.add_argument("--on", default=None, help="date, ISO format (default: today); a 'date' column overrides it")
    b.add_argument("--quiet", action="store_true", help="no progress and no summary on stderr")
    b.add_argument("--full-warnings", action="store_true",
                   help="every warning in full on every row (by default a fee table's or a figure's notices are "
                        "stated once, in a legend file beside a CSV or Parquet output or an XLSX's Notes sheet, and "
                        "rows carry their codes, W1, W2, ...)")

    im = sub.add_parser("impact", help="cost a catalog under the schedules of two dates and show what changes")
    _file_args(im)
    im.add_argument("--from", dest="date_from", required=True, help="the earlier date")
    im.add_argument("--to", dest="date_to", required=True, help="the later date")
    im.add_argument("--quiet", action="store_true")

    c = sub.add_parser("compare", help="FBA vs seller-fulfilled vs own web shop for one item")
    _item_args(c)
    _item_options(c)
    c.add_argument("--profile", default=None, help="cost profile TOML (default: the bundled us-default)")
    c.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                   help="override a profile value, e.g. --set cost_of_goods=6 --set monthly_units=300")
    c.add_argument("--target-margin", default=None, help="also the lowest price for this margin, e.g. 0.2")
    c.add_argument("--plot", default=None, metavar="FILE.png", help="draw profit by channel against price")
    c.add_argument("--json", action="store_true")

    pf = sub.add_parser("portfolio", help="best channel per SKU and portfolio totals for a spreadsheet")
    _file_args(pf)
    pf.add_argument("--on", default=None)
    pf.add_argument("--profile", default=None)
    pf.add_argument("--core-units", type=float, default=None, help="SKUs selling at least this many a month go to FBA")
    pf.add_argument("--core-share", type=float, default=None,
                    help="the top SKUs making this share of revenue go to FBA")
    pf.add_argument("--break-even", action="store_true", help="add break-even prices per channel")

    au = sub.add_parser("audit", help="check Amazon's fee preview, settlement, transaction and storage reports "
                                      "against the fee tables, with the money at stake")
    au.add_argument("files", nargs="+", metavar="FILE",
                    help="Amazon's reports, recognised by their header (.gz or not): the FBA Fee Preview, the "
                         "settlement flat file V2, the transaction CSV (US or German), the monthly storage fees")
    au.add_argument("--catalog", default=None, help="your own measurements: any spreadsheet `batch` reads, with a "
                                                    "sku or asin column (and monthly_units for money a month)")
    au.add_argument("--on", default=None, help="the fee preview's date, ISO (default: today; it carries none)")
    au.add_argument("--tolerance", default="0",
                    help="a difference per unit up to this is listed as within tolerance (default 0: exact to the "
                         "cent), e.g. 0.01")
    au.add_argument("-o", "--output", default=None,
                    help="OUT.xlsx, OUT.csv or OUT.json (default: FIRST-FILE.audit.xlsx beside the first file)")
    au.add_argument("--category-map", default=None, metavar="MAP.csv",
                    help="CSV 'label,category': product groups the built-in maps do not settle")
    au.add_argument("--catalog-marketplace", default="US",
                    help="the store whose number format the catalog is written in (default: US)")
    au.add_argument("--force", action="store_true", help="replace an existing output file")
    au.add_argument("--quiet", action="store_true", help="no summary on stdout")

    sv = sub.add_parser("serve", help="start the HTTP API under gunicorn")
    sv.add_argument("--host", default="127.0.0.1")
    sv.add_argument("--port", type=int, default=8000)
    sv.add_argument("--workers", type=int, default=None, help="worker processes (default: one per core)")
    sv.add_argument("--no-access-log", action="store_true", help="no per-request log lines on stderr")

    t = sub.add_parser("tables", help="list, show, validate or diff fee tables")
    tsub = t.add_subparsers(dest="tables_command", required=True)
    tsub.add_parser("list", help="tables with their dates, hashes and confidence counts")
    show = tsub.add_parser("show", help="one table as JSON")
    show.add_argument("id")
    val = tsub.add_parser("validate", help="validate a table file or folder (default: the bundled tables)")
    val.add_argument("path", nargs="?", default=None)
    cats = tsub.add_parser("categories", help="a table's referral categories (key and Amazon's name), and the "
                                              "product groups that stand for them")
    cats.add_argument("id")
    dif = tsub.add_parser("diff", help="what changed between two schedules")
    dif.add_argument("id1")
    dif.add_argument("id2")
    return parser


def _stores() -> str:
    """The stores with fee tables, from the marketplace registry (for help texts; a bad tables folder is reported
    when a command runs, not here)."""
    from .marketplaces import quotable

    try:
        return ", ".join(quotable())
    except FeecalcError:
        return "see feecalc tables list"


def _file_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("input", help="CSV, TSV, XLSX, XLSM, ODS or Parquet file")
    p.add_argument("-o", "--output", default=None, help="output file (default: INPUT.costed.EXT beside the input)")
    p.add_argument("--marketplace", default="US",
                   help=f"store: {_stores()} (default: US); a 'marketplace' column wins")
    p.add_argument("--locale", default=None, help="number format of the file, e.g. de_DE (default: the marketplace's)")
    p.add_argument("--sheet", default=None, help="sheet to read (default: the first; spreadsheets only)")
    p.add_argument("--delimiter", default=None, help="CSV delimiter (default: detected)")
    p.add_argument("--encoding", default=None,
                   help="CSV encoding (default: detected: UTF-8, UTF-16 with a byte order mark, or cp1252)")
    p.add_argument("--force", action="store_true", help="replace an existing output file")
    p.add_argument("--category-map", default=None, metavar="MAP.csv",
                   help="CSV 'label,category': the file's own category names and the categories they stand for")


def main(argv: list[str] | None = None) -> int:
    """The `feecalc` command: 0 done, 1 some rows had errors, 2 the command could not run or finish."""
    try:
        return _run(build_parser().parse_args(argv))
    except BrokenPipeError:  # the reader went away (`feecalc tables diff a b | head`): stop without a traceback
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # so that the exit flush does not fail
        return 2


def _run(args) -> int:
    try:
        if args.command == "batch":
            return _batch(args)
        if args.command == "impact":
            return _impact(args)
        if args.command == "tables":
            return _tables(args)
        if args.command == "compare":
            return _compare(args)
        if args.command == "portfolio":
            return _portfolio(args)
        if args.command == "serve":
            return _serve(args)
        if args.command == "audit":
            return _audit(args)
    except FeecalcError as exc:
        print(f"feecalc: {exc}", file=sys.stderr)
        return 2
    return _quote(args)


def _audit(args) -> int:
    """`feecalc audit`: 0 no finding calls for action, 1 some finding does (the output is written either way),
    2 the audit could not run."""
    from .audit import run, write
    from .audit.findings import COLUMNS

    try:
        result = run(args.files, catalog=args.catalog, on=args.on, tolerance=args.tolerance,
                     category_map_path=args.category_map, catalog_marketplace=args.catalog_marketplace)
    except ValueError as exc:
        raise FeecalcError(str(exc)) from None
    first = Path(args.files[0])
    base = first.with_suffix("") if first.suffix.lower() == ".gz" else first
    output = Path(args.output) if args.output else base.with_name(f"{base.with_suffix('').name}.audit.xlsx")
    written = write(result, output, force=args.force)
    if not args.quiet:
        print(audit_text(result, written))
    findings = result.findings
    assert list(findings.columns) == list(COLUMNS)
    return 1 if (~findings["action"].astype(str).str.startswith("none")).any() else 0


def audit_text(result, written: list[Path]) -> str:
    """What `feecalc audit` prints: the files read, the findings by kind and the money at stake, the unmatched lines
    by reason, and the files written."""
    from .audit.recognise import FEE_PREVIEW, REPORT_TYPES
    from .audit.report import headline, summary

    tol = result.tolerance
    previews = any(r.kind == FEE_PREVIEW for r in result.reports)
    lines = [f"audit: {f'fee preview date {result.on}; ' if previews else ''}tolerance {tol}" +
             (" (exact to the cent)" if tol == 0 else " per unit")]
    for ledger in result.ledgers:
        lines.append(f"  {ledger.file}: {REPORT_TYPES.get(ledger.kind, ledger.kind)}, {ledger.variant}: "
                     f"{len(ledger):,} lines, {int(ledger.matched.sum()):,} matched, "
                     f"{int((~ledger.matched).sum()):,} not matched")
    tables = summary(result)
    by_kind = tables["Money at stake by kind"]
    lines.append(f"findings: {len(result.findings):,}")
    proj = "projected at stake on the fee preview's estimate"
    for row in by_kind.to_dict("records"):
        currency = row["currency"]
        parts = [f"money at stake {currency} {row['money at stake (above the card)']}"
                 if row["money at stake (above the card)"] else "",
                 f"below the card {currency} {row['below the card (in your favour)']}"
                 if row["below the card (in your favour)"] else "",
                 f"not checked {currency} {row['charges not checked']}" if row["charges not checked"] else "",
                 f"projected on the fee preview's estimate {currency} {row[proj]}" if row[proj] else ""]
        money = "".join(f", {p}" for p in parts if p)
        within = f" ({row['within tolerance']} within tolerance)" if row["within tolerance"] else ""
        lines.append(f"  {row['kind']}: {row['findings']}{within}{money}")
    reasons = tables["Lines by reason (matched and not matched)"]
    unmatched = reasons[reasons["matched"] == "no"]
    # the money at stake is of the charges checked: a line not matched (a fee type feecalc does not check, an
    # account-level fee) is not in it, whatever its amount
    lines.append(f"money at stake: {headline(result)}" +
                 ("; of the charges checked (the lines not matched, below, are not in it)" if len(unmatched) else ""))
    projected = result.projected()
    if projected:
        lines.append("projected at stake on the fee preview's estimate (not added): " + ", ".join(
            f"{c} {v}" for c, v in sorted(projected.items())))
    if len(unmatched):
        lines.append("lines not matched:")
        for row in unmatched.itertuples(index=False):
            amount = f" ({row.currency} {row.amount})" if row.currency and row.amount is not None else ""
            lines.append(f"  {row.file}: {row.lines:,} x {row.reason}{amount}")
    lines += [f"note: {note}" for note in result.notes]
    lines.append("written to " + ", ".join(str(p) for p in written))
    return "\n".join(lines)


def _optional(module: str, extra: str, command: str) -> ModuleType:
    """Import `module`, which comes with the `extra`; without it, a FeecalcError (exit 2) that says what to install
    rather than a traceback."""
    try:
        return importlib.import_module(module)
    except ModuleNotFoundError as exc:
        raise FeecalcError(f"{command} needs the {extra} extra (no module named {exc.name!r}): "
                           f"pip install 'feecalc[{extra}]'") from None


def _serve(args) -> int:
    """The web app's server (feecalc_api.serve): the library imports nothing from the web app, so it is
    imported here, when the command runs."""
    web = _optional("feecalc_api.serve", "web", "serve")
    web.serve(args.host, args.port, args.workers, access_log=not args.no_access_log)
    return 0


def _quote(args) -> int:
    try:
        result = quote(args.marketplace, args.on, **_item_values(args))
    except FeecalcError as exc:
        print(f"feecalc: {exc}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(result.to_dict(), indent=2))
        return 0
    print(render(result))
    return 0


def render(result) -> str:
    """Human breakdown: one line per fee, amounts formatted for the marketplace's locale."""
    from .marketplaces import marketplace

    market = marketplace(result.marketplace)
    locale = market.locale if market else "en_US"
    money = lambda v: format_currency(Decimal(v), result.currency, locale=locale)  # noqa: E731
    lines = [f"{result.table_id} (sha256 {result.table_hash[:12]}) on {result.date}: {result.size_tier}, "
             f"program {result.program}, "
             f"dimensional weight {result.dimensional_weight} {result.weight_unit}, "
             f"shipping weight {result.shipping_weight} {result.weight_unit}"]
    for name, text in result.lines.items():
        amount = money(result.fees[name]) if name in result.fees else "unavailable"
        lines.append(f"  {name:<30}{amount:>12}  {text.split(': ', 1)[-1]}")
    for (name, amount), text in zip((("total", result.total), ("landed_total", result.landed_total)),
                                    result.totals(), strict=True):
        lines.append(f"  {name:<30}{money(amount) if amount is not None else 'unavailable':>12}  "
                     f"{text.split(' = ', 1)[-1]}")
    lines.append(f"  {result.closing_note()}")
    lines += [f"  warning: {w}" for w in result.warnings]
    return "\n".join(lines)


def _batch(args) -> int:
    from .batch import cost_file

    result = cost_file(args.input, args.output, on=args.on, marketplace=args.marketplace, locale=args.locale,
                       sheet=args.sheet, delimiter=args.delimiter, encoding=args.encoding, force=args.force,
                       progress=not args.quiet, category_map=args.category_map, full_warnings=args.full_warnings)
    s = result.summary
    for note in result.output_notes:  # the output's form differs from the input's: said even with --quiet
        print(f"feecalc: {result.output}: {note}", file=sys.stderr)
    if not args.quiet:
        for note in result.notes:
            print(f"feecalc: {args.input}: {note}", file=sys.stderr)
        print(f"feecalc: {args.input}: {s.rows:,} rows, {s.error_rows:,} with errors -> {result.output}",
              file=sys.stderr)
        where = "sheet row" if result.kind == "excel" else "line"
        _print_errors(args.input, s.first_errors, s.error_rows, where, result.header_row)
    if result.legend is not None:  # a second file written: said even with --quiet
        print(f"feecalc: {result.output}: {len(s.notes)} notice(s) of fee tables and figures are stated once, in "
              f"{result.legend}; the warnings column gives their codes (W1, W2, ...)", file=sys.stderr)
    return 1 if s.error_rows else 0


def _print_errors(name, first: list[tuple[int, str]], total: int, where: str, header_row: int) -> None:
    """The first rows with errors on stderr, with their line (or sheet row); then how many more there are."""
    for row, message in first:
        print(f"feecalc: {name}: row {row} ({where} {row + header_row}): {message}", file=sys.stderr)
    if total > len(first):
        print(f"feecalc: ... and {total - len(first):,} more rows with errors (see the 'error' column)",
              file=sys.stderr)


def _impact(args) -> int:
    from .impactfile import impact_file

    result = impact_file(args)
    for note in result.output_notes:
        print(f"feecalc: {result.output}: {note}", file=sys.stderr)
    if not args.quiet:
        print(f"impact of {args.input}: {args.date_from} -> {args.date_to}; written to {result.output}")
        if result.error_rows:
            print(f"feecalc: {args.input}: {result.rows:,} rows, {result.error_rows:,} with errors (left out of "
                  f"the totals)", file=sys.stderr)
            where = "sheet row" if result.kind == "excel" else "line"
            _print_errors(args.input, result.first_errors, result.error_rows, where, result.header_row)
        for title, table in result.tables.items():
            print(f"\n{title}:\n{table.to_string()}")
    return 1 if result.error_rows else 0


def _tables(args) -> int:
    from .tablediff import confidence_counts, diff
    from .tables import all_tables, load_directory, load_groups, load_table, tables_dir
    from .tables.loader import GROUPS_NAME

    if args.tables_command == "list":
        for t in all_tables():
            counts = ", ".join(f"{k} {v}" for k, v in sorted(confidence_counts(t).items()))
            extends = f" (extends {t.extends})" if t.extends else ""
            print(f"{t.id:<10} {t.marketplace} {t.effective_from} to {t.effective_to}  sha256 {t.sha256[:12]}  "
                  f"{t.path.name}{extends}  figures: {counts}")
        return 0
    if args.tables_command == "show":
        info = _find(args.id)
        print(json.dumps(info.data, indent=2, default=str))
        return 0
    if args.tables_command == "categories":
        _print_categories(_find(args.id))
        return 0
    if args.tables_command == "validate":
        path = Path(args.path or tables_dir())
        if path.name == GROUPS_NAME:  # a product-group file, checked against the tables in use
            _print_groups(load_groups(path))
            return 0
        infos = load_directory(path) if path.is_dir() else [load_table(path)]
        for t in infos:
            extends = f"extends {t.extends}, " if t.extends else ""
            print(f"ok: {t.path}: {t.id} ({t.marketplace} {t.effective_from} to {t.effective_to}), {extends}"
                  f"sha256 {t.sha256}")
        for groups in sorted(path.glob(f"*/{GROUPS_NAME}")) if path.is_dir() else ():
            _print_groups(load_groups(groups, tuple(infos)))
        return 0
    lines = diff(_find(args.id1), _find(args.id2))
    print("\n".join(lines) if lines else "no differences")
    return 0


def _print_categories(info) -> None:
    """One line per category of a table: its key, Amazon's name, and the product groups read as it."""
    from .tables import category_key, product_groups

    groups = product_groups(info.marketplace)
    by_category: dict[str, list[str]] = {}
    for group in dict.fromkeys(groups.groups.values()) if groups else ():
        for c in (group.category,) if group.category else group.candidates:
            by_category.setdefault(c, []).extend(
                f"{n}{'' if group.category else ' (ambiguous)'}" for n in group.names)
    names = {category_key(c["name"]): c["name"] for c in info.data["referral"]}
    for key, name in names.items():
        extra = f"  product groups: {', '.join(by_category[key])}" if key in by_category else ""
        print(f"{key:<46} {name}{extra}")


def _print_groups(groups) -> None:
    """The 'ok' line of a product-group file: its marketplace and how many names it maps, and how."""
    entries = set(groups.groups.values())
    own = sum(1 for g in entries if g.own_reading and g.category)
    ambiguous = sum(1 for g in entries if g.candidates)
    print(f"ok: {groups.path}: product groups for {groups.marketplace}, {len(groups.groups)} names in {len(entries)} "
          f"entries ({len(entries) - own - ambiguous} sourced, {own} feecalc's own reading, {ambiguous} ambiguous)")


def _compare(args) -> int:
    from .channels import load_profile
    from .compare import compare

    if args.plot:  # before any work: say what is missing rather than fail after the comparison
        _optional("matplotlib", "plot", "compare --plot")
    bad = [kv for kv in args.set if "=" not in kv]
    if bad:
        raise FeecalcError(f"--set: expected KEY=VALUE, got {bad[0]!r}")
    overrides = dict(kv.split("=", 1) for kv in args.set)
    profile = load_profile(args.profile, **overrides)
    item = {k: v for k, v in _item_values(args).items() if v is not None}
    result = compare(args.marketplace, args.on, profile=profile, target_margin=args.target_margin, **item)
    print(json.dumps(result.to_dict(), indent=2) if args.json else result.explain())
    if args.plot:
        from .plot import plot_profit

        plot_profit(item, result, profile, args.plot, on=args.on, marketplace=args.marketplace)
        print(f"plot written to {args.plot}", file=sys.stderr)
    return 0


def _portfolio(args) -> int:
    from .batch import TableSummary, assemble, engine_frame, make_writer, merge_errors, open_job
    from .compare import compare_frame
    from .sheets import ARROW

    job = open_job(args.input, args.output, "portfolio", args.locale, args.marketplace, args.sheet, args.delimiter,
                   args.encoding, args.force, args.category_map)
    source, mapping, out_path = job.source, job.mapping, job.out_path
    originals, chunks, cell_errors = [], [], []
    for chunk in source.chunks:
        frame, errors = engine_frame(chunk, mapping, job.locale, job.dim_unit, job.weight_unit)
        seller, seller_errors = _seller_columns(chunk, job.locale)
        originals.append(chunk)
        chunks.append(pd.concat([seller, frame], axis=1))  # the seller's costs (numbers in the locale), quote's
        cell_errors.append(errors.where(errors.notna(), seller_errors))
    df = pd.concat(chunks, ignore_index=True)
    result, totals = compare_frame(df, args.profile, on=args.on, marketplace=args.marketplace,
                                   core_units=args.core_units, core_share=args.core_share, break_even=args.break_even)
    cells = pd.concat(cell_errors, ignore_index=True)
    result["error"] = merge_errors(cells, result["error"], mapping)
    for name in [c for c in result.columns if c.startswith("needs_")]:  # a bad cell is why no channel is costed
        result[name] = cells.where(cells.notna(), result[name])
    # every input row and cell as it came, then the comparison's columns, written as `batch` writes (the input's
    # delimiter and encoding, its workbook kept, Parquet columns in their types), the totals on the Summary sheet
    inputs = pd.concat(originals, ignore_index=True) if len(originals) != 1 else originals[0]
    if len(originals) > 1 and all(ARROW in c.attrs for c in originals):
        import pyarrow as pa

        inputs.attrs[ARROW] = pa.Table.from_batches([c.attrs[ARROW] for c in originals])
    rows = assemble(inputs, result.drop(columns=list(df.columns)))
    writer = make_writer(out_path, source, job.locale, args.marketplace, sheet="SKUs")
    try:
        writer.write(rows)
        writer.close(TableSummary(len(rows), int(result["error"].notna().sum()),
                                  {"Portfolio": totals.set_index("scenario")}, {}))
    except BaseException:
        writer.abort()
        raise
    print(totals.to_string(index=False))
    print(f"written to {out_path}", file=sys.stderr)
    bad = result["error"].notna().to_numpy()
    if bad.any():
        first = [(int(i), str(result["error"].iloc[i])) for i in np.flatnonzero(bad)[:10]]
        print(f"feecalc: {args.input}: {len(rows):,} rows, {int(bad.sum()):,} with errors (left out of the totals)",
              file=sys.stderr)
        _print_errors(args.input, first, int(bad.sum()), "sheet row" if source.kind == "excel" else "line",
                      source.header_row)
    return 1 if bad.any() else 0


def _seller_columns(chunk: pd.DataFrame, locale: str) -> tuple[pd.DataFrame, pd.Series]:
    """The file's cost-profile columns (cost_of_goods, monthly_units, ...; headers matched as quote's are) as numbers
    read in the locale ('1.000' is a thousand in de_DE, '6,50' six and a half), and per-row messages for cells that
    are empty or not numbers: such a row is that row's error, never the profile's value or a misread number."""
    from .channels import SELLER_KEYS
    from .columns import normalize

    wanted = {normalize(k): k for k in SELLER_KEYS}
    found = {wanted[normalize(c)]: c for c in chunk.columns if normalize(c) in wanted}
    out = pd.DataFrame(index=chunk.index)
    messages = pd.Series(None, index=chunk.index, dtype=object)
    for key, column in sorted(found.items()):
        values = chunk[column]
        numbers, bad = parse_numbers(values, locale)
        why = pd.Series(None, index=chunk.index, dtype=object)
        why[np.isnan(numbers) & ~bad] = f"{column}: empty cell"
        if bad.any():  # one message per distinct bad cell
            codes, uniques = pd.factorize(values[bad].astype(object).astype(str))
            why[bad] = np.array([f"{column}: {u!r} is not a number ({locale})" for u in uniques], dtype=object)[codes]
        messages = messages.where(messages.notna(), why)
        out[key] = numbers
    out.attrs["from"] = list(found.values())
    return out, messages


def _find(table_id: str):
    from .tables import all_tables

    for t in all_tables():
        if t.id == table_id:
            return t
    raise FeecalcError(f"tables: no table {table_id!r} (known: {', '.join(t.id for t in all_tables())})")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
