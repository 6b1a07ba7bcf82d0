"""Profit by channel against price (matplotlib, no display needed; the `plot` extra, imported when drawn).

Each channel's unit profit over whole-cent prices from 0.01 to twice the item's price (or 1.5 x the highest answer),
the points of `feecalc.curve` (as the web page's chart); prices where a channel is unavailable are left as gaps and
hatched, its loss windows above the break-even are shaded in its colour.  Break-even, target-margin and current prices
are vertical lines named in the legend, which sits beside the axes, so no label lies over a line.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np

from .channels import CHANNELS, Profile
from .compare import NAMES, Comparison
from .curve import profit_curve


def profit_figure(item: dict, comparison: Comparison, profile: Profile, on=None, marketplace: str = "US",
                  points: int = 400) -> Any:
    """The matplotlib Figure of unit profit per channel against price (see the module docstring)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    curve = profit_curve(item, comparison, profile, on=on, marketplace=marketplace, points=points)
    x = np.array([float(p) for p in curve.prices])
    fig, ax = plt.subplots(figsize=(10, 4.8), dpi=120)
    for name in CHANNELS:
        result = comparison.channels[name]
        if curve.unavailable[name] is not None:  # not priceable at any price: not drawn (the comparison says why)
            continue
        profit = np.array([np.nan if v is None else float(v) for v in curve.profit[name]])
        line, = ax.plot(x, profit, label=NAMES[name])
        colour = line.get_color()
        be, tp = result.break_even_prices, result.target_prices
        if be is not None and be.first_known is not None:
            label = f"{NAMES[name]} break-even {be.exact}" if be.exact is not None else \
                f"{NAMES[name]} break-even at least {be.at_least} ({be.first_known} holds)"
            ax.axvline(float(be.first_known), color=colour, linestyle=":", linewidth=1.2, label=label)
            for k, (lo, hi) in enumerate(be.short_ranges):
                ax.axvspan(float(lo), float(hi) + 0.01, color=colour, alpha=0.15, linewidth=0,
                           label=f"{NAMES[name]} loses money" if k == 0 else None)
            for k, (lo, hi) in enumerate(be.unknown_ranges):
                ax.axvspan(float(lo), float(hi) + 0.01, facecolor="none", edgecolor=colour, hatch="//",
                           linewidth=0, label=f"{NAMES[name]} unknown (a fee NOT FOUND)" if k == 0 else None)
        if tp is not None and tp.first_known is not None:
            what = f"{_percent(tp.margin)} margin"
            label = f"{NAMES[name]} {what} at {tp.exact}" if tp.exact is not None else \
                f"{NAMES[name]} {what} at least at {tp.at_least}"
            ax.axvline(float(tp.first_known), color=colour, linestyle="-.", linewidth=1.2, label=label)
    ax.axhline(0, color="grey", linewidth=0.8)
    ax.axvline(float(comparison.price), color="black", linewidth=1, linestyle="--",
               label=f"current price {comparison.price}")
    ax.set_xlabel(f"price ({comparison.currency})")
    ax.set_ylabel(f"profit per unit ({comparison.currency})")
    ax.set_title("Profit by channel")
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8, frameon=False)
    fig.tight_layout()
    return fig


def _percent(margin: Decimal) -> str:
    return f"{(margin * 100).normalize():f}%"


def plot_profit(item: dict, comparison: Comparison, profile: Profile, path: str | Path, on=None,
                marketplace: str = "US", points: int = 400) -> Path:
    """Write the profit figure as a PNG to `path`."""
    import matplotlib.pyplot as plt

    fig = profit_figure(item, comparison, profile, on=on, marketplace=marketplace, points=points)
    fig.savefig(path)
    plt.close(fig)
    return Path(path)
