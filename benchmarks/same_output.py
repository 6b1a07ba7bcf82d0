"""Check: `feecalc batch --full-warnings` writes byte for byte what a reference commit's `feecalc batch` writes.

The benchmark's generated CSV (benchmarks/batch.py, 1,000,000 rows by default) is costed by the reference commit
(exported with `git archive`, run with its own PYTHONPATH) and by this checkout with --full-warnings; the script
prints both files' sha256 and sizes, and the default output's size next to them, and exits 1 if the two differ.

    python benchmarks/same_output.py [--ref main] [--rows 1000000] [--keep DIR]
"""

from __future__ import annotations

import argparse
import hashlib
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from batch import make_csv  # noqa: E402
from engine import ON  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def costed(src: Path, dst: Path, root: Path, *options: str) -> None:
    """`feecalc batch SRC -o DST` with the feecalc of `root`."""
    env = {**os.environ, "PYTHONPATH": str(root)}
    subprocess.run([sys.executable, "-c", "import sys; from feecalc.cli import main; sys.exit(main(sys.argv[1:]))",
                    "batch", str(src), "-o", str(dst), "--on", ON, "--quiet", "--force", *options],
                   env=env, check=False, cwd=root)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--ref", default="main", help="the reference commit (default: main)")
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--keep", help="keep the files in this folder")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        tmp = Path(args.keep or scratch)
        tmp.mkdir(parents=True, exist_ok=True)
        src = tmp / "catalog.csv"
        make_csv(src, args.rows)
        ref = tmp / "ref"
        ref.mkdir(exist_ok=True)
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", args.ref], capture_output=True, check=True)
        subprocess.run(["tar", "-x", "-C", str(ref)], input=archive.stdout, check=True)
        costed(src, tmp / "ref.costed.csv", ref)
        costed(src, tmp / "full.costed.csv", ROOT, "--full-warnings")
        costed(src, tmp / "default.costed.csv", ROOT)
        mib = 2**20
        size_in = src.stat().st_size
        for name in ("ref", "full", "default"):
            path = tmp / f"{name}.costed.csv"
            print(f"{name:8} {sha256(path)}  {path.stat().st_size / mib:8.1f} MiB "
                  f"({path.stat().st_size / size_in:.2f}x the input's {size_in / mib:.1f} MiB)")
        same = sha256(tmp / "ref.costed.csv") == sha256(tmp / "full.costed.csv")
        print(f"--full-warnings output {'is byte-identical to' if same else 'DIFFERS from'} {args.ref}'s output")
        return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
