"""The overmax handling fee: feecalc/fees/overmax.py; table section overmax_handling (us-fba.md 2.3).  Limits of
every tier: tests/fees/test_per_unit_edges.py."""

from decimal import Decimal as D

from quotes import us

FUEL = ("from 2026-04-17 the fuel_surcharge line is 3.5% of the fulfilment fee alone; whether Amazon also takes it on "
        "the overmax handling fee is NOT FOUND (3.5% of that fee more if it does; us-fba.md 2.3, 4.7)")


def test_overmax_is_its_own_line_in_the_total():
    q = us("2026-05-01", price="80", dims=(97, 2, 2), weight=30)
    assert (q.size_tier, q.fees["overmax_handling"]) == ("extra_large_0_50", D("17.00"))
    assert q.fees["fulfillment"] == D("26.33") + 29 * D("0.38")  # the rate card's figure, unchanged
    assert q.total == sum((q.fees[k] for k in ("referral", "fulfillment", "overmax_handling", "fuel_surcharge")),
                          D("0"))
    assert q.lines["overmax_handling"] == (
        "17.00 USD: overmax (longest side over 96 in or length + girth over 130 in), extra_large_0_50: 17.00 per unit "
        "[CODE-PZ; ZZ26 (range USD 17 to 25); confidence M-H]")
    assert FUEL in q.warnings
    assert us("2026-05-01", price="80", dims=(97, 2, 2), weight=60).fees["overmax_handling"] == D("21.00")
    assert us("2026-05-01", price="80", dims=(97, 2, 2), weight=100).fees["overmax_handling"] == D("25.00")


def test_not_overmax_xl_150_plus_and_other_years():
    assert us("2026-05-01", price="80", dims=(90, 2, 2), weight=30).lines["overmax_handling"] == (
        "0.00 USD: not overmax (longest side over 96 in or length + girth over 130 in)")
    heavy = us("2026-05-01", price="300", dims=(97, 2, 2), weight=200)
    assert (heavy.size_tier, heavy.fees["overmax_handling"]) == ("extra_large_150_plus", D("0.00"))
    assert heavy.lines["overmax_handling"].endswith("but extra_large_150_plus pays no overmax handling fee")
    assert us("2025-06-01", price="80", dims=(97, 2, 2), weight=30).lines["overmax_handling"] == (
        "0.00 USD: no overmax handling fee on this date")
