"""Fee tables as data: the file schema, the loader and its checks, and the registry by marketplace and date.

This is the bottom layer of feecalc: it knows what a table file may say, not how a fee is computed."""

from .groups import GroupMap, load_groups, product_groups
from .loader import (
    TABLES_DIR,
    TableInfo,
    all_tables,
    bundled_tables,
    load_directory,
    load_table,
    market_codes,
    registry_for,
    source,
    sources,
    table_for,
    tables_dir,
    tables_of,
)
from .schema import category_key
from .sources import Registry, Source, check_sources, load_registry

__all__ = ["TABLES_DIR", "GroupMap", "Registry", "Source", "TableInfo", "all_tables", "bundled_tables", "category_key",
           "check_sources", "load_directory", "load_groups", "load_registry", "load_table", "market_codes",
           "product_groups", "registry_for", "source", "sources", "table_for", "tables_dir", "tables_of"]
