"""The inbound placement service fee: feecalc/fees/inbound_placement.py; table section inbound_placement
(us-fba.md 7).  Band edges of every table: tests/fees/test_per_unit_edges.py."""

from decimal import Decimal as D

import pytest
from quotes import uk_de, us

TABLE_1 = ("inbound placement, standard-size: Amazon's Table 1 (ranges until 2025-02-19) gives no start date; its high "
           "ends equal CODE-IPF's 2024 figures (us-fba.md 7)")


def test_a_range_is_carried_and_taken_at_the_point_asked_for():
    high = us("2024-06-01", weight=2, placement="minimal")  # large standard 1.5+ to 3 lb: 0.27 to 0.49 (A-IPF25, H)
    low = us("2024-06-01", weight=2, placement="minimal", inbound_point="low")
    assert (high.fees["inbound_placement"], low.fees["inbound_placement"]) == (D("0.49"), D("0.27"))
    assert high.ranges == low.ranges == {"inbound_placement": {"low": D("0.27"), "high": D("0.49")}}
    assert high.lines["inbound_placement"] == (
        "0.49 USD: minimal shipment splits, large_standard, 1.5 lb+ to 3 lb: Amazon's range 0.27 to 0.49 per unit "
        "received, by inbound location; taken at the high end, 0.49 (an upper bound) [A-IPF25 (Table 1, "
        "standard-size product fees until February 19, 2025); confidence H]")
    assert TABLE_1 in high.warnings and TABLE_1 in low.warnings
    assert ("inbound_placement is taken at the high end of Amazon's range for minimal shipment splits, large_standard, "
            "1.5 lb+ to 3 lb (0.27 to 0.49 per unit, by inbound location): an upper bound (inbound_point='high')"
            ) in high.warnings
    assert any(w.endswith("a lower bound (inbound_point='low')") for w in low.warnings)
    # not part of what Amazon deducts at the sale: in landed_total only
    assert (high.total, high.landed_total) == (D("8.77"), D("8.77") + D("0.49") + high.fees["storage_monthly"])
    assert high.to_dict()["ranges"] == {"inbound_placement": {"low": "0.27", "high": "0.49"}}


@pytest.mark.parametrize("weight, unit, minimal, partial", [
    ("16", "oz", ("0.16", "0.30"), ("0.12", "0.21")),   # small standard (10 x 6 x 0.5 in)
])
def test_small_standard_ranges(weight, unit, minimal, partial):
    for option, (lo, hi) in (("minimal", minimal), ("partial", partial)):
        q = us("2024-06-01", dims=(10, 6, 0.5), weight=weight, unit=unit, placement=option)
        assert q.size_tier == "small_standard"
        assert q.ranges["inbound_placement"] == {"low": D(lo), "high": D(hi)}


def test_large_bulky_high_end_only_then_the_2025_cut():
    q = us("2024-06-01", dims=(20, 2, 2), weight=6, placement="minimal")
    assert (q.size_tier, q.fees["inbound_placement"]) == ("large_bulky", D("2.40"))
    assert q.ranges["inbound_placement"] == {"low": None, "high": D("2.40")}
    # CODE-IPF's 2024 maximum rates (M), not an Amazon range; Table 1's statement is about standard-size only
    assert q.lines["inbound_placement"] == (
        "2.40 USD: minimal shipment splits, large_bulky, 5 lb+ to 12 lb: a maximum rate of 2.40 per unit received, not "
        "an Amazon range (its low end is NOT FOUND); 2.40, an upper bound [CODE-IPF (2024 maximum); confidence M]")
    assert [w for w in q.warnings if "inbound" in w] == [
        "inbound_placement for minimal shipment splits, large_bulky, 5 lb+ to 12 lb is a maximum rate from CODE-IPF "
        "(2024 maximum), 2.40 per unit, not an Amazon range; its low end is NOT FOUND: an upper bound "
        "(inbound_point='high')"]
    assert us("2024-06-01", dims=(20, 2, 2), weight=6, placement="minimal", inbound_point="low").unavailable[
        "inbound_placement"] == ("inbound placement, minimal shipment splits, large_bulky, 5 lb+ to 12 lb: low end of "
                                 "the range: the low end of the 2024 large bulky range is NOT FOUND (us-fba.md 7)")
    cut = us("2025-02-01", dims=(20, 2, 2), weight=6, placement="minimal")
    assert cut.unavailable["inbound_placement"].endswith(
        "the large bulky ranges from 2025-01-15 (after an average cut of USD 0.58 on minimal splits, A-IPF25) are NOT "
        "FOUND (us-fba.md 7)")
    partial = us("2025-06-01", dims=(20, 2, 2), weight=30, placement="partial")  # 28-42 lb: 1.05 to 2.83 (PPCL25)
    assert partial.ranges["inbound_placement"] == {"low": D("1.05"), "high": D("2.83")}


def test_2024_partial_large_bulky_28_to_42_lb_is_graded_m_h_by_two_sources():
    q = us("2024-06-01", dims=(20, 2, 2), weight=30, placement="partial")  # us-fba.md 7: PPCL25 and CODE-IPF, M-H
    assert (q.size_tier, q.fees["inbound_placement"]) == ("large_bulky", D("2.83"))
    assert q.lines["inbound_placement"].endswith(
        "[CODE-IPF (2024 partial split), PPCL25 (the same upper end); confidence M-H]")


def test_february_2025_partial_splits_end_for_standard_size():
    assert us("2025-02-19", weight=2, placement="partial").fees["inbound_placement"] == D("0.34")
    assert us("2025-02-20", weight=2, placement="partial").unavailable["inbound_placement"] == (
        "inbound placement, partial shipment splits, large_standard: partial shipment splits were withdrawn for "
        "standard-size products on 2025-02-20 (PPCL25, sellerclass, A-IPF25; M-H; us-fba.md 7)")
    assert us("2025-02-20", weight=2, placement="minimal").unavailable["inbound_placement"].endswith(
        "the standard-size ranges from 2025-02-20 are NOT FOUND (A-IPF25 gives the table heading only; us-fba.md 7)")
    heavy = us("2025-06-01", weight=4, placement="minimal")  # the 3-20 lb cell PPCL25 quotes: L-M, so a warning
    assert heavy.fees["inbound_placement"] == D("0.68")
    assert ("inbound_placement[1].minimal large_standard, over 3 lb (high end) is low confidence (L-M): PPCL25 "
            "(without saying which table it read); confidence L-M") in heavy.warnings


def test_2026_conflict_is_unavailable_and_optimized_is_carried_forward():
    q = us("2026-05-01", placement="minimal")
    assert q.unavailable["inbound_placement"] == (
        "inbound placement, minimal shipment splits, large_standard: 2026 inbound placement fees conflict: no Amazon "
        "table is in the reference, and three secondary reports disagree (CF26: small standard USD 0.26; NOTE-IPF26: "
        "small standard USD 0.21 to 0.30; SFG26: standard-size 'up to roughly USD 0.40'; all L; us-fba.md 7, 13)")
    assert q.total is not None and q.landed_total is None
    optimized = us("2026-05-01", placement="optimized")
    assert optimized.fees["inbound_placement"] == D("0.00")
    assert ("inbound placement, Amazon-optimized splits: no 2026 inbound placement page is in the reference; the 2025 "
            "no-fee rule (A-IPF25; five or more identical cartons or pallets per item, ACCL) is carried into 2026 "
            "(us-fba.md 7)") in optimized.warnings
    xl = us("2026-05-01", dims=(60, 2, 2), weight=5, placement="minimal")
    assert (xl.size_tier, xl.fees["inbound_placement"]) == ("extra_large_0_50", D("0.00"))
    assert ("inbound_placement[0].minimal extra_large_0_50, any weight is low confidence (L): NOTE-IPF26 (extra-large "
            "not subject); confidence L") in xl.warnings


def test_not_assessed_not_in_force_and_other_stores():
    q = us("2026-05-01")
    assert q.fees["inbound_placement"] == D("0.00") and q.ranges == {}
    assert q.not_assessed["inbound_placement"] == "no placement given"
    assert q.lines["inbound_placement"] == ("0.00 USD: not assessed: no placement given (placement = minimal, partial "
                                            "or optimized)")
    assert us("2024-02-29", placement="minimal").lines["inbound_placement"] == (
        "0.00 USD: minimal shipment splits: no fee, not in force: the inbound placement service fee was introduced "
        "on 2024-03-01 (BA24, OSC24; us-fba.md 7)")
    assert uk_de("UK", placement="optimized").unavailable["inbound_placement"] == (
        "inbound placement fees are not in uk-2026 (the reference has none for this store)")
    with pytest.raises(Exception, match="placement: unknown placement, got 'fast'"):
        us("2026-05-01", placement="fast")
