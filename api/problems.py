"""RFC 9457 problem details for every error the service returns; no stack traces, ever."""

from __future__ import annotations

import json as std_json
import logging

from flask import Response, json, request
from flask_smorest import Api
from flask_smorest import Blueprint as SmorestBlueprint
from webargs.flaskparser import FlaskParser
from werkzeug.datastructures import CombinedMultiDict
from werkzeug.exceptions import HTTPException

TITLES = {400: "Bad Request", 401: "Unauthorized", 404: "Not Found", 405: "Method Not Allowed",
          413: "Content Too Large", 415: "Unsupported Media Type", 422: "Unprocessable Content",
          500: "Internal Server Error", 503: "Service Unavailable"}
LOG = logging.getLogger("feecalc.api")


def problem(status: int, detail: str, errors: list[dict] | None = None) -> Response:
    """A problem+json response."""
    body = {"type": "about:blank", "title": TITLES.get(status, "Error"), "status": status, "detail": detail,
            "instance": request.path}
    if errors:
        body["errors"] = errors
    return Response(json.dumps(body), status=status, mimetype="application/problem+json")


def field_errors(messages, prefix: str = "") -> list[dict]:
    """Flatten marshmallow/webargs messages into [{field, message}], field paths like 'items[2].price'."""
    out = []
    if isinstance(messages, dict):
        for key, sub in messages.items():
            if key in ("json", "query", "form", "files", "form_and_files") and not prefix:
                out.extend(field_errors(sub, ""))
                continue
            path = f"{prefix}[{key}]" if isinstance(key, int) else (f"{prefix}.{key}" if prefix else str(key))
            out.extend(field_errors(sub, path))
    elif isinstance(messages, list):
        for m in messages:
            out.extend(field_errors(m, prefix) if isinstance(m, (dict, list)) else
                       [{"field": prefix or None, "message": str(m)}])
    else:
        out.append({"field": prefix or None, "message": str(messages)})
    return out


class ProblemApi(Api):
    """flask-smorest's Api with problem+json for HTTP errors and a last-resort handler that hides internals."""

    def __init__(self, app=None, **kwargs):
        super().__init__(app, **kwargs)
        if app is not None:
            app.register_error_handler(Exception, self.handle_unexpected)

    def handle_http_exception(self, error: HTTPException):
        messages = (getattr(error, "data", None) or {}).get("messages")
        if error.code == 400 and messages:
            return problem(400, "the request body is not valid JSON")
        if error.code == 422 and messages:
            errors = sorted(field_errors(messages), key=lambda e: (e["field"] or "", e["message"]))
            return problem(422, "the request has invalid fields", errors)
        if error.code == 413:
            return problem(413, f"the request body is larger than the limit of "
                                f"{request.max_content_length or 0:,} bytes")
        return problem(error.code or 500, error.description or TITLES.get(error.code or 500, "error"))

    def handle_unexpected(self, error: Exception):
        if isinstance(error, HTTPException):
            return self.handle_http_exception(error)
        LOG.exception("unexpected error")
        return problem(500, "an unexpected error occurred; it has been logged")


class _Parser(FlaskParser):
    """webargs' parser, with JSON nested too deeply for the decoder (a RecursionError) read as malformed
    JSON, a 400, like any other body that is not JSON; and a `form_and_files` location, a multipart body's
    fields and files read by one schema (OpenAPI 3 has one request body, not form parameters)."""

    __location_map__ = dict(FlaskParser.__location_map__, form_and_files="load_form_and_files")

    def load_form_and_files(self, req, schema):
        return self._makeproxy(CombinedMultiDict([req.form, req.files]), schema)

    def _raw_load_json(self, req):
        try:
            return super()._raw_load_json(req)
        except RecursionError:
            raise std_json.JSONDecodeError("nested too deeply", "(the request body)", 0) from None


class Blueprint(SmorestBlueprint):
    ARGUMENTS_PARSER = _Parser()
    DEFAULT_LOCATION_CONTENT_TYPE_MAPPING = {**SmorestBlueprint.DEFAULT_LOCATION_CONTENT_TYPE_MAPPING,
                                             "form_and_files": "multipart/form-data"}
