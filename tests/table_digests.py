"""Digests of the loaded data of every bundled fee table, to prove a reorganisation of the table files
(for example moving repeated sections into `inherit`) leaves what the engine reads unchanged.

The digest is the sha256 of a canonical JSON of `TableInfo.data`: keys sorted, lists in order, and every
non-JSON value (Decimal, date) written as its repr, so 0.78 and "0.78" or 0.78 and 0.780 stay different.

    python tests/table_digests.py            # print each table's digest and whether it matches the file
    python tests/table_digests.py --write    # accept the current data: rewrite tests/table_digests.json
    python tests/table_digests.py --dump ID  # every leaf of one table as 'path = value', one a line,
                                             # to diff two revisions (run it in both, then diff)

Rewrite the digests only after checking, with --dump and diff, that the change of data is the one meant.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections.abc import Iterator
from pathlib import Path

HERE = Path(__file__).resolve().parent
DIGESTS = HERE / "table_digests.json"


def canonical(data: dict) -> bytes:
    """The table's data as canonical JSON bytes."""
    return json.dumps(data, sort_keys=True, default=repr, separators=(",", ":"), ensure_ascii=False).encode()


def digest(data: dict) -> str:
    return hashlib.sha256(canonical(data)).hexdigest()


def leaves(value, path: str = "") -> Iterator[str]:
    """Every leaf of nested data as 'path = repr(value)', in a stable order."""
    if isinstance(value, dict):
        for key in sorted(value):
            yield from leaves(value[key], f"{path}.{key}" if path else str(key))
    elif isinstance(value, list):
        if not value:
            yield f"{path} = []"
        for i, item in enumerate(value):
            yield from leaves(item, f"{path}[{i}]")
    else:
        yield f"{path} = {value!r}"


def current() -> dict[str, str]:
    """Each bundled table's id and the digest of its loaded data."""
    from feecalc.tables import TABLES_DIR, load_directory

    return {info.id: digest(info.data) for info in load_directory(TABLES_DIR)}


def recorded() -> dict[str, str]:
    return json.loads(DIGESTS.read_text())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--write", action="store_true", help="rewrite tests/table_digests.json")
    parser.add_argument("--dump", metavar="ID", help="print every leaf of one table's loaded data")
    args = parser.parse_args(argv)
    if args.dump:
        from feecalc.tables import TABLES_DIR, load_directory

        info = next((t for t in load_directory(TABLES_DIR) if t.id == args.dump), None)
        if info is None:
            print(f"no table {args.dump!r}", file=sys.stderr)
            return 2
        print("\n".join(leaves(info.data)))
        return 0
    now = current()
    if args.write:
        DIGESTS.write_text(json.dumps(now, indent=2) + "\n")
        print(f"wrote {len(now)} digests to {DIGESTS}")
        return 0
    old = recorded() if DIGESTS.exists() else {}
    for table_id, value in now.items():
        print(f"{table_id:<10} {value}  {'same' if old.get(table_id) == value else 'CHANGED'}")
    return 0 if old == now else 1


if __name__ == "__main__":
    sys.exit(main())
