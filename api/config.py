"""Service settings, from FEECALC_* environment variables (documented in docs/http.md) or a dict."""

from __future__ import annotations

import os
from dataclasses import dataclass


@dataclass(frozen=True)
class Settings:
    max_body_bytes: int = 20 * 1024 * 1024   # FEECALC_MAX_BODY_BYTES
    max_items: int = 1000                    # FEECALC_MAX_ITEMS
    time_budget_ms: int = 30_000             # FEECALC_TIME_BUDGET_MS
    api_keys: tuple[str, ...] = ()           # FEECALC_API_KEYS, comma-separated

    @classmethod
    def from_env(cls, config: dict | None = None) -> Settings:
        env = {**os.environ, **{f"FEECALC_{k.upper()}": str(v) for k, v in (config or {}).items()
                                if k != "api_keys"}}
        keys = (config or {}).get("api_keys")
        if keys is None:
            keys = [k.strip() for k in env.get("FEECALC_API_KEYS", "").split(",") if k.strip()]
        return cls(
            max_body_bytes=_positive(env, "FEECALC_MAX_BODY_BYTES", cls.max_body_bytes),
            max_items=_positive(env, "FEECALC_MAX_ITEMS", cls.max_items),
            time_budget_ms=_positive(env, "FEECALC_TIME_BUDGET_MS", cls.time_budget_ms, allow_negative=True),
            api_keys=tuple(keys),
        )


def _positive(env: dict, name: str, default: int, allow_negative: bool = False) -> int:
    """A whole-number setting; anything else stops the service at start with a message naming it."""
    text = env.get(name, str(default))
    try:
        value = int(text)
    except ValueError:
        raise ValueError(f"{name}={text!r}: expected a whole number") from None
    if value <= 0 and not allow_negative:  # tests set a negative time budget to see the 503
        raise ValueError(f"{name}={text!r}: expected a whole number above zero")
    return value
