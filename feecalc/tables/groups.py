"""Amazon's product groups and fee-category names per marketplace, as data: `<tables>/<market>/product-groups.toml`.

Each entry maps one or more names (the `product-group` values of Amazon's reports, fee-category names) to the
referral category they stand for, with its source and confidence, or stated as feecalc's own reading
(`reading = "feecalc"`), or lists the `candidates` where a group stands for more than one category.  The file is
validated as strictly as a fee table: unknown keys, a name given twice, a category that no table of the
marketplace has, a source the registry does not resolve are errors naming the file and the entry.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates_schema

from ..errors import TableError
from .loader import GROUPS_NAME, TABLES_DIR, TableInfo, market_codes, registry_for, tables_dir, tables_of
from .schema import CONFIDENCES, category_key, flatten_errors

OWN_READING = "feecalc"


@dataclass(frozen=True)
class Group:
    """One entry: the names, and the category they stand for (or the candidates), and on whose word."""

    names: tuple[str, ...]
    category: str | None
    candidates: tuple[str, ...]
    source: str | None
    confidence: str | None

    @property
    def own_reading(self) -> bool:
        """feecalc's reading, not a source's: a quote costed through it carries a warning."""
        return self.source is None


@dataclass(frozen=True)
class GroupMap:
    """A marketplace's product groups, by `category_key` of each name."""

    marketplace: str
    path: Path
    groups: dict[str, Group]

    def get(self, name: str) -> Group | None:
        return self.groups.get(category_key(name))


class _GroupSchema(Schema):
    class Meta:
        unknown = RAISE

    names = fields.List(fields.String(validate=validate.Length(min=1)), required=True,
                        validate=validate.Length(min=1))
    category = fields.String(load_default=None)
    candidates = fields.List(fields.String(), load_default=None, validate=validate.Length(min=2))
    source = fields.String(load_default=None)
    confidence = fields.String(load_default=None, validate=validate.OneOf(CONFIDENCES))
    reading = fields.String(load_default=None, validate=validate.Equal(OWN_READING))
    note = fields.String(load_default=None)

    @validates_schema
    def _one_of_each(self, data, **kwargs):
        if (data["category"] is None) == (data["candidates"] is None):
            raise ValidationError("give either category or candidates")
        if (data["reading"] is None) == (data["source"] is None):
            raise ValidationError(f"give either a source (with its confidence) or reading = {OWN_READING!r}")
        if data["source"] is not None and data["confidence"] is None:
            raise ValidationError({"confidence": ["a source needs its confidence"]})


class _FileSchema(Schema):
    class Meta:
        unknown = RAISE

    marketplace = fields.String(required=True, validate=validate.Regexp(r"^[A-Z]{2}$"))
    title = fields.String(required=True)
    source = fields.String(load_default=None)  # where the names come from (every bundled file cites it)
    group = fields.List(fields.Nested(_GroupSchema), required=True)


def load_groups(path: str | Path, tables: tuple[TableInfo, ...] | None = None) -> GroupMap:
    """Read and check a product-group file; TableError names the file and each problem.  `tables` are the fee tables
    whose categories the entries must name (default: the tables in use)."""
    path = Path(path)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise TableError(f"{path}: cannot be read ({exc.strerror or exc})") from exc
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise TableError(f"{path}: not valid TOML: {exc}") from exc
    try:
        data = _FileSchema().load(raw)
    except ValidationError as exc:
        lines = [line.replace("._schema:", ":") for line in flatten_errors(exc.messages)]
        raise TableError(f"{path}: " + "\n  ".join(["not a product-group file", *lines])) from exc
    market = data["marketplace"]
    known = {category_key(c["name"]) for t in (tables if tables is not None else tables_of(market))
             if t.marketplace == market for c in t.data["referral"]}
    registry = registry_for(path.parent, path.parent.parent)
    problems: list[str] = [f"source: {p}" for p in registry.problems(data["source"] or "")]
    groups: dict[str, Group] = {}
    for i, entry in enumerate(data["group"]):
        where = f"group[{i}] ({entry['names'][0]})"
        for j, name in enumerate(entry["names"]):
            key = category_key(name)
            twice = groups[key].names[0] if key in groups else next(
                (n for n in entry["names"][:j] if category_key(n) == key), None)
            if twice is not None:
                problems.append(f"{where}: {name!r} is also given by {twice!r}")
        named = [entry["category"]] if entry["category"] else entry["candidates"]
        problems += [f"{where}: {c!r} is not a category of any {market} fee table" for c in named
                     if category_key(c) not in known]
        problems += [f"{where}.source: {p}" for p in registry.problems(entry["source"] or "")]
        group = Group(tuple(entry["names"]), entry["category"] and category_key(entry["category"]),
                      tuple(category_key(c) for c in entry["candidates"] or ()), entry["source"], entry["confidence"])
        groups.update({category_key(name): group for name in entry["names"]})
    if problems:
        raise TableError(f"{path}: " + "\n  ".join([f"{len(problems)} problem(s)", *problems]))
    return GroupMap(market, path, groups)


def product_groups(marketplace: str) -> GroupMap | None:
    """The product groups of a marketplace: `<market>/product-groups.toml` in the tables folder in use, else in the
    bundled one; None where neither has one, or the marketplace has no tables (nothing would be costed through it).
    Loaded and checked on first use, against that marketplace's tables only."""
    return _map(tables_dir(), str(marketplace).upper())


@lru_cache(maxsize=64)
def _map(directory: str, marketplace: str) -> GroupMap | None:
    if marketplace not in market_codes():
        return None
    for folder in dict.fromkeys([Path(directory), TABLES_DIR]):
        path = folder / marketplace.lower() / GROUPS_NAME
        if path.is_file():
            found = load_groups(path, tables_of(marketplace))
            if found.marketplace != marketplace:
                raise TableError(f"{path}: marketplace {found.marketplace!r}, in the folder of {marketplace}")
            return found
    return None
