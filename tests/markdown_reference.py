"""The researched reference the cross-check tests read: ../shared/reference beside the checkout, else the
copy kept in tests/reference (see its README), and the rows of its markdown tables."""

from pathlib import Path

HERE = Path(__file__).resolve().parent


def reference_path(name: str) -> Path:
    shared = HERE.parent.parent / "shared" / "reference" / name
    return shared if shared.exists() else HERE / "reference" / name


def table_rows(path: Path, heading: str) -> list[list[str]]:
    """The data rows of the first markdown table after a line starting with `heading` (no header row)."""
    lines = path.read_text().splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(heading))
    rows, seen = [], False
    for line in lines[start + 1:]:
        if line.startswith("|"):
            seen = True
            cells = [c.strip() for c in line.strip("|").split("|")]
            if not set("".join(cells)) <= set("-: "):
                rows.append(cells)
        elif seen:
            break
    return rows[1:]
