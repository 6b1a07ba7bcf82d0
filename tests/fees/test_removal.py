"""Removal and disposal order fees: feecalc/fees/removal.py; table section removal_orders (us-fba.md 10); the
removal decision: feecalc/removal_decision.py.  Band and step edges: tests/fees/test_per_unit_edges.py."""

from decimal import Decimal as D

import pytest
from quotes import uk_de, us

import feecalc


@pytest.mark.parametrize("on, dims, weight, unit, tier, fee", [
    ("2024-06-01", (10, 6, 0.5), 4, "oz", "small_standard", "1.04"),   # 0-0.5 lb (EC26, A-REM: H)
    ("2026-05-01", (10, 6, 0.5), 4, "oz", "small_standard", "0.84"),   # from 2026-01-15 (EC26, M-H)
    ("2026-05-01", (10, 6, 2), 0.75, "lb", "large_standard", "1.53"),  # 0.5+ to 1 lb
    ("2026-05-01", (10, 6, 2), 1.2, "lb", "large_standard", "2.27"),   # 1+ to 2 lb
    ("2026-05-01", (10, 6, 2), 3.2, "lb", "large_standard", "5.01"),   # 2.89 + 2 x 1.06 (3.2 lb: 2 lb started above 2)
    ("2025-06-01", (20, 2, 2), 12.5, "lb", "large_bulky", "17.50"),    # 14.32 + 3 x 1.06
    ("2026-05-01", (60, 2, 2), 60, "lb", "extra_large_50_70", "67.32"),  # 14.32 + 50 x 1.06
])
def test_removal_fees(on, dims, weight, unit, tier, fee):
    q = us(on, dims=dims, weight=weight, unit=unit)
    assert (q.size_tier, q.fees["removal_disposal"]) == (tier, D(fee))
    assert q.total == sum((q.fees[k] for k in ("referral", "fulfillment", "fuel_surcharge", "packaging")), D("0"))


def test_explanation_unknowns_and_special_handling():
    q = us("2026-05-01", dims=(10, 6, 0.5), weight=4, unit="oz")
    assert q.lines["removal_disposal"] == (
        "0.84 USD: small_standard, 0.5 lb or less (shipping weight), 0.25 lb; Amazon rounds the shipping weight up: "
        "standard-size under 1 lb to the next 0.1 lb, other units to the next whole lb (A-REM-old, A-REM; H): 0.84 per "
        "unit removed or disposed of (not part of a sale) [EC26 (from 2026-01-15); confidence M-H]")
    small_bulky = us("2026-05-01", dims=(20, 2, 2), weight=12.5)
    assert (small_bulky.size_tier, small_bulky.fees["removal_disposal"]) == ("small_bulky", D("17.50"))
    assert any(w.startswith("removal_orders[0] small_bulky, over 10 lb is DERIVED") for w in small_bulky.warnings)
    assert us("2023-06-01").unavailable["removal_disposal"] == (
        "removal and disposal order fees, large_standard: which removal and disposal schedule applied on this day is "
        "NOT FOUND: the 2022 schedule (A-REM22) applied from 2022-01-18 until the USD 1.04 schedule, whose start "
        "date is NOT FOUND (us-fba.md 10)")
    special = ("removal and disposal order fees: apparel, shoes, watches, jewellery and dangerous goods need special "
               "handling, and which rates they pay rests on ungraded sources (us-fba.md 10)")
    assert us("2026-05-01", category="watches").unavailable["removal_disposal"] == special
    assert us("2026-05-01", dangerous_goods=True).unavailable["removal_disposal"] == special
    assert us("2026-05-01", apparel=True).unavailable["removal_disposal"] == special
    assert uk_de("UK").unavailable["removal_disposal"] == ("removal and disposal order fees are not in uk-2026 (the "
                                                           "reference has none for this store)")
    assert uk_de("UK").total is not None  # not part of the sale


def test_removal_decision():
    # 18 x 12 x 8 in (12.43 lb dimensional weight), aged 300 days on 2026-05-01: keeping it 200 days meets seven
    # snapshots (5.70, 5.90, 6.90, 6.90, 6.90, 7.90, 7.90 per unit: 48.10); a removal order before the first costs
    # 2.89 + 11 x 1.06 = 14.55
    item = dict(price="24.99", length=18, width=12, height=8, weight=5, category="home_and_kitchen", age_days=300)
    d = feecalc.removal_decision("US", "2026-05-01", days=200, **item)
    assert (d.surcharge, d.removal_fee, d.cheaper) == (D("48.10"), D("14.55"), "removal")
    assert d.removal_date.isoformat() == "2026-05-15"
    assert d.snapshots[0] == (d.removal_date, 314, D("5.70")) and len(d.snapshots) == 7
    assert d.explanation.startswith("a removal order before the 2026-05-15 snapshot, 14.55 per unit (the unit comes "
                                    "back to you), is cheaper than the surcharge of 48.10 over the stay (2026-05-15 "
                                    "at 314 days: 5.70; ")
    short = feecalc.removal_decision("US", "2026-05-01", days=20, **{**item, "age_days": 290})  # one snapshot, 5.70
    assert (short.surcharge, short.removal_fee, short.cheaper) == (D("5.70"), D("14.55"), "keep")
    assert short.explanation == ("2026-05-15 at 304 days: 5.70; paying it (5.70) is cheaper than a removal order "
                                 "before 2026-05-15 (14.55)")
    young = feecalc.removal_decision("US", "2026-05-01", days=60, **{**item, "age_days": 0})
    assert (young.surcharge, young.removal_fee, young.cheaper) == (D("0.00"), None, None)
    uk = feecalc.removal_decision("UK", "2026-05-01", days=60, price="24", length=30, width=20, height=10,
                                  weight=1000, category="kitchen", age_days=300)
    assert uk.cheaper is None and uk.surcharge is None and "NOT FOUND" in uk.surcharge_reason
    assert d.to_dict()["cheaper"] == "removal"
    with pytest.raises(feecalc.InvalidItem, match="days: must be a whole number of days"):
        feecalc.removal_decision("US", "2026-05-01", days=-1, **item)


START_UNKNOWN = ("removal and disposal order fees: the start date of the 2024/2025 schedule (USD 1.04 for "
                 "standard-size up to 0.5 lb ...; EC26, A-REM) is NOT FOUND, somewhere between 2022 and 2024, so on "
                 "this date the 2022 schedule (USD 0.52 ...) may still have applied (us-fba.md 10)")


@pytest.mark.parametrize("on, warned", [
    ("2024-02-05", True), ("2024-06-01", True), ("2025-01-14", True),  # us-2024: no date of it is confirmed
    ("2025-01-15", False), ("2026-01-14", False),                      # us-2025: "in force before Jan 15, 2026"
])
def test_the_2024_2025_schedule_warns_that_its_start_date_is_not_known(on, warned):
    q = us(on, dims=(10, 6, 0.5), weight=4, unit="oz")
    assert q.fees["removal_disposal"] == D("1.04")
    assert (START_UNKNOWN in q.warnings) is warned
    assert START_UNKNOWN not in us("2026-05-01").warnings
