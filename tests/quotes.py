"""Short ways to quote the items the fee tests use (imported by tests/fees and tests/stores)."""

import feecalc

ON = "2026-05-01"
CUBE = dict(length=12, width=12, height=12)  # exactly one cubic foot
BOX = dict(length=18, width=12, height=8)    # 1 cu ft, large standard


def us(on, price="20.00", dims=(10, 6, 2), weight=1.0, unit="lb", category="home_and_kitchen", **kw):
    """A US item in inches, weight in `unit` (lb)."""
    length, width, height = dims
    return feecalc.quote(marketplace="US", on=on, price=price, length=length, width=width, height=height,
                         weight=weight, weight_unit=unit, category=category, **kw)


def uk_de(market, price="24.00", dims=(30, 20, 10), weight="1200", category="kitchen", on=ON, **kw):
    """A UK or DE item in centimetres and grams."""
    length, width, height = dims
    return feecalc.quote(market, on, price=price, length=length, width=width, height=height, dimension_unit="cm",
                         weight=weight, weight_unit="g", category=category, **kw)


def stored(on, weeks=None, dims=BOX, **kw):
    """A 5 lb US toy of one cubic foot (by default), with a storage utilization ratio of `weeks`."""
    return feecalc.quote(on=on, price="20", weight=5, category="toys_and_games", utilization_weeks=weeks,
                         **dims, **kw)
