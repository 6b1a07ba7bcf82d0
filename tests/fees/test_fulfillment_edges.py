"""Every weight-band edge of every shipped US table: the edge itself and the smallest step above it.

Cases are generated from the TOML data (not from the compiled arrays): for each card that the
table can select, each standard-size band is tested exactly on its upper edge (given in ounces
and in grams, so both conversions must land exactly on it) and 0.01 oz above.
"""

import re
from decimal import Decimal as D
from fractions import Fraction

import pytest
from quotes import ON, uk_de

import feecalc
from feecalc.engine import compiled_table
from feecalc.fees.base import PROGRAMS
from feecalc.tables import all_tables, table_for
from feecalc.units import quantity_in

PRICE = {"low": "5.00", "mid": "20.00", "high": "60.00", "standard": "20.00"}
DIMS = {"small_standard": (10, 8, 0.5), "large_standard": (16, 1, 1)}  # dim weight below every tested edge
GRAMS_PER_OZ = Fraction(45359237, 1600000)


def _cases():
    for info in all_tables():
        c = compiled_table(info)
        cards, bands = c.fulfillment, c.fulfillment.price_bands.names
        seen = set()
        everything_else = c.frame.categories.lookup["everything_else"]
        for p, start in enumerate(c.frame.periods.starts):
            for apparel in (0, 1):
                for dg in (0, 1):
                    for b, band in enumerate(bands):
                        for tier in DIMS:
                            if tier not in c.tier_names:
                                continue
                            k = cards.card_for(p, apparel, dg, PROGRAMS.index("standard"), b, everything_else,
                                           c.tier_names.index(tier))
                            if k is None or (k, band, tier) in seen:
                                continue
                            seen.add((k, band, tier))
                            card = info.data["fulfillment_cards"][k]
                            columns = card["price_bands"] or bands
                            rows = card["tiers"].get(tier) or []
                            for j, row in enumerate(rows):
                                if row["upto"] is None:
                                    continue
                                nxt = rows[j + 1] if j + 1 < len(rows) else None
                                yield pytest.param(
                                    info.id, start.isoformat(), bool(apparel), bool(dg), PRICE[band], tier,
                                    row, nxt, columns.index(band),
                                    id=f"{info.id}-{card['name']}-{band}-{tier}-{row['upto']}")


def _fee(row, col):
    if row is None or row["fee"] is None:
        return None
    figs = row["fee"]
    return figs[col if len(figs) > 1 else 0]["value"]


def _quote(on, apparel, dg, price, tier, weight, unit):
    length, width, height = DIMS[tier]
    return feecalc.quote(on=on, price=price, length=length, width=width, height=height, weight=weight,
                         weight_unit=unit, category="everything_else", apparel=apparel, dangerous_goods=dg)


@pytest.mark.parametrize("table, on, apparel, dg, price, tier, row, nxt, col", list(_cases()))
def test_weight_band_edge(table, on, apparel, dg, price, tier, row, nxt, col):
    edge_oz = quantity_in(row["upto"], "oz")
    at_edge = [_quote(on, apparel, dg, price, tier, str(D(edge_oz.numerator) / D(edge_oz.denominator)), "oz"),
               _quote(on, apparel, dg, price, tier, str(D((edge_oz * GRAMS_PER_OZ).numerator) /
                                                        D((edge_oz * GRAMS_PER_OZ).denominator)), "g")]
    above = _quote(on, apparel, dg, price, tier, str(D(edge_oz.numerator) / D(edge_oz.denominator) + D("0.01")),
                   "oz")
    for r in at_edge:
        assert r.table_id == table and r.size_tier == tier
        assert r.fees.get("fulfillment") == _fee(row, col), r.explain()
    if nxt is not None and above.size_tier == tier:
        assert above.fees.get("fulfillment", None) == (
            _fee(nxt, col) if _fee(nxt, col) is None or nxt.get("step") is None
            else _fee(nxt, col) + nxt["step"]["fee"]["value"]), above.explain()


def test_case_count_covers_every_table():
    ids = {p.values[0] for p in _cases()}
    assert ids == {"us-2023", "us-2024", "us-2025", "us-2026"}


@pytest.mark.parametrize("weight, steps", [("3.5", 2), ("3.5000001", 3), ("3.25", 1), ("20", 68)])
def test_per_4_oz_steps_count_any_part_of_a_step(weight, steps):
    r = feecalc.quote(on="2025-03-01", price="20", length=16, width=1, height=1, weight=weight,
                      category="everything_else")
    assert r.fees["fulfillment"] == D("6.92") + steps * D("0.08")


@pytest.mark.parametrize("dims, unit, tier", [
    ((15, 12, 0.75), "in", "small_standard"),
    (("38.1", "30.48", "1.905"), "cm", "small_standard"),
    (("381", "304.8", "19.05"), "mm", "small_standard"),
    (("38.1001", "30.48", "1.905"), "cm", "large_standard"),
    ((15, 12, "0.7501"), "in", "large_standard"),
    ((18, 14, 8), "in", "large_standard"),
    (("45.72", "35.56", "20.32"), "cm", "large_standard"),
    ((59, 33, 2), "in", "large_bulky"),
    ((59, 33, "2.5"), "in", "large_bulky"),  # length + girth exactly 130 in
    ((59, 33, "2.51"), "in", "extra_large_0_50"),
    (("59.01", 10, 2), "in", "extra_large_0_50"),
])
def test_dimension_edges_2025_in_any_unit(dims, unit, tier):
    length, width, height = dims
    r = feecalc.quote(on="2025-03-01", price="20", length=length, width=width, height=height,
                      dimension_unit=unit, weight="0.5", category="everything_else")
    assert r.size_tier == tier


@pytest.mark.parametrize("dims, tier", [
    ((37, 28, 2), "small_bulky"),           # on the 37 x 28 in limits (dimensional weight 14.9 lb)
    ((37, "28.01", 2), "large_bulky"),
    (("37.01", 28, 2), "large_bulky"),
    ((59, 33, "2.5"), "large_bulky"),       # length + girth exactly 130 in
    ((59, 33, "2.51"), "extra_large_0_50"),
])
def test_2026_bulky_edges(dims, tier):
    length, width, height = dims
    r = feecalc.quote(on="2026-03-01", price="20", length=length, width=width, height=height, weight=40,
                      category="everything_else")
    assert r.size_tier == tier


def test_grams_on_the_pound_edge():
    r = feecalc.quote(on="2025-03-01", price="20", length=16, width=1, height=1, weight="453.59237",
                      weight_unit="g", category="everything_else")
    assert r.shipping_weight == D("1.000000") and r.fees["fulfillment"] == D("4.55")
    r = feecalc.quote(on="2025-03-01", price="20", length=16, width=1, height=1, weight="0.45359237",
                      weight_unit="kg", category="everything_else")
    assert r.fees["fulfillment"] == D("4.55")


def test_dimensional_weight_exactly_on_an_edge():
    # 13.9 x 10 x 1 in = 139 in3: dimensional weight exactly 1 lb, billed in the 12+ to 16 oz band
    r = feecalc.quote(on="2025-03-01", price="20", length="13.9", width=10, height=1, weight="0.5",
                      category="everything_else")
    assert r.size_tier == "large_standard"
    assert (r.dimensional_weight, r.fees["fulfillment"]) == (D("1.000000"), D("4.55"))


# ---- UK and DE ------------------------------------------------------------------------------------------


# dimensions (cm) inside each tier with a dimensional weight below every band edge tested
METRIC_DIMS = {"light_envelope": (30, 20, 2), "standard_envelope": (30, 20, 2), "large_envelope": (30, 20, 3.5),
        "extra_large_envelope": (30, 20, 5), "small_parcel": (34, 10, 2), "standard_parcel": (36, 10, 2)}


# the standard card of every shipped UK and DE table, with a date it is in force
STANDARD = [("UK", "2025-05-01", "UK 2025 standard"), ("UK", ON, "UK 2026 standard"),
            ("DE", "2025-05-01", "DE 2025 standard, DE only"), ("DE", ON, "DE 2026 standard, DE only")]


def _edge_cases():
    for market, on, name in STANDARD:
        info = table_for(market, feecalc.inputs.as_date(on))
        card = next(k for k in info.data["fulfillment_cards"] if k["name"] == name)
        for tier, rows in card["tiers"].items():
            if tier not in METRIC_DIMS:
                continue
            for j, row in enumerate(rows):
                nxt = rows[j + 1] if j + 1 < len(rows) else None
                yield pytest.param(market, on, tier, row, nxt, id=f"{info.id}-{tier}-{row['upto']}")


def grams(text: str) -> D:
    value, unit = re.match(r"([\d.]+) (g|kg)", text).groups()
    return D(value) * (1000 if unit == "kg" else 1)


@pytest.mark.parametrize("market, on, tier, row, nxt", list(_edge_cases()))
def test_standard_card_band_edges(market, on, tier, row, nxt):
    edge = grams(row["upto"])
    for program, minus in (("standard", D(0)), ("cep", D("0.26"))):
        if market == "UK" and program == "cep":
            continue
        at = uk_de(market, price="30.00", dims=METRIC_DIMS[tier], weight=str(edge), program=program, on=on)
        assert at.size_tier == tier
        assert at.fees["fulfillment"] == row["fee"][0]["value"] - minus, at.explain()
        above = uk_de(market, price="30.00", dims=METRIC_DIMS[tier], weight=str(edge + D("0.01")), program=program,
                      on=on)
        if nxt is not None and above.size_tier == tier:
            assert above.fees["fulfillment"] == nxt["fee"][0]["value"] - minus, above.explain()

