"""The source registry: every key a table or profile cites resolves in fee_tables/sources.toml, and a key,
reference file or section that does not is a load error naming the file, the table key and the citation."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from table_files import edited, load_error

from feecalc import FeecalcError, TableError
from feecalc.channels import PROFILES, load_profile
from feecalc.tables import TABLES_DIR, check_sources, load_directory, load_registry, source, sources

ROOT = Path(__file__).resolve().parents[1]
REGISTRY = TABLES_DIR / "sources.toml"
SRC = TABLES_DIR / "us" / "us-2026.toml"






def test_every_citation_of_every_bundled_table_and_profile_resolves():
    registry = load_registry(REGISTRY)
    for info in load_directory():
        assert check_sources(info.data, registry) == [], info.id
    import tomllib

    for profile in PROFILES.glob("*.toml"):
        assert check_sources(tomllib.loads(profile.read_text()), registry) == [], profile.name


@pytest.mark.parametrize("old, new, message", [
    pytest.param('source = "A-DIM, A-SW, CODE-26a"', 'source = "A-DIM, A-SW, CODE-26z"',
                 f"dimensional_weight.source: unknown source key 'CODE-26z': not in {REGISTRY}", id="unknown key"),
    pytest.param('exemption_source = "SA23, AIS-email state', 'exemption_source = "SA23, AIS-mail state',
                 f"aged_inventory[0].bands[0].exemption_source: unknown source key 'AIS-mail': not in {REGISTRY}",
                 id="unknown key in exemption_source"),
    pytest.param('source = "us-referral.md 3"', 'source = "us-referral.md 9"',
                 "notices[0].source: us-referral.md has no section 9 (cited as 'us-referral.md 9')",
                 id="unknown section of a reference file"),
    pytest.param('source = "us-referral.md 3"', 'source = "us-referal.md 3"',
                 f"notices[0].source: unknown reference file 'us-referal.md': not in {REGISTRY}",
                 id="unknown reference file"),
])
def test_a_citation_that_does_not_resolve_is_rejected(tmp_path, old, new, message):
    path = edited(tmp_path, old, new)
    assert load_error(path) == f"{path}: 1 problem(s)\n  {message}"


def test_prose_and_confidence_grades_in_a_source_are_not_keys():
    registry = sources()
    text = "EU-34, EU-9/EU-40 (uk-de.md 5.10, apparel card; M-H); 2-in minimum: A-DIM; GBP 10; HF"
    assert registry.problems(text) == []
    assert [s.key for s in registry.cited(text)] == ["EU-34", "EU-9", "EU-40", "A-DIM", "HF"]


def test_a_key_resolves_to_its_title_links_and_place_in_the_reference():
    dim = source("A-DIM")
    assert dim.urls == ("https://sellercentral.amazon.com/help/hub/reference/G53Z9EKF8VVZVH29",)
    assert (dim.help_pages, dim.listed_in) == (("G53Z9EKF8VVZVH29",), ("us-fba.md 15.1",))
    assert source("EU-17").listed_in == ("uk-de.md 12", "eu.md 12", "ca-jp-mx.md 6")
    with pytest.raises(KeyError, match="unknown source key 'CODE-99'"):
        source("CODE-99")


def test_the_registry_holds_the_keys_of_every_reference_file():
    registry = sources()
    assert set(registry.files) == {"README.md", "us-fba.md", "us-referral.md", "uk-de.md", "eu.md", "ca-jp-mx.md",
                                   "more-stores.md", "reports.md", "marketplaces.md", "channels.md"}
    for key in ("CODE-26a", "REF-14", "EU-55", "EU3-2", "CA-1", "JP-1", "MS-26", "RPT-P4", "MKT-3", "SHIP-8"):
        assert key in registry.sources, key


@pytest.mark.skipif(not (ROOT.parent / "shared" / "reference").is_dir(), reason="the reference is not beside the "
                    "checkout")
def test_the_committed_registry_is_what_the_reference_builds():
    done = subprocess.run([sys.executable, str(ROOT / "tools" / "build_sources.py"), "--check"],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_a_tables_folder_uses_its_own_registry_and_does_not_load_it_as_a_table(tmp_path):
    (tmp_path / "us").mkdir()
    shutil.copy(SRC, tmp_path / "us")
    shutil.copy(REGISTRY, tmp_path)
    assert [t.id for t in load_directory(tmp_path)] == ["us-2026"]
    text = REGISTRY.read_text()
    old = '[sources."REF-3"]\n'
    assert old in text
    (tmp_path / "sources.toml").write_text(text.replace(old, '[sources."REF-3-gone"]\n'))
    with pytest.raises(TableError) as info:
        load_directory(tmp_path)
    assert (f"per_item_fee.source: unknown source key 'REF-3': not in {tmp_path / 'sources.toml'}"
            in str(info.value))
    assert "per_item_fee.source: unknown source key 'REF-3'" in load_error(tmp_path / "us" / "us-2026.toml")


def test_a_malformed_registry_names_its_file_and_key(tmp_path):
    (tmp_path / "sources.toml").write_text('[files."x.md"]\ntitle = "x"\nsections = []\n[sources."A-1"]\n'
                                           'title = "a"\nlistedin = []\n')
    with pytest.raises(TableError) as info:
        load_registry(tmp_path / "sources.toml")
    assert str(info.value) == (f"{tmp_path / 'sources.toml'}: not a source registry\n"
                               "  sources.A-1.value.listed_in: Missing data for required field.\n"
                               "  sources.A-1.value.listedin: Unknown field.")


def test_a_profile_citing_an_unknown_key_is_rejected(tmp_path):
    path = edited(tmp_path, 'source = "REF-4, REF-5"', 'source = "REF-4, REF-55"', PROFILES / "us-default.toml")
    with pytest.raises(FeecalcError) as info:
        load_profile(path)
    assert str(info.value) == (f"{path}: amazon.professional_plan_per_month.source: unknown source key 'REF-55': "
                               f"not in {REGISTRY}")
