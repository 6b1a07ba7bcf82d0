"""Matching a spreadsheet's headers to `quote`'s argument names.

Headers are compared case-, accent- and punctuation-insensitively against each field's aliases,
which include the column names of Amazon's FBA fee preview report and common German headers.  A
unit in the header ("Length (cm)", "Weight [kg]") sets the unit of that column.  The first alias in
a field's list wins when a file has several columns for the same field.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field

from .spec import REQUIRED
from .units import LENGTH_UNITS, UNIT_ALIASES

# field -> accepted header names, most preferred first (matched after normalize()).
ALIASES: dict[str, tuple[str, ...]] = {
    "price": ("price", "your-price", "item price", "selling price", "sale price", "sales-price", "list price",
              "preis", "ihr preis", "verkaufspreis", "artikelpreis"),
    "shipping": ("shipping", "shipping price", "shipping charge", "delivery charge", "versand", "versandkosten"),
    "gift_wrap": ("gift wrap", "gift wrap price", "gift-wrap-charge", "geschenkverpackung"),
    "length": ("length", "longest-side", "longest side", "item length", "package length",
               "länge", "längste seite", "artikellänge", "paketlänge"),
    "width": ("width", "median-side", "median side", "item width", "package width",
              "breite", "mittlere seite", "artikelbreite", "paketbreite"),
    "height": ("height", "shortest-side", "shortest side", "item height", "package height", "depth",
               "höhe", "kürzeste seite", "artikelhöhe", "pakethöhe"),
    "dimension_unit": ("dimension unit", "unit-of-dimension", "dimensions unit", "length unit", "size unit",
                       "maßeinheit", "längeneinheit"),
    "weight": ("weight", "item-package-weight", "item weight", "package weight", "unit weight",
               "shipping weight", "gewicht", "artikelgewicht", "paketgewicht", "versandgewicht"),
    "weight_unit": ("weight unit", "unit-of-weight", "gewichtseinheit"),
    "category": ("category", "product-group", "referral category", "product category",
                 "kategorie", "produktkategorie", "produktgruppe"),
    "apparel": ("apparel", "is apparel", "bekleidung"),
    "dangerous_goods": ("dangerous goods", "hazmat", "is hazmat", "dangerous", "gefahrgut"),
    "sipp": ("sipp", "ships in product packaging", "sipp certified", "ships in own packaging"),
    "plan": ("plan", "selling plan", "verkaufstarif"),
    "program": ("program", "fulfillment program", "programm", "versandprogramm"),
    "age_days": ("age days", "inventory age", "inventory age days", "age", "lageralter"),
    "utilization_weeks": ("utilization weeks", "storage utilization ratio", "utilization ratio"),
    "placement": ("placement", "inbound placement", "placement option", "shipment splits"),
    "inbound_point": ("inbound point", "placement point", "inbound placement point"),
    # Amazon's FBA inventory (planning) report names the two figures of the low-inventory-level fee (reports.md 4)
    "days_of_supply": ("days of supply", "historical days of supply (both)"),
    "days_of_supply_short": ("days of supply short", "short term historical days of supply",
                             "short-term historical days of supply"),
    "days_of_supply_long": ("days of supply long", "long term historical days of supply",
                            "long-term historical days of supply"),
    "new_seller": ("new seller",),
    "new_to_fba": ("new to fba", "fba new selection"),
    "low_sales_7_days": ("low sales 7 days", "low sales", "fewer than 20 units sold in 7 days"),
    "awd_replenished": ("awd replenished", "awd auto replenished", "awd auto-replenishment"),
    "return_rate": ("return rate", "returns rate", "return rate percent"),
    "pan_eu_unit": ("pan eu unit", "pan-eu unit", "pan eu", "pan european fba"),
    "marketplace": ("marketplace", "market", "amazon-store", "marktplatz"),
    "date": ("date", "fee date", "on", "datum"),
}
_SUFFIX = re.compile(r"^(.*?)[\s_]*[(\[]\s*([A-Za-z\"]+)\s*[)\]]\s*$")


def normalize(header: object) -> str:
    """'Your-Price ' -> 'yourprice', 'Länge' -> 'lange', 'Maßeinheit' -> 'masseinheit': case-folded, accents
    dropped, letters and digits only."""
    folded = unicodedata.normalize("NFKD", str(header).casefold())
    return re.sub(r"[^0-9a-z]", "", folded)


_LOOKUP = {normalize(a): (f, rank) for f, names in ALIASES.items() for rank, a in enumerate(names)}


@dataclass
class Mapping:
    """Which input column gives each field, and units taken from headers."""

    columns: dict[str, str] = field(default_factory=dict)       # field -> input column name
    units: dict[str, str] = field(default_factory=dict)         # field -> unit from the header
    notes: list[str] = field(default_factory=list)              # alternatives that were not used
    categories: dict[str, str] = field(default_factory=dict)    # the file's own category label -> category

    @property
    def missing(self) -> list[str]:
        return [f for f in REQUIRED if f not in self.columns]


def match_columns(headers: Sequence[object]) -> Mapping:
    """Map headers to fields; see the module docstring for the rules."""
    found: dict[str, tuple[int, str, str | None]] = {}
    notes = []
    for header in headers:
        text, unit = str(header), None
        suffix = _SUFFIX.match(text)
        if suffix and UNIT_ALIASES.get(suffix.group(2).lower()):
            text, unit = suffix.group(1), UNIT_ALIASES[suffix.group(2).lower()]
        hit = _LOOKUP.get(normalize(text))
        if hit is None:
            continue
        name, rank = hit
        if name in found:
            keep = min(found[name], (rank, str(header), unit))
            drop = max(found[name], (rank, str(header), unit))
            notes.append(f"column {drop[1]!r} not used: {keep[1]!r} gives {name}")
            found[name] = keep
        else:
            found[name] = (rank, str(header), unit)
    mapping = Mapping(notes=notes)
    for name, (_, header, unit) in found.items():
        mapping.columns[name] = header
        if unit:
            mapping.units[name] = unit
    return mapping


def header_units(mapping: Mapping) -> tuple[str | None, str | None, str | None]:
    """(dimension unit, weight unit, problem) implied by unit suffixes in the headers."""
    dims = {mapping.units[f] for f in ("length", "width", "height") if f in mapping.units}
    if len(dims) > 1:
        return None, None, f"dimension columns give different units in their headers: {', '.join(sorted(dims))}"
    dim = dims.pop() if dims else None
    if dim is not None and dim not in LENGTH_UNITS:
        return None, None, f"a dimension column's header gives {dim!r}, which is not a length unit"
    weight = mapping.units.get("weight")
    if weight is not None and weight in LENGTH_UNITS:
        return None, None, f"the weight column's header gives {weight!r}, which is not a weight unit"
    return dim, weight, None


def accepted() -> str:
    """The accepted header names, for error messages."""
    return "; ".join(f"{f}: {', '.join(names)}" for f, names in ALIASES.items())
