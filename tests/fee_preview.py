"""Amazon's FBA Fee Preview report as sellers download it, built from the headers and value formats that
../shared/reference/reports.md 2.2 documents (the US/CA 31-column header and the EU 29-column header, tab-delimited,
`--` where a fee does not apply, cp1252).  The rows are constructed, as reports.md's own example rows are: their
fee columns are Amazon-style placeholders, not expectations."""

from __future__ import annotations

NA_HEADER = (  # reports.md 2.2 (b), in order
    "sku fnsku asin amazon-store product-name product-group brand fulfilled-by your-price sales-price longest-side "
    "median-side shortest-side length-and-girth unit-of-dimension item-package-weight unit-of-weight "
    "product-size-tier currency estimated-fee-total estimated-referral-fee-per-unit estimated-variable-closing-fee "
    "estimated-order-handling-fee-per-order estimated-pick-pack-fee-per-unit estimated-weight-handling-fee-per-unit "
    "expected-fulfillment-fee-per-unit").split() + [
    "estimated-future-fee (Current Selling on Amazon + Future Fulfillment fees)",
    "estimated-future-order-handling-fee-per-order", "estimated-future-pick-pack-fee-per-unit",
    "estimated-future-weight-handling-fee-per-unit", "expected-future-fulfillment-fee-per-unit"]
EU_HEADER = (  # reports.md 2.2 (a), in order
    "sku fnsku asin product-name product-group brand fulfilled-by has-local-inventory your-price sales-price "
    "longest-side median-side shortest-side length-and-girth unit-of-dimension item-package-weight unit-of-weight "
    "product-size-weight-band currency estimated-fee-total estimated-referral-fee-per-unit "
    "estimated-variable-closing-fee expected-domestic-fulfilment-fee-per-unit expected-efn-fulfilment-fee-per-unit-uk "
    "expected-efn-fulfilment-fee-per-unit-de expected-efn-fulfilment-fee-per-unit-fr "
    "expected-efn-fulfilment-fee-per-unit-it expected-efn-fulfilment-fee-per-unit-es "
    "expected-efn-fulfilment-fee-per-unit-se").split()
assert len(NA_HEADER) == 31 and len(EU_HEADER) == 29

# (sku, product-group, product-name): a 10 x 6 x 3 in, 1.2 lb item at $24.99 in each group, as in Amazon's report
NA_GROUPS = [("K-1", "Kitchen", "Garlic press"), ("B-1", "Beauty", "Hair brush"), ("BK-1", "Book", "Cookbook"),
             ("W-1", "Wireless", "Phone case"), ("L-1", "Lawn & Patio", "Plant pot"), ("T-1", "Toy", "Puzzle"),
             ("A-1", "Apparel", "Scarf"), ("G-1", "Wireless", "Charger")]
NA_CONSTRUCTED = [  # reports.md 2.3's own constructed rows: a US row and the CA row of the same SKU
    "SKU-1\tX00TEST001\tB0TEST0001\tUS\tTravel wallet\tLuggage\tExampleBrand\tAmazon\t25.00\t25.00\t7.72\t6.54\t1.22\t"
    "23.24\tinches\t0.18\tpounds\tUsLargeStandardSize\tUSD\t7.80\t3.75\t0.00\t--\t--\t--\t4.05\t--\t--\t--\t--\t--",
    "SKU-1\tX00TEST001\tB0TEST0001\tCA\tTravel wallet\tLuggage\tExampleBrand\tAmazon\t34.99\t34.99\t19.61\t16.61\t3.1\t"
    "59.03\tcentimeters\t82.01\tgrams\tStandard\tCAD\t11.00\t5.25\t0.00\t--\t--\t--\t5.75\t--\t--\t--\t--\t--"]
EU_CONSTRUCTED = (  # reports.md 2.3's constructed EU row (a DE row; points as decimal symbol, as that row has them)
    "SKU-2\tX00TEST002\tB0TEST0002\tKitchen product\tKitchen\tExampleBrand\tAMAZON_EU\tYes\t29.99\t29.99\t31.5\t20.0\t"
    "10.2\t92.0\tcentimeters\t1200\tgrams\t(band)\tEUR\t8.42\t4.50\t0.00\t3.92\t5.10\t--\t5.40\t5.60\t5.30\t5.90")


def na_report() -> str:
    """A US/CA fee preview: eight US rows of the same item in Amazon's product groups, then the two rows of reports.md
    (the CA row is costed as no marketplace feecalc has)."""
    rows = [f"{sku}\tX00{sku}\tB0{sku}\tUS\t{name} \u2013 caf\u00e9 edition\t{group}\tExampleBrand\tAmazon\t24.99\t"
            f"24.99\t10.00\t6.00\t3.00\t28.00\tinches\t1.20\tpounds\tUsLargeStandardSize\tUSD\t9.36\t3.75\t0.00\t--\t"
            f"--\t--\t5.42\t--\t--\t--\t--\t--" for sku, group, name in NA_GROUPS]
    return "\t".join(NA_HEADER) + "\r\n" + "\r\n".join(rows + NA_CONSTRUCTED) + "\r\n"


def eu_report() -> str:
    """An EU fee preview: reports.md's DE row, and the same item in three more product groups."""
    more = [EU_CONSTRUCTED.replace("SKU-2", f"SKU-{i}").replace("\tKitchen\t", f"\t{group}\t")
            for i, group in ((3, "Toy"), (4, "Beauty"), (5, "Wireless"))]
    return "\t".join(EU_HEADER) + "\r\n" + "\r\n".join([EU_CONSTRUCTED, *more]) + "\r\n"
