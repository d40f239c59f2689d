"""The stores (SQLite and PostgreSQL): migrations, refusal of newer schemas, transactions,
concurrent writers."""

from __future__ import annotations

import multiprocessing
import sqlite3

import pytest

from ipa_toolkit.errors import ProjectError
from ipa_toolkit.project import Project
from ipa_toolkit.store import open_store, postgres, schema, sql, sqlite

from .conftest import dump


@pytest.fixture
def sqlite_project(tmp_path, monkeypatch):
    monkeypatch.delenv("IPA_DATABASE_URL", raising=False)
    with Project.init(tmp_path / "proj") as p:
        yield p


def test_settings_wal_and_foreign_keys(sqlite_project):
    project = sqlite_project
    db = project.store._db
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert db.execute("PRAGMA busy_timeout").fetchone()[0] >= 5000


def test_old_project_is_upgraded_after_a_backup(sqlite_project, monkeypatch):
    project = sqlite_project
    folder = project.folder
    project.add_participant("P1", Age="40")
    project.close()
    current = len(schema.MIGRATIONS)
    extra = "CREATE TABLE future_things (id INTEGER PRIMARY KEY, what TEXT);"
    monkeypatch.setattr(schema, "MIGRATIONS", [*schema.MIGRATIONS, extra])
    monkeypatch.setattr("ipa_toolkit.store.sqlite.MIGRATIONS", schema.MIGRATIONS)
    p = Project.open(folder)
    assert p.store.schema_version == len(schema.MIGRATIONS)
    backups = list(folder.glob(f"ipa_project.sqlite3.v{current}-*.bak"))
    assert len(backups) == 1
    old = sqlite3.connect(backups[0])
    assert old.execute("SELECT version FROM schema_version").fetchone()[0] == current
    assert old.execute("SELECT code FROM participants").fetchall() == [("P1",)]
    assert p.participant("P1").attributes == {"Age": "40"}
    p.close()


def test_old_schema_is_upgraded_once(project, monkeypatch):
    """Both stores: the next client to open an old project migrates it; data survives."""
    folder = project.folder
    project.add_participant("P1", Age="40")
    project.close()
    extra = "CREATE TABLE future_things (id INTEGER PRIMARY KEY, what TEXT);"
    monkeypatch.setattr(schema, "MIGRATIONS", [*schema.MIGRATIONS, extra])
    for module in (sqlite, postgres, sql):  # imported above, so the patch is undone
        monkeypatch.setattr(module, "MIGRATIONS", schema.MIGRATIONS)
    with Project.open(folder) as p, Project.open(folder) as again:
        assert p.store.schema_version == again.store.schema_version == len(schema.MIGRATIONS)
        assert p.participant("P1").attributes == {"Age": "40"}
        with p.store.transaction():
            p.store._x("INSERT INTO future_things (what) VALUES (?)", ("x",))
        assert list(again.store.rows("future_things")) == [(1, "x")]


def test_newer_project_is_refused(project):
    with project.store.transaction():
        project.store._x("UPDATE schema_version SET version = 99")
    project.close()
    with pytest.raises(ProjectError, match="newer ipa-toolkit"):
        Project.open(project.folder)


def test_not_a_database_is_a_clear_error(tmp_path):
    (tmp_path / "ipa_project.sqlite3").write_text("hello, I am not SQLite" * 100)
    with pytest.raises(ProjectError, match="not a readable project store"):
        Project.open(tmp_path)


def in_transaction(store) -> bool:
    """Whether the store's connection was left inside a transaction (either driver)."""
    db = store._db
    return db.in_transaction if hasattr(db, "in_transaction") else \
        db.info.transaction_status != db.info.transaction_status.IDLE


def test_failed_transaction_leaves_nothing(project):
    before = dump(project.folder)
    with pytest.raises(RuntimeError):
        with project.store.transaction():
            project.store.upsert_participant("P9", {"Age": "30"})
            with project.store.transaction():  # nested: part of the outer one
                project.store.upsert_participant("P10", {})
            raise RuntimeError("boom")
    # read through the same connection: a second one cannot see uncommitted writes, so
    # it would pass even if the transaction were left open instead of rolled back
    assert project.store.participants() == [] and not in_transaction(project.store)
    assert dump(project.folder) == before
    with pytest.raises(KeyboardInterrupt):
        with project.store.transaction():
            project.store.upsert_participant("P11", {})
            raise KeyboardInterrupt
    assert project.store.participants() == [] and not in_transaction(project.store)
    assert dump(project.folder) == before
    with project.store.transaction():  # and the store still writes afterwards
        project.store.upsert_participant("P12", {})
    assert [p.code for p in project.store.participants()] == ["P12"]


def _writer(folder: str, code: str) -> None:
    store = open_store(folder)
    for i in range(40):
        with store.transaction():
            store.upsert_participant(f"{code}{i}", {"n": str(i)})
    store.close()


def test_two_writers_wait_for_each_other(project):
    """Two terminals tagging at once: the busy timeout makes the second wait, not fail."""
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_writer, args=(str(project.folder), c)) for c in "AB"]
    for proc in procs:
        proc.start()
    for proc in procs:
        proc.join(60)
    assert [proc.exitcode for proc in procs] == [0, 0]
    assert len(project.store.participants()) == 80
