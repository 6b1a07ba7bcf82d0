"""Findings: one row per discrepancy between what Amazon estimated or charged and feecalc's figure, with the money at
stake and what to do about it; and the comparison that decides them.

Amounts are compared exactly, in micro-units: a difference of zero is no finding; a difference up to the tolerance
(default 0: exact to the cent) is a finding whose action is "none: within tolerance"; a larger one is a discrepancy.
Where the reference leaves the reading of Amazon's figure open (is a settlement fee per line or per unit? does a
fulfilment figure include the fuel surcharge?), every reading is tried: one that agrees wins, else the one with the
least money at stake (an audit never claims more than the file supports), and each finding names the reading used.
A fee whose figure is unavailable for the date is never a discrepancy: it is "cannot check: unavailable", with the
reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

import numpy as np
import pandas as pd

from .amounts import MICRO, SCALE

COLUMNS = ("file", "line", "sku", "asin", "marketplace", "date", "kind", "fee", "currency", "amazon", "feecalc",
           "difference_per_unit", "units", "money_at_stake", "basis", "reading", "explanation", "action", "detail")
DESCRIPTIONS = {
    "file": "the input file", "line": "its line (a catalog: its row's line or sheet row)",
    "sku": "the seller SKU", "asin": "the ASIN, where the file gives it",
    "marketplace": "the store", "date": "the date the figure is for (a fee preview: --on)",
    "kind": "what was found", "fee": "the fee line compared",
    "currency": "the currency of the amounts", "amazon": "Amazon's figure (per unit, or the line's amount)",
    "feecalc": "feecalc's figure for the same", "difference_per_unit": "Amazon's minus feecalc's, per unit",
    "units": "the units the money at stake is for", "money_at_stake": "the difference times the units",
    "basis": "what the units are", "reading": "how Amazon's figure was read",
    "explanation": "how feecalc's figure was computed (table, card, tier, band, rule, source)",
    "action": "what to do", "detail": "more about this finding",
}

# kinds of finding, and the action each suggests when Amazon's figure is above feecalc's
TIER = "size tier differs"
FULFILMENT = "fulfilment fee differs from the card"
APPAREL = "apparel fee category"
REFERRAL = "referral fee differs (fee category)"
CLOSING = "closing fee differs"
SUMS = "estimated fee total does not add up"
CATALOG = "your measurements give a cheaper fee"
ABOVE = "charged above the card"
BELOW_KIND = "charged below the card"
STORAGE_RATE = "storage rate differs"
STORAGE_VOLUME = "storage volume differs from the sides"
STORAGE_FEE = "storage fee differs"
DISAGREE_KIND = "above or below the card: the readings disagree"
UNAVAILABLE = "cannot check: unavailable"
KINDS = (TIER, FULFILMENT, APPAREL, REFERRAL, CLOSING, SUMS, CATALOG, ABOVE, BELOW_KIND, DISAGREE_KIND, STORAGE_RATE,
         STORAGE_VOLUME, STORAGE_FEE, UNAVAILABLE)

REMEASURE = "re-measurement request"
CATEGORY_APPEAL = "fee category appeal"
DISPUTE = "fee dispute: charged above the card for the stated measurements and date"
ASK = "ask Amazon: the estimate's fee total is not the sum of its parts"
WITHIN = "none: within tolerance"
BELOW = "none: Amazon's figure is below the card (in your favour)"
NO_FIGURE = "none: feecalc has no figure for this fee on this date"
INFORMATION = "none: see the fee findings of this line"
DISAGREE = ("none until you know how Amazon's figure is meant: one reading puts it above the card, another below "
            "(see the detail); not a dispute")


# what a finding's money is, for the totals: the fee preview's findings project its estimate onto the units sold (the
# same units the settlement and transaction lines charged), so the two are never added
CHARGED = "charged"  # money charged above (or below) the card: the settlement, transaction and storage lines
PROJECTED = "projected"  # a projection on the fee preview's estimate (or your catalog's measurements)
UNCHECKED = "unchecked"  # a charge that could not be checked: its amount is outside the total, a lower bound
WITHIN_ROLE = "within tolerance"  # listed and counted, no money
NO_MONEY = "none"  # no money at stake (a tier, Amazon's own arithmetic)
ROLES = (CHARGED, PROJECTED, UNCHECKED, WITHIN_ROLE, NO_MONEY)


def roles(findings: pd.DataFrame, previews: set[str]) -> np.ndarray:
    """The role (ROLES) of each finding's money; `previews` the names of the fee preview files."""
    action = findings["action"].to_numpy(dtype=object)
    kind = findings["kind"].to_numpy(dtype=object)
    preview = findings["file"].isin(previews).to_numpy()
    stake = findings["money_at_stake"].notna().to_numpy()
    unchecked = ~preview & np.isin(kind, [UNAVAILABLE, DISAGREE_KIND])
    return np.select([action == WITHIN, unchecked, ~stake, preview], [WITHIN_ROLE, UNCHECKED, NO_MONEY, PROJECTED],
                     CHARGED).astype(object)


@dataclass(frozen=True)
class Reading:
    """One way to read Amazon's figure: what it is compared with (micro-units, for the whole line) and its name."""

    label: str
    expected: np.ndarray
    available: np.ndarray
    parts: tuple[str, ...] = ()  # the feecalc lines it adds up, where it adds up several (a fulfilment figure)
    sipp: bool = False  # the lines are those of the unit costed as a SIPP unit
    agrees_only: bool = False  # it counts only where it agrees (within the tolerance): a reading that rests on
    # a condition the report does not show (a SIPP unit) may explain a charge, never measure a discrepancy
    per_unit: bool = False  # Amazon's figure is read as each unit's fee (`expected` is then the charge less the
    # difference for all the units, so that Amazon's minus it is the line's money at stake)


def spread(actual: np.ndarray, readings: list[Reading], tolerance: np.ndarray) -> tuple[np.ndarray, np.ndarray,
                                                                                         np.ndarray, np.ndarray]:
    """Per row, over the readings available (as `choose` counts them): (the difference of the reading closest to the
    card among those that put Amazon's figure below it by more than the tolerance, that reading, the same above it,
    that reading); 0 where no reading is on that side."""
    n = len(actual)
    if not readings:
        zero = np.zeros(n, dtype=np.int64)
        return zero, zero.astype(np.intp), zero, zero.astype(np.intp)
    diff = np.stack([actual - r.expected for r in readings])
    available = np.stack([r.available & (np.abs(diff[k]) <= tolerance) if r.agrees_only else r.available
                          for k, r in enumerate(readings)])
    big = np.iinfo(np.int64).max
    below = available & (diff < -tolerance)
    above = available & (diff > tolerance)
    low = np.where(below, diff, -big).argmax(axis=0)
    high = np.where(above, diff, big).argmin(axis=0)
    rows = np.arange(n)
    return (np.where(below.any(axis=0), diff[low, rows], 0), low, np.where(above.any(axis=0), diff[high, rows], 0),
            high)


def choose(actual: np.ndarray, readings: list[Reading], tolerance: np.ndarray) -> tuple[np.ndarray, np.ndarray,
                                                                                         np.ndarray]:
    """Per row: (the reading chosen, Amazon's minus the expected, whether any reading was available).  An exact
    reading wins, then one within `tolerance` (per row, micro-units), then the one with the least difference; the
    first in order among equals.  A reading marked `agrees_only` is available only where it is within the
    tolerance."""
    n = len(actual)
    if not readings:
        return np.zeros(n, dtype=np.intp), np.zeros(n, dtype=np.int64), np.zeros(n, dtype=bool)
    diff = np.stack([actual - r.expected for r in readings])
    size = np.abs(diff)
    available = np.stack([r.available & (size[k] <= tolerance) if r.agrees_only else r.available
                          for k, r in enumerate(readings)])
    rank = np.where(size == 0, 0, np.where(size <= tolerance, 1, 2))
    key = np.where(available, rank * (1 << 61) + np.minimum(size, (1 << 61) - 1), np.iinfo(np.int64).max)
    pick = key.argmin(axis=0)
    rows = np.arange(n)
    return pick, diff[pick, rows], np.asarray(available.any(axis=0))


def action_for(kind: str, difference: np.ndarray, tolerance: np.ndarray, above: str) -> np.ndarray:
    """The action of each finding: `above` when Amazon's figure is above feecalc's by more than the tolerance;
    within the tolerance, none; below it, none (in the seller's favour)."""
    size = np.abs(difference)
    return np.where(size <= tolerance, WITHIN, np.where(difference > 0, above, BELOW)).astype(object)


def per_unit(micro: int, units: int | float) -> Decimal:
    """A line's difference per unit, to six places (half up)."""
    value = Decimal(int(micro)) / Decimal(MICRO)
    if units and units != 1:
        value = value / Decimal(str(units))
    return value.quantize(Decimal(1).scaleb(-SCALE), ROUND_HALF_UP)
