"""Amazon's storage-type fees for a stay in its fulfilment centres, month by month, through the one engine.

A stay of D whole days starts on the quote date (a row's own `date`, else `on`) with the unit aged `age_days` that
day (default 0: it arrives) and covers days start .. start + D - 1.  Amazon charges monthly storage "on daily
average volume" (us-fba.md 6.1), so a unit present for d of a month's L days adds d / L of that month's charge:

* storage = sum over the parts of the stay, cut at every first of a month and every date where a fee table or a
  dated section of one changes, of the engine's `storage_monthly` on the part's first day (that month's rate,
  October-December rates in Q4, the table in force) x d / L; rounded once, half up, over the whole stay;
* the storage utilisation surcharge (only where a ratio `utilization_weeks` is given) the same way, as Amazon adds
  it to the monthly storage fee (us-fba.md 6.2); its exemption of stock aged 0-30 days is not in the engine, so
  this line is an upper bound for such stock;
* the aged-inventory surcharge is assessed on a snapshot on the 15th of each month (us-fba.md 6.3): for every 15th
  inside the stay, the engine's `aged_inventory_surcharge` on that date at the unit's age that day (age_days + days
  since the start), each month's charge as the engine rounds it, added up.  A removal order before a snapshot avoids
  its charge (us-fba.md 6.3), so the line is the cheaper of that sum and the engine's `removal_disposal` fee on the
  first snapshot that would charge (the unit comes back to the seller), stated as such; where the removal fee is
  unavailable, the surcharge is kept (a strategy the seller always has).

Where any part of the stay is unavailable (a figure NOT FOUND, no fee table for a month), that line is unknown
for the whole stay, with the reason: never a month at zero.  Everything is one `cost_frame` call over rows x parts
of the stay (per distinct part date, never per day).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

import numpy as np
import pandas as pd

from .engine import compiled_table
from .fees.base import day_number
from .frame import cost_frame
from .tables import TableInfo, all_tables

MONTH_LCM = 377_580  # lcm(28, 29, 30, 31): every d / L of a month is a whole number of 1/MONTH_LCM
SNAPSHOT_DAY = 15    # the aged-inventory surcharge's monthly snapshot (us-fba.md 6.3)
NONE_OBJECT = np.array(None, dtype=object)
LINES = {"storage": "storage_monthly", "storage_utilization": "storage_utilization_surcharge",
         "aged_inventory": "aged_inventory_surcharge"}


@dataclass(frozen=True)
class Stay:
    """Per row: cents per unit for the stay of each storage-type line, and why a line is unknown (None: known)."""

    cents: dict[str, np.ndarray]     # line -> int64 per row
    reason: dict[str, np.ndarray]    # line -> object per row
    parts: pd.DataFrame              # row, start, days, month_days, storage_monthly, ...: what each line adds up
    snapshots: pd.DataFrame          # row, date, age_days, aged_inventory_surcharge, removal_disposal
    removal: Removal | None = None   # the removal order weighed against the aged-inventory surcharge

    def why(self, row: int, lines=LINES) -> str | None:
        """The first reason a line of `lines` is unknown for `row`."""
        return next((self.reason[k][row] for k in lines if self.reason[k][row] is not None), None)

    def explain(self, row: int, line: str) -> str:
        """How `line` was added up for `row`: each month's amount and share, or each snapshot's age and charge."""
        if line == "aged_inventory":
            snaps = self.snapshots[self.snapshots["row"] == row]
            if snaps.empty:
                return "no 15th of a month inside the stay: no aged-inventory snapshot"
            each = "; ".join(f"{d:%Y-%m-%d} at {a} days: {_amount(c)}" for d, a, c in
                             zip(snaps["date"], snaps["age_days"], snaps[LINES[line]], strict=True))
            return each if self.removal is None else self.removal.explain(row, each)
        parts = self.parts[self.parts["row"] == row]
        if parts.empty:
            return "no days in inventory"
        fee = LINES[line]
        # parts of one month at one amount (cut only where a table section changed) read as one
        month = parts["start"].to_numpy().astype("datetime64[M]")
        amount = [_amount(c) for c in parts[fee]]
        days, month_days = parts["days"].tolist(), parts["month_days"].tolist()
        merged: list[list] = []
        for k in range(len(amount)):  # the parts of one row's stay: a few per month
            if merged and merged[-1][0] == month[k] and merged[-1][1] == amount[k]:
                merged[-1][2] += days[k]
            else:
                merged.append([month[k], amount[k], days[k], month_days[k]])
        return "; ".join(f"{c} x {d}/{m} ({s})" for s, c, d, m in merged)


def _amount(value) -> str:
    return "unavailable" if pd.isna(value) else str(value)


@dataclass(frozen=True)
class Removal:
    """Per row, the aged-inventory surcharge over the stay against a removal order before the first snapshot that
    charges: the order's fee (cents; -1 where none is weighed), the date, why its fee is unknown, and which is
    cheaper."""

    surcharge_c: np.ndarray   # int64: the surcharge added up over the stay
    fee_c: np.ndarray         # int64: the removal order's fee (-1: no charged snapshot, or its fee unknown)
    date: np.ndarray          # datetime64[D]: the snapshot the order would come before
    why: np.ndarray           # object: why the removal fee is unknown (None: known, or not weighed)
    removed: np.ndarray       # bool: the removal order is cheaper

    def explain(self, row: int, snapshots: str) -> str:
        total = _amount(Decimal(int(self.surcharge_c[row])).scaleb(-2))
        if self.removed[row]:
            fee = Decimal(int(self.fee_c[row])).scaleb(-2)
            return (f"a removal order before the {self.date[row]} snapshot, {fee} per unit (the unit comes back to "
                    f"you), is cheaper than the surcharge of {total} over the stay ({snapshots})")
        if self.fee_c[row] >= 0:
            fee = Decimal(int(self.fee_c[row])).scaleb(-2)
            return f"{snapshots}; paying it ({total}) is cheaper than a removal order before {self.date[row]} ({fee})"
        if self.why[row] is not None:
            return f"{snapshots}; a removal order's fee is unavailable ({self.why[row]}), so the surcharge is kept"
        return snapshots


def weigh_removal(amount: np.ndarray, removal: pd.Series, removal_why: np.ndarray, snap_rows: np.ndarray,
                  snap_day: np.ndarray, n: int) -> Removal:
    """The surcharge of each row's snapshots added up, against a removal order before its first charged snapshot
    (the engine's removal fee that day)."""
    total = np.bincount(snap_rows, weights=amount, minlength=n).astype(np.int64)
    fee = np.full(n, -1, dtype=np.int64)
    date = np.full(n, np.datetime64("NaT"), dtype="datetime64[D]")
    why = np.full(n, None, dtype=object)
    charged = np.flatnonzero(amount > 0)
    if len(charged):
        first = charged[np.unique(snap_rows[charged], return_index=True)[1]]
        rows = snap_rows[first]
        known = removal.notna().to_numpy()[first]
        fee[rows] = np.where(known, _cents(removal)[first], -1)
        date[rows] = snap_day[first].astype("datetime64[D]")
        why[rows] = np.where(known, NONE_OBJECT, removal_why[first])
    removed = (fee >= 0) & (fee < total)
    return Removal(total, fee, date, why, removed)


def stay_lines(df: pd.DataFrame, days: np.ndarray, on=None, marketplace: str = "US",
               lines: tuple[str, ...] = tuple(LINES)) -> Stay:
    """The storage-type lines of each row of `df` (quote's columns) for a stay of `days[i]` whole days."""
    n = len(df)
    items = df.reset_index(drop=True)
    start = start_days(items, on)
    days = np.asarray(days, dtype=np.int64)
    age = _ages(items)
    rows, seg_start, seg_days = _parts(start, days, _cuts(items, start, days, marketplace))
    month_days = _month_length(seg_start)
    snap_rows, snap_day = _snapshots(start, days)
    expanded = items.iloc[np.concatenate([rows, snap_rows])].reset_index(drop=True)
    expanded["date"] = np.concatenate([seg_start, snap_day]).astype("datetime64[D]")
    expanded["age_days"] = np.concatenate([age[rows], age[snap_rows] + snap_day - start[snap_rows]])
    costed = cost_frame(expanded, marketplace=marketplace, extra=("reasons",))
    m = len(rows)
    parts, snaps = costed.iloc[:m], costed.iloc[m:]
    cents: dict[str, np.ndarray] = {}
    reason: dict[str, np.ndarray] = {}
    for line in lines:
        fee = LINES[line]
        if line == "aged_inventory":
            removal = weigh_removal(_cents(snaps[fee]), snaps["removal_disposal"],
                                    snaps["unavailable_removal_disposal"].to_numpy(object), snap_rows, snap_day, n)
            cents[line] = np.where(removal.removed, removal.fee_c, removal.surcharge_c)
            reason[line] = _first_reason(snaps, fee, snap_rows, snap_day, n, "aged-inventory snapshot")
        else:
            weight = seg_days * (MONTH_LCM // month_days)  # d / L in 1/MONTH_LCM
            total = np.zeros(n, dtype=np.int64)
            np.add.at(total, rows, _cents(parts[fee]) * weight)
            cents[line] = (2 * total + MONTH_LCM) // (2 * MONTH_LCM)  # half up, once for the whole stay
            reason[line] = _first_reason(parts, fee, rows, seg_start, n, "the month from")
    detail = pd.DataFrame({"row": rows, "start": _dates(seg_start), "days": seg_days, "month_days": month_days,
                           **{LINES[k]: parts[LINES[k]].array for k in lines if k != "aged_inventory"}})
    snapshots = pd.DataFrame({"row": snap_rows, "date": _dates(snap_day),
                              "age_days": expanded["age_days"].to_numpy()[m:],
                              "aged_inventory_surcharge": snaps["aged_inventory_surcharge"].array,
                              "removal_disposal": snaps["removal_disposal"].array})
    return Stay(cents, reason, detail, snapshots, removal if "aged_inventory" in lines else None)


def _cents(column: pd.Series) -> np.ndarray:
    """int64 cents of an exact decimal column (0 where null: such rows carry a reason)."""
    import pyarrow.compute as pc

    arr = column.array._pa_array
    return pc.cast(pc.multiply(pc.fill_null(arr, 0), 100), "int64").to_numpy()


def _first_reason(costed: pd.DataFrame, fee: str, rows: np.ndarray, day: np.ndarray, n: int, what: str) -> np.ndarray:
    """Per row, why `fee` is unknown on its first part or snapshot where it is (None: known throughout)."""
    out = np.full(n, None, dtype=object)
    missing = np.flatnonzero(costed[fee].isna().to_numpy())
    if not len(missing):
        return out
    first = missing[np.unique(rows[missing], return_index=True)[1]]  # each row's first unknown part
    why = pd.Series(costed[f"unavailable_{fee}"].to_numpy(object)[first], dtype=object)
    text = why.where(why.notna(), pd.Series(costed["error"].to_numpy(object)[first], dtype=object))
    when = pd.Series(np.datetime_as_string(day[first].astype("datetime64[D]")), dtype=object)
    out[rows[first]] = (f"{fee} for {what} " + when + ": " + text.astype(str)).to_numpy(object)
    return out


def start_days(items: pd.DataFrame, on) -> np.ndarray:
    """Each row's start day (day number): its own `date` where given, else `on` (default today)."""
    from .inputs import as_date

    default = day_number(as_date(on))
    if "date" not in items.columns:
        return np.full(len(items), default, dtype=np.int64)
    dates = pd.to_datetime(items["date"], errors="coerce").to_numpy("datetime64[D]")
    return np.where(np.isnat(dates), default, dates.astype(np.int64)).astype(np.int64)


def _ages(items: pd.DataFrame) -> np.ndarray:
    """Each row's age on its start day (0 where not given; a bad age is the row's error in the main costing)."""
    if "age_days" not in items.columns:
        return np.zeros(len(items), dtype=np.int64)
    age = pd.to_numeric(items["age_days"], errors="coerce").to_numpy(np.float64)
    return np.where(np.isfinite(age) & (age >= 0) & (age <= 100_000), age, 0).astype(np.int64)


def _cuts(items: pd.DataFrame, start: np.ndarray, days: np.ndarray, marketplace: str) -> np.ndarray:
    """Day numbers where a part of a stay ends: every first of a month, and every date where a fee table of the
    rows' marketplaces, or a dated section of one, changes."""
    if not len(start):
        return np.zeros(0, dtype=np.int64)
    first = np.datetime64(int(start.min()), "D").astype("datetime64[M]")
    last = np.datetime64(int((start + days).max()), "D").astype("datetime64[M]") + 1
    months = np.arange(first, last + 1).astype("datetime64[D]").astype(np.int64)
    markets = set(items["marketplace"].dropna().astype(str).str.upper()) if "marketplace" in items else set()
    bounds = [_table_cuts(all_tables(), mk) for mk in markets | {marketplace.upper()}]
    return np.unique(np.concatenate([months, *bounds]))


@lru_cache(maxsize=16)
def _table_cuts(tables: tuple[TableInfo, ...], marketplace: str) -> np.ndarray:
    """The first day of every period of every table of a marketplace, and the day after each table."""
    out = [np.zeros(0, dtype=np.int64)]
    for info in tables:
        if info.marketplace == marketplace:
            out.append(compiled_table(info).frame.periods.bounds.astype(np.int64))
            out.append(np.array([day_number(info.effective_to) + 1], dtype=np.int64))
    return np.concatenate(out)


def _parts(start: np.ndarray, days: np.ndarray, cuts: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(row, first day, days) of every part of every stay, cut at `cuts`."""
    end = start + days
    lo = np.searchsorted(cuts, start, side="right")
    hi = np.searchsorted(cuts, end, side="left")
    count = np.where(days > 0, hi - lo + 1, 0)
    rows = np.repeat(np.arange(len(start)), count)
    k = np.arange(count.sum()) - np.repeat(np.cumsum(count) - count, count)  # index of the part within its stay
    inner = cuts[np.minimum(np.repeat(lo, count) + k - 1, len(cuts) - 1)] if len(cuts) else k
    first = np.where(k == 0, start[rows], inner)
    nxt = cuts[np.minimum(np.repeat(lo, count) + k, len(cuts) - 1)] if len(cuts) else end[rows]
    last = np.where(k == count[rows] - 1, end[rows], nxt)
    return rows, first.astype(np.int64), (last - first).astype(np.int64)


def _month_length(day: np.ndarray) -> np.ndarray:
    month = day.astype("datetime64[D]").astype("datetime64[M]")
    return ((month + 1).astype("datetime64[D]") - month.astype("datetime64[D]")).astype(np.int64)


def _snapshots(start: np.ndarray, days: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(row, day) of every 15th of a month inside each stay."""
    end = start + days
    first = start.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)
    last = np.maximum(end - 1, start).astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)
    count = np.where(days > 0, last - first + 1, 0)
    rows = np.repeat(np.arange(len(start)), count)
    k = np.arange(count.sum()) - np.repeat(np.cumsum(count) - count, count)
    day = (np.repeat(first, count) + k).astype("datetime64[M]").astype("datetime64[D]").astype(np.int64) + \
        SNAPSHOT_DAY - 1
    inside = (day >= start[rows]) & (day < end[rows])
    return rows[inside], day[inside]


def _dates(days: np.ndarray) -> np.ndarray:
    return days.astype("datetime64[D]")



@dataclass(frozen=True)
class Curve:
    """For one item, each storage-type line for every stay of 0 to max_days days (index = days, cents), known for
    stays up to `known_days` days (beyond, a part of the stay is unavailable: no fee table, a figure NOT FOUND)."""

    cents: dict[str, np.ndarray]
    known_days: int
    why: str | None  # why a longer stay is unknown (None: known up to max_days)


def stay_curve(item: pd.DataFrame, max_days: int, on=None, marketplace: str = "US") -> Curve:
    """The storage-type lines of a one-row frame for every stay length up to `max_days`, from one costing of the
    longest stay: each day adds its month's amount / the month's days, each 15th its snapshot's charge."""
    stay = stay_lines(item.iloc[:1], np.array([max_days]), on=on, marketplace=marketplace)
    parts, snaps = stay.parts, stay.snapshots
    known = max_days
    cents: dict[str, np.ndarray] = {}
    offset = np.concatenate([[0], np.cumsum(parts["days"].to_numpy())])[:-1]  # each part's first day in the stay
    for line in ("storage", "storage_utilization"):
        amount = parts[LINES[line]]
        missing = amount.isna().to_numpy()
        if missing.any():
            known = min(known, int(offset[np.flatnonzero(missing)[0]]))
        per_day = _cents(amount) * (MONTH_LCM // parts["month_days"].to_numpy())
        total = np.concatenate([[0], np.cumsum(np.repeat(per_day, parts["days"].to_numpy()))])
        cents[line] = (2 * total + MONTH_LCM) // (2 * MONTH_LCM)
    start = start_days(item.iloc[:1].reset_index(drop=True), on)[0]
    day = snaps["date"].to_numpy().astype("datetime64[D]").astype(np.int64) - start
    charge = snaps["aged_inventory_surcharge"]
    missing = charge.isna().to_numpy()
    if missing.any():
        known = min(known, int(day[np.flatnonzero(missing)[0]]))
    added = np.zeros(max_days + 1, dtype=np.int64)
    np.add.at(added, day + 1, _cents(charge))  # a snapshot on day t counts for stays longer than t days
    cents["aged_inventory"] = np.cumsum(added)
    removal = stay.removal
    if removal is not None and removal.fee_c[0] >= 0:  # a removal order caps what an aged stay costs
        cents["aged_inventory"] = np.minimum(cents["aged_inventory"], removal.fee_c[0])
    return Curve(cents, known, stay.why(0))
