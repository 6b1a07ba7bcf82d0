"""What the JSON answers say: every fee line present (null and its reason where unavailable), in the library's
`to_dict`, the API's quote bodies and the SP-API shape."""

import pytest

import feecalc
from feecalc.tables.schema import FEE_LINES
from feecalc_api import create_app

# DE on 2026-11-01: the 2026 holiday peak is NOT FOUND, so the parcel's fulfilment fee is unavailable
PEAK = dict(marketplace="DE", on="2026-11-01", price="24.00", length=38, width=28, height=5, weight=900,
            category="rucksacks_and_handbags", program="cep", seller_country="UK")
REASON = "DE 2026 holiday peak, CEP, medium_parcel_1, any weight: the 2026 holiday peak, if any, is NOT FOUND"


@pytest.fixture
def client():
    return create_app().test_client()


def test_to_dict_has_every_fee_key_null_where_unavailable():
    # before: no 'fulfillment' key at all, so fees["fulfillment"] raised KeyError
    body = feecalc.quote(**{k if k != "on" else "on": v for k, v in PEAK.items()}).to_dict(explain=False)
    assert list(body["fees"]) == list(FEE_LINES)
    assert (body["fees"]["fulfillment"], body["fees"]["referral"], body["total"]) == (None, "3.60", None)
    assert body["unavailable"]["fulfillment"].startswith(REASON)


def test_api_quote_fees_have_every_key_with_a_null_amount_and_the_reason(client):
    body = client.post("/v1/quotes", json=PEAK).json
    assert list(body["fees"]) == list(FEE_LINES)
    fulfillment = body["fees"]["fulfillment"]
    assert (fulfillment["amount"], fulfillment["currency"]) == (None, "EUR")
    assert fulfillment["unavailable"].startswith(REASON) and "display" not in fulfillment
    assert body["fees"]["referral"] == {"amount": "3.60", "currency": "EUR"}
    listed = client.post("/v1/quotes", json={"items": [{**{k: v for k, v in PEAK.items() if k != "on"}, "id": "a"}],
                                             "on": "2026-11-01"}).json
    assert listed["results"]["a"]["quote"]["fees"]["fulfillment"]["amount"] is None


def test_sp_api_shape_lists_every_line_and_marks_the_unavailable_ones(client):
    # before: Status ClientError with FeesEstimate null, so the known referral fee was not shown either
    result = client.post("/v1/quotes?shape=sp-api", json=PEAK).json["FeesEstimateResult"]
    assert result["Status"] == "ClientError" and result["Error"]["Code"] == "DataNotAvailable"
    assert [d["fee"] for d in result["Error"]["Detail"]] == ["fulfillment", "fuel_surcharge", "digital_services_fee"]
    estimate = result["FeesEstimate"]
    assert estimate["TotalFeesEstimate"] is None
    lines = {d["FeeType"]: d for d in estimate["FeeDetailList"]}
    assert list(lines) == ["ReferralFee", "VariableClosingFee", "PerItemFee", "FBAFees"]
    assert lines["ReferralFee"]["FinalFee"] == {"CurrencyCode": "EUR", "Amount": 3.6}
    assert "Unavailable" not in lines["ReferralFee"]
    fba = lines["FBAFees"]
    assert fba["FeeAmount"] is None and fba["FinalFee"] is None
    assert fba["Unavailable"].startswith(f"fulfillment: {REASON}") and "; fuel_surcharge: " in fba["Unavailable"]
    included = {d["FeeType"]: d for d in fba["IncludedFeeDetailList"]}
    assert included["FBAPerUnitFulfillmentFee"]["FinalFee"] is None
    assert included["FBAPerUnitFulfillmentFee"]["Unavailable"].startswith(REASON)
