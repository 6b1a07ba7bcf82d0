"""The source registry, `fee_tables/sources.toml`, and the citations in a fee table's `source` strings.

The registry lists every source key of the researched reference (key -> title, URLs, Amazon help-page ids,
where the reference lists it) and each reference file's numbered sections.  It is generated from the
reference's markdown by `tools/build_sources.py`; do not edit it by hand.

A `source` string (also `exemption_source`, a notice's `source`, any field named `source` or `*_source`) is
prose that cites keys: "EU-34, EU-41 (uk-de.md 5.8); EU-10 (unit weight)".  The loader checks two things in it:

* every word shaped like a source key must be a key of the registry.  Key-shaped means an upper-case word
  with a hyphen (`A-DIM`, `CODE-26a`, `EU-34`, `AIS-email`, `C6-22`) or one to five capitals and two digits
  (`SL25`, `HZ24`, `MMC26`); the confidence grades `M-H`, `M-L`, `L-M` are not keys.  Keys of other shapes
  (`HF`, `WEBG`, site names such as `goamify`) resolve when cited, but a misspelling of them cannot be told
  from prose, so the loader cannot catch it;
* a reference to a reference file, `<file>.md` optionally followed by section numbers (`uk-de.md 5.1, 5.3,
  11`, `us-fba.md 4.4`), must name a file of the registry, and each section must be a numbered section of it.

`Quote.explain()` prints the raw strings; `source(key)` and `Registry.cited(text)` resolve keys for a client
that wants titles and links.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path

from marshmallow import RAISE, Schema, ValidationError, fields

from ..errors import TableError
from .schema import CONFIDENCES, flatten_errors

REGISTRY_NAME = "sources.toml"
KEY_SHAPED = re.compile(r"(?<![\w.-])(?:[A-Z][A-Z0-9]*(?:-[A-Za-z0-9]+)+|[A-Z]{1,5}[0-9]{2}[a-z]?)(?![\w-])")
SECTION = r"\d+(?:\.\d+)*[a-z]?(?!\w|\.\d)"
FILE_REFERENCE = re.compile(rf"(?<![\w.-])([\w-]+\.md)(?:\s+({SECTION}(?:\s*,\s*{SECTION})*))?")


class _Strict(Schema):
    class Meta:
        unknown = RAISE


class _FileSchema(_Strict):
    title = fields.String(required=True)
    sections = fields.List(fields.String(), required=True)


class _SourceSchema(_Strict):
    title = fields.String(required=True)
    urls = fields.List(fields.String(), load_default=list)
    help_pages = fields.List(fields.String(), load_default=list)
    listed_in = fields.List(fields.String(), required=True)


class _RegistrySchema(_Strict):
    files = fields.Dict(keys=fields.String(), values=fields.Nested(_FileSchema), required=True)
    sources = fields.Dict(keys=fields.String(), values=fields.Nested(_SourceSchema), required=True)


@dataclass(frozen=True)
class Source:
    """One source of the reference: what it is, where to find it, and where the reference lists it."""

    key: str
    title: str
    urls: tuple[str, ...]
    help_pages: tuple[str, ...]  # Amazon help-page ids, such as G53Z9EKF8VVZVH29
    listed_in: tuple[str, ...]  # "us-fba.md 15.1": the reference file and section that list the key


@dataclass(frozen=True, eq=False)
class Registry:
    """The keys a table may cite, and the reference files (with their numbered sections) it may refer to."""

    path: Path
    sources: Mapping[str, Source]
    files: Mapping[str, tuple[str, ...]]
    _problems: dict[str, list[str]] = field(default_factory=dict, repr=False)

    @cached_property
    def _known(self) -> re.Pattern:
        keys = sorted(self.sources, key=len, reverse=True)
        return re.compile(r"(?<![\w-])(?:" + "|".join(map(re.escape, keys)) + r")(?![\w-])")

    def cited(self, text: str) -> tuple[Source, ...]:
        """The registry's sources a source string cites, in order, each once."""
        keys = dict.fromkeys(m.group(0) for m in self._known.finditer(text))
        return tuple(self.sources[k] for k in keys)

    def problems(self, text: str) -> list[str]:
        """What in a source string does not resolve: unknown key-shaped words, files or sections."""
        if text not in self._problems:
            self._problems[text] = self._unresolved(text)
        return self._problems[text]

    def _unresolved(self, text: str) -> list[str]:
        out = [f"unknown source key {m.group(0)!r}: not in {self.path}" for m in KEY_SHAPED.finditer(text)
               if m.group(0) not in self.sources and m.group(0) not in CONFIDENCES]
        for m in FILE_REFERENCE.finditer(text):
            name, sections = m.group(1), re.split(r"\s*,\s*", m.group(2)) if m.group(2) else []
            if name not in self.files:
                out.append(f"unknown reference file {name!r}: not in {self.path}")
                continue
            out += [f"{name} has no section {s} (cited as {m.group(0)!r})" for s in sections
                    if s not in self.files[name]]
        return out


def load_registry(path: str | Path) -> Registry:
    """Read and check a registry file; a TableError names the file and the bad key.  Cached while the file's
    size and modification time stay the same."""
    path = Path(path).resolve()
    try:
        stat = path.stat()
    except OSError as exc:
        raise TableError(f"{path}: cannot read the source registry ({exc.strerror or exc})") from exc
    return _load_registry(str(path), stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=8)
def _load_registry(path: str, _mtime_ns: int, _size: int) -> Registry:
    try:
        raw = tomllib.loads(Path(path).read_text())
    except OSError as exc:
        raise TableError(f"{path}: cannot read the source registry ({exc.strerror or exc})") from exc
    except tomllib.TOMLDecodeError as exc:
        raise TableError(f"{path}: not valid TOML: {exc}") from exc
    try:
        data = _RegistrySchema().load(raw)
    except ValidationError as exc:
        raise TableError(f"{path}: " + "\n  ".join(["not a source registry", *flatten_errors(exc.messages)])) from exc
    sources = {key: Source(key, s["title"], tuple(s["urls"]), tuple(s["help_pages"]), tuple(s["listed_in"]))
               for key, s in data["sources"].items()}
    return Registry(Path(path), sources, {name: tuple(f["sections"]) for name, f in data["files"].items()})


def source_fields(value, path: str = "") -> Iterator[tuple[str, str]]:
    """Every field holding source keys (`source`, `*_source`) of loaded table data, as (key path, text)."""
    if isinstance(value, dict):
        for key, item in value.items():
            sub = f"{path}.{key}" if path else str(key)
            if (key == "source" or str(key).endswith("_source")) and isinstance(item, str):
                yield sub, item
            else:
                yield from source_fields(item, sub)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from source_fields(item, f"{path}[{i}]")


def check_sources(data: dict, registry: Registry) -> list[str]:
    """'key: problem' lines for every citation of `data` that the registry does not resolve."""
    return [f"{key}: {problem}" for key, text in source_fields(data) for problem in registry.problems(text)]
