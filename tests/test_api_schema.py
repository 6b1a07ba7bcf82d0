"""Property-based run of the app's own OpenAPI document (schemathesis): no 500s, and every response matches
the document (status code, content type, body schema).  Business rules the document cannot express (a known
category, a date inside the tables) give documented 4xx answers, so the 'positive data accepted' check is
not among these."""

import pytest
from hypothesis import HealthCheck, settings

schemathesis = pytest.importorskip("schemathesis")

from schemathesis.checks import not_a_server_error  # noqa: E402
from schemathesis.specs.openapi.checks import (  # noqa: E402
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from feecalc_api import create_app  # noqa: E402

schema = schemathesis.openapi.from_wsgi("/openapi.json", create_app())
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@schema.parametrize()
@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_conforms_to_its_openapi_document(case):
    case.call_and_validate(checks=CHECKS)
