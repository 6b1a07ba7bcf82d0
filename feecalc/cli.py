"""`feecalc` command line: for now, `feecalc quote` prints one item's fee breakdown."""

from __future__ import annotations

import argparse
import json
import re
import sys
from decimal import Decimal

from babel.numbers import format_currency

from .errors import FeecalcError
from .quote import quote

LOCALES = {"US": "en_US"}
_SIZE = re.compile(r"^\s*([\d.]+)\s*x\s*([\d.]+)\s*x\s*([\d.]+)\s*([a-z]+)\s*$", re.I)
_AMOUNT = re.compile(r"^\s*([\d.]+)\s*([a-z]+)\s*$", re.I)


def _dims(text: str) -> tuple[str, str, str, str]:
    match = _SIZE.match(text)
    if not match:
        raise argparse.ArgumentTypeError(f"expected dimensions such as 10x6x3in, got {text!r}")
    return match.groups()


def _weight(text: str) -> tuple[str, str]:
    match = _AMOUNT.match(text)
    if not match:
        raise argparse.ArgumentTypeError(f"expected a weight such as 1.2lb, got {text!r}")
    return match.groups()


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="feecalc", description="Exact, explainable Amazon seller fees.")
    sub = parser.add_subparsers(dest="command", required=True)
    q = sub.add_parser("quote", help="fee breakdown for one item")
    q.add_argument("--price", default="24.99", help="item price (default: the sample item's 24.99)")
    q.add_argument("--shipping", default="0")
    q.add_argument("--gift-wrap", default="0")
    q.add_argument("--dims", type=_dims, default=_dims("10x6x3in"), help="LxWxH with unit, e.g. 10x6x3in")
    q.add_argument("--weight", type=_weight, default=_weight("1.2lb"), help="weight with unit, e.g. 1.2lb")
    q.add_argument("--category", default="home_and_kitchen")
    q.add_argument("--on", default=None, help="date, ISO format (default: today)")
    q.add_argument("--marketplace", default="US")
    q.add_argument("--apparel", action="store_true")
    q.add_argument("--dangerous-goods", action="store_true")
    q.add_argument("--plan", default="professional", choices=["professional", "individual"])
    q.add_argument("--age-days", type=int, default=0)
    q.add_argument("--json", action="store_true", help="print quote(...).to_dict() as JSON")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    length, width, height, dunit = args.dims
    weight, wunit = args.weight
    try:
        result = quote(args.marketplace, args.on, price=args.price, shipping=args.shipping,
                       gift_wrap=args.gift_wrap, length=length, width=width, height=height,
                       dimension_unit=dunit, weight=weight, weight_unit=wunit, category=args.category,
                       apparel=args.apparel, dangerous_goods=args.dangerous_goods, plan=args.plan,
                       age_days=args.age_days)
    except FeecalcError as exc:
        print(f"feecalc: {exc}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(result.to_dict(), indent=2))
        return 0
    print(render(result))
    return 0


def render(result) -> str:
    """Human breakdown: one line per fee, amounts formatted for the marketplace's locale."""
    locale = LOCALES.get(result.marketplace, "en_US")
    money = lambda v: format_currency(Decimal(v), result.currency, locale=locale)  # noqa: E731
    lines = [f"{result.table_id} (sha256 {result.table_hash[:12]}) on {result.date}: {result.size_tier}, "
             f"dimensional weight {result.dimensional_weight} {result.weight_unit}, "
             f"shipping weight {result.shipping_weight} {result.weight_unit}"]
    for name, text in result.lines.items():
        amount = money(result.fees[name]) if name in result.fees else "unavailable"
        lines.append(f"  {name:<30}{amount:>12}  {text.split(': ', 1)[-1]}")
    lines.append(f"  {'total':<30}{money(result.total) if result.total is not None else 'unavailable':>12}"
                 "  referral + closing + per_item + fulfillment + fuel_surcharge")
    lines += [f"  warning: {w}" for w in result.warnings]
    return "\n".join(lines)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
