"""The closing fee: a fixed amount per item sold in some categories (the US media categories).

Data: `closing_fee` (or `closing_fee_unavailable`, the reason) on a `referral` entry.  Where the category has no
referral rate on the date, the closing fee is unavailable for the same reason.
Tests: tests/fees/test_closing.py.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..money import to_minor
from .base import Frame, Line, Section, WarningSource, classes
from .referral import ReferralLine


@dataclass(frozen=True)
class Closing:
    """Per referral rule (plus the "not in force" row): the fee in cents, its figure, the reason where unknown."""

    cents: np.ndarray
    figure: np.ndarray
    reason: np.ndarray
    names: list[str]   # the category of each rule
    warnings: WarningSource


def compile(frame: Frame, data: Section) -> Closing:
    items = data["referral"]
    n = len(items) + 1
    amount = np.zeros(n, dtype=np.int64)
    figure = np.full(n, -1, dtype=np.int32)
    reason = np.full(n, -1, dtype=np.int32)
    for r, cat in enumerate(items):
        if cat["closing_fee_unavailable"]:
            reason[r] = frame.message(f"closing fee: {cat['name']}: {cat['closing_fee_unavailable']}")
        if cat["closing_fee"]:
            amount[r] = to_minor(cat["closing_fee"]["value"], frame.currency)
            figure[r] = frame.figure(f"referral[{r}] {cat['name']} closing fee", cat["closing_fee"], cat)
    return Closing(amount, figure, reason, [cat["name"] for cat in items] + [""],
                   classes(frame.register.warnings_of(figure)[:, None], (n,)))


def evaluate(closing: Closing, referral: ReferralLine) -> Line:
    rule = referral.rule
    return Line(closing.cents[rule], np.where(referral.reason >= 0, referral.reason, closing.reason[rule]),
                closing.figure[rule])


def warnings(closing: Closing, referral: ReferralLine) -> list[WarningSource]:
    ids, table = closing.warnings
    return [(ids[referral.rule], table)]


def explain(closing: Closing, referral: ReferralLine, i: int, cite: str) -> str:
    rule = int(referral.rule[i])
    return f"{closing.names[rule]} closing fee {cite}" if closing.figure[rule] >= 0 else \
        "no closing fee for this category"
