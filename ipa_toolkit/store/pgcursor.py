"""The psycopg cursor of a PostgreSQL store's bulk connection (imported with psycopg).

A result is in client memory once its query returns; psycopg's cursor then hands its rows
out one Python call at a time, while ``fetchall`` builds them all in one call into C. The
store reads whole tables by iterating (``for row in cursor``): at 100,000 codings that was
0.4 s against 0.15 s, the one cost PostgreSQL added over SQLite to ``codings()``, the
recurrence table and a report.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import psycopg


class WholeResultCursor(psycopg.Cursor):
    """Iterates over the rest of the result built at once (``fetchall``): the same rows,
    the same errors (no result to fetch), built without a call per row."""

    def __iter__(self) -> Iterator[Any]:  # type: ignore[override]
        return iter(self.fetchall())
