"""Benchmark: `feecalc batch` on a generated CSV next to plain pyarrow read + write of the same file.

Each run is a subprocess, so wall time and peak memory (max RSS) are its own.  Targets (issue 17):
batch <= 5x the pure read+write time of the same 1,000,000-row file, its default output <= 2x the input's bytes
(with --full-warnings, as before, for the record); a 10,000,000-row run (--ten-million) under 600 MB.  Also
times XLSX in and out at 100,000 rows (the input workbook kept, feecalc.workbook),
and with --openpyxl what openpyxl takes to load and save that workbook with 20 more columns (the alternative
issue 12 weighed: it also drops the formulas' cached values).

    python benchmarks/batch.py [--rows 1000000] [--runs 3] [--ten-million] [--openpyxl] [--no-xlsx]
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv

sys.path.insert(0, str(Path(__file__).parent))
from engine import ON, synthetic  # noqa: E402

PURE = ("import pyarrow.csv as c; "
        "types = {n: 'string' for n in sys.argv[3:]}; "
        "t = c.read_csv(sys.argv[1], convert_options=c.ConvertOptions(column_types=types)); "
        "c.write_csv(t, sys.argv[2])")


# The same, writing the costed output's cells (as text) instead of the input's: the I/O that the costed
# file needs, with no costing.  Loading that table first is not counted (the child reports its time).
OUTPUT_IO = ("import time, pyarrow.csv as c; "
             "strings = lambda p: c.ConvertOptions(column_types={n: 'string' for n in "
             "open(p, encoding='utf-8').readline().strip().replace('\"', '').split(',')}); "
             "t0 = time.perf_counter(); out = c.read_csv(sys.argv[2], convert_options=strings(sys.argv[2])); "
             "sys.stderr.write(f'EXCLUDE {time.perf_counter() - t0}\\n'); "
             "c.read_csv(sys.argv[1], convert_options=strings(sys.argv[1])); c.write_csv(out, sys.argv[3])")


OPENPYXL = ("import openpyxl; book = openpyxl.load_workbook(sys.argv[1]); sheet = book.active; "
            "[sheet.cell(r, 10 + j, 1.5) for r in range(1, sheet.max_row + 1) for j in range(20)]; "
            "book.save(sys.argv[2])")


def make_csv(path: Path, rows: int, chunk: int = 1_000_000) -> list[str]:
    """Write `rows` synthetic catalog rows as CSV text, in chunks; returns the column names."""
    writer = None
    for start in range(0, rows, chunk):
        df = synthetic(min(chunk, rows - start), seed=start + 1)
        df["sku"] = (df["sku"] + start).map("SKU{:08d}".format)
        df["category"] = df["category"].astype(str)
        table = pa.Table.from_pandas(df.astype(str), preserve_index=False)
        if writer is None:
            writer = pacsv.CSVWriter(path, table.schema)
        writer.write_table(table)
    writer.close()
    return table.column_names


# The child reports its own peak RSS (VmHWM, in kB) at exit; ru_maxrss would include the parent's,
# since Linux keeps it across fork and exec.
REPORT = ("import atexit, sys; atexit.register(lambda: sys.stderr.write('MAXRSS ' + [l.split()[1] for l in "
          "open('/proc/self/status') if l.startswith('VmHWM')][0] + '\\n')); ")


CPU: list[float] = []  # the CPU time (user + system) of each child, in order: steadier than wall time on a busy machine
ROOT: dict[str, str] = {}  # PYTHONPATH and folder of the feecalc runs (--root: another checkout, such as main's;
# run from its folder, since an editable install of this checkout would otherwise win over PYTHONPATH)


def timed(code: str, *argv: str, env: dict[str, str] | None = None) -> tuple[float, float]:
    """(seconds, peak RSS in MiB) of `python -c code argv...`, the child reporting its own peak (and any
    time it asks not to count, as EXCLUDE seconds); its CPU time goes to CPU."""
    t0 = time.perf_counter()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    proc = subprocess.run([sys.executable, "-c", REPORT + code, *argv], capture_output=True, text=True,
                          env={**os.environ, **env} if env else None, cwd=env.get("PYTHONPATH") if env else None)
    seconds = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    CPU.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{code} failed:\n{proc.stderr}")
    lines = proc.stderr.splitlines()
    peak = [line for line in lines if line.startswith("MAXRSS ")][-1]
    seconds -= sum(float(line.split()[1]) for line in lines if line.startswith("EXCLUDE "))
    return seconds, int(peak.split()[1]) / 1024


def run_feecalc(src: Path, dst: Path, *options: str) -> tuple[float, float]:
    """`feecalc batch SRC -o DST` in a fresh interpreter (imports and table loading included)."""
    return timed("import sys; from feecalc.cli import main; sys.exit(main(sys.argv[1:]))",
                 "batch", str(src), "-o", str(dst), "--on", ON, "--quiet", "--force", *options, env=ROOT)


def span(values: list[float], fmt: str = "{:.2f}") -> str:
    """'1.23' for one run, '1.23 to 1.45' for several."""
    low, high = min(values), max(values)
    return fmt.format(low) if len(values) == 1 or fmt.format(low) == fmt.format(high) else \
        f"{fmt.format(low)} to {fmt.format(high)}"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--runs", type=int, default=1, help="alternating runs of each measurement (ranges printed)")
    ap.add_argument("--ten-million", action="store_true")
    ap.add_argument("--openpyxl", action="store_true", help="also time openpyxl on the XLSX workbook")
    ap.add_argument("--no-xlsx", action="store_true", help="leave out the XLSX run")
    ap.add_argument("--no-full-warnings", action="store_true", help="leave out the --full-warnings runs")
    ap.add_argument("--root", help="run the feecalc of this checkout (PYTHONPATH), such as an export of main")
    args = ap.parse_args()
    if args.root:
        ROOT["PYTHONPATH"] = str(Path(args.root).resolve())
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        src = tmp / "catalog.csv"
        names = make_csv(src, args.rows)
        size = src.stat().st_size
        pure, batch, full, ratios, full_ratios = [], [], [], [], []
        pure_cpu, batch_cpu, full_cpu = [], [], []
        for _ in range(args.runs):  # alternating, so that a busy moment weighs on every figure alike
            pure.append(timed(PURE, str(src), str(tmp / "copy.csv"), *names))
            pure_cpu.append(CPU[-1])
            batch.append(run_feecalc(src, tmp / "costed.csv"))
            batch_cpu.append(CPU[-1])
            ratios.append(batch[-1][0] / pure[-1][0])
            if not args.no_full_warnings:
                full.append(run_feecalc(src, tmp / "full.costed.csv", "--full-warnings"))
                full_cpu.append(CPU[-1])
                full_ratios.append(full[-1][0] / pure[-1][0])
        out_rows = sum(1 for _ in open(tmp / "costed.csv", "rb")) - 1
        out_size = (tmp / "costed.csv").stat().st_size
        legend = tmp / "costed.notes.csv"
        legend_size = legend.stat().st_size if legend.exists() else 0
        full_size = (tmp / "full.costed.csv").stat().st_size if full else 0
        io_s, _ = timed(OUTPUT_IO, str(src), str(tmp / "costed.csv"), str(tmp / "copy2.csv"))
        mib = 2**20
        print(f"CSV, {args.rows:,} rows, {args.runs} alternating run(s) ({size / mib:,.1f} MiB in):")
        print(f"  pyarrow read + write:  {span([s for s, _ in pure])} s (CPU {span(pure_cpu)} s), "
              f"peak {span([m for _, m in pure], '{:,.0f}')} MiB")
        print(f"  feecalc batch:         {span([s for s, _ in batch])} s (CPU {span(batch_cpu)} s), "
              f"peak {span([m for _, m in batch], '{:,.0f}')} MiB, {out_rows:,} rows out")
        print(f"  ratio batch / pure:    {span(ratios)}x (target <= 5x); CPU time "
              f"{span([b / p for b, p in zip(batch_cpu, pure_cpu, strict=True)])}x")
        print(f"  output: {out_size / mib:,.1f} MiB, {out_size / size:.2f}x the input (target <= 2x), and its legend "
              f"{legend_size / 1024:,.1f} KiB")
        if full:
            print(f"  feecalc batch --full-warnings: {span([s for s, _ in full])} s (CPU {span(full_cpu)} s; "
                  f"{span(full_ratios)}x the pure read + write), peak {span([m for _, m in full], '{:,.0f}')} MiB; "
                  f"output {full_size / mib:,.1f} MiB, {full_size / size:.2f}x the input")
        print(f"  pyarrow read + write of the costed output's cells, no costing: {io_s:.2f} s "
              f"({io_s / pure[-1][0]:.2f}x the last read + write)")

        if not args.no_xlsx:
            xlsx_rows = 100_000
            df = pd.read_csv(src, nrows=xlsx_rows, dtype=str)
            xin = tmp / "catalog.xlsx"
            df.assign(**{c: pd.to_numeric(df[c]) for c in ("price", "length", "width", "height", "weight")}).to_excel(
                xin, index=False, engine="xlsxwriter")
            xs, xmb = run_feecalc(xin, tmp / "costed.xlsx")
            print(f"XLSX in and out, {xlsx_rows:,} rows: {xs:.2f} s, {xlsx_rows / xs:,.0f} rows/s, peak {xmb:,.0f} MiB")
            if args.openpyxl:
                os_, omb = timed(OPENPYXL, str(xin), str(tmp / "openpyxl.xlsx"))
                print(f"  openpyxl load, 20 columns set, save of the same workbook: {os_:.2f} s, peak {omb:,.0f} MiB")

        if args.ten_million:
            big = tmp / "big.csv"
            make_csv(big, 10_000_000)
            src.unlink()
            for path in tmp.glob("*costed*"):
                path.unlink()
            big_s, big_mb = run_feecalc(big, tmp / "big.costed.csv")
            print(f"CSV, 10,000,000 rows streamed: {big_s:.1f} s, {10_000_000 / big_s:,.0f} rows/s, "
                  f"peak {big_mb:,.0f} MiB (target < 600 MB)")


if __name__ == "__main__":
    main()
