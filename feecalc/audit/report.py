"""The audit's output: the Summary (what was read, the money at stake by kind and by month, the lines that could not
be matched and why) and the writers: an XLSX workbook (Findings, Summary, and one sheet per input file with its
unmatched lines, their cells as given), CSV (the findings, with the summary and the unmatched lines in two files
beside it) and JSON (all three).  Amounts are exact decimals in CSV and JSON, numbers in each row's currency format
in XLSX.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv

from ..sheets import BatchError, escape_formulas, escape_header
from .findings import CHARGED, COLUMNS, DESCRIPTIONS, PROJECTED, UNCHECKED, WITHIN, WITHIN_ROLE
from .recognise import FEE_PREVIEW, REPORT_TYPES

if TYPE_CHECKING:
    from . import Audit

FORMATS = (".xlsx", ".csv", ".json")
MONEY = ("amazon", "feecalc", "difference_per_unit", "money_at_stake")


def summary(audit: Audit) -> dict[str, pd.DataFrame]:
    """The Summary's tables, by title."""
    f = audit.findings
    tol = audit.tolerance
    settings = pd.DataFrame({"setting": [
        "fee date of the fee preview", "tolerance", "files read", "lines read", "lines matched",
        "lines not matched", "findings"], "value": [
        f"{audit.on} (--on: the fee preview carries no date of its own; the other reports' lines are costed on their "
        f"own dates)" if any(r.kind == FEE_PREVIEW for r in audit.reports) else
        "none: no fee preview was given (the reports' lines are costed on their own dates)",
        f"{tol}: exact to the cent" if tol == 0 else
        f"{tol} per unit: a difference up to it is listed with the action '{WITHIN}'",
        str(len(audit.ledgers)), str(audit.lines), str(audit.lines - audit.unmatched), str(audit.unmatched),
        str(len(f))]})
    files = pd.DataFrame([{
        "file": ledger.file, "report": REPORT_TYPES.get(ledger.kind, ledger.kind), "variant": ledger.variant,
        "lines": len(ledger), "matched": int(ledger.matched.sum()), "not matched": int((~ledger.matched).sum()),
        "blank lines": ledger.blank_lines, "notes": "; ".join(ledger.notes)} for ledger in audit.ledgers])
    role = audit.roles()
    by_kind = _money_by(f, "kind", role)
    months = f.assign(month=f["date"].astype(str).str[:7]) if len(f) else f.assign(month=[])
    by_month = _money_by(months, "month", role)
    settings = pd.concat([settings, pd.DataFrame({"setting": [
        "money at stake (charged above the card)", "projected at stake on the fee preview's estimate"],
        "value": [headline(audit), _amounts(audit.projected()) + " (not added to the money at stake: the fee "
                  "preview's estimate projected onto the units, which the settlement and transaction lines charge)"
                  if audit.projected() else "none"]})], ignore_index=True)
    reasons = []
    for ledger in audit.ledgers:
        counts = ledger.counts()
        for row in counts.itertuples(index=False):
            reasons.append({"file": ledger.file, "matched": "yes" if row.matched else "no", "reason": row.reason,
                            "lines": int(row.lines), "currency": row.currency or "",
                            "amount": _total(int(row.amount), row.currency) if row.currency else None})
    tables = {"Audit": settings, "Files read": files, "Money at stake by kind": by_kind,
              "Money at stake by month": by_month,
              "Lines by reason (matched and not matched)": pd.DataFrame(reasons, columns=[
                  "file", "matched", "reason", "lines", "currency", "amount"])}
    if audit.notes:
        tables["Notes"] = pd.DataFrame({"note": audit.notes})
    return tables


def _total(micro: int, currency: str) -> Decimal:
    from .amounts import to_decimal

    return to_decimal(micro, currency or None)


def headline(audit: Audit) -> str:
    """The money at stake per currency, and the charges that could not be checked (it is then a lower bound)."""
    stake, unchecked = audit.money_at_stake(), audit.unchecked()
    text = _amounts(stake) if stake else "none"
    if unchecked:
        text += (f", and {_amounts(unchecked)} of charges could not be checked (the money at stake is a lower "
                 f"bound)")
    return text


def _amounts(values: dict[str, Decimal]) -> str:
    return ", ".join(f"{currency} {value}" for currency, value in sorted(values.items()))


MONEY_BY = ("findings", "within tolerance", "money at stake (above the card)", "below the card (in your favour)",
            "charges not checked", "money at stake is", "projected at stake on the fee preview's estimate",
            "findings without an amount")


def _money_by(f: pd.DataFrame, key: str, role: np.ndarray) -> pd.DataFrame:
    """Per `key` and currency: findings, those within the tolerance (no money), the money charged above the card
    and below it, the charges that could not be checked (the money at stake is then a lower bound), and apart, the
    fee preview's projections (never added to the money charged: they are for the same units)."""
    columns = [key, "currency", *MONEY_BY]
    if not len(f):
        return pd.DataFrame(columns=columns)
    rows = []
    frame = f.assign(_role=role)
    for (value, currency), group in frame.groupby([key, frame["currency"].fillna("")], sort=False):
        mine = group["_role"].to_numpy()

        def total(which: str, column: str = "money_at_stake", sign: int = 0, g=group, m=mine) -> Decimal | None:
            values = [v for v in g[column][m == which] if v is not None and (sign == 0 or v * sign > 0)]
            return sum(values, Decimal(0)) if (m == which).any() else None

        charged, unchecked = total(CHARGED, sign=1), total(UNCHECKED, "amazon")
        rows.append({key: value, "currency": currency, "findings": len(group),
                     "within tolerance": int((mine == WITHIN_ROLE).sum()),
                     "money at stake (above the card)": charged if charged is not None or unchecked is None else None,
                     "below the card (in your favour)": total(CHARGED, sign=-1),
                     "charges not checked": unchecked,
                     "money at stake is": "" if charged is None and unchecked is None else
                     ("a lower bound: some charges could not be checked" if unchecked is not None else "exact"),
                     "projected at stake on the fee preview's estimate": total(PROJECTED, sign=1),
                     "findings without an amount": int(group["money_at_stake"].isna().sum())})
    return pd.DataFrame(rows, columns=columns)


def write(audit: Audit, path, force: bool = False) -> list[Path]:
    """Write the audit to `path` (.xlsx, .csv or .json); the files written.  An existing file needs `force`."""
    path = Path(path)
    ext = path.suffix.lower()
    if ext not in FORMATS:
        raise BatchError(f"{path}: cannot write {path.suffix or 'a file without an extension'}; write .xlsx, .csv or "
                         ".json")
    targets = [path] if ext != ".csv" else [path, _beside(path, "summary"), _beside(path, "unmatched")]
    for target in targets:
        if target.exists() and not force:
            raise BatchError(f"{target}: already exists; use --force to replace it")
    if ext == ".xlsx":
        _xlsx(audit, path)
    elif ext == ".json":
        path.write_text(json.dumps(as_json(audit), indent=1, ensure_ascii=False, allow_nan=False), encoding="utf-8")
    else:
        _csv(findings_table(audit.findings), path)
        _csv(_summary_table(summary(audit)), targets[1])
        _csv(_unmatched_table(audit), targets[2])
    return targets


def _beside(path: Path, tag: str) -> Path:
    return path.with_name(f"{path.stem}.{tag}{path.suffix}")


def _text(value) -> str | None:
    if value is None or (isinstance(value, float) and value != value):
        return None
    if isinstance(value, Decimal):
        return f"{value:f}"
    return str(value)


def findings_table(findings: pd.DataFrame) -> pa.Table:
    """The findings as text (exact decimals), guarded against spreadsheet formulas."""
    table = pa.table({c: pa.array([_text(v) for v in findings[c]], type=pa.string()) for c in COLUMNS})
    return escape_formulas(table, [c for c in COLUMNS if c not in MONEY])


def _summary_table(tables: dict[str, pd.DataFrame]) -> pa.Table:
    """The Summary's tables stacked: a `table` column, then each table's columns as `column`/`value` pairs."""
    rows = []
    for title, frame in tables.items():
        for record in frame.to_dict("records"):
            rows.append({"table": title, **{k: _text(v) for k, v in record.items()}})
    names = list(dict.fromkeys(k for row in rows for k in row))
    table = pa.table({k: pa.array([row.get(k) for row in rows], type=pa.string()) for k in names})
    return escape_formulas(table, names)


def _unmatched_table(audit: Audit) -> pa.Table:
    """Every unmatched line of every file: file, line, reason, detail, and its cells joined by tabs."""
    parts = []
    for ledger in audit.ledgers:
        lines = ledger.unmatched()
        cells = lines.iloc[:, 3:].astype(object).where(lines.iloc[:, 3:].notna(), "")
        joined = cells.astype(str).agg("\t".join, axis=1) if len(lines) else pd.Series([], dtype=object)
        parts.append(pd.DataFrame({"file": ledger.file, "line": lines["line"].astype(str), "reason": lines["reason"],
                                   "detail": lines["detail"], "cells": joined}))
    frame = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=["file", "line", "reason",
                                                                                  "detail", "cells"])
    table = pa.table({c: pa.array([_text(v) for v in frame[c]], type=pa.string()) for c in frame.columns})
    return escape_formulas(table, list(frame.columns))


def _csv(table: pa.Table, path: Path) -> None:
    table = table.rename_columns(escape_header(table.column_names))
    partial = path.with_name(path.name + ".partial")
    pacsv.write_csv(table, partial)
    partial.replace(path)


def as_json(audit: Audit) -> dict:
    """The audit as JSON-ready data: amounts as decimal strings."""
    def records(frame: pd.DataFrame) -> list[dict]:
        return [{k: _json_value(v) for k, v in row.items()} for row in frame.to_dict("records")]

    unmatched = []
    for ledger in audit.ledgers:
        for row in ledger.unmatched().to_dict("records"):
            head = {"file": ledger.file, "line": int(row.pop("line")), "reason": _json_value(row.pop("reason")),
                    "detail": _json_value(row.pop("detail"))}
            unmatched.append({**head, "cells": {k: _json_value(v) for k, v in row.items()}})
    return {"summary": {title: records(frame) for title, frame in summary(audit).items()},
            "findings": records(audit.findings), "unmatched": unmatched,
            "columns": DESCRIPTIONS}


def _json_value(value):
    """A cell as strict JSON: None for missing values (None, NaN, pandas' NA), decimals as text."""
    if value is None or value is pd.NA or (isinstance(value, (float, np.floating)) and value != value):
        return None
    if isinstance(value, Decimal):
        return f"{value:f}"
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (np.floating,)):
        return float(value)
    if isinstance(value, (np.bool_,)):
        return bool(value)
    return value if isinstance(value, (int, float, str, bool)) else str(value)


def _sheet_name(text: str, taken: set[str]) -> str:
    name = re.sub(r"[\[\]:*?/\\]", " ", text)[:31].strip() or "Sheet"
    base, k = name, 2
    while name.lower() in taken:
        name = f"{base[:27]} ({k})"
        k += 1
    taken.add(name.lower())
    return name


def _xlsx(audit: Audit, path: Path) -> None:
    import xlsxwriter

    from ..batch import money_format

    partial = path.with_name(path.name + ".partial.xlsx")
    book = xlsxwriter.Workbook(partial, {"strings_to_formulas": False, "strings_to_urls": False,
                                         "strings_to_numbers": False, "nan_inf_to_errors": False})
    try:
        bold = book.add_format({"bold": True})
        formats: dict[str, object] = {}

        def money(currency: str | None):
            code = currency or "USD"
            if code not in formats:
                try:
                    formats[code] = book.add_format({"num_format": money_format(code, "en_US")})
                except (KeyError, ValueError):
                    formats[code] = None
            return formats[code]

        taken: set[str] = set()
        sheet = book.add_worksheet(_sheet_name("Findings", taken))
        sheet.write_row(0, 0, list(COLUMNS), bold)
        sheet.freeze_panes(1, 0)
        f = audit.findings
        for r, row in enumerate(f.itertuples(index=False), start=1):
            record = dict(zip(COLUMNS, row, strict=True))
            for j, name in enumerate(COLUMNS):
                value = record[name]
                if value is None or (isinstance(value, float) and value != value):
                    continue
                if name in MONEY:
                    sheet.write_number(r, j, float(value), money(record["currency"]))
                elif isinstance(value, (int, float, Decimal, np.integer, np.floating)) and not isinstance(value, bool):
                    sheet.write_number(r, j, float(value))
                else:
                    sheet.write_string(r, j, str(value))
        sheet.autofilter(0, 0, max(len(f), 1), len(COLUMNS) - 1)
        sheet.set_column(0, 0, 24)
        sheet.set_column(6, 7, 28)
        sheet.set_column(16, 18, 48)
        ws = book.add_worksheet(_sheet_name("Summary", taken))
        r = 0
        for title, table in summary(audit).items():
            ws.write_string(r, 0, title, bold)
            r += 1
            ws.write_row(r, 0, [str(c) for c in table.columns], bold)
            r += 1
            for values in table.itertuples(index=False):
                record = dict(zip(table.columns, values, strict=True))
                for j, value in enumerate(record.values()):
                    if value is None or (isinstance(value, float) and value != value):
                        continue
                    if isinstance(value, Decimal):
                        ws.write_number(r, j, float(value), money(record.get("currency") or None))
                    elif isinstance(value, (int, np.integer)) and not isinstance(value, bool):
                        ws.write_number(r, j, int(value))
                    else:
                        ws.write_string(r, j, str(value))
                r += 1
            r += 1
        ws.set_column(0, 0, 36)
        ws.set_column(1, 6, 22)
        for k, ledger in enumerate(audit.ledgers, start=1):
            lines = ledger.unmatched()
            if not len(lines):
                continue
            un = book.add_worksheet(_sheet_name(f"Unmatched {k} {Path(ledger.file).name}", taken))
            un.write_row(0, 0, [str(c) for c in lines.columns], bold)
            un.freeze_panes(1, 3)
            for r, values in enumerate(lines.itertuples(index=False), start=1):
                for j, value in enumerate(values):
                    if value is None or (isinstance(value, float) and value != value) or value == "":
                        continue
                    if j == 0:
                        un.write_number(r, j, int(value))
                    else:
                        un.write_string(r, j, str(value))
        book.close()
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    partial.replace(path)
