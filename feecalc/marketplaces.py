"""Amazon marketplaces: code, SP-API marketplace id, domain, currency (with its ISO 4217 minor-unit digits) and the
default Babel locale for reading numbers and showing money.

Source: ../shared/reference/marketplaces.md section 2 (ids MKT-1, H; currencies MKT-2, H; locales
MKT-4, Babel's own output; BE has two, fr_BE and nl_BE: fr_BE is the default).  A marketplace is
quotable when fee tables exist for it; adding a store is its fee tables, and a row here if it is new.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from .money import minor_digits
from .tables import all_tables, market_codes


@dataclass(frozen=True)
class Marketplace:
    code: str
    marketplace_id: str
    domain: str | None
    currency: str
    locale: str  # the default locale of the store: numbers in its spreadsheets, money shown for it
    digits: int = field(init=False)  # ISO 4217 minor-unit digits of the currency: 2, or 0 for JPY

    def __post_init__(self) -> None:
        object.__setattr__(self, "digits", minor_digits(self.currency))


_ROWS = [
    ("US", "ATVPDKIKX0DER", "amazon.com", "USD", "en_US"),
    ("CA", "A2EUQ1WTGCTBG2", "amazon.ca", "CAD", "en_CA"),
    ("MX", "A1AM78C64UM0Y8", "amazon.com.mx", "MXN", "es_MX"),
    ("BR", "A2Q3Y263D00KWC", "amazon.com.br", "BRL", "pt_BR"),
    ("UK", "A1F83G8C2ARO7P", "amazon.co.uk", "GBP", "en_GB"),
    ("DE", "A1PA6795UKMFR9", "amazon.de", "EUR", "de_DE"),
    ("FR", "A13V1IB3VIYZZH", "amazon.fr", "EUR", "fr_FR"),
    ("IT", "APJ6JRA9NG5V4", "amazon.it", "EUR", "it_IT"),
    ("ES", "A1RKKUPIHCS9HS", "amazon.es", "EUR", "es_ES"),
    ("NL", "A1805IZSGTT6HS", "amazon.nl", "EUR", "nl_NL"),
    ("SE", "A2NODRKZP88ZB9", "amazon.se", "SEK", "sv_SE"),
    ("PL", "A1C3SOZRARQ6R3", "amazon.pl", "PLN", "pl_PL"),
    ("BE", "AMEN7PMS3EDWL", "amazon.com.be", "EUR", "fr_BE"),
    ("IE", "A28R8C7NBKEWEA", "amazon.ie", "EUR", "en_IE"),
    ("TR", "A33AVAJ2PDY3EV", "amazon.com.tr", "TRY", "tr_TR"),
    ("AE", "A2VIGQ35RCS4UG", "amazon.ae", "AED", "en_AE"),
    ("SA", "A17E79C6D8DWNP", "amazon.sa", "SAR", "ar_SA"),
    ("EG", "ARBP9OOSHTCHU", "amazon.eg", "EGP", "ar_EG"),
    ("IN", "A21TJRUUN4KGV", "amazon.in", "INR", "en_IN"),
    ("JP", "A1VC38T7YXB528", "amazon.co.jp", "JPY", "ja_JP"),
    ("AU", "A39IBJ37TRP1C6", "amazon.com.au", "AUD", "en_AU"),
    ("SG", "A19VAU5U5O7RUS", "amazon.sg", "SGD", "en_SG"),
    ("ZA", "AE08WJ6YKNBMC", None, "ZAR", "en_ZA"),
]
REGISTRY: dict[str, Marketplace] = {row[0]: Marketplace(*row) for row in _ROWS}


def marketplace(code: str) -> Marketplace | None:
    """The marketplace for a code such as 'US' (case-insensitive), or None."""
    return REGISTRY.get(str(code).upper())


def quotable() -> list[str]:
    """The codes of the marketplaces with fee tables, in registry order (for help texts; no table is loaded)."""
    have = set(market_codes())
    return [code for code in REGISTRY if code in have] + sorted(have - set(REGISTRY))


def marketplaces() -> list[dict]:
    """Every marketplace with `has_tables` and, where it has tables, the dates they cover."""
    out = []
    for m in REGISTRY.values():
        tables = [t for t in all_tables() if t.marketplace == m.code]
        row = asdict(m) | {"has_tables": bool(tables)}
        if tables:
            row |= {"tables_from": str(tables[0].effective_from), "tables_to": str(tables[-1].effective_to)}
        out.append(row)
    return out
