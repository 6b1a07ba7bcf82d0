"""The feecalc exception family: every error names the field, the value and, where useful, the choices."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable


class FeecalcError(Exception):
    """Base class of every error feecalc raises on purpose."""


class TableError(FeecalcError):
    """A fee table file is malformed; the message names the file and the key."""


class InvalidItem(FeecalcError, ValueError):
    """An item's field has a value feecalc cannot cost (negative, NaN, unknown unit, ...)."""

    def __init__(self, field: str, value: object, problem: str, choices: Iterable[str] | None = None,
                 message: str | None = None):
        self.field, self.value, self.problem = field, value, problem
        self.choices = list(choices) if choices is not None else None
        super().__init__(message or _message(field, value, problem, self.choices))


class UnknownCategory(InvalidItem):
    """The category is not in the fee table in force on the date."""


class NoFeeTable(FeecalcError, LookupError):
    """No fee table covers the marketplace on the date."""


class FeeUnavailable(FeecalcError, LookupError):
    """A fee's figure is not known for the date (NOT FOUND in the reference); feecalc does not guess."""

    def __init__(self, fee: str, reason: str):
        self.fee, self.reason = fee, reason
        super().__init__(f"{fee} is unavailable: {reason}")


def _message(field: str, value: object, problem: str, choices: list[str] | None) -> str:
    text = f"{field}: {problem}, got {value!r}"
    if choices:
        close = suggestions(str(value), choices)
        if close:
            text += f"; did you mean {' or '.join(repr(c) for c in close)}?"
        text += f" (valid: {', '.join(choices)})"
    return text


def suggestions(value: str, choices: list[str]) -> list[str]:
    """Up to three choices near `value`: by spelling (difflib), else those sharing the most words with it,
    as a report's own category names do ('Kitchen' -> 'home_and_kitchen', 'Toy' -> 'toys_and_games')."""
    close = difflib.get_close_matches(value.lower(), choices, n=3, cutoff=0.6)
    if close:
        return close
    words = [w for w in re.split(r"[^a-z0-9]+", value.lower()) if len(w) >= 3 and w not in ("and", "the", "for")]
    if words:
        shared = {c: sum(any(part.startswith(w) for part in c.split("_")) for w in words) for c in choices}
        best = max(shared.values())
        close = [c for c in choices if best and shared[c] == best]
    return close[:3]
