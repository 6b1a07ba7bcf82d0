"""Exact money: amounts are int64 minor units of their currency (cents, pence, öre, grosze; whole yen, which has
none), rates are int64 parts per million.

Rounding rule (one, documented): every fee line is computed exactly and then rounded once to the currency's
minor unit, half up (half a cent, or half a yen, goes up).  Amazon's own rounding rule is NOT FOUND
(us-referral.md section 1), so this is feecalc's stated convention.

The number of minor-unit digits comes from the currency (ISO 4217): a table's figures, an item's amounts and every
amount shown are whole minor units of the table's currency.
"""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache

import numpy as np
import pandas as pd
import pyarrow as pa

PPM = 1_000_000
MAX_CENTS = 10**13  # one hundred billion: minor units * ppm stays inside int64

# ISO 4217 minor-unit digits of the currencies of Amazon's stores (the standard's "minor unit" column; Babel's CLDR
# data gives the same digits for each of them, which tests/test_money.py checks)
CURRENCY_DIGITS: dict[str, int] = {
    "USD": 2, "CAD": 2, "MXN": 2, "BRL": 2, "GBP": 2, "EUR": 2, "SEK": 2, "PLN": 2, "TRY": 2, "AED": 2, "SAR": 2,
    "EGP": 2, "INR": 2, "JPY": 0, "AUD": 2, "SGD": 2, "ZAR": 2,
}
# what one minor unit is called in messages ("must be a whole number of yen"); other currencies say "cents"
MINOR_UNIT_NAMES: dict[str, str] = {"JPY": "yen", "GBP": "pence", "SEK": "öre", "PLN": "grosze"}
# the scale of every Arrow money column: the most digits any currency has, so that one column holds any mix of
# currencies exactly (whole yen are 1234.00) and its type never depends on the rows in it
MONEY_SCALE = max(CURRENCY_DIGITS.values())


def minor_digits(currency: str) -> int:
    """ISO 4217 minor-unit digits of a currency code: 2 for EUR, 0 for JPY; KeyError names an unknown code."""
    try:
        return CURRENCY_DIGITS[currency]
    except KeyError:
        raise KeyError(f"unknown currency {currency!r} (feecalc knows {', '.join(sorted(CURRENCY_DIGITS))})") \
            from None


def minor_unit_name(currency: str | None) -> str:
    """'yen', 'pence', 'öre', 'grosze', or 'cents'."""
    return MINOR_UNIT_NAMES.get(currency or "", "cents")


def to_minor(value: Decimal, currency: str) -> int:
    """Whole minor units of a table money figure in `currency`; a finer figure is a table error."""
    units = value.scaleb(minor_digits(currency))
    if units != units.to_integral_value():
        raise ValueError(f"money figure {value} is not a whole number of {minor_unit_name(currency)} ({currency})")
    return int(units)


def to_cents(value: Decimal) -> int:
    """Whole cents of a money figure in a two-digit currency (the cost profiles' amounts)."""
    return to_minor(value, "USD")


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
def minor_to_decimal(minor: int, currency: str) -> Decimal:
    """The Decimal amount of whole minor units, with the currency's own places: Decimal('2.49') for 249 EUR cents,
    Decimal('1234') for 1234 yen (memoised: Decimals are immutable, and fee amounts repeat across a catalog)."""
    return Decimal(int(minor)).scaleb(-minor_digits(currency))


def cents_to_decimal(cents: int) -> Decimal:
    """Decimal amount with two places for int cents (a two-digit currency)."""
    return minor_to_decimal(cents, "USD")


def to_money_scale(minor: np.ndarray, currency: str) -> np.ndarray:
    """Minor units of `currency` as units of the money columns' scale (1234 yen -> 123400 hundredths)."""
    return minor * 10 ** (MONEY_SCALE - minor_digits(currency))


MONEY_TYPE = pa.decimal128(18, MONEY_SCALE)
MONEY_DTYPE = pd.ArrowDtype(MONEY_TYPE)


def cents_to_series(cents: np.ndarray, valid: np.ndarray, index: pd.Index) -> pd.Series:
    """Exact decimal column (Arrow decimal128, MONEY_SCALE places) from int64 units of that scale (cents, or
    `to_money_scale` of another currency's minor units); invalid rows are null."""
    n = len(cents)
    words = np.empty((n, 2), dtype=np.int64)
    words[:, 0] = cents
    words[:, 1] = cents >> 63  # sign extension into the high 64 bits
    mask = None if valid.all() else pa.py_buffer(np.packbits(valid, bitorder="little"))
    array = pa.Array.from_buffers(MONEY_TYPE, n, [mask, pa.py_buffer(words)])
    return pd.Series(array, index=index, dtype=MONEY_DTYPE, copy=False)
