"""Amazon's size-tier names against feecalc's.  The reference gives no full list of Amazon's values (reports.md 9:
`UsLargeStandardSize`, `Standard` and `Standard-Size` are all that were seen), so a value is compared only where it
names a tier of the table once case, punctuation, a leading store code and a trailing `Size` are set aside
(`UsLargeStandardSize` is large_standard; CA's `Standard` is ca-2026's standard), or names a storage class
(`Standard-Size`: standard-size, anything with `Oversize`: oversize); any other value is not compared, and the audit
says so rather than guess.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..columns import normalize

STORES = ("us", "uk", "ca", "de", "eu", "fr", "it", "es", "jp")


def compare_tiers(amazon: np.ndarray, ours: np.ndarray, oversize: np.ndarray, names: np.ndarray
                  ) -> tuple[np.ndarray, np.ndarray]:
    """(same, compared) per row: `names` is each row's table's tier names (a tuple), once per distinct value."""
    frame = pd.DataFrame({"a": pd.Series(amazon, dtype=object).fillna(""), "o": ours, "s": oversize,
                          "n": pd.Series(list(names), dtype=object)})
    codes, uniques = pd.factorize(pd.MultiIndex.from_frame(frame))
    same, compared = [], []
    for a, o, s, n in uniques:
        verdict = _verdict(str(a), str(o), bool(s), n)
        compared.append(verdict is not None)
        same.append(bool(verdict))
    return np.array(same, dtype=bool)[codes], np.array(compared, dtype=bool)[codes]


def _verdict(amazon: str, ours: str, oversize: bool, names: tuple[str, ...]) -> bool | None:
    """True (the same tier), False (another), None (not comparable)."""
    key = normalize(amazon)
    if not key or not isinstance(names, tuple):  # no tier names: the item has no table
        return None
    tiers = {normalize(t): t for t in names}
    for form in _forms(key):
        if form in tiers:
            return tiers[form] == ours
    if any(form == "standard" for form in _forms(key)):
        return not oversize
    if "oversize" in key:
        return oversize
    return None


def _forms(key: str) -> list[str]:
    """The value, without a trailing 'size', without a leading store code, and without both."""
    out = [key]
    if key.endswith("size") and len(key) > 4:
        out.append(key[:-4])
    for form in list(out):
        for store in STORES:
            if form.startswith(store) and len(form) > len(store):
                out.append(form[len(store):])
    return out
