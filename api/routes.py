"""Blueprints: each route translates HTTP to a feecalc library call and back; no fee logic here."""

from __future__ import annotations

import datetime as dt
import io
import tempfile
import time
from decimal import Decimal
from pathlib import Path

import orjson
import pyarrow.csv as pacsv
from babel import Locale, UnknownLocaleError
from babel.numbers import format_currency
from flask import Response, current_app, json, request

import feecalc
from feecalc.batch import MONEY, Summary, cost_file
from feecalc.choices import store_options
from feecalc.costprofile import OVERRIDES, bundled_profiles, load_profile
from feecalc.curve import profit_curve
from feecalc.engine import TOTAL_LINES
from feecalc.errors import FeecalcError, NoFeeTable
from feecalc.sheets import READABLE, BatchError, output_suffix
from feecalc.spec import ITEM_FIELDS
from feecalc.tables.schema import FEE_LINES

from .problems import TITLES, Blueprint, problem
from .schemas import (
    AuditForm,
    BatchForm,
    Categories,
    CategoryQuery,
    CompareQuery,
    CompareRequest,
    CostProfileInfo,
    Health,
    MarketplaceInfo,
    Problem,
    QuoteList,
    QuoteQuery,
    QuoteRequest,
    QuoteResult,
    SpResponse,
    StoreInputs,
    TableSummary,
)

ERRORS = {code: {"description": TITLES[code], "content": {"application/problem+json": {"schema": Problem}}}
          for code in (400, 401, 404, 413, 415, 422)}
# Amazon's Product Fees API lists these fee types (reports.md 7.3); FBAFees is the fulfilment fee total, so it holds
# the SIPP discount and the overmax handling fee with it.  The low-inventory-level,
# inbound placement, returns processing, storage and removal fees are not lines of that API, so this shape leaves
# them out (TotalFeesEstimate is feecalc's total, which holds the low-inventory-level fee and the DSF).
SP_FEE_TYPES = (("ReferralFee", ("referral",)), ("VariableClosingFee", ("closing",)), ("PerItemFee", ("per_item",)),
                ("FBAFees", ("fulfillment", "sipp_discount", "overmax_handling", "fuel_surcharge", "packaging")))
MEDIA = {".csv": "text/csv", ".tsv": "text/tab-separated-values", ".parquet": "application/vnd.apache.parquet",
         ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
ITEM_INPUTS = frozenset(f.name for f in ITEM_FIELDS)  # quote's item arguments (a compare item has more)

quotes_blp = Blueprint("quotes", __name__, url_prefix="/v1", description="Fee quotes for one item or a list")
batch_blp = Blueprint("batch", __name__, url_prefix="/v1", description="Spreadsheet costing")
audit_blp = Blueprint("audit", __name__, url_prefix="/v1", description="Audit Amazon's reports against the fee "
                      "tables")
compare_blp = Blueprint("compare", __name__, url_prefix="/v1", description="Channel economics")
tables_blp = Blueprint("fee-tables", __name__, url_prefix="/v1", description="Fee tables and categories")
meta_blp = Blueprint("health", __name__, description="Health")


def _json(body, status: int = 200) -> Response:
    return Response(orjson.dumps(body), status=status, mimetype="application/json")


def _require(mimetype: str):
    if request.mimetype != mimetype:
        return problem(415, f"send the body as {mimetype} (got {request.mimetype or 'no content type'})")
    return None


@quotes_blp.before_request
def _quotes_type():
    if request.method == "POST" and request.path == "/v1/quotes":
        return _require("application/json")
    return None


@batch_blp.before_request
def _batch_type():
    if request.method == "POST" and request.path == "/v1/batch":
        return _require("multipart/form-data")
    return None


# ---- quotes -------------------------------------------------------------------------------------
def _locale(query: dict) -> Locale | None:
    text = query.get("locale")
    if text:
        try:
            return Locale.parse(text.replace("-", "_"))
        except (ValueError, UnknownLocaleError):
            return None
    best = request.accept_languages.best
    try:
        return Locale.parse(best, sep="-") if best else None
    except (ValueError, UnknownLocaleError):
        return None


def _money(amount: Decimal, currency: str, locale: Locale | None) -> dict:
    out = {"amount": str(amount), "currency": currency}
    if locale is not None:
        out["display"] = format_currency(amount, currency, locale=locale)
    return out


def _fee(q: feecalc.Quote, name: str, locale: Locale | None) -> dict:
    """One fee line as Money; an unavailable figure is a null amount with its reason, never a missing key."""
    if name in q.unavailable:
        return {"amount": None, "currency": q.currency, "unavailable": q.unavailable[name]}
    return _money(q.fees[name], q.currency, locale)


def _quote_body(q: feecalc.Quote, locale: Locale | None, explain: bool) -> dict:
    body = q.to_dict(explain=explain)
    body["fees"] = {k: _fee(q, k, locale) for k in FEE_LINES}
    body["total"] = None if q.total is None else _money(q.total, q.currency, locale)
    body["landed_total"] = None if q.landed_total is None else _money(q.landed_total, q.currency, locale)
    body["total_lines"] = list(TOTAL_LINES)
    return body


def _item_problem(errors: list[FeecalcError]) -> tuple[int, dict]:
    market = [e for e in errors if isinstance(e, NoFeeTable) and str(e).startswith("marketplace:")]
    status = 404 if market else 422
    listed = [{"field": getattr(e, "field", None) or str(e).split(":", 1)[0], "message": str(e)} for e in errors]
    return status, {"type": "about:blank", "title": TITLES[status], "status": status,
                    "detail": str(market[0]) if market else "the item has invalid fields",
                    "instance": request.path, "errors": listed}


def _sp_result(q, ident: str | None, locale) -> dict:
    """Amazon's FeesEstimateResult for a quote.  Every fee line is listed; a line whose figure is unavailable has
    null amounts and its reason (`Unavailable`), and then the result is a ClientError (DataNotAvailable) whose
    estimate still shows the lines that are known, with a null total."""
    money = lambda v: None if v is None else {"CurrencyCode": q.currency, "Amount": float(v)}  # noqa: E731

    def amount(keys: tuple[str, ...]) -> Decimal | None:
        if any(k in q.unavailable for k in keys):
            return None
        return sum((q.fees[k] for k in keys), Decimal("0.00"))

    def line(fee_type: str, keys: tuple[str, ...]) -> dict[str, object]:
        value = amount(keys)
        detail: dict[str, object] = {"FeeType": fee_type, "FeeAmount": money(value), "FinalFee": money(value)}
        missing = [k for k in keys if k in q.unavailable]
        if missing:  # the reason; for a line made of several fees, each named
            detail["Unavailable"] = q.unavailable[keys[0]] if len(keys) == 1 else \
                "; ".join(f"{k}: {q.unavailable[k]}" for k in missing)
        return detail

    details = []
    for fee_type, keys in SP_FEE_TYPES:
        detail = line(fee_type, keys)
        detail["FeePromotion"] = money(0)
        if fee_type == "FBAFees":
            detail["IncludedFeeDetailList"] = [line("FBAPerUnitFulfillmentFee", ("fulfillment",)),
                                               line("FBAFuelSurcharge", ("fuel_surcharge",))]
        details.append(detail)
    market = feecalc.marketplace(q.marketplace)
    ident_block = {"MarketplaceId": market.marketplace_id if market else q.marketplace, "IsAmazonFulfilled": True,
                   "SellerInputIdentifier": ident or "", "IdType": "SellerInputIdentifier"}
    estimate = {"TimeOfFeesEstimation": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
                "TotalFeesEstimate": money(q.total), "FeeDetailList": details}
    if q.total is None:
        missing = [{"fee": k, "reason": v} for k, v in q.unavailable.items() if k in TOTAL_LINES]
        return {"Status": "ClientError", "FeesEstimateIdentifier": ident_block, "FeesEstimate": estimate,
                "Error": {"Type": "Receiver", "Code": "DataNotAvailable",
                          "Message": "; ".join(f"{m['fee']}: {m['reason']}" for m in missing), "Detail": missing}}
    return {"Status": "Success", "FeesEstimateIdentifier": ident_block, "Error": None, "FeesEstimate": estimate}


def _sp_error(ident: str | None, problem_body: dict) -> dict:
    return {"Status": "ClientError", "FeesEstimateIdentifier": {"SellerInputIdentifier": ident or ""},
            "FeesEstimate": None, "Error": {"Type": "Sender", "Code": "InvalidParameterValue",
                                            "Message": problem_body["detail"], "Detail": problem_body["errors"]}}


@quotes_blp.route("/quotes", methods=["POST"])
@quotes_blp.arguments(QuoteQuery(), location="query", as_kwargs=False)
@quotes_blp.arguments(QuoteRequest(), location="json")
@quotes_blp.doc(responses={200: {"description": "a quote; with 'items', results keyed by id; with "
                                                "shape=sp-api, Amazon's FeesEstimateResult structure",
                                 "content": {"application/json": {"schema": {"oneOf": [
                                     {"$ref": "#/components/schemas/QuoteResult"},
                                     {"$ref": "#/components/schemas/QuoteList"},
                                     {"$ref": "#/components/schemas/SpResponse"}]}}}}, **ERRORS})
def post_quotes(query: dict, body: dict):
    """Quote one item, or up to FEECALC_MAX_ITEMS items with unique ids (one bad item does not fail the others)."""
    settings = current_app.config["FEECALC"]
    if query.get("locale"):
        try:
            Locale.parse(query["locale"].replace("-", "_"))
        except (ValueError, UnknownLocaleError):
            return problem(422, "the request has invalid fields",
                           [{"field": "locale", "message": f"unknown locale {query['locale']!r}"}])
    locale, sp = _locale(query), query["shape"] == "sp-api"
    on, market = body.pop("on", None), body.pop("marketplace", "US")
    items = body.pop("items", None)
    explain = query["explain"] if query["explain"] is not None else items is None
    if items is None:
        try:
            result = feecalc.quote(market, on, **body)
        except FeecalcError:  # list every bad field, not just the first (quote_many agrees with quote)
            errors = feecalc.quote_many([body], on=on, marketplace=market)[0]
            status, err = _item_problem(errors if isinstance(errors, list) else [])
            return Response(orjson.dumps(err), status=status, mimetype="application/problem+json")
        return _json({"FeesEstimateResult": _sp_result(result, None, locale)} if sp else
                     _quote_body(result, locale, explain))
    if len(items) > settings.max_items:
        return problem(422, "the request has invalid fields",
                       [{"field": "items", "message": f"at most {settings.max_items} items per request"}])
    ids = [item.pop("id") for item in items]
    results = feecalc.quote_many(items, on=on, marketplace=market)
    if sp:
        return _json({"FeesEstimateResults": [
            _sp_error(i, _item_problem(r)[1]) if isinstance(r, list) else _sp_result(r, i, locale)
            for i, r in zip(ids, results, strict=True)]})
    out = {}
    for i, r in zip(ids, results, strict=True):
        out[i] = {"error": _item_problem(r)[1]} if isinstance(r, list) else {"quote": _quote_body(r, locale, explain)}
    return _json({"results": out})


# ---- compare ------------------------------------------------------------------------------------
def _compare_one(item: dict, on, market: str, curve: int | None = None) -> tuple[int, dict]:
    target = item.pop("target_margin", None)
    try:
        comparison = feecalc.compare(market, on, target_margin=target, **item)
        out = comparison.to_dict()
        if curve:  # the chart's points, through the same profile and overrides as the comparison
            profile = load_profile().with_overrides(**{k: v for k, v in item.items() if k in OVERRIDES})
            quote_args = {k: v for k, v in item.items() if k not in OVERRIDES}
            out["curve"] = profit_curve(quote_args, comparison, profile, on=on, marketplace=market,
                                        points=curve).to_dict()
        return 200, out
    except FeecalcError:
        quote_args = {k: v for k, v in item.items() if k in ITEM_INPUTS}
        errors = feecalc.quote_many([quote_args], on=on, marketplace=market)[0]
        if isinstance(errors, list):
            return _item_problem(errors)
        import sys

        exc = sys.exc_info()[1]
        return 422, {"type": "about:blank", "title": TITLES[422], "status": 422, "detail": str(exc),
                     "instance": request.path, "errors": [{"field": getattr(exc, "field", None), "message": str(exc)}]}


@compare_blp.before_request
def _compare_type():
    if request.method == "POST" and request.path == "/v1/compare":
        return _require("application/json")
    return None


@compare_blp.route("/compare", methods=["POST"])
@compare_blp.arguments(CompareQuery(), location="query", as_kwargs=False)
@compare_blp.arguments(CompareRequest(), location="json")
@compare_blp.doc(responses={200: {"description": "the comparison; with 'items', results keyed by id; with "
                                                 "?curve=N, the profit chart's points too ('curve')",
                                  "content": {"application/json": {"schema": {"type": "object"}}}}, **ERRORS})
def post_compare(query: dict, body: dict):
    """FBA vs seller-fulfilled vs own web shop: costs, profit, margin, ROI, break-even, best channel."""
    settings = current_app.config["FEECALC"]
    on, market = body.pop("on", None), body.pop("marketplace", "US")
    items = body.pop("items", None)
    if items is not None and query.get("curve"):
        return problem(422, "the request has invalid fields",
                       [{"field": "curve", "message": "the profit chart is for one item, not a list"}])
    if items is None:
        status, out = _compare_one(body, on, market, query.get("curve"))
        mimetype = "application/json" if status == 200 else "application/problem+json"
        return Response(orjson.dumps(out), status=status, mimetype=mimetype)
    if len(items) > settings.max_items:
        return problem(422, "the request has invalid fields",
                       [{"field": "items", "message": f"at most {settings.max_items} items per request"}])
    results = {}
    for item in items:  # an item's own date and marketplace win over the request's, as in a list of quotes
        ident, item_on, item_market = item.pop("id"), item.pop("on", on), item.pop("marketplace", market)
        status, out = _compare_one(item, item_on, item_market)
        results[ident] = {"comparison": out} if status == 200 else {"error": out}
    return _json({"results": results})


# ---- batch --------------------------------------------------------------------------------------
@batch_blp.route("/batch", methods=["POST"])
@batch_blp.arguments(BatchForm(), location="form_and_files", as_kwargs=False)
@batch_blp.doc(responses={200: {"description": "the costed file, in the upload's format (XLSM, XLS, ODS: XLSX)",
                                "content": {m: {"schema": {"type": "string", "format": "binary"}}
                                            for m in sorted(set(MEDIA.values()))}}, **ERRORS,
                          503: {"description": "the time budget ran out",
                                "content": {"application/problem+json": {"schema": Problem}}}})
def post_batch(form: dict):
    """Cost an uploaded spreadsheet exactly as `feecalc batch` does."""
    settings = current_app.config["FEECALC"]
    upload = form["file"]
    name = Path(upload.filename or "upload").name
    ext = Path(name).suffix.lower()
    if ext not in READABLE:
        return problem(415, f"unsupported file type {ext or '(none)'}; send .csv, .tsv, .xlsx, .xlsm, .ods or .parquet")
    with tempfile.TemporaryDirectory(prefix="feecalc-") as tmp:
        src = Path(tmp) / f"upload{ext}"
        upload.save(src)
        out_ext = output_suffix(ext)
        dst = Path(tmp) / f"costed{out_ext}"
        try:
            result = cost_file(src, dst, on=form.get("on"), marketplace=form["marketplace"], locale=form.get("locale"),
                               sheet=form.get("sheet"), force=True,
                               deadline=time.perf_counter() + settings.time_budget_ms / 1000,
                               full_warnings=out_ext not in (".xlsx",))  # one file: a legend beside it would be lost
        except TimeoutError as exc:
            return problem(503, str(exc))
        except BatchError as exc:  # worded for the form's fields, not the command line's options
            text = exc.for_field().replace(str(src), name).replace(str(dst), "the output")
            return problem(422, text, [{"field": exc.option, "message": text}] if exc.option else None)
        except NoFeeTable as exc:
            return problem(404, str(exc))
        except FeecalcError as exc:
            return problem(422, str(exc))
        data = dst.read_bytes()
    resp = Response(data, mimetype=MEDIA.get(out_ext, "application/octet-stream"))
    resp.headers["Content-Disposition"] = f'attachment; filename="{Path(name).stem}.costed{out_ext}"'
    resp.headers["X-Feecalc-Rows"] = str(result.summary.rows)
    resp.headers["X-Feecalc-Error-Rows"] = str(result.summary.error_rows)
    resp.headers["X-Feecalc-Summary"] = _summary_header(result.summary, result.header_row)
    return resp


def _summary_header(s: Summary, header_row: int) -> str:
    """The run's summary as compact ASCII JSON (a header, beside the file): rows, error rows, the first ten errors
    with their data row and file line (each message cut at 300 characters), totals per currency and fee, size tiers
    and the fee tables used."""
    body = {"rows": s.rows, "error_rows": s.error_rows,
            "errors": [{"row": row, "line": header_row + row, "message": message[:300]}
                       for row, message in s.first_errors],
            "totals": {cur: {k: str(s.money(k, cur)) for k in MONEY if s.count(k, cur)} for cur in s.currencies},
            "tiers": {tier: n for tier, n in s.tiers.items() if n}, "fee_tables": dict(s.tables)}
    return json.dumps(body, ensure_ascii=True, separators=(",", ":"))


# ---- audit --------------------------------------------------------------------------------------
@audit_blp.before_request
def _audit_type():
    if request.method == "POST" and request.path == "/v1/audit":
        return _require("multipart/form-data")
    return None


@audit_blp.route("/audit", methods=["POST"])
@audit_blp.arguments(AuditForm(), location="form_and_files", as_kwargs=False)
@audit_blp.doc(responses={200: {"description": "the audit: JSON (summary, findings, unmatched lines), the XLSX "
                                               "workbook, or the findings as CSV",
                                "content": {"application/json": {"schema": {"type": "object"}},
                                            MEDIA[".xlsx"]: {"schema": {"type": "string", "format": "binary"}},
                                            MEDIA[".csv"]: {"schema": {"type": "string", "format": "binary"}}}},
                          **ERRORS, 503: {"description": "the time budget ran out",
                                          "content": {"application/problem+json": {"schema": Problem}}}})
def post_audit(form: dict):
    """Audit uploaded reports exactly as `feecalc audit` does."""
    from feecalc.audit import ReportError, run, write
    from feecalc.audit.amounts import parse_tolerance
    from feecalc.audit.report import as_json, findings_table

    settings = current_app.config["FEECALC"]
    with tempfile.TemporaryDirectory(prefix="feecalc-audit-") as tmp:
        names: dict[str, str] = {}

        def save(upload, i: int) -> Path:
            shown = Path(upload.filename or f"file {i}").name
            path = Path(tmp) / f"{i}-{shown}"
            upload.save(path)
            names[str(path)] = shown
            return path

        files = [save(u, i) for i, u in enumerate(form["file"], start=1)]
        catalog = save(form["catalog"], 0) if form.get("catalog") else None
        if catalog is not None and catalog.suffix.lower() not in READABLE:
            return problem(415, f"catalog: unsupported file type {catalog.suffix or '(none)'}; send .csv, .tsv, "
                                ".xlsx, .xlsm, .ods or .parquet")
        labels = save(form["category_map"], -1) if form.get("category_map") else None
        try:
            parse_tolerance(form["tolerance"], "tolerance")  # named as the form's field, not the option
        except ValueError as exc:
            return problem(422, str(exc))
        try:
            result = run(files, catalog=catalog, on=form.get("on"), tolerance=form["tolerance"],
                         category_map_path=labels, names=names, catalog_marketplace=form["catalog_marketplace"],
                         deadline=time.perf_counter() + settings.time_budget_ms / 1000)
        except TimeoutError as exc:
            return problem(503, str(exc))
        except NoFeeTable as exc:
            return problem(404, str(exc))
        except (ReportError, BatchError, FeecalcError) as exc:
            text = str(exc)
            for path, shown in names.items():
                text = text.replace(path, shown)
            return problem(422, text)
        headers = {"X-Feecalc-Findings": str(len(result.findings)), "X-Feecalc-Lines": str(result.lines),
                   "X-Feecalc-Unmatched-Lines": str(result.unmatched)}
        if form["format"] == "json":
            resp = _json(as_json(result))
        elif form["format"] == "csv":
            buffer = io.BytesIO()
            pacsv.write_csv(findings_table(result.findings), buffer)
            resp = Response(buffer.getvalue(), mimetype=MEDIA[".csv"])
            resp.headers["Content-Disposition"] = 'attachment; filename="audit.csv"'
        else:
            out = Path(tmp) / "audit.xlsx"
            write(result, out, force=True)
            resp = Response(out.read_bytes(), mimetype=MEDIA[".xlsx"])
            resp.headers["Content-Disposition"] = 'attachment; filename="audit.xlsx"'
    resp.headers.update(headers)
    return resp


# ---- tables, marketplaces, categories -------------------------------------------------------------
def _summary(t) -> dict:
    return {"id": t.id, "title": t.data["title"], "marketplace": t.marketplace, "currency": t.data["currency"],
            "effective_from": str(t.effective_from), "effective_to": str(t.effective_to), "sha256": t.sha256}


@tables_blp.route("/fee-tables", methods=["GET"])
@tables_blp.response(200, TableSummary(many=True))
def list_tables():
    """Every fee table with its marketplace, dates and content hash."""
    return [_summary(t) for t in feecalc.all_tables()]


@tables_blp.route("/fee-tables/<table_id>", methods=["GET"])
@tables_blp.doc(responses={200: {"description": "the whole table as JSON (amounts and dates as strings)",
                                 "content": {"application/json": {"schema": {"type": "object"}}}},
                           404: ERRORS[404]})
def get_table(table_id: str):
    """One fee table, as loaded from its file."""
    for t in feecalc.all_tables():
        if t.id == table_id:
            return Response(json.dumps({**_summary(t), "data": json.loads(json.dumps(t.data, default=str))}),
                            mimetype="application/json")
    return problem(404, f"no fee table {table_id!r}; known: {', '.join(t.id for t in feecalc.all_tables())}")


@tables_blp.route("/marketplaces", methods=["GET"])
@tables_blp.response(200, MarketplaceInfo(many=True))
def list_marketplaces():
    """Amazon marketplaces with their ids, currencies, locales and whether feecalc has tables for them."""
    return feecalc.marketplaces()


@tables_blp.route("/categories", methods=["GET"])
@tables_blp.arguments(CategoryQuery(), location="query")
@tables_blp.response(200, Categories)
@tables_blp.doc(responses={404: ERRORS[404], 422: ERRORS[422]})
def list_categories(query: dict):
    """Referral categories in force for a marketplace on a date (default today)."""
    on = query.get("on") or dt.date.today()
    try:
        cats = feecalc.categories(query["marketplace"].upper(), on=on)
        table = feecalc.table_for(query["marketplace"].upper(), on)
    except NoFeeTable as exc:
        return problem(404, str(exc))
    return {"marketplace": query["marketplace"].upper(), "date": str(on), "table_id": table.id,
            "categories": [{"key": k, "name": v} for k, v in cats.items()]}


@tables_blp.route("/inputs", methods=["GET"])
@tables_blp.arguments(CategoryQuery(), location="query")
@tables_blp.response(200, StoreInputs)
@tables_blp.doc(responses={404: ERRORS[404], 422: ERRORS[422]})
def list_inputs(query: dict):
    """What an item may say in a store on a date (default today): the fee table in force, its units, the options it
    prices (programmes, apparel, dangerous goods, SIPP, plans, seller countries), every input's description and the
    categories.  The page at / builds its form from it."""
    on = query.get("on") or dt.date.today()
    code = query["marketplace"].upper()
    try:
        body = store_options(code, on)
        cats = feecalc.categories(code, on=on)
    except NoFeeTable as exc:
        return problem(404, str(exc))
    return {**body, "fields_": body.pop("fields"), "categories": [{"key": k, "name": v} for k, v in cats.items()]}


@compare_blp.route("/cost-profiles", methods=["GET"])
@compare_blp.response(200, CostProfileInfo(many=True))
def list_cost_profiles():
    """The bundled cost profiles: the seller's costs and settings a comparison uses unless the request sets them."""
    return [{"id": p.id, "marketplace": p.marketplace, "currency": p.currency, "values": p.values(),
             "notes": list(p.notes)} for p in bundled_profiles().values()]


@meta_blp.route("/healthz", methods=["GET"])
@meta_blp.response(200, Health)
def healthz():
    """Tables loaded, their count and hashes."""
    tables = feecalc.all_tables()
    return {"status": "ok", "tables": len(tables), "hashes": {t.id: t.sha256 for t in tables}}


# make the response schemas components of the OpenAPI document
RESPONSE_SCHEMAS = {"QuoteResult": QuoteResult, "QuoteList": QuoteList, "SpResponse": SpResponse}
