"""Loading fee tables: TOML files, validated strictly (schema, then checks, then the source keys they cite),
hashed, and indexed by marketplace and date.  A load error names the file and the key; tables of one
marketplace must not overlap in dates.

A table may `extends = "<id>"` another table of its marketplace and `inherit = [...]` sections from it word
for word (see `inherit`); the merged table is validated like any other.  `load_directory` finds a parent
among the tables of the folder it loads, by id; `load_table(path)` finds it as `<id>.toml` beside the file
or in the folders beside the file's folder; both then try the bundled tables.  The table's hash
(`TableInfo.sha256`, every quote's `table_hash`) is the sha256 of the file's bytes followed by the parent's
hash in hex, recursively: it changes whenever any file of the chain changes, and is the plain sha256 of the
file for a table that extends nothing.

Source keys resolve in the registry of the table's folder tree: `sources.toml` at the root of the folder
loaded by `load_directory` (beside the marketplace folders), or, for `load_table(path)`, in the file's folder
or the one above it; failing that, the bundled `fee_tables/sources.toml`.  The registry is not a table:
`load_directory` skips the `sources.toml` at its root."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import threading
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from importlib import resources
from pathlib import Path

from marshmallow import ValidationError

from ..errors import NoFeeTable, TableError
from .checks import check_table
from .inherit import Parent, annotate, check_extends, merge, split
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
GROUPS_NAME = "product-groups.toml"  # a marketplace's product groups (tables.groups), beside its tables: not a table


@dataclass(frozen=True, eq=False)
class TableInfo:
    """A loaded, validated table: its data (with inherited sections in place), file and hash.

    `sha256` is the sha256 of the file's bytes, followed, for a table that extends another, by the parent's
    sha256 as 64 hex digits: a change to any file of the chain changes it, and a table that extends nothing
    keeps the plain sha256 of its file (`sha256sum` reproduces it)."""

    id: str
    marketplace: str
    effective_from: dt.date
    effective_to: dt.date
    path: Path
    sha256: str
    data: dict
    extends: str | None = None  # the id of the table this one extends
    inherited: tuple[str, ...] = ()  # the sections taken from it


def registry_for(*folders: Path) -> Registry:
    """The source registry of the first of `folders` that holds one, else the bundled registry."""
    for folder in folders:
        if (folder / REGISTRY_NAME).is_file():
            return load_registry(folder / REGISTRY_NAME)
    return load_registry(TABLES_DIR / REGISTRY_NAME)


@dataclass(frozen=True)
class _File:
    """A table file as read and parsed, not yet validated."""

    path: Path
    raw: bytes
    toml: dict


def _read(path: Path) -> _File:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise TableError(f"{path}: cannot be read ({exc.strerror or exc})") from exc
    try:
        return _File(path, raw, tomllib.loads(raw.decode("utf-8"), parse_float=Decimal))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise TableError(f"{path}: not valid TOML: {exc}") from exc


def _report(path: Path, problems: list[str]) -> str:
    return f"{path}: " + ("\n  ".join([f"{len(problems)} problem(s)", *problems]))


class _Loader:
    """Loads tables and the tables they extend, each file once.  `find` maps a table id to the file that
    should hold it (None if there is none); `places` says where it looked, for the error ({id}: the id)."""

    def __init__(self, registry: Registry, find: Callable[[str], Path | None], places: str):
        self.registry, self.find, self.places = registry, find, places
        self.files: dict[Path, _File] = {}
        self.done: dict[Path, tuple[TableInfo, Parent]] = {}
        self.chain: list[tuple[Path, str]] = []  # the tables being loaded: extending one of them is a cycle

    def read(self, path: Path) -> _File:
        key = path.resolve()
        if key not in self.files:
            self.files[key] = _read(path)
        return self.files[key]

    def load(self, path: Path) -> TableInfo:
        return self._load(path)[0]

    def _load(self, path: Path) -> tuple[TableInfo, Parent]:
        key = path.resolve()
        if key not in self.done:
            file = self.read(path)
            self.chain.append((key, str(file.toml.get("id"))))
            try:
                self.done[key] = self._build(file)
            finally:
                self.chain.pop()
        return self.done[key]

    def _build(self, file: _File) -> tuple[TableInfo, Parent]:
        own, extends, inherit = split(file.toml)
        problems = check_extends(extends, inherit)
        if problems:
            raise TableError(_report(file.path, problems))
        merged, origin, parent = own, dict[str, Path](), None
        if isinstance(extends, str):  # checked above: a table id, and `inherit` a list of section names
            parent = self._parent(file, extends)
            merged, origin, problems = merge(own, list(inherit or []), parent[1])  # type: ignore[call-overload]
            if problems:
                raise TableError(_report(file.path, problems))
        data = _validate(file.path, merged, origin, self.registry)
        digest = hashlib.sha256(file.raw + (parent[0].sha256.encode() if parent else b"")).hexdigest()
        info = TableInfo(
            id=data["id"], marketplace=data["marketplace"], effective_from=data["effective_from"],
            effective_to=data["effective_to"], path=file.path, sha256=digest, data=data,
            extends=extends if isinstance(extends, str) else None, inherited=tuple(origin),
        )
        return info, Parent(info.id, info.marketplace, file.path, merged, origin)

    def _parent(self, file: _File, extends: str) -> tuple[TableInfo, Parent]:
        path = self.find(extends)
        if path is None:
            places = self.places.replace("{id}", extends)
            raise TableError(_report(file.path, [f"extends: no table {extends!r} ({places})"]))
        if any(path.resolve() == key for key, _ in self.chain):
            ids = " extends ".join([*(i for _, i in self.chain), extends])
            raise TableError(_report(file.path, [f"extends: {extends!r} leads back to this table ({ids})"]))
        parent = self._load(path)
        if parent[0].id != extends:
            raise TableError(_report(file.path, [f"extends: {path} holds {parent[0].id!r}, not {extends!r}"]))
        return parent


def _validate(path: Path, merged: dict, origin: dict[str, Path], registry: Registry) -> dict:
    """The schema's load of a (merged) table, after the checks and the source keys; TableError otherwise."""
    try:
        data = TableSchema().load(merged)
    except ValidationError as exc:
        raise TableError(_report(path, annotate(flatten_errors(exc.messages), origin))) from exc
    problems = check_table(data) + check_sources(data, registry)
    if problems:
        raise TableError(_report(path, annotate(problems, origin)))
    return data


def _bundled(table_id: str) -> Path | None:
    return next(iter(sorted(TABLES_DIR.glob(f"*/{table_id}.toml"))), None)


def load_table(path: str | os.PathLike, registry: Registry | None = None) -> TableInfo:
    """Load and validate one table file; raise TableError naming the file and each bad key.

    A table that extends another finds it as `<id>.toml` in the file's folder, then in the folders beside
    it (the layout fee_tables/<market>/<id>.toml), then among the bundled tables, so a new schedule can be
    validated before it is added.  `registry` resolves the source keys the tables cite (default: the
    registry of the file's folder tree)."""
    path = Path(path)
    registry = registry or registry_for(path.parent, path.parent.parent)

    def find(table_id: str) -> Path | None:
        beside = [path.parent / f"{table_id}.toml", *sorted(path.parent.parent.glob(f"*/{table_id}.toml"))]
        return next((p for p in beside if p.is_file()), None) or _bundled(table_id)

    return _Loader(registry, find, f"no {{id}}.toml in {path.parent}, the folders beside it or the bundled tables"
                   ).load(path)


def load_directory(directory: str | os.PathLike = TABLES_DIR) -> list[TableInfo]:
    """Load every *.toml under `directory` but the source registry at its root and the product-group files
    (`product-groups.toml`, read by tables.groups); tables of one marketplace must not overlap in dates, and no
    two tables may share an id.

    A table extends a table of the folder by its id, else a bundled table (`<id>.toml`).  A directory that
    does not exist, or holds no table, is a TableError: a service with no tables would answer every quote
    'no fee tables'."""
    directory = Path(directory)
    if not directory.is_dir():
        raise TableError(f"{directory}: no such directory of fee tables (FEECALC_TABLES)")
    paths = [p for p in sorted(directory.rglob("*.toml")) if p != directory / REGISTRY_NAME and p.name != GROUPS_NAME]
    if not paths:
        raise TableError(f"{directory}: no fee tables (*.toml) in this directory (FEECALC_TABLES)")
    by_id: dict[str, Path] = {}
    loader = _Loader(registry_for(directory), lambda i: by_id.get(i) or _bundled(i),
                     f"not in {directory} or the bundled tables")
    problems = []
    for path in paths:
        table_id = loader.read(path).toml.get("id")
        if isinstance(table_id, str) and table_id in by_id:
            problems.append(f"{path}: id {table_id!r} is also used by {by_id[table_id]}")
        elif isinstance(table_id, str):
            by_id[table_id] = path
    if problems:
        raise TableError("\n".join(problems))
    tables = [loader.load(p) for p in paths]
    return _check_overlaps(tables)


def _check_overlaps(tables: list[TableInfo]) -> list[TableInfo]:
    """The tables, if no two tables of one marketplace overlap in dates; else a TableError naming them."""
    problems: list[str] = []
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


_TOP_KEY = re.compile(r'^(id|marketplace)\s*=\s*"([^"\n]*)"', re.M)
_FIRST_HEADER = re.compile(r"^\s*\[", re.M)


def _head(path: Path) -> tuple[str | None, str | None]:
    """A table file's id and marketplace, read from its top-level keys (before its first [section]) without parsing
    the TOML: enough to know which files a marketplace needs.  (None, None) where they are not plain strings."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None, None
    match = _FIRST_HEADER.search(text)
    found: dict[str, str] = {m.group(1): m.group(2) for m in _TOP_KEY.finditer(text[:match.start()] if match else text)}
    return found.get("id"), found.get("marketplace")


class _Folder:
    """A folder of tables, indexed by each file's id and marketplace (read cheaply, see `_head`); a marketplace's
    tables are loaded and validated when first asked for, so that costing US items does not parse the Japanese
    table.  Every load still validates a table in full, with the same errors as `load_directory`."""

    def __init__(self, directory: str):
        root = Path(directory)
        if not root.is_dir():
            raise TableError(f"{root}: no such directory of fee tables (FEECALC_TABLES)")
        self.paths = [p for p in sorted(root.rglob("*.toml")) if p != root / REGISTRY_NAME and p.name != GROUPS_NAME]
        if not self.paths:
            raise TableError(f"{root}: no fee tables (*.toml) in this directory (FEECALC_TABLES)")
        heads = {p: _head(p) for p in self.paths}
        self.by_id: dict[str, Path] = {}
        problems = []
        for path, (table_id, _) in heads.items():
            if table_id in self.by_id:
                problems.append(f"{path}: id {table_id!r} is also used by {self.by_id[table_id]}")
            elif table_id:
                self.by_id[table_id] = path
        if problems:
            raise TableError("\n".join(problems))
        self.loader = _Loader(registry_for(root), lambda i: self.by_id.get(i) or _bundled(i),
                              f"not in {root} or the bundled tables")
        self.market_of = {p: market for p, (_, market) in heads.items()}
        self.loaded: dict[str, tuple[TableInfo, ...]] = {}
        self.lock = threading.Lock()
        self._codes: tuple[str, ...] | None = None

    def codes(self) -> tuple[str, ...]:
        """The marketplaces with tables, sorted (a file whose marketplace the index could not read is loaded)."""
        if self._codes is None:
            for path in [p for p, m in self.market_of.items() if m is None]:
                with self.lock:
                    self.market_of[path] = self.loader.load(path).marketplace
            self._codes = tuple(sorted({m for m in self.market_of.values() if m}))
        return self._codes

    def market(self, code: str) -> tuple[TableInfo, ...]:
        """The tables of one marketplace, in file order, loaded once; tables of one marketplace must not overlap."""
        if code not in self.loaded:
            self.codes()
            with self.lock:
                if code not in self.loaded:
                    tables = [self.loader.load(p) for p, m in self.market_of.items() if m == code]
                    wrong = [t for t in tables if t.marketplace != code]
                    if wrong:
                        raise TableError(f"{wrong[0].path}: marketplace {wrong[0].marketplace!r} is not the "
                                         f"{code!r} its top-level keys seemed to say")
                    self.loaded[code] = tuple(_check_overlaps(tables))
        return self.loaded[code]

    def all(self) -> tuple[TableInfo, ...]:
        """Every table, in file order."""
        tables = {t.path: t for code in self.codes() for t in self.market(code)}
        return tuple(tables[p] for p in self.paths if p in tables)


@lru_cache(maxsize=8)
def _folder(directory: str) -> _Folder:
    return _Folder(directory)


def tables_dir() -> str:
    """The directory tables load from: $FEECALC_TABLES, else the bundled fee_tables/."""
    return os.environ.get("FEECALC_TABLES", str(TABLES_DIR))


def all_tables() -> tuple[TableInfo, ...]:
    """Every loaded table, in file order: fee_tables/<marketplace>/<id>.toml, so by marketplace, then by date
    (cached per directory)."""
    return _folder(tables_dir()).all()


def tables_of(marketplace: str) -> tuple[TableInfo, ...]:
    """The tables of one marketplace (loaded on first use; cached per directory); () for a store without tables."""
    folder = _folder(tables_dir())
    loaded = folder.loaded.get(marketplace)
    if loaded is not None:
        return loaded
    return folder.market(marketplace) if marketplace in folder.codes() else ()


def market_codes() -> tuple[str, ...]:
    """The marketplaces that have fee tables, sorted: read from the files' top-level keys, without loading them."""
    return _folder(tables_dir()).codes()


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
    market = tables_of(marketplace)
    for info in market:
        if info.effective_from <= on <= info.effective_to:
            return info
    if not market:
        known = market_codes()
        raise NoFeeTable(f"marketplace: no fee tables for {marketplace!r} (tables exist for {', '.join(known)})")
    spans = ", ".join(f"{t.id} {t.effective_from} to {t.effective_to}" for t in market)
    raise NoFeeTable(f"date: no {marketplace} fee table covers {on} (known: {spans})")
