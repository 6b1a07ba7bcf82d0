"""Every fee of every bundled table on a large generated catalog, to compare two revisions of the code or data.

    python benchmarks/fee_regression.py write  OUT.parquet [PER_TABLE]  # cost the catalog, keep every output cell
    python benchmarks/fee_regression.py compare A.parquet B.parquet         # identical? else the differing cells

Each table gets PER_TABLE items (default 125,000) from its own seeded generator (seeded by the table's id), so
two revisions cost the same items for every table they share, and a new table adds rows without moving the
others'.  Items are spread over each table's dates (peaks included), its units, categories, programmes, seller
countries, plans and flags, and the inputs of the per-unit lines (placement, days of supply, return rate; from a
generator of their own, so the other columns draw what they drew before); the output holds every column
`cost_frame` gives, as text, so a changed amount, tier, warning or error shows.  `compare` matches rows by (table,
item) and reports tables only one side has.
"""

from __future__ import annotations

import sys
import zlib

import numpy as np
import pandas as pd

import feecalc
import feecalc.money

PROGRAMS = {True: ["standard"] * 4 + ["cep", "efn", "efn_cep", "remote_fulfillment", "pan_eu", "pan_eu_cep"],  # metric
            False: ["standard"] * 7 + ["small_and_light"]}
COUNTRIES = [None, "US", "UK", "DE", "FR", "IT", "ES", "CN"]


def catalog(per_table: int, seed: int = 11) -> pd.DataFrame:
    """`per_table` items for every bundled table, each table's from a generator seeded by its id."""
    parts = []
    for t in feecalc.all_tables():
        rng = np.random.default_rng([seed, zlib.crc32(t.id.encode())])
        m = per_table
        days = (t.effective_to - t.effective_from).days + 1
        dates = pd.Timestamp(t.effective_from) + pd.to_timedelta(rng.integers(0, days, m), unit="D")
        metric = t.data["units"]["length"] == "cm"
        scale_l = 2.54 if metric else 1.0
        scale_w = {"lb": 1.0, "g": 453.59237, "kg": 0.45359237}[t.data["units"]["weight"]]
        kind = rng.integers(0, 5, m)
        longest = np.choose(kind, [rng.uniform(1, 15, m), rng.uniform(10, 18, m), rng.uniform(18, 40, m),
                                   rng.uniform(38, 70, m), rng.uniform(60, 120, m)])
        median = longest * rng.uniform(0.2, 1, m)
        shortest = median * rng.uniform(0.02, 1, m)
        weight = np.choose(kind, [rng.uniform(0.01, 1, m), rng.uniform(0.1, 20, m), rng.uniform(1, 50, m),
                                  rng.uniform(1, 80, m), rng.uniform(20, 200, m)])
        price = np.choose(rng.integers(0, 4, m), [rng.uniform(0.5, 9.99, m), rng.uniform(9.5, 25, m),
                                                  rng.uniform(20, 60, m), rng.uniform(50, 3000, m)])
        places = getattr(feecalc.money, "minor_digits", lambda _: 2)(t.data["currency"])  # whole yen: 100x larger
        price = price * 10 ** (2 - places)
        cats = sorted({c["name"] for c in t.data["referral"]} | {a for c in t.data["referral"] for a in c["aliases"]})
        parts.append(pd.DataFrame({
            "generated_for": t.id, "item": np.arange(m),
            "marketplace": t.marketplace, "date": dates.strftime("%Y-%m-%d"),
            "price": np.round(price, places),
            "shipping": np.where(rng.random(m) < 0.2, np.round(rng.uniform(0, 9, m) * 10 ** (2 - places), places), 0),
            "gift_wrap": np.where(rng.random(m) < 0.05, 2.5 * 10 ** (2 - places), 0),
            "length": np.round(longest * scale_l, 2), "width": np.round(median * scale_l, 2),
            "height": np.round(np.maximum(shortest, 0.05) * scale_l, 2), "weight": np.round(weight * scale_w, 3),
            "category": np.array(cats, dtype=object)[rng.integers(0, len(cats), m)],
            "apparel": rng.random(m) < 0.1, "dangerous_goods": rng.random(m) < 0.05, "sipp": rng.random(m) < 0.1,
            "plan": np.where(rng.random(m) < 0.1, "individual", "professional"),
            "program": np.array(PROGRAMS[metric], dtype=object)[rng.integers(0, len(PROGRAMS[metric]), m)],
            "age_days": rng.integers(0, 500, m),
            "utilization_weeks": np.where(rng.random(m) < 0.3, np.round(rng.uniform(0, 40, m), 1), np.nan),
            "seller_country": np.array(COUNTRIES, dtype=object)[rng.integers(0, len(COUNTRIES), m)],
            **_per_unit_inputs(np.random.default_rng([seed, zlib.crc32(t.id.encode()), 13]), m),
        }))
    return pd.concat(parts, ignore_index=True)


def _per_unit_inputs(rng: np.random.Generator, m: int) -> dict:
    """The inputs of the per-unit fee lines (issue 13), each given on about a third of the rows."""
    given = lambda: rng.random(m) < 0.3  # noqa: E731
    return {
        "placement": np.array([None, "minimal", "partial", "optimized"], dtype=object)[rng.integers(0, 4, m)],
        "inbound_point": np.where(rng.random(m) < 0.2, "low", "high"),
        "days_of_supply": np.where(given(), np.round(rng.uniform(0, 40, m), 1), np.nan),
        "return_rate": np.where(given(), np.round(rng.uniform(0, 0.2, m), 3), np.nan),
        "pan_eu_unit": rng.random(m) < 0.3,
        "low_sales_7_days": rng.random(m) < 0.05, "new_seller": rng.random(m) < 0.05,
    }


KEYS = ["generated_for", "item"]


def write(path: str, per_table: int) -> None:
    df = catalog(per_table)
    out = feecalc.cost_frame(df.drop(columns=KEYS), on="2026-05-01")
    costed = out.drop(columns=[c for c in df.columns if c in out.columns]).astype(str)
    pd.concat([df[[*KEYS, "marketplace", "date"]], costed], axis=1).to_parquet(path, index=False)
    print(f"{path}: {len(costed):,} rows, {out['error'].notna().sum():,} with errors; "
          f"unavailable totals {out['total'].isna().sum():,}")


def compare(a: str, b: str) -> int:
    x, y = pd.read_parquet(a).fillna("<null>"), pd.read_parquet(b).fillna("<null>")
    only = sorted(set(x["generated_for"]) ^ set(y["generated_for"]))
    if only:
        print(f"tables in one file only (not compared): {', '.join(only)}")
    x, y = (f[~f["generated_for"].isin(only)].sort_values(KEYS).reset_index(drop=True) for f in (x, y))
    if len(x) != len(y):
        print(f"row counts differ: {len(x):,} vs {len(y):,}")
        return 1
    diffs = 0
    for col in sorted(set(x.columns) | set(y.columns)):
        if col not in x or col not in y:
            print(f"column {col} only in {'the first' if col in x else 'the second'}")
            diffs += 1
            continue
        bad = x[col].to_numpy() != y[col].to_numpy()
        if bad.any():
            diffs += 1
            i = int(np.flatnonzero(bad)[0])
            where = ", ".join(f"{k} {v:,}" for k, v in x.loc[bad, "generated_for"].value_counts().items())
            print(f"{col}: {int(bad.sum()):,} rows differ ({where}); first: {x['generated_for'].iloc[i]} item "
                  f"{x['item'].iloc[i]}: {x[col].iloc[i]!r} -> {y[col].iloc[i]!r}")
    print("identical" if not diffs else f"{diffs} column(s) differ")
    return 1 if diffs else 0


if __name__ == "__main__":
    if sys.argv[1] == "write":
        write(sys.argv[2], int(sys.argv[3]) if len(sys.argv) > 3 else 125_000)
    else:
        sys.exit(compare(sys.argv[2], sys.argv[3]))
