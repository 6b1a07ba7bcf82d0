"""VAT contained in a VAT-inclusive price (UK, EU): not a fee, but part of what the buyer pays that the seller
passes on.  Amazon's referral fee is charged on the VAT-inclusive total sales price; Amazon's fees are
themselves VAT-exclusive.

Data: `vat.rate`.  The VAT in a price P at rate r is P x r / (1 + r), rounded half up to the cent.
Tests: tests/fees/test_vat.py.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..money import PPM, percent_to_ppm
from .base import Frame, Section


@dataclass(frozen=True)
class Vat:
    ppm: int      # 0: the table has no VAT
    figure: int


def compile(frame: Frame, data: Section) -> Vat:
    vat = data["vat"]
    return Vat(percent_to_ppm(vat["rate"]), frame.figure("vat", vat)) if vat else Vat(0, -1)


def contained(vat: Vat, total_c: np.ndarray) -> np.ndarray:
    """The VAT in each VAT-inclusive amount, in cents (zero where the table has no VAT)."""
    if not vat.ppm:
        return np.zeros(len(total_c), dtype=np.int64)
    return (total_c * vat.ppm + (PPM + vat.ppm) // 2) // (PPM + vat.ppm)
