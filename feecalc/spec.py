"""What an item is: every input of `quote` (and of a spreadsheet row, an API request), with its kind, default,
choices and meaning.  The one list that the validator (`inputs`), the spreadsheet reader (`columns`), the command
line and the HTTP API's request schemas are built from.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .tables.schema import INBOUND_POINTS, PLACEMENTS, PROGRAM_NAMES

PLANS = ("professional", "individual")
TRUE = frozenset({"true", "yes", "y", "1", "t"})
FALSE = frozenset({"false", "no", "n", "0", "f", ""})
MAX_AGE_DAYS = 100_000  # a bound that keeps ages inside int64


@dataclass(frozen=True)
class Field:
    """One input: `kind` names its parser (money, positive, text, length_unit, weight_unit, flag, tristate (a flag
    that may be left out), plan, program, choice (one of `choices`, or not given), age, weeks, days (a number of
    days, or not given), days_of_supply (the same, or a pair in `quote` and the API), share (0.12 or '12%', or not
    given), country, marketplace, date)."""

    name: str
    kind: str
    description: str
    required: bool = False
    default: Any = None
    choices: tuple[str, ...] | None = None
    example: Any = None


ITEM_FIELDS: tuple[Field, ...] = (  # in the order their values are checked (and errors listed)
    Field("price", "money", "item price in the store's currency (VAT-inclusive where the store has VAT)", True,
          example="24.99"),
    Field("shipping", "money", "shipping the buyer pays (part of the referral fee's total sales price)", default=0),
    Field("gift_wrap", "money", "gift wrap the buyer pays", default=0),
    Field("length", "positive", "one side of the item as packaged (any order)", True, example=10),
    Field("width", "positive", "another side", True, example=6),
    Field("height", "positive", "the third side", True, example=3),
    Field("weight", "positive", "unit weight as packaged", True, example=1.2),
    Field("dimension_unit", "length_unit", "in, cm, mm, m or ft (default: the fee table's own)", example="in"),
    Field("weight_unit", "weight_unit", "lb, oz, kg or g (default: the fee table's own)", example="lb"),
    Field("category", "text", "referral category: a key such as home_and_kitchen or Amazon's name", True,
          example="home_and_kitchen"),
    Field("apparel", "tristate", "priced on the apparel card (default: inferred from the category, as Amazon's fee "
          "category: Clothing & Accessories is apparel in the US)"),
    Field("dangerous_goods", "flag", "dangerous goods (hazmat)", default=False),
    Field("sipp", "flag", "ships in its own product packaging: no packaging fee", default=False),
    Field("plan", "plan", "selling plan", default="professional", choices=PLANS),
    Field("program", "program", "fulfilment programme: standard (local stock), cep (DE), efn, efn_cep (from another "
          "EU country's stock; efn: from DE stock without CEP), remote_fulfillment (across the UK/EU border), pan_eu, "
          "pan_eu_cep (Pan-EU stock in another EU country; pan_eu: from DE stock without CEP)", default="standard",
          choices=PROGRAM_NAMES),
    Field("age_days", "age", "days the unit has been in inventory (aged-inventory surcharge)", default=0),
    Field("utilization_weeks", "weeks", "the seller's storage utilization ratio in weeks (US surcharge)"),
    Field("seller_country", "country", "where the seller is established, two letters (Digital Services Fee; "
          "default: the marketplace's own country)", example="UK"),
    Field("placement", "choice", "inbound placement option: minimal, partial or optimized shipment splits (inbound "
          "placement fee; default: not assessed)", choices=PLACEMENTS, example="minimal"),
    Field("inbound_point", "choice", "where in Amazon's published inbound placement range to take the fee: high (an "
          "upper bound) or low (a lower bound)", default="high", choices=INBOUND_POINTS),
    Field("days_of_supply", "days_of_supply", "historical days of supply: one number for both Amazon's short-term "
          "(30-day) and long-term (90-day) figures, or the two as [short, long] (low-inventory-level fee; default: "
          "not assessed)", example=10),
    Field("days_of_supply_short", "days", "short-term (30-day) historical days of supply, with days_of_supply_long"),
    Field("days_of_supply_long", "days", "long-term (90-day) historical days of supply, with days_of_supply_short"),
    Field("new_seller", "flag", "low-inventory-level fee exemption: a new Professional seller, within 365 days of "
          "its first FBA inventory", default=False),
    Field("new_to_fba", "flag", "low-inventory-level fee exemption: a parent product new to FBA, within 180 days, "
          "enrolled in FBA New Selection", default=False),
    Field("low_sales_7_days", "flag", "low-inventory-level fee exemption: fewer than 20 units sold in the last 7 days",
          default=False),
    Field("awd_replenished", "flag", "low-inventory-level fee exemption: 70% or more of the inventory "
          "auto-replenished through AWD over the last 90 days", default=False),
    Field("return_rate", "share", "share of the units shipped that are returned, 0.12 or '12%' (returns processing "
          "fee; default: not assessed)", example="0.12"),
    Field("pan_eu_unit", "flag", "a Pan-European FBA unit sold from this store's own stock (the low-inventory-level "
          "cost coverage fee of DE, FR, IT and ES is a Pan-EU fee; the programmes pan_eu and pan_eu_cep imply it)",
          default=False),
)
CONTEXT_FIELDS: tuple[Field, ...] = (
    Field("marketplace", "marketplace", "store code such as US, UK, DE, FR, JP (default: US; the stores with fee "
          "tables: feecalc.marketplaces.quotable(), GET /v1/marketplaces)", example="US"),
    Field("date", "date", "date of the fees, ISO (default: today)", example="2026-05-01"),
)
FIELDS = {f.name: f for f in (*ITEM_FIELDS, *CONTEXT_FIELDS)}
REQUIRED = tuple(f.name for f in ITEM_FIELDS if f.required)
DEFAULTS = {f.name: f.default for f in ITEM_FIELDS if not f.required}
OPTIONAL = (*DEFAULTS, *(f.name for f in CONTEXT_FIELDS))
INPUTS = (*REQUIRED, *OPTIONAL)
NUMERIC = tuple(f.name for f in ITEM_FIELDS if f.kind in ("money", "positive", "age", "weeks", "days", "days_of_supply",
                                                          "share"))


def is_blank(value: Any) -> bool:
    """A cell that is not given: None, NaN, pd.NA, NaT or an empty string (every reader and writer uses this)."""
    return value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and value != value) or \
        (isinstance(value, str) and value == "") or (isinstance(value, np.datetime64) and bool(np.isnat(value)))
