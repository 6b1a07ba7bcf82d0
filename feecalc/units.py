"""Exact length and weight units, and conversion of input arrays into a table's units.

Every unit is an exact rational multiple of the metre or the kilogram (1 in = 0.0254 m,
1 lb = 0.45359237 kg).  Inputs are first read as a whole number of small steps of their own
unit (a millionth of it, or coarser where needed to stay exact), and that integer is divided
by an exact integer denominator.  IEEE division is correctly rounded, so any input that is
exactly on a band edge (453.59237 g, 30.48 cm, 4 oz) arrives exactly on that edge.
"""

from __future__ import annotations

import re
from fractions import Fraction

import numpy as np

LENGTH_UNITS: dict[str, Fraction] = {  # metres per unit
    "in": Fraction(254, 10000),
    "cm": Fraction(1, 100),
    "mm": Fraction(1, 1000),
    "m": Fraction(1),
    "ft": Fraction(254 * 12, 10000),
}
WEIGHT_UNITS: dict[str, Fraction] = {  # kilograms per unit
    "lb": Fraction(45359237, 100000000),
    "oz": Fraction(45359237, 1600000000),
    "kg": Fraction(1),
    "g": Fraction(1, 1000),
}

# Names as Amazon's reports and people write them.
UNIT_ALIASES: dict[str, str] = {
    "in": "in", "inch": "in", "inches": "in", '"': "in",
    "cm": "cm", "centimeter": "cm", "centimeters": "cm", "centimetre": "cm", "centimetres": "cm",
    "mm": "mm", "millimeter": "mm", "millimeters": "mm", "millimetre": "mm", "millimetres": "mm",
    "m": "m", "meter": "m", "meters": "m", "metre": "m", "metres": "m",
    "ft": "ft", "foot": "ft", "feet": "ft",
    "lb": "lb", "lbs": "lb", "pound": "lb", "pounds": "lb",
    "oz": "oz", "ounce": "oz", "ounces": "oz",
    "kg": "kg", "kgs": "kg", "kilogram": "kg", "kilograms": "kg",
    "g": "g", "gram": "g", "grams": "g",
}

# Largest accepted input, in the input's own unit: integer steps stay exact in float64, products in int64.
MAX_INPUT = 1_000_000
_EXACT = 2**53
_INT64 = 2**63


def unit_size(code: str) -> Fraction:
    """Size of a canonical unit in metres or kilograms."""
    return LENGTH_UNITS.get(code) or WEIGHT_UNITS[code]


def conversion(src: str, dst: str) -> tuple[int, int, int]:
    """Return (scale, multiplier, divisor) so that dst = round(x*scale) * multiplier / divisor exactly.

    The scale is the finest power of ten (at most 1e9) that keeps round(x*scale) * multiplier inside
    int64 for inputs up to MAX_INPUT; the product is then exact and the division rounds once.
    """
    ratio = unit_size(src) / unit_size(dst)
    for digits in range(9, 0, -1):
        scale = 10**digits
        step = ratio / scale  # dst units per input step
        mult, div = step.numerator, step.denominator
        if MAX_INPUT * scale * mult < _INT64 and MAX_INPUT * scale < _EXACT:
            return scale, mult, div
    raise ValueError(f"no exact conversion from {src} to {dst}")  # pragma: no cover


def convert(values: np.ndarray, src: str, dst: str) -> np.ndarray:
    """Convert float64 `values` in unit `src` to unit `dst`, exactly for decimal inputs.

    Each value is read as a whole number of steps of its unit (1e-9 of it, or coarser where needed),
    multiplied exactly in int64 and divided with one rounding: values on a band edge stay on it."""
    if src == dst:
        return values.astype(np.float64, copy=False)
    scale, mult, div = conversion(src, dst)
    steps = np.rint(np.asarray(values, dtype=np.float64) * scale)
    product = np.nan_to_num(steps, nan=0, posinf=0, neginf=0).astype(np.int64) * mult
    whole = product // div
    out = whole + (product - whole * div) / div
    return np.where(np.isfinite(steps), out, steps)


def convert_each(values: np.ndarray, units: np.ndarray, dst: str) -> np.ndarray:
    """Convert each row (of a 1-d or (n, k) array) from its own unit (a code such as "cm"; None: already `dst`)
    to `dst`, one pass per distinct unit."""
    if len(units) == 1:  # one item: one conversion
        return convert(values, units[0] or dst, dst)
    units = np.where(units == None, dst, units)  # noqa: E711
    first = units[0] if len(units) else dst
    if len(units) == 0 or (units == first).all():
        return convert(values, first, dst)
    out = np.empty(values.shape)
    for unit in dict.fromkeys(units.tolist()):
        sel = units == unit
        out[sel] = convert(values[sel], unit, dst)
    return out


_QUANTITY = re.compile(r"^\s*([0-9]+(?:\.[0-9]+)?)\s*([A-Za-z]+)\s*$")


def parse_quantity(text: str) -> tuple[Fraction, str]:
    """Parse a table quantity such as "4 oz" or "0.75 in" into (exact value, unit code)."""
    match = _QUANTITY.match(str(text))
    if not match:
        raise ValueError(f"expected a number and a unit such as '4 oz', got {text!r}")
    unit = UNIT_ALIASES.get(match.group(2).lower())
    if unit is None:
        raise ValueError(f"unknown unit {match.group(2)!r} in {text!r}")
    return Fraction(match.group(1)), unit


def quantity_in(text: str, dst: str) -> Fraction:
    """Exact value of a table quantity ("4 oz") expressed in unit `dst` ("lb" -> 1/4)."""
    value, unit = parse_quantity(text)
    if (unit in LENGTH_UNITS) != (dst in LENGTH_UNITS):
        raise ValueError(f"{text!r} is not a {'length' if dst in LENGTH_UNITS else 'weight'}")
    return value * unit_size(unit) / unit_size(dst)


def fraction_to_float(value: Fraction) -> float:
    """Correctly rounded float of an exact fraction (exact for dyadic edges such as 1/4 lb)."""
    return value.numerator / value.denominator
