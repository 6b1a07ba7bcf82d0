"""The low-inventory-level fee: feecalc/fees/low_inventory.py; table section low_inventory_level (us-fba.md 8,
uk-de.md 5.11).  Band edges of every table: tests/fees/test_per_unit_edges.py."""

from decimal import Decimal as D

import pytest
from quotes import uk_de, us
from table_files import edited, load_error

from feecalc import InvalidItem, cost_frame
from feecalc.tables import TABLES_DIR

CREDITED = ("low-inventory-level fees charged from 2024-04-01 to 2024-05-14 were credited back (swipeinsight, "
            "A-LIL24; M-H; us-fba.md 8)")


def test_amazons_worked_example_to_the_cent():
    # us-fba.md 11, example 14 (A-LIL24): large standard 4+ to 8 oz, long-term 18 and short-term 24 days of supply:
    # the greater (24) is in the 21-28 band: 0.36 added to the 4.08 fulfilment fee (the Feb 5 - Apr 14, 2024 card)
    q = us("2024-04-10", dims=(16, 1, 1), weight=6, unit="oz", days_of_supply=(24, 18))
    assert (q.size_tier, q.fees["fulfillment"], q.fees["low_inventory_level"]) == ("large_standard", D("4.08"),
                                                                                    D("0.36"))
    assert q.fees["fulfillment"] + q.fees["low_inventory_level"] == D("4.44")
    assert q.lines["low_inventory_level"] == (
        "0.36 USD: large_standard, 3 lb or less, 21 <= days of supply < 28: 24 days of supply (the greater of the "
        "short- and long-term figures), measured per parent product; 0.36 per unit shipped [A-LIL24; confidence H]")
    assert CREDITED in q.warnings  # charged, and credited back later: the quote says so
    named = us("2024-04-10", dims=(16, 1, 1), weight=6, unit="oz", days_of_supply_short=24, days_of_supply_long=18)
    assert named.fees["low_inventory_level"] == D("0.36")


@pytest.mark.parametrize("days, fee", [(0, "0.97"), ("13.99", "0.97"), (14, "0.70"), ("20.99", "0.70"), (21, "0.36"),
                                       ("27.99", "0.36"), (28, "0.00"), (400, "0.00")])
def test_bands_by_days_of_supply(days, fee):
    q = us("2025-06-01", days_of_supply=days)  # large standard, 1 lb
    assert q.fees["low_inventory_level"] == D(fee)
    assert q.total == sum((q.fees[k] for k in ("referral", "fulfillment", "low_inventory_level")), D("0"))


def test_the_fee_is_in_the_total_and_not_assessed_without_days_of_supply():
    plain, low = us("2025-06-01"), us("2025-06-01", days_of_supply=5)
    assert plain.fees["low_inventory_level"] == D("0.00")
    assert plain.not_assessed["low_inventory_level"] == "no days_of_supply given"
    assert plain.lines["low_inventory_level"] == ("0.00 USD: not assessed: no days of supply given (days_of_supply, "
                                                  "or days_of_supply_short and _long)")
    assert low.total - plain.total == D("0.97") and "low_inventory_level" not in low.not_assessed


def test_exemptions_and_dates():
    assert us("2024-03-31", days_of_supply=5).lines["low_inventory_level"] == (
        "0.00 USD: no fee: not in force: the low-inventory-level fee was introduced on 2024-04-01 (A-LIL24; "
        "us-fba.md 8)")
    # the low-sales exemption starts on 2024-05-15; the others from the start
    assert us("2024-05-14", days_of_supply=5, low_sales_7_days=True).fees["low_inventory_level"] == D("0.97")
    exempt = us("2024-05-15", days_of_supply=5, low_sales_7_days=True)
    assert exempt.lines["low_inventory_level"] == ("0.00 USD: no fee: exempt as fewer than 20 units sold in the "
                                                   "last 7 days")
    assert us("2025-06-01", days_of_supply=5, new_seller=True).lines["low_inventory_level"].endswith(
        "exempt as a new Professional seller (365 days after its first FBA inventory)")
    for flag in ("new_to_fba", "awd_replenished"):
        assert us("2025-06-01", days_of_supply=5, **{flag: True}).fees["low_inventory_level"] == D("0.00")


def test_tiers_by_date():
    # 2024/2025: standard-size only (A-LIL24, H); 2026: extended to small and large bulky (CODE-PZ cells, M)
    bulky_2025 = us("2025-06-01", dims=(20, 2, 2), weight=3, days_of_supply=5)
    assert (bulky_2025.size_tier, bulky_2025.fees["low_inventory_level"]) == ("large_bulky", D("0.00"))
    assert "not charged on large_bulky: the fee applies to small_standard, large_standard" in \
        bulky_2025.lines["low_inventory_level"]
    small_bulky = us("2026-05-01", dims=(20, 2, 2), weight=3, days_of_supply=15)
    assert (small_bulky.size_tier, small_bulky.fees["low_inventory_level"]) == ("small_bulky", D("1.02"))
    large_bulky = us("2026-05-01", dims=(40, 2, 2), weight=3, days_of_supply=22)
    assert (large_bulky.size_tier, large_bulky.fees["low_inventory_level"]) == ("large_bulky", D("0.57"))
    heavy = us("2026-05-01", weight=3.5, days_of_supply=5)  # large standard over 3 lb
    assert heavy.fees["low_inventory_level"] == D("1.11")
    assert "measured per seller FNSKU" in heavy.lines["low_inventory_level"]
    xl = us("2026-05-01", dims=(60, 2, 2), weight=5, days_of_supply=5)
    assert (xl.size_tier, xl.fees["low_inventory_level"]) == ("extra_large_0_50", D("0.00"))
    grocery = us("2026-05-01", category="grocery_and_gourmet", days_of_supply=5)
    assert grocery.lines["low_inventory_level"] == "0.00 USD: no fee: the category is exempt"
    assert ("low_inventory_level[0] exempt_categories is low confidence (L-M): CODE-PZ (2026 exemption list); "
            "confidence L-M") in grocery.warnings


def test_input_errors():
    with pytest.raises(InvalidItem, match=r"^days_of_supply: give days_of_supply \(one number for both\) or "
                                          r"days_of_supply_short and days_of_supply_long, not both, got 5.0$"):
        us("2026-05-01", days_of_supply=5, days_of_supply_short=3)
    with pytest.raises(InvalidItem, match=r"^days_of_supply_long: is missing: give both the short- and the long-term"):
        us("2026-05-01", days_of_supply_short=3)
    with pytest.raises(InvalidItem, match=r"^days_of_supply: must be a number of days from 0 to 100,000, got -3$"):
        us("2026-05-01", days_of_supply=-3)
    with pytest.raises(InvalidItem, match=r"give one number, or two: \(short-term, long-term\)"):
        us("2026-05-01", days_of_supply=(1, 2, 3))


def test_europe():
    # DE: the Pan-EU cost coverage fee (uk-de.md 5.11, M): a small parcel under 14 days 0.46, a standard parcel 0.67
    parcel = uk_de("DE", pan_eu_unit=True, days_of_supply=10)
    assert (parcel.size_tier, parcel.fees["low_inventory_level"]) == ("small_parcel", D("0.46"))
    parcel = uk_de("DE", dims=(40, 30, 20), weight="3000", pan_eu_unit=True, days_of_supply=10)
    assert (parcel.size_tier, parcel.fees["low_inventory_level"]) == ("standard_parcel", D("0.67"))
    outside = uk_de("DE", days_of_supply=10)
    assert outside.unavailable["low_inventory_level"] == (
        "low-inventory-level fee: the reference gives it as a Pan-European FBA fee (uk-de.md 5.11); whether units "
        "outside Pan-EU pay it is NOT FOUND: give pan_eu_unit (or a Pan-EU programme) for a Pan-EU unit")
    assert outside.total is None
    # not on low-price units; light envelope bands 0.27 / 0.18 / 0.16
    cheap = uk_de("DE", price="9.00", dims=(30, 20, 1), weight="50", pan_eu_unit=True, days_of_supply=10)
    assert cheap.lines["low_inventory_level"] == ("0.00 EUR: no fee: not charged on units priced on this fulfilment "
                                                  "card")
    assert uk_de("DE", price="24.00", dims=(30, 20, 1), weight="50", pan_eu_unit=True,
                 days_of_supply=20).fees["low_inventory_level"] == D("0.18")
    oversize = uk_de("DE", dims=(70, 30, 20), weight="5000", pan_eu_unit=True, days_of_supply=10)
    assert oversize.unavailable["low_inventory_level"].endswith("lists envelopes and parcels only; oversize is NOT "
                                                                "FOUND")
    uk = uk_de("UK", days_of_supply=10)
    assert uk.lines["low_inventory_level"] == ("0.00 GBP: no fee: not in force: uk-de.md 5.11 marks the "
                                               "low-inventory-level cost coverage fee n/a for the UK (EU-34)")


@pytest.mark.parametrize("market", ["FR", "IT", "ES"])
def test_fr_it_and_es_take_the_de_table(market):
    # eu.md 7.4 (EU-34, EU-52, M): the same rate table as DE, a Pan-EU fee, not on low-price units
    assert uk_de(market, pan_eu_unit=True, days_of_supply=10).fees["low_inventory_level"] == D("0.46")
    assert uk_de(market, program="pan_eu", days_of_supply=(20, 18)).fees["low_inventory_level"] == D("0.27")
    assert uk_de(market, dims=(40, 30, 20), weight="3000", pan_eu_unit=True,
                 days_of_supply=25).fees["low_inventory_level"] == D("0.21")
    assert "low_inventory_level" in uk_de(market, days_of_supply=10).unavailable  # Pan-EU or not: NOT FOUND
    cheap = uk_de(market, price="8.00", dims=(30, 20, 1), weight="50", pan_eu_unit=True, days_of_supply=10)
    assert cheap.fees["low_inventory_level"] == D("0.00")
    assert uk_de(market, pan_eu_unit=True, days_of_supply=10,
                 low_sales_7_days=True).fees["low_inventory_level"] == D("0.00")
    assert uk_de(market, pan_eu_unit=True, days_of_supply=30).fees["low_inventory_level"] == D("0.00")


DE_UNKNOWN = ("low-inventory-level fee: it is not charged on low-price units (uk-de.md 5.11), and whether this unit is "
              "one is NOT FOUND: between EUR 11 and EUR 20 DE's restricted categories (capped at EUR 11) are NOT FOUND "
              "(uk-de.md 5.7, 6), and whether a low-priced parcel in the selected categories pays the Low-Price FBA "
              "rate or the selected-categories card is NOT FOUND (uk-de.md 5.7, 5.8)")


@pytest.mark.parametrize("program", ["standard", "cep", "pan_eu", "pan_eu_cep"])
def test_de_every_low_price_card_is_exempt_or_unknown(program):
    """uk-de.md 5.11: not charged on low-price units.  Up to EUR 11 the low-price cards (local and Pan-EU) are
    exempt; between EUR 11 and 20, and for a low-priced selected-categories parcel, whether the unit is a low-price
    unit is NOT FOUND, so the fee is unavailable: neither charged nor a zero."""
    def lil(price, dims=(30, 20, 1), weight="50", category="kitchen"):
        return uk_de("DE", price=price, dims=dims, weight=weight, category=category, program=program,
                     pan_eu_unit=True, days_of_supply=10)
    assert lil("9.00").fees["low_inventory_level"] == D("0.00")
    assert lil("15.00").unavailable["low_inventory_level"] == DE_UNKNOWN
    selected = lil("9.00", dims=(35, 25, 7), weight="300", category="clothing_and_accessories")
    assert selected.size_tier == "small_parcel_1"
    assert selected.unavailable["low_inventory_level"] == DE_UNKNOWN
    assert lil("24.00").fees["low_inventory_level"] == D("0.27")  # not low-priced: light envelope under 14 days
    assert lil("15.00", weight="50").total is None  # the fulfilment fee there is unavailable as well
    exempt = uk_de("DE", price="15.00", dims=(30, 20, 1), weight="50", program=program, pan_eu_unit=True,
                   days_of_supply=10, low_sales_7_days=True)
    assert exempt.fees["low_inventory_level"] == D("0.00")  # exempt whatever the card


@pytest.mark.parametrize("market", ["FR", "IT", "ES"])
@pytest.mark.parametrize("program", ["standard", "pan_eu", "pan_eu_cep"])
def test_fr_it_es_low_priced_selected_categories_parcels_are_unknown(market, program):
    q = uk_de(market, price="9.00", dims=(35, 25, 7), weight="300", category="clothing_and_accessories",
              program=program, pan_eu_unit=True, days_of_supply=10)
    assert q.unavailable["low_inventory_level"] == (
        "low-inventory-level fee: whether a low-priced parcel in the selected categories pays the Low-Price FBA rate "
        "(a low-price unit: not charged) or the selected-categories card (charged) is NOT FOUND (eu.md 5.1, 5.3; "
        "not charged on low-price units: uk-de.md 5.11)")


def test_a_frame_costs_the_fee_per_row():
    import pandas as pd

    rows = pd.DataFrame([dict(price="20", length=10, width=6, height=2, weight=1, category="home_and_kitchen",
                              days_of_supply=d) for d in (5, 15, 25, 30, None)])
    out = cost_frame(rows, on="2025-06-01")
    assert out["low_inventory_level"].tolist() == [D("0.97"), D("0.70"), D("0.36"), D("0.00"), D("0.00")]


def test_unknown_cards_need_known_names_and_a_reason(tmp_path):
    de = TABLES_DIR / "de" / "de-2026.toml"
    path = edited(tmp_path, 'unknown_cards = ["DE 2026 Low-Price FBA between EUR 11 and EUR 20, DE only"',
                  'unknown_cards = ["DE 2026 Low-Price FBA, somewhere"', src=de)
    assert "low_inventory_level[0].unknown_cards: no fulfillment card named 'DE 2026 Low-Price FBA, somewhere'" in \
        load_error(path)
    path = edited(tmp_path, 'unknown_cards_reason = "', 'note = "', src=de)
    assert "unknown_cards and unknown_cards_reason go together" in load_error(path)
