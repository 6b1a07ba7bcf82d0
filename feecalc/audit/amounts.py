"""Amounts and dates as Amazon's reports write them, read exactly and whole-column.

Amounts become int64 micro-units (millionths of the currency unit): a storage report prints fees to four places
(`0.0614`), so the currency's minor unit is too coarse to hold them, and binary floats are never used for money.
The decimal symbol is decided per file (reports.md 3.4, 8.4: EU settlements write `1141,18`, NA files `14.9`);
grouping is accepted only where it sits in groups of three (`1.141,18`, `1 135,72`, `1,777.43`), so that `4,50` in
a file with decimal points is an error, never 450.  `--` is Amazon's "not applicable" (reports.md 1).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ..fees.base import day_number
from ..money import CURRENCY_DIGITS, minor_digits

SCALE = 6
MICRO = 10**SCALE
NOT_APPLICABLE = "--"
SPACES = " \u00a0\u202f\u2009"


@dataclass
class Amounts:
    """A column of amounts: `micro` (0 where not given), `given` (a number), `bad` (text that is not one)."""

    micro: np.ndarray
    given: np.ndarray
    bad: np.ndarray


def decimal_symbol(columns: list[pa.Array]) -> str:
    """',' when the file's amounts are written with a decimal comma (some cell ends in a comma and one or two
    digits, and none in a point and two digits), else '.'."""
    comma = point = False
    for col in columns:
        sample = col.slice(0, 20_000)
        comma |= pc.any(pc.match_substring_regex(sample, r"\d,\d{1,2}$")).as_py() or False
        point |= pc.any(pc.match_substring_regex(sample, r"\d\.\d{2}$")).as_py() or False
    return "," if comma and not point else "."


def read_amounts(text: pa.Array, decimal: str) -> Amounts:
    """Exact amounts of a text column in micro-units; blank and `--` cells are not given."""
    text = pc.utf8_trim(pc.fill_null(text, ""), characters=SPACES)
    empty = pc.or_(pc.equal(text, ""), pc.equal(text, NOT_APPLICABLE))
    group = "[. \u00a0\u202f\u2009']" if decimal == "," else "[, \u00a0\u202f\u2009']"
    dec = re.escape(decimal)
    shape = rf"^[+-]?(?:[0-9]+|[0-9]{{1,3}}(?:{group}[0-9]{{3}})+)(?:{dec}[0-9]{{1,{SCALE}}})?$"
    ok = pc.and_(pc.invert(empty), pc.match_substring_regex(text, shape))
    plain = pc.replace_substring_regex(text, group, "")
    if decimal != ".":
        plain = pc.replace_substring(plain, decimal, ".")
    parts = pc.extract_regex(pc.if_else(ok, plain, "0"), r"^(?P<sign>[+-]?)(?P<whole>[0-9]+)(?:\.(?P<frac>[0-9]*))?$")
    whole = pc.struct_field(parts, "whole")
    frac = pc.utf8_rpad(pc.fill_null(pc.struct_field(parts, "frac"), ""), SCALE, "0")
    digits = pc.binary_join_element_wise(whole, frac, "")
    too_big = pc.greater(pc.utf8_length(digits), 18)
    ok = pc.and_(ok, pc.invert(too_big))
    value = pc.cast(pc.if_else(ok, digits, "0"), pa.int64()).to_numpy(zero_copy_only=False)
    negative = pc.equal(pc.struct_field(parts, "sign"), "-").to_numpy(zero_copy_only=False)
    ok_np = ok.to_numpy(zero_copy_only=False)
    return Amounts(np.where(ok_np, np.where(negative, -value, value), 0), ok_np,
                   ~ok_np & ~empty.to_numpy(zero_copy_only=False))


def micro_text(micro: np.ndarray) -> np.ndarray:
    """Amounts in micro-units as exact decimal text ('24.990000', '-3.750000'), whole-column."""
    micro = np.asarray(micro, dtype=np.int64)
    if not len(micro):  # np.char.zfill cannot size an empty array
        return np.zeros(0, dtype=object)
    sign = np.where(micro < 0, "-", "")
    size = np.abs(micro)
    whole = (size // MICRO).astype(str)
    frac = np.char.zfill((size % MICRO).astype(str), SCALE)
    return np.char.add(np.char.add(np.char.add(sign, whole), "."), frac).astype(object)


def nones(values) -> np.ndarray:
    """An object array with None for every missing value (pandas' string columns give pd.NA, which `== None` and
    `is None` do not see)."""
    out = np.asarray(values, dtype=object).copy()
    out[pd.isna(out)] = None
    return out


def to_decimal(micro: int, currency: str | None) -> Decimal:
    """An amount in micro-units as a Decimal with at least the currency's places (4.05, 0.0614, 318 yen)."""
    value = Decimal(int(micro)).scaleb(-SCALE).normalize()
    places = minor_digits(currency) if currency else 2
    if value.as_tuple().exponent > -places:  # type: ignore[operator]
        value = value.quantize(Decimal(1).scaleb(-places))
    return value


def minor_unit(currency: str) -> int:
    """Micro-units per minor unit of a currency (10,000 for cents, 1,000,000 for whole yen)."""
    return 10 ** (SCALE - minor_digits(currency))


def minor_units(currency: np.ndarray) -> np.ndarray:
    """minor_unit of each row's currency, once per distinct code (0 where the code is empty or unknown)."""
    codes, uniques = pd.factorize(pd.Series(currency, dtype=object), use_na_sentinel=False)
    steps = [minor_unit(u) if isinstance(u, str) and u in CURRENCY_DIGITS else 0 for u in uniques]
    return np.array(steps + [0], dtype=np.int64)[codes]


def round_to_minor(micro: np.ndarray, step: np.ndarray | int) -> np.ndarray:
    """Micro-units rounded half up (away from zero for negatives, as for positives) to whole minor units, in
    micro-units."""
    step = np.asarray(step, dtype=np.int64)
    magnitude = (np.abs(micro) + step // 2) // step * step
    return np.where(micro < 0, -magnitude, magnitude)


def parse_tolerance(value, name: str = "--tolerance") -> Decimal:
    """The tolerance (an amount of at least 0, at most six places); errors name it `name` (the option, or the HTTP
    form's field)."""
    try:
        tol = Decimal(str(value if value is not None else "0").strip())
    except ArithmeticError:
        raise ValueError(f"{name}: {value!r} is not an amount such as 0.01") from None
    if not tol.is_finite() or tol < 0 or tol != tol.quantize(Decimal(1).scaleb(-SCALE)):
        raise ValueError(f"{name}: {value!r} must be an amount of at least 0 with at most {SCALE} places")
    return tol


# ---- dates -----------------------------------------------------------------------------------------------------
MONTHS = {m: i + 1 for i, m in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct",
                                             "nov", "dec"))}
_DATE = (r"^\s*(?P<date>[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}|[0-9]{1,2}\.[0-9]{1,2}\.[0-9]{4}|[A-Za-z]{3,9}\.? [0-9]{1,2}, "
         r"[0-9]{4}|[0-9]{4}-[0-9]{1,2})")  # the full date first: RE2 (no lookahead) takes the first that matches


def read_dates(text: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """(day numbers, given) of a column of dates or date-times as Amazon's reports write them: ISO
    (`2025-06-09 05:23:19 UTC`, `2015-12-02T03:27:08+00:00`), German (`03.07.2026 09:12:00 GMT+00:00`, `03.07.2026`),
    US (`Jul 3, 2026 9:12:00 AM PDT`) and a month (`2022-11`, its first day).  The date is taken as written, in the
    file's own time zone (reports.md 6.1: US date-range reports cut days in Pacific time).  Parsed once per distinct
    date."""
    text = pc.fill_null(text, "")
    found = pc.extract_regex(text, _DATE)
    part = pc.fill_null(pc.struct_field(found, "date"), "")
    uniques = pc.unique(part)
    days = np.array([_day(v) for v in uniques.to_pylist()] + [-1], dtype=np.int64)
    codes = pc.index_in(part, value_set=uniques).to_numpy(zero_copy_only=False)
    out = days[codes]
    return out, out >= 0


def _day(text: str) -> int:
    """Day number of one date text in the forms of read_dates; -1 where it is none."""
    try:
        if re.fullmatch(r"[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}", text):
            y, m, d = map(int, text.split("-"))
        elif re.fullmatch(r"[0-9]{1,2}\.[0-9]{1,2}\.[0-9]{4}", text):
            d, m, y = map(int, text.split("."))
        elif re.fullmatch(r"[0-9]{4}-[0-9]{1,2}", text):
            (y, m), d = map(int, text.split("-")), 1
        else:
            match = re.fullmatch(r"([A-Za-z]{3,9})\.? ([0-9]{1,2}), ([0-9]{4})", text)
            if not match or match.group(1)[:3].lower() not in MONTHS:
                return -1
            m, d, y = MONTHS[match.group(1)[:3].lower()], int(match.group(2)), int(match.group(3))
        return day_number(dt.date(y, m, d))
    except ValueError:
        return -1
