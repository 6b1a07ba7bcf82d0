"""Benchmark: cost_frame on 1,000,000 synthetic items vs a quote() loop, in the same run.

Prints items per second, the speed ratio, one quote's latency and peak memory.  Targets (issue 2,
2-core machine): cost_frame >= 1,000,000 items/s, >= 100x the quote loop, peak memory <= 1 GB,
one quote <= 200 us.  Run: python benchmarks/engine.py [N]
"""

from __future__ import annotations

import gc
import resource
import statistics
import sys
import time

import numpy as np
import pandas as pd

import feecalc

ON = "2026-05-01"


def synthetic(n: int, seed: int = 7) -> pd.DataFrame:
    """Items spread over every 2026 size tier, every category and the three 2026 price bands."""
    rng = np.random.default_rng(seed)
    kind = rng.integers(0, 6, n)  # small std, large std, small bulky, large bulky, XL, XL heavy
    longest = np.choose(kind, [rng.uniform(2, 15, n), rng.uniform(15.1, 18, n), rng.uniform(19, 37, n),
                               rng.uniform(38, 59, n), rng.uniform(60, 100, n), rng.uniform(60, 100, n)])
    median = np.minimum(longest, np.choose(kind, [rng.uniform(1, 12, n), rng.uniform(1, 14, n),
                                                  rng.uniform(2, 20, n), rng.uniform(2, 25, n),
                                                  rng.uniform(2, 20, n), rng.uniform(10, 30, n)]))
    shortest = np.minimum(median, np.choose(kind, [rng.uniform(0.1, 0.75, n), rng.uniform(0.5, 8, n),
                                                   rng.uniform(1, 6, n), rng.uniform(1, 5, n),
                                                   rng.uniform(1, 10, n), rng.uniform(5, 20, n)]))
    weight = np.choose(kind, [rng.uniform(0.02, 1, n), rng.uniform(0.1, 20, n), rng.uniform(1, 30, n),
                              rng.uniform(1, 50, n), rng.uniform(5, 60, n), rng.uniform(60, 200, n)])
    price = np.choose(rng.integers(0, 3, n), [rng.uniform(1, 9.99, n), rng.uniform(10, 50, n),
                                              rng.uniform(50.01, 2000, n)])
    cats = np.array(list(feecalc.categories("US", on=ON)))
    return pd.DataFrame({
        "sku": np.arange(n), "price": np.round(price, 2), "length": np.round(longest, 2),
        "width": np.round(median, 2), "height": np.round(shortest, 2), "weight": np.round(weight, 3),
        "category": pd.Categorical(cats[rng.integers(0, len(cats), n)]),
        "apparel": rng.random(n) < 0.1, "age_days": rng.integers(0, 500, n),
    })


def main(n: int = 1_000_000, loop: int = 10_000) -> None:
    df = synthetic(n)
    feecalc.cost_frame(df.head(1000), on=ON)  # warm the table cache
    gc.collect()
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    runs = []
    for _ in range(3):  # the first run in a process pays for first-touch page faults
        t0 = time.perf_counter()
        out = feecalc.cost_frame(df, on=ON)
        runs.append(time.perf_counter() - t0)
    frame_s = min(runs)
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    assert len(out) == n and out["error"].isna().all(), "every synthetic row should cost cleanly"

    rows = df.head(loop).to_dict("records")
    t0 = time.perf_counter()
    for r in rows:
        feecalc.quote("US", ON, price=r["price"], length=r["length"], width=r["width"], height=r["height"],
                      weight=r["weight"], category=r["category"], apparel=r["apparel"], age_days=r["age_days"])
    loop_s = time.perf_counter() - t0
    single = []
    for r in rows[:2000]:
        t1 = time.perf_counter()
        feecalc.quote("US", ON, price=r["price"], length=r["length"], width=r["width"], height=r["height"],
                      weight=r["weight"], category=r["category"])
        single.append(time.perf_counter() - t1)

    frame_rate, loop_rate = n / frame_s, loop / loop_s
    print(f"cost_frame: {n:,} items in {frame_s:.3f} s = {frame_rate:,.0f} items/s (best of 3; "
          f"runs {', '.join(f'{r:.2f}' for r in runs)} s, first run {n / runs[0]:,.0f} items/s)")
    print(f"quote loop: {loop:,} items in {loop_s:.3f} s = {loop_rate:,.0f} items/s "
          f"({loop_s / loop * 1e6:.0f} us per item)")
    print(f"speed-up:   cost_frame is {frame_rate / loop_rate:,.0f}x the quote loop")
    print(f"one quote:  median {statistics.median(single) * 1e6:.0f} us, "
          f"p95 {sorted(single)[int(len(single) * 0.95)] * 1e6:.0f} us")
    print(f"memory:     process peak RSS {rss_after:,.0f} MiB, of which {rss_after - rss_before:,.0f} MiB "
          f"added by cost_frame (input frame and imports: {rss_before:,.0f} MiB)")
    tiers = out["size_tier"].value_counts()
    print("tiers:      " + ", ".join(f"{k} {v:,}" for k, v in tiers.items()))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000)
