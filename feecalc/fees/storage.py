"""Monthly inventory storage: a rate per cubic foot (US, UK) or cubic metre (DE) of the item's volume, by storage
class (standard-size, oversize; standard-size apparel where the table has its own rate), dangerous goods, and
season (January to September, October to December).

Data: `storage` (dated versions; `rates` and `dangerous_goods` by class and season; `apparel_categories`; or
`unavailable`, the reason) and `storage_volume_unit`.  The line is the charge for one unit for the month of the
date.  Under a programme whose stock is in another marketplace (EFN, remote fulfilment) it is charged there.
Tests: tests/fees/test_storage.py.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..money import to_minor
from ..units import fraction_to_float, unit_size
from .base import STORED_ELSEWHERE_TEXT, Frame, Line, Section, WarningSource, classes, per_volume, stored_elsewhere

CLASSES = ("standard", "oversize", "standard_apparel")
SEASONS = ("jan_sep", "oct_dec")


@dataclass(frozen=True)
class Storage:
    unit: str                 # "ft" or "m": rates are per cubic foot or cubic metre
    volume_factor: float      # storage volume units per cubic table length unit
    rate: np.ndarray          # int64 (period + 1, dangerous goods, class, season): cents per unit, -1 unavailable
    figure: np.ndarray        # int32, same shape
    reason: np.ndarray        # int32, same shape
    apparel: np.ndarray       # bool (period + 1, category + 1): standard-size items here use standard_apparel
    has_apparel: bool
    warnings: WarningSource
    elsewhere: int           # reason id: the units are stored in another marketplace
    no_warning: int          # the warning class of a row with no storage warning


@dataclass(frozen=True)
class StorageLine(Line):
    cell: tuple               # (period, dangerous goods, class, season) per row: for warnings


def compile(frame: Frame, data: Section) -> Storage:
    nper = len(frame.periods)
    shape = (nper + 1, 2, len(CLASSES), len(SEASONS))
    rate = np.full(shape, -1, dtype=np.int64)
    figure = np.full(shape, -1, dtype=np.int32)
    reason = np.full(shape, -1, dtype=np.int32)
    apparel = np.zeros((nper + 1, len(frame.categories) + 1), dtype=bool)
    for i, ver in enumerate(data["storage"]):
        for p in range(nper):
            if not frame.periods.active(ver, p):
                continue
            apparel[p, frame.categories.indices(ver["apparel_categories"], f"{frame.id}: storage[{i}]")] = True
            for dg, group in enumerate(("rates", "dangerous_goods")):
                for k, cls in enumerate(CLASSES):
                    sections = ver[group] or {}
                    seasons = sections.get(cls) or (sections.get("standard") if cls == "standard_apparel" else None)
                    for season_i, season in enumerate(SEASONS):
                        fig = (seasons or {}).get(season)
                        if fig is None:
                            why = ver["unavailable"] or "NOT FOUND in the reference"
                            reason[p, dg, k, season_i] = frame.message(
                                f"storage: {'dangerous goods ' if dg else ''}{cls} {season.replace('_', '-')} "
                                f"rate {frame.span(ver)}: {why}")
                            continue
                        rate[p, dg, k, season_i] = to_minor(fig["value"], frame.currency)
                        used = cls if sections.get(cls) else "standard"
                        figure[p, dg, k, season_i] = frame.figure(f"storage[{i}].{group}.{used}.{season}", fig, ver)
    unit = data["storage_volume_unit"]
    fw = frame.register.warnings_of(figure.ravel()).reshape(shape)
    cells = np.concatenate([np.stack([reason, fw], -1).reshape(-1, 2), [[-1, -1]]])  # + a last cell: no warning
    ids, table = classes(cells, (cells.shape[0],))
    return Storage(unit, fraction_to_float((unit_size(frame.units.length) / unit_size(unit)) ** 3), rate, figure,
                   reason, apparel, any(ver["apparel_categories"] for ver in data["storage"]),
                   (ids[:-1].reshape(shape), table), frame.message(STORED_ELSEWHERE_TEXT), int(ids[-1]))


def storage_class(rates: Storage, period: np.ndarray, category: np.ndarray, oversize: np.ndarray) -> np.ndarray:
    """0 standard-size, 1 oversize, 2 standard-size apparel (where the table has that rate)."""
    if not rates.has_apparel:
        return oversize
    return np.where(oversize == 1, 1, np.where(rates.apparel[period, category], 2, 0))


def evaluate(rates: Storage, period: np.ndarray, season: np.ndarray, dangerous: np.ndarray,
             category: np.ndarray, oversize: np.ndarray, volume: np.ndarray, program: np.ndarray) -> StorageLine:
    """One month's storage of one unit of `volume` (storage units) at the rate of the date's month."""
    cell = (period, dangerous, storage_class(rates, period, category, oversize), season)
    rate = rates.rate[cell]
    line = StorageLine(per_volume(volume, np.maximum(rate, 0)), rates.reason[cell], rates.figure[cell], cell)
    return stored_elsewhere(line, program, rates.elsewhere)


def warnings(rates: Storage, line: StorageLine) -> list[WarningSource]:
    """The rate's warnings (its reason where unavailable, its figure's grade), none where stored elsewhere."""
    ids, table = rates.warnings
    return [(np.where(line.reason == rates.elsewhere, rates.no_warning, ids[line.cell]), table)]


def explain(rates: Storage, key: str, cite: str) -> str:
    return f"{key} per {'cubic foot' if rates.unit == 'ft' else 'cubic metre'} x item volume {cite}"
