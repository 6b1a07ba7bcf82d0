"""Items of a given size tier at a given weight, for the band-edge tests generated from the tables: candidate
shapes (small in volume, so the unit weight, not the dimensional weight, is what the bands read) are tried until
a quote lands in the tier; `None` where no candidate does, or where the tier bills another weight."""

from decimal import Decimal as D
from functools import lru_cache

import feecalc
from feecalc.errors import FeecalcError

US_SHAPES = [(10, 8, 0.5), (15.5, 1, 1), (18.5, 2, 2), (20, 2, 2), (37.5, 2, 2), (19, 2, 2), (59.5, 2, 2),
             (97, 2, 2)]
EU_SHAPES = [(30, 20, 1), (30, 20, 2), (30, 20, 3.5), (30, 20, 5), (34, 2, 2), (36, 2, 2), (34, 24, 6), (34, 24, 8),
             (34, 24, 11), (39, 29, 5), (39, 29, 15), (44, 33, 9), (44, 33, 20), (46, 5, 5), (62, 5, 5), (102, 5, 5),
             (121, 5, 5), (180, 5, 5)]
CATEGORIES = {"US": ("everything_else",)}
EU_CATEGORIES = ("everything_else", "clothing_and_accessories")  # UK and the EU stores


def quote_item(market: str, on: str, shape, weight, unit: str, category: str, **kw):
    length, width, height = shape
    return feecalc.quote(market, on, price=kw.pop("price", "20.00"), length=length, width=width, height=height,
                         dimension_unit="in" if market == "US" else "cm", weight=str(weight), weight_unit=unit,
                         category=category, **kw)


@lru_cache(maxsize=4096)
def shape_for(market: str, on: str, tier: str, weight: str, unit: str) -> tuple | None:
    """(shape, category) of an item of `tier` at `weight` whose shipping weight is its unit weight."""
    for category in CATEGORIES.get(market, EU_CATEGORIES):
        for shape in US_SHAPES if market == "US" else EU_SHAPES:
            try:
                q = quote_item(market, on, shape, weight, unit, category)
            except FeecalcError:
                continue
            if q.size_tier == tier and _same_weight(q, D(weight), unit):
                return shape, category
    return None


def _same_weight(q, weight: D, unit: str) -> bool:
    from feecalc.units import quantity_in

    value = quantity_in(f"{weight} {unit}", q.weight_unit)
    return abs(q.shipping_weight - D(value.numerator) / D(value.denominator)) < D("0.000001")
