"""Table notices shown as warnings in their dates: feecalc/fees/notices.py; table section notices."""

import feecalc

ITEM = dict(price="24.99", length=10, width=6, height=3, weight=1.2, category="home_and_kitchen")
CARRIED = ("2026 referral rates: no change after the 2024-2025 schedule is recorded in the reference, so that "
           "schedule is carried forward (us-referral.md 3, note)")


def test_a_notice_warns_in_its_table_and_not_before():
    assert CARRIED in feecalc.quote("US", "2026-05-01", **ITEM).warnings
    assert CARRIED not in feecalc.quote("US", "2025-05-01", **ITEM).warnings


def test_a_notice_is_stated_once_per_row_in_a_frame():
    import pandas as pd

    out = feecalc.cost_frame(pd.DataFrame([ITEM, ITEM]), on="2026-05-01")
    assert all(str(w).count(CARRIED) == 1 for w in out["warnings"])
