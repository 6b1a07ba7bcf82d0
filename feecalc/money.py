"""Exact money: amounts are int64 cents, rates are int64 parts per million.

Rounding rule (one, documented): every fee line is computed exactly and then rounded once
to the cent, half up (0.5 cent goes up).  Amazon's own rounding rule is NOT FOUND
(us-referral.md section 1), so this is feecalc's stated convention.
"""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache

import numpy as np
import pandas as pd
import pyarrow as pa

PPM = 1_000_000
MAX_CENTS = 10**13  # one hundred billion: cents * ppm stays inside int64


def to_cents(value: Decimal) -> int:
    """Whole cents of a table money figure; a sub-cent figure is a table error."""
    cents = value * 100
    if cents != cents.to_integral_value():
        raise ValueError(f"money figure {value} is not a whole number of cents")
    return int(cents)


def percent_to_ppm(text: str) -> int:
    """'3.5%' -> 35000 parts per million (exact; finer than 0.0001% is an error)."""
    raw = str(text).strip()
    if not raw.endswith("%"):
        raise ValueError(f"expected a percentage such as '15%', got {text!r}")
    ppm = Decimal(raw[:-1]) * 10_000
    if ppm != ppm.to_integral_value() or ppm < 0:
        raise ValueError(f"percentage {text!r} is finer than 0.0001%")
    return int(ppm)


def half_up_div(numerator: np.ndarray, divisor: int) -> np.ndarray:
    """Integer division rounded half up, for non-negative int64 numerators."""
    return (numerator + divisor // 2) // divisor


@lru_cache(maxsize=1 << 14)
def cents_to_decimal(cents: int) -> Decimal:
    """Decimal amount with two places for int cents (memoised: Decimals are immutable, and fee amounts
    repeat across a catalog)."""
    return Decimal(int(cents)).scaleb(-2)


MONEY_TYPE = pa.decimal128(18, 2)
MONEY_DTYPE = pd.ArrowDtype(MONEY_TYPE)


def cents_to_series(cents: np.ndarray, valid: np.ndarray, index: pd.Index) -> pd.Series:
    """Exact decimal column (Arrow decimal128, 2 places) from int64 cents; invalid rows are null."""
    n = len(cents)
    words = np.empty((n, 2), dtype=np.int64)
    words[:, 0] = cents
    words[:, 1] = cents >> 63  # sign extension into the high 64 bits
    mask = None if valid.all() else pa.py_buffer(np.packbits(valid, bitorder="little"))
    array = pa.Array.from_buffers(MONEY_TYPE, n, [mask, pa.py_buffer(words)])
    return pd.Series(array, index=index, dtype=MONEY_DTYPE, copy=False)
