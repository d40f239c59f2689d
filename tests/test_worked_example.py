"""A worked example of the whole IPA path for three participants.

Notes -> experiential statements -> PETs -> GETs, on the sample's text transcripts; every
table regenerated and read back from Word; recurrence the same whether the evidence comes
from codings or from PET mappings; the audit log replays to the same state.
"""

from __future__ import annotations

import csv
import sqlite3

import docx
import pytest

from ipa_toolkit.project import Project
from ipa_toolkit.report import idiographic as idio_tables
from ipa_toolkit.report import tables
from ipa_toolkit.report.writers import write_table

from .conftest import CODEBOOKS, SAMPLE

PEOPLE = ("P2", "P4", "P6")


def _rows() -> list[dict[str, str]]:
    with open(SAMPLE / "codings.csv", encoding="utf-8", newline="") as fh:
        return [r for r in csv.DictReader(fh) if r["participant"] in PEOPLE]


def _new(folder) -> Project:
    return Project.create(folder, codebook=CODEBOOKS / "nop_study.yaml",
                          transcripts=[SAMPLE / f"{p}.txt" for p in PEOPLE])


@pytest.fixture(scope="module")
def worked(tmp_path_factory):
    """(coded, idiographic): the same passages, coded directly in one project and taken
    through notes, statements and PETs mapped to GETs in the other."""
    base = tmp_path_factory.mktemp("worked")
    coded, idio = _new(base / "coded"), _new(base / "idio")
    clusters: dict[tuple[str, str], list[int]] = {}
    for r in _rows():
        coded.tag(r["participant"], r["theme"], quote=r["quote"])
        idio.note(r["participant"], f"what {r['participant']} says here", quote=r["quote"])
        s = idio.add_statement(r["participant"], f"living {r['theme']}", quote=r["quote"])
        clusters.setdefault((r["participant"], r["theme"]), []).append(s.id)
    for (who, theme), ids in sorted(clusters.items()):
        label = idio.theme(theme).label
        pet = idio.idio.add_pet(who, f"My own {label.lower()}", statements=ids)
        idio.idio.map(idio.idio.ref(pet), theme)
    yield coded, idio
    coded.close()
    idio.close()


def test_every_participant_has_a_table_of_pets(worked):
    _, idio = worked
    for who in PEOPLE:
        df = idio_tables.pets(idio, who)
        assert len(df) == len(idio.statements(who))
        assert df.attrs["title"] == f"Personal experiential themes of {who}"
        assert all(df["Lines"].str.fullmatch(r"\d+(-\d+)?"))


def test_recurrence_is_the_same_from_codings_or_from_mapped_pets(worked):
    coded, idio = worked
    assert not idio.codings().shape[0]  # no direct codings at all in this one
    a, b = tables.recurrence(coded), tables.recurrence(idio)
    assert a.equals(b)
    assert coded.theme_counts() == idio.theme_counts()
    a_check, b_check = coded.check(), idio.check()
    assert a_check.findings == b_check.findings
    assert set(b_check.passed) - set(a_check.passed) == {"unmapped PETs",
                                                          "unclustered statements"}
    assert tables.themes(coded, contributors="list").equals(
        tables.themes(idio, contributors="list"))


def test_convergence_names_pet_labels_and_non_contributors(worked):
    _, idio = worked
    df = idio_tables.convergence(idio)
    assert set(df["Participant"]) == set(PEOPLE)
    ticked = df[df["Contributes"] == "✓"]
    assert ticked["Personal experiential theme"].str.contains(r"\(P\d+:\d+\)").all()
    assert (ticked["Citation"].str.match(r"\(P\d+, \d+(-\d+)?\)")).all()
    silent = df[df["Contributes"] == ""]
    assert (silent["Extract"] == "").all()


def _docx_cells(path) -> tuple[list[str], set[str]]:
    d = docx.Document(str(path))
    [t] = d.tables
    rows = [[c.text for c in row.cells] for row in t.rows]
    return rows[0], {c for r in rows for c in r if c}


@pytest.mark.parametrize("name", [*tables.NAMES, "pets_P4"])
def test_every_table_regenerates_and_reads_back_from_word(worked, tmp_path, name):
    _, idio = worked
    df = idio_tables.pets(idio, "P4") if name == "pets_P4" else idio.table(name)
    path = write_table(df, tmp_path / f"{name}.docx", 2)
    header, cells = _docx_cells(path)
    shown = [c for c in df.columns if c != df.attrs.get("group")]
    assert header[: len(shown)] == [str(c) for c in shown]
    values = {str(v) for v in df.to_numpy().ravel() if str(v) not in ("", "nan", "None")}
    missing = {v for v in values if v not in cells and not any(v in c for c in cells)}
    assert not missing


def test_the_log_replays_to_the_same_state(worked, tmp_path):
    _, idio = worked
    rebuilt = Project.init(tmp_path / "rebuilt")
    with rebuilt.store.transaction():
        rebuilt.store.replay(idio.store.log_entries())
    rebuilt.close()

    def state(folder):
        con = sqlite3.connect(folder / "ipa_project.sqlite3")
        try:
            names = [r[0] for r in con.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name NOT IN "
                "('audit_log', 'log_texts', 'schema_version') ORDER BY name")]
            return {n: con.execute(f"SELECT * FROM {n} ORDER BY 1, 2").fetchall()
                    for n in names}
        finally:
            con.close()

    assert state(tmp_path / "rebuilt") == state(idio.folder)
    assert len(state(idio.folder)["pet_themes"]) == len(state(idio.folder)["pets"]) > 5
