"""Amazon's reports as sellers download them, for the audit's tests (issue 15), built in the exact layouts that
../shared/reference/reports.md documents: the headers below are copied from it (independently of feecalc.audit's own
copies, so that a typo in either shows), tab-delimited with `--` for fees that do not apply, the settlement's summary
row first, the transaction CSV quoted with its description lines above the header.  The rows are the tests' own:
reports.md's constructed rows are "not test expectations for amounts", so these rows carry amounts worked out from
the fee tables, and known discrepancies on top."""

from __future__ import annotations

import gzip
from pathlib import Path

from fee_preview import EU_HEADER, NA_HEADER

FUTURE = NA_HEADER[-5:]
US_25 = [c for c in NA_HEADER if c != "amazon-store" and c not in FUTURE]  # reports.md 2.2 (c)
CA_22 = [c for c in US_25 if c not in ("product-size-tier", "estimated-order-handling-fee-per-order",
                                       "expected-fulfillment-fee-per-unit")]
EUR_28 = EU_HEADER[:-1]  # 2.2: the 29 columns without ...-se
UK_29 = EUR_28[:22] + ["estimated-order-handling-fee-per-order"] + EUR_28[22:]
UK_TEMP_37 = UK_29[:24] + ["estimated-future-fee (Current Selling on Amazon + Future Fulfillment fees)",
                           "estimated-future-order-handling-fee-per-order",
                           "expected-future-domestic-fulfilment-fee-per-unit"] + UK_29[24:] + [
    f"expected-future-efn-fulfilment-fee-per-unit-{c}" for c in ("uk", "de", "fr", "it", "es")]
assert (len(US_25), len(CA_22), len(EUR_28), len(UK_29), len(UK_TEMP_37)) == (25, 22, 28, 29, 37)

SETTLEMENT = ("settlement-id settlement-start-date settlement-end-date deposit-date total-amount currency "
              "transaction-type order-id merchant-order-id adjustment-id shipment-id marketplace-name amount-type "
              "amount-description amount fulfillment-id posted-date posted-date-time order-item-code "
              "merchant-order-item-id merchant-adjustment-item-id sku quantity-purchased promotion-id").split()
assert len(SETTLEMENT) == 24
STORAGE_2022 = ("asin fnsku product_name fulfillment_center country_code longest_side median_side shortest_side "
                "measurement_units weight weight_units item_volume volume_units product_size_tier "
                "average_quantity_on_hand average_quantity_pending_removal estimated_total_item_volume month_of_charge "
                "storage_rate currency estimated_monthly_storage_fee dangerous_goods_storage_type "
                "eligible_for_inventory_discount qualifies_for_inventory_discount total_incentive_fee_amount "
                "breakdown_incentive_fee_amount average_quantity_customer_orders").split()
STORAGE_2024 = ("asin fnsku product_name fulfillment_center country_code longest_side median_side shortest_side "
                "measurement_units weight weight_units item_volume volume_units product_size_tier "
                "average_quantity_on_hand average_quantity_pending_removal estimated_total_item_volume month_of_charge "
                "storage_utilization_ratio storage_utilization_ratio_units base_rate utilization_surcharge_rate "
                "avg_qty_for_sus est_vol_for_sus est_base_msf est_sus currency estimated_monthly_storage_fee "
                "dangerous_goods_storage_type eligible_for_inventory_discount qualifies_for_inventory_discount "
                "total_incentive_fee_amount breakdown_incentive_fee_amount average_quantity_customer_orders").split()
assert (len(STORAGE_2022), len(STORAGE_2024)) == (27, 34)
LTSF = ("snapshot-date sku fnsku asin product-name condition per-unit-volume currency volume-unit country qty-charged "
        "amount-charged surcharge-age-tier rate-surcharge").split()
LTSF_OLD = ("snapshot-date sku fnsku asin product-name condition qty-charged-12-mo-long-term-storage-fee "
            "per-unit-volume currency 12-mo-long-terms-storage-fee qty-charged-6-mo-long-term-storage-fee "
            "6-mo-long-terms-storage-fee volume-unit country enrolled-in-small-and-light").split()
TRANSACTIONS_US = ["date/time", "settlement id", "type", "order id", "sku", "description", "quantity", "marketplace",
                   "account type", "fulfillment", "order city", "order state", "order postal", "tax collection model",
                   "product sales", "product sales tax", "shipping credits", "shipping credits tax",
                   "gift wrap credits", "giftwrap credits tax", "Regulatory Fee", "Tax On Regulatory Fee",
                   "promotional rebates", "promotional rebates tax", "marketplace withheld tax", "selling fees",
                   "fba fees", "other transaction fees", "other", "total"]
US_PREAMBLE = ['"Includes Amazon Marketplace, Fulfillment by Amazon (FBA), and Amazon Webstore transactions"',
               '"All amounts in USD, unless specified"', '"Definitions:"',
               '"Sales tax collected: Includes sales tax collected from buyers for product sales, shipping, and gift '
               'wrap."', '"Selling fees: Includes variable closing fees and referral fees."',
               '"Other transaction fees: Includes shipping chargebacks, shipping holdbacks, per-item fees  and sales '
               'tax collection fees."', '"Other: Includes non-order transaction amounts."']
GERMAN_2015 = ["Datum/Uhrzeit", "Abrechnungsnummer", "Typ", "Bestellnummer", "SKU", "Beschreibung", "Menge",
               "Marketplace", "Versand", "Ort der Bestellung", "Bundesland", "Postleitzahl", "Umsätze",
               "Gutschrift für Versandkosten", "Gutschrift für Geschenkverpackung", "Rabatte aus Werbeaktionen",
               "Verkaufsgebühren", "Gebühren zu Versand durch Amazon", "Andere Transaktionsgebühren", "Andere",
               "Gesamt"]
GERMAN = ["Datum/Uhrzeit", "Abrechnungsnummer", "Typ", "Bestellnummer", "SKU", "Beschreibung", "Menge", "Marketplace",
          "Versand", "Ort der Bestellung", "Bundesland", "Postleitzahl", "Steuererhebungsmodell", "Umsätze",
          "Produktumsatzsteuer", "Gutschrift für Versandkosten", "Steuer auf Versandgutschrift",
          "Gutschrift für Geschenkverpackung", "Steuer auf Geschenkverpackungsgutschriften",
          "Rabatte aus Werbeaktionen", "Steuer auf Aktionsrabatte", "Einbehaltene Steuer auf Marketplace",
          "Verkaufsgebühren", "Gebühren zu Versand durch Amazon", "Andere Transaktionsgebühren", "Andere", "Gesamt"]


def tsv(header: list[str], rows: list[dict | list], blank_between: bool = False) -> str:
    """A tab-delimited report: the header, then each row (a dict by column name, '' for the rest; or its cells)."""
    lines = ["\t".join(header)]
    for row in rows:
        cells = [str(row.get(c, "")) for c in header] if isinstance(row, dict) else [str(c) for c in row]
        lines.append("\t".join(cells))
        if blank_between:
            lines.append("")
    return "\r\n".join(lines) + "\r\n"


def quoted(header: list[str], rows: list[dict], preamble: list[str] = ()) -> str:
    """The transaction CSV: description lines, then the header and rows, every field in double quotes."""
    def line(cells):
        return ",".join(f'"{c}"' for c in cells)

    return "\n".join([*preamble, line(header), *(line([str(r.get(c, "0")) for c in header]) for r in rows)]) + "\n"


def write(path: Path, text: str, encoding: str = "cp1252", compress: bool = False) -> Path:
    data = text.encode(encoding)
    path.write_bytes(gzip.compress(data) if compress else data)
    return path


# ---- fee previews --------------------------------------------------------------------------------------------
def na_row(sku: str, group: str, *, price="24.99", sides=("10.00", "6.00", "3.00"), weight="1.20",
           tier="UsLargeStandardSize", referral="3.75", closing="0.00", fulfilment="5.42", total=None,
           store="US", currency="USD", dim_unit="inches", weight_unit="pounds") -> dict:
    """A row of the NA fee preview (reports.md 2.2 (b)), its parts summing to its total unless `total` is given."""
    parts = sum(float(x) for x in (referral, closing, fulfilment))
    longest, median, shortest = sides
    girth = float(longest) + 2 * (float(median) + float(shortest))
    return {"sku": sku, "fnsku": f"X00{sku}", "asin": f"B0{sku}", "amazon-store": store,
            "product-name": f"{group} item", "product-group": group, "brand": "ExampleBrand",
            "fulfilled-by": "Amazon", "your-price": price, "sales-price": price, "longest-side": longest,
            "median-side": median, "shortest-side": shortest, "length-and-girth": f"{girth:.2f}",
            "unit-of-dimension": dim_unit, "item-package-weight": weight, "unit-of-weight": weight_unit,
            "product-size-tier": tier, "currency": currency, "estimated-fee-total": total or f"{parts:.2f}",
            "estimated-referral-fee-per-unit": referral, "estimated-variable-closing-fee": closing,
            "estimated-order-handling-fee-per-order": "--", "estimated-pick-pack-fee-per-unit": "--",
            "estimated-weight-handling-fee-per-unit": "--", "expected-fulfillment-fee-per-unit": fulfilment,
            **dict.fromkeys(FUTURE, "--")}


def eu_row(sku: str, group: str, *, country="de", price="29.99", sides=("31.5", "20.0", "10.2"), weight="1200",
           referral="4.50", closing="0.00", fulfilment="3.41", currency="EUR") -> dict:
    """A row of the EU fee preview (reports.md 2.2 (a)): the row's own country's EFN column is `--`."""
    parts = sum(float(x) for x in (referral, closing, fulfilment))
    efn = {f"expected-efn-fulfilment-fee-per-unit-{c}": "--" if c == country else "5.40"
           for c in ("uk", "de", "fr", "it", "es", "se")}
    return {"sku": sku, "fnsku": f"X00{sku}", "asin": f"B0{sku}", "product-name": "Küchenprodukt",
            "product-group": group, "brand": "ExampleBrand", "fulfilled-by": "AMAZON_EU", "has-local-inventory": "Yes",
            "your-price": price, "sales-price": price, "longest-side": sides[0], "median-side": sides[1],
            "shortest-side": sides[2], "length-and-girth": "92.0", "unit-of-dimension": "centimeters",
            "item-package-weight": weight, "unit-of-weight": "grams", "product-size-weight-band": "(band)",
            "currency": currency, "estimated-fee-total": f"{parts:.2f}", "estimated-referral-fee-per-unit": referral,
            "estimated-variable-closing-fee": closing, "expected-domestic-fulfilment-fee-per-unit": fulfilment, **efn}


# ---- settlements ---------------------------------------------------------------------------------------------
def settlement_summary(total="100.00", currency="USD", start="2026-03-01 10:00:00 UTC", end="2026-03-15 10:00:00 UTC",
                       deposit="2026-03-17 10:00:00 UTC", sid="1234567890") -> dict:
    """The first data row: the settlement's dates, total and currency, nothing else (reports.md 3.2)."""
    return {"settlement-id": sid, "settlement-start-date": start, "settlement-end-date": end, "deposit-date": deposit,
            "total-amount": total, "currency": currency}


def order_item(order: str, item: str, sku: str, quantity: int, amounts: list[tuple[str, str, str]], *,
               posted="2026-03-02", market="Amazon.com", currency="USD", sid="1234567890",
               time="05:23:19 UTC") -> list[dict]:
    """An order item's lines: (amount-type, amount-description, amount) each, on one order item code."""
    return [{"settlement-id": sid, "currency": currency, "transaction-type": "Order", "order-id": order,
             "shipment-id": "DxxTEST01", "marketplace-name": market, "amount-type": kind, "amount-description": what,
             "amount": amount, "fulfillment-id": "AFN", "posted-date": posted, "posted-date-time": f"{posted} {time}",
             "order-item-code": item, "sku": sku, "quantity-purchased": str(quantity)}
            for kind, what, amount in amounts]


def other_line(ttype: str, atype: str, what: str, amount: str, *, posted="2026-03-10", currency="USD",
               sid="1234567890", **more) -> dict:
    return {"settlement-id": sid, "currency": currency, "transaction-type": ttype, "amount-type": atype,
            "amount-description": what, "amount": amount, "posted-date": posted,
            "posted-date-time": f"{posted} 18:00:00 UTC", **more}


# ---- storage -------------------------------------------------------------------------------------------------
def storage_row(asin: str, *, month="2025-11", sides=("10.28", "10.2", "4.69"), weight="2.94", volume="0.2841",
                tier="Standard-Size", on_hand="57", total_volume="16.19", rate="2.4", fee="38.8560", header="2024",
                dangerous="--", country="US", currency="USD") -> dict:
    """A row of the monthly storage fee report (reports.md 4.2), in either header's columns."""
    row = {"asin": asin, "fnsku": f"X00{asin}", "product_name": "Example product", "fulfillment_center": "ABE2",
           "country_code": country, "longest_side": sides[0], "median_side": sides[1], "shortest_side": sides[2],
           "measurement_units": "inches", "weight": weight, "weight_units": "pounds", "item_volume": volume,
           "volume_units": "cubic feet", "product_size_tier": tier, "average_quantity_on_hand": on_hand,
           "average_quantity_pending_removal": "0.0", "estimated_total_item_volume": total_volume,
           "month_of_charge": month, "currency": currency, "estimated_monthly_storage_fee": fee,
           "dangerous_goods_storage_type": dangerous, "eligible_for_inventory_discount": "N",
           "qualifies_for_inventory_discount": "N", "total_incentive_fee_amount": "0.0",
           "breakdown_incentive_fee_amount": "--", "average_quantity_customer_orders": "0.0"}
    if header == "2022":
        row["storage_rate"] = rate
    else:
        row.update({"storage_utilization_ratio": "", "storage_utilization_ratio_units": "", "base_rate": rate,
                    "utilization_surcharge_rate": "0.0", "avg_qty_for_sus": "0.0", "est_vol_for_sus": "0.0",
                    "est_base_msf": fee, "est_sus": "0.0"})
    return row
