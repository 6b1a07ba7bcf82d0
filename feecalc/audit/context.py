"""What every auditor shares: the fee preview's date, the tolerance, the category labels, the measurements, the
units sold, and how a finding's rows are written."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

import numpy as np
import pandas as pd

from ..money import minor_digits
from ..tables import category_key
from .amounts import MICRO, to_decimal
from .findings import COLUMNS, per_unit
from .measurements import Measurements


@dataclass
class Units:
    """Units a month per SKU, for the money at stake of estimates: the catalog's `monthly_units`, else the units
    sold in the settlement and transaction files read (`sold`, with the dates they span)."""

    monthly: dict[str, float] = field(default_factory=dict)
    sold: dict[str, int] = field(default_factory=dict)
    first: dt.date | None = None
    last: dt.date | None = None

    def of(self, sku) -> tuple[Decimal | None, str]:
        """(units, what they are) for one SKU; (None, 'per unit') where none are known."""
        if sku in self.monthly and self.monthly[sku] == self.monthly[sku]:
            return _number(self.monthly[sku]), "per month (the catalog's monthly_units)"
        if sku in self.sold:
            return Decimal(self.sold[sku]), f"units sold in the files read ({self.first} to {self.last})"
        return None, "per unit (no monthly_units or units sold known for the SKU)"


@dataclass
class Context:
    day: dt.date
    tolerance: Decimal
    labels: dict[str, str]
    measurements: Measurements
    units: Units

    def tolerance_micro(self, n: int, per: np.ndarray | int = 1) -> np.ndarray:
        """The tolerance in micro-units for each row, times the units a line's amount is for."""
        return np.full(n, int(self.tolerance * MICRO), dtype=np.int64) * np.asarray(per, dtype=np.int64)

    def relabel(self, values: np.ndarray) -> np.ndarray:
        """Category cells through the category map, once per distinct value; cells it does not name are kept."""
        if not self.labels:
            return values
        codes, uniques = pd.factorize(pd.Series(values, dtype=object), use_na_sentinel=False)
        mapped = [self.labels.get(category_key(u), u) if isinstance(u, str) else u for u in uniques]
        return np.array(mapped + [None], dtype=object)[codes]


class Columns:
    """A frame's columns as arrays, for reading single rows (a finding's) without pandas' per-row cost."""

    def __init__(self, frame: pd.DataFrame):
        self.arrays = {str(c): frame[c].to_numpy() for c in frame.columns}

    def __getitem__(self, name: str) -> np.ndarray:
        return self.arrays[name]

    def row(self, i: int) -> dict:
        return {k: v[i] for k, v in self.arrays.items()}


@dataclass
class Rows:
    """Findings under construction: one dict per finding, in COLUMNS."""

    file: str
    items: list[dict] = field(default_factory=list)

    def add(self, *, line, sku, asin, marketplace, date, kind, fee, currency, amazon: int | None,
            feecalc: int | None, difference: int | None, per: int = 1, units=None, stake: int | None = None,
            basis: str = "", reading: str = "", explanation: str = "", action: str = "", detail: str = "",
            no_stake: bool = False) -> None:
        """One finding; amounts in micro-units.  `difference` is for the `per` units Amazon's figure is for;
        without `stake`, the money at stake is the difference per unit times `units` (half up to the currency's
        places), or the difference itself where no units are known; `no_stake`: none (the finding states a range)."""
        diff_unit = None if difference is None else per_unit(difference, per)
        if no_stake:
            at_stake = None
        elif stake is not None:
            at_stake = to_decimal(stake, currency)
        elif diff_unit is None:
            at_stake = None
        else:
            places = Decimal(1).scaleb(-minor_digits(currency))
            at_stake = (diff_unit * (units if units is not None else 1)).quantize(places, ROUND_HALF_UP)
        self.items.append({
            "file": self.file, "line": int(line), "sku": _text(sku), "asin": _text(asin), "marketplace": marketplace,
            "date": date, "kind": kind, "fee": fee, "currency": currency,
            "amazon": None if amazon is None else to_decimal(amazon, currency),
            "feecalc": None if feecalc is None else to_decimal(feecalc, currency),
            "difference_per_unit": None if diff_unit is None else _places(diff_unit, currency),
            "units": units, "money_at_stake": at_stake, "basis": basis, "reading": reading,
            "explanation": explanation, "action": action, "detail": detail})

    def frame(self) -> pd.DataFrame:
        return pd.DataFrame(self.items, columns=list(COLUMNS))


def _number(value: float) -> Decimal:
    """A count as a Decimal: 100, not 1E+2; 12.5 as 12.5."""
    number = Decimal(repr(float(value)))
    return number.quantize(Decimal(1)) if number == number.to_integral_value() else number.normalize()


def _text(value) -> str | None:
    return None if value is None or (isinstance(value, float) and value != value) or value == "" else str(value)


def _places(value: Decimal, currency: str) -> Decimal:
    """A difference per unit shown with the currency's places, or more where it has more (a line's 0.005)."""
    value = value.normalize()
    places = minor_digits(currency)
    if value.as_tuple().exponent > -places:  # type: ignore[operator]
        value = value.quantize(Decimal(1).scaleb(-places))
    return value
