"""SQLite backend: one file per project, WAL, foreign keys, forward migrations.

The queries live in ``sql.py``; this module opens the file, migrates it and supplies the
transaction and the change counter.

Durability (why a short command does no fsync): the store runs in WAL mode with
``synchronous = NORMAL``. A commit appends to the write-ahead log without syncing it, so a
committed command survives the crash or kill of any process (the application), and the
file is never corrupted; only a power cut or an operating-system crash may lose the last
few commits (never half of one). The log is kept between commands, not folded into the
database and deleted by every process that closes it (that cost four syncs per command);
SQLite folds it in itself once it passes ~4 MiB (``wal_autocheckpoint``), and a command
that leaves it larger than that folds it in and truncates it when it closes. The project
is therefore the folder: ``ipa_project.sqlite3`` together with its ``-wal`` file.
"""

from __future__ import annotations

import os
import sqlite3
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from ..errors import CodingError, ProjectError
from .log import _default_actor
from .schema import MIGRATIONS
from .sql import SQLStore, new_guid

__all__ = ["SQLiteStore", "new_guid"]


class SQLiteStore(SQLStore):
    """The embedded default store."""

    _JSON_OBJECT = "json_object"  # bulk inserts are logged inside SQLite

    def __init__(self, path: Path, *, create: bool = False):
        self.path = Path(path)
        if not create and not self.path.exists():
            raise ProjectError(f"no project store at {self.path}",
                               hint="run 'ipa init' first")
        try:
            self._db = sqlite3.connect(str(self.path), timeout=10, isolation_level=None)
            self._db.execute("PRAGMA foreign_keys = ON")
            self._db.execute("PRAGMA busy_timeout = 10000")
            self._db.execute("PRAGMA journal_mode = WAL")
            self._db.execute("PRAGMA synchronous = NORMAL")  # see the module docstring
            self._db.execute(f"PRAGMA journal_size_limit = {WAL_LIMIT}")
            # bulk imports touch many index pages: 64 MiB at most, taken only when used
            self._db.execute("PRAGMA cache_size = -65536")
            _keep_wal_on_close(self._db)
            self._depth = 0
            self.actor = _default_actor()
            self._migrate()
        except sqlite3.DatabaseError as exc:
            raise ProjectError(f"{self.path} is not a readable project store ({exc})",
                               hint="restore it from a backup or an 'ipa export' folder") from exc

    # -- housekeeping -------------------------------------------------------------------
    def _version(self) -> int:
        row = self._db.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name='schema_version'"
        ).fetchone()
        if row is None:
            return 0
        return self._db.execute("SELECT version FROM schema_version").fetchone()[0]

    def _migrate(self) -> None:
        version = self._version()
        latest = len(MIGRATIONS)
        if version > latest:
            raise ProjectError(
                f"{self.path} was written by a newer ipa-toolkit (schema {version}, "
                f"this one knows {latest})", hint="upgrade ipa-toolkit")
        if version == latest:
            self.schema_version = version
            return
        if version > 0:
            import shutil

            self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            backup = self.path.with_name(
                f"{self.path.name}.v{version}-{time.strftime('%Y%m%d%H%M%S')}.bak")
            shutil.copy2(self.path, backup)
            self.backup_path = backup
        script = ["BEGIN IMMEDIATE;"]
        if version == 0:
            script.append("CREATE TABLE schema_version (version INTEGER NOT NULL);"
                          "INSERT INTO schema_version VALUES (0);")
        for step in MIGRATIONS[version:]:
            script.append(step)
        script.append(f"UPDATE schema_version SET version = {latest}; COMMIT;")
        try:
            self._db.executescript("\n".join(script))
        except sqlite3.DatabaseError:
            if self._db.in_transaction:
                self._db.execute("ROLLBACK")
            raise
        self.schema_version = latest

    def _begin(self) -> None:
        try:
            self._db.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise ProjectError(f"the project is busy ({exc})",
                               hint="another ipa command holds it; try again") from exc

    def _end(self, commit: bool) -> None:
        self._db.execute("COMMIT" if commit else "ROLLBACK")

    def close(self) -> None:
        try:
            wal = os.path.getsize(f"{self.path}-wal")
        except OSError:
            wal = 0
        try:
            if wal > WAL_LIMIT and not self._db.in_transaction:
                # a big command (an import) folds its log in now, not the next small one
                self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        except sqlite3.Error:
            pass  # closed already, or another process reads: SQLite folds it in later
        self._db.close()

    def secure_delete(self) -> None:
        """Overwrite deleted content with zeros from now on (this connection)."""
        self._x("PRAGMA secure_delete = ON")

    def vacuum(self) -> None:
        """Rebuild the file so no free page or journal keeps an old value (after
        anonymisation): VACUUM, then empty the write-ahead log."""
        self._x("PRAGMA secure_delete = ON")
        self._x("VACUUM")
        self._x("PRAGMA wal_checkpoint(TRUNCATE)")

    def reopener(self) -> Callable[[], SQLiteStore] | None:
        if self._db.in_transaction:
            return None
        path = self.path
        return lambda: SQLiteStore(path)

    def version(self) -> tuple:
        return (self._db.total_changes,
                self._db.execute("PRAGMA data_version").fetchone()[0])

    # -- the dialect ----------------------------------------------------------------------
    def _x(self, sql: str, params: Sequence[Any] = ()) -> sqlite3.Cursor:
        try:
            return self._db.execute(sql, params)
        except sqlite3.IntegrityError as exc:
            if "FOREIGN KEY" in str(exc):
                raise _gone() from None
            raise

    def _many(self, sql: str, rows: Iterable[Sequence[Any]]) -> int:
        before = self._db.total_changes
        try:
            self._db.executemany(sql, rows)
        except sqlite3.IntegrityError as exc:
            if "FOREIGN KEY" in str(exc):
                raise _gone() from None
            raise
        return self._db.total_changes - before

    def _insert(self, sql: str, params: Sequence[Any]) -> int | None:
        cur = self._x(sql, params)
        return cur.lastrowid if cur.rowcount else None

    def columns(self, table: str) -> list[str]:
        return [r[1] for r in self._db.execute(f"PRAGMA table_info({table})")]

    def load_rows(self, table: str, columns: Sequence[str], rows: Iterable[Sequence]) -> int:
        self._db.execute("PRAGMA defer_foreign_keys = ON")  # a parent theme may come later
        return super().load_rows(table, columns, rows)


WAL_LIMIT = 4 * 2**20  # bytes of write-ahead log kept between commands
_NO_CKPT_ON_CLOSE = 1006  # SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE (sqlite3.h, SQLite >= 3.16)


def _keep_wal_on_close(db: sqlite3.Connection) -> None:
    """Ask SQLite not to checkpoint and delete the write-ahead log when this connection
    closes: each short command then costs no fsync (see the module docstring).

    Python 3.12+ exposes the switch as ``Connection.setconfig``. On CPython 3.11 (Linux) it
    is set through the C API, on the ``sqlite3 *`` that CPython 3.11 keeps as the first
    field of a connection object; anywhere else the log is folded in on close, as before.
    """
    if hasattr(db, "setconfig"):  # Python >= 3.12
        try:
            db.setconfig(getattr(sqlite3, "SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE",
                                 _NO_CKPT_ON_CLOSE))
        except (ValueError, sqlite3.Error):  # an SQLite without the switch
            pass
        return
    # Linux only: there a variadic C function takes its arguments like any other (on
    # Apple arm64 it does not, and ctypes cannot tell)
    if sys.implementation.name != "cpython" or sys.version_info[:2] != (3, 11) \
            or not sys.platform.startswith("linux"):
        return
    try:
        import _sqlite3
        import ctypes

        lib = ctypes.PyDLL(_sqlite3.__file__)
        config = lib.sqlite3_db_config
    except (ImportError, OSError, AttributeError):  # no exported C API (static builds)
        return
    handle = ctypes.c_void_p.from_address(id(db) + object.__basicsize__).value
    if not handle:
        return
    done = ctypes.c_int(-1)
    config(ctypes.c_void_p(handle), ctypes.c_int(_NO_CKPT_ON_CLOSE), ctypes.c_int(1),
           ctypes.byref(done))


def _gone() -> CodingError:
    """A row refers to a theme, transcript or coding that another user just deleted."""
    return CodingError("the theme or transcript this refers to was deleted meanwhile "
                       "(by another user); nothing was written",
                       hint="'ipa codebook' and 'ipa transcripts' show what is there now")
