"""Audit Amazon's own files against the fee tables: what Amazon estimated (the FBA Fee Preview) and charged (the
settlement flat file V2, the transaction CSV, the monthly storage fee report), with the money at stake.

    result = feecalc.audit.run(["fee-preview.txt", "settlement.txt.gz"], catalog="catalog.csv", on="2026-05-01")
    result.findings          # one row per finding (findings.COLUMNS), amounts as Decimals
    result.ledgers           # every input line: matched or unmatched, with the reason
    feecalc.audit.write(result, "audit.xlsx")     # or .csv, .json

Each file is recognised by its header (feecalc.audit.recognise), compressed or not.  Every figure of feecalc's is the
engine's, once per distinct item (feecalc.audit.expected); one module per report kind checks its lines; every input
line ends matched or unmatched with its reason (feecalc.audit.ledger).
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import numpy as np
import pandas as pd

from ..fees.base import EPOCH
from ..inputs import as_date
from . import fee_preview, remeasure, settlement, storage_report, transactions
from .amounts import decimal_symbol, nones, parse_tolerance, read_amounts
from .context import Context, Units
from .findings import CHARGED, COLUMNS, KINDS, PROJECTED, UNCHECKED, roles
from .ledger import Ledger
from .measurements import Catalog, Measurements, catalog_conflicts, category_map, read_catalog
from .recognise import (
    FEE_PREVIEW,
    LONG_TERM_STORAGE,
    REPORT_TYPES,
    SETTLEMENT,
    STORAGE,
    TRANSACTIONS,
    Report,
    ReportError,
    read_report,
)
from .report import write

__all__ = ["Audit", "ReportError", "run", "write"]


@dataclass
class Audit:
    """An audit's findings, every input file's ledger, and what it was run with."""

    findings: pd.DataFrame
    ledgers: list[Ledger]
    on: dt.date
    tolerance: Decimal
    reports: list[Report] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def lines(self) -> int:
        return sum(len(ledger) for ledger in self.ledgers)

    @property
    def unmatched(self) -> int:
        return sum(int((~ledger.matched).sum()) for ledger in self.ledgers)

    def roles(self) -> np.ndarray:
        """What each finding's money is (findings.ROLES): money charged above the card, a projection on the fee
        preview's estimate, a charge that could not be checked, within the tolerance, or none."""
        return roles(self.findings, {r.name for r in self.reports if r.kind == FEE_PREVIEW})

    def money_at_stake(self) -> dict[str, Decimal]:
        """Per currency, the money charged above the card (settlement, transaction and storage lines beyond the
        tolerance): never the fee preview's projections, which are for the same units."""
        return self._total(CHARGED, "money_at_stake")

    def projected(self) -> dict[str, Decimal]:
        """Per currency, the money at stake projected on the fee preview's estimates (kept apart: not added)."""
        return self._total(PROJECTED, "money_at_stake")

    def unchecked(self) -> dict[str, Decimal]:
        """Per currency, the charges that could not be checked (no figure, or readings that disagree): while any
        exist, the money at stake is a lower bound."""
        return self._total(UNCHECKED, "amazon", positive=False)

    def _total(self, role: str, column: str, positive: bool = True) -> dict[str, Decimal]:
        out: dict[str, Decimal] = {}
        mine = self.roles() == role
        for currency, value in zip(self.findings["currency"][mine], self.findings[column][mine], strict=True):
            if value is not None and (value > 0 or not positive):
                out[currency] = out.get(currency, Decimal(0)) + value
        return out


def run(files, catalog=None, on=None, tolerance=None, category_map_path=None, names: dict | None = None,
        deadline: float | None = None, catalog_marketplace: str = "US") -> Audit:
    """Audit `files` (paths); `catalog` a spreadsheet of the seller's own measurements; `on` the fee preview's date
    (default today); `tolerance` the difference per unit still counted as agreement (default 0: exact to the cent);
    `category_map_path` a `label,category` CSV; `names` shows files under other names (the HTTP API's uploads);
    `deadline` (a time.perf_counter() value) stops the run with TimeoutError between steps."""
    day = as_date(on)
    try:
        tol = parse_tolerance(tolerance)
    except ValueError as exc:
        raise ReportError(str(exc)) from None
    names = names or {}
    paths = [Path(f) for f in files]
    if not paths:
        raise ReportError("no file to audit")
    reports = []
    for path in paths:
        reports.append(read_report(path, names.get(str(path))))
        _deadline(deadline, f"reading {len(reports)} of {len(paths)} files")
    labels = category_map(category_map_path) if category_map_path else {}
    context = Context(day, tol, labels, Measurements([]), Units())
    previews = [fee_preview.read(r, context) for r in reports if r.kind == FEE_PREVIEW]
    cat: Catalog | None = None
    if catalog is not None:
        cat = read_catalog(catalog, catalog_marketplace, labels=labels, name=names.get(str(catalog)))
    usable = [fee_preview.measurements(p) for p in previews]
    catalog_rows = cat.rows[cat.error == None] if cat is not None else pd.DataFrame()  # noqa: E711
    context.measurements = Measurements(usable + [catalog_rows])
    context.units = _units(reports, cat)
    findings, ledgers = [], []
    by_preview = {id(p.report): p for p in previews}
    for report in reports:
        if report.kind == FEE_PREVIEW:
            found, ledger = fee_preview.audit(by_preview[id(report)], context)
        elif report.kind == SETTLEMENT:
            found, ledger = settlement.audit(report, context)
        elif report.kind == TRANSACTIONS:
            found, ledger = transactions.audit(report, context)
        elif report.kind == STORAGE:
            found, ledger = storage_report.audit(report, context)
        else:
            found, ledger = _not_audited(report)
        findings.append(found)
        ledgers.append(ledger)
        _deadline(deadline, f"auditing {len(ledgers)} of {len(reports)} files")
    notes = []
    if cat is not None:
        compared = np.zeros(len(cat.rows), dtype=bool)
        for p in previews:
            found, used = remeasure.compare(fee_preview.measurements(p), catalog_rows.reset_index(drop=True), context,
                                            p.report.name)
            findings.append(found)
            rows = np.flatnonzero(cat.error == None)  # noqa: E711
            compared[rows[used]] = True
        if not previews:
            notes.append("no fee preview was given: your catalog's measurements are not compared with Amazon's")
        ledgers.append(_catalog_ledger(cat, context, compared, len(context.measurements) - len(catalog_rows)))
    frame = pd.concat([f for f in findings if len(f)], ignore_index=True) if any(len(f) for f in findings) else \
        pd.DataFrame(columns=list(COLUMNS))
    frame = _ordered(frame, [r.name for r in reports])
    return Audit(frame, ledgers, day, tol, reports, notes)


def _deadline(deadline: float | None, where: str) -> None:
    if deadline is not None and time.perf_counter() > deadline:
        raise TimeoutError(f"the time budget ran out after {where}")


def _units(reports: list[Report], cat: Catalog | None) -> Units:
    """Units sold per SKU in the settlement and transaction files, and the catalog's monthly_units."""
    parts = [settlement.units_sold(r) for r in reports if r.kind == SETTLEMENT]
    parts += [transactions.units_sold(r) for r in reports if r.kind == TRANSACTIONS]
    units = Units()
    sold = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()
    if len(sold):
        totals = sold.groupby("sku")["units"].sum()
        units.sold = {k: int(v) for k, v in totals.items()}
        units.first = EPOCH + dt.timedelta(days=int(sold["day"].min()))
        units.last = EPOCH + dt.timedelta(days=int(sold["day"].max()))
    if cat is not None:
        rows = cat.rows[(cat.error == None) & cat.rows["monthly_units"].notna().to_numpy()]  # noqa: E711
        keyed = rows.dropna(subset=["sku"]).drop_duplicates("sku")
        units.monthly = dict(zip(keyed["sku"], keyed["monthly_units"], strict=True))
    return units


def _catalog_ledger(cat: Catalog, context: Context, compared: np.ndarray, offset: int) -> Ledger:
    ledger = cat.ledger
    ok = cat.error == None  # noqa: E711
    used = np.zeros(len(cat.rows), dtype=bool)
    used[np.flatnonzero(ok)] = context.measurements.used[offset:]
    ledger.assign(~ok, False, "cannot read the row", cat.error)
    clash = np.full(len(cat.rows), None, dtype=object)
    clash[np.flatnonzero(ok)] = catalog_conflicts(cat.rows[ok].reset_index(drop=True))
    ledger.assign(clash != None, False, "not used: the catalog gives this SKU (or ASIN) different measurements on "  # noqa: E711
                  "two or more lines", clash)
    ledger.assign(used | compared, True, "measurements used")
    ledger.assign(np.ones(len(ledger), dtype=bool), False, "no report line names this SKU or ASIN")
    return ledger.done()


def _not_audited(report: Report) -> tuple[pd.DataFrame, Ledger]:
    ledger = Ledger(report.name, report.kind, report.variant, report.line, report.table, report.header)
    charged = [c for c in ("amount-charged", "12-mo-long-terms-storage-fee", "6-mo-long-terms-storage-fee")
               if report.has(c)]
    if charged and report.has("currency"):  # listed, not audited, but totalled (reports.md 5.1)
        decimal = decimal_symbol([report.text(c) for c in charged])
        amounts = [read_amounts(report.text(c), decimal) for c in charged]
        currency = nones(pd.Series(report.values("currency"), dtype="string").str.strip().str.upper())
        ledger.amounts(np.sum([a.micro for a in amounts], axis=0), np.logical_or.reduce([a.given for a in amounts]),
                       currency)
    ledger.assign(report.blank, True, "blank line")
    ledger.assign(np.ones(len(report), dtype=bool), False, "not audited: whether rate-surcharge is per cubic foot or "
                  "per unit, and the real surcharge-age-tier values, are NOT FOUND (reports.md 5.1); the charge is "
                  "the settlement's StorageRenewalBilling")
    ledger.drop(report.blank)
    ledger.add_unreadable(report.unreadable, report.delimiter)
    return pd.DataFrame(columns=list(COLUMNS)), ledger.done()


def _ordered(frame: pd.DataFrame, files: list[str]) -> pd.DataFrame:
    """Findings by file (in the order given), line, then kind (in KINDS order)."""
    if not len(frame):
        return frame
    rank = {name: i for i, name in enumerate(files)}
    kinds = {k: i for i, k in enumerate(KINDS)}
    key = pd.DataFrame({"f": frame["file"].map(rank).fillna(len(files)), "l": frame["line"],
                        "k": frame["kind"].map(kinds).fillna(len(kinds))})
    order = np.lexsort((key["k"].to_numpy(), key["l"].to_numpy(), key["f"].to_numpy()))
    return frame.iloc[order].reset_index(drop=True)


_ = (REPORT_TYPES, LONG_TERM_STORAGE)
