"""The HTTP API through Flask's test client: every endpoint and every error status, with exact bodies."""

import io
import json

import pandas as pd
import pytest

import feecalc
from feecalc_api import create_app

ITEM = {"price": "24.99", "length": 10, "width": 6, "height": 3, "weight": 1.2, "category": "home_and_kitchen",
        "on": "2026-05-01"}
PROBLEM = "application/problem+json"
STORES = ", ".join(sorted({t.marketplace for t in feecalc.all_tables()}))  # discovered


@pytest.fixture
def client():
    return create_app().test_client()


def test_one_quote(client):
    r = client.post("/v1/quotes", json=ITEM)
    assert r.status_code == 200 and r.mimetype == "application/json"
    body = r.json
    assert body["fees"]["fulfillment"] == {"amount": "5.42", "currency": "USD"}
    assert body["total"] == {"amount": "9.36", "currency": "USD"}
    assert (body["size_tier"], body["table_id"], len(body["table_hash"])) == ("large_standard", "us-2026", 64)
    assert body["explanation"]["fulfillment"].startswith("5.42 USD: 2026 non-apparel, non-peak, large_standard")


def test_display_strings_follow_accept_language_or_locale(client):
    de = client.post("/v1/quotes", json=ITEM, headers={"Accept-Language": "de-DE"}).json
    assert de["total"] == {"amount": "9.36", "currency": "USD", "display": "9,36\xa0$"}
    us = client.post("/v1/quotes?locale=en_US&explain=false", json=ITEM).json
    assert us["total"]["display"] == "$9.36" and "explanation" not in us


def test_list_keyed_by_id_one_bad_item_does_not_fail_the_others(client):
    items = [dict(ITEM, id="ok"), dict(ITEM, id="bad", price="-1", length=0)]
    for item in items:
        item.pop("on")
    r = client.post("/v1/quotes", json={"items": items, "on": "2026-05-01"})
    assert r.status_code == 200
    res = r.json["results"]
    assert res["ok"]["quote"]["total"] == {"amount": "9.36", "currency": "USD"}
    assert res["bad"]["error"] == {
        "type": "about:blank", "title": "Unprocessable Content", "status": 422,
        "detail": "the item has invalid fields", "instance": "/v1/quotes",
        "errors": [{"field": "price", "message": "price: must not be negative, got '-1'"},
                   {"field": "length", "message": "length: must be greater than zero, got 0"}]}


def test_list_ids_must_be_present_and_unique(client):
    r = client.post("/v1/quotes", json={"items": [dict(ITEM, id="a"), dict(ITEM, id="a"), {**ITEM}]})
    assert r.status_code == 422 and r.mimetype == PROBLEM
    assert r.json == {"type": "about:blank", "title": "Unprocessable Content", "status": 422,
                      "detail": "the request has invalid fields", "instance": "/v1/quotes",
                      "errors": [{"field": "items[2].id", "message": "Missing data for required field."}]}
    r = client.post("/v1/quotes", json={"items": [{k: v for k, v in dict(ITEM, id="a").items() if k != "on"},
                                                  {k: v for k, v in dict(ITEM, id="a").items() if k != "on"}]})
    assert r.json["errors"] == [{"field": "items", "message": "ids must be unique; repeated: a"}]


def test_list_length_cap(client):
    app = create_app({"max_items": 2})
    item = {k: v for k, v in ITEM.items() if k != "on"}
    r = app.test_client().post("/v1/quotes", json={"items": [dict(item, id=str(i)) for i in range(3)]})
    assert r.status_code == 422
    assert r.json["errors"] == [{"field": "items", "message": "at most 2 items per request"}]


def test_sp_api_shape(client):
    r = client.post("/v1/quotes?shape=sp-api", json=ITEM)
    result = r.json["FeesEstimateResult"]
    assert result["Status"] == "Success" and result["Error"] is None
    assert result["FeesEstimateIdentifier"]["MarketplaceId"] == "ATVPDKIKX0DER"
    est = result["FeesEstimate"]
    assert est["TotalFeesEstimate"] == {"CurrencyCode": "USD", "Amount": 9.36}
    assert [(d["FeeType"], d["FinalFee"]["Amount"]) for d in est["FeeDetailList"]] == [
        ("ReferralFee", 3.75), ("VariableClosingFee", 0.0), ("PerItemFee", 0.0), ("FBAFees", 5.61)]
    items = [{k: v for k, v in dict(ITEM, id="x1").items() if k != "on"}]
    many = client.post("/v1/quotes?shape=sp-api", json={"items": items, "on": "2026-05-01"}).json
    assert many["FeesEstimateResults"][0]["FeesEstimateIdentifier"]["SellerInputIdentifier"] == "x1"


def test_unavailable_fee_gives_null_total_not_an_error(client):
    body = client.post("/v1/quotes", json=dict(ITEM, on="2024-03-01", length=16, width=1, height=1,
                                               weight=10, weight_unit="oz")).json
    assert body["total"] is None and "fulfillment" in body["unavailable"]


@pytest.mark.parametrize("payload, status, detail, errors", [
    (dict(ITEM, marketplace="MX"), 404,
     f"marketplace: no fee tables for 'MX' (tables exist for {STORES})", [
         {"field": "marketplace", "message": f"marketplace: no fee tables for 'MX' (tables exist for {STORES})"}]),
    (dict(ITEM, on="2020-01-01"), 422, "the item has invalid fields", [
        {"field": "date", "message": "date: no US fee table covers 2020-01-01 (known: us-2023 2023-01-01 to "
                                     "2024-02-04, us-2024 2024-02-05 to 2025-01-14, us-2025 2025-01-15 to "
                                     "2026-01-14, us-2026 2026-01-15 to 2027-01-14)"}]),
    ({k: v for k, v in ITEM.items() if k != "price"}, 422, "the request has invalid fields", [
        {"field": "price", "message": "Missing data for required field."}]),
    (dict(ITEM, price=True, colour="red"), 422, "the request has invalid fields", [
        {"field": "colour", "message": "Unknown field."},
        {"field": "price", "message": "must be a number or a decimal string"}]),
])
def test_item_errors(client, payload, status, detail, errors):
    r = client.post("/v1/quotes", json=payload)
    assert (r.status_code, r.mimetype) == (status, PROBLEM)
    assert r.json == {"type": "about:blank", "title": {404: "Not Found", 422: "Unprocessable Content"}[status],
                      "status": status, "detail": detail, "instance": "/v1/quotes", "errors": errors}


@pytest.mark.parametrize("path, body", [
    ("/v1/quotes", "[" * 10_000 + "]" * 10_000),  # too deep for the JSON decoder: was a 500 (RecursionError)
    ("/v1/compare", '{"a": ' * 5_000 + "1" + "}" * 5_000),
])
def test_json_nested_too_deeply_is_400_not_500(client, path, body):
    r = client.post(path, data=body, content_type="application/json")
    assert (r.status_code, r.mimetype) == (400, PROBLEM)
    assert r.json == {"type": "about:blank", "title": "Bad Request", "status": 400,
                      "detail": "the request body is not valid JSON", "instance": path}


def test_infinite_amount_is_422_without_numpy_warnings(client):
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a RuntimeWarning from numpy would raise here
        r = client.post("/v1/quotes", data=json.dumps(ITEM).replace('"24.99"', "1e400"),
                        content_type="application/json")
    assert r.status_code == 422
    assert r.json["errors"] == [{"field": "price", "message": "price: must be finite, got inf"}]


def test_bad_locale_is_422(client):
    r = client.post("/v1/quotes?locale=xx_YY", json=ITEM)
    assert r.status_code == 422 and r.json["errors"] == [{"field": "locale", "message": "unknown locale 'xx_YY'"}]


def test_malformed_json_wrong_type_too_large(client):
    r = client.post("/v1/quotes", data="{oops", content_type="application/json")
    assert (r.status_code, r.json["detail"]) == (400, "the request body is not valid JSON")
    r = client.post("/v1/quotes", data="price=1", content_type="application/x-www-form-urlencoded")
    assert (r.status_code, r.json["detail"]) == (415, "send the body as application/json (got "
                                                      "application/x-www-form-urlencoded)")
    small = create_app({"max_body_bytes": 100}).test_client()
    r = small.post("/v1/quotes", json={"items": [dict(ITEM, id=str(i)) for i in range(10)]})
    assert r.status_code == 413 and r.mimetype == PROBLEM
    assert r.json["detail"] == "the request body is larger than the limit of 100 bytes"


def test_unknown_route_and_method(client):
    assert client.get("/v1/nothing").status_code == 404
    r = client.get("/v1/quotes")
    assert (r.status_code, r.mimetype) == (405, PROBLEM)


def test_api_keys(monkeypatch):
    app = create_app({"api_keys": ["s3cret", "other"]})
    c = app.test_client()
    r = c.post("/v1/quotes", json=ITEM)
    assert r.status_code == 401 and r.headers["WWW-Authenticate"] == 'Bearer realm="feecalc"'
    assert r.json["detail"] == "a valid API key is required: send 'Authorization: Bearer <key>'"
    assert c.post("/v1/quotes", json=ITEM, headers={"Authorization": "Bearer wrong"}).status_code == 401
    assert c.post("/v1/quotes", json=ITEM, headers={"Authorization": "Bearer other"}).status_code == 200
    assert c.get("/healthz").status_code == 200 and c.get("/openapi.json").status_code == 200
    assert c.get("/docs").status_code == 200
    monkeypatch.setenv("FEECALC_API_KEYS", "fromenv")
    assert create_app().test_client().get("/v1/marketplaces", headers={"Authorization": "Bearer fromenv"}) \
        .status_code == 200


def test_request_id_echoed_or_generated_and_access_log(client, caplog):
    caplog.set_level("INFO", logger="feecalc.access")
    r = client.get("/healthz", headers={"X-Request-ID": "abc-123"})
    assert r.headers["X-Request-ID"] == "abc-123"
    assert len(client.get("/healthz", headers={"X-Request-ID": "bad id!"}).headers["X-Request-ID"]) == 32
    line = [rec.message for rec in caplog.records if "abc-123" in rec.message][0]
    assert line.startswith('{"method": "GET", "path": "/healthz", "status": 200, "duration_ms": ')


def test_tables_marketplaces_categories_health(client):
    tables = client.get("/v1/fee-tables").json
    ids = [t.id for t in feecalc.all_tables()]  # discovered from the folder
    assert [t["id"] for t in tables] == ids and "us-2026" in ids
    one = client.get("/v1/fee-tables/us-2026").json
    assert one["id"] == "us-2026" and one["data"]["surcharges"][0]["rate"] == "3.5%"
    r = client.get("/v1/fee-tables/us-1999")
    assert r.status_code == 404 and r.json["detail"] == f"no fee table 'us-1999'; known: {', '.join(ids)}"
    markets = {m["code"]: m for m in client.get("/v1/marketplaces").json}
    assert markets["US"]["has_tables"] and markets["MX"] == {
        "code": "MX", "marketplace_id": "A1AM78C64UM0Y8", "domain": "amazon.com.mx", "currency": "MXN",
        "digits": 2, "locale": "es_MX", "has_tables": False}
    assert markets["DE"]["has_tables"] and markets["DE"]["tables_from"] == "2025-01-15"
    cats = client.get("/v1/categories?marketplace=US&on=2026-05-01").json
    assert cats["table_id"] == "us-2026" and {"key": "home_and_kitchen", "name": "Home & Kitchen"} in cats["categories"]
    assert client.get("/v1/categories?marketplace=MX").status_code == 404
    assert client.get("/v1/categories?on=notadate").status_code == 422
    health = client.get("/healthz").json
    assert health["status"] == "ok" and health["tables"] == len(ids) and len(health["hashes"]["us-2026"]) == 64


def test_batch_upload_round_trip(client):
    csv = "sku,price,length,width,height,weight,category\n00123,24.99,10,6,3,1.2,home_and_kitchen\nX,-1,1,1,1,1,toys\n"
    r = client.post("/v1/batch", data={"file": (io.BytesIO(csv.encode()), "catalog.csv"), "on": "2026-05-01"},
                    content_type="multipart/form-data")
    assert r.status_code == 200 and r.mimetype == "text/csv"
    assert r.headers["Content-Disposition"] == 'attachment; filename="catalog.costed.csv"'
    assert (r.headers["X-Feecalc-Rows"], r.headers["X-Feecalc-Error-Rows"]) == ("2", "1")
    out = pd.read_csv(io.BytesIO(r.data), dtype=str)
    assert list(out["sku"]) == ["00123", "X"] and out.loc[0, "total"] == "9.36"


def test_batch_upload_of_a_spreadsheet_read_but_not_written_answers_xlsx(client):
    book = io.BytesIO()
    pd.DataFrame([{"sku": "A", "price": "24.99", "length": 10, "width": 6, "height": 3, "weight": 1.2,
                   "category": "home_and_kitchen"}]).to_excel(book, index=False, engine="xlsxwriter")
    r = client.post("/v1/batch", data={"file": (io.BytesIO(book.getvalue()), "macros.XLSM"), "on": "2026-05-01"},
                    content_type="multipart/form-data")
    assert r.status_code == 200 and r.mimetype.endswith("spreadsheetml.sheet")
    assert r.headers["Content-Disposition"] == 'attachment; filename="macros.costed.xlsx"'
    assert pd.read_excel(io.BytesIO(r.data), dtype=str, engine="calamine").loc[0, "total"] == "9.36"


def test_batch_upload_with_a_ragged_row_costs_the_others(client):
    csv = "sku,price,length,width,height,weight,category\nA,24.99,10,6,3\nB,24.99,10,6,3,1.2,home_and_kitchen\n"
    r = client.post("/v1/batch", data={"file": (io.BytesIO(csv.encode()), "c.csv"), "on": "2026-05-01"},
                    content_type="multipart/form-data")
    assert r.status_code == 200 and (r.headers["X-Feecalc-Rows"], r.headers["X-Feecalc-Error-Rows"]) == ("2", "1")
    out = pd.read_csv(io.BytesIO(r.data), dtype=str, keep_default_na=False)
    assert list(out["error"]) == ["the row has 5 cells where the header has 7; it is not costed", ""]
    assert list(out["total"]) == ["", "9.36"]


@pytest.mark.parametrize("form, status, detail", [
    ({"locale": "zz"}, 422, "locale: unknown locale 'zz' (for example en_US, de_DE, en_GB)"),  # was a 500
    ({"locale": "xx_YY"}, 422, "locale: unknown locale 'xx_YY' (for example en_US, de_DE, en_GB)"),
    ({"marketplace": "XX"}, 404, f"marketplace: no fee tables for 'XX' (tables exist for {STORES})"),
])
def test_batch_bad_locale_or_marketplace(client, form, status, detail):
    csv = b"sku,price,length,width,height,weight,category\nA,24.99,10,6,3,1.2,home_and_kitchen\n"
    r = client.post("/v1/batch", data={"file": (io.BytesIO(csv), "c.csv"), **form}, content_type="multipart/form-data")
    assert (r.status_code, r.mimetype, r.json["detail"]) == (status, PROBLEM, detail)


def test_batch_errors(client):
    r = client.post("/v1/batch", data={"file": (io.BytesIO(b"a,b\n1,2\n"), "x.csv")},
                    content_type="multipart/form-data")
    assert r.status_code == 422 and r.json["detail"].startswith("x.csv: missing required column(s) price, length")
    r = client.post("/v1/batch", data={"file": (io.BytesIO(b"hello"), "x.doc")}, content_type="multipart/form-data")
    assert (r.status_code, r.json["detail"]) == (415, "unsupported file type .doc; send .csv, .tsv, .xlsx, .xlsm, "
                                                      ".ods or .parquet")
    r = client.post("/v1/batch", json={"file": "no"})
    assert r.status_code == 415
    r = client.post("/v1/batch", data={"on": "2026-05-01"}, content_type="multipart/form-data")
    assert r.status_code == 422 and r.json["errors"] == [{"field": "file", "message":
                                                          "Missing data for required field."}]
    slow = create_app({"time_budget_ms": -1}).test_client()
    csv = b"price,length,width,height,weight,category\n1,1,1,1,1,toys_and_games\n"
    r = slow.post("/v1/batch", data={"file": (io.BytesIO(csv), "c.csv")}, content_type="multipart/form-data")
    assert (r.status_code, r.json["detail"]) == (503, "the time budget ran out after 1 rows")


def test_openapi_document_and_offline_docs(client):
    spec = client.get("/openapi.json").json
    assert spec["openapi"] == "3.0.3"
    assert {"/v1/quotes", "/v1/batch", "/v1/fee-tables", "/v1/fee-tables/{table_id}", "/v1/marketplaces",
            "/v1/categories", "/healthz"} <= set(spec["paths"])
    page = client.get("/docs").get_data(as_text=True)
    assert "/docs/static/swagger-ui-bundle.js" in page and "http" not in page.split("<body>")[1]
    assert client.get("/docs/static/swagger-ui-bundle.js").status_code == 200


def test_request_fields_come_from_the_library_specification(client):
    from feecalc import spec
    from feecalc.channels import OVERRIDES, SHIP_VIA, ZONES
    from feecalc_api.schemas import CompareFields, ItemFields

    assert list(ItemFields().fields) == [f.name for f in spec.ITEM_FIELDS] + ["marketplace", "on"]
    assert set(CompareFields().fields) == set(ItemFields().fields) | OVERRIDES | {"target_margin"}
    schemas = client.get("/openapi.json").json["components"]["schemas"]
    quote = schemas["QuoteRequest"]["properties"]
    assert {f.name: quote[f.name]["description"] for f in spec.ITEM_FIELDS} == \
        {f.name: f.description for f in spec.ITEM_FIELDS}
    assert (quote["price"]["example"], quote["on"]["example"], quote["plan"]["enum"]) == \
        ("24.99", "2026-05-01", list(spec.PLANS))
    assert quote["age_days"]["maximum"] == spec.MAX_AGE_DAYS
    compare = schemas["CompareRequest"]["properties"]
    assert (compare["zone"]["enum"], compare["ship_via"]["enum"]) == (list(ZONES), list(SHIP_VIA))


def test_seller_country_is_a_request_field(client):
    body = dict(price="24", length=38, width=28, height=5, dimension_unit="cm", weight=900, weight_unit="g",
                category="rucksacks_and_handbags", marketplace="DE", on="2026-05-01")
    uk = client.post("/v1/quotes", json=dict(body, seller_country="UK")).json
    assert (uk["fees"]["digital_services_fee"]["amount"], uk["total"]["amount"]) == ("0.15", "7.87")
    assert client.post("/v1/quotes", json=dict(body, seller_country=None)).json["total"]["amount"] == "7.72"
    assert client.post("/v1/quotes", json={"items": [dict(body, id="a", seller_country="GB")]}).json[
        "results"]["a"]["quote"]["total"]["amount"] == "7.87"
    bad = client.post("/v1/quotes", json=dict(body, seller_country="X1"))
    assert (bad.status_code, bad.json["errors"]) == (422, [
        {"field": "seller_country", "message": "seller_country: expected a two-letter country code such as UK or DE, "
                                               "got 'X1'"}])
    long = client.post("/v1/quotes", json=dict(body, seller_country="Narnia"))
    assert (long.status_code, long.json["errors"]) == (422, [
        {"field": "seller_country", "message": "Length must be between 2 and 2."}])


@pytest.mark.parametrize("config, message", [
    ({"max_items": "abc"}, "FEECALC_MAX_ITEMS='abc': expected a whole number"),
    ({"max_body_bytes": 0}, "FEECALC_MAX_BODY_BYTES='0': expected a whole number above zero"),
])
def test_settings_that_are_not_numbers_stop_the_app(config, message):
    with pytest.raises(ValueError) as info:
        create_app(config)
    assert str(info.value) == message


def test_serve_with_a_bad_setting_or_tables_directory_exits_2(monkeypatch, capsys, tmp_path):
    from feecalc.cli import main

    monkeypatch.setenv("FEECALC_MAX_BODY_BYTES", "abc")
    assert main(["serve", "--port", "1"]) == 2  # before: a ValueError traceback
    assert capsys.readouterr().err == "feecalc: FEECALC_MAX_BODY_BYTES='abc': expected a whole number\n"
    monkeypatch.delenv("FEECALC_MAX_BODY_BYTES")
    monkeypatch.setenv("FEECALC_TABLES", str(tmp_path / "nope"))
    assert main(["serve", "--port", "1"]) == 2  # before: a service with no tables, every quote a 404
    assert capsys.readouterr().err == \
        f"feecalc: {tmp_path / 'nope'}: no such directory of fee tables (FEECALC_TABLES)\n"


def test_per_unit_fee_inputs_and_both_totals(client):
    # issue 13: days of supply as [short, long], a placement with its range, a return rate; total and landed_total
    body = client.post("/v1/quotes", json=dict(ITEM, on="2024-06-01", days_of_supply=[24, 18], placement="minimal",
                                               return_rate="5%")).json
    assert body["fees"]["low_inventory_level"] == {"amount": "0.36", "currency": "USD"}
    assert body["fees"]["inbound_placement"] == {"amount": "0.41", "currency": "USD"}
    assert body["ranges"] == {"inbound_placement": {"low": "0.22", "high": "0.41"}}
    # 3.75 referral + 5.37 fulfilment + 0.36; landed: + 0.41 placement + 0.08 storage for June (5% is below 8.1%)
    assert body["total"]["amount"] == "9.48" and body["landed_total"]["amount"] == "9.97"
    assert body["not_assessed"] == {"storage_utilization_surcharge": "no utilization_weeks given"}
    bad = client.post("/v1/quotes", json=dict(ITEM, days_of_supply=[1, 2, 3], placement="fast")).json
    assert {e["field"] for e in bad["errors"]} == {"days_of_supply", "placement"}


def test_sp_api_shape_has_only_amazons_lines(client):
    # the SIPP discount is part of FBAFees (Amazon's fulfilment fee total); the low-inventory-level fee is no line
    # of Amazon's Product Fees API, so it shows only in feecalc's total
    result = client.post("/v1/quotes?shape=sp-api", json=dict(ITEM, sipp=True, days_of_supply=5)).json
    est = result["FeesEstimateResult"]["FeesEstimate"]
    assert [(d["FeeType"], d["FinalFee"]["Amount"]) for d in est["FeeDetailList"]] == [
        ("ReferralFee", 3.75), ("VariableClosingFee", 0.0), ("PerItemFee", 0.0), ("FBAFees", 5.52)]
    assert est["TotalFeesEstimate"] == {"CurrencyCode": "USD", "Amount": 10.24}
