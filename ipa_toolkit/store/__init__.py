"""The project store: every byte of SQL lives in this package.

``Store`` is the interface the rest of the toolkit talks to; ``SQLiteStore`` is the
embedded default. A server store (PostgreSQL) can be added beside it without touching
anything outside this package.
"""

from __future__ import annotations

from pathlib import Path

from .base import Store
from .sqlite import SQLiteStore

PROJECT_FILE = "ipa_project.sqlite3"


def store_files(folder: Path) -> list[Path]:
    """The files holding a project's data: the database and its write-ahead log."""
    db = Path(folder) / PROJECT_FILE
    return [Path(str(db) + extra) for extra in ("", "-wal", "-shm")]


def open_store(folder: Path, *, create: bool = False) -> Store:
    """Open (or create) the store of the project in ``folder``."""
    return SQLiteStore(Path(folder) / PROJECT_FILE, create=create)


__all__ = ["PROJECT_FILE", "SQLiteStore", "Store", "open_store", "store_files"]
