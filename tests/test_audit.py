"""The audit (issue 15): Amazon's own reports, in the exact layouts of reports.md (tests/audit_reports.py), checked
against the fee tables.  Every finding is asserted to the cent; a file with no discrepancy gives no findings; every
input line is matched or listed as unmatched with its reason, none lost.

Amounts worked out from the fee tables (the engine's figures, which tests/fees check against the reference):
a 10 x 6 x 3 in, 1.2 lb item at $24.99 in Home & Kitchen on 2026-03-01 is large standard, referral 3.75 (15%),
fulfilment 5.42 (2026 non-apparel, 1.25+ to 1.5 lb, mid price band), 6.04 on the apparel card; at 10 x 6 x 1 in,
0.5 lb it is large standard 3.95, at 10 x 6 x 0.7 in small standard 3.54.  The DE item (31.5 x 20 x 10.2 cm, 1200 g,
EUR 29.99, Kitchen) is a small parcel: referral 4.50, fulfilment 3.41 on 2026-03-03.  US storage from October to
December 2025 is 2.40 a cubic foot for standard-size."""

from __future__ import annotations

import gzip
import json
from decimal import Decimal
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from audit_reports import (
    CA_22,
    EUR_28,
    GERMAN,
    GERMAN_2015,
    LTSF,
    LTSF_OLD,
    SETTLEMENT,
    STORAGE_2022,
    STORAGE_2024,
    TRANSACTIONS_US,
    UK_29,
    UK_TEMP_37,
    US_25,
    US_PREAMBLE,
    eu_row,
    na_row,
    order_item,
    other_line,
    quoted,
    settlement_summary,
    storage_row,
    tsv,
    write,
)
from fee_preview import EU_CONSTRUCTED, EU_HEADER, NA_CONSTRUCTED, NA_HEADER

import feecalc
from feecalc.audit import ReportError, run
from feecalc.audit import write as write_audit
from feecalc.audit.findings import COLUMNS
from feecalc.audit.recognise import read_report
from feecalc.audit.report import as_json
from feecalc.cli import main

ON = "2026-03-01"
D = Decimal


def P(amount: str):
    return ("ItemPrice", "Principal", amount)


def C(amount: str):
    return ("ItemFees", "Commission", amount)


def F(amount: str):
    return ("ItemFees", "FBAPerUnitFulfillmentFee", amount)


def preview(tmp_path: Path, rows: list[dict], name: str = "fee-preview.txt") -> Path:
    return write(tmp_path / name, tsv(NA_HEADER, rows))


def findings(result, **where) -> pd.DataFrame:
    f = result.findings
    for key, value in where.items():
        f = f[f[key] == value]
    return f.reset_index(drop=True)


def one(result, **where) -> dict:
    f = findings(result, **where)
    assert len(f) == 1, f.drop(columns=["explanation"]).to_string()
    return f.iloc[0].to_dict()


def amounts(row: dict) -> tuple:
    return row["amazon"], row["feecalc"], row["difference_per_unit"], row["units"], row["money_at_stake"]


def every_line_accounted(result, paths: list[Path]) -> None:
    """Each ledger has every non-blank line after its header once, matched or unmatched with a reason."""
    for ledger, path in zip(result.ledgers, paths, strict=False):
        raw = path.read_bytes()
        text = (gzip.decompress(raw) if raw[:2] == b"\x1f\x8b" else raw).decode("cp1252", errors="replace")
        lines = text.splitlines()
        header = next(i for i, line in enumerate(lines) if line.replace('"', "").split("\t")[0].split(",")[0]
                      in ledger.header[:1])
        wanted = [i + 1 for i, line in enumerate(lines) if i > header and line.strip()]
        assert sorted(ledger.line.tolist()) == wanted, ledger.file
        assert all(isinstance(r, str) and r for r in ledger.reason)
        assert len(ledger) == int(ledger.matched.sum()) + len(ledger.unmatched())


# ---- recognition ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("header, kind, variant", [
    (NA_HEADER, "fee preview", "NA, 31 columns (2026)"),
    (US_25, "fee preview", "US, 25 columns (older)"),
    (CA_22, "fee preview", "CA, 22 columns (older)"),
    (EU_HEADER, "fee preview", "EU, 29 columns"),
    (EUR_28, "fee preview", "EUR, 28 columns (older)"),
    (UK_29, "fee preview", "UK, 29 columns (older)"),
    (UK_TEMP_37, "fee preview", "UK_TEMP, 37 columns (older)"),
    (SETTLEMENT, "settlement", "V2, 24 columns"),
    (SETTLEMENT[:23], "settlement", "V2, 23 columns (Amazon's attribute list)"),
    (STORAGE_2022, "storage", "up to early 2024, 27 columns (storage_rate)"),
    (STORAGE_2024, "storage", "from April 2024, 34 columns (base_rate and the storage utilization surcharge)"),
    (LTSF, "long-term storage", "current, 14 columns (aged inventory surcharge)"),
    (LTSF_OLD, "long-term storage", "before the surcharge model, 15 columns"),
])
@pytest.mark.parametrize("compress", [False, True])
def test_each_documented_header_is_recognised_compressed_or_not(tmp_path, header, kind, variant, compress):
    path = write(tmp_path / ("report.txt.gz" if compress else "report.txt"), tsv(header, [["x"] * len(header)]),
                 compress=compress)
    report = read_report(path)
    assert (report.kind, report.variant, report.compressed) == (kind, variant, compress)
    assert report.line.tolist() == [2] and len(report.columns) == len(header)


@pytest.mark.parametrize("header, preamble, variant", [
    (TRANSACTIONS_US, US_PREAMBLE, "US headers, 30 columns (with Regulatory Fee, account type)"),
    ([c for c in TRANSACTIONS_US if "Regulatory" not in c], US_PREAMBLE, "US headers, 28 columns (with account type)"),
    (TRANSACTIONS_US + ["Transaction Status", "Transaction Release Date"], [],
     "US headers, 32 columns (with Regulatory Fee, account type, Transaction Status)"),
    (GERMAN_2015, [], "German headers (amazon.de), 21 columns"),
    (GERMAN, ['"Enthält Transaktionen ..."'], "German headers (amazon.de), 27 columns"),
])
def test_the_transaction_csv_is_found_below_its_description_lines(tmp_path, header, preamble, variant):
    path = write(tmp_path / "tx.csv", quoted(header, [{}], preamble), encoding="utf-8")
    report = read_report(path)
    assert (report.kind, report.variant, report.header_line) == ("transactions", variant, len(preamble) + 1)
    assert report.line.tolist() == [len(preamble) + 2]


def test_the_constructed_rows_of_reports_md_read_as_documented(tmp_path):
    na = read_report(write(tmp_path / "na.txt", "\t".join(NA_HEADER) + "\n" + "\n".join(NA_CONSTRUCTED) + "\n"))
    assert na.values("amazon-store").tolist() == ["US", "CA"] and na.values("unit-of-weight").tolist() == \
        ["pounds", "grams"]
    eu = read_report(write(tmp_path / "eu.txt", "\t".join(EU_HEADER) + "\n" + EU_CONSTRUCTED + "\n"))
    assert eu.values("expected-efn-fulfilment-fee-per-unit-de").tolist() == ["--"]


def test_a_file_that_is_no_report_is_refused_naming_what_is_recognised(tmp_path):
    path = tmp_path / "catalog.csv"
    path.write_text("sku,price\nA,1\n")
    with pytest.raises(ReportError) as info:
        run([path], on=ON)
    assert str(info.value).startswith(f"{path}: not a report feecalc audits: no line among the first 30 is the header "
                                      f"of one of them (FBA Fee Preview (GET_FBA_ESTIMATED_FBA_FEES_TXT_DATA); ")
    assert str(info.value).endswith("line 1 reads 'sku,price'")
    (tmp_path / "x.txt.gz").write_bytes(b"not gzip")
    with pytest.raises(ReportError, match="named .gz, but not gzip-compressed"):
        run([tmp_path / "x.txt.gz"])


# ---- the fee preview -----------------------------------------------------------------------------------------
def test_a_fee_preview_without_discrepancies_gives_no_findings(tmp_path):
    path = preview(tmp_path, [na_row("K-1", "Kitchen"), na_row("B-1", "Beauty"),
                              na_row("T-1", "Kitchen", sides=("10.00", "6.00", "1.00"), weight="0.50",
                                     fulfilment="3.95")])
    result = run([path], on=ON)
    assert result.findings.empty
    assert result.ledgers[0].reason.tolist() == ["checked"] * 3
    every_line_accounted(result, [path])


def test_fee_preview_findings_to_the_cent(tmp_path):
    path = preview(tmp_path, [
        na_row("K-1", "Kitchen"),
        na_row("F-1", "Kitchen", fulfilment="5.92"),                       # 0.50 above the card
        na_row("A-1", "Apparel", referral="4.25", fulfilment="5.42"),      # an apparel item at the non-apparel rate
        na_row("N-1", "Kitchen", fulfilment="6.04"),                       # a non-apparel item at the apparel rate
        na_row("R-1", "Kitchen", referral="4.25"),                         # referral of another category
        na_row("S-1", "Kitchen", total="9.20"),                            # parts 9.17
        na_row("U-1", "Kitchen", tier="UsSmallStandardSize"),              # not the tier of its own sides
    ])
    result = run([path], on=ON)
    fulfil = one(result, sku="F-1")
    assert (fulfil["kind"], fulfil["fee"], fulfil["action"]) == (
        "fulfilment fee differs from the card", "fulfillment", "fee dispute: charged above the card for the stated "
        "measurements and date")
    assert amounts(fulfil) == (D("5.92"), D("5.42"), D("0.50"), None, D("0.50"))
    assert fulfil["explanation"].startswith("us-2026, large_standard: 2026 non-apparel, non-peak, large_standard, "
                                            "1.25 lb+ to 1.5 lb; price band mid; 5.42 [CODE-26a, CODE-26b; "
                                            "confidence H]")
    assert fulfil["basis"] == "per unit (no monthly_units or units sold known for the SKU)"
    apparel = one(result, sku="A-1")
    assert (apparel["kind"], apparel["action"]) == ("apparel fee category", "none: Amazon's figure is below the "
                                                    "card (in your favour)")
    assert amounts(apparel) == (D("5.42"), D("6.04"), D("-0.62"), None, D("-0.62"))
    assert apparel["detail"] == ("Amazon's figure is the non-apparel card's fee for these measurements; feecalc "
                                 "priced the item as apparel (its fee category, from the category 'Apparel')")
    assert "2026 apparel" in apparel["explanation"]
    reverse = one(result, sku="N-1")
    assert (reverse["kind"], reverse["action"]) == ("apparel fee category", "fee category appeal")
    assert amounts(reverse) == (D("6.04"), D("5.42"), D("0.62"), None, D("0.62"))
    referral = one(result, sku="R-1")
    assert (referral["kind"], referral["action"]) == ("referral fee differs (fee category)", "fee category appeal")
    assert amounts(referral) == (D("4.25"), D("3.75"), D("0.50"), None, D("0.50"))
    assert referral["detail"] == ("Amazon's figure is the referral fee of: clothing_and_accessories; feecalc's "
                                  "category: Kitchen")
    sums = one(result, sku="S-1")
    assert (sums["kind"], sums["feecalc"], sums["difference_per_unit"]) == (
        "estimated fee total does not add up", D("9.17"), D("0.03"))
    tier = one(result, sku="U-1")
    assert (tier["kind"], tier["action"], tier["money_at_stake"]) == ("size tier differs", "re-measurement request",
                                                                     None)
    assert tier["detail"].startswith("Amazon's tier 'UsSmallStandardSize'; feecalc's tier from the report's own "
                                     "measurements: large_standard (standard-size)")
    assert findings(result, sku="K-1").empty
    assert result.findings["date"].unique().tolist() == [ON]
    every_line_accounted(result, [path])


def test_a_re_measurement_candidate_from_the_catalog_with_its_money_a_month(tmp_path):
    path = preview(tmp_path, [na_row("T-1", "Kitchen", sides=("10.00", "6.00", "1.00"), weight="0.50",
                                     fulfilment="3.95"), na_row("K-1", "Kitchen")])
    catalog = tmp_path / "catalog.csv"
    catalog.write_text("sku,length,width,height,weight,monthly_units\nT-1,10,6,0.7,0.5,100\nK-1,10,6,3,1.2,40\n"
                       "Q-1,1,1,1,1,5\nW-1,abc,1,1,1,5\n")
    result = run([path], catalog=catalog, on=ON)
    found = one(result)
    assert (found["sku"], found["kind"], found["action"], found["line"]) == (
        "T-1", "your measurements give a cheaper fee", "re-measurement request", 2)
    assert amounts(found) == (D("3.95"), D("3.54"), D("0.41"), D(100), D("41.00"))
    assert found["basis"] == "per month (the catalog's monthly_units)"
    assert found["detail"] == (f"tier on Amazon's measurements large_standard, on yours small_standard; your "
                               f"measurements are from the catalog {catalog}, line 2")
    ledger = result.ledgers[-1]
    assert (ledger.kind, ledger.line.tolist(), ledger.matched.tolist()) == ("catalog", [2, 3, 4, 5],
                                                                           [True, True, False, False])
    assert ledger.reason.tolist()[2:] == ["no report line names this SKU or ASIN", "cannot read the row"]
    assert ledger.detail[3] == "length: 'abc' is not a number (en_US)"


def test_a_re_measurement_candidate_counts_the_overmax_handling_fee(tmp_path):
    """Amazon's 100 x 20 x 10 in, 40 lb is extra large 70 to 150 lb (dimensional weight) and overmax: 106.07 + 25.00;
    the catalog's 95 x 10 x 5 in is extra large 0 to 50 lb and not overmax: 41.15 (us-2026 on 2026-03-01)."""
    path = preview(tmp_path, [na_row("X-1", "Kitchen", price="149.99", sides=("100.00", "20.00", "10.00"),
                                     weight="40.00", tier="", referral="22.50", fulfilment="131.07")])
    catalog = tmp_path / "catalog.csv"
    catalog.write_text("sku,length,width,height,weight,monthly_units\nX-1,95,10,5,40,10\n")
    found = one(run([path], catalog=catalog, on=ON))
    assert (found["kind"], found["fee"], found["action"]) == (
        "your measurements give a cheaper fee", "fulfillment + fuel_surcharge + packaging + overmax_handling",
        "re-measurement request")
    assert amounts(found) == (D("131.07"), D("41.15"), D("89.92"), D(10), D("899.20"))
    assert "; us-2026, extra_large_70_150: overmax (longest side over 96 in or length + girth over 130 in), " \
        "extra_large_70_150: 25.00 per unit" in found["explanation"]
    assert found["detail"].startswith("tier on Amazon's measurements extra_large_70_150, on yours extra_large_0_50;")
    assert found["explanation"].count("category 'Kitchen' read as home_and_kitchen") == 2  # Amazon's, yours


# ---- settlements ---------------------------------------------------------------------------------------------
def settlement_files(tmp_path: Path, compress: bool = True) -> tuple[Path, Path]:
    fp = preview(tmp_path, [na_row("K-1", "Kitchen"), na_row("F-1", "Kitchen"), na_row("A-1", "Apparel",
                                                                                         referral="4.25",
                                                                                         fulfilment="6.04")])
    rows = [
        settlement_summary("1234.56"),
        *order_item("111-0000000-0000001", "10001", "K-1", 1, [P("24.99"), ("ItemPrice", "Tax", "2.06"), C("-3.75"),
                                                                F("-5.42")]),
        *order_item("111-0000000-0000002", "10002", "F-1", 1, [P("24.99"), C("-3.75"), F("-5.92")]),
        *order_item("111-0000000-0000003", "10003", "K-1", 2, [P("49.98"), C("-7.50"), F("-10.84")]),
        *order_item("111-0000000-0000004", "10004", "K-1", 2, [P("49.98"), C("-7.50"), F("-5.42")]),
        *order_item("111-0000000-0000005", "10005", "K-1", 3, [P("74.97"), C("-11.25"), F("-17.76")]),
        *order_item("111-0000000-0000006", "10006", "K-1", 1, [P("24.99"), ("ItemFees", "NewMysteryFee", "-1.23")]),
        *order_item("111-0000000-0000007", "10007", "K-1", 1, [P("24.99"), C("-3.75"), F("-5.00")],
                    posted="2024-03-01"),
        *order_item("111-0000000-0000008", "10008", "Z-9", 1, [P("24.99"), C("-3.75"), F("-5.42")]),
        *order_item("111-0000000-0000009", "10009", "A-1", 1, [P("24.99"), C("-4.25"), F("-6.04")]),
        other_line("other-transaction", "other-transaction", "Storage Fee", "-12.40"),
        other_line("Refund", "ItemFees", "Commission", "3.75", sku="K-1"),
    ]
    text = tsv(SETTLEMENT, rows) + "1234567890\ta line cut short\r\n\r\n"
    return fp, write(tmp_path / ("settlement.txt.gz" if compress else "settlement.txt"), text, compress=compress)


def test_settlement_lines_against_the_card_to_the_cent(tmp_path):
    fp, path = settlement_files(tmp_path)
    result = run([fp, path], on=ON)
    f = findings(result, file=str(path))
    assert f["line"].tolist() == [9, 18, 23]
    above = f.iloc[0].to_dict()
    assert (above["sku"], above["kind"], above["fee"], above["date"]) == (
        "F-1", "charged above the card", "fulfillment (FBAPerUnitFulfillmentFee)", "2026-03-02")
    assert amounts(above) == (D("5.92"), D("5.42"), D("0.50"), 1, D("0.50"))
    assert above["action"] == "fee dispute: charged above the card for the stated measurements and date"
    assert above["explanation"].endswith(f"measurements 10 x 6 x 3 inches, 1.2 pounds from the fee preview {fp}, "
                                         f"line 3; price per unit: the line's ItemPrice Principal (its Shipping and "
                                         f"GiftWrap likewise) / 1")
    three = f.iloc[1].to_dict()  # 17.76 for 3 units: 0.50 a unit above, read per line (per unit: 37.02 at stake)
    assert amounts(three) == (D("17.76"), D("16.26"), D("0.50"), 3, D("1.50"))
    assert three["reading"] == "the card's fulfilment fee; per line: the amount is for all the units (reports.md " \
                               "3.3, L)"
    unavailable = f.iloc[2].to_dict()
    assert (unavailable["kind"], unavailable["date"], unavailable["amazon"], unavailable["feecalc"]) == (
        "cannot check: unavailable", "2024-03-01", D("5.00"), None)
    assert unavailable["money_at_stake"] is None and unavailable["action"] == \
        "none: feecalc has no figure for this fee on this date"
    assert unavailable["explanation"] == (
        "unavailable: 2024 interim card (Feb 5 - Apr 14), large_standard, 1.25 lb+ to 1.5 lb: the 2024-02-05 to "
        "2024-04-14 interim card is NOT FOUND except three cells (us-fba.md 4.3)" + unavailable["explanation"][
            unavailable["explanation"].index("; measurements"):])
    ledger = result.ledgers[1]
    counts = {(r.reason, r.currency): (int(r.lines), int(r.amount)) for r in ledger.counts().itertuples()}
    assert counts[("unknown fee type", "USD")] == (1, -1_230_000)
    assert counts[("checked", "USD")][0] == 14  # the 2-unit line read per unit (5.42) agrees: no finding
    assert counts[("unreadable line", "")] == (1, 0)
    assert ledger.detail[ledger.reason == "unknown fee type"].tolist() == ["Order / ItemFees / NewMysteryFee"]
    assert counts[("no measurements for the SKU: give a fee preview or a --catalog that has it", "USD")] == \
        (2, -9_170_000)
    assert ("the settlement's summary row", "") in counts
    every_line_accounted(result, [fp, path])


def test_2026_fulfilment_charges_with_the_overmax_fee_or_less_the_sipp_discount(tmp_path):
    """Issue 13's lines in the fulfilment charge: an extra-large unit over 96 in pays 106.07 and the 25.00 overmax
    handling fee (us-2026, 70 to 150 lb); a SIPP unit of the 10 x 6 x 3 in item pays 5.42 less its 0.09 discount.
    Either charge agrees with a reading; the SIPP reading never measures a discrepancy (the report does not say the
    unit is SIPP), so 0.50 above the discounted fee is 0.41 above the card."""
    fp = preview(tmp_path, [
        na_row("X-1", "Kitchen", price="149.99", sides=("100.00", "20.00", "10.00"), weight="40.00", tier="",
               referral="22.50", fulfilment="131.07"),
        na_row("S-1", "Kitchen", fulfilment="5.33")])
    rows = [settlement_summary(),
            *order_item("111-0000000-0000001", "1", "X-1", 1, [P("149.99"), C("-22.50"), F("-131.07")]),
            *order_item("111-0000000-0000002", "2", "X-1", 1, [P("149.99"), C("-22.50"), F("-131.57")]),
            *order_item("111-0000000-0000003", "3", "S-1", 2, [P("49.98"), C("-7.50"), F("-10.66")]),
            *order_item("111-0000000-0000004", "4", "S-1", 1, [P("24.99"), C("-3.75"), F("-5.83")])]
    path = write(tmp_path / "settlement.txt", tsv(SETTLEMENT, rows))
    result = run([fp, path], on=ON)
    assert not len(findings(result, file=str(fp)))
    f = findings(result, file=str(path))
    assert f["line"].tolist() == [8, 14]
    overmax, sipp = f.iloc[0].to_dict(), f.iloc[1].to_dict()
    assert (overmax["sku"], overmax["kind"]) == ("X-1", "charged above the card")
    assert amounts(overmax) == (D("131.57"), D("131.07"), D("0.50"), 1, D("0.50"))
    assert overmax["reading"] == ("the card's fulfilment fee with the overmax handling fee; per line: the amount is "
                                  "for all the units (reports.md 3.3, L)")
    assert ("; us-2026, extra_large_70_150: overmax (longest side over 96 in or length + girth over 130 in), "
            "extra_large_70_150: 25.00 per unit [CODE-PZ; ZZ26 (range USD 17 to 25); confidence M-H]") \
        in overmax["explanation"]
    assert overmax["explanation"].count("category 'Kitchen' read as home_and_kitchen") == 1  # the note once, at the end
    assert (sipp["sku"], sipp["kind"]) == ("S-1", "charged above the card")
    assert amounts(sipp) == (D("5.83"), D("5.42"), D("0.41"), 1, D("0.41"))
    assert sipp["reading"] == "the card's fulfilment fee; per line: the amount is for all the units (reports.md " \
                              "3.3, L)"
    ledger = result.ledgers[1]
    assert int((ledger.reason == "checked").sum()) == 8 and ledger.matched.all()  # 4 commissions, 4 FBA fees
    every_line_accounted(result, [fp, path])


def test_an_eu_settlement_with_decimal_commas_and_german_dates(tmp_path):
    fp = write(tmp_path / "eu.txt", tsv(EU_HEADER, [eu_row("SKU-2", "Kitchen")]))
    rows = [settlement_summary("81,00", "EUR", "01.03.2026 10:00:00 UTC", "15.03.2026 10:00:00 UTC",
                               "17.03.2026 10:00:00 UTC"),
            *order_item("302-0000000-0000001", "1", "SKU-2", 1, [P("29,99"), C("-4,50"), F("-3,91")],
                        posted="03.03.2026", market="Amazon.de", currency="EUR"),
            other_line("other-transaction", "other-transaction", "Storage Fee", "-1.012,40", posted="10.03.2026",
                       currency="EUR")]
    path = write(tmp_path / "settlement.txt", tsv(SETTLEMENT, rows))
    result = run([fp, path], on=ON)
    found = one(result, file=str(path))
    assert (found["marketplace"], found["date"], found["currency"]) == ("DE", "2026-03-03", "EUR")
    assert amounts(found) == (D("3.91"), D("3.41"), D("0.50"), 1, D("0.50"))
    ledger = result.ledgers[1]
    assert int(ledger.amount[ledger.reason != "checked"][-1]) == -1_012_400_000
    assert "amounts read with a decimal comma" in ledger.notes


def test_a_difference_within_the_tolerance_is_listed_as_such(tmp_path):
    fp = preview(tmp_path, [na_row("K-1", "Kitchen")])
    rows = [settlement_summary(), *order_item("1", "1", "K-1", 1, [P("24.99"), C("-3.75"), F("-5.43")])]
    path = write(tmp_path / "settlement.txt", tsv(SETTLEMENT, rows))
    exact = one(run([fp, path], on=ON))
    assert (exact["action"], exact["difference_per_unit"]) == (
        "fee dispute: charged above the card for the stated measurements and date", D("0.01"))
    loose = run([fp, path], on=ON, tolerance="0.01")
    found = one(loose)
    assert (found["kind"], found["action"], found["money_at_stake"]) == (
        "charged above the card", "none: within tolerance", D("0.01"))
    from feecalc.audit.report import summary

    settings = summary(loose)["Audit"].set_index("setting")["value"]
    assert settings["tolerance"] == "0.01 per unit: a difference up to it is listed with the action 'none: within " \
                                    "tolerance'"
    assert summary(run([fp], on=ON))["Audit"].set_index("setting")["value"]["tolerance"] == "0: exact to the cent"


# ---- the transaction CSV -------------------------------------------------------------------------------------
def german(**cells) -> dict:
    row = {"Datum/Uhrzeit": "03.03.2026 09:12:00 GMT+00:00", "Abrechnungsnummer": "1234567890", "Typ": "Bestellung",
           "Bestellnummer": "302-0000000-0000001", "SKU": "SKU-2", "Beschreibung": "Küchenprodukt", "Menge": "1",
           "Marketplace": "amazon.de", "Versand": "Amazon", "Ort der Bestellung": "Berlin", "Bundesland": "Berlin",
           "Postleitzahl": "10115", "Steuererhebungsmodell": "MarketplaceFacilitator", "Umsätze": "29,99",
           "Verkaufsgebühren": "-4,50", "Gebühren zu Versand durch Amazon": "-3,41", "Gesamt": "22,08"}
    row.update(cells)
    return row


def test_a_german_transaction_csv_with_decimal_commas(tmp_path):
    fp = write(tmp_path / "eu.txt", tsv(EU_HEADER, [eu_row("SKU-2", "Kitchen")]))
    fba = "Gebühren zu Versand durch Amazon"
    rows = [german(),
            german(**{fba: "-3,91", "Gesamt": "21,58"}),
            german(Menge="2", **{"Umsätze": "59,98", "Verkaufsgebühren": "-9,00", fba: "-6,82", "Gesamt": "44,16"}),
            german(Typ="Servicegebühr", SKU="", Beschreibung="Werbekosten", Menge="", **{
                "Umsätze": "0", "Verkaufsgebühren": "0", fba: "0", "Andere Transaktionsgebühren": "-12,00",
                "Gesamt": "-12,00"}),
            german(Typ="Übertrag", SKU="", Beschreibung="An Ihr Bankkonto", Menge="", **{
                "Umsätze": "0", "Verkaufsgebühren": "0", fba: "0", "Gesamt": "-1.234,56"})]
    path = write(tmp_path / "transaktionen.csv", quoted(GERMAN, rows, ['"Enthält Transaktionen aus ..."']),
                 encoding="utf-8")
    result = run([fp, path], on=ON)
    found = one(result, file=str(path))
    assert (found["line"], found["sku"], found["kind"], found["fee"], found["marketplace"]) == (
        4, "SKU-2", "charged above the card", "fulfillment (Gebühren zu Versand durch Amazon)", "DE")
    assert amounts(found) == (D("3.91"), D("3.41"), D("0.50"), 1, D("0.50"))
    ledger = result.ledgers[1]
    assert ledger.variant == "German headers (amazon.de), 27 columns"
    assert ledger.reason.tolist() == ["checked", "checked", "checked", "not checked: an account-level service fee "
                                      "(subscription, advertising): not a per-unit fee", "unknown transaction type"]
    assert ledger.amount.tolist()[-2:] == [-12_000_000, -1_234_560_000]
    every_line_accounted(result, [fp, path])


def test_a_us_transaction_csv_below_its_description_lines(tmp_path):
    fp = preview(tmp_path, [na_row("K-1", "Kitchen")])
    row = {"date/time": "Mar 3, 2026 9:12:00 AM PST", "settlement id": "1234567890", "type": "Order",
           "order id": "112-0000000-0000001", "sku": "K-1", "description": "Garlic press", "quantity": "1",
           "marketplace": "amazon.com", "account type": "Standard Orders", "fulfillment": "Amazon",
           "order city": "AUSTIN", "order state": "TX", "order postal": "78701",
           "tax collection model": "MarketplaceFacilitator", "product sales": "24.99", "product sales tax": "2.06",
           "marketplace withheld tax": "-2.06", "selling fees": "-3.75", "fba fees": "-5.42", "total": "15.82"}
    rows = [row, {**row, "selling fees": "-4.25", "total": "15.32"},
            {**row, "type": "Service Fee", "sku": "", "description": "Cost of Advertising", "quantity": "",
             "product sales": "0", "selling fees": "0", "fba fees": "0", "other transaction fees": "-25.00",
             "total": "-25.00"}]
    path = write(tmp_path / "transactions.csv", quoted(TRANSACTIONS_US, rows, US_PREAMBLE), encoding="utf-8")
    result = run([fp, path], on=ON)
    found = one(result, file=str(path))
    assert (found["line"], found["fee"], found["date"], found["kind"]) == (
        10, "referral + closing (selling fees)", "2026-03-03", "charged above the card")
    assert amounts(found) == (D("4.25"), D("3.75"), D("0.50"), 1, D("0.50"))
    assert found["action"] == "fee dispute: charged above the card for the stated measurements and date"
    every_line_accounted(result, [fp, path])


# ---- the storage report --------------------------------------------------------------------------------------
def test_storage_rows_rate_volume_and_tier(tmp_path):
    new = write(tmp_path / "storage-2025.txt", tsv(STORAGE_2024, [
        storage_row("B0S1"),                                          # 16.19 ft3 x 2.40 = 38.856 -> 38.86
        storage_row("B0S2", rate="2.5", fee="40.4750")]))             # the wrong rate
    old = write(tmp_path / "storage-old.txt", tsv(STORAGE_2022, [
        storage_row("B0S3", header="2022", month="2025-10", fee="38.86"),
        storage_row("B0S4", header="2022", tier="Oversize", fee="38.86"),
        storage_row("B0S5", header="2022", volume="0.40", fee="38.86"),
        storage_row("B0TEST0001", header="2022", month="2022-11", fee="0.39", total_volume="0.161")]))
    result = run([new, old], on=ON)
    rate = one(result, file=str(new))
    assert (rate["asin"], rate["line"], rate["kind"], rate["date"]) == ("B0S2", 3, "storage rate differs", "2025-11")
    assert amounts(rate) == (D("2.50"), D("2.40"), D("0.10"), D("16.19"), D("1.62"))
    assert rate["explanation"].startswith("us-2025, large_standard: storage[0].rates.standard.oct_dec per cubic foot "
                                          "x item volume [A-ST24, NOTE-ST, CODE-26a, CODE-IPF; confidence H]")
    tier = one(result, asin="B0S4")
    assert (tier["kind"], tier["detail"]) == ("size tier differs", "Amazon's tier 'Oversize'; feecalc's from the "
                                              "row's sides and weight: large_standard (standard-size)")
    volume = one(result, asin="B0S5")
    assert (volume["kind"], volume["units"], volume["money_at_stake"]) == (
        "storage volume differs from the sides", D(57), D("15.79"))  # (0.40 - 0.284592) x 57 x 2.40
    ledger = result.ledgers[1]
    assert ledger.reason.tolist() == ["checked"] * 3 + ["cannot check: no fee table covers the date (listed as a "
                                                        "finding)"]
    uncovered = one(result, asin="B0TEST0001")
    assert (uncovered["kind"], uncovered["amazon"], uncovered["money_at_stake"]) == (
        "cannot check: unavailable", D("0.39"), None)
    assert uncovered["explanation"].startswith("unavailable: month_of_charge: no US fee table covers 2022-11-01 "
                                               "(known: us-2023 2023-01-01 to ")
    every_line_accounted(result, [new, old])


def test_an_unavailable_storage_rate_is_not_a_discrepancy(tmp_path):
    # the UK 2025 dangerous-goods storage rates are NOT FOUND (uk-de.md 7.2); the catalog gives the ASIN's category
    path = write(tmp_path / "storage.txt", tsv(STORAGE_2024, [
        storage_row("B0UK1", dangerous="Flammable", country="GB", currency="GBP", rate="1.10", fee="17.8090"),
        storage_row("B0UK2", country="GB", currency="GBP", rate="1.10", fee="17.8090")]))
    catalog = tmp_path / "catalog.csv"
    catalog.write_text("asin,length,width,height,weight,category\nB0UK1,26.1,25.9,11.9,1330,kitchen\n"
                       "B0UK2,26.1,25.9,11.9,1330,kitchen\n")
    result = run([path], catalog=catalog, on=ON)
    found = one(result, asin="B0UK1")
    assert (found["kind"], found["amazon"], found["feecalc"], found["money_at_stake"], found["action"]) == (
        "cannot check: unavailable", D("17.809"), None, None, "none: feecalc has no figure for this fee on this date")
    assert found["explanation"].startswith("unavailable: storage: dangerous goods standard oct-dec rate from "
                                           "2025-01-15 to 2026-01-31: NOT FOUND in the reference")
    uk = feecalc.quote("UK", "2025-11-01", price="0", length=10.28, width=10.2, height=4.69, dimension_unit="in",
                       weight=2.94, weight_unit="lb", category="kitchen")
    rate = one(result, asin="B0UK2")  # the UK rate is not 1.10 a cubic foot: the other row is a finding
    assert rate["kind"] == "storage rate differs" and rate["feecalc"] != D("1.10")
    assert rate["explanation"].startswith(f"uk-2025, {uk.size_tier}: storage[0].rates.")
    assert result.ledgers[-1].reason.tolist() == ["measurements used", "measurements used"]


# ---- output --------------------------------------------------------------------------------------------------
def test_the_outputs_xlsx_csv_json(tmp_path):
    fp, path = settlement_files(tmp_path)
    result = run([fp, path], on=ON)
    written = write_audit(result, tmp_path / "audit.xlsx")
    book = pd.ExcelFile(written[0], engine="calamine")
    assert book.sheet_names == ["Findings", "Summary", "Unmatched 2 settlement.txt.gz"]
    sheet = pd.read_excel(book, "Findings")
    assert list(sheet.columns) == list(COLUMNS) and len(sheet) == 3
    assert sheet["money_at_stake"].tolist()[:2] == [0.5, 1.5]
    unmatched = pd.read_excel(book, "Unmatched 2 settlement.txt.gz", dtype=str)
    assert list(unmatched.columns[:3]) == ["line", "reason", "detail"] and list(unmatched.columns[3:]) == SETTLEMENT
    assert unmatched["amount-description"].tolist()[:2] == ["NewMysteryFee", "Commission"]
    summary = pd.read_excel(book, "Summary", header=None, dtype=str)
    assert "Money at stake by kind" in summary[0].tolist() and "Money at stake by month" in summary[0].tolist()
    csv = write_audit(result, tmp_path / "audit.csv")
    assert [p.name for p in csv] == ["audit.csv", "audit.summary.csv", "audit.unmatched.csv"]
    rows = pd.read_csv(csv[0], dtype=str, keep_default_na=False)
    assert rows["money_at_stake"].tolist() == ["0.50", "1.50", ""]
    body = json.loads(write_audit(result, tmp_path / "audit.json")[0].read_text())
    assert [f["money_at_stake"] for f in body["findings"]] == ["0.50", "1.50", None]
    assert {u["reason"] for u in body["unmatched"]} >= {"unknown fee type", "unreadable line"}
    by_kind = {r["kind"]: r for r in body["summary"]["Money at stake by kind"]}
    assert by_kind["charged above the card"]["money at stake (above the card)"] == "2.00"
    with pytest.raises(feecalc.FeecalcError, match="already exists; use --force"):
        write_audit(result, tmp_path / "audit.json")


def test_the_command_line(tmp_path, capsys):
    fp, path = settlement_files(tmp_path, compress=False)
    out = tmp_path / "audit.json"
    assert main(["audit", str(fp), str(path), "--on", ON, "-o", str(out)]) == 1
    text = capsys.readouterr().out
    assert "money at stake: USD 2.00" in text and f"written to {out}" in text
    assert f"  {path}: 1 x unknown fee type (USD -1.23)" in text
    clean = preview(tmp_path, [na_row("K-1", "Kitchen")], "clean.txt")
    assert main(["audit", str(clean), "--on", ON, "--quiet"]) == 0
    assert (tmp_path / "clean.audit.xlsx").exists()
    assert main(["audit", str(clean), "--on", ON, "--quiet"]) == 2
    assert "already exists; use --force" in capsys.readouterr().err
    assert main(["audit", str(clean), "--tolerance", "-1", "--force"]) == 2
    assert "--tolerance: '-1' must be an amount of at least 0" in capsys.readouterr().err


def test_no_line_is_lost_from_a_ragged_file(tmp_path):
    rows = [settlement_summary(), *order_item("1", "1", "K-1", 1, [P("24.99"), C("-3.75")])]
    text = tsv(SETTLEMENT, rows, blank_between=True)
    text = text.replace("Commission\t-3.75", "Commission\t-3.75\textra\tcells")
    path = write(tmp_path / "settlement.txt", text)
    result = run([path], on=ON)
    ledger = result.ledgers[0]
    assert ledger.line.tolist() == [2, 4, 6] and ledger.blank_lines == 3
    assert ledger.reason.tolist() == ["the settlement's summary row", "not a fee: the sale's amounts",
                                      "unreadable line"]
    assert ledger.detail[2].startswith("the line has 26 cell(s) where the header has 24; it is not read: '1234567890")


def test_findings_money_is_decimal_and_exact():
    assert np.dtype(object) == pd.DataFrame({"x": [D("0.10")]})["x"].dtype  # amounts stay Decimals in the frame


# ---- the HTTP API --------------------------------------------------------------------------------------------
def test_post_audit_answers_as_the_command_line_does(tmp_path):
    from feecalc_api import create_app

    fp, path = settlement_files(tmp_path)
    client = create_app().test_client()

    def post(**form):
        files = form.pop("files", [fp, path])
        data = {"file": [(open(p, "rb"), p.name) for p in files], **form}
        return client.post("/v1/audit", data=data, content_type="multipart/form-data")

    resp = post(on=ON)
    assert resp.status_code == 200 and resp.mimetype == "application/json"
    body = resp.json
    assert [f["money_at_stake"] for f in body["findings"]] == ["0.50", "1.50", None]
    assert {f["file"] for f in body["findings"]} == {"settlement.txt.gz"}  # the upload's own name, not a temp path
    assert (resp.headers["X-Feecalc-Findings"], resp.headers["X-Feecalc-Lines"]) == ("3", "34")  # 3 + 31 lines
    library = as_json(run([fp, path], on=ON))
    assert [{k: v for k, v in f.items() if k not in ("file", "explanation")} for f in body["findings"]] == \
        [{k: v for k, v in f.items() if k not in ("file", "explanation")} for f in library["findings"]]
    xlsx = post(on=ON, format="xlsx")
    assert xlsx.status_code == 200 and xlsx.data[:2] == b"PK"
    csv = post(on=ON, format="csv")
    assert csv.mimetype == "text/csv" and csv.data.decode().splitlines()[0].startswith('"file","line","sku"')
    bad = post(files=[tmp_path / "fee-preview.txt"], tolerance="abc")
    assert bad.status_code == 422 and bad.json["detail"] == "tolerance: 'abc' is not an amount such as 0.01"
    (tmp_path / "notes.txt").write_text("hello\tworld\n")
    wrong = post(files=[tmp_path / "notes.txt"])
    assert wrong.status_code == 422 and wrong.json["detail"].startswith("notes.txt: not a report feecalc audits")
    plain = client.post("/v1/audit", data={"file": "not a file"}, content_type="multipart/form-data")
    assert plain.status_code == 422 and plain.json["errors"] == [
        {"field": "file[0]", "message": "expected a file (a multipart part with a filename)"}]
    assert client.post("/v1/audit", json={"file": []}).status_code == 415
    slow = create_app({"time_budget_ms": -1}).test_client().post(
        "/v1/audit", data={"file": [(open(fp, "rb"), fp.name)]}, content_type="multipart/form-data")
    assert slow.status_code == 503 and slow.json["detail"].startswith("the time budget ran out after ")
    small = create_app({"max_body_bytes": 100}).test_client().post(
        "/v1/audit", data={"file": [(open(fp, "rb"), fp.name)]}, content_type="multipart/form-data")
    assert small.status_code == 413
