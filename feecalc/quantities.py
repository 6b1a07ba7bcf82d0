"""Dimension and weight cells that carry their unit: '12 in', '30,5 cm', '1,2 kg', '450 g', '1 lb 4 oz', '12"'.

The number is read in the file's locale, as any number cell (numbers.py); the unit by the names of
units.UNIT_ALIASES.  Cells are parsed once per distinct value, and only when a column has cells with letters
in it, so plain number columns cost nothing more.  A compound '1 lb 4 oz' is read in its smaller unit (20 oz),
'5 ft 3 in' as 63 in: exact, with no rounding.

`row_units` then settles each row's unit: a cell's unit must agree with the column header's ('Length (cm)')
and with the row's unit column (`unit-of-dimension`); the three sides of a row may be given in different units,
and are then all taken in millimetres (an exact decimal multiple of every length unit).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .numbers import as_arrow_text, parse_numbers, read_numbers, symbols
from .units import LENGTH_UNITS, UNIT_ALIASES, WEIGHT_UNITS

SIDES = ("length", "width", "height")
_NUMBER = r"([+-]?[0-9][0-9.,\u00a0\u202f\u2009 ']*|[.,][0-9]+)"
_UNIT = r"([A-Za-z\u00b5]+\.?|\"|''|\u2033)"
_SIMPLE = re.compile(rf"^\s*{_NUMBER}\s*{_UNIT}\s*$")
_COMPOUND = re.compile(rf"^\s*{_NUMBER}\s*{_UNIT}\s*{_NUMBER}\s*{_UNIT}\s*$")
_MARKS = {'"': "in", "''": "in", "\u2033": "in"}  # 12" is 12 inches
_COMPOUNDS = {("lb", "oz"): ("oz", 16), ("ft", "in"): ("in", 12)}  # (big, small): in the small unit, big = k small


@dataclass
class Cells:
    """A column read with its units: numbers (NaN where none), each cell's own unit code (None where the cell
    gave none; the whole array None when no cell did), cells that are not numbers, for cells that name a unit
    but cannot be read the reason (None elsewhere), and the cells written as a percentage (None: none)."""

    numbers: np.ndarray
    units: np.ndarray | None
    bad: np.ndarray
    reasons: np.ndarray | None
    percent: np.ndarray | None = None


def read_cells(values, locale: str, kind: str) -> Cells:
    """Read a dimension ('length') or weight ('weight') column, with a unit in any cell that gives one.  Only the
    cells that do not read as numbers are looked at for a unit, so a column of numbers costs nothing more."""
    numbers, bad, percent = read_numbers(values, locale)
    if not bad.any():
        return Cells(numbers, None, bad, None, percent)
    text, where = _unit_cells(values, bad)
    if text is None:
        return Cells(numbers, None, bad, None, percent)
    distinct = pc.unique(text)
    parsed = [_parse(str(v), locale, kind) for v in distinct.to_pylist()]
    codes = pc.index_in(text, value_set=distinct).to_numpy(zero_copy_only=False)
    value = np.array([p[0] for p in parsed], dtype=np.float64)[codes]
    unit = np.array([p[1] for p in parsed], dtype=object)[codes]
    reason = np.array([p[2] for p in parsed], dtype=object)[codes]
    units = np.full(len(numbers), None, dtype=object)
    reasons = np.full(len(numbers), None, dtype=object)
    numbers = numbers.copy()
    numbers[where], units[where], reasons[where] = value, unit, reason
    bad = bad.copy()
    bad[where] = unit == None  # noqa: E711  (a cell with letters that is not a quantity)
    return Cells(numbers, units, bad, reasons, percent)


def _unit_cells(values, bad: np.ndarray) -> tuple[pa.Array | None, np.ndarray]:
    """The text cells among `bad` (those that did not read as numbers) that have a letter or an inch mark in them,
    which may carry a unit, and where they are."""
    rows = np.flatnonzero(bad)
    if getattr(values, "dtype", None) == np.dtype(object):  # spreadsheet cells: only text cells may carry a unit
        cells = np.asarray(values, dtype=object)[rows]
        cells = np.array([v if isinstance(v, str) else None for v in cells], dtype=object)
        arrow = pa.array(cells, type=pa.string(), from_pandas=True)
    else:
        arrow = as_arrow_text(values).take(pa.array(rows))
    marked = pc.fill_null(pc.match_substring_regex(arrow, "[A-Za-z\u00b5\"\u2033]|''"), False)
    if not pc.any(marked).as_py():
        return None, np.zeros(0, dtype=np.intp)
    return arrow.filter(marked), rows[marked.to_numpy(zero_copy_only=False)]


def _parse(text: str, locale: str, kind: str) -> tuple[float, str | None, str | None]:
    """(value, unit code, reason) of one cell; unit None (and a reason, or None for a cell with no digits, which is
    simply not a number) where it cannot be read."""
    if not any(ch.isdigit() for ch in text):
        return np.nan, None, None
    table = LENGTH_UNITS if kind == "length" else WEIGHT_UNITS
    names = "in, cm, mm, m, ft" if kind == "length" else "lb, oz, kg, g"
    compound = _COMPOUND.match(text)
    parts = [(compound.group(1), compound.group(2)), (compound.group(3), compound.group(4))] if compound else None
    simple = _SIMPLE.match(text)
    if parts is None and simple is None:
        return np.nan, None, f"is not a number with a unit (such as 12 {names.split(', ')[0]}; units: {names})"
    parts = parts or [(simple.group(1), simple.group(2))]  # type: ignore[union-attr]
    read = []
    for number, name in parts:
        code = _MARKS.get(name) or UNIT_ALIASES.get(name.rstrip(".").lower())
        if code is None:
            return np.nan, None, f"has an unknown unit {name!r} (units: {names}, or their names such as " \
                                 f"{'inches, centimeters' if kind == 'length' else 'pounds, grams'})"
        if code not in table:
            other = "weight" if kind == "length" else "length"
            return np.nan, None, f"is a {other} ({code}), where a {kind} is expected"
        value, bad = parse_numbers(pd.Series([number.strip()], dtype=object), locale)
        if bad[0] or np.isnan(value[0]):
            decimal, group = symbols(locale)
            return np.nan, None, f"has {number.strip()}, which is not a number in {locale} (the decimal symbol " \
                                 f"is {decimal!r} and {group!r} groups thousands)"
        read.append((value[0], code))
    if len(read) == 1:
        return float(read[0][0]), read[0][1], None
    (big, big_unit), (small, small_unit) = read
    if (big_unit, small_unit) not in _COMPOUNDS:
        return np.nan, None, f"combines {big_unit} and {small_unit}, which do not add up here (write such as " \
                             f"1 lb 4 oz or 5 ft 3 in)"
    unit, per = _COMPOUNDS[big_unit, small_unit]
    return float(Decimal(repr(float(big))) * per + Decimal(repr(float(small)))), unit, None


@dataclass
class RowUnits:
    """Each row's numbers and unit after the cells' own units are settled, and the rows that cannot be settled
    (with a message, per row: None where the row is fine)."""

    numbers: dict[str, np.ndarray]
    unit: np.ndarray | str | None
    messages: np.ndarray


def row_units(cells: dict[str, Cells], values: dict[str, np.ndarray], columns: dict[str, str],
              header_unit: str | None, unit_cells: np.ndarray | None, unit_column: str | None,
              kind: str) -> RowUnits:
    """Settle the unit of each row for one kind ('length': the three sides; 'weight').

    `header_unit`: the unit the columns' headers give; `unit_cells`: the row's unit column (None: no such
    column).  A cell's unit that contradicts either is the row's error; sides given in different units are
    taken in millimetres.  Messages are built once per distinct contradiction."""
    n = len(next(iter(cells.values())).numbers)
    fallback: np.ndarray | str | None = unit_cells if unit_cells is not None else header_unit
    messages = np.full(n, None, dtype=object)
    own = {f: c.units for f, c in cells.items() if c.units is not None}
    if not own:
        return RowUnits({f: c.numbers for f, c in cells.items()}, fallback, messages)
    named = np.full(n, None, dtype=object)  # the unit the row's unit column gives, as a code
    if unit_cells is not None:
        codes, uniques = pd.factorize(pd.Series(unit_cells, dtype=object).astype(str).str.strip().str.lower())
        named = np.array([UNIT_ALIASES.get(u) for u in uniques] + [None], dtype=object)[codes]
    for f, units in own.items():
        given = units != None  # noqa: E711
        if header_unit is not None:
            _note(messages, given & (units != header_unit), [values[f], units],
                  lambda v, u, f=f: f"{columns[f]}: {v!r} is in {u}, but the column's header says {header_unit}")
        if unit_cells is not None:
            _note(messages, given & (named != None) & (units != named), [values[f], units, unit_cells],  # noqa: E711
                  lambda v, u, w, f=f: f"{columns[f]}: {v!r} is in {u}, but {unit_column} says {w!r}")
    numbers = {f: c.numbers for f, c in cells.items()}
    unit = np.array(fallback if isinstance(fallback, np.ndarray) else np.full(n, fallback, dtype=object),
                    dtype=object)
    row_unit = np.full(n, None, dtype=object)  # the one unit the row's cells give, or "mixed"
    for units in own.values():
        given = units != None  # noqa: E711
        first = given & (row_unit == None)  # noqa: E711
        row_unit[first] = units[first]
        row_unit[given & (row_unit != units)] = "mixed"
    if kind == "length":
        plain = np.zeros(n, dtype=bool)  # a side without a unit in a row whose other sides give one
        for c in cells.values():
            without = np.ones(n, dtype=bool) if c.units is None else c.units == None  # noqa: E711
            plain |= without & ~np.isnan(c.numbers)
        lost = (row_unit != None) & plain & (unit == None)  # noqa: E711
        sides = ", ".join(columns[f] for f in cells)
        _note(messages, lost, [], lambda: f"{sides}: some sides give a unit and some do not; give every side its "
                                          f"unit (or the unit in the header or a unit column)")
        mixed = (row_unit == "mixed") & (messages == None)  # noqa: E711
        if mixed.any():
            for f, c in cells.items():
                given = unit[mixed] if c.units is None else np.where(c.units[mixed] != None, c.units[mixed],  # noqa: E711
                                                                     unit[mixed])
                numbers[f] = numbers[f].copy()
                numbers[f][mixed] = _in_mm(c.numbers[mixed], given)
            row_unit[mixed] = "mm"
    ok = (row_unit != None) & (row_unit != "mixed") & (messages == None)  # noqa: E711
    unit[ok] = row_unit[ok]
    return RowUnits(numbers, unit, messages)


def _in_mm(values: np.ndarray, units: np.ndarray) -> np.ndarray:
    """Lengths in millimetres, exactly (every length unit is a terminating decimal number of millimetres), once per
    distinct (value, unit)."""
    codes, uniques = pd.factorize(pd.Series([f"{v!r} {u}" for v, u in zip(values.tolist(), units.tolist(),
                                                                            strict=True)]))
    out = []
    for key in uniques:
        value, unit = key.split(" ")
        out.append(float(Fraction(Decimal(value)) * LENGTH_UNITS[unit] * 1000) if unit != "None" and
                   value != "nan" else np.nan)
    return np.array(out, dtype=np.float64)[codes]


def _note(messages: np.ndarray, mask: np.ndarray, parts: list[np.ndarray], make) -> None:
    """Add make(*parts at the row) to the message of each row in `mask`, built once per distinct combination."""
    rows = np.flatnonzero(mask)
    if not len(rows):
        return
    keys = [tuple(p[i] for p in parts) for i in rows]
    codes, uniques = pd.factorize(pd.Series([repr(k) for k in keys]))
    first = np.unique(codes, return_index=True)[1]
    texts = np.array([make(*keys[i]) for i in first], dtype=object)[codes]
    old = messages[rows]
    messages[rows] = np.where(old == None, texts, old.astype(str) + "; " + texts)  # noqa: E711
