"""Benchmark: `feecalc audit` of a 100,000-line settlement flat file V2 (issue 15: audited in a few seconds).

The settlement is generated in Amazon's documented layout (reports.md 3: 24 tab-delimited columns, the summary row
first): order items of 2,000 SKUs over two weeks of March 2026, each a Principal, a Tax, a Commission and an
FBAPerUnitFulfillmentFee line, one to three units; 1% of the fulfilment fees 0.50 a unit above the card, some lines
of fee types the reference names but feecalc does not check, and some of an unknown type.  The SKUs' measurements
come from a fee preview of the 2,000 SKUs (the NA 31-column layout).  Each run is a subprocess (imports and table
loading included), so wall time and peak memory (max RSS) are its own; the library's own time is reported by the
child too (reading, auditing, writing).

    python benchmarks/audit.py [--lines 100000] [--skus 2000] [--format xlsx|json|csv] [--gz] [--runs 3]
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent  # benchmarks/http.py would shadow the standard library's http: leave first
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE]
ROOT = HERE.parent
sys.path.insert(0, str(ROOT / "tests"))

import argparse  # noqa: E402
import gzip  # noqa: E402
import os  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from decimal import Decimal  # noqa: E402

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from audit_reports import SETTLEMENT, na_row, tsv  # noqa: E402
from fee_preview import NA_HEADER  # noqa: E402

GROUPS = ("Kitchen", "Beauty", "Toy", "Home Improvement", "Book", "Lawn & Patio")
CHILD = """
import sys, time
t0 = time.perf_counter()
import feecalc.audit as audit
t1 = time.perf_counter()
result = audit.run(sys.argv[1:3], on="2026-03-01")
t2 = time.perf_counter()
audit.write(result, sys.argv[3], force=True)
t3 = time.perf_counter()
print(f"import {t1 - t0:.2f} s, audit {t2 - t1:.2f} s, write {t3 - t2:.2f} s; {result.lines:,} lines, "
      f"{result.unmatched:,} not matched, {len(result.findings):,} findings, money at stake {result.money_at_stake()}")
"""


def make_files(folder: Path, lines: int, skus: int, compress: bool) -> tuple[Path, Path]:
    """A fee preview of `skus` SKUs whose figures are the card's, and a settlement of about `lines` lines (seeded: the
    same files every run)."""
    import feecalc

    rng = np.random.default_rng(15)
    sides = np.sort(rng.choice([4.0, 6.0, 8.0, 10.0, 12.0, 14.0], (skus, 3)), axis=1)[:, ::-1]
    weight = rng.choice([0.5, 0.8, 1.2, 2.0, 3.0], skus)
    groups = np.array(GROUPS, dtype=object)[np.arange(skus) % len(GROUPS)]
    catalog = pd.DataFrame({"price": "24.99", "length": sides[:, 0], "width": sides[:, 1], "height": sides[:, 2],
                            "weight": weight, "category": groups})
    fees = feecalc.cost_frame(catalog, on="2026-03-01")  # the fee preview says what the card says
    assert fees["error"].isna().all()
    money = {k: fees[k].astype(str).to_numpy() for k in ("referral", "closing", "fulfillment")}
    money["total"] = (fees["referral"] + fees["closing"] + fees["fulfillment"]).astype(str).to_numpy()
    tiers = ["Us" + "".join(w.title() for w in str(t).split("_")) + "Size" for t in fees["size_tier"]]
    rows = [na_row(f"SKU{k:05d}", groups[k], sides=tuple(f"{x:.2f}" for x in sides[k]), weight=f"{weight[k]:.2f}",
                   tier=tiers[k], referral=money["referral"][k], closing=money["closing"][k],
                   fulfilment=money["fulfillment"][k], total=money["total"][k]) for k in range(skus)]
    preview = folder / "fee-preview.txt"
    preview.write_text(tsv(NA_HEADER, rows), encoding="cp1252")
    per_unit = {k: np.array([Decimal(v) for v in money[k]]) for k in ("referral", "closing", "fulfillment")}
    items = (lines - 1 - lines // 100) // 4  # about 1% of the lines are not order lines
    sku = rng.integers(0, skus, items)
    qty = rng.choice([1, 1, 1, 2, 3], items)
    day = rng.integers(2, 14, items)
    over = rng.random(items) < 0.01
    principal = Decimal("24.99") * qty
    charge = (per_unit["fulfillment"][sku] + np.where(over, Decimal("0.50"), Decimal(0))) * qty
    base = {c: "" for c in SETTLEMENT}
    order = np.char.add("111-0000000-", np.char.zfill(np.arange(items).astype(str), 7))
    posted = np.char.add("2026-03-", np.char.zfill(day.astype(str), 2))
    parts = []
    for kind, what, amount in (
            ("ItemPrice", "Principal", principal),
            ("ItemPrice", "Tax", [(p * Decimal("0.0825")).quantize(Decimal("0.01")) for p in principal]),
            ("ItemFees", "Commission", -per_unit["referral"][sku] * qty),
            ("ItemFees", "FBAPerUnitFulfillmentFee", -charge)):
        part = pd.DataFrame({**base, "settlement-id": "1234567890", "currency": "USD", "transaction-type": "Order",
                             "order-id": order, "marketplace-name": "Amazon.com", "amount-type": kind,
                             "amount-description": what, "amount": [str(a) for a in amount],
                             "fulfillment-id": "AFN", "posted-date": posted,
                             "posted-date-time": np.char.add(posted, " 05:23:19 UTC"), "order-item-code": order,
                             "sku": np.char.add("SKU", np.char.zfill(sku.astype(str), 5)),
                             "quantity-purchased": qty.astype(str)})
        part["_item"] = np.arange(items)
        parts.append(part)
    body = pd.concat(parts).sort_values("_item", kind="stable").drop(columns="_item")
    rest = max(lines - len(body) - 1, 0)
    other = pd.DataFrame({**base, "settlement-id": "1234567890", "currency": "USD",
                          "transaction-type": "other-transaction", "amount-type": "other-transaction",
                          "amount-description": np.where(np.arange(rest) % 2, "Storage Fee", "SomeNewFee"),
                          "amount": "-12.40", "posted-date": "2026-03-10",
                          "posted-date-time": "2026-03-10 18:00:00 UTC"}, index=range(rest))
    head = pd.DataFrame([{**base, "settlement-id": "1234567890", "settlement-start-date": "2026-03-01 10:00:00 UTC",
                          "settlement-end-date": "2026-03-15 10:00:00 UTC", "deposit-date": "2026-03-17 10:00:00 UTC",
                          "total-amount": "123456.78", "currency": "USD"}])
    table = pd.concat([head, body, other], ignore_index=True)[SETTLEMENT]
    text = table.to_csv(sep="\t", index=False, lineterminator="\n")
    settlement = folder / ("settlement.txt.gz" if compress else "settlement.txt")
    data = text.encode("utf-8")
    settlement.write_bytes(gzip.compress(data) if compress else data)
    return preview, settlement


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=100_000)
    parser.add_argument("--skus", type=int, default=2_000)
    parser.add_argument("--format", default="xlsx", choices=("xlsx", "json", "csv"))
    parser.add_argument("--gz", action="store_true", help="a gzip-compressed settlement")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        t0 = time.perf_counter()
        preview, settlement = make_files(folder, args.lines, args.skus, args.gz)
        lines = (gzip.decompress(settlement.read_bytes()) if args.gz else settlement.read_bytes()).count(b"\n")
        print(f"generated {lines:,} settlement lines ({settlement.stat().st_size / 2**20:.1f} MiB on disk) and "
              f"{args.skus:,} fee preview rows in {time.perf_counter() - t0:.1f} s")
        out = folder / f"audit.{args.format}"
        for run in range(args.runs):
            start = time.perf_counter()
            with tempfile.TemporaryFile("w+") as said, tempfile.TemporaryFile("w+") as failed:
                proc = subprocess.Popen([sys.executable, "-c", CHILD, str(preview), str(settlement), str(out)],
                                        stdout=said, stderr=failed, text=True, cwd=ROOT)
                _, status, usage = os.wait4(proc.pid, 0)  # this child's own CPU time and peak memory
                wall = time.perf_counter() - start
                proc.returncode = os.waitstatus_to_exitcode(status)
                said.seek(0)
                failed.seek(0)
                if proc.returncode:
                    raise SystemExit(failed.read())
                cpu = usage.ru_utime + usage.ru_stime
                print(f"run {run + 1}: wall {wall:.2f} s, CPU {cpu:.2f} s, peak {usage.ru_maxrss / 1024:.0f} MiB; "
                      f"{said.read().strip()}")


if __name__ == "__main__":
    main()
