"""The rule shapes the new stores brought to the table schema and its checks (feecalc/tables/schema.py, checks.py):
what the loader accepts and the errors it gives, naming the file and the key."""

import re
import shutil

import pytest

from feecalc.errors import TableError
from feecalc.tables import TABLES_DIR, load_table

BASE = TABLES_DIR / "nl" / "nl-2026.toml"  # a table that extends nothing


def load(tmp_path, *edits):
    """nl-2026 with (old, new) text edits, loaded from a folder of its own."""
    text = BASE.read_text()
    for old, new in edits:
        assert old in text, old
        text = text.replace(old, new, 1)
    (tmp_path / "nl").mkdir(exist_ok=True)
    shutil.copy(TABLES_DIR / "sources.toml", tmp_path / "sources.toml")
    path = tmp_path / "nl" / "nl-2026.toml"
    path.write_text(text)
    return load_table(path)


def problems(tmp_path, *edits) -> str:
    with pytest.raises(TableError) as info:
        load(tmp_path, *edits)
    return str(info.value)


PAN = 'name = "NL 2026 Pan-EU, stock in another country"\nprogram = "pan_eu_cep"\nrows_from = "NL 2026 standard"\n'


def test_plus_tiers_add_to_the_rows_of_another_card(tmp_path):
    info = load(tmp_path, (PAN, PAN + 'plus_tiers = { small_oversize = { fee = 1.40, step = { every = "1 kg", '
                                      'above = "760 g", fee = 0.07 } } }\n'))
    card = next(c for c in info.data["fulfillment_cards"] if c["name"] == "NL 2026 Pan-EU, stock in another country")
    assert str(card["plus_tiers"]["small_oversize"]["fee"]["value"]) == "1.40"
    assert "plus_tiers: only a card with rows_from" in problems(tmp_path, (
        'name = "NL 2026 standard"\n', 'name = "NL 2026 standard"\nplus_tiers = { small_oversize = { fee = 1.40 } }\n'))
    assert "the card 'NL 2026 standard' has no rows for small_envelope" in problems(
        tmp_path, (PAN, PAN + 'plus_tiers = { small_envelope = { fee = 1.40 } }\n'))
    assert "has no step of the same every, above and per" in problems(tmp_path, (
        PAN, PAN + 'plus_tiers = { small_oversize = { fee = 1.40, step = { every = "1 kg", above = "1 kg", '
                   'fee = 0.07 } } }\n'))


def test_a_rate_per_kg_charged_in_steps_must_give_whole_minor_units(tmp_path):
    row = 'small_oversize = [{ fee = 7.02, step = { every = "1 kg", above = "760 g", fee = 0.07 } }]'
    info = load(tmp_path, (row, row.replace('every = "1 kg"', 'every = "500 g", per = "1 kg"').replace("0.07",
                                                                                                      "0.08")))
    assert info.data["fulfillment_cards"][4]["tiers"]["small_oversize"][0]["step"]["per"] == "1 kg"
    assert re.search(r"small_oversize\[0\]\.step: 0.07 per 1 kg in steps of 500 g is not a whole number of cents "
                     r"a step", problems(tmp_path, (row, row.replace('every = "1 kg"', 'every = "500 g", '
                                                                                         'per = "1 kg"'))))


def test_what_a_table_may_leave_not_found(tmp_path):
    kitchen = 'name = "Kitchen"\nunavailable = "the NL referral rates and minimum fee for 2025-26 are NOT FOUND ' \
              '(eu.md 8.2, 11)"\n'
    assert "a category with 'unavailable' has no rate" in problems(
        tmp_path, (kitchen, kitchen + 'rate = "15%"\n'))
    assert "give 'minimum', 'no_minimum' (the reason) or 'minimum_unavailable' (the reason), exactly one" in \
        problems(tmp_path, (kitchen, 'name = "Kitchen"\nrate = "15%"\nsource = "EU-37"\nconfidence = "M"\n'))
    info = load(tmp_path, (kitchen, 'name = "Kitchen"\nrate = "15%"\nminimum_unavailable = "NOT FOUND"\n'
                                    'source = "EU-37"\nconfidence = "M"\n'))
    assert any(c.get("minimum_unavailable") for c in info.data["referral"])
    assert "per_item_fee: give 'individual' or 'unavailable' (the reason), exactly one" in problems(
        tmp_path, ('individual = 0.99\n', 'individual = 0.99\nunavailable = "NOT FOUND"\n'))
    assert "digital_services_fee[1]: give 'rate' or 'unavailable' (the reason), exactly one" in problems(
        tmp_path, ('seller_countries = ["UK"]\nrate = "2%"\n', 'seller_countries = ["UK"]\nrate = "2%"\n'
                                                               'unavailable = "NOT FOUND"\n'))
    assert "surcharges[0]: give 'rate' or 'unavailable' (the reason), exactly one" in problems(
        tmp_path, ('rate = "1.5%"\n', ''))
