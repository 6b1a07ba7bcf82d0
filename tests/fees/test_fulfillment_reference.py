"""Every fee-card cell of the 2026 and 2024/2025 US tables equals the reference's own table (us-fba.md).

The figures were copied by hand into fee_tables/; this reads the markdown tables of the reference
(../shared/reference beside the checkout, else the copy in tests/reference) and compares cell by cell.
"""

import math
import re
from decimal import Decimal as D

import pytest
from markdown_reference import reference_path, table_rows
from quotes import ON, uk_de

from feecalc.tables import TABLES_DIR, load_table

REFERENCE = reference_path("us-fba.md")
pytestmark = pytest.mark.skipif(not REFERENCE.exists(), reason="the shared reference is not beside the checkout")


def section(heading: str) -> list[list[str]]:
    return table_rows(REFERENCE, heading)


def money(text: str) -> D:
    return D(re.search(r"\d+\.\d\d", text).group(0))


def card(table_id: str, name: str) -> dict:
    info = load_table(TABLES_DIR / "us" / f"{table_id}.toml")
    return next(c for c in info.data["fulfillment_cards"] if c["name"] == name)


def fees(rows: list[dict], col: int) -> list[D]:
    return [r["fee"][col if len(r["fee"]) > 1 else 0]["value"] for r in rows]


@pytest.mark.parametrize("heading, name, tier, offset", [
    ("**Non-apparel, small standard**", "2026 non-apparel, non-peak", "small_standard", 0),
    ("**Non-apparel, small standard**", "2026 non-apparel, peak", "small_standard", 3),
    ("**Non-apparel, large standard**", "2026 non-apparel, non-peak", "large_standard", 0),
    ("**Non-apparel, large standard**", "2026 non-apparel, peak", "large_standard", 3),
    ("**Apparel, small standard.**", "2026 apparel, non-peak", "small_standard", 0),
    ("**Apparel, small standard.**", "2026 apparel, peak", "small_standard", 3),
    ("**Apparel, large standard**", "2026 apparel, non-peak", "large_standard", 0),
    ("**Apparel, large standard**", "2026 apparel, peak", "large_standard", 3),
    ("**Small standard, dangerous goods**", "2026 dangerous goods, non-peak", "small_standard", 0),
    ("**Large standard, dangerous goods**", "2026 dangerous goods, non-peak", "large_standard", 0),
])
def test_2026_standard_cards(heading, name, tier, offset):
    ref = section(heading)
    rows = card("us-2026", name)["tiers"][tier]
    assert len(ref) == len(rows)
    for col in range(3):
        assert fees(rows, col) == [money(r[1 + offset + col]) for r in ref], (name, tier, col)


@pytest.mark.parametrize("heading, name, offset", [
    ("**Bulky and extra-large** (", "2026 non-apparel, non-peak", 0),
    ("**Bulky and extra-large** (", "2026 non-apparel, peak", 3),
    ("**Bulky and extra-large** (", "2026 apparel, non-peak", 0),
    ("**Bulky and extra-large, dangerous goods**", "2026 dangerous goods, non-peak", 0),
])
def test_2026_bulky_and_extra_large(heading, name, offset):
    tiers = ["small_bulky", "large_bulky", "extra_large_0_50", "extra_large_50_70", "extra_large_70_150",
             "extra_large_150_plus"]
    ref = section(heading)
    c = card("us-2026", name)
    for tier, row in zip(tiers, ref, strict=True):
        band = c["tiers"][tier][0]
        assert fees([band], 0) + fees([band], 1) + fees([band], 2) == [money(x) for x in row[1 + offset:4 + offset]]
        assert band["step"]["fee"]["value"] == money(row[-1])


def test_2024_2025_card_both_columns():
    ref = section("**Non-apparel card from Apr 15, 2024.**")
    tiers = ["small_standard"] * 8 + ["large_standard"] * 13 + ["large_bulky", "extra_large_0_50",
                                                                 "extra_large_50_70", "extra_large_70_150",
                                                                 "extra_large_150_plus"]
    for table in ("us-2024", "us-2025"):
        c = card(table, "2024/2025 non-apparel, non-peak")
        ours = [(t, band) for t in dict.fromkeys(tiers) for band in c["tiers"][t]]
        assert len(ours) == len(ref)
        for (tier, band), row in zip(ours, ref, strict=True):
            assert band["fee"][1]["value"] == money(row[2]), (table, tier, row)
            assert band["fee"][0]["value"] == money(row[3]), (table, tier, row)


def test_2024_2025_derived_peak():
    ref = section("**DERIVED full 2024/2025 peak table**")
    for table in ("us-2024", "us-2025"):
        c = card(table, f"{table[3:]} holiday peak, non-apparel")
        ours = [band for t in ("small_standard", "large_standard", "large_bulky", "extra_large_0_50",
                               "extra_large_50_70", "extra_large_70_150", "extra_large_150_plus")
                for band in c["tiers"][t]]
        assert [b["fee"][0]["value"] for b in ours] == [money(r[3]) for r in ref]


# ---- UK and DE ------------------------------------------------------------------------------------------


UK_DE_REFERENCE = reference_path("uk-de.md")


# dimensions (cm) inside each tier with a dimensional weight below every band edge tested
METRIC_DIMS = {"light_envelope": (30, 20, 2), "standard_envelope": (30, 20, 2), "large_envelope": (30, 20, 3.5),
        "extra_large_envelope": (30, 20, 5), "small_parcel": (34, 10, 2), "standard_parcel": (36, 10, 2)}


def grams(text: str) -> D:
    value, unit = re.match(r"([\d.]+) (g|kg)", text).groups()
    return D(value) * (1000 if unit == "kg" else 1)


def reference_rows(heading: str) -> list[list[str]]:
    return table_rows(UK_DE_REFERENCE, heading)


TIER_OF = {"Light envelope": "light_envelope", "Standard envelope": "standard_envelope",
           "Large envelope": "large_envelope", "Extra-large envelope": "extra_large_envelope",
           "Small parcel": "small_parcel", "Standard parcel": "standard_parcel"}


OVERSIZE_OF = {"Small oversize": ("small_oversize", (50, 40, 30)),
               "Standard oversize light": ("standard_oversize_light", (100, 40, 30)),
               "Standard oversize heavy": ("standard_oversize_heavy", (100, 40, 30)),
               "Standard oversize large": ("standard_oversize_large", (120, 50, 40)),
               "Bulky oversize": ("bulky_oversize", (170, 30, 30)),
               "Heavy oversize": ("heavy_oversize", (170, 30, 30))}


SELECTED = {"Small parcel 1": "small_parcel_1", "Small parcel 2": "small_parcel_2", "Small parcel 3": "small_parcel_3",
            "Medium parcel 1": "medium_parcel_1", "Medium parcel 2": "medium_parcel_2",
            "Large parcel 1": "large_parcel_1", "Large parcel 2": "large_parcel_2"}


@pytest.mark.skipif(not UK_DE_REFERENCE.exists(), reason="the shared reference is not beside the checkout")
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
        got = uk_de(market, price="30.00", dims=METRIC_DIMS[tier], weight=str(weight), program=program, on=on)
        assert (got.size_tier, got.fees["fulfillment"]) == (tier, fee), (row, got.explain())


@pytest.mark.skipif(not UK_DE_REFERENCE.exists(), reason="the shared reference is not beside the checkout")
@pytest.mark.parametrize("market, column, program", [
    ("DE", 2, "efn_cep"), ("DE", 3, "efn"), ("DE", 4, "remote_fulfillment"), ("UK", 5, "remote_fulfillment")])
def test_efn_and_remote_cards_equal_the_reference(market, column, program):
    for row in reference_rows("### 5.10 EFN"):
        if row[0] in TIER_OF:
            tier, band, fee = TIER_OF[row[0]], row[1].lstrip("≤"), D(row[column])
            weight = grams(band.replace("kg", " kg").replace("g", " g").replace("  ", " ").replace("k g", "kg"))
            got = uk_de(market, price="30.00", dims=METRIC_DIMS[tier], weight=str(weight), program=program)
            assert (got.size_tier, got.fees["fulfillment"]) == (tier, fee), (row, got.explain())
            continue
        tier, dims = OVERSIZE_OF[row[0]]
        base, per = (D(x) for x in re.match(r"([\d.]+) \+ ([\d.]+)/kg", row[column]).groups())
        above = grams(re.search(r"≤([\d.]+) kg", row[1]).group(1) + " kg")
        for weight in ("1000", "20000", "31500"):
            got = uk_de(market, price="30.00", dims=dims, weight=weight, program=program)
            if got.size_tier != tier:
                continue
            steps = max(0, math.ceil((got.shipping_weight - above) / 1000))
            assert got.fees["fulfillment"] == base + steps * per, (row, got.explain())
            break
        else:
            pytest.fail(f"no test item for {row[0]}")


@pytest.mark.skipif(not UK_DE_REFERENCE.exists(), reason="the shared reference is not beside the checkout")
@pytest.mark.parametrize("market, column, program", [("UK", 3, "standard"), ("DE", 4, "standard"), ("DE", 5, "cep")])
def test_selected_categories_card_equals_the_reference(market, column, program):
    rows = reference_rows("### 5.8 Apparel")
    assert len(rows) == 7
    for row in rows:
        dims = tuple(D(x) for x in row[1].split(" × "))
        base, per = (D(x) for x in row[column].split(" + "))
        for grams_, steps in (("100", 0), ("100.01", 1), ("900", 8), ("3900", 38)):
            got = uk_de(market, price="30.00", dims=dims, weight=grams_, category="clothing_and_accessories",
                    program=program)
            assert (got.size_tier, got.fees["fulfillment"]) == (SELECTED[row[0]], base + steps * per), got.explain()

