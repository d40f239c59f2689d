"""Shared fixtures: real files under tests/data, real projects in temporary folders."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from ipa_toolkit.cli import main
from ipa_toolkit.project import Project
from ipa_toolkit.store.sql import tables

DATA = Path(__file__).parent / "data"
ROOT = Path(__file__).parent.parent
SAMPLE = ROOT / "transcripts_sample"
CODEBOOKS = ROOT / "codebooks"


@pytest.fixture
def data() -> Path:
    return DATA


# Test modules whose project fixtures run on both stores; the rest run on SQLite only.
BOTH = {"test_store", "test_project", "test_cli", "test_codebook", "test_coding",
        "test_interop_plain", "test_report_tables", "test_check", "test_postgres",
        "test_idiographic", "test_replay"}


def pytest_generate_tests(metafunc):
    if "backend" in metafunc.fixturenames:
        both = metafunc.module.__name__.rsplit(".", 1)[-1] in BOTH
        metafunc.parametrize("backend", ["sqlite", "postgres"] if both else ["sqlite"],
                             indirect=True)


@pytest.fixture(scope="session")
def pg_url() -> str:
    """A PostgreSQL server for the whole session: IPA_TEST_DATABASE_URL, or one started
    here from the pgserver wheel (as root, pgserver runs it as its own system user)."""
    url = os.environ.get("IPA_TEST_DATABASE_URL")
    if url:
        yield url
        return
    import tempfile
    import warnings

    with warnings.catch_warnings():  # platformdirs: no XDG_RUNTIME_DIR in CI containers
        warnings.simplefilter("ignore")
        import pgserver

    # Not under pytest's private tmp folder: the server's own user must reach the data.
    base = Path(tempfile.mkdtemp(prefix="ipa-pg-"))
    server = pgserver.get_server(base / "data", cleanup_mode="delete")
    import psycopg

    with psycopg.connect(server.get_uri(), autocommit=True) as con:  # a throwaway server
        con.execute("ALTER SYSTEM SET fsync = off")
        con.execute("ALTER SYSTEM SET synchronous_commit = off")
        con.execute("ALTER SYSTEM SET full_page_writes = off")
        con.execute("SELECT pg_reload_conf()")
    yield server.get_uri()
    server.cleanup()
    shutil.rmtree(base, ignore_errors=True)


def _leftovers(url: str) -> tuple[set[str], set[str]]:
    import psycopg

    with psycopg.connect(url, autocommit=True) as con:
        schemas = {r[0] for r in con.execute(
            "SELECT nspname FROM pg_namespace WHERE nspname NOT LIKE 'pg\\_%' "
            "AND nspname NOT IN ('information_schema', 'public')")}
        roles = {r[0] for r in con.execute(
            "SELECT rolname FROM pg_roles WHERE rolname LIKE 'ipa\\_%' "
            "OR rolname LIKE 'ipatest\\_%'")}
    return schemas, roles


def drop_new(url: str, before: tuple[set[str], set[str]]) -> None:
    """Remove the schemas and roles a test made, so the next one starts clean."""
    import psycopg
    from psycopg import sql

    schemas, roles = _leftovers(url)
    with psycopg.connect(url, autocommit=True) as con:
        for s in schemas - before[0]:
            con.execute(sql.SQL("DROP SCHEMA {} CASCADE").format(sql.Identifier(s)))
        for r in roles - before[1]:
            con.execute(sql.SQL("DROP OWNED BY {0} CASCADE; DROP ROLE {0}").format(
                sql.Identifier(r)))


@pytest.fixture
def backend(request, monkeypatch) -> str:
    """'sqlite' or 'postgres': where the project fixtures below keep their data.

    On PostgreSQL, IPA_DATABASE_URL is set, so every project the test makes lives in a
    schema of the session's server; the schemas and roles it made are dropped afterwards.
    """
    name = getattr(request, "param", "sqlite")
    if name == "sqlite":
        monkeypatch.delenv("IPA_DATABASE_URL", raising=False)
        yield name
        return
    url = request.getfixturevalue("pg_url")
    before = _leftovers(url)
    monkeypatch.setenv("IPA_DATABASE_URL", url)
    yield name
    drop_new(url, before)


@pytest.fixture
def project(backend: str, tmp_path: Path) -> Project:
    """An empty project."""
    p = Project.init(tmp_path / "proj")
    yield p
    p.close()


@pytest.fixture
def small(backend: str, tmp_path: Path) -> Project:
    """The small codebook, two transcripts (P7 docx, P2 cp1252 text) and three participants."""
    p = Project.create(tmp_path / "small", codebook=DATA / "codebook_small.yaml",
                       participants=DATA / "participants.csv",
                       transcripts=[DATA / "P7_interview.docx", DATA / "P2_cp1252.txt"])
    yield p
    p.close()


@pytest.fixture(scope="session")
def _sample_built(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("sample") / "sample_project"
    Project.create(folder, codebook=CODEBOOKS / "nop_study.yaml",
                   participants=SAMPLE / "participants.csv", transcripts=[SAMPLE],
                   codings=SAMPLE / "codings.csv", comments=[SAMPLE], database="").close()
    return folder


@pytest.fixture
def sample(backend: str, _sample_built: Path, tmp_path: Path) -> Project:
    """A fresh copy of the full sample project (ten transcripts, 81 codings); on
    PostgreSQL, pushed into a new schema that a fresh folder then joins."""
    folder = tmp_path / "sample_project"
    if backend == "postgres":
        with Project.open(_sample_built) as built:
            built.push(os.environ["IPA_DATABASE_URL"])
        p = Project.init(folder)
        yield p
        p.close()
        return
    shutil.copytree(_sample_built, folder)
    p = Project.open(folder)
    yield p
    p.close()


def dump(folder: Path) -> str:
    """Every row of every table of the project (either store), for 'nothing changed'
    assertions."""
    with Project.open(folder) as p:
        return "\n".join(f"{t} {row!r}" for t in tables() for row in p.store.rows(t))


class Cli:
    def __init__(self, folder: Path):
        self.folder = folder
        self.runner = CliRunner()

    def __call__(self, *args: str, project: bool = True):
        argv = (["-p", str(self.folder)] if project else []) + [str(a) for a in args]
        return self.runner.invoke(main, argv, catch_exceptions=False)


@pytest.fixture
def cli(small: Project) -> Cli:
    return Cli(small.folder)
