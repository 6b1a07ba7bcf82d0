"""Amazon's product groups and fee-category names, built in as data (fee_tables/<market>/product-groups.toml):
Amazon's own fee preview report costs with no category map (issue 12, point 1)."""

import tomllib
from pathlib import Path

import pandas as pd
import pytest
from fee_preview import eu_report, na_report

import feecalc
from feecalc.cli import main
from feecalc.errors import TableError
from feecalc.tables import load_directory, load_groups, product_groups, tables_dir

ON = "2026-05-01"
OWN = ("category {!r} read as {}: Amazon's product group, mapped by feecalc's own reading (the reference maps no "
       "product group to a {} category); check it, or name the category (a spreadsheet: --category-map)")
ITEM = dict(on=ON, price="24.99", length=10, width=6, height=3, weight=1.2)


def costed(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False, sep="\t", encoding="cp1252", quoting=3)


def test_a_us_fee_preview_report_costs_with_no_category_map(tmp_path, capsys):
    # before: 5 of the 8 product groups were 'unknown category' errors, each listing all 42 categories
    src = tmp_path / "fee-preview.txt"
    src.write_bytes(na_report().encode("cp1252"))
    assert main(["batch", str(src), "--on", ON, "--quiet"]) == 1
    out = pd.read_csv(tmp_path / "fee-preview.costed.txt", sep="\t", dtype=str, keep_default_na=False,
                      encoding="cp1252")
    assert len(out) == 10 and list(out["product-group"][:8]) == ["Kitchen", "Beauty", "Book", "Wireless",
                                                                 "Lawn & Patio", "Toy", "Apparel", "Wireless"]
    expected = {"Kitchen": ("home_and_kitchen", "9.36"), "Beauty": ("beauty_health_and_personal_care", "9.36"),
                "Book": ("books", "11.16"), "Lawn & Patio": ("home_and_garden", "9.36"),
                "Toy": ("toys_and_games", "9.36"), "Apparel": ("clothing_and_accessories", "10.50")}  # apparel card
    for i, group in enumerate(out["product-group"][:8]):
        if group == "Wireless":
            assert out.loc[i, "error"] == ("product-group: 'Wireless' is Amazon's product group for more than one US "
                                           "category in us-2026: cell_phone_devices or electronics_accessories; name "
                                           "the category (a spreadsheet: --category-map)")
            continue
        category, total = expected[group]
        assert (out.loc[i, "total"], out.loc[i, "error"]) == (total, ""), group
        assert str(feecalc.quote(category=category, **ITEM).total) == total
        own = OWN.format(group, category, "US")
        assert out.loc[i, "warnings"].startswith(own) == (group != "Apparel"), group  # Apparel: sourced (A-FCAT)
    luggage = feecalc.quote(on=ON, price="25.00", length=7.72, width=6.54, height=1.22, weight=0.18,
                            category="backpacks_handbags_and_luggage")
    assert (out.loc[8, "total"], out.loc[8, "fulfillment"]) == (str(luggage.total), "3.95")
    # the CA row is costed under ca-2026, whose nine referral categories (ca-jp-mx.md) have none for luggage
    assert out.loc[9, "error"].startswith("product-group: unknown category for CA in ca-2026, got 'Luggage'")
    # the report's own cells come back as they were: its '--' placeholders, its fee columns, its currency
    assert list(out.loc[8, ["amazon-store", "estimated-order-handling-fee-per-order", "currency",
                            "estimated-fee-total"]]) == ["US", "--", "USD", "7.80"]
    assert out.loc[0, "feecalc_currency"] == "USD"
    assert same_cells(src, tmp_path / "fee-preview.costed.txt")


def same_cells(src: Path, out: Path) -> bool:
    """Every input row and cell, as it came, at the head of each output row (tab-delimited, cp1252 both)."""
    import csv

    rows = [list(csv.reader(open(p, encoding="cp1252", newline=""), delimiter="\t")) for p in (src, out)]
    width = len(rows[0][0])
    return len(rows[0]) == len(rows[1]) and all(a == b[:width] for a, b in zip(*rows, strict=True))


def test_an_eu_fee_preview_report_costs_with_no_category_map(tmp_path):
    src = tmp_path / "eu.txt"
    src.write_bytes(eu_report().encode("cp1252"))
    # the EU report's decimal symbol is NOT FOUND (reports.md 8.4); these rows have points, so en_US reads them
    assert main(["batch", str(src), "--marketplace", "DE", "--locale", "en_US", "--on", ON, "--quiet"]) == 1
    out = pd.read_csv(tmp_path / "eu.costed.txt", sep="\t", dtype=str, keep_default_na=False, encoding="cp1252")
    kitchen = feecalc.quote("DE", on=ON, price="29.99", length=31.5, width=20, height=10.2, weight=1200,
                            category="kitchen")
    assert list(out["total"]) == [str(kitchen.total), "7.96", "7.96", ""]
    assert (out.loc[0, "size_tier"], out.loc[0, "referral"], out.loc[0, "fulfillment"]) == \
        ("small_parcel", "4.50", "3.41")
    assert out.loc[1, "warnings"].startswith(OWN.format("Toy", "toys_and_games", "DE"))
    assert out.loc[3, "error"].startswith("product-group: 'Wireless' is Amazon's product group for more than one DE "
                                          "category in de-2026: consumer_electronics or electronic_accessories")
    assert list(out["expected-efn-fulfilment-fee-per-unit-de"]) == ["--"] * 4
    assert same_cells(src, tmp_path / "eu.costed.txt")


def test_a_category_map_still_overrides_the_built_in_groups(tmp_path):
    src = tmp_path / "fp.csv"
    src.write_text("sku,your-price,longest-side,median-side,shortest-side,item-package-weight,product-group\n"
                   "A,24.99,10,6,3,1.2,Wireless\nB,24.99,10,6,3,1.2,Toy\n")
    labels = tmp_path / "map.csv"
    labels.write_text("label,category\nWireless,electronics_accessories\nToy,baby_products\n")
    assert main(["batch", str(src), "--category-map", str(labels), "--on", ON, "--quiet"]) == 0
    out = pd.read_csv(tmp_path / "fp.costed.csv", dtype=str, keep_default_na=False)
    assert list(out["error"]) == ["", ""] and "product group" not in "".join(out["warnings"])
    assert list(out["referral"]) == ["3.75", "3.75"]  # electronics accessories: 15% up to $100; baby: 15%


def test_quotes_and_the_api_read_product_groups_with_the_warning():
    q = feecalc.quote(category="Kitchen", **ITEM)
    assert q.total == feecalc.quote(category="home_and_kitchen", **ITEM).total
    assert q.warnings[0] == OWN.format("Kitchen", "home_and_kitchen", "US")
    with pytest.raises(feecalc.UnknownCategory) as info:
        feecalc.quote(category="Wireless", **ITEM)
    assert info.value.choices == ["cell_phone_devices", "electronics_accessories"]
    # a name that is a category of the table is never read as a product group: 'Kitchen' is one in the UK
    uk = feecalc.quote("UK", on=ON, price="24.00", length=30, width=20, height=10, weight=1200, category="Kitchen")
    assert not any("product group" in w for w in uk.warnings)
    from feecalc_api import create_app

    body = create_app().test_client().post("/v1/quotes", json={"category": "Toy", **ITEM}).json
    assert body["warnings"][0] == OWN.format("Toy", "toys_and_games", "US")


def test_the_files_are_data_beside_the_tables_and_not_mistaken_for_tables():
    tables = load_directory(tables_dir())
    assert all(t.path.name != "product-groups.toml" for t in tables)
    groups = product_groups("US")
    assert groups.path.name == "product-groups.toml" and groups.get("lawn and patio").category == "home_and_garden"
    apparel = groups.get("APPAREL")
    assert (apparel.source, apparel.confidence, apparel.own_reading) == ("us-fba.md 4, A-FCAT, A-FCAT-CA", "M-H", False)


@pytest.mark.parametrize("entry, problem", [
    ('names = ["Gnome"]\ncategory = "gnomes"\nreading = "feecalc"',
     "group[0] (Gnome): 'gnomes' is not a category of any US fee table"),
    ('names = ["Gnome"]\ncategory = "toys_and_games"\ncandidates = ["toys_and_games", "books"]\nreading = "feecalc"',
     "group[0]: give either category or candidates"),
    ('names = ["Gnome"]\ncategory = "toys_and_games"',
     "group[0]: give either a source (with its confidence) or reading = 'feecalc'"),
    ('names = ["Gnome"]\ncategory = "toys_and_games"\nsource = "us-fba.md NOPE-1"\nconfidence = "M"',
     "group[0] (Gnome).source: unknown source key 'NOPE-1'"),
    ('names = ["Gnome"]\ncategory = "toys_and_games"\nreading = "mine"', "group[0].reading: Must be equal to feecalc."),
    ('names = ["Gnome", "gnome"]\ncategory = "toys_and_games"\nreading = "feecalc"',
     "group[0] (Gnome): 'gnome' is also given by 'Gnome'"),
])
def test_a_bad_product_group_file_is_a_load_error_naming_the_entry(tmp_path, capsys, entry, problem):
    path = tmp_path / "us" / "product-groups.toml"
    path.parent.mkdir()
    path.write_text(f'marketplace = "US"\ntitle = "t"\n\n[[group]]\n{entry}\n')
    with pytest.raises(TableError) as info:
        load_groups(path)
    assert problem in str(info.value)
    assert main(["tables", "validate", str(path)]) == 2
    assert problem in capsys.readouterr().err


def test_every_bundled_product_group_file_cites_where_its_names_come_from():
    paths = sorted(Path(tables_dir()).glob("*/product-groups.toml"))
    assert {path.parent.name for path in paths} == {"us", "uk", "de"}
    for path in paths:
        assert tomllib.loads(path.read_text(encoding="utf-8"))["source"].startswith("reports.md 2.2 "), path
        load_groups(path)  # the citation resolves in the source registry


def test_a_file_level_source_that_does_not_resolve_is_a_load_error(tmp_path):
    path = tmp_path / "us" / "product-groups.toml"
    path.parent.mkdir()
    path.write_text('marketplace = "US"\ntitle = "t"\nsource = "reports.md 99.9"\n\n[[group]]\nnames = ["Gnome"]\n'
                    'category = "toys_and_games"\nreading = "feecalc"\n')
    with pytest.raises(TableError, match=r"source: reports\.md has no section 99\.9"):
        load_groups(path)
