"""Messages that name the real problem, the cell or field and the accepted forms (issue 12, point 6)."""

import pytest

import feecalc
from feecalc.cli import main

ITEM = dict(on="2026-05-01", price="24.00", length=30, width=20, height=10, weight=1200, category="kitchen")


def test_an_unknown_seller_country_is_an_error_listing_the_known_ones():
    # before: 'XX' was silently a seller established elsewhere
    with pytest.raises(feecalc.InvalidItem) as info:
        feecalc.quote("UK", seller_country="XX", **ITEM)
    text = str(info.value)
    assert text.startswith("seller_country: unknown country code (ISO 3166, two letters; the Digital Services Fee "
                           "rules name ES, FR, IT, UK, any other country is established elsewhere), got 'XX' "
                           "(valid: AC, AD, AE, ")
    assert {"DE", "US", "UK", "PL"} <= set(info.value.choices) and "XX" not in info.value.choices
    assert feecalc.quote("UK", seller_country="gb", **ITEM).fees["digital_services_fee"] == \
        feecalc.quote("UK", seller_country="UK", **ITEM).fees["digital_services_fee"]
    assert feecalc.quote("UK", seller_country="US", **ITEM).total is not None  # a country without a rule: elsewhere


def test_the_command_line_rejects_an_unknown_seller_country(capsys):
    args = ["quote", "--marketplace", "UK", "--price", "24", "--dims", "30x20x10cm", "--weight", "1200g",
            "--category", "kitchen", "--on", "2026-05-01", "--seller-country", "XX"]
    assert main(args) == 2
    assert capsys.readouterr().err.startswith("feecalc: seller_country: unknown country code (ISO 3166")


def test_cost_frame_without_a_required_column_lists_the_columns_it_found():
    # before: "price: is required, got None"
    import pandas as pd

    df = pd.DataFrame({"Price ": [24.99], "length": [10], "width": [6], "height": [3], "weight": [1.2],
                       "category": ["home_and_kitchen"]})
    with pytest.raises(feecalc.InvalidItem) as info:
        feecalc.cost_frame(df, on="2026-05-01")
    assert str(info.value) == ("price: is required, but the frame has no column named 'price'; 'Price ' differs from "
                               "it only in case or spaces: rename it (its columns: 'Price ', 'length', 'width', "
                               "'height', 'weight', 'category')")
    assert info.value.field == "price"


CSV = "sku,price,length,width,height,weight,category\nA,24.99,10,6,3,1.2,home_and_kitchen\n"


def test_a_date_beyond_every_fee_table_stops_the_run_once(tmp_path, capsys):
    # before: every row failed with its own 'no US fee table covers 2031-01-01' and the file was written
    src = tmp_path / "c.csv"
    src.write_text(CSV * 1 + "B,9.99,5,4,1,0.3,toys_and_games\n")
    assert main(["batch", str(src), "--on", "2031-01-01"]) == 2
    assert capsys.readouterr().err == ("feecalc: --on: no fee table covers 2031-01-01 for US: the US fee tables cover "
                                       "2023-01-01 to 2027-01-14\n")
    assert not (tmp_path / "c.costed.csv").exists()
    assert main(["impact", str(src), "--from", "2026-05-01", "--to", "2031-01-01"]) == 2
    assert capsys.readouterr().err.startswith("feecalc: --to: no fee table covers 2031-01-01 for US: ")
    # with a date column each row has its own date: rows outside every table get their own errors
    src.write_text("sku,price,length,width,height,weight,category,date\nA,24.99,10,6,3,1.2,home_and_kitchen,"
                   "2031-01-01\nB,24.99,10,6,3,1.2,home_and_kitchen,2026-05-01\n")
    assert main(["batch", str(src), "--quiet", "--force"]) == 1


def test_the_api_answers_a_date_beyond_the_tables_on_the_on_field():
    import io

    from feecalc_api import create_app

    r = create_app().test_client().post("/v1/batch", data={"file": (io.BytesIO(CSV.encode()), "c.csv"),
                                                           "on": "2031-01-01"}, content_type="multipart/form-data")
    assert r.status_code == 422 and r.json["errors"] == [{"field": "on", "message": (
        "on: no fee table covers 2031-01-01 for US: the US fee tables cover 2023-01-01 to 2027-01-14")}]


def test_the_command_line_reads_the_marketplaces_decimal_symbol(capsys):
    # before: `feecalc quote --marketplace DE --price 24,99` was rejected, although DE files read decimal commas
    args = ["quote", "--marketplace", "DE", "--dims", "38x28x5cm", "--weight", "0,9kg", "--category",
            "rucksacks_and_handbags", "--program", "cep", "--seller-country", "UK", "--on", "2026-05-01", "--json"]
    assert main([*args, "--price", "24,00"]) == 0
    comma = capsys.readouterr().out
    assert main([*args, "--price", "24.00"]) == 0
    assert capsys.readouterr().out == comma and '"fulfillment": "3.80"' in comma
    assert main([*args, "--price", "1.234,00"]) == 2
    assert capsys.readouterr().err == ("feecalc: --price: '1.234,00' is not a number: write it plainly (24.99) or "
                                       "with ',' as the decimal symbol (24,99), without grouping\n")
