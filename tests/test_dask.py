"""cost_frame is a pure DataFrame -> DataFrame function, so it runs per partition under Dask."""

import pandas as pd
import pytest

import feecalc

dd = pytest.importorskip("dask.dataframe")


def test_dask_map_partitions_matches_pandas():
    df = pd.DataFrame({"sku": [f"S{i}" for i in range(9)], "price": ["24.99", "9.99", "60"] * 3,
                       "length": [10, 5, 40] * 3, "width": [6, 4, 30] * 3, "height": [3, 0.5, 20] * 3,
                       "weight": [1.2, 0.3, 30] * 3,
                       "category": ["home_and_kitchen", "toys_and_games", "furniture"] * 3})
    expected = feecalc.cost_frame(df, on="2026-05-01")
    ddf = dd.from_pandas(df, npartitions=3)
    meta = feecalc.cost_frame(df.head(0), on="2026-05-01")
    got = ddf.map_partitions(feecalc.cost_frame, on="2026-05-01", meta=meta).compute()
    assert len(got) == 9 and list(got["sku"]) == list(df["sku"])
    for column in ("referral", "fulfillment", "fuel_surcharge", "total"):
        assert got[column].tolist() == expected[column].tolist()
    assert got["size_tier"].astype(str).tolist() == expected["size_tier"].astype(str).tolist()
