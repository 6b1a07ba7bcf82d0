"""Loading fee tables: TOML files, validated strictly (schema, then checks, then the source keys they cite),
hashed, and indexed by marketplace and date.  A load error names the file and the key; tables of one
marketplace must not overlap in dates.

Source keys resolve in the registry of the table's folder tree: `sources.toml` at the root of the folder
loaded by `load_directory` (beside the marketplace folders), or, for `load_table(path)`, in the file's folder
or the one above it; failing that, the bundled `fee_tables/sources.toml`.  The registry is not a table:
`load_directory` skips the `sources.toml` at its root."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import tomllib
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from importlib import resources
from pathlib import Path

from marshmallow import ValidationError

from ..errors import NoFeeTable, TableError
from .checks import check_table
from .schema import TableSchema, flatten_errors
from .sources import REGISTRY_NAME, Registry, Source, check_sources, load_registry


def bundled_tables() -> Path:
    """The fee tables shipped with feecalc: `feecalc/fee_tables` in an installed wheel, else the checkout's
    top-level `fee_tables/` (the repository keeps the data beside the code)."""
    inside = resources.files("feecalc") / "fee_tables"
    if inside.is_dir():
        return Path(str(inside))
    return Path(__file__).resolve().parents[2] / "fee_tables"


TABLES_DIR = bundled_tables()


@dataclass(frozen=True, eq=False)
class TableInfo:
    """A loaded, validated table: its data, file and content hash."""

    id: str
    marketplace: str
    effective_from: dt.date
    effective_to: dt.date
    path: Path
    sha256: str
    data: dict


def registry_for(*folders: Path) -> Registry:
    """The source registry of the first of `folders` that holds one, else the bundled registry."""
    for folder in folders:
        if (folder / REGISTRY_NAME).is_file():
            return load_registry(folder / REGISTRY_NAME)
    return load_registry(TABLES_DIR / REGISTRY_NAME)


def load_table(path: str | os.PathLike, registry: Registry | None = None) -> TableInfo:
    """Load and validate one table file; raise TableError naming the file and each bad key.

    `registry` resolves the source keys the table cites (default: the registry of the file's folder tree)."""
    path = Path(path)
    registry = registry or registry_for(path.parent, path.parent.parent)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise TableError(f"{path}: cannot be read ({exc.strerror or exc})") from exc
    try:
        parsed = tomllib.loads(raw.decode("utf-8"), parse_float=Decimal)
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise TableError(f"{path}: not valid TOML: {exc}") from exc
    try:
        data = TableSchema().load(parsed)
    except ValidationError as exc:
        raise TableError(_report(path, flatten_errors(exc.messages))) from exc
    problems = check_table(data) + check_sources(data, registry)
    if problems:
        raise TableError(_report(path, problems))
    return TableInfo(
        id=data["id"], marketplace=data["marketplace"], effective_from=data["effective_from"],
        effective_to=data["effective_to"], path=path, sha256=hashlib.sha256(raw).hexdigest(), data=data,
    )


def _report(path: Path, problems: list[str]) -> str:
    return f"{path}: " + ("\n  ".join([f"{len(problems)} problem(s)", *problems]))


def load_directory(directory: str | os.PathLike = TABLES_DIR) -> list[TableInfo]:
    """Load every *.toml under `directory` but the source registry at its root; tables of one marketplace must
    not overlap in dates.

    A directory that does not exist, or holds no table, is a TableError: a service with no tables would
    answer every quote 'no fee tables'."""
    directory = Path(directory)
    if not directory.is_dir():
        raise TableError(f"{directory}: no such directory of fee tables (FEECALC_TABLES)")
    registry = registry_for(directory)
    files = [p for p in sorted(directory.rglob("*.toml")) if p != directory / REGISTRY_NAME]
    tables = [load_table(p, registry) for p in files]
    if not tables:
        raise TableError(f"{directory}: no fee tables (*.toml) in this directory (FEECALC_TABLES)")
    problems, seen = [], {}
    for info in tables:
        if info.id in seen:
            problems.append(f"{info.path}: id {info.id!r} is also used by {seen[info.id].path}")
        seen[info.id] = info
    by_market: dict[str, list[TableInfo]] = {}
    for info in tables:
        by_market.setdefault(info.marketplace, []).append(info)
    for market_tables in by_market.values():
        market_tables.sort(key=lambda i: i.effective_from)
        for a, b in zip(market_tables, market_tables[1:], strict=False):
            if b.effective_from <= a.effective_to:
                problems.append(f"{b.path}: effective_from {b.effective_from} overlaps {a.id} "
                                f"(ends {a.effective_to})")
    if problems:
        raise TableError("\n".join(problems))
    return tables


@lru_cache(maxsize=8)
def _registry(directory: str) -> tuple[TableInfo, ...]:
    return tuple(load_directory(directory))


def tables_dir() -> str:
    """The directory tables load from: $FEECALC_TABLES, else the bundled fee_tables/."""
    return os.environ.get("FEECALC_TABLES", str(TABLES_DIR))


def all_tables() -> tuple[TableInfo, ...]:
    """Every loaded table, in marketplace then date order (cached per directory)."""
    return _registry(tables_dir())


def sources() -> Registry:
    """The source registry of the tables in use: $FEECALC_TABLES's sources.toml, else the bundled one."""
    return registry_for(Path(tables_dir()))


def source(key: str) -> Source:
    """What a source key cites (title, URLs, Amazon help-page ids, where the reference lists it), for a
    client that shows a quote's sources as links; KeyError names an unknown key."""
    try:
        return sources().sources[key]
    except KeyError:
        raise KeyError(f"unknown source key {key!r}") from None


def table_for(marketplace: str, on: dt.date) -> TableInfo:
    """The table in force for `marketplace` on `on`, or NoFeeTable saying which dates are covered."""
    market = [t for t in all_tables() if t.marketplace == marketplace]
    for info in market:
        if info.effective_from <= on <= info.effective_to:
            return info
    if not market:
        known = sorted({t.marketplace for t in all_tables()})
        raise NoFeeTable(f"marketplace: no fee tables for {marketplace!r} (tables exist for {', '.join(known)})")
    spans = ", ".join(f"{t.id} {t.effective_from} to {t.effective_to}" for t in market)
    raise NoFeeTable(f"date: no {marketplace} fee table covers {on} (known: {spans})")
