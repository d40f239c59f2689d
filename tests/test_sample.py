"""The bundled sample: the seed study's Table 1, ten fictional transcripts, a coding sheet."""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys

import pytest

from .conftest import ROOT, SAMPLE, Cli

SEED = ROOT.parent / "shared" / "seed" / "nop_study_report.txt"


def seed_table1() -> list[list[str]]:
    """Table 1 of the seed report: cells are blocks separated by blank lines."""
    text = SEED.read_text(encoding="utf-8")
    body = text.split("Table 1. Participant information.", 1)[1]
    blocks = [" ".join(b.split()) for b in re.split(r"\n\s*\n", body)]
    cells = blocks[: 7 * 11]
    return [cells[i:i + 7] for i in range(0, len(cells), 7)]


@pytest.mark.skipif(not SEED.exists(), reason="../shared/seed is not beside this clone")
def test_participant_table_is_the_seed_table_1(sample):
    """Cell for cell. The seed is text extracted from a PDF: one row's cells come out of
    order (P4's last three cells print before its first four) and a hyphen at a line break
    is lost ("White Non-" + "British"), so rows compare as sets and hyphens are ignored."""
    expected = seed_table1()
    df = sample.participants()
    got = [["ID", *df.columns[1:]]] + df.astype(str).values.tolist()
    assert got[0] == expected[0]

    def norm(row):
        return sorted(cell.replace("-", "") for cell in row)

    assert [norm(r) for r in got[1:]] == [norm(r) for r in expected[1:]]
    assert got[4][3] == "White Non-British"


def test_ten_fictional_speaker_labelled_transcripts(sample):
    df = sample.transcripts()
    assert list(df.participant) == [f"P{i}" for i in range(1, 11)]
    assert sorted(df.format.unique()) == ["docx", "txt"]
    assert (df.format == "docx").sum() == 5
    assert df.words.between(1500, 3000).all(), df.words.tolist()
    for ref in df.transcript:
        lines = sample.lines(ref)
        assert any("FICTIONAL TRANSCRIPT" in ln.text for ln in lines[:3])
        roles = {ln.role for ln in lines}
        assert {"interviewer", "participant"} <= roles


def test_every_subordinate_theme_is_coded_from_several_participants(sample):
    cb = sample.codebook
    counts = sample.theme_counts()
    leaves = [t for t in cb.themes if not cb.children(t)]
    people = {t.number: counts[t.number][1] for t in leaves}
    assert all(n >= 3 for n in people.values()), people
    assert max(people.values()) == 10 and min(people.values()) <= 5
    assert (sample.codings().status == "ok").all()
    assert sample.codings().exemplar.sum() >= 8


def test_readme_quick_start_is_two_lines_and_the_main_command_works(tmp_path):
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = text.split("## Quick start", 1)[1].split("```bash\n", 1)[1].split("```", 1)[0]
    lines = block.strip().splitlines()
    assert len(lines) == 2
    main_line, test_line = lines
    assert "pytest" in test_line and "report --out sample_project/report" in main_line
    # run the main job's ipa commands (the install part is what CI itself exercises)
    for part in main_line.split(" && "):
        argv = shlex.split(part)
        if argv[0] != ".venv/bin/ipa":
            continue
        work = tmp_path / "clone"
        if not work.exists():
            work.mkdir()
            for name in ("codebooks", "transcripts_sample"):
                shutil.copytree(ROOT / name, work / name)
        r = subprocess.run([sys.executable, "-m", "ipa_toolkit", *argv[1:]], cwd=work,
                           capture_output=True, text=True)
        assert r.returncode == 0, r.stderr
    report = tmp_path / "clone" / "sample_project" / "report"
    assert {"codebook.txt", "codebook.yaml", "codings.csv"} <= {p.name for p in
                                                                report.iterdir()}
    tree = (report / "codebook.txt").read_text(encoding="utf-8")
    assert "1.1 Not my world" in tree and "10/10 participants" in tree


def test_sample_coding_sheet_reimports_as_no_op(sample):
    assert sample.import_codings(SAMPLE / "codings.csv")["added"] == 0


def test_sample_project_via_cli_lists_codings(sample):
    r = Cli(sample.folder)("codings", "--theme", "2.3", "--format", "csv")
    assert r.exit_code == 0
    assert sorted({row.split(",")[1] for row in r.stdout.splitlines()[1:]}) == \
        ["P1", "P10", "P3", "P6", "P7"]


def test_sample_carries_the_idiographic_layer_without_changing_the_group_tables(sample):
    from ipa_toolkit.report import tables

    pets = sample.pets()
    assert {"P1", "P3", "P5"} <= set(pets.participant)
    assert (pets.themes != "").all() and (pets.statements != "").all()
    assert len(sample.statements()) >= 9
    with_pets = [tables.themes(sample, contributors="fraction", passages=True),
                 tables.recurrence(sample), tables.quotes(sample)]
    with sample.store.transaction():
        for pid, tid in sample.store.pet_themes():
            sample.store.remove_pet_theme(pid, tid)
    without = [tables.themes(sample, contributors="fraction", passages=True),
               tables.recurrence(sample), tables.quotes(sample)]
    assert all(a.equals(b) for a, b in zip(with_pets, without, strict=True))
