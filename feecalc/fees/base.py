"""What every fee module builds on: the compiled frame of one table (periods, units, categories, and the register
of figures and messages) and the typed result of one fee line.

A fee module compiles its section(s) of a table against a `Frame` into flat numpy lookups, and evaluates them
for arrays of items into a `Line`: an amount in minor units per row, the id of the reason where the figure is
unavailable (-1: available) and the id of the figure behind the amount (-1: none), which points back to the
figure's table key, source and confidence.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, TypeVar

import numpy as np

from ..money import minor_to_decimal, to_minor
from ..tables import TableInfo, category_key
from ..tables.schema import LOW_CONFIDENCE, PROGRAM_NAMES, STOCK_ELSEWHERE
from ..units import fraction_to_float, quantity_in

BIG = np.int64(2**62)  # an open upper limit in cents or an unused slot
EPOCH = dt.date(1970, 1, 1)
ONE_DAY = dt.timedelta(days=1)
PROGRAMS = PROGRAM_NAMES
STORED_ELSEWHERE = np.array([p in STOCK_ELSEWHERE for p in PROGRAMS])
# Derived lengths and weights are snapped to 1e-9 of the table unit so that binary rounding
# (13.9 * 10 * 1 in = 139.00000000000003 in3) cannot push a value across a band edge.
SNAP = 9

Section = dict[str, Any]  # a validated table section, as the schema loads it
WarningSource = tuple[np.ndarray, np.ndarray]  # per row a class id, and per class the message ids (-1: none)


def day_number(day: dt.date) -> int:
    """Days since 1970-01-01: the engine's date."""
    return (day - EPOCH).days


def snap(x: np.ndarray) -> np.ndarray:
    """Round to SNAP decimals (what np.round does, without its per-call overhead)."""
    return np.rint(x * 10.0**SNAP) / 10.0**SNAP


@dataclass(frozen=True)
class FigureRef:
    """Where a figure came from: table key, source, confidence, method and note."""

    key: str
    source: str
    confidence: str
    method: str | None = None
    note: str | None = None
    warning: str | None = None  # the table's own statement about the figure, shown wherever it prices a line

    @property
    def low(self) -> bool:
        return self.confidence in LOW_CONFIDENCE

    def cite(self) -> str:
        text = f"{self.source}; confidence {self.confidence}"
        if self.method:
            text += f"; method: {self.method}"
        return text


@dataclass
class Register:
    """The figures and message texts of one compiled table, each by id: a figure id points back to its key,
    source and confidence; a message id to a reason (why a fee is unavailable) or a warning."""

    figures: list[FigureRef] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)
    _message_ids: dict[str, int] = field(default_factory=dict)
    _figure_warnings: list[int] = field(default_factory=list)
    _sources: dict[int, str] = field(default_factory=dict)  # a warning's source key, where it has one
    _own: set[int] = field(default_factory=set)  # warnings about a row's own input, not a table's or a figure's
    _frozen: np.ndarray | None = None  # the figure warnings as an array, once every figure is registered

    def message(self, text: str) -> int:
        """Intern a reason or warning text and return its id."""
        if text not in self._message_ids:
            self._message_ids[text] = len(self.messages)
            self.messages.append(text)
        return self._message_ids[text]

    def figure(self, key: str, fig: Section | None, *parents: Section | None) -> int:
        """Register a figure (source, confidence and method inherited from the first parent that has them; the
        note is the figure's own; a `warning` comes from the figure or the first parent that has one) and return its
        id.  A DERIVED or low-confidence figure gets its warning, and a figure with a `warning` that statement."""
        chain = [fig or {}, *[p or {} for p in parents]]

        def pick(name: str) -> Any:
            return next((c.get(name) for c in chain if c.get(name)), None)

        ref = FigureRef(key, pick("source"), pick("confidence"), pick("method"), (fig or {}).get("note"),
                        pick("warning"))
        self.figures.append(ref)
        self._figure_warnings.append(self.message(_figure_warning_text(ref)) if ref.low or ref.warning else -1)
        if self._figure_warnings[-1] >= 0 and ref.source:
            self._sources.setdefault(self._figure_warnings[-1], ref.source)
        return len(self.figures) - 1

    def sourced(self, message_id: int, source: str | None) -> int:
        """Record the source key of a warning (a table notice's), for the notes that state it once per file."""
        if source:
            self._sources.setdefault(message_id, source)
        return message_id

    def about_the_row(self, message_id: int) -> int:
        """Mark a warning as about the row's own input (an input not given and inferred): said in full on its row,
        where a table's or a figure's notice is stated once per file."""
        self._own.add(message_id)
        return message_id

    def is_about_the_row(self, message_id: int) -> bool:
        return message_id in self._own

    def source_of(self, message_id: int) -> str | None:
        """The source key of a warning: its figure's, or the notice's own; None where the text alone cites it."""
        return self._sources.get(message_id)

    def warnings_of(self, figure_ids: np.ndarray | Sequence[int]) -> np.ndarray:
        """The warning message id of each figure id (-1 for none, and for figure id -1)."""
        table = self._frozen if self._frozen is not None else np.array([*self._figure_warnings, -1], dtype=np.int32)
        return table[np.asarray(figure_ids, dtype=np.intp)]

    def freeze(self) -> None:
        """No more figures: keep their warnings as an array (quotes look them up per call)."""
        self._frozen = np.array([*self._figure_warnings, -1], dtype=np.int32)

    def cite(self, figure_id: int) -> str:
        """'[source; confidence X]' for a figure id, '' for -1."""
        return f"[{self.figures[figure_id].cite()}]" if figure_id >= 0 else ""


def _figure_warning_text(ref: FigureRef) -> str:
    """A low-confidence or DERIVED figure's warning, and the table's own statement about it (either, or both)."""
    if not ref.low:
        return str(ref.warning)
    kind = "DERIVED" if ref.confidence == "DERIVED" else f"low confidence ({ref.confidence})"
    note = f"; note: {ref.note}" if ref.note else ""
    stated = f"; {ref.warning}" if ref.warning else ""
    return f"{ref.key} is {kind}: {ref.cite()}{note}{stated}"


@dataclass(frozen=True)
class Periods:
    """The table's dates cut at every date where any dated section starts or ends: within a period every
    section has one version, so each fee's lookups are indexed by period."""

    start: dt.date
    end: dt.date
    starts: list[dt.date]
    ends: list[dt.date]
    bounds: np.ndarray   # int64 day number of each period's first day
    peak: np.ndarray     # bool per period: inside a peak window
    oct_dec: np.ndarray  # intp per day of the table (from `start`): 1 in October to December

    def __len__(self) -> int:
        return len(self.starts)

    def active(self, item: Section, p: int) -> bool:
        """Is a dated item in force for the whole of period p?"""
        lo, hi = item.get("start") or self.start, item.get("end") or self.end
        return bool(lo <= self.starts[p] and self.ends[p] <= hi)

    def first_active(self, versions: Sequence[Section]) -> np.ndarray:
        """Per period, the index of the first version in force (dated versions cover the table: checked at load)."""
        return np.array([next(i for i, v in enumerate(versions) if self.active(v, p)) for p in range(len(self))],
                        dtype=np.intp)

    def of(self, days: np.ndarray) -> np.ndarray:
        """The period of each day number."""
        return np.searchsorted(self.bounds, days, side="right") - 1


def compile_periods(data: Section, start: dt.date, end: dt.date) -> Periods:
    """Cut the table's dates at every `from` and day after a `to` of any dated item in any section."""
    cuts = {start, end + ONE_DAY}
    for value in data.values():
        for item in value if isinstance(value, list) else ():
            if isinstance(item, dict):
                cuts |= {item[k] + ONE_DAY * (k == "end") for k in ("start", "end") if item.get(k)}
    starts = sorted(d for d in cuts if start <= d <= end)
    ends = [d - ONE_DAY for d in starts[1:]] + [end]
    windows = data["peak_windows"]
    days = np.arange(day_number(start), day_number(end) + 1).astype("datetime64[D]")
    return Periods(
        start=start, end=end, starts=starts, ends=ends,
        bounds=np.array([day_number(d) for d in starts], dtype=np.int64),
        peak=np.array([any(w["start"] <= s <= w["end"] for w in windows) for s in starts]),
        oct_dec=(days.astype("datetime64[M]").astype(np.int64) % 12 >= 9).astype(np.intp),
    )


@dataclass(frozen=True)
class Units:
    """The table's length and weight units; quantities in the table ("4 oz") are converted into them exactly."""

    length: str
    weight: str

    def length_of(self, text: str | None, default: float = np.inf) -> float:
        return default if text is None else fraction_to_float(quantity_in(text, self.length))

    def weight_of(self, text: str | None, default: float = np.inf) -> float:
        return default if text is None else fraction_to_float(quantity_in(text, self.weight))


@dataclass(frozen=True)
class Categories:
    """The referral categories of a table (its referral sections' names, in order of first appearance), and
    every accepted spelling (names and aliases, keyed by `category_key`) mapped to a category index.  Index
    `len(keys)` is the extra row of per-category arrays that no input reaches."""

    keys: list[str]
    names: list[str]
    lookup: dict[str, int]

    def __len__(self) -> int:
        return len(self.keys)

    def index(self, name: str, where: str) -> int:
        """The index of a category named in a table section; an unknown name is a table error naming `where`."""
        i = self.lookup.get(category_key(name))
        if i is None:
            raise ValueError(f"{where}: unknown category {name!r}")
        return i

    def indices(self, names: Iterable[str], where: str) -> list[int]:
        return [self.index(n, where) for n in names]


def compile_categories(referral: list[Section]) -> Categories:
    keys: dict[str, int] = {}
    names: list[str] = []
    for cat in referral:
        k = category_key(cat["name"])
        if k not in keys:
            keys[k] = len(names)
            names.append(cat["name"])
    lookup = dict(keys)
    for cat in referral:
        for alias in cat["aliases"]:
            lookup.setdefault(category_key(alias), keys[category_key(cat["name"])])
    return Categories(list(keys), names, lookup)


@dataclass(frozen=True)
class Frame:
    """What every fee of one table compiles against: the table, its units, periods and categories, and the
    register its figures and messages go into."""

    info: TableInfo
    units: Units
    periods: Periods
    categories: Categories
    register: Register

    @property
    def id(self) -> str:
        return self.info.id

    @property
    def currency(self) -> str:
        return str(self.info.data["currency"])

    def message(self, text: str) -> int:
        return self.register.message(text)

    def figure(self, key: str, fig: Section | None, *parents: Section | None) -> int:
        return self.register.figure(key, fig, *parents)

    def span(self, item: Section) -> str:
        """'from A to B' of a dated item, the table's own dates where it has none."""
        return f"from {item.get('start') or self.periods.start} to {item.get('end') or self.periods.end}"


def compile_frame(info: TableInfo) -> Frame:
    data = info.data
    return Frame(info, Units(data["units"]["length"], data["units"]["weight"]),
                 compile_periods(data, info.effective_from, info.effective_to),
                 compile_categories(data["referral"]), Register())


@dataclass(frozen=True)
class Line:
    """One fee line for every row: amount in minor units, reason id where unavailable (-1: available), and the
    id of the figure behind the amount (-1: none)."""

    cents: np.ndarray
    reason: np.ndarray
    figure: np.ndarray

    @staticmethod
    def zero(n: int) -> Line:
        """No charge, nothing unavailable, no figure: a line that does not apply to any row."""
        none = constant(n, -1, np.int32)
        return Line(constant(n, 0, np.int64), none, none)


_ONE_ROW: dict[tuple, np.ndarray] = {}


def constant(n: int, value, dtype) -> np.ndarray:
    """n copies of `value`: for one row (a quote) a shared read-only array, built once, since numpy's allocation is
    a large part of a one-row line's cost and no line is written to after it is made."""
    if n != 1:
        return np.full(n, value, dtype=dtype)
    one = _ONE_ROW.get((value, dtype))
    if one is None:
        one = _ONE_ROW[value, dtype] = np.full(1, value, dtype=dtype)
        one.setflags(write=False)
    return one


def classes(rows: np.ndarray | Sequence, shape: tuple[int, ...]) -> WarningSource:
    """Factorize rows of message ids (one row per lookup cell) into (class id per cell, class table): rows with
    equal class ids have equal warnings, so warning texts are built once per combination, never per row."""
    table, ids = np.unique(np.asarray(rows, dtype=np.int32).reshape(int(np.prod(shape)), -1), axis=0,
                           return_inverse=True)
    return ids.reshape(shape).astype(np.intp), table


# ---- weight bands: the shape shared by fulfilment cards and packaging fees -------------------------------
def band_labels(rows: list[Section], first: str = "{} or less") -> list[str]:
    """Amazon-style weight-band labels: '4 oz or less' (`first`), '4 oz+ to 8 oz', 'over 3 lb', 'any weight'."""
    out, prev = [], None
    for row in rows:
        if row["upto"]:
            out.append(f"{prev}+ to {row['upto']}" if prev else first.format(row["upto"]))
        else:
            out.append(f"over {prev}" if prev else "any weight")
        prev = row["upto"] or prev
    return out


@dataclass
class WeightBands:
    """Weight-band tables of many segments, flattened: segment s has band edges `edges[s]` (inf where unused)
    and slot `s * (width + 1) + j` for band j (the slot after the last band: beyond the table).  Each slot has a
    fee, an optional per-step increment ("+0.16 per 4 oz above 3 lb"), figure ids and a text for explanations.
    Amounts are minor units of `currency`."""

    segments: int
    width: int
    currency: str = "USD"
    edges: np.ndarray = field(init=False)
    fee_c: np.ndarray = field(init=False)
    step_every: np.ndarray = field(init=False)
    step_above: np.ndarray = field(init=False)
    step_fee_c: np.ndarray = field(init=False)
    fee_fig: np.ndarray = field(init=False)
    step_fig: np.ndarray = field(init=False)
    text: list[str] = field(init=False)

    def __post_init__(self) -> None:
        slots = self.segments * (self.width + 1)
        self.edges = np.full((self.segments, self.width), np.inf)
        self.fee_c = np.zeros(slots, dtype=np.int64)
        self.step_every = np.ones(slots)         # a band without steps: above = +inf, so it never counts one
        self.step_above = np.full(slots, np.inf)
        self.step_fee_c = np.zeros(slots, dtype=np.int64)
        self.fee_fig = np.full(slots, -1, dtype=np.int32)
        self.step_fig = np.full(slots, -1, dtype=np.int32)
        self.text = [""] * slots

    def slot(self, segment: int, band: int) -> int:
        return segment * (self.width + 1) + band

    def set_edge(self, frame: Frame, segment: int, band: int, row: Section) -> None:
        if row["upto"] is not None:
            self.edges[segment, band] = frame.units.weight_of(row["upto"])

    def set_fee(self, frame: Frame, slot: int, key: str, fig: Section, *parents: Section) -> None:
        """A band's fee and, where it has one, its per-step increment (added to the slot's text)."""
        self.fee_c[slot] = to_minor(fig["value"], self.currency)
        self.fee_fig[slot] = frame.figure(key, fig, *parents)
        row = parents[0] if parents else {}
        step = row.get("step")
        if step:
            self.step_every[slot] = frame.units.weight_of(step["every"])
            self.step_above[slot] = frame.units.weight_of(step["above"])
            self.step_fee_c[slot] = step_amount(frame, step, self.currency)
            self.step_fig[slot] = frame.figure(key + " step", step["fee"], *parents)
            per = f"per {step['per']} in steps of {step['every']}" if step.get("per") else f"per {step['every']}"
            self.text[slot] += f" (+{step['fee']['value']} {per} above {step['above']})"

    def band_of(self, segment: np.ndarray, weight: np.ndarray) -> np.ndarray:
        """The slot of each row's weight in its segment (limits inclusive: 'up to 8 oz' holds 8 oz)."""
        return segment * (self.width + 1) + (weight[:, None] > self.edges[segment]).sum(axis=1)

    def steps(self, weight: np.ndarray, slot: np.ndarray) -> np.ndarray:
        """Increments started above a band's base weight (0 where the band has none: `above` is +inf); a step
        counts as soon as any part of it is used."""
        return np.maximum(np.ceil(snap((weight - self.step_above[slot]) / self.step_every[slot])), 0).astype(np.int64)

    def amount(self, slot: np.ndarray, steps: np.ndarray) -> np.ndarray:
        return self.fee_c[slot] + steps * self.step_fee_c[slot]

    def how(self, slot: int, steps: int) -> str:
        """'5.42' or '9.61 + 3 x 0.16': the band's fee and its steps, for an explanation."""
        base = f"{minor_to_decimal(int(self.fee_c[slot]), self.currency)}"
        return base + (f" + {steps} x {minor_to_decimal(int(self.step_fee_c[slot]), self.currency)}" if steps else "")


def step_amount(frame: Frame, step: Section, currency: str) -> int:
    """Minor units charged per step: the step's fee, or with `per` its rate per `per` times `every` (exact: the
    loader checked that it is a whole number of minor units)."""
    fee = to_minor(step["fee"]["value"], currency)
    if not step.get("per"):
        return fee
    share = quantity_in(step["every"], frame.units.weight) / quantity_in(step["per"], frame.units.weight)
    return int(fee * share)


def per_volume(volume: np.ndarray, rate_c: np.ndarray) -> np.ndarray:
    """Cents for a volume (in the storage unit) at a rate per storage unit, rounded half up (exact to 1e-6 cent)."""
    exact = np.rint(volume * rate_c * 1e6) / 1e6
    return np.floor(exact + 0.5).astype(np.int64)


STORED_ELSEWHERE_TEXT = (
    "under this programme the units are stored in another marketplace's fulfilment centres: their storage is "
    "charged there; cost it with that marketplace's table (program standard)")


L = TypeVar("L", bound=Line)


def stored_elsewhere(line: L, program: np.ndarray, reason: int) -> L:
    """EFN and remote fulfilment ship from another marketplace's stock: no storage-type line here, with the
    reason (`reason`: the id of STORED_ELSEWHERE_TEXT)."""
    away = STORED_ELSEWHERE[program]
    if not away.any():
        return line
    return replace(line, cents=np.where(away, 0, line.cents),
                   reason=np.where(away, reason, line.reason).astype(np.int32),
                   figure=np.where(away, -1, line.figure).astype(np.int32))
