"""Coding sheets carry statements, PETs (sub-PETs as label paths) and their GETs; the
sheet export writes them back, and the round trip keeps codings, statements and PETs."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from ipa_toolkit.errors import ValidationReport
from ipa_toolkit.model import natural_key
from ipa_toolkit.project import Project

from .conftest import CODEBOOKS, DATA, SAMPLE, Cli, dump
from .test_interop_word_comments import _pet_tree

HEADER = ["participant", "lines", "quote", "theme", "note", "statement", "pet", "get"]


def _sheet(path: Path, rows: list[list[str]], header=HEADER) -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        w.writerows(rows)
    return path


def _state(p: Project) -> dict:
    c = p.codings()
    s = p.statements()
    return {"codings": sorted(zip(c.participant, c.theme_number, c.start_line, c.end_line,
                                  c.note, c.exemplar, c.coder, strict=True)),
            "statements": sorted(zip(s.participant, s.text, s.start_line, s.end_line, s.note,
                                     s.coder, strict=True)),
            "pets": {who: _pet_tree(p, who) for who in ("P1", "P2", "P3", "P5", "P7")
                     if who in set(p.participants().participant)}}


def test_a_sheet_makes_statements_files_them_under_pets_and_maps_them(small, tmp_path):
    small.add_statement("P7", "already there", lines="5")
    small.idio.add_pet("P7", "Aftermath")
    sheet = _sheet(tmp_path / "s.csv", [
        ["P7", "2-3", "", "1.1", "coded too", "world turned upside down",
         "A world undone", "1.2"],
        ["P7", "5", "", "", "why", "shame of association", "A world undone > Shame", ""],
        ["P7", "", "Afterwards nothing was the same", "", "", "a line drawn", "P7:1", ""],
        ["P2", "2", "", "2.1", "", "", "", ""],
    ])
    r = small.import_codings(sheet, coder="RA")
    assert (r["added"], r["statements"]) == (2, 3)
    pets = small.pets("P7").set_index("pet")
    assert pets.loc["P7:2", "label"] == "A world undone" and pets.loc["P7:2", "themes"] == "1.2"
    assert pets.loc["P7:2.1", "label"] == "Shame" and pets.loc["P7:2.1", "parent"] == "P7:2"
    st = small.statements("P7").set_index("text")
    assert st.loc["shame of association", "note"] == "why"  # no coding on the row
    assert st.loc["world turned upside down", "note"] == ""  # the coding has the note
    assert st.loc["a line drawn", "start_line"] == 5
    assert small.codings(participant="P7").note.tolist() == ["coded too"]
    assert small.import_codings(sheet, coder="RA")["statements"] == 0  # nothing twice


def test_every_bad_row_is_listed_and_nothing_is_written(small, tmp_path):
    small.add_statement("P2", "theirs", lines="2")
    small.idio.add_pet("P2", "Their PET", statements="1")
    sheet = _sheet(tmp_path / "bad.csv", [
        ["P7", "2", "", "", "", "ok", "P2:1", ""],
        ["P7", "2", "", "", "", "ok", "P7:4", ""],
        ["P7", "2", "", "", "", "ok", "New > ", ""],
        ["P7", "2", "", "", "", "", "Orphan PET", ""],
        ["P7", "2", "", "", "", "ok", "Fine", "9.9"],
        ["P7", "2", "", "", "", "ok", "", "1.2"],
        ["P7", "2", "", "", "", "", "", ""],
        ["P7", "2", "", "1.1", "", "ok", "Fine", "1.2"],  # good
    ])
    before = dump(small.folder)
    with pytest.raises(ValidationReport) as info:
        small.import_codings(sheet)
    assert info.value.problems == [
        f"{sheet}, line 2: PET P2:1 belongs to P2, not P7",
        f"{sheet}, line 3: P7 has no PET 4 (make one with 'ipa pet add P7 LABEL')",
        f"{sheet}, line 4: PET 'New >' has an empty label (write a sub-theme as 'PET label "
        "> sub-theme label')",
        f"{sheet}, line 5: PET 'Orphan PET' but no statement on the row (a PET gathers "
        "statements: write the statement too)",
        f"{sheet}, line 6: unknown GET '9.9' (write a theme number of the codebook, e.g. "
        "1.2; several as 1.2; 2.1)",
        f"{sheet}, line 7: GET 1.2 but no PET on the row (the get column maps the row's PET)",
        f"{sheet}, line 8: no theme and no statement on the row"]
    assert dump(small.folder) == before
    r = Cli(small.folder)("import-codings", sheet)
    assert r.exit_code == 1 and "7 bad row(s), nothing imported" in r.output
    assert f"{sheet}, line 2: PET P2:1 belongs to P2, not P7" in r.output
    assert dump(small.folder) == before


def test_export_then_import_round_trips_the_sample_as_xlsx(sample, tmp_path):
    ix = sample.idio
    s = sample.add_statement("P3", "=guilt at grieving", lines="46-47", note="+odd")
    ix.add_pet("P3", "Guilt", parent="P3:2", statements=str(s.id))
    ix.map("P3:2.1", ["1.2", "2.1"])
    cli = Cli(sample.folder)
    for suffix in ("xlsx", "csv"):
        out = tmp_path / f"sheet.{suffix}"
        assert cli("export-codings", out).exit_code == 0
        fresh = Project.create(tmp_path / f"fresh_{suffix}",
                               codebook=CODEBOOKS / "nop_study.yaml", transcripts=[SAMPLE])
        fresh.import_codings(out)
        assert _state(fresh) == _state(sample)
        fresh.close()
    r = cli("export-codings", tmp_path / "sheet.docx")
    assert r.exit_code == 1 and "written as .csv or .xlsx" in r.output


@pytest.fixture(scope="module")
def base(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("sheet") / "base"
    Project.create(folder, codebook=DATA / "codebook_small.yaml",
                   transcripts=[DATA / "P7_interview.docx"]).close()
    return folder


_label = st.text(st.characters(categories=("L", "N", "P", "Zs"), max_codepoint=0x2FFF,
                               exclude_characters=">:;,"),
                 min_size=1, max_size=12).filter(lambda x: x.strip())
_item = st.tuples(st.integers(1, 7), st.integers(0, 2), _label,
                  st.lists(_label, max_size=2), st.sampled_from(["", "1.1", "1.2", "2.1"]),
                  st.sampled_from(["", "1", "2.1; 1.2"]))


@settings(max_examples=12, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(items=st.lists(_item, min_size=1, max_size=6))
@example(items=[(1, 0, "0", ["1"], "", ""), (1, 0, "0", ["0", "1"], "", "")])
def test_round_trip_of_random_statements_and_pets(base, tmp_path_factory, items):
    """Random statements on random passages, filed under random PET paths (sub-PETs
    included) mapped to random GETs: export, import into a copy, the same state."""
    work = tmp_path_factory.mktemp("rt")
    shutil.copytree(base, work / "a")
    a = Project.open(work / "a")
    rows = []
    for line, extra, text, path, theme, gets in items:
        end = min(line + extra, 7)
        rows.append(["P7", f"{line}-{end}", "", theme, "", text,
                     " > ".join(path), gets if path else ""])
    a.import_codings(_sheet(work / "in.csv", rows), coder="RA")
    a.idio  # noqa: B018
    out = work / "out.csv"
    from ipa_toolkit.sheets.statements import export_codings

    export_codings(a, out)
    shutil.copytree(base, work / "b")
    b = Project.open(work / "b")
    b.import_codings(out)
    assert _state(b) == _state(a)
    a.close()
    b.close()


def test_formula_like_coders_notes_and_labels_round_trip_through_csv_and_xlsx(small,
                                                                              tmp_path):
    """Every cell of the sheet export is inert (a ' before = + - @ in CSV, text in XLSX) and
    every cell comes back as it was: coders too, which came back as '-RA before."""
    from ipa_toolkit.sheets.statements import export_codings

    small.tag("P7", "1.1", lines=(2, 3), coder="-RA", note='=HYPERLINK("http://x","y")')
    small.tag("P2", "2.1", lines=(2, 2), coder="=cmd|' /C calc'!A0", note="@SUM(1)")
    s = small.add_statement("P7", "+grief", lines="5", note="-odd", coder="@bob")
    small.idio.add_pet("P7", "=Guilt", statements=str(s.id), coder="@bob")
    small.idio.map("P7:1", "1.2")
    for suffix in ("csv", "xlsx"):
        out = export_codings(small, tmp_path / f"sheet.{suffix}")
        if suffix == "csv":
            with out.open(encoding="utf-8", newline="") as fh:
                cells = [c for row in csv.reader(fh) for c in row]
            assert not [c for c in cells if c and c[0] in "=+-@" and not c[1:].isdigit()]
        fresh = Project.create(tmp_path / f"fresh_{suffix}", codebook=DATA / "codebook_small.yaml",
                               participants=DATA / "participants.csv",
                               transcripts=[DATA / "P7_interview.docx", DATA / "P2_cp1252.txt"])
        fresh.import_codings(out)
        assert _state(fresh) == _state(small), suffix
        fresh.close()


def test_pet_labels_that_look_like_the_syntax_round_trip_through_word_and_sheets(small,
                                                                               tmp_path):
    """Labels with ':' ';' ',' and one label under two different PETs come back as the
    same PET tree from a coding sheet, a commented transcript and the three-column
    layout, into a fresh project."""
    ix = small.idio
    texts = ["torn: stay or go", "shame; again, and again", "the same shame", "alone"]
    ids = [small.add_statement("P7", t, lines=str(k + 2)).id for k, t in enumerate(texts)]
    ix.add_pet("P7", "Mourning: a living man", statements=str(ids[0]))
    ix.add_pet("P7", "Shame; guilt, fear", statements=str(ids[1]))
    ix.add_pet("P7", "Shame", parent="P7:1", statements=str(ids[2]))
    ix.add_pet("P7", "shame", parent="P7:2", statements=str(ids[3]))
    ix.map("P7:1.1", "1.2; 2.1")
    from ipa_toolkit.sheets.statements import export_codings

    (tmp_path / "c").mkdir()
    (tmp_path / "t").mkdir()
    outs = [export_codings(small, tmp_path / "sheet.csv"),
            small.export_transcript("P7", tmp_path / "c" / "P7_interview.docx"),
            small.export_transcript("P7", tmp_path / "t" / "P7_interview.docx",
                                    three_column=True)]
    for k, out in enumerate(outs):
        fresh = Project.create(tmp_path / f"fresh{k}", codebook=DATA / "codebook_small.yaml",
                               participants=DATA / "participants.csv",
                               transcripts=[DATA / "P7_interview.docx"])
        if out.suffix == ".csv":
            fresh.import_codings(out)
        else:
            fresh.import_comments(out)
        assert _pet_tree(fresh, "P7") == _pet_tree(small, "P7"), out
        fresh.close()


def test_exports_name_the_pets_they_cannot_carry(small, tmp_path):
    """A PET with no statement in it or its sub-themes cannot travel in a sheet or a Word
    file: the export says which (a sub-theme's statement carries its parent along)."""
    s = small.add_statement("P7", "x", lines="2")
    ix = small.idio
    ix.add_pet("P7", "Empty")
    ix.add_pet("P7", "Empty too", parent="P7:1")
    ix.add_pet("P7", "Parent only")
    ix.add_pet("P7", "Child", parent="P7:2", statements=str(s.id))
    cli = Cli(small.folder)
    said = "note: 2 PETs with no experiential statement (P7:1, P7:1.1) cannot travel in " \
           "this file; 'ipa export DIR' and .qdpx carry them"
    for args in (("export-codings", tmp_path / "s.xlsx"),
                 ("export-transcript", "P7", "--out", tmp_path / "t.docx")):
        r = cli(*args)
        assert r.exit_code == 0 and said in r.output, r.output
    r = cli("export-transcript", "P2", "--out", tmp_path / "p2.docx")
    assert r.exit_code == 0 and "note:" not in r.output
    ix.delete_pet("P7:1.1")
    ix.delete_pet("P7:1")
    assert "note:" not in cli("export-codings", tmp_path / "s.csv").output


def test_an_import_reads_each_participants_pets_once(small, tmp_path):
    """Filing many statements under many new PETs and sub-themes reads the participant's
    PETs once to check the sheet and once to file it, not once per row (2,000 statements
    under as many PETs took 41 s, growing with the square); the PETs come out as ever."""
    rows = [["P7", str(1 + k % 5), "", "", "", f"statement {k}", f"PET {k % 7} > sub {k % 3}",
             "1.1" if k % 2 else ""] for k in range(42)]
    seen: list[str] = []
    small.store._db.set_trace_callback(seen.append)
    small.import_codings(_sheet(tmp_path / "s.csv", rows), coder="RA")
    small.store._db.set_trace_callback(None)
    reads = [s for s in seen if "FROM pets WHERE participant_id" in s]
    assert len(reads) == 2, reads
    tree = _pet_tree(small, "P7")
    assert [path for path, _, _ in tree if " > " not in path] == [f"PET {k}" for k in range(7)]
    assert len(tree) == 7 + 7 * 3
    assert sum(len(texts) for _, texts, _ in tree) == 42
    numbers = sorted((p.number for p in small.store.pets()), key=natural_key)
    assert numbers[:4] == ["1", "1.1", "1.2", "1.3"] and numbers[-1] == "7.3"


def test_an_xlsx_export_edited_in_a_spreadsheet_imports_with_the_edits(small, tmp_path):
    """Export as .xlsx, edit it as a colleague would (a note changed, a row added, saved
    by another program: openpyxl here), import into a fresh project: the edits are there,
    the rest as exported; formula-like text stays text throughout."""
    import openpyxl

    from ipa_toolkit.sheets.statements import SHEET_COLUMNS, export_codings

    small.tag("P7", "1.1", lines=(2, 3), coder="RA", note="=first")
    small.tag("P2", "2.1", lines=(2, 2), coder="RA", note="multi\r\nline")
    out = export_codings(small, tmp_path / "sheet.xlsx")
    wb = openpyxl.load_workbook(out)
    ws = wb.active
    header = [c.value for c in ws[1]]
    assert header == list(SHEET_COLUMNS)
    col = {name: i + 1 for i, name in enumerate(header)}
    first = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, col["note"]).value == "=first")
    assert ws.cell(first, col["note"]).data_type == "s"
    ws.cell(first, col["note"], "edited by hand")
    ws.append({col["participant"]: "P7", col["lines"]: "5", col["theme"]: "1.2",
               col["coder"]: "RB", col["note"]: "@added"})
    wb.save(out)
    fresh = Project.create(tmp_path / "fresh", codebook=DATA / "codebook_small.yaml",
                           participants=DATA / "participants.csv",
                           transcripts=[DATA / "P7_interview.docx", DATA / "P2_cp1252.txt"])
    fresh.import_codings(out)
    notes = sorted(fresh.codings().note)
    assert notes == ["@added", "edited by hand", "multi\nline"]
    added = fresh.codings().set_index("note").loc["@added"]
    assert (added.participant, added.theme_number, added.start_line, added.coder) == \
        ("P7", "1.2", 5, "RB")
    fresh.close()
