"""The Digital Services Fee: a percentage of the selling and FBA fees, by the country where the seller is
established (UK, FR, IT, ES ...), charged in some stores on some dates.  Each fee's share is rounded on its own,
as in Amazon's example (2% of $2.25 -> $0.05, of $3.30 -> $0.07).

Data: `digital_services_fee` (dated rules; `seller_countries`, "*" for any other; `rate`; `on`: the fee lines; or
`unavailable`, the reason, where the fee for those sellers is NOT FOUND).
The line also keeps the part charged on the selling fees alone (referral, closing, per-item): what a sale the
seller ships itself pays, having no FBA fees.
Tests: tests/fees/test_dsf.py.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from ..money import PPM, half_up_div, percent_to_ppm
from ..tables.schema import DSF_LINES, SELLING_FEES
from .base import Frame, Line, Section, WarningSource, classes


@dataclass(frozen=True)
class Dsf:
    countries: list[str]   # the countries the rules name, then "*" (any other)
    ppm: np.ndarray        # int64 (period, country)
    on: np.ndarray         # int64 (period, country, DSF_LINES): 1 where the rule takes that line
    figure: np.ndarray     # int32 (period, country)
    reason: np.ndarray     # int32 (period, country): why the fee is unavailable (-1: it is not)
    warnings: WarningSource

    def country_index(self, code: str | None, home: str) -> int:
        """The rule column of a seller country (None: the marketplace's own country `home`)."""
        wanted = code if code is not None else home
        return self.countries.index(wanted) if wanted in self.countries else len(self.countries) - 1


def compile(frame: Frame, data: Section) -> Dsf:
    rules = data["digital_services_fee"]
    countries = sorted({k for r in rules for k in r["seller_countries"] if k != "*"}) + ["*"]
    shape = (len(frame.periods), len(countries))
    ppm = np.zeros(shape, dtype=np.int64)
    on = np.zeros((*shape, len(DSF_LINES)), dtype=np.int64)
    figure = np.full(shape, -1, dtype=np.int32)
    reason = np.full(shape, -1, dtype=np.int32)
    for i, rule in enumerate(rules):
        who = ", ".join(rule["seller_countries"])
        if rule["rate"] is None:
            why, fig = frame.message(f"digital_services_fee for sellers in {who}: {rule['unavailable']}"), -1
        else:
            why, fig = -1, frame.figure(f"digital_services_fee[{i}] {rule['rate']} for sellers in {who}", rule)
        for p in range(len(frame.periods)):
            if not frame.periods.active(rule, p):
                continue
            for country in rule["seller_countries"]:
                j = countries.index(country)
                ppm[p, j] = percent_to_ppm(rule["rate"]) if rule["rate"] is not None else 0
                on[p, j] = [line in rule["on"] for line in DSF_LINES]
                figure[p, j], reason[p, j] = fig, why
    return Dsf(countries, ppm, on, figure, reason,
               classes(frame.register.warnings_of(figure)[..., None], figure.shape))


@dataclass(frozen=True)
class DsfLine(Line):
    selling: Line  # the part on the selling fees alone (SELLING_FEES): what a seller-fulfilled sale pays


def evaluate(dsf: Dsf, period: np.ndarray, country: np.ndarray, lines: Mapping[str, Line]) -> DsfLine:
    """The fee on the lines its rule names; unavailable where any line it is on is (the first such line's reason)."""
    ppm, unknown = dsf.ppm[period, country], dsf.reason[period, country]
    if not ppm.any():  # no Digital Services Fee for these sellers in this store (or it is NOT FOUND)
        zero = Line.zero(len(ppm))
        none = Line(zero.cents, unknown, dsf.figure[period, country])
        return DsfLine(none.cents, none.reason, none.figure, none)
    on = dsf.on[period, country]
    parts = {line: half_up_div(lines[line].cents * ppm, PPM) * on[:, k] for k, line in enumerate(DSF_LINES)}
    total, selling = (_part(ppm, on, lines, parts, DSF_LINES, unknown),
                      _part(ppm, on, lines, parts, SELLING_FEES, unknown))
    figure = dsf.figure[period, country]
    return DsfLine(total[0], total[1], figure, Line(selling[0], selling[1], figure))


def _part(ppm: np.ndarray, on: np.ndarray, lines: Mapping[str, Line], parts: Mapping[str, np.ndarray],
          names: tuple[str, ...], unknown: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(cents, reason) of the fee on the lines `names`: unavailable where a line of them that the rule takes is
    (the first such line's reason, in DSF_LINES order), or where the rule itself is NOT FOUND (`unknown`)."""
    amount = np.asarray(sum(parts[name] for name in names), dtype=np.int64)
    why = np.full(len(ppm), -1, dtype=np.int32)
    for k, line in reversed(list(enumerate(DSF_LINES))):  # the first unavailable line in DSF_LINES order wins
        if line in names:
            reason = lines[line].reason
            why = np.where((on[:, k] > 0) & (reason >= 0), reason, why)
    return amount, np.where(ppm > 0, why, unknown).astype(np.int32)


def warnings(dsf: Dsf, period: np.ndarray, country: np.ndarray) -> list[WarningSource]:
    ids, table = dsf.warnings
    return [(ids[period, country], table)]


def explain(dsf: Dsf, country: int, key: str | None, cite: str) -> str:
    if key is None:
        return "none for this seller country in this store"
    code = dsf.countries[country]
    who = "sellers established elsewhere" if code == "*" else f"sellers established in {code}"
    return f"{key.split(' for sellers')[0]} for {who}, on the selling and FBA fees its rule names {cite}"
