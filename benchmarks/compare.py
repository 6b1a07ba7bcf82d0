"""Benchmark: channel economics.  `compare_frame` on N synthetic SKUs (default 1,000) with and without break-even
prices, and one `compare` with a target margin; best of 3 runs in one process, after one warm-up.

Run: python benchmarks/compare.py [N]
"""

from __future__ import annotations

import sys
import time

import numpy as np
import pandas as pd

import feecalc

ON = "2026-05-01"


def catalog(n: int, seed: int = 11) -> pd.DataFrame:
    """Standard-size and small bulky SKUs over every category, prices in all three 2026 bands, 1 to 500 a month."""
    rng = np.random.default_rng(seed)
    cats = np.array(list(feecalc.categories("US", on=ON)))
    longest = rng.uniform(4, 30, n)
    median = np.minimum(longest, rng.uniform(2, 14, n))
    return pd.DataFrame({
        "sku": np.arange(n), "price": np.round(np.choose(rng.integers(0, 3, n), [
            rng.uniform(3, 9.99, n), rng.uniform(10, 50, n), rng.uniform(50.01, 300, n)]), 2),
        "length": np.round(longest, 1), "width": np.round(median, 1),
        "height": np.round(np.minimum(median, rng.uniform(0.3, 8, n)), 1),
        "weight": np.round(rng.uniform(0.1, 12, n), 2), "category": cats[rng.integers(0, len(cats), n)],
        "cost_of_goods": np.round(rng.uniform(1, 40, n), 2), "monthly_units": rng.integers(1, 500, n),
    })


def best_of(fn, runs: int = 3) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def main(n: int = 1000) -> None:
    df = catalog(n)
    feecalc.compare_frame(df.head(20), on=ON, break_even=True)  # warm the table caches
    plain = best_of(lambda: feecalc.compare_frame(df, on=ON))
    with_be = best_of(lambda: feecalc.compare_frame(df, on=ON, break_even=True))
    one = best_of(lambda: feecalc.compare(on=ON, price="24.99", length=10, width=6, height=3, weight=1.2,
                                          category="home_and_kitchen", cost_of_goods="6", target_margin="0.2"))
    print(f"compare_frame, {n:,} SKUs: {plain:.2f} s; with break-even prices: {with_be:.2f} s")
    print(f"compare, one item with a target margin: {one * 1000:.0f} ms")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1000)
