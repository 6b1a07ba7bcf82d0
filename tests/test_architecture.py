"""The code's shape: one-way layers without cycles (import-linter's contracts in .importlinter), and the engine
composing exactly the fee lines the tables speak of."""

import subprocess
import sys
from pathlib import Path

import numpy as np

import feecalc
from feecalc.engine import Result, compiled_table, evaluate
from feecalc.inputs import as_date, prepare
from feecalc.tables.schema import FEE_LINES

ROOT = Path(__file__).resolve().parent.parent


def test_import_contracts_hold():
    """Layers point one way (tables -> fees -> engine -> ... -> cli), fee modules are independent, and the library
    imports nothing from the web app; a cycle between layers breaks the layers contract."""
    lint = Path(sys.executable).with_name("lint-imports")
    run = subprocess.run([str(lint), "--config", str(ROOT / ".importlinter")], cwd=ROOT, capture_output=True,
                         text=True)
    assert run.returncode == 0, run.stdout[-3000:]
    assert "0 broken" in run.stdout


def test_engine_result_has_every_fee_line_in_order():
    groups, _ = prepare({"price": "24.99", "length": 10, "width": 6, "height": 3, "weight": 1.2,
                         "category": "home_and_kitchen"}, 1, as_date("2026-05-01"), "US")
    result = evaluate(groups[0].table, groups[0].items)
    assert isinstance(result, Result)
    assert tuple(result.lines) == FEE_LINES
    assert all(len(line.cents) == 1 and line.cents.dtype == np.int64 for line in result.lines.values())


def test_every_bundled_table_compiles():
    for info in feecalc.all_tables():
        table = compiled_table(info)
        assert table.id == info.id and len(table.frame.periods) >= 1
