"""Fee tables as data: the file schema, the loader and its checks, and the registry by marketplace and date.

This is the bottom layer of feecalc: it knows what a table file may say, not how a fee is computed."""

from .loader import TABLES_DIR, TableInfo, all_tables, bundled_tables, load_directory, load_table, table_for, tables_dir
from .schema import category_key

__all__ = ["TABLES_DIR", "TableInfo", "all_tables", "bundled_tables", "category_key", "load_directory", "load_table",
           "table_for", "tables_dir"]
