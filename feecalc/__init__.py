"""feecalc: exact, explainable Amazon seller fees from versioned fee tables.

    import feecalc
    q = feecalc.quote(marketplace="US", on="2026-03-01", price="24.99", length=10, width=6, height=3,
                      weight=1.2, category="home_and_kitchen")
    q.fees, q.total, print(q.explain())
"""

from .errors import FeecalcError, FeeUnavailable, InvalidItem, NoFeeTable, TableError, UnknownCategory
from .frame import cost_frame
from .quote import Quote, quote

__all__ = [
    "FeeUnavailable", "FeecalcError", "InvalidItem", "NoFeeTable", "Quote", "TableError", "UnknownCategory",
    "cost_frame", "quote",
]
