"""The Pan-EU oversize surcharge: feecalc/fees/pan_eu.py; table section pan_eu_oversize_surcharge (uk-de.md 5.11).
Steps of every tier: tests/fees/test_per_unit_edges.py."""

from decimal import Decimal as D

from quotes import uk_de, us


def test_de_cross_border_oversize():
    # standard oversize light, 5 kg (8.4 kg dimensional): 1.76 + 8 started kg above 760 g x 0.06 (EU-34, M)
    q = uk_de("DE", dims=(70, 30, 20), weight="5000", pan_eu="cross_border")
    assert (q.size_tier, q.fees["pan_eu_oversize_surcharge"]) == ("standard_oversize_light", D("2.24"))
    assert q.lines["pan_eu_oversize_surcharge"] == (
        "2.24 EUR: standard_oversize_light, any weight (shipping weight) (+0.06 per 1 kg above 760 g); 1.76 + 8 x 0.06 "
        "[EU-34, EU-53 (uk-de.md 5.11); confidence M]")
    local = uk_de("DE", dims=(70, 30, 20), weight="5000", pan_eu="local")
    assert q.total - local.total == D("2.24") + D("0.00")  # a DE-established seller pays no DSF on it
    plain = uk_de("DE", dims=(70, 30, 20), weight="5000")
    assert plain.not_assessed["pan_eu_oversize_surcharge"] == "no pan_eu='cross_border' given"


def test_not_charged_where_not_oversize_or_not_pan_eu():
    parcel = uk_de("DE", pan_eu="cross_border")
    assert parcel.lines["pan_eu_oversize_surcharge"].startswith("0.00 EUR: no surcharge: not charged on small_parcel: "
                                                                "the surcharge applies to small_oversize")
    assert uk_de("DE", dims=(180, 30, 20), weight="5000", pan_eu="cross_border").fees[
        "pan_eu_oversize_surcharge"] == D("0.00")  # special oversize
    assert uk_de("UK", dims=(70, 30, 20), weight="5000", pan_eu="cross_border").lines["pan_eu_oversize_surcharge"] == (
        "0.00 GBP: no surcharge: not in force: uk-de.md 5.11 marks the Pan-EU oversize surcharge n/a for the UK "
        "(EU-34): the UK is not in Pan-European FBA")
    assert us("2026-05-01", pan_eu="cross_border").unavailable["pan_eu_oversize_surcharge"] == (
        "Pan-EU oversize surcharge: not in us-2026 (the reference has none for this store and date)")
