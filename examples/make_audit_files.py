"""Writes the two Amazon reports the README's "Audit" example reads, in the layouts of reports.md: examples/audit/
fee-preview.txt (the FBA Fee Preview, NA 31 columns, 2.2 (b)) and examples/audit/settlement.txt (the settlement flat
file V2, 24 columns, the summary row first, 3.2).  Tab-delimited, CRLF, cp1252, `--` where a fee does not apply.

The SKUs are those of examples/catalog.csv.  Amazon's figures are the card's for Amazon's own measurements, except
where the example shows a finding: 00123 weighed by Amazon at 1.60 lb (the catalog says 1.2), and one fulfilment fee
of 00124 charged 0.50 above the card.  The amounts are the example's, worked out with feecalc on 2026-03-01; they are
Amazon's figures only in this example.

    python examples/make_audit_files.py
"""

from pathlib import Path

FOLDER = Path(__file__).with_name("audit")
PREVIEW = ("sku fnsku asin amazon-store product-name product-group brand fulfilled-by your-price sales-price "
           "longest-side median-side shortest-side length-and-girth unit-of-dimension item-package-weight "
           "unit-of-weight product-size-tier currency estimated-fee-total estimated-referral-fee-per-unit "
           "estimated-variable-closing-fee estimated-order-handling-fee-per-order estimated-pick-pack-fee-per-unit "
           "estimated-weight-handling-fee-per-unit expected-fulfillment-fee-per-unit").split() + [
    "estimated-future-fee (Current Selling on Amazon + Future Fulfillment fees)",
    "estimated-future-order-handling-fee-per-order", "estimated-future-pick-pack-fee-per-unit",
    "estimated-future-weight-handling-fee-per-unit", "expected-future-fulfillment-fee-per-unit"]
SETTLEMENT = ("settlement-id settlement-start-date settlement-end-date deposit-date total-amount currency "
              "transaction-type order-id merchant-order-id adjustment-id shipment-id marketplace-name amount-type "
              "amount-description amount fulfillment-id posted-date posted-date-time order-item-code "
              "merchant-order-item-id merchant-adjustment-item-id sku quantity-purchased promotion-id").split()


def preview_row(sku, name, group, price, sides, weight, referral, fulfilment):
    longest, median, shortest = sides
    girth = longest + 2 * (median + shortest)
    total = referral + fulfilment
    return [sku, f"X00{sku}", f"B0EXAMPLE{sku[-1]}", "US", name, group, "ExampleBrand", "Amazon", price, price,
            f"{longest:.2f}", f"{median:.2f}", f"{shortest:.2f}", f"{girth:.2f}", "inches", f"{weight:.2f}", "pounds",
            "UsLargeStandardSize", "USD", f"{total:.2f}", f"{referral:.2f}", "0.00", "--", "--", "--",
            f"{fulfilment:.2f}", "--", "--", "--", "--", "--"]


def order(order_id, item, sku, quantity, posted, amounts):
    """An order item's settlement lines: (amount-type, amount-description, amount) each."""
    return [{"settlement-id": "1234567890", "currency": "USD", "transaction-type": "Order", "order-id": order_id,
             "shipment-id": "DxxEXAMPLE", "marketplace-name": "Amazon.com", "amount-type": kind,
             "amount-description": what, "amount": amount, "fulfillment-id": "AFN", "posted-date": posted,
             "posted-date-time": f"{posted} 05:23:19 UTC", "order-item-code": item, "sku": sku,
             "quantity-purchased": str(quantity)} for kind, what, amount in amounts]


def tsv(header, rows):
    lines = ["\t".join(header)] + ["\t".join(str(r.get(c, "")) for c in header) if isinstance(r, dict) else
                                   "\t".join(r) for r in rows]
    return "\r\n".join(lines) + "\r\n"


def main(folder: Path = FOLDER) -> None:
    folder.mkdir(exist_ok=True)
    rows = [preview_row("00123", "Garlic press", "Kitchen", "24.99", (10.0, 6.0, 3.0), 1.6, 3.75, 5.57),
            preview_row("00124", "Stacking cups", "Toy", "9.99", (8.0, 4.0, 1.0), 0.4, 1.50, 3.13)]
    (folder / "fee-preview.txt").write_bytes(tsv(PREVIEW, rows).encode("cp1252"))
    lines = [{"settlement-id": "1234567890", "settlement-start-date": "2026-03-01 10:00:00 UTC",
              "settlement-end-date": "2026-03-15 10:00:00 UTC", "deposit-date": "2026-03-17 10:00:00 UTC",
              "total-amount": "16.64", "currency": "USD"}]
    lines += order("111-0000000-0000001", "50000000000001", "00123", 2, "2026-03-03", [
        ("ItemPrice", "Principal", "49.98"), ("ItemFees", "Commission", "-7.50"),
        ("ItemFees", "FBAPerUnitFulfillmentFee", "-11.14")])
    lines += order("111-0000000-0000002", "50000000000002", "00124", 1, "2026-03-05", [
        ("ItemPrice", "Principal", "9.99"), ("ItemFees", "Commission", "-1.50"),
        ("ItemFees", "FBAPerUnitFulfillmentFee", "-3.63")])
    lines += [{"settlement-id": "1234567890", "currency": "USD", "transaction-type": "other-transaction",
               "amount-type": "other-transaction", "amount-description": "Storage Fee", "amount": "-2.16",
               "posted-date": "2026-03-07", "posted-date-time": "2026-03-07 18:00:00 UTC"},
              {"settlement-id": "1234567890", "currency": "USD", "transaction-type": "Lightning Deal Fee",
               "amount-type": "LightningDealFee", "amount": "-17.40", "posted-date": "2026-03-09",
               "posted-date-time": "2026-03-09 18:00:00 UTC"}]
    (folder / "settlement.txt").write_bytes(tsv(SETTLEMENT, lines).encode("cp1252"))


if __name__ == "__main__":
    main()
