"""Which of `quote`'s options a store's fee table prices on a date, for forms (the web page shows only those):
programmes with a rate card, the apparel and dangerous-goods cards, SIPP (a packaging fee it waives), the Individual
plan, the seller countries the Digital Services Fee names, and the storage-type inputs; and Amazon's product-group
names the store maps to its categories.  Read from the table in force; an option the table names but cannot price
(NOT FOUND) is still offered, and its quote says unavailable.
"""

from __future__ import annotations

import datetime as dt

from .engine import compiled_table
from .inputs import as_date
from .marketplaces import marketplace as marketplace_info
from .spec import ITEM_FIELDS, PLANS
from .tables import table_for
from .tables.groups import product_groups
from .tables.schema import PROGRAM_NAMES


def store_options(marketplace: str = "US", on=None) -> dict:
    """The table in force on `on` (default today) for `marketplace`, its units and the options it prices."""
    day: dt.date = as_date(on)
    code = marketplace.upper()
    table = table_for(code, day)
    data = table.data
    cards = data.get("fulfillment_cards") or []
    named = {str(c.get("program") or "standard") for c in cards}
    countries = {str(c).upper() for rule in data.get("digital_services_fee") or [] for c in
                 rule.get("seller_countries") or [] if c != "*"}
    market = marketplace_info(code)
    return {
        "marketplace": code, "date": day.isoformat(), "currency": data["currency"],
        "locale": market.locale if market else "en_US",
        "table": {"id": table.id, "title": data["title"], "effective_from": str(table.effective_from),
                  "effective_to": str(table.effective_to), "sha256": table.sha256},
        "units": {"length": data["units"]["length"], "weight": data["units"]["weight"]},
        "options": {
            "programs": [p for p in PROGRAM_NAMES if p == "standard" or p in named],
            "apparel": any(c.get("apparel") for c in cards) or bool(data.get("apparel_fee_category")),
            "dangerous_goods": any(c.get("dangerous_goods") for c in cards),
            "sipp": bool(data.get("packaging_fees")) or any(data[k] for k in data if "sipp" in k),
            "plans": [p for p in PLANS if p == "professional" or data.get("per_item_fee")],
            "seller_countries": sorted(countries | {code}),
            "age_days": bool(data.get("aged_inventory")),
            "utilization_weeks": bool(data.get("storage_utilization")),
        },
        "fields": [{"name": f.name, "kind": f.kind, "description": f.description, "required": f.required,
                    "default": f.default, "choices": list(f.choices) if f.choices else None}
                   for f in ITEM_FIELDS],
        "product_groups": groups_in_force(code, set(compiled_table(table).frame.categories.keys)),
    }


def groups_in_force(marketplace: str, categories: set[str]) -> list[dict]:
    """Amazon's product-group names the store's product-groups file maps (`feecalc.tables.groups`), each with the
    category it stands for or its candidates, limited to those the table in force has; whether it is feecalc's own
    reading (a quote through it warns) or a source's."""
    groups = product_groups(marketplace)
    if groups is None:
        return []
    out: list[dict] = []
    for group in {id(g): g for g in groups.groups.values()}.values():  # each group once, whatever its names
        candidates = [c for c in group.candidates if c in categories]
        if (group.category is not None and group.category not in categories) or (group.candidates and not candidates):
            continue
        out.extend({"name": name, "category": group.category, "candidates": candidates,
                    "own_reading": group.own_reading} for name in group.names)
    return out
