"""Shared fixtures: real files under tests/data, real projects in temporary folders."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from ipa_toolkit.cli import main
from ipa_toolkit.project import Project

DATA = Path(__file__).parent / "data"
ROOT = Path(__file__).parent.parent
SAMPLE = ROOT / "transcripts_sample"
CODEBOOKS = ROOT / "codebooks"


@pytest.fixture
def data() -> Path:
    return DATA


@pytest.fixture
def project(tmp_path: Path) -> Project:
    """An empty project."""
    p = Project.init(tmp_path / "proj")
    yield p
    p.close()


@pytest.fixture
def small(tmp_path: Path) -> Project:
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
                   codings=SAMPLE / "codings.csv", comments=[SAMPLE]).close()
    return folder


@pytest.fixture
def sample(_sample_built: Path, tmp_path: Path) -> Project:
    """A fresh copy of the full sample project (ten transcripts, 81 codings)."""
    folder = tmp_path / "sample_project"
    shutil.copytree(_sample_built, folder)
    p = Project.open(folder)
    yield p
    p.close()


def dump(folder: Path) -> str:
    """Every row of the project database, for 'nothing changed' assertions."""
    con = sqlite3.connect(folder / "ipa_project.sqlite3")
    try:
        return "\n".join(con.iterdump())
    finally:
        con.close()


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
