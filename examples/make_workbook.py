"""Writes examples/workbook.xlsx, the workbook the README's examples cost: a Notes sheet, then the Items sheet with a
title row above its header, a formula with its cached value, booleans, dates and a number format.

    python examples/make_workbook.py
"""

import datetime as dt
from pathlib import Path

import xlsxwriter

WORKBOOK = Path(__file__).with_name("workbook.xlsx")


def main(path: Path = WORKBOOK) -> None:
    book = xlsxwriter.Workbook(path, {"strings_to_formulas": False})
    book.set_properties({"created": dt.datetime(2026, 5, 1)})  # a fixed date: the file is the same on every run
    notes = book.add_worksheet("Notes")
    notes.write_string(0, 0, "Prices checked on 2026-04-30")
    sheet = book.add_worksheet("Items")
    date, money, bold = (book.add_format({"num_format": "yyyy-mm-dd"}), book.add_format({"num_format": "#,##0.00"}),
                         book.add_format({"bold": True}))
    sheet.write_string(0, 0, "Catalog export, 2026-05-01", bold)
    sheet.write_row(2, 0, ["sku", "price", "length", "width", "height", "weight", "category", "listed", "active"],
                    bold)
    rows = [("00123", 24.99, ("=5*2", 10), 6, 3, 1.2, "home_and_kitchen", dt.date(2026, 1, 5), True),
            ("00124", 9.99, 8, 4, 1, 0.4, "Toy", dt.date(2025, 12, 24), False)]
    for r, row in enumerate(rows, start=3):
        for j, value in enumerate(row):
            if isinstance(value, tuple):
                sheet.write_formula(r, j, value[0], None, value[1])
            elif isinstance(value, bool):
                sheet.write_boolean(r, j, value)
            elif isinstance(value, dt.date):
                sheet.write_datetime(r, j, dt.datetime(value.year, value.month, value.day), date)
            elif isinstance(value, str):
                sheet.write_string(r, j, value)
            else:
                sheet.write_number(r, j, value, money if j == 1 else None)
    book.close()


if __name__ == "__main__":
    main()
