"""The returns processing fee: charged per returned unit above a category's return-rate threshold (or, in some
categories, on every returned unit), spread over the units shipped at the item's `return_rate`.

A return rate at or below the threshold (or no returns at all) owes nothing.  Where the rule says a fee is due,
the per-unit rate is what the table must give; the reference has no rate table for the current fee (NOT FOUND,
us-fba.md 9), so there the line is unavailable with that reason: never a guess.  A category whose threshold the
reference does not give is unavailable too, unless nothing is returned.  Without a return rate the line is not
assessed (0, said in the explanation).

Data: `returns_processing` (dated versions: `not_in_force`; or `thresholds` by category, `every_return_categories`,
`other_categories_unavailable` or `other_categories_not_charged`, `rate_unavailable`, `notice`).
Tests: tests/fees/test_returns_processing.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from ..money import PPM, percent_to_ppm
from .base import Frame, Line, Section, constant

THRESHOLD, EVERY_RETURN, NOT_CHARGED, UNAVAILABLE = range(4)
NO_RETURNS, AT_OR_BELOW, DUE = range(3)


@dataclass(frozen=True)
class Returns:
    version: np.ndarray      # intp per period
    state: np.ndarray        # int8 (version, category + 1)
    threshold: np.ndarray    # int64 ppm (version, category + 1)
    figure: np.ndarray       # int32 (version, category + 1): the threshold's or the every-return rule's figure
    why: np.ndarray          # int32 (version, category + 1): why a fee that is due is unavailable (the rate or the
                             # threshold NOT FOUND), or the explanation of NOT_CHARGED
    notice: np.ndarray       # int32 per version


@dataclass(frozen=True)
class ReturnsLine(Line):
    assessed: np.ndarray
    state: np.ndarray        # per row: the category's state
    outcome: np.ndarray      # per row: NO_RETURNS, AT_OR_BELOW or DUE
    rate: np.ndarray         # ppm
    threshold: np.ndarray    # ppm
    rule_figure: np.ndarray  # the threshold's figure (its source and confidence, and its warning)
    version: np.ndarray
    note: np.ndarray


def compile(frame: Frame, data: Section) -> Returns:
    versions = data["returns_processing"]
    nc = len(frame.categories) + 1
    nv = max(len(versions), 1)
    none = frame.message(f"returns processing fees are not in {frame.id} (the reference has none for this store)")
    state = np.full((nv, nc), UNAVAILABLE, dtype=np.int8)
    threshold = np.zeros((nv, nc), dtype=np.int64)
    figure = np.full((nv, nc), -1, dtype=np.int32)
    why = np.full((nv, nc), none, dtype=np.int32)
    notice = np.full(nv, -1, dtype=np.int32)
    for v, ver in enumerate(versions):
        where = f"returns_processing[{v}]"
        notice[v] = frame.message(ver["notice"]) if ver["notice"] else -1
        if ver["not_in_force"]:
            state[v], why[v] = NOT_CHARGED, frame.message(f"not in force: {ver['not_in_force']}")
            continue
        if ver["other_categories_not_charged"]:
            state[v], why[v] = NOT_CHARGED, frame.message(ver["other_categories_not_charged"])
        else:
            why[v] = frame.message(f"returns processing fee: {ver['other_categories_unavailable']}")
        for j, th in enumerate(ver["thresholds"]):
            c = frame.categories.index(th["category"], f"{where}.thresholds[{j}]")
            state[v, c], threshold[v, c] = THRESHOLD, percent_to_ppm(th["rate"])
            figure[v, c] = frame.figure(f"{where} threshold {th['category']} {th['rate']}", th, ver)
            why[v, c] = frame.message(
                f"returns processing fee: the return rate is above the {frame.categories.names[c]} threshold of "
                f"{th['rate']} [{frame.register.figures[figure[v, c]].cite()}], so returned units above it are "
                f"charged; {ver['rate_unavailable']}")
        if ver["every_return_categories"]:
            fig = frame.figure(f"{where} every returned unit", {"source": ver["every_return_source"],
                                                                "confidence": ver["every_return_confidence"]})
            for c in frame.categories.indices(ver["every_return_categories"], f"{where}.every_return_categories"):
                state[v, c], figure[v, c] = EVERY_RETURN, fig
                why[v, c] = frame.message(
                    f"returns processing fee: {frame.categories.names[c]} is charged on every returned unit "
                    f"[{frame.register.figures[fig].cite()}]; {ver['rate_unavailable']}")
    version = np.array([next((i for i, ver in enumerate(versions) if frame.periods.active(ver, p)), 0)
                        for p in range(len(frame.periods))], dtype=np.intp)
    return Returns(version, state, threshold, figure, why, notice)


def evaluate(rp: Returns, period: np.ndarray, category: np.ndarray, rate: np.ndarray) -> ReturnsLine:
    n = len(rate)
    given = rate >= 0
    if not given.any():  # the common case: no return rate given, nothing assessed
        zero, none, zero8 = constant(n, 0, np.int64), constant(n, -1, np.int32), constant(n, 0, np.int8)
        return ReturnsLine(zero, none, none, given, zero8, zero8, rate, zero, none, none, none)
    v = rp.version[period]
    state = rp.state[v, category]
    threshold = np.where(state == THRESHOLD, rp.threshold[v, category], 0)
    outcome = np.where(rate == 0, NO_RETURNS, np.where((state == THRESHOLD) & (rate <= threshold), AT_OR_BELOW,
                                                       DUE)).astype(np.int8)
    due = given & (outcome == DUE)
    reason = np.where(due & (state != NOT_CHARGED), rp.why[v, category], -1)
    rule = np.where(given, rp.figure[v, category], -1).astype(np.int32)
    note = np.where(given & (state == NOT_CHARGED), rp.why[v, category], -1).astype(np.int32)
    return ReturnsLine(np.zeros(n, dtype=np.int64), reason.astype(np.int32), np.where(reason < 0, rule, -1),
                       given, state, outcome, rate, threshold, rule, v, note)


def warning_messages(rp: Returns, line: ReturnsLine) -> list[np.ndarray]:
    """The version's notice wherever the rule was applied (the threshold's own warning is the engine's, from the
    line's figure)."""
    if not line.assessed.any():
        return []
    return [np.where(line.assessed & (line.state != NOT_CHARGED), rp.notice[line.version], -1)]


def units_above_threshold(shipped: int, returned: int, threshold_ppm: int) -> Fraction:
    """The returned units the fee is charged on: those above the threshold's share of the units shipped (Amazon's
    example: 1,000 shipped, 120 returned, a 10% threshold: 20 units, us-fba.md 11)."""
    return max(Fraction(returned) - Fraction(shipped * threshold_ppm, PPM), Fraction(0))


def explain(rp: Returns, line: ReturnsLine, i: int, cite: str, messages: list[str]) -> str:
    if not line.assessed[i]:
        return "not assessed: no return_rate given"
    rate = _percent(int(line.rate[i]))
    if line.note[i] >= 0:
        return f"no fee: {messages[int(line.note[i])]}"
    if line.outcome[i] == NO_RETURNS:
        return "no fee: a return rate of 0% (nothing returned)"
    return (f"no fee: a return rate of {rate} is not above the category's threshold of "
            f"{_percent(int(line.threshold[i]))} {cite}")


def _percent(ppm: int) -> str:
    return f"{ppm / 10_000:g}%"
