"""Faithful output: every input cell comes back as it was, in its own type, in every format (issue 12, point 3)."""

import datetime as dt
from decimal import Decimal

import pyarrow as pa
import pyarrow.parquet as pq

from feecalc.cli import main

ON = "2026-05-01"


def test_parquet_columns_keep_their_types_decimal128_included(tmp_path):
    # before: a decimal128 price column came back as strings ('24.99'), an int32 as int64, a dictionary as text
    table = pa.table({
        "sku": ["A", "B"], "price": pa.array([Decimal("24.99"), Decimal("9.99")], pa.decimal128(10, 2)),
        "length": pa.array([10, 5], pa.int32()), "width": [6.0, 4.0], "height": [3.0, 1.0], "weight": [1.2, 0.3],
        "category": pa.array(["home_and_kitchen", "toys_and_games"]).dictionary_encode(),
        "listed": pa.array([dt.datetime(2026, 1, 5), None], pa.timestamp("ms")), "active": [True, False]})
    pq.write_table(table.replace_schema_metadata({"source": "data team"}), tmp_path / "d.parquet")
    assert main(["batch", str(tmp_path / "d.parquet"), "--on", ON, "--quiet"]) == 0
    out = pq.read_table(tmp_path / "d.costed.parquet")
    assert out.schema.metadata[b"source"] == b"data team"
    assert out.select(table.column_names).equals(table)  # every input column, its type and its values
    assert out.schema.field("total").type == pa.decimal128(18, 2)
    assert out.column("total").to_pylist() == [Decimal("9.36"), Decimal("4.74")]
