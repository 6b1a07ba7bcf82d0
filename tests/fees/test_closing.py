"""The closing fee (feecalc/fees/closing.py, referral entries' closing_fee) and the Individual plan's per-item fee
(feecalc/fees/per_item.py, per_item_fee)."""

from decimal import Decimal as D

from quotes import us


def test_media_closing_fee_and_individual_plan():
    r = us("2026-03-01", price="10.00", category="Books", plan="individual", dims=(9, 6, 0.5), weight=10, unit="oz")
    assert (r.fees["referral"], r.fees["closing"], r.fees["per_item"]) == (D("1.50"), D("1.80"), D("0.99"))
    assert r.total == D("1.50") + D("1.80") + D("0.99") + r.fees["fulfillment"]

