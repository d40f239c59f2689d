"""Team projects on PostgreSQL: the folder link, push/pull, roles enforced by the database,
many coders at once. (The store, project and CLI tests also run on PostgreSQL: see
``BOTH`` in conftest.py.)"""

from __future__ import annotations

import filecmp
import json
import multiprocessing
import shutil
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from ipa_toolkit.cli import main
from ipa_toolkit.errors import CodingError, ProjectError, ThemeNotFound
from ipa_toolkit.project import Project
from ipa_toolkit.store import DATABASE_FILE
from ipa_toolkit.store.postgres import GRANTS
from ipa_toolkit.store.schema import MIGRATIONS

from .conftest import _leftovers, drop_new


@pytest.fixture
def pg(pg_url, monkeypatch):
    """The session's server; schemas and roles made by the test are dropped after it."""
    monkeypatch.delenv("IPA_DATABASE_URL", raising=False)
    before = _leftovers(pg_url)
    yield pg_url
    drop_new(pg_url, before)


def as_login(url: str, login: str) -> str:
    from psycopg.conninfo import make_conninfo

    return make_conninfo(url, user=login)


@pytest.fixture
def team(pg, _sample_built, tmp_path):
    """The sample project pushed to schema 'team'; the owner's folder is tmp/owner."""
    with Project.open(_sample_built) as built:
        built.push(pg, "team")
    owner = Project.init(tmp_path / "owner", database=pg, schema="team")
    yield owner
    owner.close()


def join(url: str, login: str, folder: Path) -> Project:
    return Project.init(folder, database=as_login(url, login), schema="team")


def same_tree(a: Path, b: Path) -> bool:
    cmp = filecmp.dircmp(a, b)
    if cmp.left_only or cmp.right_only:
        return False
    _, mismatch, errors = filecmp.cmpfiles(a, b, cmp.common_files, shallow=False)
    return not mismatch and not errors and all(
        same_tree(a / d, b / d) for d in cmp.common_dirs)


def run(folder: Path, *args: str):
    return CliRunner().invoke(main, ["-p", str(folder), *map(str, args)])


def test_push_and_pull_are_lossless(pg, _sample_built, tmp_path):
    original = tmp_path / "original"
    shutil.copytree(_sample_built, original)
    with Project.open(original) as p:
        p.tag("P1", "1.1", lines="3")
        p.note("P1", "a note", lines="4")
        p.export(tmp_path / "export_sqlite")
    result = run(original, "db", "push", pg, "--schema", "study")
    assert result.exit_code == 0, result.output
    assert "82 codings" in result.output
    on_pg = Project.init(tmp_path / "study", database=pg)  # joins schema 'study'
    on_pg.export(tmp_path / "export_pg")
    on_pg.close()
    result = CliRunner().invoke(main, ["db", "pull", pg, str(tmp_path / "archive"),
                                       "--schema", "study"])
    assert result.exit_code == 0, result.output
    with Project.open(tmp_path / "archive") as back:
        assert not (back.folder / DATABASE_FILE).exists()
        back.export(tmp_path / "export_pulled")
    assert same_tree(tmp_path / "export_sqlite", tmp_path / "export_pg")
    assert same_tree(tmp_path / "export_sqlite", tmp_path / "export_pulled")
    # pushing again into the same schema is refused, and changes nothing
    result = run(original, "db", "push", pg, "--schema", "study")
    assert result.exit_code == 1 and "already holds a project" in result.output


def test_init_keeps_only_a_link_without_password(pg, tmp_path, data):
    result = CliRunner().invoke(main, ["init", str(tmp_path / "study"), "--database", pg,
                                       "--codebook", str(data / "codebook_small.yaml")])
    assert result.exit_code == 0, result.output
    folder = tmp_path / "study"
    assert sorted(f.name for f in folder.iterdir()) == [DATABASE_FILE]
    link = json.loads((folder / DATABASE_FILE).read_text())
    assert link["schema"] == "study" and "password" not in link["database"]
    with_password = as_login(pg, "postgres") + " password=secret"
    result = CliRunner().invoke(main, ["init", str(tmp_path / "other"), "--database",
                                       with_password])
    assert result.exit_code == 1 and "~/.pgpass" in result.output
    assert not (tmp_path / "other" / DATABASE_FILE).exists()


def test_imports_into_an_empty_database_project(pg, sample, tmp_path):
    """A plain export or .qdpx reads into an empty PostgreSQL project as into a file one."""
    sample.export(tmp_path / "plain")
    sample.export(tmp_path / "study.qdpx")
    for source in ("plain", "study.qdpx"):
        name = source.replace(".", "_")
        on_pg = Project.init(tmp_path / f"pg_{name}", database=pg)
        in_file = Project.init(tmp_path / f"file_{name}", database="")
        for p in (on_pg, in_file):
            p.import_from(tmp_path / source)
        assert on_pg.summary() == in_file.summary()
        assert on_pg.summary()["codings"] == sample.summary()["codings"]
        assert on_pg.table("recurrence").equals(in_file.table("recurrence"))
        on_pg.close()
        in_file.close()


def test_several_projects_in_one_database(pg, data, tmp_path):
    one = Project.create(tmp_path / "one", database=pg, codebook=data / "codebook_small.yaml")
    two = Project.init(tmp_path / "two", database=pg)
    assert one.summary()["themes"] > 0 and two.summary()["themes"] == 0
    two.add_theme("Only here")
    assert [t.label for t in two.codebook.themes] == ["Only here"]
    assert "Only here" not in [t.label for t in one.codebook.themes]
    one.close()
    two.close()
    with pytest.raises(ProjectError, match="no project 'three'"):
        Project.pull(pg, tmp_path / "three")


def test_roles_are_enforced_by_the_database(team, pg, tmp_path):
    for login, role in (("ipatest_alice", "coder"), ("ipatest_bob", "coder"),
                        ("ipatest_vic", "viewer")):
        assert run(team.folder, "db", "grant", login, role).exit_code == 0
    members = run(team.folder, "db", "members").output
    assert "ipatest_alice" in members and "viewer" in members
    alice = join(pg, "ipatest_alice", tmp_path / "alice")
    bob = join(pg, "ipatest_bob", tmp_path / "bob")
    vic = join(pg, "ipatest_vic", tmp_path / "vic")

    mine = alice.tag("P1", "1.1", lines="3")
    assert mine.coder == "ipatest_alice"  # the login, not $IPA_CODER or a setting
    with pytest.raises(ProjectError, match="row-level security"):
        alice.tag("P1", "1.1", lines="4", coder="ipatest_bob")  # not in another's name
    assert team.store.coding(mine.id).coder == "ipatest_alice"
    alice.note("P1", "my note", lines="3")
    alice.memo("1.1", "my memo")
    # a coder cannot delete another's coding, nor touch the codebook: one clear line each
    for folder, args, words in (
            (bob.folder, ["untag", str(mine.id)], "refused to change coding"),
            (alice.folder, ["theme", "rename", "1.1", "Mine now"], "permission denied"),
            (vic.folder, ["tag", "P1", "--theme", "1.1", "--lines", "5"], "may only read")):
        result = run(folder, *args)
        assert result.exit_code == 1, result.output
        assert result.output.startswith("error: ") and words in result.output
        assert "internal error" not in result.output and len(result.output.splitlines()) == 1
    assert team.store.coding(mine.id) is not None
    assert team.codebook.resolve("1.1").label != "Mine now"
    # a viewer still reads, reports and exports
    assert vic.table("recurrence").equals(team.table("recurrence"))
    assert run(vic.folder, "export", tmp_path / "vic_export").exit_code == 0
    # a coder removes their own; the owner anyone's
    assert alice.untag(mine.id) == 1
    theirs = bob.tag("P2", "1.1", lines="2")
    assert team.untag(theirs.id) == 1
    # revoked: no more writing
    assert run(team.folder, "db", "revoke", "ipatest_bob").exit_code == 0
    with pytest.raises(ProjectError):
        bob.tag("P2", "1.1", lines="4")
    for p in (alice, bob, vic):
        p.close()


def test_tagging_a_theme_deleted_meanwhile_is_one_clear_line(team, pg, tmp_path):
    team.add_theme("Short-lived", number="9")
    assert run(team.folder, "db", "grant", "ipatest_alice", "coder").exit_code == 0
    alice = join(pg, "ipatest_alice", tmp_path / "alice")
    assert alice.theme("9").label == "Short-lived"  # alice's codebook is loaded
    team.delete_theme("9")
    with pytest.raises(CodingError, match="deleted meanwhile"):
        alice.tag("P1", "9", lines="3")
    alice.close()


def _coder(folder: str, n: int, theme: str, start) -> None:
    """One coder's terminal: n tag calls, each its own transaction."""
    with Project.open(folder) as p:
        start.wait()
        for i in range(n):
            assert p.tag(f"P{i % 10 + 1}", theme, lines=str(i // 10 + 1)) is not None


def test_eight_coders_at_once_lose_nothing(team, pg, tmp_path):
    """8 processes x 100 tag calls while the owner renames the theme: 800 codings, each
    attributed to its login."""
    coders = [f"ipatest_c{i}" for i in range(8)]
    folders = []
    for login in coders:
        team.grant(login, "coder")
        join(pg, login, tmp_path / login).close()
        folders.append(str(tmp_path / login))
    ctx = multiprocessing.get_context("spawn")
    start = ctx.Event()
    procs = [ctx.Process(target=_coder, args=(f, 100, "2.1", start)) for f in folders]
    for proc in procs:
        proc.start()
    start.set()
    while team.store.count_codings() < 81 + 400 and any(p.is_alive() for p in procs):
        time.sleep(0.05)
    team.rename_theme("2.1", "Renamed while coding")
    for proc in procs:
        proc.join(300)
    assert [proc.exitcode for proc in procs] == [0] * 8
    by_coder: dict[str, int] = {}
    for c in team.store.codings(theme_ids=[team.theme("2.1").id]):
        by_coder[c.coder] = by_coder.get(c.coder, 0) + 1
    assert all(by_coder[login] == 100 for login in coders)
    assert team.store.count_codings() == 81 + 800
    assert team.theme("2.1").label == "Renamed while coding"


def _counting_coder(folder: str, n: int, theme: str, start, out) -> None:
    """A coder tagging on while the theme is merged away: each call lands, or is refused
    with one clear line: "deleted meanwhile" when the write raced the merge, "unknown
    theme" once this client has seen the new codebook. Anything else is sent back as the
    failure, so the test fails at once rather than waiting for a result."""
    ok = gone = 0
    try:
        with Project.open(folder) as p:
            start.wait()
            for i in range(n):
                try:
                    p.tag(f"P{i % 10 + 1}", theme, lines=str(i // 10 + 1))
                    ok += 1
                except CodingError as exc:
                    assert "deleted meanwhile" in str(exc), exc
                    gone += 1
                except ThemeNotFound as exc:
                    assert f"unknown theme '{theme}'" in str(exc), exc
                    gone += 1
            out.put((p.store.login(), ok, gone))
    except BaseException as exc:  # noqa: BLE001 - reported to the parent, then re-raised
        out.put((folder, None, f"{type(exc).__name__}: {exc}"))
        raise


def test_a_merge_while_coders_tag_loses_and_misattributes_nothing(team, pg, tmp_path):
    """4 coders x 60 tags on 2.2 while the owner merges 2.2 into 2.3: every coding that
    landed is on 2.3 under its own login; the calls after the merge are refused."""
    coders = [f"ipatest_m{i}" for i in range(4)]
    for login in coders:
        team.grant(login, "coder")
        join(pg, login, tmp_path / login).close()
    ctx = multiprocessing.get_context("spawn")
    start, out = ctx.Event(), ctx.Queue()
    procs = [ctx.Process(target=_counting_coder, args=(str(tmp_path / c), 60, "2.2", start, out))
             for c in coders]
    for proc in procs:
        proc.start()
    start.set()
    while team.store.count_codings() < 81 + 40 and any(p.is_alive() for p in procs):
        time.sleep(0.05)
    team.merge_themes("2.2", "2.3")
    results = {login: (ok, gone) for login, ok, gone in (out.get(timeout=300) for _ in procs)}
    assert all(ok is not None for ok, _ in results.values()), results
    for proc in procs:
        proc.join(300)
    assert [proc.exitcode for proc in procs] == [0] * 4
    assert all(ok + gone == 60 for ok, gone in results.values())
    assert "2.2" not in {t.number for t in team.codebook.themes}
    target = team.theme("2.3").id
    for login in coders:
        theirs = team.store.codings(coder=login)
        assert len(theirs) == results[login][0]
        assert {c.theme_id for c in theirs} <= {target}


def test_anonymise_apply_on_a_database_project(pg, tmp_path, data):
    """Names leave the transcripts, quotes and the history on PostgreSQL too."""
    p = Project.init(tmp_path / "anon", database=pg)
    p.config("spacy_model", "blank")
    f = tmp_path / "P1.txt"
    f.write_text("Interviewer: Who was there?\nP1: Alison came with Gareth.\n", encoding="utf-8")
    p.ingest(f)
    p.import_codebook(data / "codebook_small.yaml")
    p.tag("P1", "1.1", quote="Alison came with Gareth.")
    key = tmp_path / "key.csv"
    key.write_text("name,pseudonym\nAlison,friend\nGareth,brother\n", encoding="utf-8")
    p.anonymise_apply(key, log=tmp_path / "log.csv")
    assert "[friend] came with [brother]." in p.text("P1")
    assert p.codings().iloc[0].quote == "[friend] came with [brother]."
    p.export(tmp_path / "out")
    p.close()
    for path in (tmp_path / "out").rglob("*"):
        if path.is_file():
            assert "Alison" not in path.read_text(encoding="utf-8", errors="replace")


def test_coders_keep_their_own_pets(team, pg, tmp_path):
    """A coder makes, edits, fills and maps their own PETs; another coder's are refused in
    one line, a viewer writes none, the owner changes any."""
    for login, role in (("ipatest_alice", "coder"), ("ipatest_bob", "coder"),
                        ("ipatest_vic", "viewer")):
        team.grant(login, role)
    alice = join(pg, "ipatest_alice", tmp_path / "alice")
    bob = join(pg, "ipatest_bob", tmp_path / "bob")
    join(pg, "ipatest_vic", tmp_path / "vic").close()
    before = len(team.store.pets())
    first = alice.add_statement("P1", "a first statement", lines="3")
    second = alice.add_statement("P1", "a second statement", lines="4")
    pet = alice.idio.add_pet("P1", "Alice's PET", statements=[first.id])
    ref = alice.idio.ref(pet)
    assert pet.coder == "ipatest_alice"
    alice.idio.rename_pet(ref, "Alice's PET, renamed")
    alice.idio.assign(ref, [second.id])
    alice.idio.map(ref, "1.1")
    alice.idio.edit_statement(first.id, text="a first statement, reworded")
    assert team.idio.pet(ref).label == "Alice's PET, renamed"
    assert (pet.id, team.theme("1.1").id) in team.store.pet_themes()
    assert {s for p, s in team.store.pet_statements() if p == pet.id} == {first.id, second.id}
    # bob may not touch alice's PET, its statements or its mapping: one clear line each
    for args, words in ((["pet", "rename", ref, "Bob's now"], "refused to change PET"),
                        (["pet", "map", ref, "1.2"], "row-level security"),
                        (["pet", "map", ref, "1.1", "--remove"], "refused to change"),
                        (["pet", "assign", ref, "--statements", str(first.id), "--remove"],
                         "refused to change"),
                        (["pet", "delete", ref], "refused to change"),
                        (["statement-edit", str(first.id), "--text", "mine"],
                         "refused to change statement")):
        result = run(bob.folder, *args)
        assert result.exit_code == 1, result.output
        assert result.output.startswith("error: ") and words in result.output, result.output
        assert "internal error" not in result.output and len(result.output.splitlines()) == 1
    # a viewer writes no PET at all
    for args in (["pet", "add", "P1", "Vic's PET"], ["pet", "rename", ref, "Vic's"]):
        result = run(tmp_path / "vic", *args)
        assert result.exit_code == 1 and "may only read" in result.output, result.output
    assert len(team.store.pets()) == before + 1
    assert team.idio.pet(ref).label == "Alice's PET, renamed"
    # bob keeps his own; the owner may change anyone's
    theirs = bob.idio.add_pet("P2", "Bob's PET")
    bob.idio.delete_pet(bob.idio.ref(theirs))
    team.idio.rename_pet(ref, "Renamed by the owner")
    assert team.idio.pet(ref).label == "Renamed by the owner"
    alice.idio.delete_pet(ref)  # and alice still deletes her own
    assert len(team.store.pets()) == before
    for p in (alice, bob):
        p.close()


def test_two_clients_upgrading_an_old_project_at_once(pg, tmp_path):
    """A project left at the previous schema (as an older ipa-toolkit made it, without
    roles) is opened by two 'ipa' processes at the same moment: the upgrade runs once, under
    the lock, both commands succeed, and the schema ends at this version with its roles."""
    import subprocess
    import sys

    import psycopg
    from psycopg import sql

    from ipa_toolkit.store.postgres import pg_ddl

    with psycopg.connect(pg, autocommit=True) as con:
        con.execute("CREATE SCHEMA old_study; SET search_path TO old_study")
        for step in MIGRATIONS[:-1]:
            con.execute(pg_ddl(step))
        con.execute("CREATE TABLE schema_version (version INTEGER NOT NULL);"
                    "INSERT INTO schema_version VALUES (%s);"
                    "CREATE TABLE ipa_changes (n BIGINT NOT NULL);"
                    "INSERT INTO ipa_changes VALUES (0);"
                    "INSERT INTO participants (code, guid) VALUES ('P1', 'g-1')"
                    .replace("%s", str(len(MIGRATIONS) - 1)))
        folder = tmp_path / "old_study"
        folder.mkdir()
        (folder / DATABASE_FILE).write_text(json.dumps({"database": pg,
                                                        "schema": "old_study"}))
        # Hold the migration lock, so that both clients are surely waiting on it at once.
        dbname = con.info.dbname
        con.execute("SELECT pg_advisory_lock(hashtext(%s))", (f"ipa-toolkit {dbname}/old_study",))
        ipa = [sys.executable, "-m", "ipa_toolkit", "-p", str(folder), "participants",
               "list"]
        procs = [subprocess.Popen(ipa, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                  text=True) for _ in range(2)]
        waiting = 0
        for _ in range(600):
            waiting = con.execute("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' "
                                  "AND NOT granted").fetchone()[0]
            if waiting == 2 or any(p.poll() is not None for p in procs):
                break
            time.sleep(0.1)
        assert waiting == 2, [p.poll() is None or p.communicate() for p in procs]
        con.execute("SELECT pg_advisory_unlock_all()")
        outputs = [p.communicate(timeout=120)[0] for p in procs]
        assert [p.returncode for p in procs] == [0, 0], outputs
        assert all("P1" in out for out in outputs)
        version = con.execute("SELECT version, grants FROM schema_version").fetchone()
        assert version == (len(MIGRATIONS), GRANTS)
        assert con.execute("SELECT n FROM ipa_changes").fetchone()[0] == 1  # one upgrade
        assert con.execute(sql.SQL("SELECT count(*) FROM pg_roles WHERE rolname LIKE {}")
                           .format(f"ipa_{dbname}_old_study_%")).fetchone()[0] == 3
    with Project.open(folder) as p:
        assert p.participant("P1").code == "P1"
        assert p.store.schema_version == len(MIGRATIONS)


def test_rights_of_an_older_version_are_upgraded_by_the_next_owner(team, pg, tmp_path):
    """A database whose roles have the previous version's rights (coders could not make
    PETs): a coder works on meanwhile, the next owner to open it upgrades the rights."""
    import psycopg

    team.grant("ipatest_alice", "coder")
    coder = team.store.role("coder")
    with psycopg.connect(pg, autocommit=True) as con:  # as the previous version left it
        con.execute("SET search_path TO team")
        for table in ("pets", "pet_statements", "pet_themes"):
            con.execute(f"DROP POLICY ipa_add ON {table}; DROP POLICY ipa_edit ON {table};"
                        f"DROP POLICY ipa_remove ON {table}; DROP POLICY ipa_read ON {table};"
                        f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY;"
                        f'REVOKE INSERT, UPDATE, DELETE ON {table} FROM "{coder}"')
        con.execute("UPDATE schema_version SET grants = 1")
    team.close()
    alice = join(pg, "ipatest_alice", tmp_path / "alice")  # a coder cannot upgrade: works on
    assert alice.tag("P1", "1.1", lines="3").coder == "ipatest_alice"
    result = run(alice.folder, "pet", "add", "P1", "Alice's PET")
    assert result.exit_code == 1 and "permission denied for table pets" in result.output
    alice.close()
    with Project.open(team.folder) as owner:  # the next owner's client upgrades the rights
        assert owner.store._installed() == (len(MIGRATIONS), GRANTS)
    assert run(alice.folder, "pet", "add", "P1", "Alice's PET").exit_code == 0


@settings(max_examples=60, deadline=None)
@given(st.text(st.characters(blacklist_characters="\x00", blacklist_categories=("Cs",)),
               max_size=30))
def test_connection_strings_round_trip_through_libpq(value):
    """A value with spaces, quotes or backslashes survives being written into a connection
    string and parsed back by libpq itself."""
    from ipa_toolkit.store import libpq

    if libpq.library() is None:
        pytest.skip("no libpq to parse with")
    written = libpq.make_conninfo(dbname=value, user="someone", host="/tmp/x")
    assert libpq.parse_conninfo(written) == {"user": "someone", "dbname": value,
                                             "host": "/tmp/x"}


def test_the_small_connection_reads_back_what_it_writes(pg):
    """Values of every type the store uses come back from the ctypes connection as psycopg
    gives them: ints of each size, floats, text with quotes and newlines, NULL, empty text,
    bytes, bools, numerics; a refusal carries its SQLSTATE."""
    from decimal import Decimal

    from ipa_toolkit.store import libpq

    if libpq.library() is None:
        pytest.skip("no libpq")
    small = libpq.Connection(pg)
    values = (7, -40000, 2**40, 1.5, "it's a \\ \"quote\"\nover lines", None, b"\x00\xff",
              True, "")
    marks = ", ".join(f"${i}" for i in range(1, len(values) + 1))
    row = small.execute(f"SELECT {marks}, 10::numeric / 4, 'x' || $1", values).fetchone()
    assert row == (*values, Decimal("2.5000000000000000"), "x7")
    assert small.execute("CREATE TEMP TABLE t (n INTEGER); INSERT INTO t VALUES (1), (2)"
                         ).rowcount == 2
    assert small.execute("UPDATE t SET n = n + $1", (1,)).rowcount == 2
    with pytest.raises(libpq.Error) as info:
        small.execute("SELECT * FROM no_such_table")
    assert info.value.sqlstate == "42P01" and "no_such_table" in str(info.value)
    with pytest.raises(libpq.Error) as info:  # never cut short at the NUL
        small.execute("SELECT $1", ("before\x00after",))
    assert info.value.sqlstate == "22021"
    small.close()


def test_joining_with_ipa_init_never_drops_the_team_project(team, pg, tmp_path, data):
    """'ipa init DIR --database URL --schema team' joins: a viewer may, and a failure while
    filling the new folder (even the project's creator's) removes the folder's link only,
    never the team's schema."""
    team.grant("ipatest_vic", "viewer")
    before = team.summary()
    result = CliRunner().invoke(main, ["init", str(tmp_path / "vic"), "--database",
                                       as_login(pg, "ipatest_vic"), "--schema", "team"])
    assert result.exit_code == 0, result.output
    with Project.open(tmp_path / "vic") as vic:
        assert vic.summary() == before
    bad = tmp_path / "bad.yaml"
    bad.write_text("themes: [{number: 1.1}]\n", encoding="utf-8")  # a theme with no label
    result = CliRunner().invoke(main, ["init", str(tmp_path / "again"), "--database", pg,
                                       "--schema", "team", "--codebook", str(bad)])
    assert result.exit_code == 1 and result.output.startswith("error: "), result.output
    assert not (tmp_path / "again" / DATABASE_FILE).exists()
    with Project.open(team.folder) as still:
        assert still.summary() == before


def test_a_connection_the_server_ended_is_one_clear_line(pg, tmp_path, data):
    """An administrator ends the session (or the server restarts) under a client: its next
    command says the connection was lost, in one line, on either connection."""
    import psycopg

    p = Project.create(tmp_path / "study", database=pg, codebook=data / "codebook_small.yaml")
    p.add_participant("P1")
    for reading_whole_tables in (False, True):
        if reading_whole_tables:
            p.store.bulk()
        others = ("FROM pg_stat_activity WHERE usename = current_user AND datname = "
                  "current_database() AND pid <> pg_backend_pid()")
        with psycopg.connect(pg, autocommit=True) as admin:
            admin.execute(f"SELECT pg_terminate_backend(pid) {others}")
            for _ in range(300):  # until the session is really gone
                if not admin.execute(f"SELECT count(*) {others}").fetchone()[0]:
                    break
                time.sleep(0.05)
        with pytest.raises(ProjectError, match="lost the database connection"):
            p.add_theme("After the restart")
        with pytest.raises(ProjectError, match="lost the database connection"), \
                p.store.transaction():  # and a write that finds it gone
            pass
        p.close()
        p = Project.open(tmp_path / "study")
    p.close()


def test_help_in_a_team_folder_speaks_the_projects_terms(team, pg, tmp_path):
    """--help connects to no server: a command that read the settings leaves the project's
    terms in the folder's link file, so every member's help follows 'ipa config terms'."""
    assert "Personal experiential themes (PETs)" in run(team.folder, "pet", "--help").output
    assert run(team.folder, "config", "terms", "2009").exit_code == 0
    assert "Superordinate themes (case)" in run(team.folder, "pet", "--help").output
    member = Project.init(tmp_path / "member", database=pg, schema="team")
    member.close()
    link = json.loads((tmp_path / "member" / DATABASE_FILE).read_text(encoding="utf-8"))
    assert set(link) == {"database", "schema"}  # a new link holds no password
    assert run(tmp_path / "member", "config", "terms").exit_code == 0  # any command
    assert "Superordinate themes (case)" in run(tmp_path / "member", "pet", "--help").output
    link = json.loads((tmp_path / "member" / DATABASE_FILE).read_text(encoding="utf-8"))
    assert link["settings"] == {"terms": "2009"} and "password" not in json.dumps(link)


def test_a_report_forks_its_jobs_on_either_store_with_connections_of_their_own(sample,
                                                                             tmp_path):
    """A report's children open the project on a connection of their own (a SQLite file or
    a PostgreSQL schema; the parent's must not cross a fork), and write what the parent
    would: before, a team project drew its figures and wrote codings.csv one after the
    other in the parent. Nothing forks inside a transaction (the child would not see it)
    or beside another thread (a child can hang on a lock that thread held)."""
    import os
    import threading

    from ipa_toolkit.report import children

    out = tmp_path / "made.txt"

    def task(project):
        out.write_text(f"{os.getpid()} {project.summary()['codings']}", encoding="utf-8")

    job = children.start(sample, task, [out])
    child = job.pid
    assert child is not None and child != os.getpid()
    children.finish(sample, job)
    assert out.read_text(encoding="utf-8") == f"{child} {sample.summary()['codings']}"
    with sample.store.transaction():
        job = children.start(sample, task, [out])
        assert job.pid is None
        children.finish(sample, job)
    assert out.read_text(encoding="utf-8").startswith(f"{os.getpid()} ")
    release = threading.Event()
    other = threading.Thread(target=release.wait)
    other.start()
    try:
        job = children.start(sample, task, [out])
        assert job.pid is None
    finally:
        release.set()
        other.join()
    children.finish(sample, job)
    assert out.read_text(encoding="utf-8").startswith(f"{os.getpid()} ")
    sample.store.version()  # the parent's connection is still good after its children left


def test_a_team_projects_report_is_the_same_forked_or_not(sample, tmp_path, monkeypatch):
    forked = sample.report(tmp_path / "forked")
    monkeypatch.setenv("IPA_NO_FORK", "1")
    here = sample.report(tmp_path / "here")
    assert [p.name for p in forked] == [p.name for p in here]
    for a, b in zip(forked, here, strict=True):
        assert a.read_bytes() == b.read_bytes(), a.name
