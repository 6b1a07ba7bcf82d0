"""HTTP layer: a thin Flask app over feecalc's library (no fee logic here).  The repository keeps it in api/;
installed, it is the package feecalc_api (the `web` extra: pip install 'feecalc[web]').

    from feecalc_api import create_app
    app = create_app()          # settings from FEECALC_* environment variables
"""

from __future__ import annotations

import hmac
import json
import logging
import re
import time
import uuid
from pathlib import Path

from flask import Flask, Response, g, request, send_from_directory

from .config import Settings
from .problems import ProblemApi, problem

ACCESS_LOG = logging.getLogger("feecalc.access")
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")


def create_app(config: dict | None = None) -> Flask:
    """The application: routes, OpenAPI document, docs, limits, API keys, request ids and access log."""
    settings = Settings.from_env(config)
    app = Flask(__name__)
    app.config.update(
        DEBUG=False, PROPAGATE_EXCEPTIONS=False, MAX_CONTENT_LENGTH=settings.max_body_bytes,
        API_TITLE="feecalc", API_VERSION="1", OPENAPI_VERSION="3.0.3", OPENAPI_URL_PREFIX="/",
        OPENAPI_JSON_PATH="openapi.json", FEECALC=settings,
        API_SPEC_OPTIONS={"info": {"description": "Exact, explainable Amazon seller fees. Money is "
                                   "{amount: decimal string, currency}."},
                          "components": {"securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}}},
    )
    api = ProblemApi(app)
    from .routes import RESPONSE_SCHEMAS, audit_blp, batch_blp, compare_blp, meta_blp, quotes_blp, tables_blp

    for name, schema in RESPONSE_SCHEMAS.items():
        api.spec.components.schema(name, schema=schema)
    for blp in (quotes_blp, compare_blp, batch_blp, audit_blp, tables_blp, meta_blp):
        api.register_blueprint(blp)
    _docs(app)
    _page(app)
    _hooks(app, settings)
    return app


PAGE_HEADERS = {  # the page loads nothing from elsewhere: its own script and style, the API on the same origin
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data: blob:; object-src 'none'; base-uri 'none'; "
                               "frame-ancestors 'none'; form-action 'self'",
    "X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer"}


def _page(app: Flask) -> None:
    """The calculator page at / (static/index.html, its script and style beside it under /static; no build step,
    no CDN): a client of the /v1 API like any other."""
    page = (Path(__file__).parent / "static" / "index.html").read_bytes()

    @app.get("/")
    def index():
        return Response(page, mimetype="text/html", headers={**PAGE_HEADERS, "Cache-Control": "no-cache"})

    @app.after_request
    def static_headers(resp: Response) -> Response:
        if request.path.startswith("/static/"):
            resp.headers.update(PAGE_HEADERS)
        return resp


def _docs(app: Flask) -> None:
    """Swagger UI at /docs from the files the swagger-ui-bundle package ships (works offline)."""
    from swagger_ui_bundle import swagger_ui_path

    page = (Path(__file__).parent / "docs.html").read_text()

    @app.get("/docs")
    def docs():
        return Response(page, mimetype="text/html")

    @app.get("/docs/static/<path:name>")
    def docs_static(name):
        return send_from_directory(swagger_ui_path, name)


def _hooks(app: Flask, settings: Settings) -> None:
    @app.before_request
    def start():
        g.start = time.perf_counter()
        given = request.headers.get("X-Request-ID", "")
        g.request_id = given if _REQUEST_ID.match(given) else uuid.uuid4().hex
        if request.path.startswith("/v1") and settings.api_keys:
            scheme, _, token = request.headers.get("Authorization", "").strip().partition(" ")
            token = token.strip() if scheme.lower() == "bearer" else ""  # the scheme is case-insensitive (RFC 9110)
            if not any(hmac.compare_digest(token.encode(), key.encode()) for key in settings.api_keys):
                resp = problem(401, "a valid API key is required: send 'Authorization: Bearer <key>'")
                resp.headers["WWW-Authenticate"] = 'Bearer realm="feecalc"'
                return resp
        return None

    @app.after_request
    def finish(resp: Response) -> Response:
        resp.headers["X-Request-ID"] = getattr(g, "request_id", uuid.uuid4().hex)
        started = getattr(g, "start", None)
        if ACCESS_LOG.isEnabledFor(logging.INFO):
            ACCESS_LOG.info(json.dumps({
                "method": request.method, "path": request.path, "status": resp.status_code,
                "duration_ms": round((time.perf_counter() - started) * 1000, 2) if started else None,
                "request_id": resp.headers["X-Request-ID"]}))
        return resp
