"""The audit (issue 15) as a seller used it: the defects a review found with report files built by hand in the
layouts of reports.md, each reproduced here to the cent, with its exact message.

The K-1 item (10 x 6 x 3 in, 1.2 lb, $24.99, Kitchen, 2026-03-01) is large standard: referral 3.75, fulfilment
5.42 (tests/test_audit.py works these out)."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from audit_reports import (
    LTSF,
    SETTLEMENT,
    STORAGE_2022,
    STORAGE_2024,
    TRANSACTIONS_US,
    US_PREAMBLE,
    na_row,
    other_line,
    quoted,
    settlement_summary,
    storage_row,
    tsv,
    write,
)
from fee_preview import NA_HEADER

from feecalc.audit import ReportError, run
from feecalc.audit import write as write_audit
from feecalc.audit.recognise import read_report
from feecalc.audit.report import summary
from feecalc.cli import main

ON = "2026-03-01"
D = Decimal
CREDIT = "a credit on an order's fee line (not a charge): not checked"


def preview(tmp_path: Path, rows: list[dict]) -> Path:
    return write(tmp_path / "fee-preview.txt", tsv(NA_HEADER, rows))


def order(**cells) -> dict:
    """A US transaction CSV order row of K-1 (one unit at 24.99, charged the card)."""
    row = {"date/time": "Mar 3, 2026 9:12:00 AM PST", "settlement id": "1234567890", "type": "Order",
           "order id": "112-0000000-0000001", "sku": "K-1", "description": "Garlic press", "quantity": "1",
           "marketplace": "amazon.com", "account type": "Standard Orders", "fulfillment": "Amazon",
           "order city": "AUSTIN", "order state": "TX", "order postal": "78701",
           "tax collection model": "MarketplaceFacilitator", "product sales": "24.99", "selling fees": "-3.75",
           "fba fees": "-5.42", "total": "15.82"}
    row.update(cells)
    return row


def transactions(tmp_path: Path, rows: list[dict], name: str = "transactions.csv") -> Path:
    return write(tmp_path / name, quoted(TRANSACTIONS_US, rows, US_PREAMBLE), encoding="utf-8")


def reasons(result, k: int) -> list[tuple[str, object]]:
    ledger = result.ledgers[k]
    return list(zip(ledger.reason.tolist(), ledger.detail.tolist(), strict=True))


def amounts(row: dict) -> tuple:
    return row["amazon"], row["feecalc"], row["difference_per_unit"], row["units"], row["money_at_stake"]


# ---- 1. credits on a transaction row; empty inputs -----------------------------------------------------------
def test_a_transaction_row_whose_fees_are_all_credits_is_listed_not_a_crash(tmp_path, capsys):
    fp = preview(tmp_path, [na_row("K-1", "Kitchen")])
    tx = transactions(tmp_path, [order(**{"selling fees": "3.75", "fba fees": "3.95", "total": "32.69"})])
    result = run([fp, tx], on=ON)
    assert result.findings.empty
    assert reasons(result, 1) == [(CREDIT, "selling fees 3.75; fba fees 3.95")]
    assert main(["audit", str(fp), str(tx), "--on", ON, "-o", str(tmp_path / "a.json"), "--quiet"]) == 0


def test_a_credit_beside_a_charge_is_not_counted_as_checked(tmp_path):
    fp = preview(tmp_path, [na_row("K-1", "Kitchen")])
    tx = transactions(tmp_path, [order(**{"fba fees": "3.95"}), order(**{"selling fees": "-4.25", "fba fees": "3.95"})])
    result = run([fp, tx], on=ON)
    assert reasons(result, 1) == [(CREDIT, "fba fees 3.95; the other fee of the row was checked")] * 2
    found = result.findings.iloc[0].to_dict()
    assert (len(result.findings), found["line"], found["fee"]) == (1, 10, "referral + closing (selling fees)")
    assert amounts(found) == (D("4.25"), D("3.75"), D("0.50"), 1, D("0.50"))


# ---- 2. a charge for several units, read per line and per unit -----------------------------------------------
def test_per_unit_and_per_line_readings_show_the_cards_figure_and_disagreement(tmp_path):
    fp = preview(tmp_path, [na_row("K-1", "Kitchen")])
    two = {"quantity": "2", "product sales": "49.98", "selling fees": "-7.50"}
    tx = transactions(tmp_path, [
        order(**two, **{"fba fees": "-10.94"}),        # per unit: 5.47 each, 0.05 above; per line: 0.10 above
        order(**two, **{"fba fees": "-5.47"}),         # per unit: 0.05 above each; per line: 5.37 below
        order(quantity="10", **{"product sales": "249.90", "selling fees": "-37.50", "fba fees": "-6.00"})])
    result = run([fp, tx], on=ON)
    f = result.findings.set_index("line")
    both = f.loc[9].to_dict()
    assert (both["kind"], both["action"]) == ("charged above the card", "fee dispute: charged above the card for the "
                                              "stated measurements and date")
    assert amounts(both) == (D("10.94"), D("10.84"), D("0.05"), 2, D("0.10"))
    assert both["reading"] == "the card's fulfilment fee; per line: the amount is for all the units (reports.md 3.3, L)"
    split = f.loc[10].to_dict()
    assert (split["kind"], split["money_at_stake"]) == ("above or below the card: the readings disagree", None)
    assert amounts(split)[:4] == (D("5.47"), D("5.42"), D("0.05"), 2)
    assert split["action"] == ("none until you know how Amazon's figure is meant: one reading puts it above the "
                               "card, another below (see the detail); not a dispute")
    assert split["detail"] == (
        "above the card by USD 0.10 for the line (the card's fulfilment fee; per unit: the amount is each unit's fee),"
        " the least of the readings above it; below it by USD 5.37 (the card's fulfilment fee; per line: the amount is"
        " for all the units (reports.md 3.3, L)), the least of the readings below it")
    ten = f.loc[11].to_dict()
    assert amounts(ten)[:4] == (D("6.00"), D("5.42"), D("0.58"), 10)
    assert ten["detail"] == (
        "above the card by USD 5.80 for the line (the card's fulfilment fee; per unit: the amount is each unit's fee),"
        " the least of the readings above it; below it by USD 48.20 (the card's fulfilment fee; per line: the amount"
        " is for all the units (reports.md 3.3, L)), the least of the readings below it")
    assert result.money_at_stake() == {"USD": D("0.10")}


# ---- 3. one SKU, two measurements ----------------------------------------------------------------------------
def test_a_sku_with_two_measurements_is_a_conflict_never_the_first(tmp_path):
    fp = preview(tmp_path, [na_row("D-1", "Kitchen", fulfilment="5.92"),
                            na_row("D-1", "Kitchen", sides=("10.00", "6.00", "1.00"), weight="0.50", fulfilment="3.95"),
                            na_row("K-1", "Kitchen")])
    catalog = tmp_path / "catalog.csv"
    catalog.write_text("sku,length,width,height,weight\nK-1,10,6,3,1.2\nK-1,10,6,3,1.2\nX-1,10,6,3,1.2\n"
                       "X-1,10,6,1,0.5\n", encoding="utf-8")
    tx = transactions(tmp_path, [order(sku="D-1"), order(sku="D-1"), order(sku="X-1"), order()])
    result = run([fp, tx], catalog=catalog, on=ON)
    conflict = ("cannot check: the measurements' file gives this SKU (or ASIN) different measurements on two or more "
                "lines")
    assert reasons(result, 1) == [
        (conflict, f"the fee preview {fp} gives this SKU different measurements (lines 2, 3)")] * 2 + [
        (conflict, f"the catalog {catalog} gives this SKU different measurements (lines 4, 5)"), ("checked", None)]
    found = result.findings[result.findings["sku"] == "D-1"].iloc[0].to_dict()
    assert (found["line"], found["units"], found["money_at_stake"]) == (2, None, D("0.50"))
    assert found["basis"] == (f"per unit (the fee preview {fp} gives this SKU different measurements (lines 2, 3): the "
                              "SKU's units are not split between them)")
    assert len(result.findings) == 1
    catalog_lines = "not used: the catalog gives this SKU (or ASIN) different measurements on two or more lines"
    assert reasons(result, 2) == [("measurements used", None)] * 2 + [
        (catalog_lines, f"the catalog {catalog} gives this SKU different measurements (lines 4, 5)")] * 2


# ---- 4, 5, 7. what the money at stake adds up ----------------------------------------------------------------
def test_money_at_stake_adds_charges_only_apart_from_projections_tolerance_and_unchecked(tmp_path, capsys):
    fp = preview(tmp_path, [na_row("K-1", "Kitchen", fulfilment="5.92"), na_row("S-1", "Kitchen", total="9.20")])
    tx = transactions(tmp_path, [
        order(), order(), order(),
        order(**{"fba fees": "-5.43"}),                                     # within the tolerance 0.01
        order(**{"fba fees": "-5.92"}),                                     # 0.50 above the card
        order(**{"date/time": "Mar 1, 2024 9:12:00 AM PST", "fba fees": "-5.00"})])  # the interim card: unavailable
    result = run([fp, tx], on=ON, tolerance="0.01")
    f = result.findings
    projected = f[f["file"] == str(fp)].set_index("sku")
    assert (projected.loc["K-1", "units"], projected.loc["K-1", "money_at_stake"]) == (D(6), D("3.00"))
    sums = projected.loc["S-1"].to_dict()
    assert (sums["kind"], sums["difference_per_unit"], sums["money_at_stake"], sums["basis"]) == (
        "estimated fee total does not add up", D("0.03"), None,
        "none: Amazon's own arithmetic in its estimate, not a charge")
    assert result.money_at_stake() == {"USD": D("0.50")}
    assert result.projected() == {"USD": D("3.00")}
    assert result.unchecked() == {"USD": D("5.00")}
    tables = summary(result)
    by_kind = tables["Money at stake by kind"].set_index("kind")
    assert by_kind.loc["charged above the card"].tolist() == ["USD", 2, 1, D("0.50"), D(0), None, "exact", None,
                                                                  0]
    assert by_kind.loc["cannot check: unavailable"].tolist() == ["USD", 1, 0, None, None, D("5.00"),
                                                                     "a lower bound: some charges could not be "
                                                                     "checked", None, 1]
    assert by_kind.loc["fulfilment fee differs from the card"].tolist() == ["USD", 1, 0, None, None, None, "",
                                                                                D("3.00"), 0]
    months = tables["Money at stake by month"].set_index("month")
    assert months.loc["2024-03", "money at stake is"] == "a lower bound: some charges could not be checked"
    assert months.loc["2026-03", "money at stake (above the card)"] == D("0.50")
    settings = tables["Audit"].set_index("setting")["value"]
    assert settings["money at stake (charged above the card)"] == (
        "USD 0.50, and USD 5.00 of charges could not be checked (the money at stake is a lower bound)")
    assert settings["projected at stake on the fee preview's estimate"].startswith("USD 3.00 (not added")
    assert main(["audit", str(fp), str(tx), "--on", ON, "--tolerance", "0.01", "-o", str(tmp_path / "a.json")]) == 1
    out = capsys.readouterr().out
    assert ("money at stake: USD 0.50, and USD 5.00 of charges could not be checked (the money at stake is a lower "
            "bound)\nprojected at stake on the fee preview's estimate (not added): USD 3.00\n") in out
    assert "  charged above the card: 2 (1 within tolerance), money at stake USD 0.50\n" in out


# ---- 6. the currency of account-level rows -------------------------------------------------------------------
def test_account_level_rows_are_totalled_in_the_files_currency(tmp_path):
    fp = preview(tmp_path, [na_row("K-1", "Kitchen")])
    account = {"sku": "", "quantity": "", "marketplace": "", "fulfillment": "", "product sales": "0",
               "selling fees": "0", "fba fees": "0"}
    rows = [order(), order(type="Service Fee", **account, total="-50.00"),
            order(type="Mystery Type", **account, total="-1.75")]
    result = run([fp, transactions(tmp_path, rows)], on=ON)
    reasons_ = summary(result)["Lines by reason (matched and not matched)"]
    mine = reasons_[reasons_["file"] == result.ledgers[1].file].set_index("reason")
    assert mine.loc["not checked: an account-level service fee (subscription, advertising): not a per-unit fee",
                    ["currency", "amount"]].tolist() == ["USD", D("-50.00")]
    assert mine.loc["unknown transaction type", ["currency", "amount"]].tolist() == ["USD", D("-1.75")]
    assert "rows without a store read in USD (as the description lines say)" in result.ledgers[1].notes
    german = transactions(tmp_path, rows, name="no-description.csv")  # no description lines: the rows' one currency
    german.write_text("\n".join(german.read_text(encoding="utf-8").splitlines()[len(US_PREAMBLE):]) + "\n",
                      encoding="utf-8")
    ledger = run([fp, german], on=ON).ledgers[1]
    assert ledger.currency.tolist() == ["USD"] * 3
    assert "rows without a store read in USD (the currency of every row with a store)" in ledger.notes


# ---- 8. a date no fee table covers ---------------------------------------------------------------------------
KNOWN = ("(known: us-2023 2023-01-01 to 2024-02-04, us-2024 2024-02-05 to 2025-01-14, us-2025 2025-01-15 to "
         "2026-01-14, us-2026 2026-01-15 to 2027-01-14)")
UNCOVERED = "cannot check: no fee table covers the date (listed as a finding)"


def test_a_date_no_fee_table_covers_is_unavailable_with_the_reason(tmp_path):
    fp = preview(tmp_path, [na_row("K-1", "Kitchen")])
    old = transactions(tmp_path, [order(**{"date/time": "Jun 1, 2022 9:12:00 AM PDT"})])
    storage = write(tmp_path / "storage.txt", tsv(STORAGE_2022, [
        storage_row("B0K-1", header="2022", month="2022-11", fee="0.39")]))
    result = run([fp, old, storage], on=ON)
    f = result.findings
    assert f["kind"].tolist() == ["cannot check: unavailable"] * 3
    assert f["amazon"].tolist() == [D("3.75"), D("5.42"), D("0.39")]
    assert f["money_at_stake"].tolist() == [None] * 3
    assert f["explanation"].iloc[0].startswith(f"unavailable: date/time: no US fee table covers 2022-06-01 {KNOWN}; "
                                               "measurements 10 x 6 x 3 inches")
    assert f["explanation"].iloc[2] == f"unavailable: month_of_charge: no US fee table covers 2022-11-01 {KNOWN}"
    assert [r for r, _ in reasons(result, 1)] == [UNCOVERED]
    assert [r for r, _ in reasons(result, 2)] == [UNCOVERED]
    assert result.unchecked() == {"USD": D("9.56")}


def test_a_fee_preview_row_that_cannot_be_costed_still_has_its_sum_checked(tmp_path):
    fp = preview(tmp_path, [na_row("K-1", "Kitchen", total="9.20"), na_row("K-2", "Kitchen")])
    result = run([fp], on="2027-02-01")
    found = result.findings.iloc[0].to_dict()
    assert (len(result.findings), found["sku"], found["kind"], found["amazon"], found["feecalc"],
            found["difference_per_unit"], found["money_at_stake"]) == (
        1, "K-1", "estimated fee total does not add up", D("9.20"), D("9.17"), D("0.03"), None)
    assert [r for r, _ in reasons(result, 0)] == ["cannot cost the item"] * 2


# ---- 9. strict JSON, the same from the command line and HTTP -------------------------------------------------
def _strict(text: str):
    def refuse(name: str):
        raise ValueError(f"not JSON: {name}")

    return json.loads(text, parse_constant=refuse)


def test_the_json_is_strict_and_the_command_line_and_http_agree(tmp_path):
    from feecalc_api import create_app

    fp = preview(tmp_path, [na_row("K-1", "Kitchen")])
    catalog = tmp_path / "catalog.csv"
    catalog.write_text("sku,length,width,height,weight\nZ-1,10,6,3,1.2\n", encoding="utf-8")  # no line names Z-1
    tx = transactions(tmp_path, [order(), order(**{"fba fees": "-5.92"}), order(sku=""), order(sku="Q-9")])
    out = tmp_path / "audit.json"
    assert main(["audit", str(fp), str(tx), "--catalog", str(catalog), "--on", ON, "-o", str(out), "--quiet"]) == 1
    cli = _strict(out.read_text(encoding="utf-8"))
    unmatched = [u for u in cli["unmatched"] if u["file"] == str(catalog)]
    assert [(u["line"], u["reason"], u["detail"]) for u in unmatched] == [
        (2, "no report line names this SKU or ASIN", None)]
    assert [(u["line"], u["detail"]) for u in cli["unmatched"] if u["file"] == str(tx)] == [
        (11, None), (12, "sku 'Q-9'")]  # pandas reads [None, 'text'] as strings with NaN: written as null
    assert [u["reason"] for u in cli["unmatched"] if u["file"] == str(tx)][0] == "no sku on the order row"
    data = {"file": [(open(p, "rb"), p.name) for p in (fp, tx)], "catalog": (open(catalog, "rb"), catalog.name),
            "on": ON}
    resp = create_app().test_client().post("/v1/audit", data=data, content_type="multipart/form-data")
    http = _strict(resp.data.decode())
    names = {str(fp): fp.name, str(tx): tx.name, str(catalog): catalog.name}

    def renamed(value):
        if isinstance(value, dict):
            return {k: renamed(v) for k, v in value.items()}
        if isinstance(value, list):
            return [renamed(v) for v in value]
        if isinstance(value, str):
            for long, short in names.items():
                value = value.replace(long, short)
        return value

    assert renamed(cli) == http


# ---- the smaller points --------------------------------------------------------------------------------------
def test_seen_settlement_types_are_not_checked_and_a_refunds_fee_line_is_not_called_a_referral(tmp_path):
    rows = [settlement_summary(),
            other_line("Lightning Deal Fee", "Cost of Advertising", "LightningDealFee", "-150.00"),
            other_line("Order_Retrocharge", "ItemFees", "FBAPerUnitFulfillmentFee", "-0.50", sku="K-1"),
            other_line("Refund", "ItemFees", "FBAPerUnitFulfillmentFee", "5.42", sku="K-1"),
            other_line("Other", "ShipmentFees", "Something", "-1.00")]
    result = run([write(tmp_path / "settlement.txt", tsv(SETTLEMENT, rows))], on=ON)
    assert [r for r, _ in reasons(result, 0)][1:] == [
        "not checked: the transaction type 'Lightning Deal Fee' (reports.md 3.3 lists it as seen): not a fee of "
        "feecalc's tables",
        "not checked: the transaction type 'Order_Retrocharge' (reports.md 3.3 lists it as seen): not a fee of "
        "feecalc's tables",
        "not checked: a refund's fee line: a fee given back, or the refund administration fee, which feecalc's tables "
        "do not price",
        "not checked: the amount type 'ShipmentFees' (reports.md 3.3 lists it as seen): not a fee of feecalc's "
        "tables"]


def test_storage_headers_of_reports_md_conflicts_and_long_term_storage_totals(tmp_path):
    older = STORAGE_2022
    at = older.index("eligible_for_inventory_discount")
    with_category = older[:at] + ["category"] + older[at:]
    union = older + ["sku", "storage_utilization_ratio", "storage_utilization_ratio_units", "base_rate",
                     "utilization_surcharge_rate", "avg_qty_for_sus", "est_vol_for_sus", "est_base_msf", "est_sus"]
    odd = older + ["something_else"]
    labels = [read_report(write(tmp_path / f"{k}.txt", tsv(h, [dict.fromkeys(h, "")] ))).variant
              for k, h in enumerate((with_category, union, odd))]
    assert labels == [
        "28 columns: a category column before eligible_for_inventory_discount (reports.md 4.2, Conflicts; read by "
        "name)",
        "36 columns: storage_rate with sku and the surcharge block appended (reports.md 4.2, Conflicts; read by name)",
        "28 columns, a variant reports.md does not list (read by name)"]
    ltsf = write(tmp_path / "ltsf.txt", tsv(LTSF, [
        ["2026-03-15", "K-1", "X00K-1", "B0K-1", "Item", "New", "0.0356", "USD", "cu-ft", "US", "10", "2.35", "365+",
         "6.90"],
        ["2026-03-15", "K-2", "X00K-2", "B0K-2", "Item", "New", "0.0356", "USD", "cu-ft", "US", "1", "1.10", "365+",
         "6.90"]]))
    ledger = run([ltsf], on=ON).ledgers[0]
    counts = ledger.counts()
    assert (counts["lines"].tolist(), counts["currency"].tolist(), counts["amount"].tolist()) == (
        [2], ["USD"], [3_450_000])


def test_the_smaller_wording_points(tmp_path, capsys):
    catalog = tmp_path / "catalog.csv"
    catalog.write_text("name,length,width,height,weight\nx,1,1,1,1\n", encoding="utf-8")
    fp = preview(tmp_path, [na_row("K-1", "Kitchen")])
    with pytest.raises(ReportError, match=r"has no sku or asin column; its columns are 'name', "):
        run([fp], catalog=catalog, on=ON)
    tx = transactions(tmp_path, [order()])
    assert main(["audit", str(tx), "-o", str(tmp_path / "a.json")]) == 0
    out = capsys.readouterr().out
    assert out.startswith("audit: tolerance 0 (exact to the cent)\n")
    settings = summary(run([tx])).get("Audit").set_index("setting")["value"]
    assert settings["fee date of the fee preview"] == ("none: no fee preview was given (the reports' lines are "
                                                       "costed on their own dates)")


def test_reports_with_a_header_and_no_rows_are_audited_as_empty(tmp_path):
    paths = [preview(tmp_path, []), write(tmp_path / "settlement.txt", tsv(SETTLEMENT, [settlement_summary()])),
             write(tmp_path / "storage.txt", tsv(STORAGE_2024, [])), write(tmp_path / "ltsf.txt", tsv(LTSF, [])),
             transactions(tmp_path, [])]
    result = run(paths, on=ON)
    assert (len(result.findings), result.lines, [len(ledger) for ledger in result.ledgers]) == (0, 1, [0, 1, 0, 0, 0])
    for ext in (".json", ".xlsx", ".csv"):
        write_audit(result, tmp_path / f"out{ext}")
    catalog = tmp_path / "catalog.csv"
    catalog.write_text("sku,length,width,height,weight\n", encoding="utf-8")
    with pytest.raises(ReportError, match=f"^--catalog: {catalog} has no rows under its header$"):
        run(paths, catalog=catalog, on=ON)


def test_a_volume_finding_without_the_units_on_hand_has_its_money_at_stake_unknown_not_within_tolerance(tmp_path):
    # before: a blank average_quantity_on_hand counted as 0 units, so 0.00 at stake and 'none: within tolerance'
    path = write(tmp_path / "storage-old.txt", tsv(STORAGE_2022, [
        storage_row("B0S5", header="2022", volume="0.40", fee="38.86", on_hand="")]))
    result = run([path], on=ON)
    volume = [f for f in result.findings.to_dict("records") if f["asin"] == "B0S5"
              and f["kind"] == "storage volume differs from the sides"]
    assert len(volume) == 1
    assert (volume[0]["money_at_stake"], volume[0]["units"], volume[0]["action"]) == (
        None, None, "re-measurement request")
    assert volume[0]["detail"].endswith("; the average quantity on hand is not given, so the money at stake is "
                                        "unknown")


def test_a_line_wider_than_the_header_keeps_every_cell(tmp_path):
    # before: the cells past the header's last column were dropped from the unmatched lines, and the detail kept
    # only the line's first 200 characters
    line = "\t".join(["1234567890"] + ["x"] * 23 + ["EXTRA1", "EXTRA2"]) + "\t" + "y" * 300
    path = write(tmp_path / "settlement.txt", tsv(SETTLEMENT, [settlement_summary("1.00")]) + line + "\r\n")
    result = run([path], on=ON)
    ledger = result.ledgers[0]
    wide = ledger.reason == "unreadable line"
    assert wide.sum() == 1
    cells = ledger.cells.to_pandas() if hasattr(ledger.cells, "to_pandas") else ledger.cells
    row = cells[wide].iloc[0].tolist()
    assert "\t".join(row) == line and row[-1] == "x\tEXTRA1\tEXTRA2\t" + "y" * 300
    assert ledger.detail[wide][0].endswith(repr(line))
