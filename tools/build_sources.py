"""Build fee_tables/sources.toml, the registry of source keys, from the researched reference's markdown.

Every reference file (`../shared/reference/*.md` beside the checkout) lists its sources in tables whose first
column is "Key" (us-fba.md §15, us-referral.md §7, uk-de.md §12, ...).  This script reads every such row of every
file and writes one entry per key: its title (the row's description, from the first file that lists it, in the
README's file order), the URLs and Amazon help-page ids the row gives, and where the reference lists it
("us-fba.md 15.1").  It also records each reference file's title and numbered sections, so a table may cite
"uk-de.md 5.8" and the loader can check that section exists.

    python tools/build_sources.py                  # rewrite fee_tables/sources.toml
    python tools/build_sources.py --check          # exit 1 if the committed registry is out of date
    python tools/build_sources.py --reference DIR  # read the reference from DIR

The registry is generated: change the reference, then rerun this script; do not edit sources.toml by hand.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = ROOT.parent / "shared" / "reference"
OUTPUT = ROOT / "fee_tables" / "sources.toml"
# the README's order of the files: a key listed in several files takes its title from the first
FILE_ORDER = ("README.md", "us-fba.md", "us-referral.md", "uk-de.md", "eu.md", "ca-jp-mx.md", "more-stores.md",
              "reports.md", "marketplaces.md", "channels.md")

HEADING = re.compile(r"^#{1,6}\s+(?:(\d+(?:\.\d+)*[a-z]?)\.?\s+)?(.*?)\s*$")
LINK = re.compile(r"\[([^\]]+)\]\([^)]*\)")
URL = re.compile(r"https?://[^\s|<>\"'`{}]+")
# a bare address such as sellercentral.amazon.com/help/hub/reference/GTG4BAWSY39Z98Z3 or forceget.com/e-guides/
BARE = re.compile(r"(?<![\w@/.:-])((?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+([a-z]{2,}))(?![\w-])(/[^\s,;|<>\"'`{}()]*)?")
DOMAINS = {"com", "net", "org", "io", "ai", "app", "me", "dev", "eu", "uk", "de", "fr", "it", "es", "nl", "be", "se",
           "pl", "ie", "in", "br", "sg", "ae", "sa", "tr", "jp", "ca", "mx", "au", "tw", "cn", "li", "agency",
           "world", "news", "academy", "land", "plus"}
HELP_PAGE = re.compile(r"(?:itemID[= ]|/reference/(?:external/)?|/help/external/|/gp/help/external/|\()"
                       r"([A-Z0-9]{9,16})(?=[\s)&?,;/|]|$)")


@dataclass
class Entry:
    """One source key as the registry records it."""

    key: str
    title: str
    urls: list[str] = field(default_factory=list)
    help_pages: list[str] = field(default_factory=list)
    listed_in: list[str] = field(default_factory=list)


def clean(text: str) -> str:
    """Markdown cell text as plain text: links as their text, no bold markers."""
    return LINK.sub(r"\1", text).replace("**", "").strip()


def urls_in(text: str) -> list[str]:
    """The addresses a cell gives, each as an https URL, in order, once."""
    found = [u.rstrip(".,;:)") for u in URL.findall(text)]
    rest = URL.sub(" ", text)
    for m in BARE.finditer(rest):
        host, tld, path = m.group(1), m.group(2), m.group(3) or ""
        if tld in DOMAINS and (path or host.count(".") >= 1):
            found.append("https://" + (host + path).rstrip(".,;:)"))
    return list(dict.fromkeys(u for u in found if "…" not in u))  # an address the reference cut short is no URL


def help_pages_in(text: str) -> list[str]:
    """Amazon help-page ids named in a cell (G53Z9EKF8VVZVH29, 200336920, ...)."""
    return list(dict.fromkeys(m.group(1) for m in HELP_PAGE.finditer(text)
                              if any(c.isdigit() for c in m.group(1)) and not m.group(1).isalpha()))


def cells(line: str) -> list[str]:
    return [c.strip() for c in line.strip().strip("|").split("|")]


def read_file(path: Path) -> tuple[str, list[str], list[tuple[list[str], str, str, str]]]:
    """A reference file's title, numbered sections, and source rows (keys, description, where, section)."""
    title, sections, rows = "", [], []
    section, in_keys = "", False
    for line in path.read_text().splitlines():
        heading = HEADING.match(line) if line.startswith("#") else None
        if heading:
            if line.startswith("# ") and not title:
                title = heading.group(2)
            if heading.group(1):
                section = heading.group(1)
                sections.append(section)
            in_keys = False
            continue
        if not line.startswith("|"):
            in_keys = False
            continue
        row = cells(line)
        if row[0] == "Key":
            in_keys = True
            continue
        if not in_keys or set("".join(row)) <= set("-: "):
            continue
        keys = [k.strip() for k in row[0].split(",") if k.strip()]
        rows.append((keys, row[1] if len(row) > 1 else "", row[2] if len(row) > 2 else "", section))
    return title, sections, rows


def natural(key: str) -> list:
    """Sort EU-2 before EU-10."""
    return [int(part) if part.isdigit() else part.lower() for part in re.split(r"(\d+)", key)]


def build(reference: Path) -> tuple[dict[str, dict], dict[str, Entry]]:
    """The registry's files (title, sections) and entries (by key) from every markdown file of `reference`."""
    names = sorted((p.name for p in reference.glob("*.md")),
                   key=lambda n: (FILE_ORDER.index(n) if n in FILE_ORDER else len(FILE_ORDER), n))
    files, entries = {}, {}
    for name in names:
        title, sections, rows = read_file(reference / name)
        files[name] = {"title": title, "sections": sections}
        for keys, description, where, section in rows:
            text = f"{description} | {where}"
            for key in keys:
                entry = entries.setdefault(key, Entry(key, clean(description)))
                entry.urls = list(dict.fromkeys(entry.urls + urls_in(text)))
                entry.help_pages = list(dict.fromkeys(entry.help_pages + help_pages_in(text)))
                entry.listed_in = list(dict.fromkeys([*entry.listed_in, f"{name} {section}".strip()]))
    return files, dict(sorted(entries.items(), key=lambda kv: natural(kv[0])))


def toml_str(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a valid TOML basic string


def toml_list(items: list[str]) -> str:
    return "[" + ", ".join(toml_str(i) for i in items) + "]"


def render(files: dict[str, dict], entries: dict[str, Entry], reference: Path) -> str:
    out = [
        "# The registry of source keys: every key of every source table of the researched reference",
        f"# ({os.path.relpath(reference, ROOT)}/*.md), and each reference file's numbered sections.  Generated by",
        "# tools/build_sources.py: change the reference, then rerun the script; do not edit by hand.",
        "# A fee table's `source` may cite only the keys and the `<file>.md <section>` references listed here.",
        "",
    ]
    for name, info in files.items():
        out += [f"[files.{toml_str(name)}]", f"title = {toml_str(info['title'])}",
                f"sections = {toml_list(info['sections'])}", ""]
    for e in entries.values():
        out += [f"[sources.{toml_str(e.key)}]", f"title = {toml_str(e.title)}"]
        if e.urls:
            out.append(f"urls = {toml_list(e.urls)}")
        if e.help_pages:
            out.append(f"help_pages = {toml_list(e.help_pages)}")
        out += [f"listed_in = {toml_list(e.listed_in)}", ""]
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reference", type=Path, default=REFERENCE, help="the reference folder")
    parser.add_argument("--output", type=Path, default=OUTPUT, help="the registry to write")
    parser.add_argument("--check", action="store_true", help="only compare with the committed registry")
    args = parser.parse_args(argv)
    if not args.reference.is_dir():
        print(f"{args.reference}: no such reference folder", file=sys.stderr)
        return 2
    files, entries = build(args.reference)
    text = render(files, entries, args.reference)
    if args.check:
        same = args.output.exists() and args.output.read_text() == text
        print(f"{args.output}: {'up to date' if same else 'out of date; rerun tools/build_sources.py'}")
        return 0 if same else 1
    args.output.write_text(text)
    print(f"wrote {len(entries)} source keys from {len(files)} reference files to {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
