"""Numbers as people type them in spreadsheets, parsed for a locale (symbols from Babel), whole-column.

"1.234,56 €" in de_DE and "$1,234.56" in en_US both give 1234.56; "15%" gives 0.15.  A cell that
does not parse gives NaN and is reported as that row's error, never as the file's.
"""

from __future__ import annotations

import re
from decimal import Decimal
from functools import lru_cache

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from babel import Locale, UnknownLocaleError
from babel.numbers import get_decimal_symbol, get_group_symbol

from .spec import is_blank

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
    numbers, bad, _ = read_numbers(values, locale)
    return numbers, bad


def read_numbers(values, locale: str) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    """parse_numbers, and the text cells written as a percentage ('15%', read as 0.15), or None when there are
    none: found on the way, at no extra cost (a column of plain numbers has none)."""
    if isinstance(values, pd.Series) and pd.api.types.is_numeric_dtype(values.dtype) and \
            not pd.api.types.is_bool_dtype(values.dtype):
        return values.to_numpy(np.float64, na_value=np.nan), np.zeros(len(values), dtype=bool), None
    if getattr(values, "dtype", None) == np.dtype(object):  # a spreadsheet column: numbers and text mixed
        return _mixed_numbers(np.asarray(values, dtype=object), locale)
    return _text_numbers(as_arrow_text(values), locale)


def _mixed_numbers(cells: np.ndarray, locale: str) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    """Cells that are numbers already (an XLSX number cell) are taken as they are, never re-read as text in
    the locale (24.99 is not '24.99' read in de_DE); text cells are parsed; other values (a date, TRUE) are
    not numbers."""
    inferred = pd.api.types.infer_dtype(cells, skipna=True)
    if inferred in ("string", "empty"):  # every cell text (or empty): the locale's parse, whole-column
        return _text_numbers(pa.array(cells, type=pa.string(), from_pandas=True), locale)
    if inferred in ("floating", "integer", "mixed-integer-float", "decimal"):  # every cell a number already
        return pd.to_numeric(pd.Series(cells), errors="coerce").to_numpy(np.float64, na_value=np.nan), \
            np.zeros(len(cells), dtype=bool), None
    kind = np.fromiter((_cell_kind(v) for v in cells), dtype=np.int8, count=len(cells))
    numbers, bad = np.full(len(cells), np.nan), kind == OTHER
    given = kind == NUMBER
    numbers[given] = cells[given].astype(np.float64)
    text = kind == TEXT
    percent = None
    if text.any():
        numbers[text], bad[text], some = _text_numbers(pa.array(cells[text].tolist(), type=pa.string()), locale)
        if some is not None:
            percent = np.zeros(len(cells), dtype=bool)
            percent[text] = some
    return numbers, bad, percent


EMPTY, NUMBER, TEXT, OTHER = range(4)


def _cell_kind(value) -> int:
    if isinstance(value, str):
        return TEXT
    if is_blank(value):
        return EMPTY
    if isinstance(value, (int, float, Decimal, np.integer, np.floating)) and not isinstance(value, (bool, np.bool_)):
        return NUMBER
    return OTHER


def _text_numbers(text: pa.Array, locale: str) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    """read_numbers for an Arrow string array."""
    decimal, group = symbols(locale)
    if decimal == ".":
        plain = _plain_numbers(text)
        if plain is not None:
            return plain, np.zeros(len(text), dtype=bool), None
    clean = pc.utf8_trim(text, characters=SPACES)
    empty = pc.fill_null(pc.equal(clean, ""), True)
    percent = pc.fill_null(pc.ends_with(clean, "%"), False)
    clean = pc.utf8_trim(pc.replace_substring_regex(clean, r"[%$€£¥₹]|^[A-Z]{3}\s*|\s*[A-Z]{3}$", ""),
                         characters=SPACES)
    strip = "".join(c for c in SPACES + group if c not in "]\\^-" and c != decimal)  # literal in a class
    grouped = pc.fill_null(pc.match_substring_regex(clean, _grouping(f"[{strip}]", re.escape(decimal))), False)
    clean = pc.replace_substring_regex(clean, f"[{strip}]", "")
    if decimal != ".":
        clean = pc.replace_substring(clean, decimal, ".")
    ok = pc.and_(pc.fill_null(pc.match_substring_regex(clean, PLAIN), False), grouped)
    numbers = pc.cast(pc.if_else(ok, clean, pa.scalar(None, pa.string())), pa.float64())
    numbers = pc.if_else(percent, pc.divide(numbers, 100.0), numbers)
    numbers = pc.fill_null(numbers, np.nan).to_numpy(zero_copy_only=False).astype(np.float64, copy=False)
    bad = ~empty.to_numpy(zero_copy_only=False) & ~ok.to_numpy(zero_copy_only=False)
    written = percent.to_numpy(zero_copy_only=False)
    return numbers, bad, written if written.any() else None


def _grouping(group: str, decimal: str) -> str:
    """A number whose separators sit where the locale puts them: groups of three (or the Indian 2-2-3)
    before the decimal symbol.  '24,99' is not a number in en_US, nor '24.99' in de_DE (Babel's strict
    reading): taking either as 2,499 would be an error of a hundred times."""
    whole = rf"(?:[0-9]+|[0-9]{{1,3}}(?:{group}[0-9]{{3}})+|[0-9]{{1,2}}(?:{group}[0-9]{{2}})+{group}[0-9]{{3}})"
    return rf"^[+-]?(?:{whole}(?:{decimal}[0-9]*)?|{decimal}[0-9]+)(?:[eE][+-]?[0-9]+)?$"


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
    except (ValueError, TypeError, LookupError, UnknownLocaleError):
        return False
    return True
