"""The calculator page at / in a real headless Chromium (see conftest.py): quote a US and a DE item and read the fees
off the page, an error at the field that caused it, channels compared with the chart's break-even markers and loss
windows, two dates line by line, a CSV uploaded and the costed file downloaded, a shared link, copy as API request
(the request it shows gives the same answer), the API key asked once, keyboard only, a phone, the locale switch,
no stack trace, and axe-core's accessibility check.  Amounts are exact: the reference's and README's worked
figures, and the library's quote for every line."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from babel.numbers import format_currency
from pagetest import Server, shot

import feecalc
from feecalc.choices import store_options

expect = pytest.importorskip("playwright.sync_api").expect

AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
US_ITEM = {"on": "2026-03-01", "price": "24.99", "length": "10", "width": "6", "height": "3", "weight": "1.2",
           "category": "home_and_kitchen"}
TOY = {"on": "2026-05-01", "price": "9.99", "shipping": "0", "length": "8", "width": "5", "height": "0.5",
       "weight": "5", "weight_unit": "oz", "category": "toys_and_games"}
DE_BACKPACK = {"marketplace": "DE", "on": "2026-05-01", "price": "24", "length": "38", "width": "28", "height": "5",
               "weight": "900", "category": "rucksacks_and_handbags", "program": "cep", "seller_country": "UK"}


def open_page(page, query: str = "") -> None:
    page.goto(page.base + "/" + query)
    expect(page.locator("body")).to_have_attribute("data-ready", "true")
    expect(page.locator("#on-hint")).to_contain_text("Fee schedule in force")


def fill(page, values: dict) -> None:
    """Type an item into the form, the store first (it sets the options and units)."""
    if "marketplace" in values:
        page.select_option("#marketplace", values["marketplace"])
        expect(page.locator("#on-hint")).to_contain_text(values["marketplace"].lower() + "-")
    for name, value in values.items():
        if name == "marketplace":
            continue
        field = page.locator(f"#{name}")
        if field.evaluate("el => el.tagName") == "SELECT":
            field.select_option(value)
        else:
            field.fill(value)


def fee(page, line: str, view: str = "#quote-result"):
    return page.locator(f"{view} tr[data-line={line}] td.num").first


def test_quote_a_us_item_and_read_the_fees_off_the_page(page):
    open_page(page)
    fill(page, US_ITEM)
    q = feecalc.quote("US", US_ITEM["on"], price="24.99", length=10, width=6, height=3, weight=1.2,
                      category="home_and_kitchen")
    expect(fee(page, "total")).to_have_text("$9.17")  # the README's worked quote: referral 3.75 + fulfilment 5.42
    expect(fee(page, "referral")).to_have_text("$3.75")
    expect(fee(page, "fulfillment")).to_have_text("$5.42")
    for line, amount in q.fees.items():  # every line, in the store's money format
        expect(fee(page, line)).to_have_text(format_currency(amount, "USD", locale="en_US"))
    expect(page.locator("[data-field=size_tier] dd")).to_have_text("Large standard")
    expect(page.locator("#quote-result .hash")).to_have_text(q.table_hash)
    expect(page.locator("#on-hint")).to_contain_text("Fee schedule in force on 2026-03-01: us-2026")
    page.locator("tr[data-line=fulfillment] summary").click()  # the explanation, on demand
    expect(page.locator("tr[data-line=fulfillment] details p")).to_have_text(q.lines["fulfillment"])
    page.shot("us")


def test_quote_a_de_item_in_euros_with_its_programme_and_seller_country(page):
    open_page(page)
    fill(page, DE_BACKPACK)
    q = feecalc.quote("DE", "2026-05-01", price="24", length=38, width=28, height=5, weight=900,
                      category="rucksacks_and_handbags", program="cep", seller_country="UK")
    expect(fee(page, "total")).to_have_text(format_currency(q.total, "EUR", locale="de_DE"))
    expect(fee(page, "fulfillment")).to_have_text("3,80\xa0€")  # Amazon's restated example (uk-de.md 5.8), CEP
    for line, amount in q.fees.items():
        expect(fee(page, line)).to_have_text(format_currency(amount, "EUR", locale="de_DE"))
    expect(page.locator("#program option")).to_have_count(7)  # the DE table's programmes; US has one and hides it
    expect(page.locator("#dimension_unit")).to_have_value("cm")  # the table's own units, for a first visit
    expect(page.locator("#weight_unit")).to_have_value("g")
    expect(page.locator("#price")).to_have_value("24")
    page.shot("de")


def test_a_validation_error_shows_at_the_field_that_caused_it(page):
    open_page(page)
    fill(page, {**US_ITEM, "weight": "0"})
    error = page.locator("#weight-error")
    expect(error).to_have_text("must be greater than zero, got '0'")  # the API's problem details, errors[].field
    expect(page.locator("#weight")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#price")).not_to_have_attribute("aria-invalid", "true")
    page.shot("weight")
    page.fill("#weight", "1.2")
    expect(error).to_have_text("")
    expect(fee(page, "total")).to_have_text("$9.17")
    page.fill("#price", "24,99")  # not a number in en_US: said at the field before anything is sent
    expect(page.locator("#price-error")).to_have_text("'24,99' is not a number in en_US (for example 1,234.5)")
    page.fill("#price", "24.99")
    page.fill("#category", "kitchen stuff")
    expect(page.locator("#category-error")).to_have_text(re.compile(  # the API's message, at the field
        r"^unknown category for US in us-2026, got 'kitchen stuff'; did you mean 'home_and_kitchen'\? "))
    expect(page.locator("#quote-result")).to_have_class(re.compile(r"\bstale\b"))  # the earlier answer, marked
    expect(page.locator("#quote-status")).to_have_text("Not quoted: the item has invalid fields. The figures below "
                                                       "are for the item as it was before.")
    page.shot("category")


def test_compare_channels_with_the_profit_chart_and_its_break_even_markers(page):
    open_page(page, "?view=compare")
    fill(page, TOY)
    page.fill("#seller-cost_of_goods", "5.17")
    # the README's toy: FBA breaks even at 9.68 and loses money from 10.00 to 10.75 (the mid price band)
    marker = page.locator("#profit-chart .break-even[data-channel=fba]")
    expect(marker).to_have_attribute("data-price", "9.68")
    window = page.locator("#profit-chart .loss-window[data-channel=fba]")
    expect(window).to_have_attribute("data-from", "10.00")
    expect(window).to_have_attribute("data-to", "10.75")
    c = feecalc.compare("US", "2026-05-01", price="9.99", length=8, width=5, height=0.5, weight=5, weight_unit="oz",
                        category="toys_and_games", shipping=0, cost_of_goods="5.17")
    for name, r in c.channels.items():
        expect(page.locator(f"#profit-chart .break-even[data-channel={name}]")).to_have_attribute(
            "data-price", str(r.break_even))
        expect(page.locator(f"#compare-result [data-channel={name}] [data-role=profit] dd")).to_have_text(
            format_currency(r.profit, "USD", locale="en_US"))
    expect(page.locator("#profit-chart .profit-line")).to_have_count(3)
    expect(page.locator("[data-role=best]")).to_have_text(f"Best: FBA, by ${c.wins_by} per unit "
                                                           f"(${c.wins_by_month} per month).")
    expect(page.locator("#seller-cost_of_goods-badge")).to_have_text("yours")
    expect(page.locator("#seller-monthly_units-badge")).to_have_text("default")
    expect(page.locator("#seller-monthly_units")).to_have_value("100")  # the bundled profile's value
    page.shot("chart")
    page.fill("#seller-target_margin", "20")  # a 20% margin: its price per channel, marked on the chart too
    target = feecalc.compare("US", "2026-05-01", price="9.99", length=8, width=5, height=0.5, weight=5,
                             weight_unit="oz", category="toys_and_games", shipping=0, cost_of_goods="5.17",
                             target_margin="0.2").channels["fba"].target_prices
    expect(page.locator("#profit-chart .target-price[data-channel=fba]")).to_have_attribute(
        "data-price", str(target.exact))
    expect(page.locator("#compare-result [data-channel=fba] [data-role=target] dd")).to_contain_text(
        f"${target.exact}")
    assert "target_margin=20%25" in page.url


def test_compare_two_dates_line_by_line(page):
    open_page(page, "?view=dates&date_a=2025-06-01&date_b=2026-06-01")
    fill(page, {k: v for k, v in US_ITEM.items() if k != "on"})
    a = feecalc.quote("US", "2025-06-01", price="24.99", length=10, width=6, height=3, weight=1.2,
                      category="home_and_kitchen")
    b = feecalc.quote("US", "2026-06-01", price="24.99", length=10, width=6, height=3, weight=1.2,
                      category="home_and_kitchen")
    row = page.locator("#dates-result tr[data-line=fulfillment] td")
    expect(row).to_have_text([f"${a.fees['fulfillment']}", f"${b.fees['fulfillment']}",
                              f"+${b.fees['fulfillment'] - a.fees['fulfillment']}"])
    expect(page.locator("#dates-result tr[data-line=total] td")).to_have_text(
        [f"${a.total}", f"${b.total}", f"+${b.total - a.total}"])
    expect(page.locator("#dates-result thead")).to_contain_text("us-2025")
    expect(page.locator("#dates-result thead")).to_contain_text("us-2026")
    page.shot("dates")


def test_upload_a_csv_and_download_the_costed_file_and_the_summary(page, tmp_path):
    src = tmp_path / "catalog.csv"
    src.write_text("sku,price,length,width,height,weight,category\n"
                   "007,24.99,10,6,3,1.2,home_and_kitchen\n"
                   "008,9.99,8,5,0.5,abc,toys_and_games\n"
                   "009,9.99,8,5,0.5,0.3125,toys_and_games\n")
    open_page(page, "?view=file")
    page.fill("#file_on", "2026-03-01")
    page.set_input_files("#file", str(src))
    expect(page.locator("[data-role=file-counts]")).to_have_text("3 rows: 2 costed, 1 with errors.")
    expect(page.locator("#file-progress")).to_have_attribute("value", "100")
    expect(page.locator(".bad-rows tbody tr td")).to_have_text(["2", "3", re.compile(r"weight: 'abc'")])
    page.shot("file")
    with page.expect_download() as costed:
        page.click("#download-file")
    assert costed.value.suggested_filename == "catalog.costed.csv"
    rows = list(csv.DictReader(io.StringIO(Path(costed.value.path()).read_text())))
    assert [r["sku"] for r in rows] == ["007", "008", "009"]  # every row, in order, cells as they came
    assert rows[0]["total"] == "9.17" and rows[0]["fee_table"] == "us-2026"
    assert rows[1]["total"] == "" and "weight" in rows[1]["error"]
    with page.expect_download() as summary:
        page.click("#download-summary")
    data = json.loads(Path(summary.value.path()).read_text())
    assert (data["rows"], data["error_rows"], data["errors"][0]["row"], data["errors"][0]["line"]) == (3, 1, 2, 3)
    toy = feecalc.quote("US", "2026-03-01", price="9.99", length=8, width=5, height=0.5, weight=0.3125,
                        category="toys_and_games")
    assert data["totals"]["USD"]["total"] == str(Decimal("9.17") + toy.total)
    assert rows[2]["total"] == str(toy.total)


def test_a_shared_link_gives_the_same_quote(page, browser, request):
    open_page(page)
    fill(page, DE_BACKPACK)
    expect(fee(page, "fulfillment")).to_have_text("3,80\xa0€")
    expect(fee(page, "digital_services_fee")).to_have_text("0,15\xa0€")  # 2% for a UK-established seller
    link = page.url
    assert parse_qs(urlsplit(link).query)["program"] == ["cep"]
    table = page.locator("#quote-result table").inner_text()
    other = browser.new_context(viewport={"width": 1280, "height": 900})  # another person, nothing stored
    try:
        fresh = other.new_page()
        fresh.goto(link)
        expect(fresh.locator("#quote-result tr[data-line=fulfillment] td.num")).to_have_text("3,80\xa0€")
        assert fresh.locator("#quote-result table").inner_text() == table
        assert fresh.locator("#program").input_value() == "cep"
        assert fresh.locator("#seller_country").input_value() == "UK"
        page.shot("original")
        shot(fresh, request.node.name, "shared")
    finally:
        other.close()


def test_copy_as_api_request_gives_the_same_answer(page, server):
    open_page(page)
    fill(page, US_ITEM)
    expect(fee(page, "total")).to_have_text("$9.17")
    page.locator("#quote-api summary").click()
    curl = page.locator("#quote-api pre[data-lang=curl]").inner_text()
    body = json.loads(curl.split("-d '", 1)[1].rsplit("'", 1)[0])
    assert body == {"marketplace": "US", **US_ITEM, "dimension_unit": "in", "weight_unit": "lb"}
    python = page.locator("#quote-api pre[data-lang=Python]").inner_text()
    out = subprocess.run([sys.executable, "-c", python], capture_output=True, text=True, timeout=60, check=True)
    assert json.loads(out.stdout)["total"]["amount"] == "9.17"
    page.shot("api")


def test_the_page_asks_for_an_api_key_once_and_keeps_it_for_the_session(browser):
    keyed = Server({"api_keys": ["s3cret"]})
    context = browser.new_context()
    try:
        pg = context.new_page()
        asked = []
        pg.on("request", lambda r: asked.append(r.headers.get("authorization")) if "/v1/" in r.url else None)
        pg.goto(keyed.url + "/?price=24.99&length=10&width=6&height=3&weight=1.2&category=home_and_kitchen"
                            "&on=2026-03-01")
        dialog = pg.locator("#key-dialog")
        expect(dialog).to_be_visible()
        pg.fill("#api-key", "wrong")
        pg.keyboard.press("Enter")
        expect(pg.locator("#api-key-error")).to_have_text("That key was not accepted.")
        pg.fill("#api-key", "s3cret")
        pg.keyboard.press("Enter")
        expect(pg.locator("#quote-result tr[data-line=total] td.num")).to_have_text("$9.17")
        pg.reload()  # the same session: no second question
        expect(pg.locator("#quote-result tr[data-line=total] td.num")).to_have_text("$9.17")
        expect(dialog).not_to_be_visible()
        assert "Bearer s3cret" in asked and asked[-1] == "Bearer s3cret"
    finally:
        context.close()
        keyed.close()


def test_keyboard_only(page):
    open_page(page)
    page.keyboard.press("Tab")  # the skip link first
    assert page.evaluate("document.activeElement.className") == "skip"
    page.focus("#tab-quote")
    page.keyboard.press("ArrowRight")
    expect(page.locator("#tab-compare")).to_be_focused()
    expect(page.locator("#view-compare")).to_be_visible()
    page.keyboard.press("ArrowLeft")
    expect(page.locator("#view-quote")).to_be_visible()
    page.focus("#price")
    for value in ("24.99", None, None, "10", "6", "3", None, "1.2", None, "home_and_kitchen"):
        if value is not None:
            page.keyboard.type(value)
        page.keyboard.press("Tab")  # price, shipping, gift wrap, length, width, height, unit, weight, unit, category
    expect(page.locator("#quote-result tr[data-line=total] td.num")).to_have_text(
        str(format_currency(feecalc.quote("US", None, price="24.99", length=10, width=6, height=3, weight=1.2,
                                          category="home_and_kitchen").total, "USD", locale="en_US")))
    page.shot("typed")


def test_no_layout_jump_while_typing(page):
    open_page(page)
    fill(page, US_ITEM)
    expect(fee(page, "total")).to_have_text("$9.17")
    boxes = page.evaluate("() => ['price', 'weight', 'category'].map(id => JSON.stringify("
                          "document.getElementById(id).getBoundingClientRect()))")
    page.locator("#price").press("End")
    page.locator("#price").press_sequentially("9", delay=20)  # 24.999: an error at the field, then a quote again
    expect(page.locator("#price-error")).not_to_have_text("")
    page.locator("#price").press("Backspace")
    expect(fee(page, "total")).to_have_text("$9.17")
    assert page.evaluate("() => ['price', 'weight', 'category'].map(id => JSON.stringify("
                         "document.getElementById(id).getBoundingClientRect()))") == boxes


def test_readable_on_a_phone(browser, server, request):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    try:
        pg = context.new_page()
        pg.goto(server.url + "/?marketplace=DE&price=24&length=38&width=28&height=5&weight=900"
                             "&category=rucksacks_and_handbags&program=cep&on=2026-05-01")
        expect(pg.locator("#quote-result tr[data-line=fulfillment] td.num")).to_have_text("3,80\xa0€")
        assert pg.evaluate("document.documentElement.scrollWidth <= window.innerWidth")  # nothing wider than a phone
        assert pg.evaluate("getComputedStyle(document.getElementById('price')).fontSize") == "16px"
        shot(pg, request.node.name, "phone")
    finally:
        context.close()


def test_the_locale_switch_changes_number_formats(page):
    open_page(page)
    fill(page, US_ITEM)
    expect(fee(page, "total")).to_have_text("$9.17")
    page.select_option("#locale", "de_DE")
    expect(fee(page, "total")).to_have_text("9,17\xa0$")
    expect(page.locator("#price")).to_have_value("24,99")  # what was typed, now in the new locale
    expect(page.locator("#weight")).to_have_value("1,2")
    page.select_option("#locale", "ja_JP")
    expect(fee(page, "referral")).to_have_text("$3.75")
    assert "locale=ja_JP" in page.url
    page.shot("ja")


def test_never_a_stack_trace(page):
    open_page(page)
    page.route("**/v1/quotes*", lambda route: route.fulfill(
        status=500, content_type="text/html", body="<h1>Traceback (most recent call last): ...</h1>"))
    fill(page, US_ITEM)
    expect(page.locator("#quote-status")).to_have_text("Not quoted: the service answered HTTP 500.")
    assert "Traceback" not in page.locator("body").inner_text()
    page.unroute("**/v1/quotes*")
    page.route("**/v1/quotes*", lambda route: route.abort())
    page.fill("#price", "25")
    expect(page.locator("#quote-status")).to_contain_text("the service did not answer")


def axe_violations(page) -> list[dict]:
    page.evaluate(AXE.read_text())  # evaluated over the protocol, so the page's own CSP does not block it
    return page.evaluate("""async () => (await axe.run(document, {resultTypes: ['violations']})).violations
        .map(v => ({id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map(n => n.target.join(' '))}))""")


def test_accessibility_no_serious_violations_in_any_view(page):
    open_page(page, "?view=compare")
    fill(page, TOY)
    expect(page.locator("#profit-chart .break-even")).to_have_count(3)
    page.locator("#compare-result details > summary").first.click()
    found = {"compare": axe_violations(page)}
    for view, ready in (("quote", "#quote-result tr[data-line=total]"), ("dates", "#dates-result tr[data-line=total]"),
                        ("file", "#file")):
        page.click(f"#tab-{view}")
        expect(page.locator(ready)).to_be_attached()
        found[view] = axe_violations(page)
    serious = {view: [v for v in found_ if v["impact"] in ("serious", "critical")] for view, found_ in found.items()}
    assert serious == {view: [] for view in found}, json.dumps(serious, indent=1)
    page.shot("axe")


def test_an_input_the_page_does_not_know_gets_a_field_and_its_errors(page):
    # a new input of the library (feecalc.spec, listed by /v1/inputs) appears under "More inputs" by its kind, goes
    # into the request and the URL, and the API's answer about it is shown at its field
    def more_fields(route):
        body = route.fetch().json()
        body["fields"].append({"name": "pallets", "kind": "positive", "description": "pallets per shipment",
                               "required": False, "default": None, "choices": None})
        route.fulfill(json=body)

    page.route("**/v1/inputs*", more_fields)
    open_page(page)
    expect(page.locator("#extra-inputs")).to_be_visible()
    page.locator("#extra-inputs summary").click()
    expect(page.locator("#extra-pallets-hint")).to_have_text("pallets per shipment")
    fill(page, US_ITEM)
    page.fill("#extra-pallets", "2,5")
    expect(page.locator("#extra-pallets-error")).to_have_text("'2,5' is not a number in en_US (for example 1,234.5)")
    page.fill("#extra-pallets", "2.5")
    expect(page.locator("#extra-pallets-error")).to_have_text("Unknown field.")  # this service has no such input
    assert "pallets=2.5" in page.url
    page.shot("extra")


def test_unavailable_lines_are_said_plainly_never_as_zero(page):
    open_page(page)
    fill(page, {**US_ITEM, "on": "2025-06-01", "category": "clothing_and_accessories"})
    q = feecalc.quote("US", "2025-06-01", price="24.99", length=10, width=6, height=3, weight=1.2,
                      category="clothing_and_accessories")
    expect(fee(page, "fulfillment")).to_have_text("unavailable")
    expect(page.locator("#quote-result tr[data-line=fulfillment] .reason")).to_have_text(q.unavailable["fulfillment"])
    expect(fee(page, "total")).to_have_text("unavailable")
    expect(page.locator("#quote-result tr[data-line=total]")).to_contain_text("a fee line in the total is unavailable")
    expect(page.locator("[data-role=warnings] li")).to_have_text(q.warnings)
    expect(fee(page, "referral")).to_have_text(f"${q.fees['referral']}")  # the known lines still shown
    page.click("#tab-compare")  # a channel short of its fulfilment fee: unavailable, with the reason and a bound
    expect(page.locator("#compare-result [data-channel=fba] [data-role=reason] dd")).to_contain_text(
        "fulfillment unavailable")
    expect(page.locator("#chart-legend [data-channel=fba]")).to_have_text(
        f"FBA: profit unknown at every price shown (fulfillment unavailable: {q.unavailable['fulfillment']})")
    expect(page.locator("#profit-chart .profit-line")).to_have_count(2)
    page.shot("unavailable")
    page.select_option("#marketplace", "DE")  # no bundled DE profile: the service's refusal, plainly
    expect(page.locator("#compare-result")).to_contain_text("pass a profile for DE")


def test_category_type_ahead_offers_the_stores_categories_and_amazons_product_groups(page):
    open_page(page, "?on=2026-03-01")
    options = page.locator("#categories option")
    expect(options).to_have_count(len(feecalc.categories("US", "2026-03-01")) +
                                  len(store_options("US", "2026-03-01")["product_groups"]))
    expect(page.locator("#categories option[value='Home & Kitchen']")).to_have_attribute("label", "home_and_kitchen")
    expect(page.locator("#categories option[value='Kitchen']")).to_have_attribute(
        "label", "product group: Home & Kitchen (feecalc's reading)")
    fill(page, {**US_ITEM, "category": "Kitchen"})  # a product group: priced as its category, with a warning
    expect(fee(page, "total")).to_have_text("$9.17")
    q = feecalc.quote("US", "2026-03-01", price="24.99", length=10, width=6, height=3, weight=1.2, category="Kitchen")
    expect(page.locator("[data-role=warnings] li")).to_have_text(q.warnings)
