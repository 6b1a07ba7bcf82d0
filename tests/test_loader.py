"""The loader rejects malformed tables with a message naming the file and the key."""

import re
import shutil

import pytest
from table_files import edited, load_error

from feecalc import TableError
from feecalc.tables import TABLES_DIR, load_directory

SRC = TABLES_DIR / "us" / "us-2026.toml"






def bundled_ids() -> list[str]:
    """The ids of the fee tables in the folder, by file name (a table's file is named after its id)."""
    return sorted(p.stem for p in TABLES_DIR.rglob("*.toml") if re.search(r"^id = ", p.read_text(), re.M))


def test_shipped_tables_load():
    ids = [t.id for t in load_directory()]
    assert ids == bundled_ids() and len(ids) >= 8  # every table file loads, sorted by marketplace then date


def test_unknown_key(tmp_path):
    path = edited(tmp_path, 'currency = "USD"', 'currency = "USD"\ncurency = "USD"')
    assert load_error(path) == f"{path}: 1 problem(s)\n  curency: Unknown field."


@pytest.mark.parametrize("old, new, message", [
    pytest.param('{ upto = "4 oz", fee = [3.43, 4.36, 4.62] }', '{ upto = "1 oz", fee = [3.43, 4.36, 4.62] }',
                 "fulfillment_cards[1].tiers.small_standard[1].upto: bands out of order or overlapping "
                 "(1 oz after a band up to 0.125 lb)", id="bands out of order"),
    pytest.param('divisor = 139\nsource = "A-DIM, A-SW, CODE-26a"\n', 'divisor = 139\n',
                 "dimensional_weight: figure has no source", id="figure without source"),
    pytest.param("[[aged_inventory]]\nfrom = 2026-01-16", "[[aged_inventory]]\nfrom = 2026-01-20",
                 "aged_inventory[1].from: gap from 2026-01-16 to 2026-01-19", id="gap between dated versions"),
    pytest.param("[[aged_inventory]]\nfrom = 2026-01-16", "[[aged_inventory]]\nfrom = 2026-01-15",
                 "aged_inventory[1].from: 2026-01-15 overlaps the previous version (ends 2026-01-15)",
                 id="overlapping dated versions"),
    pytest.param('{ upto = "2 oz", fee = [2.43, 3.32, 3.58] }', '{ upto = "2 oz" }',
                 "fulfillment_cards[5].tiers.small_standard[0].fee: missing; give the fee or 'unavailable' "
                 "(the reason)", id="missing fee without reason"),
    pytest.param("per_cubic_foot = 7.90", "per_cubic_foot = 7.905",
                 "aged_inventory[1].bands[7].per_cubic_foot: amount must be a non-negative whole number of cents, "
                 "got 7.905", id="sub-cent figure"),
    pytest.param('max_longest = "15 in"', 'max_longest = "15 parsecs"',
                 "size_tiers[0].max_longest: unknown unit 'parsecs' in '15 parsecs'", id="bad quantity unit"),
])
def test_an_edited_table_is_rejected_naming_the_key(tmp_path, old, new, message):
    assert message in load_error(edited(tmp_path, old, new))


def test_overlapping_tables_for_one_marketplace(tmp_path):
    shutil.copy(SRC, tmp_path / "a.toml")
    edited(tmp_path, 'id = "us-2026"', 'id = "us-2026b"', name="b.toml")
    with pytest.raises(TableError, match=r"b.toml: effective_from 2026-01-15 overlaps us-2026 \(ends 2027-01-14\)"):
        load_directory(tmp_path)


def test_not_toml(tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text("id = ")
    assert load_error(path).startswith(f"{path}: not valid TOML")


def test_packaging_fee_rules(tmp_path):
    path = edited(tmp_path, '{ upto = "45 lb", fee = 3.80 }, { fee = 4.04 }]\nlarge_bulky',
                  '{ upto = "45 lb", fee = 3.80 }]\nlarge_bulky')
    assert "packaging_fees[0].tiers.small_bulky[8].upto: the last band must be open (no upto)" in load_error(path)
    path = edited(tmp_path, 'large_bulky = [{ upto = "5 lb", fee = 1.51 }',
                  'light_envelope = [{ upto = "5 lb", fee = 1.51 }')
    assert "packaging_fees[0].tiers.light_envelope: not a size tier of this table" in load_error(path)
    path = edited(tmp_path, 'weight = "dimensional"', 'weight = "volumetric"')
    assert "packaging_fees[0].weight: Must be one of: dimensional, shipping." in load_error(path)


def test_rows_from_cycle(tmp_path):
    src = TABLES_DIR / "de" / "de-2026.toml"
    text = src.read_text()
    old = 'name = "DE 2026 standard, DE only"\n'
    assert old in text
    path = tmp_path / "t.toml"
    path.write_text(text.replace(old, old + 'rows_from = "DE 2026 standard, CEP"\n', 1))
    assert "rows_from: 'DE 2026 standard, CEP' leads back to this card" in load_error(path)


def test_a_tables_directory_that_is_missing_or_empty_is_an_error(tmp_path):
    with pytest.raises(TableError, match=r"nope: no such directory of fee tables \(FEECALC_TABLES\)$"):
        load_directory(tmp_path / "nope")
    with pytest.raises(TableError, match=r": no fee tables \(\*\.toml\) in this directory \(FEECALC_TABLES\)$"):
        load_directory(tmp_path)
