"""Turning caller input (one item, or DataFrame columns) into engine Items, with per-row errors.

`quote` and `cost_frame` both come through here, so a bad value gets the same message and the
same exception class either way.  Checks are whole-column operations; messages are built once
per distinct bad value, never per row.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
import pandas as pd

from .engine import CompiledTable, Items, compiled_table
from .errors import InvalidItem, NoFeeTable, UnknownCategory, suggestions
from .fees import fee_category
from .fees.base import EPOCH, PROGRAMS, day_number
from .money import MAX_CENTS, minor_digits, minor_unit_name
from .spec import DEFAULTS, FALSE, FIELDS, ITEM_FIELDS, MAX_AGE_DAYS, PLANS, REQUIRED, TRUE, is_blank
from .tables import TableInfo, all_tables, category_key, market_codes, product_groups, table_for, tables_of
from .tables.schema import LIL_EXEMPTIONS
from .units import LENGTH_UNITS, MAX_INPUT, UNIT_ALIASES, WEIGHT_UNITS, convert_each


class _Recorder:
    """Collects (mask, values, make) calls so a parse can be replayed onto a Problems later."""

    def __init__(self):
        self.calls = []

    def add(self, mask, values, make):
        if mask.any():
            self.calls.append((mask, values, make))

    @property
    def bad(self):
        bad = np.zeros(1, dtype=bool)
        for mask, _, _ in self.calls:
            bad |= mask
        return bad


@lru_cache(maxsize=4096, typed=True)  # typed: True, 1 and 1.0 are equal keys but not the same input
def _parse_scalar(kind: str, name: str, value, currency: str | None = None) -> tuple[np.ndarray, tuple]:
    """One scalar through the same column parser, memoised: quote's inputs repeat a lot.  Amounts (kind money) are
    read in `currency`'s minor units."""
    rec = _Recorder()
    cells = np.array([value], dtype=object if isinstance(value, str) else None)
    out = _money(cells, name, rec, currency) if kind == "money" else PARSERS[kind](cells, name, rec)
    out.setflags(write=False)  # shared by every later call with this value: nothing may write into it
    return out, tuple(rec.calls)


def _parse(kind: str, name: str, cols: dict, n: int, probs: Problems, currency: np.ndarray | str | None = None
           ) -> np.ndarray:
    """Parse column `name` with parser `kind`, via the memo when it is one hashable scalar; amounts in each row's
    `currency` (one code for every row, or one per row)."""
    if kind != "money":  # only amounts depend on the row's currency
        per_row, one = False, None
    else:
        per_row = currency is not None and not isinstance(currency, str)  # an array: rows in several currencies
        one = currency if isinstance(currency, str) else None  # else the currency of every row (None: unknown)
    if name not in cols and name in DEFAULTS:
        if not (per_row and kind == "money"):
            return _parse_scalar(kind, name, DEFAULTS[name], one)[0]  # a default never has problems
        value = DEFAULTS[name]
    else:
        value = cols[name]
    if not isinstance(value, (np.ndarray, pd.Series, pd.Index, list, pd.api.extensions.ExtensionArray)):
        if name in DEFAULTS and DEFAULTS[name] is not None and is_blank(value):
            value = DEFAULTS[name]  # as a blank cell in a column takes the default (_fill_blanks)
        if kind == "money" and per_row:  # one amount for rows in several currencies: read it in each
            return _money(np.full(n, value, dtype=object), name, probs, currency)
        try:
            out, calls = _parse_scalar(kind, name, value, one)
        except TypeError:  # unhashable scalar
            out, calls = _parse_scalar.__wrapped__(kind, name, value, one)
        for mask, values, make in calls:
            probs.add(np.broadcast_to(mask, (n,)), values, make)
        return out
    arr = value if isinstance(value, pd.api.extensions.ExtensionArray) else np.asarray(value)
    if name in DEFAULTS and DEFAULTS[name] is not None:
        arr = _fill_blanks(arr, DEFAULTS[name])
    return _money(arr, name, probs, currency) if kind == "money" else PARSERS[kind](arr, name, probs)


def _blanks(values) -> np.ndarray:
    """is_blank for every cell, vectorised (pd.NA compares to nothing, so missing cells are set aside first)."""
    raw = np.asarray(values, dtype=object)
    missing = pd.isna(raw)
    return missing | (np.where(missing, NONE, raw) == "")


def _fill_blanks(values, default):
    """An optional column's empty cells (None, NaN, '') take the documented default."""
    if isinstance(values, np.ndarray) and values.dtype.kind in "fc":
        blank = np.isnan(values)
        return np.where(blank, default, values) if blank.any() and not isinstance(default, str) else values
    if isinstance(values, np.ndarray) and values.dtype.kind in "iub":
        return values
    if isinstance(values, pd.api.extensions.ExtensionArray):  # Arrow strings, categoricals: no copy unless needed
        empty = pd.array(values, dtype="string") == ""
        if not (pd.isna(values) | empty.fillna(False).to_numpy(dtype=bool)).any():
            return values
    raw = np.asarray(values, dtype=object)
    blank = _blanks(raw)
    if not blank.any():
        return values
    out = raw.copy()
    out[blank] = default
    return out


NONE = np.array(None, dtype=object)  # a missing value in an object array (np.where(mask, values, NONE))


@dataclass
class Problems:
    """Per-row errors: message text, and the first failing check's exception for `quote`."""

    n: int
    text: np.ndarray = field(init=False)
    first: dict[int, Exception] = field(default_factory=dict)
    keep_all: bool = False  # also keep every exception per bad row (for per-item API errors)
    every: dict[int, list[Exception]] = field(default_factory=dict)

    def __post_init__(self):
        self.text = np.full(self.n, None, dtype=object)

    @property
    def bad(self) -> np.ndarray:
        return self.text != None  # noqa: E711  (element-wise)

    def add(self, mask: np.ndarray, values: np.ndarray, make) -> None:
        """Record an error on rows in `mask`; make(value) builds the exception for one value."""
        if not mask.any():
            return
        rows = np.flatnonzero(mask)
        shown = pd.Series(values[rows] if len(values) > 1 else np.repeat(values, len(rows)))
        codes, uniques = pd.factorize(shown.astype(str), use_na_sentinel=False)
        originals = shown.iloc[np.unique(codes, return_index=True)[1]].tolist()  # each value as first given
        errors = [make(v) for v in originals]
        messages = np.array([str(e) for e in errors] + [""], dtype=object)[codes]
        old = self.text[rows]
        fresh = old == None  # noqa: E711
        self.text[rows] = np.where(fresh, messages, np.where(fresh, "", old) + "; " + messages)
        for r, code in zip(rows[:1], codes[:1], strict=False):
            self.first.setdefault(int(r), errors[code])
        if self.keep_all:
            for r, code in zip(rows.tolist(), codes.tolist(), strict=True):
                self.every.setdefault(r, []).append(errors[code])


def distinct(values: np.ndarray) -> tuple[np.ndarray, list]:
    """(codes, uniques) of a 1-d array, NaN/None kept as values; pandas for long arrays only."""
    if not isinstance(values, np.ndarray):  # pandas extension array: categorical, Arrow strings
        codes, uniques = pd.factorize(values, use_na_sentinel=False)
        return codes, [None if u is pd.NA else u for u in uniques]
    if len(values) > 32:
        codes, uniques = pd.factorize(np.asarray(values, dtype=object), use_na_sentinel=False)
        return codes, list(uniques)
    seen: dict = {}
    codes = np.array([seen.setdefault(_hashable(v), len(seen)) for v in values], dtype=np.intp)
    return codes, list(seen)


def _hashable(value):
    return None if value is None or (isinstance(value, float) and value != value) else value


def _column(cols: dict, name: str, n: int) -> np.ndarray:
    value = cols.get(name, DEFAULTS.get(name))
    if isinstance(value, pd.api.extensions.ExtensionArray):
        return value
    arr = np.asarray(value) if isinstance(value, (np.ndarray, pd.Series, pd.Index, list)) else None
    if arr is None:
        return np.array([value], dtype=object) if isinstance(value, str) or value is None else np.array([value])
    return arr


def _numbers(values: np.ndarray) -> np.ndarray:
    """float64 of numbers given as numbers, numeric strings or Decimals; anything else -> NaN (so a row error):
    unparseable text, and booleans, dates and complex numbers, which numpy would turn into numbers."""
    if not isinstance(values, np.ndarray):
        values = np.asarray(values, dtype=object)
    if values.dtype.kind in "fiu":
        return values.astype(np.float64, copy=False)
    if values.dtype.kind != "O":  # booleans, dates, durations, complex numbers, bytes
        return np.full(len(values), np.nan)
    try:
        out = values.astype(np.float64)
    except (TypeError, ValueError):
        out = pd.to_numeric(pd.Series(values), errors="coerce").to_numpy(np.float64, copy=True)
    if pd.api.types.infer_dtype(values, skipna=True) not in _NUMERIC_KINDS:  # some cell may be a bool or a date
        odd = np.fromiter((isinstance(v, (bool, np.bool_, dt.date, dt.timedelta, np.datetime64, complex))
                           for v in values), dtype=bool, count=len(values))
        out[odd] = np.nan
    return out


_NUMERIC_KINDS = {"string", "floating", "integer", "decimal", "mixed-integer-float", "empty"}


def _choice(values: np.ndarray, mapping: Mapping[str, object]) -> tuple[np.ndarray, np.ndarray]:
    """Map text values through `mapping` by distinct value; returns (codes, known mask)."""
    codes, uniques = distinct(values)
    mapped = [mapping.get(str(u).strip().lower()) if u is not None and u == u else None for u in uniques]
    known = np.array([m is not None for m in mapped] + [False])[codes]
    out = np.array([m if m is not None else 0 for m in mapped] + [0], dtype=object)[codes]
    return out, known


def _flags(values: np.ndarray, name: str, probs: Problems) -> np.ndarray:
    if values.dtype.kind == "b":
        return values.astype(np.intp)
    mapping = {**dict.fromkeys(TRUE, 1), **dict.fromkeys(FALSE, 0)}
    out, known = _choice(values, mapping)
    probs.add(~known, values, lambda v: InvalidItem(name, v, "expected true or false"))
    return out.astype(np.intp)


def _tristate(values, name: str, probs: Problems) -> np.ndarray:
    """A flag that may be left out: 1 true, 0 false, NOT_GIVEN (-1) for an empty cell or None (then inferred)."""
    if isinstance(values, np.ndarray) and values.dtype.kind == "b":
        return values.astype(np.intp)
    raw = np.asarray(values, dtype=object)
    blank = _blanks(raw)
    out, known = _choice(np.where(blank, NONE, raw), {**dict.fromkeys(TRUE, 1), **dict.fromkeys(FALSE - {""}, 0)})
    probs.add(~known & ~blank, raw, lambda v: InvalidItem(name, v, "expected true or false"))
    return np.where(blank, fee_category.NOT_GIVEN, out).astype(np.intp)


def _money(values: np.ndarray, name: str, probs, currency: np.ndarray | str | None = None) -> np.ndarray:
    """Whole minor units of each row's currency from amounts (cents; whole yen for JPY; None: an unknown store's,
    read in cents); negative, non-numeric, finer than the minor unit, or huge amounts are errors."""
    x = _numbers(values)
    scale = _scales(currency)
    if len(x) and 0 <= x.min() and x.max() <= MAX_CENTS // 10000:  # the common case (NaN fails both tests)
        scaled = x * scale
        cents = np.rint(scaled)
        # whole minor units up to binary rounding (24.99 * 100 is 2498.9999999999995), far below 1e-12
        if (np.abs(scaled - cents) <= np.maximum(1e-7, 1e-12 * scaled)).all():
            return cents.astype(np.int64)
    with np.errstate(over="ignore", invalid="ignore"):  # huge or infinite amounts: reported below, not warned
        scaled = x * scale
        cents = np.rint(scaled)
        whole = np.abs(scaled - cents) <= np.maximum(1e-7, 1e-12 * scaled)
    bad_num = ~np.isfinite(x)
    too_big = ~bad_num & (x > MAX_CENTS // 10000)  # before any cent is looked at: 1e308 is too big, not sub-cent
    cents = np.nan_to_num(cents, nan=0.0, posinf=0.0, neginf=0.0)
    probs.add(np.isnan(x), values, lambda v: InvalidItem(name, v, "must be a number"))
    probs.add(np.isinf(x), values, lambda v: InvalidItem(name, v, "must be finite"))
    probs.add(~bad_num & (x < 0), values, lambda v: InvalidItem(name, v, "must not be negative"))
    fine = ~bad_num & (x >= 0) & ~too_big & ~whole
    if fine.any():  # the message names each row's minor unit: cents, pence, yen
        codes, currencies = distinct(np.broadcast_to(np.asarray(currency, dtype=object), x.shape))
        for k, code in enumerate(currencies):
            unit = minor_unit_name(code)
            probs.add(fine & (codes == k), values, lambda v, unit=unit: InvalidItem(name, v, f"must be a whole number "
                                                                                    f"of {unit}"))
    probs.add(too_big, values, lambda v: InvalidItem(name, v, f"must be at most {MAX_CENTS // 10000:,}"))
    return np.where(probs.bad, 0, cents).astype(np.int64)


def _scales(currency: np.ndarray | str | None) -> np.ndarray | float:
    """10 ** minor-unit digits of one currency, or of each row's (None, an unknown store: 100)."""
    if not isinstance(currency, np.ndarray):
        return 10.0 ** minor_digits(currency) if currency is not None else 100.0
    codes, uniques = distinct(currency)
    return np.array([10.0 ** minor_digits(c) if c is not None else 100.0 for c in uniques] + [100.0])[codes]


def _positive(values: np.ndarray, name: str, probs: Problems) -> np.ndarray:
    x = _numbers(values)
    ok = (x > 0) & (x <= MAX_INPUT)  # False for NaN
    if ok.all():
        return x
    probs.add(np.isnan(x), values, lambda v: InvalidItem(name, v, "must be a number"))
    probs.add(np.isinf(x), values, lambda v: InvalidItem(name, v, "must be finite"))
    probs.add(np.isfinite(x) & (x <= 0), values, lambda v: InvalidItem(name, v, "must be greater than zero"))
    probs.add(np.isfinite(x) & (x > MAX_INPUT), values,
              lambda v: InvalidItem(name, v, f"must be at most {MAX_INPUT:,}"))
    return np.where(ok, x, 1.0)


def _units(values: np.ndarray, kind: str, probs: Problems) -> np.ndarray:
    """Unit codes; an empty cell is None, which means the fee table's own unit (in/lb for US, cm/g for UK and DE)."""
    table = LENGTH_UNITS if kind == "length" else WEIGHT_UNITS
    name = "dimension_unit" if kind == "length" else "weight_unit"
    mapping = {alias: code for alias, code in UNIT_ALIASES.items() if code in table}
    out, known = _choice(values, mapping)
    blank = _blanks(values)
    probs.add(~known & ~blank, values, lambda v: InvalidItem(name, v, f"unknown {kind} unit", choices=sorted(table)))
    return np.where(known, out, NONE).astype(object)


def _plan(values: np.ndarray, name: str, probs) -> np.ndarray:
    out, ok = _choice(values, {p: i for i, p in enumerate(PLANS)})
    probs.add(~ok, values, lambda v: InvalidItem(name, v, "unknown selling plan", PLANS))
    return out.astype(np.intp)


def _program(values: np.ndarray, name: str, probs) -> np.ndarray:
    out, ok = _choice(values, {p: i for i, p in enumerate(PROGRAMS)})
    probs.add(~ok, values, lambda v: InvalidItem(name, v, "unknown program", PROGRAMS))
    return out.astype(np.intp)


def _age(values: np.ndarray, name: str, probs) -> np.ndarray:
    age = _numbers(values)
    whole = np.isfinite(age) & (age >= 0) & (age == np.floor(age))
    probs.add(~whole, values, lambda v: InvalidItem(name, v, "must be a whole number of days, zero or more"))
    probs.add(whole & (age > MAX_AGE_DAYS), values, lambda v: InvalidItem(name, v, f"must be at most {MAX_AGE_DAYS:,}"))
    return np.where(whole & (age <= MAX_AGE_DAYS), age, 0).astype(np.int64)


def _optional_number(values) -> tuple[np.ndarray, np.ndarray]:
    """(the values as floats, NaN where blank or not a number; blank) of an optional numeric column."""
    if isinstance(values, np.ndarray) and values.dtype.kind in "fiu":
        x = values.astype(np.float64)
        return x, np.isnan(x)
    raw = np.asarray(values, dtype=object)
    blank = _blanks(raw)
    return np.where(blank, np.nan, _numbers(np.where(blank, 0, raw))), blank


def _weeks(values, name: str, probs) -> np.ndarray:
    """Optional non-negative number of weeks; an empty cell means not given (NaN)."""
    x, blank = _optional_number(values)
    probs.add(~blank & ~(x >= 0), values, lambda v: InvalidItem(name, v, "must be a number of weeks, zero or more"))
    return np.where(x >= 0, x, np.nan)


def _choice_of(values, name: str, probs) -> np.ndarray:
    """Index into the field's choices; an empty cell or None is not given (-1)."""
    raw = np.asarray(values, dtype=object)
    blank = _blanks(raw)
    choices = FIELDS[name].choices or ()
    out, known = _choice(np.where(blank, NONE, raw), {c: i for i, c in enumerate(choices)})
    probs.add(~known & ~blank, raw, lambda v: InvalidItem(name, v, f"unknown {name.replace('_', ' ')}", choices))
    return np.where(known, out, -1).astype(np.intp)


def _days_count(values, name: str, probs) -> np.ndarray:
    """Optional non-negative number of days; an empty cell means not given (NaN)."""
    x, blank = _optional_number(values)
    probs.add(~blank & ~((x >= 0) & (x <= MAX_AGE_DAYS)), values,
              lambda v: InvalidItem(name, v, f"must be a number of days from 0 to {MAX_AGE_DAYS:,}"))
    return np.where((x >= 0) & (x <= MAX_AGE_DAYS), x, np.nan)


def _share(values, name: str, probs) -> np.ndarray:
    """An optional share from 0 to 1 (0.12) or a percentage ('12%') as parts per million; an empty cell is not given
    (-1).  Exact to 0.0001%."""
    raw = np.asarray(values, dtype=object) if not (isinstance(values, np.ndarray) and values.dtype.kind in "fiu") \
        else values
    codes, uniques = distinct(raw)
    parsed = [_share_ppm(u) for u in uniques]
    ppm = np.array([p if p is not None else -1 for p in parsed] + [-1], dtype=np.int64)[codes]
    blank = np.array([is_blank(u) for u in uniques] + [True])[codes]
    bad = (ppm < 0) & ~blank
    probs.add(bad, raw, lambda v: InvalidItem(name, v, "must be a share from 0 to 1, such as 0.12 or '12%'"))
    return np.where(bad, -1, ppm)


def _share_ppm(value) -> int | None:
    from decimal import Decimal, InvalidOperation

    if is_blank(value) or isinstance(value, (bool, np.bool_)):
        return None
    text = str(value).strip()
    try:
        share = Decimal(text[:-1]) / 100 if text.endswith("%") else Decimal(text)
    except InvalidOperation:
        return None
    if not share.is_finite() or not 0 <= share <= 1:
        return None
    ppm = share * 1_000_000
    if isinstance(value, float):  # a binary float such as 0.12: the share it was written as, to the ppm
        ppm = ppm.quantize(Decimal(1))
    return int(ppm) if ppm == ppm.to_integral_value() else None


def _country(values, name: str, probs) -> np.ndarray:
    """Two-letter country codes (GB is written UK, as Amazon does); None where not given.  A code that is not a
    country (ISO 3166, as Babel lists them) is an error, not a seller 'established elsewhere'."""
    raw = np.asarray(values, dtype=object)
    codes, uniques = distinct(raw)
    mapped = []
    for u in uniques:
        text = None if is_blank(u) else str(u).strip().upper()
        mapped.append("UK" if text == "GB" else text)
    out = np.array(mapped + [None], dtype=object)[codes]
    bad = np.array([m is not None and not (len(m) == 2 and m.isalpha()) for m in mapped] + [False])[codes]
    probs.add(bad, raw, lambda v: InvalidItem(name, v, "expected a two-letter country code such as UK or DE"))
    unknown = np.array([m is not None and len(m) == 2 and m.isalpha() and m not in countries() for m in mapped]
                       + [False])[codes]
    probs.add(unknown, raw, lambda v: InvalidItem(name, v, f"unknown country code (ISO 3166, two letters; "
                                                            f"{_rule_countries()}, any other country is established "
                                                            f"elsewhere)", choices=sorted(countries())))
    return np.where(bad | unknown, NONE, out)


@lru_cache(maxsize=1)
def countries() -> frozenset[str]:
    """Every ISO 3166 two-letter country code (Babel's list, with UK for GB, as Amazon writes it)."""
    from babel import Locale  # only when a code is checked: `import feecalc` stays light

    regions = {"EU", "EZ", "UN", "QO", "XA", "XB", "ZZ"}  # groups and pseudo-regions, not countries
    codes = {str(k) for k in Locale("en").territories}
    return frozenset(k for k in codes if len(k) == 2 and k.isalpha() and k not in regions) | {"UK"}


@lru_cache(maxsize=1)
def _rule_countries() -> str:
    """'the Digital Services Fee rules name ES, FR, IT, UK': the countries that change a fee."""
    named = sorted({c for t in all_tables() for rule in t.data.get("digital_services_fee", ())
                    for c in rule["seller_countries"] if c != "*"})
    return f"the Digital Services Fee rules name {', '.join(named)}" if named else "no fee depends on it"


PARSERS = {
    "positive": lambda v, name, p: _positive(v, name, p),
    "length_unit": lambda v, name, p: _units(v, "length", p),
    "weight_unit": lambda v, name, p: _units(v, "weight", p),
    "flag": lambda v, name, p: _flags(v, name, p),
    "tristate": _tristate,
    "plan": _plan, "program": _program, "age": _age, "weeks": _weeks, "country": _country,
    "choice": _choice_of, "days": _days_count, "days_of_supply": _days_count, "share": _share,
}


def _days(values: np.ndarray | None, on: dt.date, probs: Problems, n: int) -> np.ndarray:
    if values is None:
        return np.full(n, day_number(on), dtype=np.int64)
    codes, uniques = distinct(values)
    parsed = [_parse_date(u, on) for u in uniques]
    days = np.array([p if p is not None else 0 for p in parsed] + [0], dtype=np.int64)[codes]
    known = np.array([p is not None for p in parsed] + [False])[codes]
    probs.add(~known, values, lambda v: InvalidItem("date", v, "expected a date such as 2026-03-01"))
    return days


def _parse_date(value, default: dt.date) -> int | None:
    if is_blank(value) or (isinstance(value, str) and not value.strip()):  # a blank cell: the default date
        return day_number(default)
    if isinstance(value, dt.datetime):
        return day_number(value.date())
    if isinstance(value, dt.date):
        return day_number(value)
    if isinstance(value, np.datetime64):
        return int(value.astype("datetime64[D]").astype(np.int64))
    try:
        return day_number(dt.date.fromisoformat(str(value).strip()[:10]))
    except ValueError:
        return None


def as_date(on) -> dt.date:
    """A date from a date, datetime, ISO string or None (today)."""
    if on is None:
        return dt.date.today()
    if isinstance(on, dt.datetime):
        return on.date()
    if isinstance(on, dt.date):
        return on
    try:
        return dt.date.fromisoformat(str(on).strip())
    except ValueError:
        raise InvalidItem("on", on, "expected a date such as 2026-03-01") from None


@dataclass
class Group:
    """Rows costed under one table; `notes`, per row of `items`, a warning of the input stage (a category read from
    Amazon's product group by feecalc's own reading), None where there is none; the whole array None when no row
    has one."""

    rows: np.ndarray | None  # None: every row
    table: CompiledTable
    items: Items
    notes: np.ndarray | None = None


def prepare(cols: dict, n: int, on: dt.date, marketplace: str, keep_all: bool = False) -> tuple[list[Group], Problems]:
    """Validate inputs and split the rows by the fee table in force; bad rows are left out of groups."""
    probs = Problems(n, keep_all=keep_all)
    for name in REQUIRED:
        if name not in cols:
            raise InvalidItem(name, None, "is required")
    market_in = _fill_blanks(np.asarray(_column(cols, "marketplace", n), dtype=object), marketplace) \
        if "marketplace" in cols else np.array([marketplace], dtype=object)  # a blank cell: the argument
    market, mk_ok = _choice(market_in, _market_names(market_codes()))
    market = np.where(mk_ok, market, NONE)
    currency = _row_currencies(market)  # amounts are read in each row's currency (its minor unit)
    v = {f.name: _parse(f.kind, f.name, cols, n, probs, currency) for f in ITEM_FIELDS
         if f.kind in PARSERS or f.kind == "money"}
    day = _days(cols.get("date"), on, probs, n)
    days_of_supply = _days_of_supply(v, n, probs)
    lil_exempt = NO_EXEMPTION
    for k, name in enumerate(LIL_EXEMPTIONS):
        if name in cols:  # a flag left out is its default, false
            lil_exempt = lil_exempt | (np.asarray(v[name], dtype=np.int64) << k)
    probs.add(~mk_ok, market_in, _no_marketplace)
    market = market if len(market) == n else np.broadcast_to(market, (n,))

    groups = []

    def full(a: np.ndarray) -> np.ndarray:  # a column, or one value for every row
        return a if len(a) == n else np.broadcast_to(a, (n,))

    category = _column(cols, "category", n)
    table_of = np.full(n, -1)
    infos: list[TableInfo] = []
    for mk in distinct(market[market != None])[1]:  # noqa: E711
        tables, starts, ends = _spans(tables_of(mk))
        in_mk = market == mk
        idx = np.searchsorted(starts, day, side="right") - 1
        covered = in_mk & (idx >= 0) & (day <= ends[np.maximum(idx, 0)]) if tables else np.zeros(n, bool)
        probs.add(in_mk & ~covered & ~probs.bad, day, lambda v, mk=mk: _no_table(mk, v))
        table_of = np.where(covered, len(infos) + idx, table_of)
        infos.extend(tables)
    for ti in distinct(table_of[table_of >= 0])[1]:
        info = infos[ti]
        table = compiled_table(info)
        sel = table_of == ti
        cat_text = full(category)
        normalized, known, notes, ambiguous = _categories(cat_text, table)
        probs.add(sel & ~known & ~ambiguous, cat_text, lambda v, table=table: _unknown_category(v, table))
        probs.add(sel & ambiguous, cat_text, lambda v, table=table: _ambiguous_group(v, table))
        sel &= ~probs.bad
        rows = None if sel.all() else np.flatnonzero(sel)

        def pick(a: np.ndarray, rows: np.ndarray | None = rows) -> np.ndarray:  # the group's rows of a column
            return full(a) if rows is None else full(a)[rows]

        apparel, inferred = fee_category.resolve(table.fee_category, pick(normalized), pick(v["apparel"]))
        days = pick(days_of_supply)
        items = Items(
            price_c=pick(v["price"]), total_c=pick(v["price"] + v["shipping"] + v["gift_wrap"]),
            dims=convert_each(np.stack([pick(v[k]) for k in ("length", "width", "height")], axis=1),
                              pick(v["dimension_unit"]), table.length_unit),
            weight=convert_each(pick(v["weight"]), pick(v["weight_unit"]), table.weight_unit),
            category=pick(normalized), apparel=apparel, apparel_inferred=inferred, dangerous=pick(v["dangerous_goods"]),
            sipp=pick(v["sipp"]), individual=pick(v["plan"]) == 1, program=pick(v["program"]),
            age_days=pick(v["age_days"]), utilization=pick(v["utilization_weeks"]), day=pick(day),
            seller_country=pick(_seller_countries(v["seller_country"], info.marketplace, table)),
            placement=pick(full(v["placement"])), inbound_point=pick(full(v["inbound_point"])),
            days_of_supply=days, lil_exempt=pick(full(lil_exempt)),
            return_rate=pick(full(v["return_rate"])), pan_eu_unit=pick(full(v["pan_eu_unit"])),
        )
        if len(items.price_c):
            groups.append(Group(rows, table, items, None if notes is None else pick(full(notes))))
    return groups, probs


DAYS_OF_SUPPLY = ("days_of_supply", "days_of_supply_short", "days_of_supply_long")
NOT_GIVEN_DAYS = np.full(1, np.nan)
NOT_GIVEN_DAYS.setflags(write=False)
NO_EXEMPTION = np.zeros(1, dtype=np.int64)
NO_EXEMPTION.setflags(write=False)


def _days_of_supply(v: dict, n: int, probs: Problems) -> np.ndarray:
    """The greater historical days of supply per row (NaN: not given): `days_of_supply` stands for both figures, or
    the short- and long-term figures are both given; the low-inventory-level fee depends on the greater alone
    (us-fba.md 8: charged when both are below the limit, banded by the greater)."""
    if all(len(v[k]) == 1 and np.isnan(v[k][0]) for k in DAYS_OF_SUPPLY):  # none given: a quote's usual case
        return NOT_GIVEN_DAYS
    both, short, long_ = (np.broadcast_to(v[k], (n,)) for k in ("days_of_supply", "days_of_supply_short",
                                                                 "days_of_supply_long"))
    has_both, has_short, has_long = ~np.isnan(both), ~np.isnan(short), ~np.isnan(long_)
    clash = has_both & (has_short | has_long)
    probs.add(clash, both, lambda v: InvalidItem(
        "days_of_supply", v, "give days_of_supply (one number for both) or days_of_supply_short and "
        "days_of_supply_long, not both"))
    for given, missing in (("days_of_supply_short", "days_of_supply_long"),
                           ("days_of_supply_long", "days_of_supply_short")):
        alone = ~has_both & ~np.isnan(np.broadcast_to(v[given], (n,))) & np.isnan(np.broadcast_to(v[missing], (n,)))
        probs.add(alone, np.array([given], dtype=object), lambda v, missing=missing: InvalidItem(
            missing, None, "is missing: give both the short- and the long-term days of supply (Amazon's fee needs "
            "both), or days_of_supply for both"))
    pair = np.fmax(short, long_)
    return np.where(has_both, both, np.where(has_short & has_long, pair, np.nan))


def _seller_countries(codes: np.ndarray, marketplace: str, table: CompiledTable) -> np.ndarray:
    """Index of each row's seller country among the table's Digital Services Fee rules ('*': any other)."""
    if len(table.dsf.countries) == 1:  # the table has no Digital Services Fee rules: everyone is 'any other'
        return np.zeros(len(codes), dtype=np.intp)
    if len(codes) == 1:
        return np.array([table.dsf.country_index(codes[0], marketplace)], dtype=np.intp)
    known, uniques = distinct(codes)
    index = np.array([table.dsf.country_index(u, marketplace) for u in uniques] + [table.dsf.country_index("*", "*")],
                     dtype=np.intp)
    return index[known]


def _categories(values: np.ndarray, table: CompiledTable) -> tuple[np.ndarray, np.ndarray, np.ndarray | None,
                                                                   np.ndarray]:
    """(category index, known, note per row or None, ambiguous) per row, worked out once per distinct value.

    A value that is not a category of the table may be one of Amazon's product groups or fee-category names
    (tables.groups): one that stands for one category is costed as it, with a note where that is feecalc's own
    reading; one that stands for several is `ambiguous`, an error naming them."""
    codes, uniques = distinct(values)
    lookup = table.frame.categories.lookup
    groups = product_groups(table.info.marketplace)
    found: list[int | None] = []
    notes: list[str | None] = []
    ambiguous: list[bool] = []
    for u in uniques:
        i = lookup.get(category_key(u)) if isinstance(u, str) else None
        note, several = None, False
        if i is None and isinstance(u, str) and groups is not None:
            candidates = _group_categories(groups.get(u), table)
            if len(candidates) == 1:
                i, group = lookup[candidates[0]], groups.get(u)
                note = _read_as(u, candidates[0], table) if group is not None and group.own_reading else None
            several = len(candidates) > 1
        found.append(i)
        notes.append(note)
        ambiguous.append(several)
    known = np.array([f is not None for f in found] + [False])[codes]
    index = np.array([f if f is not None else 0 for f in found] + [0], dtype=np.intp)[codes]
    noted = np.array(notes + [None], dtype=object)[codes] if any(notes) else None
    return index, known, noted, np.array(ambiguous + [False])[codes]


def _group_categories(group, table: CompiledTable) -> list[str]:
    """The categories of the table that a product group stands for (none for no group)."""
    if group is None:
        return []
    named = (group.category,) if group.category else group.candidates
    return [c for c in named if c in table.frame.categories.lookup]


def _read_as(value: str, category: str, table: CompiledTable) -> str:
    return (f"category {value!r} read as {category}: Amazon's product group, mapped by feecalc's own reading (the "
            f"reference maps no product group to a {table.info.marketplace} category); check it, or name the "
            f"category (a spreadsheet: --category-map)")


def _unknown_category(value, table: CompiledTable) -> UnknownCategory:
    """'category: unknown category ..., got 'x'; did you mean ...?' and where the table's categories are listed, not
    the whole list (which every bad row of a file would repeat)."""
    keys = table.frame.categories.keys
    close = suggestions(str(value), keys)
    hint = f"; did you mean {' or '.join(map(repr, close))}?" if close else ""
    return UnknownCategory("category", value, f"unknown category for {table.info.marketplace} in {table.id}",
                           choices=keys, message=f"category: unknown category for {table.info.marketplace} in "
                           f"{table.id}, got {value!r}{hint} ({table.id} has {len(keys)} categories: `feecalc tables "
                           f"categories {table.id}` or GET /v1/categories lists them)")


def _ambiguous_group(value, table: CompiledTable) -> UnknownCategory:
    """A product group that stands for more than one category of the table: an error naming the candidates."""
    groups = product_groups(table.info.marketplace)
    candidates = _group_categories(groups.get(str(value)) if groups else None, table)
    return UnknownCategory("category", value, "is Amazon's product group for more than one category", candidates,
                           message=f"category: {value!r} is Amazon's product group for more than one "
                           f"{table.info.marketplace} category in {table.id}: {' or '.join(candidates)}; name the "
                           f"category (a spreadsheet: --category-map)")


@lru_cache(maxsize=64)
def _spans(tables: tuple[TableInfo, ...]) -> tuple[list[TableInfo], np.ndarray, np.ndarray]:
    """A marketplace's tables with their first and last days as arrays (cached per registry)."""
    mine = list(tables)
    return (mine, np.array([day_number(t.effective_from) for t in mine], dtype=np.int64),
            np.array([day_number(t.effective_to) for t in mine], dtype=np.int64))


@lru_cache(maxsize=4)
def _market_names(codes: tuple[str, ...]) -> dict[str, str]:
    return {code.lower(): code for code in codes}


def _currency_of(marketplace: str | None) -> str | None:
    """A marketplace's currency, from its latest fee table (a test checks that its tables and the registry agree)."""
    tables = tables_of(marketplace) if marketplace is not None else ()
    return str(tables[-1].data["currency"]) if tables else None


def _row_currencies(market: np.ndarray) -> np.ndarray | str | None:
    """The currency of each row's marketplace (None where the marketplace is unknown): one code when every row
    has the same, else one per row."""
    if len(market) == 1:  # one marketplace for every row (quote, or no marketplace column)
        return _currency_of(market[0])
    codes, uniques = distinct(market)
    mapped = [_currency_of(u) for u in uniques]
    if len(set(mapped)) == 1:
        return mapped[0]
    return np.array(mapped + [None], dtype=object)[codes]


def check_marketplace(marketplace: str) -> None:
    """Raise NoFeeTable (as each row would get) when no fee table is for `marketplace`: a whole-file check."""
    if str(marketplace).strip().lower() not in _market_names(market_codes()):
        raise _no_marketplace(marketplace)


def _markets() -> list[str]:
    return list(market_codes())


def _no_marketplace(value) -> NoFeeTable:
    return NoFeeTable(f"marketplace: no fee tables for {value!r} (tables exist for {', '.join(_markets())})")


def _no_table(marketplace: str, day: int) -> NoFeeTable:
    try:
        table_for(marketplace, EPOCH + dt.timedelta(days=int(day)))
    except NoFeeTable as exc:
        return exc
    except OverflowError:  # outside the years 1 to 9999 (numpy's dates go further than Python's)
        return NoFeeTable(f"date: no {marketplace} fee table covers a date outside the years 1 to 9999")
    return NoFeeTable(f"no {marketplace} fee table for {day}")  # pragma: no cover
