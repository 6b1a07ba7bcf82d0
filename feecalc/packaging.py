"""Packaging fees (US bulky packaging, UK/DE oversize packaging): one band table per size tier and period,
read on dimensional or shipping weight, waived for units that ship in their own packaging (SIPP)."""

from __future__ import annotations

import numpy as np

from .compiled import Compiled, _active, _weight, band_labels, compile_step
from .money import to_cents


def compile_packaging(c: Compiled, t: dict) -> None:
    """pk_seg[period, tier] -> segment (-1: no packaging fee); per segment its band edges and weight basis;
    per slot (segment x band) fee, step and figure ids, in the same layout as the fulfillment cards."""
    sections = t["packaging_fees"]
    segments = [(k, pack, tier, rows) for k, pack in enumerate(sections) for tier, rows in pack["tiers"].items()]
    nseg, maxb = max(len(segments), 1), max([len(rows) for *_, rows in segments] + [1])
    c.pk_maxb = maxb
    c.pk_seg = np.full((c.nper + 1, len(c.tier_names)), -1, dtype=np.intp)
    c.pk_edges = np.full((nseg, maxb), np.inf)
    c.pk_dimensional = np.zeros(nseg, dtype=bool)
    nslot = nseg * (maxb + 1)
    c.pk_fee_c = np.zeros(nslot, dtype=np.int64)
    c.pk_step_every = np.ones(nslot)
    c.pk_step_above = np.full(nslot, np.inf)
    c.pk_step_fee_c = np.zeros(nslot, dtype=np.int64)
    c.pk_fig = np.full(nslot, -1, dtype=np.int32)
    c.pk_text = [""] * nslot
    for s, (k, pack, tier, rows) in enumerate(segments):
        c.pk_dimensional[s] = pack["weight"] == "dimensional"
        ti = c.tier_names.index(tier)
        for p in range(c.nper):
            if _active(c, pack, p) and c.pk_seg[p, ti] < 0:
                c.pk_seg[p, ti] = s
        _rows(c, k, pack, tier, rows, s)
    c.pk_has_steps = bool(np.isfinite(c.pk_step_above).any())
    c.pk_tier_any = (c.pk_seg >= 0).any(axis=0)  # per tier: has a packaging fee in some period
    c.pk_any = bool(c.pk_tier_any.any())


def _rows(c: Compiled, k: int, pack: dict, tier: str, rows: list[dict], s: int) -> None:
    base = s * (c.pk_maxb + 1)
    for j, (row, label) in enumerate(zip(rows, band_labels(rows), strict=True)):
        slot = base + j
        if row["upto"] is not None:
            c.pk_edges[s, j] = _weight(c, row["upto"])
        basis = "dimensional weight" if pack["weight"] == "dimensional" else "shipping weight"
        c.pk_text[slot] = f"{pack['name']}, {tier}, {label} ({basis})"
        key = f"packaging_fees[{k}] {c.pk_text[slot]}"
        fig = row["fee"][0]
        c.pk_fee_c[slot] = to_cents(fig["value"])
        c.pk_fig[slot] = c.figure(key, fig, row, pack)
        if row["step"]:
            c.pk_step_every[slot], c.pk_step_above[slot], c.pk_step_fee_c[slot], text = compile_step(c, row["step"])
            c.pk_text[slot] += text
