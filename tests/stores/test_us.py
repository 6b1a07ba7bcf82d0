"""amazon.com as a whole: the tables' dates, hashes and explanations (fees/ holds each fee's tests)."""

import pytest
from quotes import us

import feecalc


def test_no_table_before_2023():
    with pytest.raises(feecalc.NoFeeTable, match=r"date: no US fee table covers 2022-06-01 \(known: us-2023"):
        us("2022-06-01")


def test_quote_reports_table_hash_and_explains_every_line():
    r = us("2026-03-01")
    assert r.table_id == "us-2026" and len(r.table_hash) == 64
    text = r.explain()
    assert "fulfillment: 4.60 USD: 2026 non-apparel, non-peak, large_standard, 12 oz+ to 16 oz" in text
    assert "[CODE-26a, CODE-26b; confidence H]" in text
    assert r.to_dict()["fees"]["fulfillment"] == "4.60"  # exactly 1 lb stays in the 12+ to 16 oz band

