"""Plain-files export/import: a lossless, byte-stable round trip for version control."""

from __future__ import annotations

import filecmp

import pytest

from ipa_toolkit.errors import IpaError
from ipa_toolkit.project import Project

from .conftest import dump


def _tree(folder):
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


def test_round_trip_is_lossless_and_byte_stable(sample, tmp_path):
    sample.note("P3", "speaks in the past tense", lines="12-13", kind="linguistic")
    sample.memo("1.2", "grief with nobody to bury")
    sample.tag("P3", "1.1", lines="20-21", coder="RB", note="second coder")
    first = sample.export(tmp_path / "first")
    clone = Project.init(tmp_path / "clone")
    counts = clone.import_from(first)
    assert counts["codings"] == 82 and counts["transcripts"] == 10
    second = clone.export(tmp_path / "second")
    assert _tree(first) == _tree(second)
    match, mismatch, errors = filecmp.cmpfiles(first, second, _tree(first), shallow=False)
    assert not mismatch and not errors
    # and the project itself answers the same
    for a, b in ((sample.codings(), clone.codings()), (sample.participants(),
                                                       clone.participants())):
        assert a.drop(columns=["id"], errors="ignore").equals(
            b.drop(columns=["id"], errors="ignore"))
    assert sample.codebook_tree() == clone.codebook_tree()
    assert sample.show("P3") == clone.show("P3")
    assert sample.notes().drop(columns="id").equals(clone.notes().drop(columns="id"))


def test_export_files_are_plain_and_diff_friendly(sample, tmp_path):
    out = sample.export(tmp_path / "files")
    assert {"codebook.yaml", "participants.csv", "codings.csv", "transcripts.csv",
            "transcripts/P1.txt"} <= set(_tree(out))
    raw = (out / "participants.csv").read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf") and b"\r\n" not in raw
    header = (out / "participants.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header.startswith("ID,Gender,Age,Ethnicity,") and header.endswith(",guid")


def test_import_refuses_a_non_empty_project_and_tampered_text(sample, tmp_path):
    out = sample.export(tmp_path / "files")
    before = dump(sample.folder)
    with pytest.raises(IpaError, match="empty"):
        sample.import_from(out)
    assert dump(sample.folder) == before
    t = out / "transcripts" / "P2.txt"
    t.write_text(t.read_text(encoding="utf-8").replace("call centre", "bank"),
                 encoding="utf-8")
    clone = Project.init(tmp_path / "clone")
    with pytest.raises(IpaError, match="P2"):
        clone.import_from(out)
    assert clone.is_empty()


def test_round_trip_carries_statements_pets_mappings_and_the_log(sample, tmp_path):
    s1 = sample.add_statement("P3", "grief without a death", lines="12-14", note="n")
    s2 = sample.add_statement("P3", "a family split", lines="20-22")
    ix = sample.idio
    ix.add_pet("P3", "Mourning a man still alive", statements=[s1.id, s2.id])
    ix.add_pet("P3", "The split", parent="P3:1", statements=[s2.id])
    ix.map("P3:1", "1.2")
    ix.map("P3:1.1", "2.1")
    first = sample.export(tmp_path / "first")
    clone = Project.init(tmp_path / "clone")
    counts = clone.import_from(first)
    assert (counts["statements"], counts["pets"]) == (len(sample.statements()),
                                                      len(sample.pets()))
    assert counts["log"] == len(sample.log()) > 100
    assert clone.log().drop(columns="id").equals(sample.log().drop(columns="id"))
    assert clone.statements().drop(columns="id").equals(sample.statements().drop(columns="id"))
    assert clone.pets().drop(columns=["id", "statements"]).equals(
        sample.pets().drop(columns=["id", "statements"]))
    second = clone.export(tmp_path / "second")
    match, mismatch, errors = filecmp.cmpfiles(first, second, _tree(first), shallow=False)
    assert not mismatch and not errors
    assert clone.theme_counts() == sample.theme_counts()


def test_formula_like_cells_are_inert_in_the_export_and_come_back_exactly(small, tmp_path):
    import csv

    values = ["=1+1", "'=already quoted", "''+x", "-2+3", "@me", "-2", "plain"]
    for k, v in enumerate(values):
        small.set_attribute("P2", f"A{k}", v)
    small.tag("P7", "1.1", lines="2", note="+cmd|' /C calc'!A0")
    out = small.export(tmp_path / "plain")
    for f in out.glob("*.csv"):
        with f.open(encoding="utf-8", newline="") as fh:
            cells = [c for row in csv.reader(fh) for c in row]
        assert not [c for c in cells if c[:1] in ("=", "+", "@")
                    or (c[:1] == "-" and c != "-2")], f
    clone = Project.init(tmp_path / "clone")
    clone.import_from(out)
    assert [clone.participant("P2").attributes[f"A{k}"] for k in range(len(values))] == values
    assert clone.codings().note.tolist() == ["+cmd|' /C calc'!A0"]


def test_a_coding_longer_than_the_csv_modules_field_limit_comes_back(tmp_path):
    """A coding of a long passage (here 150,000 characters, past the csv module's 128 KiB
    field default) is written into codings.csv, log.csv and a coding sheet; each reads
    back instead of failing as an internal error."""
    import random

    from ipa_toolkit.sheets.statements import export_codings

    from .conftest import CODEBOOKS

    rnd = random.Random(3)
    words = "the of and grief loss court police home family time".split()
    text = "\n\n".join(("Interviewer: " if i % 2 == 0 else "P9: ")
                       + " ".join(rnd.choice(words) for _ in range(60)) for i in range(420))
    (tmp_path / "P9.txt").write_text(text, encoding="utf-8")
    p = Project.create(tmp_path / "big", codebook=CODEBOOKS / "nop_study.yaml",
                       transcripts=[tmp_path / "P9.txt"], database="")
    n = int(p.transcripts().lines.iloc[0])
    c = p.tag("P9", "1.2", lines=(1, n))
    assert len(c.quote) > 131072
    p.export(tmp_path / "out")
    export_codings(p, tmp_path / "sheet.csv")
    copy = Project.init(tmp_path / "copy", database="")
    copy.import_from(tmp_path / "out")
    assert dump(copy.folder) == dump(p.folder)
    fresh = Project.create(tmp_path / "fresh", codebook=CODEBOOKS / "nop_study.yaml",
                           transcripts=[tmp_path / "P9.txt"], database="")
    assert fresh.import_codings(tmp_path / "sheet.csv")["added"] == 1
    assert fresh.codings().quote.tolist() == [c.quote]
    for x in (p, copy, fresh):
        x.close()


def test_an_edited_export_cannot_give_a_pet_anothers_statements(sample, tmp_path):
    """A plain export kept in version control may be edited or merged by hand: a PET
    moved to another participant with its statements, or a statement whose characters
    lie outside its transcript, is refused with the file and line; nothing is imported."""
    import csv
    import shutil

    sample.export(tmp_path / "sent")

    def edited(name, file, row, column, value):
        shutil.copytree(tmp_path / "sent", tmp_path / name)
        with open(tmp_path / name / file, encoding="utf-8", newline="") as fh:
            rows = list(csv.reader(fh))
        rows[row][rows[0].index(column)] = value
        with open(tmp_path / name / file, "w", encoding="utf-8", newline="") as fh:
            csv.writer(fh, lineterminator="\n").writerows(rows)
        return tmp_path / name

    cases = [(edited("a", "pets.csv", 1, "participant", "P2"),
              "pets.csv, line 2: statement ", "belongs to P1, not P2"),
             (edited("b", "statements.csv", 1, "end_char", "999999999"),
              "statements.csv, line 2: the statement's characters lie outside", ""),
             (edited("c", "statements.csv", 1, "start_char", "-5"),
              "statements.csv, line 2: the statement's characters lie outside", "")]
    for k, (folder, said, more) in enumerate(cases):
        clone = Project.init(tmp_path / f"clone{k}")
        before = dump(clone.folder)
        with pytest.raises(IpaError) as err:
            clone.import_from(folder)
        assert said in str(err.value) and more in str(err.value)
        assert dump(clone.folder) == before
        clone.close()
