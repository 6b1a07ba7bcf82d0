"""`removal_decision`: for a unit in Amazon's fulfilment centres, whether keeping it for a number of days (paying the
aged-inventory surcharge at each 15th's snapshot) costs more than a removal or disposal order before the first
snapshot that would charge it.  The same weighing as the channel comparison's FBA stay (`stay.weigh_removal`), for
one item, through the one engine: the surcharge and the order fee are the engine's lines on each snapshot's date.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import numpy as np
import pandas as pd

from .errors import InvalidItem
from .inputs import as_date
from .money import cents_to_decimal
from .quote import quote
from .stay import stay_lines


@dataclass(frozen=True)
class RemovalDecision:
    """What keeping a unit for `days` costs in aged-inventory surcharges, against a removal (or disposal) order."""

    days: int
    snapshots: list[tuple[dt.date, int, Decimal | None]]  # (date, age in days, the surcharge that day; None: unknown)
    surcharge: Decimal | None      # the surcharges added up (None: a snapshot's is unavailable)
    surcharge_reason: str | None
    removal_fee: Decimal | None    # per unit, on the first snapshot that would charge (None: none charges, or unknown)
    removal_reason: str | None     # why the removal fee is unknown
    removal_date: dt.date | None
    cheaper: str | None            # "removal", "keep" or None (nothing to weigh, or a figure unknown)
    explanation: str

    def to_dict(self) -> dict:
        money = lambda v: None if v is None else str(v)  # noqa: E731
        return {"days": self.days, "snapshots": [[d.isoformat(), a, money(c)] for d, a, c in self.snapshots],
                "surcharge": money(self.surcharge), "surcharge_reason": self.surcharge_reason,
                "removal_fee": money(self.removal_fee), "removal_reason": self.removal_reason,
                "removal_date": None if self.removal_date is None else self.removal_date.isoformat(),
                "cheaper": self.cheaper, "explanation": self.explanation}


def removal_decision(marketplace: str = "US", on=None, *, days: int = 365, **item) -> RemovalDecision:
    """Keep a unit (aged `age_days` on `on`) for `days` more days, or remove it before the first snapshot that
    charges: the surcharge at each 15th, the order's fee, and which is cheaper.  `item` is quote's arguments."""
    if isinstance(days, bool) or not isinstance(days, int) or not 0 <= days <= 100_000:
        raise InvalidItem("days", days, "must be a whole number of days from 0 to 100,000")
    day = as_date(on)
    quote(marketplace, day, **item)  # the item itself: its errors, as quote raises them
    stay = stay_lines(pd.DataFrame([item]), np.array([days]), on=day, marketplace=marketplace,
                      lines=("aged_inventory",))
    removal = stay.removal
    assert removal is not None
    snaps = stay.snapshots
    listed = [(pd.Timestamp(d).date(), int(a), None if pd.isna(c) else Decimal(str(c))) for d, a, c in
              zip(snaps["date"], snaps["age_days"], snaps["aged_inventory_surcharge"], strict=True)]
    why = stay.reason["aged_inventory"][0]
    surcharge = None if why is not None else cents_to_decimal(int(removal.surcharge_c[0]))
    fee = cents_to_decimal(int(removal.fee_c[0])) if removal.fee_c[0] >= 0 else None
    date = None if np.isnat(removal.date[0]) else pd.Timestamp(removal.date[0]).date()
    if why is not None:
        cheaper = None
    elif removal.removed[0]:
        cheaper = "removal"
    elif fee is not None:
        cheaper = "keep"
    else:
        cheaper = None
    text = stay.explain(0, "aged_inventory") if why is None else f"the surcharge is unavailable: {why}"
    return RemovalDecision(days, listed, surcharge, why, fee, removal.why[0], date, cheaper, text)
