"""Global filters (date range, region, sales rep, category, channel) as bound SQL predicates.

Every analysis takes a :class:`Filters` and applies :meth:`Filters.where` to ``v_ledger``.
Column names come from a fixed whitelist; values are always bound parameters.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace

# filter field -> column of v_ledger (the whitelist: nothing else reaches SQL text)
_LIST_COLUMNS: dict[str, str] = {
    "regions": "region",
    "sales_reps": "sales_rep",
    "categories": "category",
    "channels": "channel",
}


@dataclass(frozen=True)
class Filters:
    """A user's global filter set; empty tuples mean "all"."""

    date_from: dt.date | None = None
    date_to: dt.date | None = None
    regions: tuple[str, ...] = field(default_factory=tuple)
    sales_reps: tuple[str, ...] = field(default_factory=tuple)
    categories: tuple[str, ...] = field(default_factory=tuple)
    channels: tuple[str, ...] = field(default_factory=tuple)

    def with_dates(self, date_from: dt.date | None, date_to: dt.date | None) -> Filters:
        """Copy with another date range (used for comparison periods)."""
        return replace(self, date_from=date_from, date_to=date_to)

    def without_dates(self) -> Filters:
        """Copy with the date range removed (history-wide analyses such as churn)."""
        return replace(self, date_from=None, date_to=None)

    def where(self, alias: str = "") -> tuple[str, list[object]]:
        """SQL predicate (``1 = 1`` when empty) and its bound parameters, in order.

        ``alias`` prefixes the columns (e.g. ``"l"`` gives ``l.order_date``).
        """
        prefix = f"{alias}." if alias else ""
        clauses: list[str] = []
        params: list[object] = []
        if self.date_from is not None:
            clauses.append(f"{prefix}order_date >= ?")
            params.append(self.date_from)
        if self.date_to is not None:
            clauses.append(f"{prefix}order_date <= ?")
            params.append(self.date_to)
        for attr, column in _LIST_COLUMNS.items():
            values: tuple[str, ...] = getattr(self, attr)
            if values:
                clauses.append(f"{prefix}{column} in ({', '.join('?' for _ in values)})")
                params.extend(values)
        return (" and ".join(clauses) if clauses else "1 = 1"), params
