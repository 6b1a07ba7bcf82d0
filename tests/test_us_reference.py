"""Every fee-card cell of the 2026 and 2024/2025 US tables equals the reference's own table (us-fba.md).

The figures were copied by hand into fee_tables/; this reads the markdown tables of the reference
(../shared/reference beside the checkout, else the copy in tests/reference) and compares cell by cell.
"""

import re
from decimal import Decimal as D

import pytest
from markdown_reference import reference_path, table_rows

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
