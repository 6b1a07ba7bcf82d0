"""Which items pay the apparel fulfilment cards.  Amazon puts every ASIN in one fee category, and fee categories,
not browse categories, decide the referral, closing and FBA fees; the apparel cards are those of the Apparel fee
category, which matches a referral category (us-fba.md 4, A-FCAT; M-H).  The fee category is Amazon's decision per
ASIN, so an item's `apparel` given by the caller wins; where it is not given, it is inferred from the item's
referral category, and the quote says so in a warning.

Data: `apparel_fee_category` (`categories`: the referral categories of the Apparel fee category, with their
source and confidence); a table without it infers nothing (no item is apparel unless the caller says so).
Tests: tests/fees/test_fee_category.py.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .base import Frame, Section, WarningSource

NOT_GIVEN = -1  # `apparel` not given by the caller: inferred from the category


@dataclass(frozen=True)
class FeeCategory:
    apparel: np.ndarray       # bool per category: in the Apparel fee category
    warnings: WarningSource   # by class: 0 given (or inferred not apparel), 1 inferred apparel


def compile(frame: Frame, data: Section) -> FeeCategory:
    section = data["apparel_fee_category"]
    apparel = np.zeros(len(frame.categories), dtype=bool)
    if not section:
        return FeeCategory(apparel, (np.zeros(2, dtype=np.intp), np.full((1, 1), -1, dtype=np.int32)))
    apparel[frame.categories.indices(section["categories"], f"{frame.id}: apparel_fee_category")] = True
    fig = frame.figure("apparel_fee_category", section)
    cite = frame.register.figures[fig].cite()
    names = ", ".join(section["categories"])
    text = frame.register.about_the_row(frame.message(
        f"apparel: not given, so inferred from the category: {names} items are in Amazon's Apparel fee category "
        f"and pay the apparel fulfilment card [{cite}]; Amazon assigns each ASIN's fee category, so give "
        f"apparel=false if it put this one in another"))
    return FeeCategory(apparel, (np.array([0, 1], dtype=np.intp), np.array([[-1], [text]], dtype=np.int32)))


def resolve(rule: FeeCategory, category: np.ndarray, given: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(apparel 0/1, inferred) per item: the caller's value where given, else the category's fee category."""
    inferred = given == NOT_GIVEN
    if inferred.all():  # the common case: nobody said
        by_category = rule.apparel[category]
        return by_category.astype(np.intp), by_category
    if not inferred.any():
        return given, inferred
    by_category = rule.apparel[category]
    return np.where(inferred, by_category, given).astype(np.intp), inferred & by_category


def warnings(rule: FeeCategory, inferred: np.ndarray) -> list[WarningSource]:
    ids, table = rule.warnings
    return [(ids[inferred.astype(np.intp)], table)]
