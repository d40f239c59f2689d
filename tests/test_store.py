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


def _stored_texts(p: Project) -> tuple[int, int]:
    """(bodies, characters) the log keeps in log_texts."""
    bodies = [r[1] for r in p.store.rows("log_texts")]
    return len(bodies), sum(map(len, bodies))


def test_reingesting_a_text_seen_before_adds_no_copy_to_the_log(project, tmp_path):
    """Both stores: a transcript's log snapshots name its text by hash; the log still
    replays, exports and imports whole."""
    v1 = "Interviewer: How was it?\n\nP5: " + "It was a long winter of waiting. " * 40
    v2 = v1.replace("long winter", "short summer")
    f = tmp_path / "P5.txt"
    f.write_text(v1, encoding="utf-8")
    project.ingest(f)
    first = _stored_texts(project)
    assert first[0] == 2 and first[1] > len(v1)  # the text and its line table, once each
    f.write_text(v2, encoding="utf-8")
    project.ingest(f)
    second = _stored_texts(project)
    assert second[0] == 4
    for _ in range(3):  # back to v1 (seen before), then the same file unchanged twice
        f.write_text(v1, encoding="utf-8")
        project.ingest(f)
        assert _stored_texts(project) == second
    entries = project.store.log_entries(entity="transcript")
    assert [e.op for e in entries] == ["insert", "update", "update"]
    assert entries[2].after["text"] == entries[0].after["text"] == project.text("P5")
    assert "short summer" in entries[1].after["text"] == entries[2].before["text"]
    assert entries[2].after["lines"] == [[ln.number, ln.start, ln.end, ln.speaker, ln.role,
                                          ln.timestamp] for ln in project.lines("P5")]
    raw = [r for r in project.store._x("SELECT new_value FROM audit_log "
                                       "WHERE entity = 'transcript'")]
    assert all("waiting" not in r[0] for r in raw)  # the log rows hold hashes only

    rebuilt = Project.init(tmp_path / "rebuilt")  # replay: the same state
    with rebuilt.store.transaction():
        rebuilt.store.replay(project.store.log_entries())
    assert rebuilt.text("P5") == project.text("P5")
    assert rebuilt.lines("P5") == project.lines("P5")
    rebuilt.close()

    project.export(tmp_path / "plain")  # the export's log carries the texts whole
    assert "short summer" in (tmp_path / "plain" / "log.csv").read_text(encoding="utf-8")
    clone = Project.init(tmp_path / "clone")
    clone.import_from(tmp_path / "plain")
    mine = [(e.op, e.entity, e.before, e.after) for e in project.store.log_entries()]
    theirs = [(e.op, e.entity, e.before, e.after) for e in clone.store.log_entries()]
    assert theirs == mine
    assert _stored_texts(clone) == second
    clone.close()


_KILLED = """
import os, signal, sys
from ipa_toolkit.project import Project
from ipa_toolkit.store.sql import SQLStore

where = sys.argv[2]
original = SQLStore._log_rows_after if where == "mid-import" else SQLStore.transaction

def die_after_logging(self, *args):  # the codings and their log rows are written: die
    original(self, *args)
    os.kill(os.getpid(), signal.SIGKILL)

if where == "mid-import":
    SQLStore._log_rows_after = die_after_logging
p = Project.open(sys.argv[1])
if where == "mid-import":
    p.import_codings(sys.argv[3], coder="RA")
else:  # a committed tag, then killed before the store is closed
    p.tag("P7", "1.1", lines="2", coder="RA")
    os.kill(os.getpid(), signal.SIGKILL)
"""


def _killed(folder, *args) -> int:
    import subprocess
    import sys

    return subprocess.run([sys.executable, "-c", _KILLED, str(folder), *args],
                          capture_output=True).returncode


def test_a_killed_import_leaves_the_project_unchanged_and_a_commit_survives(small,
                                                                             tmp_path):
    """Both stores (SQLite keeps its write-ahead log between commands, synchronous =
    NORMAL): a process killed inside its transaction leaves nothing, one killed after its
    commit loses nothing, and the project opens and works either way."""
    sheet = tmp_path / "sheet.csv"
    sheet.write_text("participant,lines,theme\nP7,1,1.1\nP7,3-4,1.2\nP2,2,1.1\n",
                     encoding="utf-8")
    folder = small.folder
    before = (small.store.count_codings(), len(small.store.log_entries()))
    small.close()
    assert _killed(folder, "mid-import", str(sheet)) == -9
    with Project.open(folder) as p:
        assert (p.store.count_codings(), len(p.store.log_entries())) == before
        assert p.import_codings(sheet, coder="RA")["added"] == 3  # the file still works
        after = (p.store.count_codings(), len(p.store.log_entries()))
    assert _killed(folder, "after-commit") == -9
    with Project.open(folder) as p:
        assert p.store.count_codings() == after[0] + 1
        assert len(p.store.log_entries()) == after[1] + 1
        if isinstance(p.store, sqlite.SQLiteStore):
            assert p.store._db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


@pytest.mark.skipif(__import__("sys").implementation.name != "cpython" or not (
    __import__("sys").version_info >= (3, 12) or __import__("sys").platform == "linux"),
    reason="the switch is set through CPython's sqlite3 module (3.11: on Linux)")
def test_a_short_command_leaves_the_write_ahead_log_for_the_next(sqlite_project):
    """Closing does not fold the log into the database (four fsyncs per command); the next
    process reads the change from the log."""
    p = sqlite_project
    p.add_participant("P1", Age="40")
    folder = p.folder
    p.close()
    wal = folder / "ipa_project.sqlite3-wal"
    assert wal.exists() and wal.stat().st_size > 0
    with Project.open(folder) as again:
        assert again.participant("P1").attributes == {"Age": "40"}


def test_has_work_by_sees_every_kind_of_work(small):
    """Whether the login name was announced is a store query over codings, statements,
    notes, memos and PETs (on both stores), not a read of every coding."""
    store = small.store
    assert not store.has_work_by("RB") and not store.has_work_by("X'; DROP TABLE codings--")
    small.add_statement("P7", "a lost world", lines="2", coder="RB")
    assert store.has_work_by("RB") and not store.has_work_by("MK")
    small.memo("1.1", "a thought", author="MK")
    assert store.has_work_by("MK")
    small.tag("P7", "1.1", lines="3", coder="AL")
    assert store.has_work_by("AL") and store.count_codings() == 1


def test_a_forked_child_is_refused_its_parents_connection(small, backend):
    """A forked child (a report's jobs) reads through ``reopener``; on PostgreSQL the
    connection it shares with its parent is refused to it (both would write to one socket),
    and its close() leaves the parent's session as it was."""
    import os

    small.tag("P7", "1.1", lines="2", coder="ab")
    seen = small.store.version()
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: report through the pipe, never return into pytest
        code = 1
        try:
            again = small.store.reopener()()
            answers = [str(len(again.codings()))]
            again.close()
            if backend == "postgres":
                for use in (small.store.codings, small.store.version, small.store.bulk):
                    try:
                        use()
                        answers.append("used")
                    except ProjectError as exc:
                        answers.append("refused" if "forked" in str(exc) else str(exc))
                small.store.close()  # must not end the parent's session
            os.write(write, " ".join(answers).encode())
            code = 0
        finally:
            os._exit(code)
    os.close(write)
    _, status = os.waitpid(pid, 0)
    with os.fdopen(read) as answer:
        words = answer.read().split()
    assert status == 0
    assert words == ["1", *(["refused"] * 3 if backend == "postgres" else [])]
    # the parent's connection still works after the child's close
    assert len(small.store.codings()) == 1 and small.store.version() == seen
    small.tag("P7", "1.2", lines="3", coder="ab")
    assert len(small.store.codings()) == 2
