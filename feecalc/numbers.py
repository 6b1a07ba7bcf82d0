"""Numbers as people type them in spreadsheets, parsed for a locale (symbols from Babel), whole-column.

"1.234,56 €" in de_DE and "$1,234.56" in en_US both give 1234.56; "15%" gives 0.15.  A cell that
does not parse gives NaN and is reported as that row's error, never as the file's.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from babel import Locale
from babel.numbers import get_decimal_symbol, get_group_symbol

SPACES = "\u00a0\u202f\u2009 '"  # no-break, narrow no-break, thin space, space, apostrophe (de_CH)


@lru_cache(maxsize=32)
def symbols(locale: str) -> tuple[str, str]:
    """(decimal symbol, group symbol) of a locale such as 'de_DE'."""
    loc = Locale.parse(locale)
    return get_decimal_symbol(loc), get_group_symbol(loc)


PLAIN = r"^[+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][+-]?[0-9]+)?$"


def as_arrow_text(values) -> pa.Array:
    """A column as an Arrow string array, zero-copy when it already is one."""
    array = getattr(values, "array", values)
    arrow = getattr(array, "_pa_array", None)
    if arrow is not None and (pa.types.is_string(arrow.type) or pa.types.is_large_string(arrow.type)):
        return arrow.combine_chunks() if isinstance(arrow, pa.ChunkedArray) else arrow
    series = pd.Series(values)
    return pa.array(series.astype(object).where(series.notna(), None).astype(str).where(series.notna(), None),
                    type=pa.string())


def parse_numbers(values, locale: str) -> tuple[np.ndarray, np.ndarray]:
    """(float64 values, mask of cells that are not empty but do not parse) for a column of text or numbers."""
    if isinstance(values, pd.Series) and pd.api.types.is_numeric_dtype(values.dtype) and \
            not pd.api.types.is_bool_dtype(values.dtype):
        return values.to_numpy(np.float64, na_value=np.nan), np.zeros(len(values), dtype=bool)
    text = as_arrow_text(values)
    decimal, group = symbols(locale)
    if decimal == ".":
        plain = _plain_numbers(text)
        if plain is not None:
            return plain, np.zeros(len(text), dtype=bool)
    clean = pc.utf8_trim(text, characters=SPACES)
    empty = pc.fill_null(pc.equal(clean, ""), True)
    percent = pc.fill_null(pc.ends_with(clean, "%"), False)
    clean = pc.replace_substring_regex(clean, r"[%$€£¥₹]|^[A-Z]{3}\s*|\s*[A-Z]{3}$", "")
    strip = "".join(c for c in SPACES + group if c not in "]\\^-")  # literal inside a character class
    clean = pc.replace_substring_regex(clean, f"[{strip}]", "")
    if decimal != ".":
        clean = pc.replace_substring(clean, decimal, ".")
    ok = pc.fill_null(pc.match_substring_regex(clean, PLAIN), False)
    numbers = pc.cast(pc.if_else(ok, clean, pa.scalar(None, pa.string())), pa.float64())
    numbers = pc.if_else(percent, pc.divide(numbers, 100.0), numbers)
    numbers = pc.fill_null(numbers, np.nan).to_numpy(zero_copy_only=False).astype(np.float64, copy=False)
    bad = ~empty.to_numpy(zero_copy_only=False) & ~ok.to_numpy(zero_copy_only=False)
    return numbers, bad


def _plain_numbers(text: pa.Array) -> np.ndarray | None:
    """The common case, a column of plain numbers, in one cast; None when any cell needs the full parse.

    Arrow's cast fails on blanks, spaces, grouping and currency signs; it accepts 'nan' and 'inf', which
    the full parse rejects, so a non-finite result also goes the long way."""
    if text.null_count:
        return None
    try:
        numbers = pc.cast(text, pa.float64()).to_numpy(zero_copy_only=False)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None
    return numbers if np.isfinite(numbers).all() else None


def is_valid_locale(locale: str) -> bool:
    try:
        Locale.parse(locale)
    except (ValueError, TypeError, LookupError):
        return False
    return True
