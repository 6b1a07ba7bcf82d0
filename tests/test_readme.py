"""The README's and the guides' examples run as written (issue 12, point 7): every ```console block (`$ feecalc ...`
commands, each followed by what it prints) and every ```pycon block (a Python session), in the order of DOCUMENTS,
in a copy of `examples/`, print what the document shows.  In the shown output, `...` stands for any text (a
table's hash, which any edit of the tables changes), and a line that is only `...` for any number of lines.  ```sh
and ```python blocks are setup and illustration (installing, serving, Dask), not run."""

from __future__ import annotations

import doctest
import os
import re
import shlex
import shutil
import subprocess
import sys
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# in the order they are read: the pycon blocks are one Python session, and read the files the console blocks wrote
DOCUMENTS = ("README.md", "docs/page.md", "docs/http.md", "docs/spreadsheets.md", "docs/channels.md",
             "docs/audit.md", "docs/library.md", "docs/stores.md", "docs/fee-tables.md")
BLOCK = re.compile(r"^```(console|pycon)\n(.*?)^```\n", re.S | re.M)


def blocks(text: str) -> list[tuple[int, str, str]]:
    """(line number, kind, body) of each runnable block, in order."""
    return [(text[:m.start()].count("\n") + 1, m.group(1), m.group(2)) for m in BLOCK.finditer(text)]


def commands(body: str) -> list[tuple[str, list[str]]]:
    """(command, the lines it shows) of a console block."""
    out: list[tuple[str, list[str]]] = []
    for line in body.splitlines():
        if line.startswith("$ "):
            out.append((line[2:], []))
        else:
            out[-1][1].append(line)
    return out


def matches(expected: list[str], actual: list[str]) -> bool:
    """Whether `actual` is what `expected` shows, `...` standing for any text (a line of its own: any lines)."""
    def line(e: str, a: str) -> bool:
        return re.fullmatch(".*".join(map(re.escape, e.split("..."))), a) is not None

    @cache
    def match(i: int, j: int) -> bool:
        if i == len(expected):
            return j == len(actual)
        if expected[i] == "...":
            return any(match(i + 1, k) for k in range(j, len(actual) + 1))
        return j < len(actual) and line(expected[i], actual[j]) and match(i + 1, j + 1)

    return match(0, 0)


def run(command: str, cwd: Path) -> list[str]:
    args = shlex.split(command)
    assert args[0] == "feecalc", f"only feecalc commands are run: {command}"
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "COLUMNS": "200"}
    proc = subprocess.run([sys.executable, "-m", "feecalc", *args[1:]], cwd=cwd, env=env, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True, timeout=300)
    assert proc.returncode in (0, 1), f"{command} exited {proc.returncode}:\n{proc.stdout}"
    return proc.stdout.splitlines()


def test_the_readmes_examples_print_what_it_shows(tmp_path):
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    found = [(doc, line, kind, body) for doc in DOCUMENTS
             for line, kind, body in blocks((ROOT / doc).read_text(encoding="utf-8"))]
    assert {kind for _, _, kind, _ in found} == {"console", "pycon"} and len(found) >= 8
    assert {p.relative_to(ROOT).as_posix() for p in (ROOT / "docs").glob("*.md")} <= set(DOCUMENTS)
    session: dict = {}
    problems = []
    cwd = os.getcwd()
    os.chdir(tmp_path)  # the pycon blocks read the files the console blocks wrote
    try:
        for doc, line, kind, body in found:
            if kind == "console":
                for command, shown in commands(body):
                    got = run(command, tmp_path)
                    if not matches(shown, got):
                        problems.append(f"{doc} line {line}: $ {command}\n--- shows\n" + "\n".join(shown) +
                                        "\n--- prints\n" + "\n".join(got))
                continue
            test = doctest.DocTestParser().get_doctest(body, session, f"{doc} line {line}", doc, line)
            report: list[str] = []
            runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
            runner.run(test, out=report.append, clear_globs=False)
            session.update(test.globs)  # one Python session across the blocks, as a reader would type them
            if runner.failures:
                problems.append("".join(report))
    finally:
        os.chdir(cwd)
    assert not problems, "\n\n".join(problems)
