"""Loading fee tables: TOML files, validated strictly (schema, then checks), hashed, and indexed by marketplace
and date.  A load error names the file and the key; tables of one marketplace must not overlap in dates."""

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


def load_table(path: str | os.PathLike) -> TableInfo:
    """Load and validate one table file; raise TableError naming the file and each bad key."""
    path = Path(path)
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
    problems = check_table(data)
    if problems:
        raise TableError(_report(path, problems))
    return TableInfo(
        id=data["id"], marketplace=data["marketplace"], effective_from=data["effective_from"],
        effective_to=data["effective_to"], path=path, sha256=hashlib.sha256(raw).hexdigest(), data=data,
    )


def _report(path: Path, problems: list[str]) -> str:
    return f"{path}: " + ("\n  ".join([f"{len(problems)} problem(s)", *problems]))


def load_directory(directory: str | os.PathLike = TABLES_DIR) -> list[TableInfo]:
    """Load every *.toml under `directory`; tables of one marketplace must not overlap in dates.

    A directory that does not exist, or holds no table, is a TableError: a service with no tables would
    answer every quote 'no fee tables'."""
    if not Path(directory).is_dir():
        raise TableError(f"{directory}: no such directory of fee tables (FEECALC_TABLES)")
    tables = [load_table(p) for p in sorted(Path(directory).rglob("*.toml"))]
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
