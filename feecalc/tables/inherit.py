"""A schedule that states only what changed from the one before.

A table may name the table it follows and the sections it takes from it word for word:

    extends = "us-2025"                       # the id of a table of the same marketplace
    inherit = ["referral", "per_item_fee"]    # sections taken as that table has them (its own or inherited)

A section is a TOML table or array of tables of the schema (`referral`, `storage`, `units`, ...); a table always
states its own id, marketplace, currency, dates, title, notes and scalar settings.  A section named in `inherit`
must not also be given in the file.  The merged result is what the schema and the checks validate, exactly as
if the sections were written out: an inherited dated item outside the table's dates is an error, reported
with the file the section comes from.  Chains work (a section inherited by the parent is taken from wherever
the parent took it); finding the parent, and cycles, are the loader's business.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from marshmallow import fields

from .schema import TableSchema


def _is_section(field: fields.Field) -> bool:
    return isinstance(field, fields.Nested) or (isinstance(field, fields.List)
                                                and isinstance(field.inner, fields.Nested))


SECTIONS: tuple[str, ...] = tuple(name for name, f in TableSchema._declared_fields.items() if _is_section(f))


@dataclass(frozen=True)
class Parent:
    """What a table inherits from: the parent's id, marketplace and file, its sections as merged (read
    only), and for each section the parent inherited, the file it comes from."""

    id: str
    marketplace: str
    path: Path
    merged: dict
    origin: dict[str, Path]


def split(toml: dict) -> tuple[dict, object, object]:
    """The table's own keys, and its `extends` and `inherit` values (None where not given)."""
    own = {k: v for k, v in toml.items() if k not in ("extends", "inherit")}
    return own, toml.get("extends"), toml.get("inherit")


def check_extends(extends: object, inherit: object) -> list[str]:
    """Problems with the shape of `extends` and `inherit`, before any parent is looked for."""
    out = []
    if extends is not None and not isinstance(extends, str):
        out.append("extends: expected the id of a table, such as 'us-2025'")
    if inherit is not None and extends is None:
        out.append("inherit: needs 'extends', the id of the table to inherit from")
    if inherit is not None and not (isinstance(inherit, list) and all(isinstance(n, str) for n in inherit)):
        out.append("inherit: expected a list of section names, such as ['referral', 'storage']")
    return out


def merge(own: dict, inherit: list[str], parent: Parent) -> tuple[dict, dict[str, Path], list[str]]:
    """The table with the inherited sections in place, the file each inherited section comes from, and the
    problems ('key: message' lines); the sections keep the parent's objects, which must not be changed."""
    out: list[str] = []
    market = own.get("marketplace")
    if isinstance(market, str) and market != parent.marketplace:
        out.append(f"extends: {parent.id!r} is a {parent.marketplace} table; a {market} table can extend only "
                   f"a table of its own marketplace")
    merged, origin, seen = dict(own), {}, set()
    for name in inherit:
        if name in seen:
            out.append(f"inherit: {name!r} is listed twice")
        elif name not in SECTIONS:
            out.append(f"inherit: {name!r} is not a section a table can inherit (sections: {', '.join(SECTIONS)})")
        elif name in own:
            out.append(f"{name}: given in this file and inherited from {parent.id}; give it or inherit it, "
                       f"not both")
        elif name not in parent.merged:
            out.append(f"inherit: {parent.id} has no {name!r} section to inherit")
        else:
            merged[name] = parent.merged[name]
            origin[name] = parent.origin.get(name, parent.path)
        seen.add(name)
    return merged, origin, out


def annotate(problems: list[str], origin: dict[str, Path]) -> list[str]:
    """Add to each problem in an inherited section the file that section comes from."""
    out = []
    for line in problems:
        section = line.split(":", 1)[0].split(".", 1)[0].split("[", 1)[0]
        out.append(f"{line} (inherited from {origin[section]})" if section in origin else line)
    return out
