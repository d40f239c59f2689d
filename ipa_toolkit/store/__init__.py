"""The project store: every byte of SQL lives in this package.

``Store`` is the interface the rest of the toolkit talks to. ``SQLiteStore`` keeps a project
in one file in its folder (the default); ``PostgresStore`` keeps it in one schema of a
PostgreSQL database, and the folder then holds only ``ipa_database.json`` naming the
database and schema (never a password). The functions below are the only place that knows
which of the two a folder uses.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from ..errors import ProjectError
from .base import Store

PROJECT_FILE = "ipa_project.sqlite3"
DATABASE_FILE = "ipa_database.json"
DATABASE_ENV = "IPA_DATABASE_URL"


def store_files(folder: Path) -> list[Path]:
    """The files holding a project's data (or naming its database) in its folder."""
    db = Path(folder) / PROJECT_FILE
    return [Path(str(db) + extra) for extra in ("", "-wal", "-shm")] + \
        [Path(folder) / DATABASE_FILE]


def is_project(folder: Path) -> bool:
    return (Path(folder) / PROJECT_FILE).exists() or (Path(folder) / DATABASE_FILE).exists()


def database_of(folder: Path) -> tuple[str, str] | None:
    """(connection string, schema) of a PostgreSQL project folder; None for SQLite."""
    path = Path(folder) / DATABASE_FILE
    if not path.exists():
        return None
    try:
        info = json.loads(path.read_text(encoding="utf-8"))
        return str(info["database"]), str(info["schema"])
    except (ValueError, KeyError, TypeError) as exc:
        raise ProjectError(f"{path} cannot be read ({exc})",
                           hint='it holds {"database": "postgresql://host/db", '
                                '"schema": "name"}') from None


def peek_setting(folder: Path, key: str) -> Any:
    """One setting of the project in ``folder``, read without opening the project (for
    ``--help``): None when there is none; for a team project, what its last command
    remembered in the folder (``remember_setting``)."""
    import sqlite3

    db = Path(folder) / PROJECT_FILE
    if not db.is_file():  # a team project: what its last command remembered in the folder
        try:
            return json.loads((Path(folder) / DATABASE_FILE).read_text(
                encoding="utf-8"))["settings"][key]
        except (OSError, ValueError, KeyError, TypeError):
            return None
    try:
        con = sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True, timeout=0.2)
        try:
            row = con.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        finally:
            con.close()
        return json.loads(row[0]) if row else None
    except (sqlite3.Error, ValueError, OSError):
        return None


def remember_setting(folder: Path, key: str, value: Any) -> None:
    """Keep one setting beside a team project's link (``ipa_database.json``) for
    ``peek_setting``: --help then speaks the project's terms without connecting to the
    server. Each command that read the settings refreshes it; a file project needs none."""
    path = Path(folder) / DATABASE_FILE
    try:
        info = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return
    if not isinstance(info, dict) or not isinstance(info.setdefault("settings", {}), dict) \
            or info["settings"].get(key) == value:
        return
    info["settings"][key] = value
    try:
        path.write_text(json.dumps(info, indent=2) + "\n", encoding="utf-8")
    except OSError:  # a read-only folder: --help falls back to the default terms
        pass


def open_postgres(database: str, schema: str | None = None, *, folder: Path | None = None,
                  create: bool = False) -> Store:
    """A project in a PostgreSQL database; the schema defaults to the folder's name."""
    from .postgres import PostgresStore, schema_name, without_password

    try:
        conninfo = without_password(database)
    except ImportError:  # neither libpq nor psycopg
        raise ProjectError("PostgreSQL projects need psycopg",
                           hint="pip install 'ipa-toolkit[postgres]'") from None
    name = schema_name(schema or (Path(folder).resolve().name if folder else "ipa"))
    return PostgresStore(conninfo, name, create=create)


def open_as(folder: Path, login: str, password: str) -> Store:
    """A PostgreSQL project's store opened with one person's login (``ipa serve`` team
    mode): the password goes to the server and is written nowhere."""
    linked = database_of(Path(folder))
    if not linked:
        raise ProjectError(f"{folder} is not a PostgreSQL project",
                           hint="signing in needs a project made with 'ipa init --database'")
    if not login.strip():
        raise ProjectError("give your database login")
    from .postgres import PostgresStore, with_login, without_password

    conninfo = with_login(without_password(linked[0]), login.strip(), password)
    return PostgresStore(conninfo, linked[1])


def open_store(folder: Path, *, create: bool = False, database: str | None = None,
               schema: str | None = None) -> Store:
    """Open (or create) the store of the project in ``folder``.

    A new project goes to PostgreSQL when ``database`` (or IPA_DATABASE_URL) names one.
    """
    folder = Path(folder)
    linked = database_of(folder)
    if linked:
        return open_postgres(linked[0], linked[1])
    database = database if database is not None else os.environ.get(DATABASE_ENV)
    if create and database:
        store = open_postgres(database, schema, folder=folder, create=True)
        link(folder, store)
        return store
    from .sqlite import SQLiteStore  # imported here: a team project's command needs no sqlite3

    return SQLiteStore(folder / PROJECT_FILE, create=create)


def link(folder: Path, store: Store) -> None:
    """Write the settings file that makes ``folder`` a client of a PostgreSQL project."""
    info = {"database": store.conninfo, "schema": store.schema}
    (Path(folder) / DATABASE_FILE).write_text(json.dumps(info, indent=2) + "\n",
                                              encoding="utf-8")


def remove(folder: Path) -> None:
    """Delete a project's data: its files, or its schema in the database."""
    linked = database_of(folder)
    if linked:
        store = open_postgres(*linked)
        try:
            store.drop()
        finally:
            store.close()
    for f in store_files(folder):
        f.unlink(missing_ok=True)


def discard_new(folder: Path, store: Store) -> None:
    """Undo a failed ``ipa init``: delete what it made. A database project the folder only
    joined stays as it is (it is the team's); just the folder's link to it goes."""
    if getattr(store, "joined", False):
        (Path(folder) / DATABASE_FILE).unlink(missing_ok=True)
    else:
        remove(folder)


def push(src: Store, database: str, schema: str) -> dict[str, int]:
    """Copy a project into a new schema of a PostgreSQL database."""
    from .transfer import copy_project

    dst = open_postgres(database, schema, create=True)
    try:
        dst.bulk()  # COPY through psycopg
        return copy_project(src, dst)
    finally:
        dst.close()


def pull(database: str, schema: str | None, folder: Path) -> Store:
    """Copy a PostgreSQL project into a new SQLite project in ``folder``."""
    from .transfer import copy_project

    if is_project(folder):
        raise ProjectError(f"{folder} is already a project", hint="pull into a new folder")
    src = open_postgres(database, schema, folder=folder)
    src.bulk()
    try:
        Path(folder).mkdir(parents=True, exist_ok=True)
        from .sqlite import SQLiteStore

        dst = SQLiteStore(Path(folder) / PROJECT_FILE, create=True)
        try:
            copy_project(src, dst)
        except BaseException:
            dst.close()
            for f in store_files(folder):
                f.unlink(missing_ok=True)
            raise
        return dst
    finally:
        src.close()


class Aside:
    """A project moved out of the way while a replacement is built; put back on failure."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self.linked = database_of(folder)
        self.files: list[tuple[Path, Path]] = []
        if self.linked:
            store = open_postgres(*self.linked)
            try:
                store.rename(store.schema + "__replacing")
            finally:
                store.close()
        for f in store_files(folder):
            if f.exists():
                aside = f.with_name(f.name + ".replacing")
                f.replace(aside)
                self.files.append((aside, f))

    def restore(self) -> None:
        for aside, f in self.files:
            aside.replace(f)
        if self.linked:
            store = open_postgres(self.linked[0], self.linked[1] + "__replacing")
            try:
                store.rename(self.linked[1])
            finally:
                store.close()

    def discard(self) -> None:
        for aside, _ in self.files:
            aside.unlink(missing_ok=True)
        if self.linked:
            store = open_postgres(self.linked[0], self.linked[1] + "__replacing")
            try:
                store.drop()
            finally:
                store.close()


def __getattr__(name: str) -> Any:
    """``store.SQLiteStore``, imported when first asked for."""
    if name == "SQLiteStore":
        from .sqlite import SQLiteStore

        return SQLiteStore
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["DATABASE_FILE", "PROJECT_FILE", "Aside", "SQLiteStore", "Store", "is_project",
           "open_store", "pull", "push", "remove", "store_files"]
