"""What the JSON answers say: every fee line present (null and its reason where unavailable), in the library's
`to_dict`, the API's quote bodies and the SP-API shape."""

import pytest

import feecalc
from feecalc.tables.schema import FEE_LINES
from feecalc_api import create_app

# US on 2024-03-01: the interim card of 2024-02-05 to 2024-04-14 is NOT FOUND but for three cells, so this
# large-standard item's fulfilment fee is unavailable
PEAK = dict(marketplace="US", on="2024-03-01", price="24.99", length=16, width=1, height=1, weight=10,
            weight_unit="oz", category="home_and_kitchen")
REASON = ("2024 interim card (Feb 5 - Apr 14), large_standard, 8 oz+ to 12 oz: the 2024-02-05 to 2024-04-14 interim "
          "card is NOT FOUND except three cells (us-fba.md 4.3)")


@pytest.fixture
def client():
    return create_app().test_client()


def test_to_dict_has_every_fee_key_null_where_unavailable():
    # before: no 'fulfillment' key at all, so fees["fulfillment"] raised KeyError
    body = feecalc.quote(**{k if k != "on" else "on": v for k, v in PEAK.items()}).to_dict(explain=False)
    assert list(body["fees"]) == list(FEE_LINES)
    assert (body["fees"]["fulfillment"], body["fees"]["referral"], body["total"]) == (None, "3.75", None)
    assert body["unavailable"] == {"fulfillment": REASON}


def test_api_quote_fees_have_every_key_with_a_null_amount_and_the_reason(client):
    body = client.post("/v1/quotes", json=PEAK).json
    assert list(body["fees"]) == list(FEE_LINES)
    fulfillment = body["fees"]["fulfillment"]
    assert (fulfillment["amount"], fulfillment["currency"]) == (None, "USD")
    assert fulfillment["unavailable"] == REASON and "display" not in fulfillment
    assert body["fees"]["referral"] == {"amount": "3.75", "currency": "USD"}
    listed = client.post("/v1/quotes", json={"items": [{**{k: v for k, v in PEAK.items() if k != "on"}, "id": "a"}],
                                             "on": "2024-03-01"}).json
    assert listed["results"]["a"]["quote"]["fees"]["fulfillment"]["amount"] is None


def test_sp_api_shape_lists_every_line_and_marks_the_unavailable_ones(client):
    # before: Status ClientError with FeesEstimate null, so the known referral fee was not shown either
    result = client.post("/v1/quotes?shape=sp-api", json=PEAK).json["FeesEstimateResult"]
    assert result["Status"] == "ClientError" and result["Error"]["Code"] == "DataNotAvailable"
    assert result["Error"]["Detail"] == [{"fee": "fulfillment", "reason": REASON}]
    estimate = result["FeesEstimate"]
    assert estimate["TotalFeesEstimate"] is None
    lines = {d["FeeType"]: d for d in estimate["FeeDetailList"]}
    assert list(lines) == ["ReferralFee", "VariableClosingFee", "PerItemFee", "FBAFees"]
    assert lines["ReferralFee"]["FinalFee"] == {"CurrencyCode": "USD", "Amount": 3.75}
    assert "Unavailable" not in lines["ReferralFee"]
    fba = lines["FBAFees"]
    assert fba["FeeAmount"] is None and fba["FinalFee"] is None
    assert fba["Unavailable"] == f"fulfillment: {REASON}"  # FBAFees is fulfilment + fuel + packaging
    included = {d["FeeType"]: d for d in fba["IncludedFeeDetailList"]}
    assert included["FBAPerUnitFulfillmentFee"]["FinalFee"] is None
    assert included["FBAPerUnitFulfillmentFee"]["Unavailable"] == REASON
    assert included["FBAFuelSurcharge"]["FinalFee"] == {"CurrencyCode": "USD", "Amount": 0.0}


ITEM = {"price": "24.99", "length": 10, "width": 6, "height": 3, "weight": 1.2, "category": "home_and_kitchen"}


def test_integer_ids_are_accepted_and_answered_as_strings(client):
    # before: 422 'Not a valid string.' for {"id": 1}
    r = client.post("/v1/quotes", json={"items": [dict(ITEM, id=1), dict(ITEM, id="two")], "on": "2026-05-01"})
    assert r.status_code == 200 and list(r.json["results"]) == ["1", "two"]
    assert r.json["results"]["1"]["quote"]["total"] == {"amount": "9.36", "currency": "USD"}
    r = client.post("/v1/quotes", json={"items": [dict(ITEM, id=1), dict(ITEM, id="1")]})
    assert r.json["errors"] == [{"field": "items", "message": "ids must be unique; repeated: 1"}]
    r = client.post("/v1/quotes", json={"items": [dict(ITEM, id=1.5), dict(ITEM, id=True)]})
    assert r.json["errors"] == [{"field": "items[0].id", "message": "must be a string or a whole number"},
                                {"field": "items[1].id", "message": "must be a string or a whole number"}]


@pytest.mark.parametrize("header", ["Bearer k1", "bearer k1", "BEARER  k1", " Bearer k1 "])
def test_the_bearer_scheme_is_case_insensitive(header):
    # before: 'bearer k1' was a 401 (RFC 9110: the scheme is case-insensitive)
    c = create_app({"api_keys": ("k1",)}).test_client()
    assert c.get("/v1/marketplaces", headers={"Authorization": header}).status_code == 200
    assert c.get("/v1/marketplaces", headers={"Authorization": "Basic k1"}).status_code == 401
    assert c.get("/v1/marketplaces", headers={"Authorization": "bearer K1"}).status_code == 401


def test_the_openapi_document_is_valid_openapi_3():
    # before: 4 errors, the upload's form fields declared `in: formData` (Swagger 2.0)
    from openapi_spec_validator import OpenAPIV30SpecValidator

    doc = create_app().test_client().get("/openapi.json").json
    assert [e.message for e in OpenAPIV30SpecValidator(doc).iter_errors()] == []
    upload = doc["paths"]["/v1/batch"]["post"]
    assert "parameters" not in upload
    schema = upload["requestBody"]["content"]["multipart/form-data"]["schema"]
    assert schema == {"$ref": "#/components/schemas/BatchForm"}
    form = doc["components"]["schemas"]["BatchForm"]
    assert list(form["properties"]) == ["file", "on", "marketplace", "locale", "sheet"]
    assert form["properties"]["file"]["format"] == "binary" and form["required"] == ["file"]


def test_batch_messages_name_the_form_field_not_the_command_line_option(client):
    import io

    csv = b"sku,price,length,width,height,weight,category\nA,24.99,10,6,3,1.2,home_and_kitchen\n"
    r = client.post("/v1/batch", data={"file": (io.BytesIO(csv), "c.csv"), "sheet": "Items"},
                    content_type="multipart/form-data")
    assert r.status_code == 422 and "--" not in r.json["detail"]
    assert r.json["detail"] == "c.csv: sheet applies to spreadsheets (.xlsx, .xlsm, .xls, .ods), not to csv files"
    assert r.json["errors"] == [{"field": "sheet", "message": r.json["detail"]}]
    r = client.post("/v1/batch", data={"file": (io.BytesIO(csv), "c.csv"), "locale": "zz"},
                    content_type="multipart/form-data")
    assert r.json["errors"] == [{"field": "locale",
                                 "message": "locale: unknown locale 'zz' (for example en_US, de_DE, en_GB)"}]
