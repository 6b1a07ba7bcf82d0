"""One validation pass (issue 17): a request body the API's gate passes is exactly what marshmallow's load of the same
schema gives (so the route and the library see the same arguments), and a body the gate does not pass goes through
marshmallow's load, whose messages the API answers with, as before."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from marshmallow import Schema, ValidationError

from feecalc_api import create_app
from feecalc_api.schemas import CompareRequest, Gate, QuoteRequest

ITEM = {"price": "24.99", "length": 10, "width": 6, "height": 3, "weight": 1.2, "category": "home_and_kitchen"}
# values of every JSON type, in and out of the fields' types, choices and bounds
VALUES = st.sampled_from([None, True, False, 0, 1, -1, 2.5, 10_000, "", "x", "24.99", "in", "lb", "professional",
                          "individual", "standard", "pan_eu", "minimal", "optimized", "high", "low", "US", "DE",
                          "USA", "2026-05-01", "2026-W18-5", "20260501", "x" * 41, "y" * 201, [1, 2], [1], {"a": 1}])
NAMES = st.sampled_from(sorted(set(QuoteRequest().fields) - {"items"}) + ["colour"])


def assert_the_gate_agrees(schema: Schema, body) -> None:
    """What the gate passes is exactly marshmallow's load of the body; what that load refuses, the gate refuses."""
    gated = Gate(schema, schema.item_schema()).body(body)
    try:
        loaded = Schema.load(schema, body)
    except ValidationError:
        assert gated is None, body
        return
    if gated is not None:
        assert gated == loaded


@settings(max_examples=400, deadline=None)
@given(changes=st.dictionaries(NAMES, VALUES, max_size=4), drop=st.sets(st.sampled_from(sorted(ITEM)), max_size=1))
def test_the_gate_passes_only_what_marshmallow_loads_and_as_it_loads_it(changes, drop):
    body = {k: v for k, v in {**ITEM, **changes}.items() if k not in drop}
    for schema in (QuoteRequest(), CompareRequest()):
        assert_the_gate_agrees(schema, body)


@settings(max_examples=200, deadline=None)
@given(ids=st.lists(st.one_of(st.integers(-3, 3), st.sampled_from(["a", "b", "", "z" * 129]), st.none()),
                    min_size=1, max_size=4),
       change=st.dictionaries(NAMES, VALUES, max_size=2), top=st.dictionaries(st.sampled_from(["on", "marketplace",
                                                                                              "price"]), VALUES,
                                                                              max_size=2))
def test_a_list_through_the_gate_is_what_marshmallow_loads(ids, change, top):
    assert_the_gate_agrees(QuoteRequest(), {"items": [{**ITEM, **change, "id": i} for i in ids], **top})


def test_a_plain_body_is_not_loaded_by_marshmallow(monkeypatch):
    load = Schema.load

    def refuse(self, *args, **kwargs):
        if isinstance(self, QuoteRequest):
            raise AssertionError("marshmallow's load ran for a body the gate passes")
        return load(self, *args, **kwargs)  # the query string's schema

    monkeypatch.setattr(Schema, "load", refuse)
    client = create_app().test_client()
    r = client.post("/v1/quotes", json={**ITEM, "on": "2026-05-01"})
    assert r.status_code == 200 and r.json["total"] == {"amount": "9.36", "currency": "USD"}
    r = client.post("/v1/quotes", json={"items": [{**ITEM, "id": 7}], "on": "2026-05-01"})
    assert r.status_code == 200 and r.json["results"]["7"]["quote"]["total"]["amount"] == "9.36"
    gated = Gate(QuoteRequest(), QuoteRequest.item_schema()).body({**ITEM, "on": "2026-05-01"})
    assert gated is not None and gated["on"] == dt.date(2026, 5, 1)


PROGRAMS = "Must be one of: standard, small_and_light, cep, efn, efn_cep, remote_fulfillment, pan_eu, pan_eu_cep."


@pytest.mark.parametrize("body, errors", [
    ({**ITEM, "price": True, "colour": 1}, [{"field": "colour", "message": "Unknown field."},
                                            {"field": "price", "message": "must be a number or a decimal string"}]),
    ({**ITEM, "program": "bogus"}, [{"field": "program", "message": PROGRAMS}]),
])
def test_a_body_the_gate_does_not_pass_keeps_marshmallows_messages(body, errors):
    r = create_app().test_client().post("/v1/quotes", json=body)
    assert r.status_code == 422 and r.json["errors"] == errors


def test_a_rule_the_gate_does_not_read_exactly_sends_the_field_to_marshmallow():
    from marshmallow import fields, validate

    from feecalc_api.schemas import _check_of

    assert _check_of(fields.String(validate=validate.Length(equal=2))) is None
    assert _check_of(fields.Integer(strict=True, validate=validate.Range(min=0, min_inclusive=False))) is None
    check = _check_of(fields.Integer(strict=True, validate=validate.Range(min=0, max=5)))
    assert check is not None and (check(0), check(5), check(6), check(True)) == (True, True, False, False)
