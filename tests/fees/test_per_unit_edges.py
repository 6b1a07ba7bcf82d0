"""Every edge of every new per-unit fee, generated from the TOML data of every shipped table (as
tests/fees/test_fulfillment_edges.py does for the fulfilment cards): each weight band exactly on its upper edge (given
in ounces or grams) and 0.01 oz / 1 g above; each days-of-supply limit and just below; each return-rate threshold
and just above; the overmax limits; the removal fees' per-lb steps.  The expected amounts are read from the tables'
rows, not from the compiled arrays."""

from decimal import Decimal as D
from fractions import Fraction

import pytest
from tier_items import quote_item, shape_for

from feecalc.tables import all_tables
from feecalc.units import quantity_in

US_WEIGHTS = ("8 oz", "2 lb", "10 lb", "30 lb", "60 lb", "100 lb", "200 lb")
EU_WEIGHTS = ("50 g", "300 g", "500 g", "1000 g", "5000 g", "16000 g", "25000 g", "35000 g")


def _text(fraction: Fraction) -> str:
    return str(D(fraction.numerator) / D(fraction.denominator))


def _edge(upto: str, market: str) -> tuple[list[tuple[str, str]], tuple[str, str]]:
    """([(weight, unit) exactly on the edge], (weight, unit) just above it): ounces and grams in the US, grams in
    Europe."""
    if market == "US":
        oz = quantity_in(upto, "oz")
        grams = oz * Fraction(45359237, 1600000)
        return [(_text(oz), "oz"), (_text(grams), "g")], (_text(oz + Fraction(1, 100)), "oz")
    grams = quantity_in(upto, "g")
    return [(_text(grams), "g")], (_text(grams + 1), "g")


def _start(info, item: dict) -> str:
    return str(item.get("start") or info.effective_from)


def _item(info, on: str, tier: str, weight: str, unit: str):
    found = shape_for(info.marketplace, on, tier, weight, unit)
    return None if found is None else found


def _weights(market: str):
    for text in US_WEIGHTS if market == "US" else EU_WEIGHTS:
        value, unit = text.split()
        yield value, unit


def _any_weight(info, on: str, tier: str):
    """A (weight, unit, shape, category) at which the tier can be quoted on `on` with its unit weight billed."""
    for weight, unit in _weights(info.marketplace):
        found = _item(info, on, tier, weight, unit)
        if found:
            return weight, unit, *found
    return None


# ---- inbound placement ----------------------------------------------------------------------------------------
def _placement_cases():
    for info in all_tables():
        for v, ver in enumerate(info.data["inbound_placement"]):
            for option in ("minimal", "partial", "optimized"):
                for tier, rows in ((ver[option] or {}).get("tiers") or {}).items():
                    for j, row in enumerate(rows):
                        if row["upto"]:
                            yield pytest.param(info.id, _start(info, ver), option, tier, rows, j,
                                               id=f"{info.id}-{v}-{option}-{tier}-{row['upto']}")


def _range_of(row) -> dict:
    if row["unavailable"]:
        return {"high": None, "low": None}
    if row["fee"] is not None:
        return {"high": row["fee"]["value"], "low": row["fee"]["value"]}
    return {"high": row["high"]["value"], "low": row["low"]["value"] if row["low"] else None}


@pytest.mark.parametrize("table, on, option, tier, rows, j", list(_placement_cases()))
def test_inbound_placement_band_edges(table, on, option, tier, rows, j):
    info = next(t for t in all_tables() if t.id == table)
    at, above = _edge(rows[j]["upto"], info.marketplace)
    for (weight, unit), row in [*[(w, rows[j]) for w in at], (above, rows[j + 1] if j + 1 < len(rows) else None)]:
        found = _item(info, on, tier, weight, unit)
        if found is None or row is None:
            continue
        for point in ("high", "low"):
            q = quote_item(info.marketplace, on, *found[:1], weight, unit, found[1], placement=option,
                           inbound_point=point)
            assert (q.table_id, q.size_tier) == (table, tier)
            expected = _range_of(row)[point]
            if expected is None:
                assert "inbound_placement" in q.unavailable, q.explain()
            else:
                assert q.fees["inbound_placement"] == expected, q.explain()


# ---- low-inventory-level fee ----------------------------------------------------------------------------------
def _lil_cases():
    for info in all_tables():
        for v, ver in enumerate(info.data["low_inventory_level"]):
            for tier, rows in ver["tiers"].items():
                yield pytest.param(info.id, _start(info, ver), ver, tier, rows, id=f"{info.id}-{v}-{tier}")


def _lil_row(info, rows, weight: str, unit: str):
    w = quantity_in(f"{weight} {unit}", info.data["units"]["weight"])
    return next(r for r in rows if r["upto"] is None or w <= quantity_in(r["upto"], info.data["units"]["weight"]))


@pytest.mark.parametrize("table, on, ver, tier, rows", list(_lil_cases()))
def test_low_inventory_days_and_weight_edges(table, on, ver, tier, rows):
    info = next(t for t in all_tables() if t.id == table)
    extra = {"pan_eu_unit": True} if ver["pan_eu_only"] else {}
    extra["price"] = "30.00"  # above every low-price band (FR/IT/ES price 20.00 on the Low-Price FBA card, exempt)
    chosen = _any_weight(info, on, tier)
    assert chosen is not None, f"no {tier} item on {on}"
    weight, unit, shape, category = chosen
    limits = ver["days_below"]
    for b, limit in enumerate(limits):
        for days, band in ((D(limit) - D("0.01"), b), (D(limit), b + 1)):
            q = quote_item(info.marketplace, on, shape, weight, unit, category, days_of_supply=str(days), **extra)
            assert q.size_tier == tier
            fee = _lil_row(info, rows, weight, unit)["fee"]
            assert q.fees["low_inventory_level"] == (fee[band]["value"] if band < len(limits) else 0), q.explain()
    for j, row in enumerate(rows):  # weight edges, in the first days band
        if not row["upto"]:
            continue
        at, above = _edge(row["upto"], info.marketplace)
        for (w, u), expect in [*[(x, row) for x in at], (above, rows[j + 1])]:
            found = _item(info, on, tier, w, u)
            if found is None:
                continue
            q = quote_item(info.marketplace, on, found[0], w, u, found[1], days_of_supply=0, **extra)
            assert q.fees["low_inventory_level"] == expect["fee"][0]["value"], q.explain()


# ---- returns processing: each threshold and just above it --------------------------------------------------------
def _threshold_cases():
    for info in all_tables():
        for v, ver in enumerate(info.data["returns_processing"]):
            for th in ver["thresholds"]:
                yield pytest.param(info.id, _start(info, ver), th, id=f"{info.id}-{v}-{th['category']}")


@pytest.mark.parametrize("table, on, th", list(_threshold_cases()))
def test_returns_processing_threshold_edges(table, on, th):
    info = next(t for t in all_tables() if t.id == table)
    share = D(th["rate"].rstrip("%")) / 100
    base = dict(on=on, price="20", length=10, width=6, height=3, weight=1, category=th["category"])
    import feecalc

    at = feecalc.quote(info.marketplace, return_rate=str(share), **base)
    above = feecalc.quote(info.marketplace, return_rate=str(share + D("0.000001")), **base)
    assert at.fees["returns_processing"] == 0 and "returns_processing" not in at.unavailable, at.explain()
    assert "per-unit rate" in above.unavailable["returns_processing"]


# ---- removal and disposal orders ----------------------------------------------------------------------------------
def _removal_cases():
    for info in all_tables():
        for v, ver in enumerate(info.data["removal_orders"]):
            for tier, rows in ver["tiers"].items():
                for j, row in enumerate(rows):
                    if row["upto"] or row["step"]:
                        yield pytest.param(info.id, _start(info, ver), tier, rows, j,
                                           id=f"{info.id}-{v}-{tier}-{row['upto'] or 'steps'}")


def _removal_fee(info, row, weight: str, unit: str) -> D:
    fee = row["fee"][0]["value"]
    if row["step"]:
        w = quantity_in(f"{weight} {unit}", "lb")
        above = quantity_in(row["step"]["above"], "lb")
        every = quantity_in(row["step"]["every"], "lb")
        steps = max(0, -((above - w) // every))  # a step counts as soon as any part of it is used
        fee += steps * row["step"]["fee"]["value"]
    return fee


@pytest.mark.parametrize("table, on, tier, rows, j", list(_removal_cases()))
def test_removal_band_and_step_edges(table, on, tier, rows, j):
    info = next(t for t in all_tables() if t.id == table)
    row = rows[j]
    if row["upto"]:
        at, above = _edge(row["upto"], info.marketplace)
        cases = [*[(w, row) for w in at], (above, rows[j + 1])]
    else:  # the steps: exactly one step, and a hair into the second
        base = quantity_in(row["step"]["above"], "oz") + quantity_in(row["step"]["every"], "oz")
        cases = [((_text(base), "oz"), row), ((_text(base + Fraction(1, 100)), "oz"), row)]
    for (weight, unit), expect in cases:
        found = _item(info, on, tier, weight, unit)
        if found is None:
            continue
        q = quote_item(info.marketplace, on, found[0], weight, unit, found[1])
        assert q.fees["removal_disposal"] == _removal_fee(info, expect, weight, unit), q.explain()


# ---- SIPP discounts: each band edge of each entry, on a card the entry names ------------------------------------
def _sipp_cases():
    for info in all_tables():
        for e, entry in enumerate(info.data["sipp_discounts"]):
            for tier, rows in entry["tiers"].items():
                for j, row in enumerate(rows):
                    if row["upto"]:
                        yield pytest.param(info.id, entry, tier, rows, j, id=f"{info.id}-{e}-{tier}-{row['upto']}")


def _on_card(info, entry, shape, weight, unit, category):
    """A quote whose fulfilment fee comes from a card the entry names (price band, apparel and date tried)."""
    for on in (str(info.effective_from), "2026-05-01"):
        for price in ("20.00", "5.00", "60.00"):
            for apparel in (False, True):
                try:
                    q = quote_item(info.marketplace, on, shape, weight, unit, category, price=price, apparel=apparel,
                                   sipp=True)
                except Exception:
                    continue
                text = q.lines["fulfillment"].split(": ", 1)[-1]
                if any(text.startswith(f"{card}, ") for card in entry["cards"] or ()):
                    return q
    return None


@pytest.mark.parametrize("table, entry, tier, rows, j", list(_sipp_cases()))
def test_sipp_discount_band_edges(table, entry, tier, rows, j):
    info = next(t for t in all_tables() if t.id == table)
    at, above = _edge(rows[j]["upto"], info.marketplace)
    checked = 0
    for (weight, unit), row in [*[(w, rows[j]) for w in at], (above, rows[j + 1])]:
        found = shape_for(info.marketplace, str(info.effective_from), tier, weight, unit)
        q = found and _on_card(info, entry, found[0], weight, unit, found[1])
        if not q:
            continue
        checked += 1
        if row["fee"] is None:
            assert "sipp_discount" in q.unavailable
        else:
            assert q.fees["sipp_discount"] == -row["fee"][0]["value"], q.explain()
    assert checked, "no quote reached this band"


# ---- overmax: the longest side and length + girth limits, for each tier that pays ------------------------------
def _overmax_cases():
    for info in all_tables():
        for ver in info.data["overmax_handling"]:
            for tier, fig in ver["tiers"].items():
                yield pytest.param(info.id, _start(info, ver), ver, tier, fig["value"], id=f"{info.id}-{tier}")


@pytest.mark.parametrize("table, on, ver, tier, fee", list(_overmax_cases()))
def test_overmax_limits(table, on, ver, tier, fee):
    import feecalc

    weight = {"extra_large_0_50": 30, "extra_large_50_70": 60, "extra_large_70_150": 100}[tier]
    longest = D(ver["longest_over"].split()[0])
    girth = D(ver["length_girth_over"].split()[0])

    def quote(length, width, height):
        return feecalc.quote("US", on, price="80", length=str(length), width=str(width), height=str(height),
                             weight=weight, category="everything_else")

    median = (girth - 60) / 2 - 2  # a flat 60 in item with length + girth on the limit: 60 + 2 x (median + 2)
    cases = [((longest, 2, 2), 0), ((longest + D("0.01"), 2, 2), fee),
             ((60, median, 2), 0), ((60, median + D("0.01"), 2), fee)]
    for dims, expected in cases:
        q = quote(*dims)
        assert q.size_tier == tier, (dims, q.size_tier)
        assert q.fees["overmax_handling"] == expected, q.explain()
