"""``ipa anonymise apply`` leaves no name behind: every byte of the project folder and of
every export format is searched for each key name after applying the key."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from ipa_toolkit.errors import InputError, ValidationReport
from ipa_toolkit.nlp.anonymise import key_pattern
from ipa_toolkit.project import Project

from .conftest import Cli

NAMES = ("Bartholomew", "Gwendolyn", "Featherstonehaugh")
KEY = "name,pseudonym\nBartholomew,husband\nGwendolyn,sister\nFeatherstonehaugh,surname\n"
VTT = """WEBVTT

00:00:01.000 --> 00:00:04.000
<v Gwendolyn>Bartholomew, how are things now?</v>

00:00:04.000 --> 00:00:08.000
<v Bartholomew>Better, I think. Slowly.</v>

00:00:08.000 --> 00:00:12.000
<v Bartholomew>Gwendolyn rang me on Tuesday about it.</v>
"""
CODEBOOK = """name: Study of Gwendolyn
levels: [superordinate, subordinate]
themes:
  - number: "1"
    label: Shock
    themes:
      - number: "1.1"
        label: Bartholomew's world
        description: What Bartholomew saw.
        inclusion: Gwendolyn's view.
        exclusion: Featherstonehaugh family matters.
        keywords: [gwendolyn, shock]
"""


def _every_byte(path: Path) -> bytes:
    """A file's bytes, and for zip containers (docx, xlsx, qdpx) every member's too."""
    data = path.read_bytes()
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as z:
            data += b"".join(z.read(n) + n.encode() for n in z.namelist())
    return data


def _hits(root: Path) -> list[str]:
    found = []
    for p in [root, *root.rglob("*")] if root.is_dir() else [root]:
        if p.is_file():
            blob = (str(p.relative_to(root.parent)).encode() + _every_byte(p)).lower()
            found += [f"{p.name}: {n}" for n in NAMES
                      if n.lower().encode() in blob
                      or n.lower().encode("utf-16-le") in blob]
    return found


@pytest.fixture
def named(tmp_path) -> Project:
    """A project where the names are everywhere a researcher could put them."""
    (tmp_path / "cb.yaml").write_text(CODEBOOK, encoding="utf-8")
    src = tmp_path / "src"
    src.mkdir()
    (src / "P2_Bartholomew.txt").write_text(
        "Interviewer: Tell me about Bartholomew.\n\nP2: Bartholomew Featherstonehaugh was my "
        "husband. Gwendolyn, my sister, found out first.\n\nInterviewer: And Sal and Hal?\n\n"
        "P2: They never knew. Bartholomew told nobody.\n", encoding="utf-8")
    (src / "P3_Gwendolyn.vtt").write_text(VTT, encoding="utf-8")
    p = Project.create(tmp_path / "proj", codebook=tmp_path / "cb.yaml")
    p.store.command = "ipa ingest P2_Bartholomew.txt P3_Gwendolyn.vtt"  # as the CLI logs it
    p.ingest([src / "P2_Bartholomew.txt", src / "P3_Gwendolyn.vtt"])
    p.add_participant("P4", Partner="Bartholomew F.")
    p.set_attribute("P2", "Sister", "Gwendolyn")
    p.tag("P2", "1.1", quote="Bartholomew Featherstonehaugh was my husband",
          note="Gwendolyn knew", coder="RA")
    p.tag("P3", "1.1", quote="Gwendolyn rang me", coder="RA")
    p.note("P2", "Bartholomew is named", lines="2", kind="descriptive")
    p.memo("1.1", "Gwendolyn's role matters")
    p.add_statement("P2", "Loss of Bartholomew", quote="Bartholomew told nobody")
    p.config("interviewer_labels", "[interviewer, i, Dr Featherstonehaugh]")
    (p.folder / "ipa_project.sqlite3.v1-20260101000000.bak").write_bytes(
        b"old copy naming Bartholomew")
    return p


def test_apply_leaves_no_name_in_the_project_or_any_export(named, tmp_path):
    key = tmp_path / "key.csv"
    key.write_text(KEY, encoding="utf-8")
    speakers_before = [(ln.speaker, ln.role) for ln in named.lines("P3")]
    assert _hits(named.folder)  # the names are there to begin with
    r = named.anonymise_apply(key, log=tmp_path / "log.csv")
    assert r["transcripts"] == 2 and r["fields"] >= 10
    # secure delete on, the file rebuilt and the write-ahead log emptied while still open
    assert named.store._db.execute("PRAGMA secure_delete").fetchone()[0] == 1
    assert named.store._db.execute("PRAGMA freelist_count").fetchone()[0] == 0
    wal = named.folder / "ipa_project.sqlite3-wal"
    assert not wal.exists() or wal.stat().st_size == 0
    p = named  # the same object: nothing it cached may still hold a name
    assert not list(p.folder.glob("*.bak"))
    # the caption speakers keep their turns, under their pseudonyms
    swap = {"Gwendolyn": "[sister]", "Bartholomew": "[husband]"}
    assert [(ln.speaker, ln.role) for ln in p.lines("P3")] == \
        [(swap.get(s, s), role) for s, role in speakers_before]
    assert {t for t in p.transcripts().transcript} == {"P2_[husband]", "P3_[sister]"}
    text = p.text("P2")
    assert "And Sal and Hal?" in text
    out = tmp_path / "out"
    out.mkdir()
    p.export(out / "plain")
    p.export(out / "study.qdpx")
    p.export(out / "codebook.qdc")
    p.report(out / "report")
    p.export_transcript("P2", out / "P2.docx")
    p.export_transcript("P3", out / "P3.docx", three_column=True)
    cli = Cli(p.folder)
    for args in (["codings", "--format", "csv"], ["notes", "--format", "csv"],
                 ["memos", "--format", "csv"], ["participants", "list", "--format", "csv"],
                 ["transcripts", "--format", "csv"], ["log"], ["codebook", "show"]):
        r = cli(*args)
        assert r.exit_code == 0, (args, r.output)
        (out / ("_".join(args) + ".txt")).write_text(r.stdout, encoding="utf-8")
    assert (out / "report" / "codings.csv").exists()
    assert _hits(out) == []
    p.close()
    assert _hits(p.folder) == []


def test_key_names_are_whole_words_only(project, tmp_path):
    pattern = key_pattern([("Al", "[brother]")])
    text = "Al met Sal and Hal. Also AL's mate, P2_Al and Al2; al."
    assert pattern.sub("[brother]", text) == \
        "[brother] met Sal and Hal. Also [brother]'s mate, P2_[brother] and [brother]2; [brother]."
    f = tmp_path / "P1.txt"
    f.write_text("P1: Al met Sal and Hal.\n", encoding="utf-8")
    project.ingest(f)
    key = tmp_path / "key.csv"
    key.write_text("name,pseudonym\nAl,brother\n", encoding="utf-8")
    project.anonymise_apply(key)
    assert project.text("P1") == "P1: [brother] met Sal and Hal."


def test_key_and_log_stay_outside_the_project(named, tmp_path):
    inside = named.folder / "key.csv"
    inside.write_text(KEY, encoding="utf-8")
    with pytest.raises(InputError, match="key file names the real names"):
        named.anonymise_apply(inside)
    outside = tmp_path / "key.csv"
    outside.write_text(KEY, encoding="utf-8")
    with pytest.raises(InputError, match="replacement log"):
        named.anonymise_apply(outside, log=named.folder / "log.csv")
    assert "Bartholomew" in named.text("P2")


def test_a_pseudonym_holding_a_key_name_is_refused(project, tmp_path):
    key = tmp_path / "key.csv"
    key.write_text('name,pseudonym\nAl,Al 2\nBo,"x""y"\n', encoding="utf-8")
    with pytest.raises(ValidationReport) as info:
        project.anonymise_apply(key)
    assert len(info.value.problems) == 2
    assert any("holds the key name 'Al'" in x for x in info.value.problems)


