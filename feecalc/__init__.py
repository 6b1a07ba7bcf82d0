"""feecalc: exact, explainable Amazon seller fees from versioned fee tables.

    import feecalc
    q = feecalc.quote(marketplace="US", on="2026-03-01", price="24.99", length=10, width=6, height=3,
                      weight=1.2, category="home_and_kitchen")
    q.fees, q.total, print(q.explain())
"""

from .compare import compare, compare_frame
from .engine import compiled_table
from .errors import FeecalcError, FeeUnavailable, InvalidItem, NoFeeTable, TableError, UnknownCategory
from .frame import cost_frame
from .inputs import as_date
from .marketplaces import marketplace, marketplaces
from .quote import Quote, quote, quote_many
from .removal_decision import RemovalDecision, removal_decision
from .tables import all_tables, table_for


def categories(marketplace: str = "US", on=None) -> dict[str, str]:
    """Category keys of the table in force on `on` (default today), with Amazon's display names."""
    categories = compiled_table(table_for(marketplace, as_date(on))).frame.categories
    return dict(zip(categories.keys, categories.names, strict=True))

__all__ = [
    "FeeUnavailable", "FeecalcError", "InvalidItem", "NoFeeTable", "Quote", "TableError", "UnknownCategory",
    "all_tables", "categories", "compare", "compare_frame", "cost_frame", "marketplace", "marketplaces", "quote",
    "quote_many", "removal_decision", "RemovalDecision", "table_for",
]
