"""Fee-table files edited for a test, and the load error they give (imported by the loader tests)."""

from pathlib import Path

import pytest

from feecalc import TableError
from feecalc.tables import TABLES_DIR, load_table

US_2026 = TABLES_DIR / "us" / "us-2026.toml"


def edited(tmp_path: Path, old: str, new: str, src: Path = US_2026, name: str | None = None) -> Path:
    """A copy of `src` in tmp_path (named `name`, default the source's name) with `old` replaced once by `new`."""
    text = src.read_text()
    assert old in text, old
    path = tmp_path / (name or src.name)
    path.write_text(text.replace(old, new, 1))
    return path


def load_error(path: Path) -> str:
    """The TableError message of loading `path` (the test fails if it loads)."""
    with pytest.raises(TableError) as info:
        load_table(path)
    return str(info.value)
