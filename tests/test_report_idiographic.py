"""Idiographic reports: tables of PETs, convergence, terminology, the draft, the audit bundle."""

from __future__ import annotations

import csv

import docx
import pytest

from ipa_toolkit.errors import IpaError
from ipa_toolkit.report import idiographic as tables

from .conftest import Cli, dump


@pytest.fixture
def study(small):
    """The small project: P7 with a PET and a sub-theme, mapped to 1.2; P2 coded to 1.1."""
    small.add_statement("P7", "world turned upside down", lines="2-3", note="first")
    small.add_statement("P7", "shame of association", lines="5")
    small.add_statement("P7", "a second loss", lines="6")
    ix = small.idio
    ix.add_pet("P7", "A world undone", statements="1,2")
    ix.add_pet("P7", "Losing twice", parent="P7:1", statements="3")
    ix.map("P7:1", "1.2")
    small.tag("P2", "1.1", lines="2")
    return small


def test_table_of_pets_nests_sub_themes_and_cites_lines(study):
    df = tables.pets(study, "P7")
    assert list(df.columns) == ["Personal experiential theme", "Sub-theme",
                                "Experiential statement", "Extract", "Lines"]
    assert df.values.tolist()[0][:3] == ["1. A world undone", "", "world turned upside down"]
    assert df.values.tolist()[2][:3] == ["1. A world undone", "1.1. Losing twice",
                                         "a second loss"]
    assert df["Lines"].tolist() == ["2-3", "5", "6"]
    every = tables.pets(study)
    assert every.attrs["group"] == "Participant" and set(every.Participant) == {"P7"}


def test_terminology_presets_relabel_the_tables(study):
    study.config("terms", "2009")
    df = tables.pets(study, "P7")
    assert df.columns[0] == "Superordinate theme (case)" and df.columns[2] == "Emergent theme"
    assert tables.convergence(study).columns[0] == "Superordinate theme"
    study.config("terms", "generic")
    assert tables.pets(study, "P7").columns[0] == "Case theme"
    before = dump(study.folder)
    with pytest.raises(IpaError, match="unknown terminology preset 'APA'"):
        study.config("terms", "APA")
    assert dump(study.folder) == before


def test_convergence_counts_pets_and_codings_and_names_the_silent(study):
    df = tables.convergence(study)
    first = df[df["Group experiential theme"].str.startswith("1. ")]
    assert first["Group experiential theme"].iloc[0].endswith("(2 of 4)")
    row = first.set_index("Participant").loc["P7"]
    assert row["Contributes"] == "✓" and row["Personal experiential theme"] == \
        "A world undone (P7:1)"
    assert row["Citation"].startswith("(P7, 2")
    silent = first.set_index("Participant").loc[[p for p in first.Participant
                                                 if p not in ("P2", "P7")]]
    assert (silent["Contributes"] == "").all()
    assert study.check().text().count("P7 contributes to no theme") == 0


def test_convergence_shows_an_exemplar_else_the_earliest_passage_first_coded(study, tmp_path):
    """A contributor's extract over the whole group theme: a PET's statement first (P7),
    then an exemplar, else the passage starting earliest, of two such the one coded first;
    the draft quotes a sub-theme's so chosen."""
    study.tag("P2", "1.2", lines="3-4")
    later = study.tag("P2", "1.1", lines="4")
    study.tag("P2", "1.2", lines="1-2")
    study.tag("P2", "1.1", lines="1")

    def shown(who: str) -> str:
        df = tables.convergence(study)
        return df[df.iloc[:, 0].str.startswith("1. ")].set_index("Participant").loc[who,
                                                                                    "Citation"]

    assert shown("P2") == "(P2, 1-2)" and shown("P7").startswith("(P7, 2")
    study.set_exemplar(later.id)
    assert shown("P2") == "(P2, 4)"
    sub = tables._evidence(study)[study.codebook.resolve("1.1").id]["P2"]
    assert sub[0] == [] and sub[1][3] == ("P2", 4, 4)
    text = study.draft(tmp_path / "results.md").read_text(encoding="utf-8")
    assert "“Another world” (one of four participants): Unreality.\n\n> P2: Then the " \
        "waiting started. Months of it. (P2, 4)\n" in text


def test_report_has_an_appendix_per_case_read_back_from_word(study, tmp_path):
    files = study.report(tmp_path / "report")
    d = docx.Document(str(files[0]))
    heads = [p.text for p in d.paragraphs if p.style.name.startswith("Heading")]
    assert "Appendix: personal experiential themes of P7" in heads
    assert "Appendix: convergence and divergence across participants" in heads
    cells = {c.text for t in d.tables for r in t.rows for c in r.cells}
    assert {"1. A world undone", "1.1. Losing twice", "shame of association", "5"} <= cells
    assert (tmp_path / "report" / "tables" / "table8_pets_P7.md").exists()


def test_draft_mirrors_a_results_section(study, tmp_path):
    path = study.draft(tmp_path / "results.docx")
    d = docx.Document(str(path))
    text = [p.text for p in d.paragraphs]
    assert text[0] == "Results"
    assert any(t.startswith("Group experiential theme 1: “") for t in text)
    assert any("was shared by two of four participants" in t for t in text)
    assert any("(P7, 2-3)" in t and "[A world undone (P7:1)]" in t for t in text)
    assert any(t.startswith("Divergence: ") and "P2" in t for t in text)
    md = study.draft(tmp_path / "results.md").read_text(encoding="utf-8")
    assert md.startswith("# Results") and "> " in md


def test_audit_bundle_follows_a_get_down_to_lines(study, tmp_path):
    study.audit(tmp_path / "audit")
    trail = (tmp_path / "audit" / "trail.md").read_text(encoding="utf-8")
    part = trail[trail.index("## Sub-theme 1.2: "):]
    assert "PET P7:1 \"A world undone\"" in part
    assert "#1 \"world turned upside down\" (P7, 2-3)" in part
    numbered = (tmp_path / "audit" / "transcripts" / "P7_interview.txt").read_text(
        encoding="utf-8").splitlines()
    assert numbered[2].lstrip().startswith("2  ")
    with open(tmp_path / "audit" / "log.csv", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == len(study.log())
    assert any(r["entity"] == "pet_theme" and r["theme"] == "1.2" for r in rows)


def test_audit_bundle_keeps_every_transcript_and_leaves_other_folders_alone(tmp_path):
    """Two transcript names that clean to one file name (P1:a, P1?a) give two files, not
    one written over the other; a folder holding other files is refused, untouched; an
    earlier bundle is refreshed."""
    from ipa_toolkit.project import Project

    (tmp_path / "in").mkdir()
    for name, said in (("P1:a", "first"), ("P1?a", "second")):
        (tmp_path / "in" / f"{name}.txt").write_text(f"Interviewer: hi\n\nP1: {said}\n",
                                                    encoding="utf-8")
    p = Project.create(tmp_path / "p", transcripts=[tmp_path / "in"], database="")
    p.audit(tmp_path / "a")
    texts = sorted(f.read_text(encoding="utf-8") for f in (tmp_path / "a" / "transcripts")
                   .iterdir())
    assert len(texts) == 2 and "first" in texts[0] and "second" in texts[1]
    p.audit(tmp_path / "a")  # an earlier bundle: refreshed
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "log.csv").write_text("keep", encoding="utf-8")
    r = Cli(p.folder)("audit", "--out", tmp_path / "mine")
    assert r.exit_code == 1 and "holds no earlier audit bundle" in r.output
    assert [f.name for f in (tmp_path / "mine").iterdir()] == ["log.csv"]
    assert (tmp_path / "mine" / "log.csv").read_text(encoding="utf-8") == "keep"
    p.close()


def test_cli_table_pets_draft_audit_and_terms(study, tmp_path):
    cli = Cli(study.folder)
    study.close()
    r = cli("table", "pets", "--participant", "P7", "--format", "md")
    assert r.exit_code == 0 and "| 1. A world undone |" in r.output
    assert cli("config", "terms", "2009").output.strip() == "terms: 2009"
    assert "Emergent theme" in cli("table", "pets", "--participant", "P7").output
    assert cli("draft", "--out", tmp_path / "r.docx").exit_code == 0
    r = cli("draft", "--out", tmp_path / "r.pdf")
    assert r.exit_code == 1 and "draft is written as .docx or .md" in r.output
    assert cli("audit", "--out", tmp_path / "a").exit_code == 0


def test_check_warns_of_unmapped_pets_and_unclustered_statements(study):
    r = study.check()
    assert "unmapped PETs" in r.passed and "unclustered statements" in r.passed
    study.add_statement("P7", "left over", lines="7")
    study.idio.add_pet("P7", "Not yet placed")
    text = study.check().text()
    assert "WARN  unmapped PETs: PET P7:2 'Not yet placed' feeds no group experiential " \
        "theme" in text
    assert "WARN  unclustered statements: experiential statement #4 'left over' (P7, 7) is " \
        "in no PET" in text
    study.config("terms", "2009")
    text = study.check().text()
    assert "Case theme P7:2 'Not yet placed' feeds no superordinate theme" in text
    assert "emergent theme #4 'left over' (P7, 7) is in no case theme" in text
    # the checks' own names too (they said 'unmapped PETs' under every preset)
    assert "WARN  unmapped case themes: " in text
    assert "WARN  unclustered emergent themes: " in text
    assert "PET" not in text and "statement" not in text
    study.config("terms", "generic")
    assert "WARN  unclustered codes: " in study.check().text()


def test_a_participant_id_too_long_for_a_file_name_still_reports_and_exports(tmp_path):
    """A 300-character participant ID (accepted by the participant table) names the
    per-participant table files cut to a file name, and the coded transcript's title is
    cut to Word's 255 characters (both were errors: 'File name too long', an internal
    error)."""
    from ipa_toolkit.project import Project

    from .conftest import DATA

    long_id = "L" * 300
    (tmp_path / "people.csv").write_text(f"ID,Age\n{long_id},6\n", encoding="utf-8")
    (tmp_path / "t.txt").write_text(f"Interviewer: hi\n\n{long_id}: some words here\n",
                                    encoding="utf-8")
    p = Project.create(tmp_path / "p", codebook=DATA / "codebook_small.yaml",
                       participants=tmp_path / "people.csv", database="")
    p.ingest(tmp_path / "t.txt", participant=long_id)
    s = p.add_statement(long_id, "a statement", lines="3", coder="RA")
    p.idio.add_pet(long_id, "A PET", statements=str(s.id), coder="RA")
    cli = Cli(p.folder)
    p.close()
    r = cli("report", "--out", tmp_path / "report", "--figures", "png")
    assert r.exit_code == 0, r.output
    pets = sorted((tmp_path / "report" / "tables").glob("table8_pets_L*"))
    assert len(pets) == 6 and all(len(f.name) < 120 for f in pets)
    for args in ((), ("--three-column",)):
        r = cli("export-transcript", long_id, *args, "--out", tmp_path / "t.docx")
        assert r.exit_code == 0, r.output
        assert docx.Document(str(tmp_path / "t.docx")).core_properties.title.startswith("t (L")
