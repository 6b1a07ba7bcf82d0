"""Profit by channel against price, with break-even prices marked (matplotlib, no display needed)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import numpy as np
import pandas as pd

from .channels import CHANNELS, Profile, summarize, unit_lines
from .compare import NAMES, Comparison


def plot_profit(item: dict, comparison: Comparison, profile: Profile, path: str | Path, on=None,
                marketplace: str = "US", points: int = 400) -> Path:
    """Write a PNG of unit profit per channel from $0.01 to about twice the price or the highest break-even."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    highs = [comparison.price * 2] + [r.break_even * Decimal("1.5") for r in comparison.channels.values()
                                      if r.break_even is not None]
    top = int(max(highs) * 100)
    prices = np.unique(np.linspace(1, max(top, 200), points).astype(np.int64))
    grid = pd.DataFrame([item] * len(prices))
    grid["price"] = prices / 100
    per = unit_lines(grid, profile, on=on, marketplace=marketplace)
    fig, ax = plt.subplots(figsize=(8, 4.5), dpi=120)
    for k, name in enumerate(CHANNELS):
        ok = pd.isna(per[name]["reason"])
        if not ok.any():
            continue
        profit = summarize(per[name], allocate_fixed=True)["profit"] / 100
        line, = ax.plot(prices[ok] / 100, profit[ok], label=NAMES[name])
        be = comparison.channels[name].break_even
        if be is not None:
            ax.axvline(float(be), color=line.get_color(), linestyle=":", linewidth=1)
            ax.annotate(f"break-even {be}", (float(be), 0), textcoords="offset points", xytext=(4, 8 + 14 * k),
                        color=line.get_color(), fontsize=8)
    ax.axhline(0, color="grey", linewidth=0.8)
    ax.axvline(float(comparison.price), color="black", linewidth=0.8, linestyle="--")
    ax.set_xlabel(f"price ({comparison.currency})")
    ax.set_ylabel(f"profit per unit ({comparison.currency})")
    ax.set_title("Profit by channel")
    ax.legend()
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
    return Path(path)
