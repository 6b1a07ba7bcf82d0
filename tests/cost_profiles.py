"""Cost profiles for the tests of other stores.  The reference has no UK or DE carrier or shop rates, so these
profiles hold TEST VALUES, stated here and in the file, never reference figures: they only have to be known."""

from pathlib import Path

UK_PLAN, DE_PLAN = 25, 39  # uk-de.md 1 gives GBP 25 and EUR 39 a month: the only figures here from the reference


def write_profile(folder: Path, market: str, currency: str, plan, bands: list[tuple[str, float]],
                  ship_via: str = "carrier", **seller) -> str:
    """A profile file for `market` with the seller values given (others 0; 100 units a month, 30 days stored)."""
    values = {"cost_of_goods": 0, "monthly_units": 100, "days_in_inventory": 30} | seller
    text = f'''# TEST VALUES, not reference figures: a {market} profile for the tests
id = "test-{market.lower()}"
marketplace = "{market}"
currency = "{currency}"

[seller]
cost_of_goods = {values["cost_of_goods"]}
inbound_per_unit = 0
inbound_per_kg = 0
inbound_per_cubic_foot = 0
prep_per_unit = 0
advertising_percent = "0%"
return_rate = "0%"
cost_per_return = 0
monthly_units = {values["monthly_units"]}
days_in_inventory = {values["days_in_inventory"]}
packaging_per_order = 0
labour_per_order = 0
own_storage_per_cubic_foot_month = 0

[amazon]
professional_plan_per_month = {{ value = {plan:.2f}, source = "uk-de.md 1", confidence = "H" }}

[carrier]
name = "test carrier"
source = "test value"
confidence = "L"
note = "test values"
zone = "1"
bands = [
''' + "".join(f'  {{ upto = "{u}", zone_1 = {p}, zone_8_9 = {p} }},\n' for u, p in bands) + f'''
]

[web_shop]
plan_per_month = {{ value = 30.00, source = "test value", confidence = "L" }}
card_percent = {{ value = "2%", source = "test value", confidence = "L" }}
card_fixed = {{ value = 0.20, source = "test value", confidence = "L" }}
ship_via = "{ship_via}"
'''
    path = Path(folder) / f"{market.lower()}-{abs(hash(text)) % 10**8}.toml"
    path.write_text(text)
    return str(path)


def uk_profile(folder: Path, **seller) -> str:
    return write_profile(folder, "UK", "GBP", UK_PLAN, [("1 kg", 3.00), ("2 kg", 4.00)], **seller)


def de_profile(folder: Path, **seller) -> str:
    return write_profile(folder, "DE", "EUR", DE_PLAN, [("1 kg", 4.50), ("2 kg", 5.50)], **seller)
