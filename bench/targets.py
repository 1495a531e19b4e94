"""How a measured value stands against an upper-bound target, as the benchmarks' JSON reports it."""

from __future__ import annotations

from typing import Any


def at_most(name: str, value: float, limit: float, gap: str, digits: int | None = None) -> dict[str, Any]:
    """``{"met": value ≤ limit, name: value, gap: how far above the limit (0 when met)}``.

    ``digits``: rounding of the gap (None: to a whole number).
    """
    return {"met": value <= limit, name: value, gap: round(max(0, value - limit), digits)}
