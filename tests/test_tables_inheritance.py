"""Fee tables without repetition: a table `extends` another of its marketplace and `inherit`s sections from it
word for word.  The merged table is validated like any other, errors name the file and the key, the hash
covers the whole chain, and what a bundled table loads to is pinned by a digest of its data."""

import hashlib
import json
import shutil
import tomllib
from decimal import Decimal
from pathlib import Path

import pytest
from table_digests import current, recorded
from table_files import load_error

from feecalc.cli import main
from feecalc.tables import TABLES_DIR, load_directory, load_table
from feecalc.tables.inherit import SECTIONS

PARENT = TABLES_DIR / "us" / "us-2023.toml"  # the first US schedule: it extends nothing
EVERYTHING = ["units", "notices", "dimensional_weight", "size_tiers", "price_bands", "peak_windows",
              "fulfillment_cards", "referral", "per_item_fee", "storage", "storage_utilization", "aged_inventory",
              "apparel_fee_category", "inbound_placement", "low_inventory_level", "returns_processing",
              "removal_orders", "sipp_discounts"]


def child(folder: Path, name: str = "us-2023b", extends: str = "us-2023", inherit=tuple(EVERYTHING),
          dates: tuple[str, str] = ("2023-01-01", "2024-02-04"), extra: str = "", market: str = "US") -> Path:
    """A table that states its header and inherits the rest."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.toml"
    lines = [f'id = "{name}"', 'title = "a test schedule"', f'marketplace = "{market}"', 'currency = "USD"',
             f"effective_from = {dates[0]}", f"effective_to = {dates[1]}"]
    if extends is not None:
        lines.append(f'extends = "{extends}"')
    if inherit is not None:
        lines.append("inherit = [" + ", ".join(f'"{s}"' for s in inherit) + "]")
    path.write_text("\n".join(lines) + "\n" + extra)
    return path




def test_every_bundled_tables_loaded_data_is_unchanged():
    """The engine reads TableInfo.data only: equal digests mean equal fees.  After a meant change of a
    table, check it with `python tests/table_digests.py --dump ID` in both revisions, then `--write`."""
    assert current() == recorded()


def test_a_table_takes_the_inherited_sections_as_its_parent_has_them(tmp_path):
    parent, info = load_table(PARENT), load_table(child(tmp_path / "us"))
    assert (info.id, info.extends, info.inherited) == ("us-2023b", "us-2023", tuple(EVERYTHING))
    for key in ("id", "title", "notes"):
        parent.data.pop(key), info.data.pop(key)
    assert info.data == parent.data


def test_a_chain_takes_a_section_from_wherever_the_parent_took_it(tmp_path):
    child(tmp_path / "us")
    path = child(tmp_path / "us", "us-2023c", extends="us-2023b", inherit=EVERYTHING)
    assert load_table(path).data["referral"] == load_table(PARENT).data["referral"]


def test_an_inherited_dated_item_outside_the_tables_dates_names_both_files(tmp_path):
    path = child(tmp_path / "us", inherit=EVERYTHING, dates=("2023-01-01", "2023-06-30"))
    outside = "is outside the table's dates 2023-01-01 to 2023-06-30"
    assert load_error(path) == "\n  ".join([
        f"{path}: 6 problem(s)",
        *(f"{key} {outside} (inherited from {PARENT})" for key in (
            "fulfillment_cards[1].to: 2023-08-28", "fulfillment_cards[2].from: 2023-08-29",
            "fulfillment_cards[4].from: 2023-08-29", "fulfillment_cards[5].from: 2023-08-29",
            "referral[10].to: 2024-01-14", "referral[11].from: 2024-01-15"))])
    grandchild = child(tmp_path / "us", "us-2023c", extends="us-2023b", dates=("2023-01-01", "2023-06-30"))
    child(tmp_path / "us")  # a parent that covers the dates: the grandchild's storage still comes from us-2023
    assert f"(inherited from {PARENT})" in load_error(grandchild)


def test_the_hash_covers_the_file_and_its_parents(tmp_path):
    plain = load_table(PARENT)
    assert plain.sha256 == hashlib.sha256(PARENT.read_bytes()).hexdigest()
    path = child(tmp_path / "us")
    info = load_table(path)
    assert info.sha256 == hashlib.sha256(path.read_bytes() + plain.sha256.encode()).hexdigest()
    # a parent beside the file is found before the bundled one; a change in it changes the child's hash
    text = PARENT.read_text()
    shutil.copy(PARENT, tmp_path / "us")
    assert load_table(path).sha256 == info.sha256
    (tmp_path / "us" / "us-2023.toml").write_text(text.replace("individual = 0.99", "individual = 1.99", 1))
    changed = load_table(path)
    assert changed.sha256 != info.sha256 and changed.data["per_item_fee"]["individual"]["value"] == Decimal("1.99")


@pytest.mark.parametrize("kwargs, message", [
    pytest.param({"extends": "us-1999"}, "extends: no table 'us-1999' (no us-1999.toml in {folder}, the folders "
                 "beside it or the bundled tables)", id="unknown parent"),
    pytest.param({"extends": "uk-2025", "inherit": ["units"]}, "extends: 'uk-2025' is a UK table; a US table can "
                 "extend only a table of its own marketplace", id="another marketplace"),
    pytest.param({"inherit": ["referal"]}, "inherit: 'referal' is not a section a table can inherit (sections: "
                 + ", ".join(SECTIONS) + ")", id="unknown section"),
    pytest.param({"inherit": ["effective_to"]}, "inherit: 'effective_to' is not a section a table can inherit "
                 "(sections: " + ", ".join(SECTIONS) + ")", id="a header key is not a section"),
    pytest.param({"inherit": [*EVERYTHING, "units"]}, "inherit: 'units' is listed twice", id="listed twice"),
    pytest.param({"inherit": [*EVERYTHING, "surcharges"]}, "inherit: us-2023 has no 'surcharges' section to "
                 "inherit", id="a section the parent lacks"),
    pytest.param({"extra": '\n[per_item_fee]\nindividual = 0.99\nsource = "REF-3"\nconfidence = "H"\n'},
                 "per_item_fee: given in this file and inherited from us-2023; give it or inherit it, not both",
                 id="given and inherited"),
    pytest.param({"extends": None}, "inherit: needs 'extends', the id of the table to inherit from",
                 id="inherit without extends"),
])
def test_an_inheritance_error_names_the_file_and_the_key(tmp_path, kwargs, message):
    path = child(tmp_path / "us", **kwargs)
    assert load_error(path) == f"{path}: 1 problem(s)\n  {message.format(folder=path.parent)}"


def test_a_cycle_is_an_error_naming_the_file_where_it_closes(tmp_path):
    a = child(tmp_path / "us", "us-a", extends="us-b", inherit=[])
    b = child(tmp_path / "us", "us-b", extends="us-a", inherit=[])
    assert load_error(a) == f"{b}: 1 problem(s)\n  extends: 'us-a' leads back to this table (us-a extends us-b " \
                            f"extends us-a)"
    itself = child(tmp_path / "us", "us-c", extends="us-c", inherit=[])
    assert load_error(itself) == f"{itself}: 1 problem(s)\n  extends: 'us-c' leads back to this table (us-c " \
                                 f"extends us-c)"


def test_a_parent_file_must_hold_the_table_it_is_named_for(tmp_path):
    shutil.copy(PARENT, tmp_path / "us-2022.toml")
    path = child(tmp_path, extends="us-2022")
    assert load_error(path) == f"{path}: 1 problem(s)\n  extends: {tmp_path / 'us-2022.toml'} holds 'us-2023', " \
                               f"not 'us-2022'"


def test_a_folder_resolves_parents_among_its_own_tables_by_id(tmp_path):
    shutil.copytree(TABLES_DIR, tmp_path / "tables")
    loaded = {t.id: t for t in load_directory(tmp_path / "tables")}
    bundled = {t.id: t for t in load_directory()}
    assert {i: t.sha256 for i, t in loaded.items()} == {i: t.sha256 for i, t in bundled.items()}
    children = [t for t in loaded.values() if t.extends]
    assert children, "no bundled table extends another"
    for info in children:  # a change in the folder's copy of the parent changes the child: it is the one used
        parent = tmp_path / "tables" / info.marketplace.lower() / f"{info.extends}.toml"
        original = parent.read_text()
        parent.write_text(original + "\n# an edit\n")
        again = {t.id: t for t in load_directory(tmp_path / "tables")}
        assert again[info.id].sha256 != info.sha256, info.id
        parent.write_text(original)


def test_a_parent_is_found_by_id_in_a_folder_whatever_its_file_is_called(tmp_path):
    shutil.copy(PARENT, tmp_path / "the first one.toml")
    child(tmp_path / "later", dates=("2024-02-05", "2024-03-31"),
          inherit=["units", "dimensional_weight", "size_tiers", "price_bands", "per_item_fee"],
          extra=_dated_sections())
    loaded = load_directory(tmp_path)
    assert [(t.id, t.extends, t.path.parent.name) for t in loaded] == [
        ("us-2023b", "us-2023", "later"), ("us-2023", None, tmp_path.name)]


def _dated_sections() -> str:
    """The sections of a short test schedule that us-2023's dated sections cannot give."""
    return """
[[fulfillment_cards]]
name = "test card"
unavailable = "a test"
source = "CODE-23a"
confidence = "L"

[[referral]]
name = "Everything Else"
rate = "15%"
minimum = 0.30
source = "REF-7"
confidence = "H"

[[storage]]
unavailable = "a test"

[[storage_utilization]]
not_in_force = "a test"

[[aged_inventory]]
unavailable = "a test"
"""


def test_tables_validate_checks_a_new_schedule_that_extends_a_bundled_table(tmp_path, capsys):
    path = child(tmp_path / "us")
    assert main(["tables", "validate", str(path)]) == 0
    assert capsys.readouterr().out.startswith(f"ok: {path}: us-2023b (US 2023-01-01 to 2024-02-04), extends us-2023,")


def _raw(table_id: str) -> dict:
    """A bundled table's TOML with its inherited sections in place, as the loader merges it."""
    path = next(TABLES_DIR.glob(f"*/{table_id}.toml"))
    toml = tomllib.loads(path.read_text())
    if "extends" in toml:
        parent = _raw(toml["extends"])
        toml.update({name: parent[name] for name in toml["inherit"]})
    return toml


def test_no_bundled_table_repeats_a_section_of_the_table_it_extends():
    """The point of `inherit`: a section the same as the parent's is inherited, not copied."""
    for path in sorted(TABLES_DIR.glob("*/*.toml")):
        toml = tomllib.loads(path.read_text())
        if "extends" not in toml:
            continue
        parent = _raw(toml["extends"])
        copied = [name for name in SECTIONS if name in toml and toml[name] == parent.get(name)]
        assert copied == [], f"{path.name} repeats {toml['extends']}'s {', '.join(copied)}: inherit them"


def test_tables_show_prints_the_merged_table(capsys):
    assert main(["tables", "show", "us-2026"]) == 0
    shown = json.loads(capsys.readouterr().out)
    us_2026 = next(t for t in load_directory() if t.id == "us-2026")
    assert "referral" in us_2026.inherited and len(shown["referral"]) == len(us_2026.data["referral"]) > 40
