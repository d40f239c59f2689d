"""Copying a whole project between stores (SQLite <-> PostgreSQL), row for row.

Ids, guids and every column travel as they are, so the plain export of the copy is
byte-identical to the original's. The table list comes from the schema's migrations, so a
table added there is copied without a change here.
"""

from __future__ import annotations

from ..errors import ProjectError
from .base import Store
from .sql import tables


def is_empty(store: Store) -> bool:
    return not (store.participants() or store.themes() or store.transcripts())


def copy_project(src: Store, dst: Store) -> dict[str, int]:
    """Copy every row of ``src`` into the empty ``dst`` in one transaction."""
    if not is_empty(dst):
        raise ProjectError(f"{dst.path} already holds a project",
                           hint="pick another with --schema NAME, or an empty folder")
    counts: dict[str, int] = {}
    with dst.transaction():
        for table in tables():
            theirs = set(dst.columns(table))
            cols = [c for c in src.columns(table) if c in theirs]
            counts[table] = dst.load_rows(table, cols, src.rows(table))
    return counts
