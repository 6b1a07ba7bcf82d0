"""Amazon.co.uk and Amazon.de: band and tier edges, the reference's cards cell by cell, VAT-inclusive referral
fees, the Digital Services Fee, programmes, units and local formats."""

import math
import re
from decimal import Decimal as D

import pytest
from babel.numbers import format_currency
from markdown_reference import reference_path, table_rows

import feecalc
from feecalc.cli import main
from feecalc.engine import compiled_table
from feecalc.tables import table_for

ON = "2026-05-01"
REFERENCE = reference_path("uk-de.md")
# dimensions (cm) inside each tier with a dimensional weight below every band edge tested
DIMS = {"light_envelope": (30, 20, 2), "standard_envelope": (30, 20, 2), "large_envelope": (30, 20, 3.5),
        "extra_large_envelope": (30, 20, 5), "small_parcel": (34, 10, 2), "standard_parcel": (36, 10, 2)}
# the standard card of every shipped UK and DE table, with a date it is in force
STANDARD = [("UK", "2025-05-01", "UK 2025 standard"), ("UK", ON, "UK 2026 standard"),
            ("DE", "2025-05-01", "DE 2025 standard, DE only"), ("DE", ON, "DE 2026 standard, DE only")]


def q(market, price="24.00", dims=(30, 20, 10), weight="1200", category="kitchen", on=ON, **kw):
    length, width, height = dims
    return feecalc.quote(market, on, price=price, length=length, width=width, height=height, dimension_unit="cm",
                         weight=weight, weight_unit="g", category=category, **kw)


def _edge_cases():
    for market, on, name in STANDARD:
        info = table_for(market, feecalc.inputs.as_date(on))
        card = next(k for k in info.data["fulfillment_cards"] if k["name"] == name)
        for tier, rows in card["tiers"].items():
            if tier not in DIMS:
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
        at = q(market, price="30.00", dims=DIMS[tier], weight=str(edge), program=program, on=on)
        assert at.size_tier == tier
        assert at.fees["fulfillment"] == row["fee"][0]["value"] - minus, at.explain()
        above = q(market, price="30.00", dims=DIMS[tier], weight=str(edge + D("0.01")), program=program, on=on)
        if nxt is not None and above.size_tier == tier:
            assert above.fees["fulfillment"] == nxt["fee"][0]["value"] - minus, above.explain()


def reference_rows(heading: str) -> list[list[str]]:
    return table_rows(REFERENCE, heading)


TIER_OF = {"Light envelope": "light_envelope", "Standard envelope": "standard_envelope",
           "Large envelope": "large_envelope", "Extra-large envelope": "extra_large_envelope",
           "Small parcel": "small_parcel", "Standard parcel": "standard_parcel"}


@pytest.mark.skipif(not REFERENCE.exists(), reason="the shared reference is not beside the checkout")
@pytest.mark.parametrize("heading, market, column, program, on", [
    ("### 5.3 UK standard card", "UK", 2, "standard", "2025-05-01"),
    ("### 5.3 UK standard card", "UK", 3, "standard", "2025-11-01"),
    ("### 5.3 UK standard card", "UK", 4, "standard", ON),
    ("### 5.5 DE standard card", "DE", 2, "standard", "2025-05-01"),
    ("### 5.5 DE standard card", "DE", 3, "cep", "2025-05-01"),
    ("### 5.5 DE standard card", "DE", 4, "standard", "2025-11-01"),
    ("### 5.5 DE standard card", "DE", 5, "standard", ON),
    ("### 5.5 DE standard card", "DE", 6, "cep", ON),
])
def test_cards_equal_the_reference_cell_by_cell(heading, market, column, program, on):
    for row in reference_rows(heading):
        tier, band, fee = TIER_OF[row[0]], row[1].lstrip("≤"), D(row[column])
        weight = grams(band.replace("kg", " kg").replace("g", " g").replace("  ", " ").replace("k g", "kg"))
        got = q(market, price="30.00", dims=DIMS[tier], weight=str(weight), program=program, on=on)
        assert (got.size_tier, got.fees["fulfillment"]) == (tier, fee), (row, got.explain())


OVERSIZE_OF = {"Small oversize": ("small_oversize", (50, 40, 30)),
               "Standard oversize light": ("standard_oversize_light", (100, 40, 30)),
               "Standard oversize heavy": ("standard_oversize_heavy", (100, 40, 30)),
               "Standard oversize large": ("standard_oversize_large", (120, 50, 40)),
               "Bulky oversize": ("bulky_oversize", (170, 30, 30)),
               "Heavy oversize": ("heavy_oversize", (170, 30, 30))}


@pytest.mark.skipif(not REFERENCE.exists(), reason="the shared reference is not beside the checkout")
@pytest.mark.parametrize("market, column, program", [
    ("DE", 2, "efn_cep"), ("DE", 3, "efn"), ("DE", 4, "remote_fulfillment"), ("UK", 5, "remote_fulfillment")])
def test_efn_and_remote_cards_equal_the_reference(market, column, program):
    for row in reference_rows("### 5.10 EFN"):
        if row[0] in TIER_OF:
            tier, band, fee = TIER_OF[row[0]], row[1].lstrip("≤"), D(row[column])
            weight = grams(band.replace("kg", " kg").replace("g", " g").replace("  ", " ").replace("k g", "kg"))
            got = q(market, price="30.00", dims=DIMS[tier], weight=str(weight), program=program)
            assert (got.size_tier, got.fees["fulfillment"]) == (tier, fee), (row, got.explain())
            continue
        tier, dims = OVERSIZE_OF[row[0]]
        base, per = (D(x) for x in re.match(r"([\d.]+) \+ ([\d.]+)/kg", row[column]).groups())
        above = grams(re.search(r"≤([\d.]+) kg", row[1]).group(1) + " kg")
        for weight in ("1000", "20000", "31500"):
            got = q(market, price="30.00", dims=dims, weight=weight, program=program)
            if got.size_tier != tier:
                continue
            steps = max(0, math.ceil((got.shipping_weight - above) / 1000))
            assert got.fees["fulfillment"] == base + steps * per, (row, got.explain())
            break
        else:
            pytest.fail(f"no test item for {row[0]}")


def test_efn_and_remote_gaps_and_storage():
    assert "special-oversize fees for EFN from other EU stock, in CEP are NOT FOUND" in \
        q("DE", program="efn_cep", dims=(200, 50, 50), weight="35000").unavailable["fulfillment"]
    assert "a low-price card for remote fulfilment from EU stock is NOT FOUND" in \
        q("UK", program="remote_fulfillment", price="9.00", dims=(30, 20, 3), weight="300").unavailable["fulfillment"]
    assert "2026 holiday peak, if any, is NOT FOUND" in \
        q("DE", program="efn", on="2026-11-01").unavailable["fulfillment"]
    efn_clothing = q("DE", program="efn", category="clothing_and_accessories")  # small parcel 3, 1,200 g
    assert (efn_clothing.size_tier, efn_clothing.fees["fulfillment"]) == ("small_parcel_3", D("8.41") + 11 * D("0.04"))
    remote = q("UK", program="remote_fulfillment")
    assert remote.fees["fulfillment"] == D("4.86") and remote.total is not None
    assert remote.unavailable["storage_monthly"].startswith("under this programme the units are stored in another")
    assert "program efn has no fulfillment rate card in us-2026" in feecalc.quote(
        "US", ON, price="20", length=10, width=8, height=2, weight=1, category="home_and_kitchen", program="efn"
    ).unavailable["fulfillment"]


SELECTED = {"Small parcel 1": "small_parcel_1", "Small parcel 2": "small_parcel_2", "Small parcel 3": "small_parcel_3",
            "Medium parcel 1": "medium_parcel_1", "Medium parcel 2": "medium_parcel_2",
            "Large parcel 1": "large_parcel_1", "Large parcel 2": "large_parcel_2"}


@pytest.mark.skipif(not REFERENCE.exists(), reason="the shared reference is not beside the checkout")
@pytest.mark.parametrize("market, column, program", [("UK", 3, "standard"), ("DE", 4, "standard"), ("DE", 5, "cep")])
def test_selected_categories_card_equals_the_reference(market, column, program):
    rows = reference_rows("### 5.8 Apparel")
    assert len(rows) == 7
    for row in rows:
        dims = tuple(D(x) for x in row[1].split(" × "))
        base, per = (D(x) for x in row[column].split(" + "))
        for grams_, steps in (("100", 0), ("100.01", 1), ("900", 8), ("3900", 38)):
            got = q(market, price="30.00", dims=dims, weight=grams_, category="clothing_and_accessories",
                    program=program)
            assert (got.size_tier, got.fees["fulfillment"]) == (SELECTED[row[0]], base + steps * per), got.explain()


def test_selected_categories_tiers_and_gaps():
    # Amazon's May 2025 example, restated by EU-43: a 900 g backpack, medium parcel 1
    backpack = dict(dims=(38, 28, 5), weight="900", category="rucksacks_and_handbags")
    assert q("UK", **backpack).fees["fulfillment"] == D("3.13")
    assert q("DE", program="cep", **backpack).fees["fulfillment"] == D("3.80")
    # the tiers are open only to their categories; edges are inclusive
    assert q("UK", dims=(35, 25, 7), weight="500", category="footwear").size_tier == "small_parcel_1"
    assert q("UK", dims=(35, 25, "7.01"), weight="500", category="footwear").size_tier == "small_parcel_2"
    assert q("UK", dims=(35, 25, 7), weight="500", category="kitchen").size_tier == "small_parcel"
    assert q("UK", dims=(35, 25, 7), weight="3901", category="footwear").size_tier == "medium_parcel_2"
    assert q("UK", dims=(30, 20, 2), weight="50", category="footwear").size_tier == "light_envelope"
    # low-price: which card applies to a selected-categories small parcel up to 400 g is NOT FOUND
    low = dict(price="12.00", dims=(34, 20, 5), category="clothing_and_accessories")
    assert "Low-Price FBA small-parcel rate or the selected-categories card is NOT FOUND" in \
        q("UK", weight="400", **low).unavailable["fulfillment"]
    assert q("UK", weight="401", **low).fees["fulfillment"] == D("2.83") + 4 * D("0.02")
    assert q("DE", weight="300", dangerous_goods=True, category="clothing_and_accessories", dims=(34, 20, 5))\
        .fees["fulfillment"] == D("3.30") + 2 * D("0.05") + D("0.10")
    assert "2026 holiday peak, if any, is NOT FOUND" in \
        q("UK", on="2026-11-01", **backpack).unavailable["fulfillment"]


@pytest.mark.parametrize("dims, weight, tier", [
    ((33, 23, 2.5), "100", "light_envelope"),
    ((33, 23, 2.5), "100.001", "standard_envelope"),
    ((33, 23, "2.51"), "100", "large_envelope"),
    ((33, 23, 6), "960", "extra_large_envelope"),
    ((33, 23, 6), "960.01", "small_parcel"),
    ((35, 25, 12), "2100", "small_parcel"),          # dimensional weight exactly 2.10 kg
    ((35, 25, "12.01"), "2100", "standard_parcel"),
    ((45, 34, 26), "7960", "standard_parcel"),       # 39,780 cm3 / 5 = 7,956 g
    ((61, 46, 46), "1760", "small_oversize"),
    ((61, 46, 46), "1760.01", "standard_oversize_light"),
    ((101, 60, 60), "15000", "standard_oversize_light"),
    ((101, 60, 60), "15000.01", "standard_oversize_heavy"),
    ((120, 60, 60), "23000", "standard_oversize_large"),
    ((175, 30, 30), "23000", "bulky_oversize"),
    ((175, 30, 30), "31500", "heavy_oversize"),
    ((175.01, 30, 30), "1000", "special_oversize"),
])
def test_tier_edges_in_centimetres_and_grams(dims, weight, tier):
    assert q("DE", dims=dims, weight=weight).size_tier == tier
    assert q("UK", dims=dims, weight=weight).size_tier == tier


def test_inches_and_pounds_cost_the_same_as_their_metric_equivalent():
    metric = q("DE", dims=("30.48", "20.32", "10.16"), weight="453.59237")
    imperial = feecalc.quote("DE", ON, price="24.00", length=12, width=8, height=4, dimension_unit="in", weight=1,
                             weight_unit="lb", category="kitchen")
    assert (imperial.size_tier, imperial.fees) == (metric.size_tier, metric.fees)
    assert imperial.shipping_weight == D("1258.526515")  # dimensional: 6,292.63 cm3 / 5


@pytest.mark.parametrize("market, category, price, fee", [
    ("UK", "kitchen", "24.00", "3.60"),                     # uk-de.md 1: 15% of the VAT-inclusive GBP 24.00
    ("UK", "clothing_and_accessories", "14.99", "0.75"),    # whole price: 5% up to GBP 15
    ("UK", "clothing_and_accessories", "20.00", "2.00"),    # 10% up to GBP 20
    ("UK", "clothing_and_accessories", "20.01", "3.00"),    # 15% of the whole price above
    ("UK", "furniture", "300", "38.75"),                    # 15% of 175 + 10% of 125
    ("DE", "furniture", "300", "40.00"),                    # 15% of 200 + 10% of 100 (EUR thresholds)
    ("UK", "jewellery", "300", "48.75"),                    # 20% of 225 + 5% of 75
    ("UK", "Jewelry", "300", "48.75"),                      # the US spelling is an alias
    ("UK", "kitchen", "1.50", "0.25"),                      # minimum GBP 0.25
    ("DE", "kitchen", "1.50", "0.30"),                      # minimum EUR 0.30
])
def test_referral_on_the_vat_inclusive_price(market, category, price, fee):
    assert q(market, price=price, category=category).fees["referral"] == D(fee)


def test_vat_contained_in_the_price():
    assert q("UK", price="24.00").vat_in_price == D("4.00")      # 24 x 20/120
    assert q("DE", price="23.80").vat_in_price == D("3.80")      # 23.80 x 19/119
    assert feecalc.quote("US", ON, price="24", length=10, width=6, height=3, weight=1,
                         category="toys_and_games").vat_in_price is None


def test_digital_services_fee_by_seller_country():
    uk_seller = q("UK")
    assert uk_seller.fees["digital_services_fee"] == D("0.13")  # 2% of 3.60 -> 0.07 + 2% of 3.05 -> 0.06
    assert q("UK", seller_country="US").fees["digital_services_fee"] == D("0.13")
    assert q("UK", seller_country="FR").fees["digital_services_fee"] == D("0.20")  # 3%: 0.108 -> 0.11, 0.0915 -> 0.09
    assert q("DE").fees["digital_services_fee"] == D("0.00")                      # DE-established: none in DE
    assert q("DE", seller_country="GB").fees["digital_services_fee"] == D("0.14")  # 2% of 3.60, 2% of 3.41
    # Amazon's example: a UK-established seller, $15 item in the US store: 2% x $2.25 = $0.05
    us = feecalc.quote("US", ON, price="15", length=8, width=5, height="0.5", weight=5, weight_unit="oz",
                       category="toys_and_games", seller_country="UK")
    assert us.fees["digital_services_fee"] == D("0.05") + (us.fees["fulfillment"] * D("0.02")).quantize(D("0.01"))
    assert feecalc.quote("US", ON, price="15", length=8, width=5, height="0.5", weight=5, weight_unit="oz",
                         category="toys_and_games").fees["digital_services_fee"] == D("0.00")


def test_dangerous_goods_card_chained_through_cep():
    # DE 2026 dangerous goods, CEP = (DE only - 0.26) + 0.10, through two rows_from cards
    assert q("DE", program="cep", dangerous_goods=True).fees["fulfillment"] == D("3.15") + D("0.10")
    backpack = dict(dims=(38, 28, 5), weight="900", category="rucksacks_and_handbags")
    assert q("DE", program="cep", dangerous_goods=True, **backpack).fees["fulfillment"] == D("3.80") + D("0.10")


def test_programmes_and_unavailable_figures():
    assert q("DE", program="cep").fees["fulfillment"] == q("DE").fees["fulfillment"] - D("0.26")
    special = dict(dims=(200, 50, 50), weight="35000", category="furniture", price="100")
    assert q("DE", program="cep", **special).fees["fulfillment"] == q("DE", **special).fees["fulfillment"] == \
        D("24.19")
    assert "restricted categories (capped at EUR 11) is NOT FOUND" in \
        q("DE", price="15.00", dims=(30, 20, 3), weight="300").unavailable["fulfillment"]
    assert q("DE", price="11.00", dims=(30, 20, 3), weight="300").fees["fulfillment"] == D("2.65")
    assert q("UK", price="12.00", dims=(30, 20, 3), weight="300", category="toys_and_games").fees["fulfillment"] == \
        D("2.42")
    assert q("UK", category="clothing_and_accessories").fees["fulfillment"] == D("2.91") + 11 * D("0.02")
    assert "2026 holiday peak, if any, is NOT FOUND" in q("UK", on="2026-11-01").unavailable["fulfillment"]
    assert q("UK", on="2026-11-01", dims=(30, 20, 2), weight="50").fees["fulfillment"] == D("1.89")
    assert "DE media closing fee for 2025-26 is NOT FOUND" in q("DE", category="books").unavailable["closing"]
    assert q("UK", category="books").fees["closing"] == D("0.50")
    with pytest.raises(feecalc.NoFeeTable, match=r"^date: no UK fee table covers 2025-01-14"):
        q("UK", on="2025-01-14")


def test_uk_2025_history_and_its_gaps():
    parcel = dict(dims=(40, 20, 10), weight="2500")      # standard parcel, 2.9 kg band
    assert q("UK", on="2025-05-01", **parcel).fees["fulfillment"] == D("4.73")
    peak = q("UK", on="2025-10-15", **parcel)
    assert peak.fees["fulfillment"] == D("4.87")          # peak from its first day
    assert any(w.startswith("from 2025-10-15 a third party reports parcel fees on unit weight") for w in peak.warnings)
    assert "how the cut combined with the peak is NOT FOUND" in \
        q("UK", on="2025-12-15", **parcel).unavailable["fulfillment"]
    derived = q("UK", on="2026-01-15", **parcel)
    assert derived.fees["fulfillment"] == D("3.49") and any("DERIVED" in w for w in derived.warnings)
    oversize = dict(dims=(70, 30, 20), weight="5000")   # standard oversize light
    assert q("UK", on="2026-01-10", **oversize).fees["fulfillment"] == D("6.59")  # 8.4 kg dim. weight: 4.67 + 8 x 0.24
    assert "the exact date is NOT FOUND" in q("UK", on="2026-01-20", **oversize).unavailable["fulfillment"]
    assert (q("UK", on="2026-01-31").table_id, q("UK", on="2026-02-01").table_id) == ("uk-2025", "uk-2026")
    # clothing: 8% up to GBP 15 until 2025-12-14, then 5% / 10% / 15% by whole price
    assert q("UK", on="2025-12-14", price="15.00", category="clothing_and_accessories",
             dims=(30, 20, 2), weight="50").fees["referral"] == D("1.20")
    assert q("UK", on="2025-12-15", price="15.00", category="clothing_and_accessories",
             dims=(30, 20, 2), weight="50").fees["referral"] == D("0.75")
    assert "selected-categories card" in q("UK", on="2025-05-15", category="clothing_and_accessories")\
        .unavailable["fulfillment"]
    assert q("UK", on="2025-05-14", category="clothing_and_accessories").fees["fulfillment"] == D("3.05")
    # low-price FBA to GBP 10 in 2025 (GBP 20 from 2026-02-01), exempt from the peak
    small = dict(dims=(30, 20, 3), weight="300")         # large envelope
    assert q("UK", on="2025-05-01", price="10.00", **small).fees["fulfillment"] == D("2.42")
    assert q("UK", on="2025-05-01", price="10.01", **small).fees["fulfillment"] == D("2.72")
    assert q("UK", on="2025-11-01", price="10.00", **small).fees["fulfillment"] == D("2.42")
    assert q("UK", on="2025-11-01", price="10.01", **small).fees["fulfillment"] == D("2.77")
    low80 = q("UK", on="2025-05-01", price="8.00", dims=(30, 20, 2), weight="80")
    assert low80.fees["fulfillment"] == D("1.61") and any("1.67" in w for w in low80.warnings)


def test_de_2025_history_and_its_gaps():
    parcel = dict(dims=(40, 20, 10), weight="2500")      # standard parcel, 2.9 kg band
    assert q("DE", on="2025-05-01", **parcel).fees["fulfillment"] == D("5.20")
    assert q("DE", on="2025-05-01", program="cep", **parcel).fees["fulfillment"] == D("4.94")
    assert q("DE", on="2025-10-15", **parcel).fees["fulfillment"] == D("5.44")
    assert "CEP-column values of the 2025 holiday peak are NOT FOUND" in \
        q("DE", on="2025-10-15", program="cep", **parcel).unavailable["fulfillment"]
    assert "how the cut combined with the peak is NOT FOUND" in \
        q("DE", on="2026-01-14", **parcel).unavailable["fulfillment"]
    derived = q("DE", on="2026-01-15", program="cep", **parcel)
    assert derived.fees["fulfillment"] == D("4.29") and any("DERIVED" in w for w in derived.warnings)
    envelope = dict(dims=(30, 20, 3), weight="300")      # large envelope: not surcharged in the DE peak
    assert q("DE", on="2025-11-01", **envelope).fees["fulfillment"] == D("3.04")
    oversize = dict(dims=(70, 30, 20), weight="5000")   # standard oversize light, 8.4 kg dimensional weight
    assert q("DE", on="2026-01-14", **oversize).fees["fulfillment"] == D("4.91") + 8 * D("0.29")
    cep = q("DE", on="2025-05-01", program="cep", **oversize)   # CEP base sourced, its per-kg step DERIVED
    assert cep.fees["fulfillment"] == D("4.65") + 8 * D("0.29") and any(" step is DERIVED" in w for w in cep.warnings)
    assert "the exact date is NOT FOUND" in q("DE", on="2026-01-15", **oversize).unavailable["fulfillment"]
    assert (q("DE", on="2026-01-31").table_id, q("DE", on="2026-02-01").table_id) == ("de-2025", "de-2026")
    # low-price FBA to EUR 11 in 2025, exempt from the peak; the CEP low-price card is DERIVED
    assert q("DE", on="2025-11-01", price="11.00", **envelope).fees["fulfillment"] == D("2.65")
    assert q("DE", on="2025-11-01", price="11.01", **envelope).fees["fulfillment"] == D("3.04")
    cep_low = q("DE", on="2025-05-01", price="11.00", program="cep", **envelope)
    assert cep_low.fees["fulfillment"] == D("2.39") and any("DERIVED" in w for w in cep_low.warnings)
    # referral: clothing 8% up to EUR 15 until 2025-12-14; grocery 8% up to EUR 10 until 2026-01-31
    light = dict(dims=(30, 20, 2), weight="50")
    assert q("DE", on="2025-12-14", price="15.00", category="clothing_and_accessories", **light)\
        .fees["referral"] == D("1.20")
    assert q("DE", on="2025-12-15", price="15.00", category="clothing_and_accessories", **light)\
        .fees["referral"] == D("0.75")
    assert q("DE", on="2026-01-31", price="10.00", category="grocery_and_gourmet", **light)\
        .fees["referral"] == D("0.80")
    assert q("DE", on="2026-02-01", price="10.00", category="grocery_and_gourmet", **light)\
        .fees["referral"] == D("0.50")
    assert "the DE 2025 monthly storage rates are NOT FOUND" in q("DE", on="2025-05-01").unavailable["storage_monthly"]
    with pytest.raises(feecalc.NoFeeTable, match=r"^date: no DE fee table covers 2025-01-14"):
        q("DE", on="2025-01-14")


def test_storage_per_cubic_foot_and_per_cubic_metre():
    # UK: 6,000 cm3 = 0.2119 cu ft x GBP 0.76 = 16.1p; DE: 0.006 m3 x EUR 27.54 = 16.5 cent
    assert (q("UK").fees["storage_monthly"], q("DE").fees["storage_monthly"]) == (D("0.16"), D("0.17"))
    assert q("DE", category="clothing_and_accessories", dims=(30, 20, 2), weight="300").fees["storage_monthly"] == \
        D("0.02")  # 0.0012 m3 x 19.99 (clothing rate)


def test_local_formats(capsys):
    assert format_currency(D("1234.50"), "EUR", locale="de_DE") == "1.234,50\xa0€"
    assert format_currency(D("1234.50"), "GBP", locale="en_GB") == "£1,234.50"
    assert main(["quote", "--marketplace", "DE", "--on", ON, "--price", "24", "--dims", "30x20x10cm",
                 "--weight", "1.2kg", "--category", "kitchen"]) == 0
    assert "3,60\xa0€" in capsys.readouterr().out
    assert main(["quote", "--marketplace", "UK", "--on", ON, "--price", "24", "--dims", "30x20x10cm",
                 "--weight", "1.2kg", "--category", "kitchen"]) == 0
    out = capsys.readouterr().out
    assert "£3.60" in out and ": small_parcel, program standard, dimensional weight" in out
    assert main(["quote", "--marketplace", "DE", "--on", ON, "--price", "24", "--dims", "38x28x5cm", "--weight", "900g",
                 "--category", "rucksacks_and_handbags", "--program", "cep", "--seller-country", "UK"]) == 0
    out = capsys.readouterr().out
    assert "medium_parcel_1" in out and "3,80\xa0€" in out and "0,15\xa0€  digital_services_fee[0] 2%" in out


def test_german_spreadsheet_defaults_to_the_marketplace_locale(tmp_path):
    src = tmp_path / "de.csv"
    src.write_text("sku;price;length;width;height;weight;weight_unit;category\nA;24,00;30;20;10;1,2;kg;kitchen\n")
    assert main(["batch", str(src), "--marketplace", "DE", "--on", ON, "--quiet"]) == 0  # cm: the table's unit
    out = (tmp_path / "de.costed.csv").read_text()
    assert '"small_parcel"' in out and ';"3,60";' in out and ';"3,41";' in out


def test_german_headers_units_and_numbers(tmp_path):
    src = tmp_path / "artikel.csv"
    src.write_text("SKU;Preis;Länge (cm);Breite (cm);Höhe (cm);Gewicht (g);Kategorie\n"
                   "A;24,00;30;20;10;1.200;kitchen\nB;12,50;38;28;5;900;rucksacks_and_handbags\n"
                   "C;abc;30;20;10;1200;kitchen\n", encoding="utf-8")
    assert main(["batch", str(src), "--marketplace", "DE", "--on", ON, "--quiet"]) == 1  # a row with an error
    rows = [line.split(";") for line in (tmp_path / "artikel.costed.csv").read_text().splitlines()]
    col = {name.strip('"'): i for i, name in enumerate(rows[0])}
    picked = [(r[col["SKU"]], r[col["size_tier"]], r[col["fulfillment"]], r[col["error"]]) for r in rows[1:]]
    assert picked == [('"A"', '"small_parcel"', '"3,41"', ""), ('"B"', '"medium_parcel_1"', '"4,06"', ""),
                      ('"C"', "", "", "\"Preis: 'abc' is not a number (de_DE)\"")]


def test_api_quotes_uk_with_display_strings():
    from feecalc_api import create_app

    body = dict(price="24.00", length=30, width=20, height=10, dimension_unit="cm", weight=1200, weight_unit="g",
                category="kitchen", on=ON, marketplace="UK")
    r = create_app().test_client().post("/v1/quotes", json=body, headers={"Accept-Language": "en-GB"})
    assert r.json["total"]["currency"] == "GBP" and r.json["fees"]["referral"]["display"] == "£3.60"
    assert r.json["vat_in_price"] == "4.00"
    assert compiled_table(table_for("UK", feecalc.inputs.as_date(ON))).currency == "GBP"


def test_api_takes_every_programme():
    from feecalc_api import create_app

    body = dict(price="24.00", length=30, width=20, height=10, dimension_unit="cm", weight=1200, weight_unit="g",
                category="kitchen", on=ON, marketplace="DE")
    client = create_app().test_client()
    answers = {p: client.post("/v1/quotes", json=dict(body, program=p)).json
               for p in ("standard", "cep", "efn", "efn_cep", "remote_fulfillment")}
    fees = {p: a["fees"]["fulfillment"]["amount"] for p, a in answers.items()}
    assert [a["program"] for a in answers.values()] == list(answers)
    assert client.post("/v1/quotes", json={k: v for k, v in body.items()}).json["program"] == "standard"
    assert fees == {"standard": "3.41", "cep": "3.15", "efn": "9.54", "efn_cep": "9.28", "remote_fulfillment": "8.72"}
    bad = client.post("/v1/quotes", json=dict(body, program="pan_eu"))
    assert bad.status_code == 422 and "Must be one of: standard, small_and_light, cep, efn" in bad.text


def test_packaging_fees_and_sipp():
    # UK oversize packaging: 8.4 kg dimensional weight, standard oversize light: 0.80 + 8 x 0.10
    oversize = q("UK", dims=(70, 30, 20), weight="5000")
    assert (oversize.size_tier, oversize.fees["packaging"]) == ("standard_oversize_light", D("1.60"))
    assert oversize.total == sum((oversize.fees[k] for k in ("referral", "fulfillment", "fuel_surcharge", "packaging",
                                                              "digital_services_fee")), D("0"))
    assert q("UK", dims=(70, 30, 20), weight="5000", sipp=True).fees["packaging"] == D("0.00")
    assert q("DE", dims=(70, 30, 20), weight="5000").fees["packaging"] == D("0.92") + 8 * D("0.11")
    # standard oversize heavy, 24 kg dimensional weight: 2.58 + 9 x 0.49 (8.24 kg above 15.76 kg)
    assert q("DE", dims=(100, 40, 30), weight="20000").fees["packaging"] == D("2.58") + 9 * D("0.49")
    assert q("UK").fees["packaging"] == D("0.00")                    # a parcel: no packaging fee
    assert q("UK", on="2025-06-01", dims=(70, 30, 20), weight="5000").fees["packaging"] == D("0.00")  # from 2026
    # US 2026 bulky packaging fee, by dimensional weight: 30 x 20 x 10 in / 139 = 43.17 lb -> 40-45 lb band
    bulky = feecalc.quote("US", ON, price="60", length=30, width=20, height=10, weight=15, category="home_and_kitchen")
    assert (bulky.size_tier, bulky.fees["packaging"]) == ("small_bulky", D("3.80"))
    assert bulky.lines["packaging"].startswith("3.80 USD: 2026 bulky packaging fee, small_bulky, 40 lb+ to 45 lb "
                                               "(dimensional weight); 3.80 [CODE-PZ")
    sipp = feecalc.quote("US", ON, price="60", length=30, width=20, height=10, weight=15, category="home_and_kitchen",
                         sipp=True)
    assert (sipp.fees["packaging"], sipp.total) == (D("0.00"), bulky.total - D("3.80"))
    assert sipp.lines["packaging"] == "0.00 USD: waived: the unit ships in its own packaging (SIPP)"
    # an FBA fee, so a UK-established seller pays the 2% Digital Services Fee on it too, rounded on its own
    uk_seller = feecalc.quote("US", ON, price="60", length=30, width=20, height=10, weight=15,
                              category="home_and_kitchen", seller_country="UK")
    shares = [(uk_seller.fees[k] * D("0.02")).quantize(D("0.01")) for k in ("referral", "fulfillment", "packaging")]
    assert shares[2] == D("0.08") and uk_seller.fees["digital_services_fee"] == sum(shares)
    assert feecalc.quote("US", "2025-06-01", price="60", length=30, width=20, height=10, weight=15,
                         category="home_and_kitchen").fees["packaging"] == D("0.00")


def test_dsf_is_unavailable_where_a_fee_it_is_charged_on_is():
    """DE media closing fee is NOT FOUND; the Digital Services Fee is a share of it, so it is unknown too
    (before 2026-11-29 it was shown as 0.15 EUR, the share of the other lines only)."""
    q = feecalc.quote("DE", "2026-05-01", price="30", length=20, width=15, height=3, weight=300, category="books",
                      seller_country="UK")
    assert "closing" in q.unavailable
    assert q.unavailable["digital_services_fee"] == q.unavailable["closing"]
    assert "digital_services_fee" not in q.fees and q.total is None
