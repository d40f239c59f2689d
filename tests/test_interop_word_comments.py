"""Codings from Word comments, coded transcripts to Word, and hostile .docx files."""

from __future__ import annotations

import re
import zipfile

import docx
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from ipa_toolkit.errors import InputError, ValidationReport
from ipa_toolkit.interop.word_comments import parse_comment
from ipa_toolkit.project import Project

from .conftest import CODEBOOKS, SAMPLE, Cli, dump


@pytest.fixture
def cb(sample):
    return sample.codebook


@pytest.mark.parametrize("text,themes,note,kind", [
    ("1.2", ["1.2"], "", None),
    ("1.2 Mourning your life", ["1.2"], "", None),
    ("1.2 Mourning your life: lost retirement", ["1.2"], "lost retirement", None),
    ("Mourning your life", ["1.2"], "", None),
    ("mourning your life - the caravan", ["1.2"], "the caravan", None),
    ("1.2; 2.1 Seeing shades of grey; both at once", ["1.2", "2.1"], "both at once", None),
    ("1.2 note with a; semicolon", ["1.2"], "note with a; semicolon", None),
    ("4: police on the day [exemplar]", ["4"], "police on the day", None),
    ("D: she was in her dressing gown", [], "she was in her dressing gown", "descriptive"),
    ("l: repetition", [], "repetition", "linguistic"),
    ("C: loss without a death", [], "loss without a death", "conceptual"),
])
def test_comment_convention(cb, text, themes, note, kind):
    p = parse_comment(text, cb)
    assert p.unknown is None
    assert [t.number for t in p.themes] == themes
    assert p.note == note and p.note_kind == kind
    assert p.exemplar == ("[exemplar]" in text)


@pytest.mark.parametrize("text", ["A good point here", "9.9 nothing", "Grief"])
def test_unknown_themes(cb, text):
    assert parse_comment(text, cb).unknown == text


def test_sample_word_transcripts_carry_their_codings(sample):
    import csv

    rows = list(csv.DictReader(open(SAMPLE.parent / "tools" / "sample_sources" /
                                    "comments.csv", encoding="utf-8")))
    coded = [r for r in rows if r["theme"] not in ("D", "L", "C", "S")]
    df = sample.codings()
    from_word = df[df.participant.isin(["P1", "P3", "P5", "P7", "P9"])]
    assert len(from_word) == len(coded)
    got = sorted(zip(from_word.participant, from_word.theme_number, from_word.quote,
                     strict=True))
    assert got == sorted((r["participant"], r["theme"], r["quote"]) for r in coded)
    said = [r for r in rows if r["theme"] == "S"]
    assert len(sample.notes()) == len(rows) - len(coded) - len(said)
    assert len(sample.statements()) == len(said)


def test_round_trip_export_then_import(sample, tmp_path):
    sample.note("P2", "short answers here", lines="20-21", kind="C")
    sample.tag("P2", "1.1", lines="30-32", note="a spanning passage", exemplar=True,
               coder="RB")
    out = sample.export_transcript("P2", tmp_path / "P2_coded.docx")
    d = docx.Document(str(out))
    mine = sample.codings(participant="P2")
    assert len(list(d.comments)) == len(mine) + len(sample.notes("P2"))
    fresh = Project.create(tmp_path / "fresh", codebook=CODEBOOKS / "nop_study.yaml",
                           transcripts=[SAMPLE / "P2.txt"])
    r = fresh.import_comments(out)
    assert r["codings"] == len(mine)
    cols = ["participant", "start_line", "end_line", "start_char", "end_char", "quote",
            "theme_number", "coder", "note", "exemplar", "created"]
    assert fresh.codings()[cols].equals(mine[cols].reset_index(drop=True))
    assert fresh.notes().drop(columns="id").equals(
        sample.notes("P2").drop(columns="id").reset_index(drop=True))
    again = fresh.import_comments(out)
    assert again["codings"] == 0 and again["already_coded"] == len(mine)
    assert again["notes"] == 0


def test_three_column_layout(sample, tmp_path):
    out = sample.export_transcript("P3", tmp_path / "P3_ipa.docx", three_column=True)
    t = docx.Document(str(out)).tables[0]
    assert [c.text for c in t.rows[0].cells] == ["Experiential statements", "Transcript",
                                                 "Exploratory notes"]
    row = t.rows[35].cells
    assert row[1].text.strip().startswith("35  ") and row[0].text == \
        "1.1 Not my world: professional turned insider [exemplar] (35-36)\n" \
        "S: from professional to insider / PET: Inside the world she judged / GET: 1.1 (35-36)"


def _docx_with_comment(path, comment, where="body"):
    d = docx.Document()
    d.add_paragraph("Interviewer: How was it?")
    p = d.add_paragraph("P4: It was like another world.")
    tbl = d.add_table(rows=1, cols=1)
    tbl.cell(0, 0).text = "P4: And then the waiting."
    if where == "body":
        d.add_comment(p.runs, text=comment, author="Coder B")
    else:  # from a body paragraph into a table cell
        d.add_comment([p.runs[0], tbl.cell(0, 0).paragraphs[0].runs[0]], text=comment)
    d.save(str(path))
    return path


def test_unknown_theme_lists_the_comment_and_imports_nothing(sample, tmp_path):
    f = _docx_with_comment(tmp_path / "P4.docx", "Grief; sad")
    g = _docx_with_comment(tmp_path / "P11.docx", "1.1 Not my world")
    before = dump(sample.folder)
    with pytest.raises(ValidationReport) as info:
        sample.import_comments([g, f], ingest=True)
    assert info.value.problems == [f"{f}, line 2: comment \"Grief; sad\" names no known theme"]
    assert dump(sample.folder) == before
    r = sample.import_comments([g, f], ingest=True, skip_unknown=True)
    assert r["codings"] == 1 and r["skipped_unknown"] == 1
    assert sample.codings(participant="P11").coder.tolist() == ["Coder B"]


def test_comment_across_a_table_is_refused(project, tmp_path):
    project.import_codebook(CODEBOOKS / "nop_study.yaml")
    f = _docx_with_comment(tmp_path / "P4.docx", "1.1", where="across")
    before = dump(project.folder)
    with pytest.raises(InputError, match="across a table boundary"):
        project.import_comments(f, ingest=True)
    assert dump(project.folder) == before


def test_document_must_match_the_transcript(sample, tmp_path):
    f = _docx_with_comment(tmp_path / "P4.docx", "1.1")
    with pytest.raises(InputError, match="differs from the ingested transcript 'P4'"):
        sample.import_comments(f)
    with pytest.raises(InputError, match="no ingested transcript named 'Q'"):
        sample.import_comments(_docx_with_comment(tmp_path / "Q.docx", "1.1"))


def test_zip_bomb_and_external_entities_are_refused(project, tmp_path):
    bomb = tmp_path / "P1.docx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", " " * (30 * 2**20))
    with pytest.raises(InputError, match="zip bomb"):
        project.ingest(bomb)
    xxe = tmp_path / "P2.docx"
    src = docx.Document()
    src.add_paragraph("P2: hello")
    src.save(str(xxe))
    with zipfile.ZipFile(xxe) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    doc = parts["word/document.xml"].decode()
    doc = doc.replace("<w:document", '<!DOCTYPE w:document [<!ENTITY x SYSTEM '
                      '"file:///etc/hostname">]><w:document', 1).replace("hello", "&x;")
    doc = doc.replace('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n', "")
    parts["word/document.xml"] = doc.encode()
    with zipfile.ZipFile(xxe, "w") as z:
        for n, b in parts.items():
            z.writestr(n, b)
    try:
        [r] = project.ingest(xxe)
    except InputError:
        return  # refused outright: fine
    text = project.text("P2")
    hostname = open("/etc/hostname").read().strip() if __import__("os").path.exists(
        "/etc/hostname") else "\0"
    assert hostname not in text  # the entity was never resolved


def test_cli_import_and_export(sample, tmp_path):
    ipa = Cli(sample.folder)
    r = ipa("export-transcript", "P1", "--out", tmp_path / "P1.docx")
    assert r.exit_code == 0
    r = ipa("import-comments", tmp_path / "P1.docx")
    assert r.exit_code == 0 and "0 codings added" in r.stdout
    r = ipa("export-transcript", "P1", "--out", tmp_path / "P1.txt")
    assert r.exit_code == 1 and "written as .docx" in r.stderr
    r = ipa("import-comments", tmp_path / "nothing.docx")
    assert r.exit_code == 1 and "not found" in r.stderr


def test_s_comments_make_statements_and_export_round_trips_them(sample, tmp_path):
    s = sample.add_statement("P3", "grief without a death", lines="12-14")
    out = sample.export_transcript("P3", tmp_path / "P3_coded.docx")
    fresh = Project.create(tmp_path / "fresh", codebook=CODEBOOKS / "nop_study.yaml",
                           transcripts=[SAMPLE / "P3.docx"])
    r = fresh.import_comments(out)
    mine = sample.statements("P3")
    got = fresh.statements("P3")
    assert r["statements"] == len(mine) >= 2
    cols = ["text", "start_line", "end_line", "quote"]
    assert got[cols].equals(mine[cols])
    assert (12, 14, s.quote) in set(zip(got.start_line, got.end_line, got.quote, strict=True))
    assert fresh.import_comments(out)["statements"] == 0  # nothing twice
    fresh.close()


def test_three_column_export_reads_back_statements_and_notes(sample, tmp_path):
    sample.add_statement("P3", "grief without a death", lines="12-14")
    sample.note("P3", "past tense", lines="20-21", kind="linguistic")
    out = sample.export_transcript("P3", tmp_path / "P3_ipa.docx", three_column=True)
    t = docx.Document(str(out)).tables[0]
    assert "S: grief without a death (12-14)" in t.rows[12].cells[0].text
    assert t.rows[20].cells[2].text == "L: past tense (20-21)"
    fresh = Project.create(tmp_path / "fresh", codebook=CODEBOOKS / "nop_study.yaml",
                           transcripts=[SAMPLE / "P3.docx"])
    r = fresh.import_comments(out)
    mine = sample.statements("P3")
    assert (r["statements"], r["notes"], r["codings"]) == (
        len(mine), len(sample.notes("P3")), len(sample.codings(participant="P3")))
    cols = ["text", "start_line", "end_line"]  # the layout carries whole lines
    assert fresh.statements()[cols].equals(mine[cols])
    cols = ["kind", "note", "start_line", "end_line"]
    assert sorted(map(tuple, fresh.notes()[cols].values.tolist())) == \
        sorted(map(tuple, sample.notes("P3")[cols].values.tolist()))
    fresh.close()


def test_three_column_read_back_into_its_own_project_adds_nothing(sample, tmp_path):
    """The layout widens every entry to whole lines: read back into the project it came
    from, each entry is the coding, statement or note already there (same coder, same
    span), not a second, wider copy under the importer's name."""
    sample.add_statement("P3", "grief without a death", lines="12-14")
    sample.note("P3", "past tense", lines="20-21", kind="linguistic")
    out = sample.export_transcript("P3", tmp_path / "P3_ipa.docx", three_column=True)
    before = [sample.codings(participant="P3"), sample.statements("P3"), sample.notes("P3")]
    r = sample.import_comments(out, coder="someone else")
    assert (r["codings"], r["statements"], r["notes"]) == (0, 0, 0)
    assert r["already_coded"] == len(before[0]) > 0
    after = [sample.codings(participant="P3"), sample.statements("P3"), sample.notes("P3")]
    for old, new in zip(before, after, strict=True):
        assert new.equals(old)


def _pet_tree(p: Project, who: str) -> list[tuple]:
    """(PET path, its statements' texts, GETs) of one participant, ids aside."""
    from ipa_toolkit.method.idiographic import pet_path

    pets = p.store.pets(p.participant(who).id)
    texts = {s.id: s.text for s in p.store.statements()}
    member: dict[int, list[str]] = {}
    for pid, sid in p.store.pet_statements():
        member.setdefault(pid, []).append(texts[sid])
    gets: dict[int, list[str]] = {}
    for pid, tid in p.store.pet_themes():
        gets.setdefault(pid, []).append(p.codebook.get(tid).number)
    return sorted((pet_path(x, pets), tuple(sorted(member.get(x.id, []))),
                   tuple(sorted(gets.get(x.id, [])))) for x in pets)


def test_comments_name_sub_pets_and_the_export_writes_them_back(sample, tmp_path):
    ix = sample.idio
    s = sample.add_statement("P3", "guilt at grieving", lines="46")
    ix.add_pet("P3", "Guilt", parent="P3:2", statements=str(s.id))
    ix.map("P3:2.1", ["1.2", "2.1"])
    out = sample.export_transcript("P3", tmp_path / "P3_coded.docx")
    said = [c.text for c in docx.Document(str(out)).comments if c.text.startswith("S:")]
    assert "S: guilt at grieving / PET: Mourning a living man > Guilt / GET: 1.2; 2.1" in said
    fresh = Project.create(tmp_path / "fresh", codebook=CODEBOOKS / "nop_study.yaml",
                           transcripts=[SAMPLE / "P3.docx"])
    fresh.import_comments(out)
    assert _pet_tree(fresh, "P3") == _pet_tree(sample, "P3")
    assert fresh.pets("P3").set_index("pet").loc["P3:2.1", "label"] == "Guilt"
    n = len(fresh.pets())
    fresh.import_comments(out)  # again: nothing new
    assert len(fresh.pets()) == n and _pet_tree(fresh, "P3") == _pet_tree(sample, "P3")
    fresh.close()


@pytest.mark.parametrize("comment, problem", [
    ("S: lost / PET: P2:1", "names a PET that cannot be used: PET P2:1 belongs to P2, not P11"),
    ("S: lost / PET: P11:7", "names a PET that cannot be used: P11 has no PET 7"),
    ("S: lost / PET: Mourning > ", "names a PET that cannot be used: PET 'Mourning >' has an "
                                   "empty label"),
    ("S: lost / PET: Mourning / GET: 9.9", "maps to unknown GET 9.9"),
])
def test_bad_pet_in_a_comment_is_listed_and_nothing_imported(sample, tmp_path, comment,
                                                             problem):
    st = sample.add_statement("P2", "x", lines="2")
    sample.idio.add_pet("P2", "Theirs", statements=str(st.id))
    f = _docx_with_comment(tmp_path / "P11.docx", comment)
    sample.ingest(f)
    before = dump(sample.folder)
    with pytest.raises(ValidationReport) as info:
        sample.import_comments([f])
    assert info.value.problems == [f"{f}, line 2: comment \"{comment.strip()}\" {problem}"]
    assert dump(sample.folder) == before


def test_a_comment_path_makes_the_pet_and_its_sub_theme(sample, tmp_path):
    f = _docx_with_comment(tmp_path / "P11.docx",
                           "S: a world undone / PET: Shattered > Another world / GET: 1.1")
    sample.import_comments([f], ingest=True)
    pets = sample.pets("P11").set_index("pet")
    assert pets.loc["P11:1", "label"] == "Shattered" and pets.loc["P11:1.1", "parent"] == "P11:1"
    assert pets.loc["P11:1.1", "themes"] == "1.1" and pets.loc["P11:1", "themes"] == ""


def _three_column_state(p: Project, who: str) -> dict:
    """What a three-column document carries, ids, coders and times aside: codings (theme,
    note, exemplar, passage), statements and notes (passage), the PET tree."""
    def passage(df):
        return [" ".join(q.split()) for q in df.quote]

    c = p.codings(participant=who)
    n = p.notes(who)
    st = p.statements(who)
    return {"codings": sorted(zip(c.theme_number, c.note, c.exemplar, c.start_line,
                                  c.end_line, strict=True)),
            "statements": sorted(zip(st.text, st.start_line, st.end_line, strict=True)),
            "notes": sorted(zip(n.kind, n.note, n.start_line, n.end_line, strict=True)),
            "pets": _pet_tree(p, who)}


def test_three_column_round_trip_restores_codings_statements_notes_and_pets(sample, tmp_path):
    ix = sample.idio
    s = sample.add_statement("P3", "guilt at grieving", lines="46-47")
    ix.add_pet("P3", "Guilt", parent="P3:2", statements=str(s.id))
    ix.map("P3:2.1", "2.1")
    sample.note("P3", "past tense", lines="20-21", kind="linguistic")
    sample.tag("P3", "2.2", lines="60-62", note="both at once", exemplar=True)
    out = sample.export_transcript("P3", tmp_path / "P3_ipa.docx", three_column=True)
    fresh = Project.create(tmp_path / "fresh", codebook=CODEBOOKS / "nop_study.yaml",
                           transcripts=[SAMPLE / "P3.docx"])
    fresh.import_comments(out)
    want, got = _three_column_state(sample, "P3"), _three_column_state(fresh, "P3")
    assert got == want and len(want["codings"]) > 5 and len(want["pets"]) == 5
    again = fresh.import_comments(out)  # nothing twice
    assert (again["codings"], again["statements"], again["notes"]) == (0, 0, 0)
    fresh.close()


def test_three_column_is_anchored_by_the_passage_when_the_lines_moved(sample, tmp_path):
    """The transcript re-ingested at another width numbers its lines differently, and the
    document was edited (a typo fixed, a row's passage replaced): each entry is found by the
    passage beside it; the one whose passage is gone is one line, and nothing is imported."""
    out = sample.export_transcript("P3", tmp_path / "P3_ipa.docx", three_column=True)
    fresh = Project.init(tmp_path / "fresh")
    fresh.import_codebook(CODEBOOKS / "nop_study.yaml")
    fresh.config("wrap_width", "55")
    fresh.ingest(SAMPLE / "P3.docx")
    assert fresh.lines("P3")[40].text != sample.lines("P3")[40].text  # numbering moved
    r = fresh.import_comments(out)
    assert r["codings"] == len(sample.codings(participant="P3")) and r["statements"] == 4
    text = " ".join(fresh.text("P3").split())
    mine = sample.codings(participant="P3")
    for c, q in zip(fresh.codings(participant="P3").itertuples(), mine.quote, strict=True):
        got = " ".join(c.quote.split())
        assert got in text and " ".join(q.split())[:30] in got  # the same words, re-found
    # an edited document: one typo fixed (still found), one passage typed over (not found)
    d = docx.Document(str(out))
    rows = d.tables[0].rows
    hit = next(k for k, r in enumerate(rows) if k and r.cells[0].text.strip())
    rows[hit].cells[1].text = rows[hit].cells[1].text.replace("e", "a", 1)
    gone = next(k for k, r in enumerate(rows) if k > hit + 3 and r.cells[0].text.strip())
    first = rows[gone].cells[0].text.split("\n")[0]
    for k in range(gone, len(rows)):
        if rows[k].cells[0].text.strip() and k > gone:
            break
        rows[k].cells[1].text = f"{k:>4}  zzz qqq xxx www vvv"
    edited = tmp_path / "P3_edited.docx"
    d.save(str(edited))
    other = Project.create(tmp_path / "other", codebook=CODEBOOKS / "nop_study.yaml",
                           transcripts=[SAMPLE / "P3.docx"])
    before = dump(other.folder)
    with pytest.raises(ValidationReport) as info:
        other.import_comments(edited)
    assert len(info.value.problems) >= 1
    assert info.value.problems[0].startswith(
        f"{edited}, row {gone + 1}: \"{' '.join(first.split())[:50]}\" cannot be anchored")
    assert "nothing imported" in str(info.value).splitlines()[0]
    assert dump(other.folder) == before
    other.close()
    fresh.close()


def test_a_three_column_export_missing_its_table_or_a_column_is_one_line(sample, tmp_path):
    out = sample.export_transcript("P3", tmp_path / "P3_ipa.docx", three_column=True)
    d = docx.Document(str(out))
    grid = d.tables[0]._tbl
    for tr in grid.tr_lst:
        tr.remove(tr.tc_lst[2])
    d.save(str(tmp_path / "P3_two.docx"))
    d = docx.Document(str(out))
    d.tables[0]._tbl.getparent().remove(d.tables[0]._tbl)
    d.save(str(tmp_path / "P3_none.docx"))
    cli = Cli(sample.folder)
    before = dump(sample.folder)
    sample.close()
    r = cli("import-comments", tmp_path / "P3_two.docx")
    assert r.exit_code == 1 and "row 2 of the table has 2 column(s), not 3" in r.output
    r = cli("import-comments", tmp_path / "P3_none.docx")
    assert r.exit_code == 1
    assert [ln for ln in r.output.splitlines() if not ln.startswith("note:")] == [
        f"error: {tmp_path / 'P3_none.docx'}: this three-column export has lost its table "
        "(export it again with 'ipa export-transcript --three-column')"]
    assert dump(sample.folder) == before


def test_coded_transcripts_the_draft_and_the_sheet_are_dated_by_the_project(sample, tmp_path,
                                                                           monkeypatch):
    """The same project gives the same .docx/.xlsx, byte for byte: every zip entry and the
    document properties carry SOURCE_DATE_EPOCH (else the project's last change), never
    the clock, as the report's files already did."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "946684800")  # 2000-01-01
    cli = Cli(sample.folder)
    commands = {"coded.docx": ("export-transcript", "P3", "--out"),
                "three.docx": ("export-transcript", "P3", "--three-column", "--out"),
                "draft.docx": ("draft", "--out"), "sheet.xlsx": ("export-codings",)}
    for name, args in commands.items():
        for k in (1, 2):  # the second into a folder made on the way, as 'ipa table' does
            r = cli(*args, tmp_path / ("new" if k == 2 else "") / f"{k}{name}")
            assert r.exit_code == 0, r.output
        assert (tmp_path / f"1{name}").read_bytes() == \
            (tmp_path / "new" / f"2{name}").read_bytes()
        with zipfile.ZipFile(tmp_path / f"1{name}") as z:
            assert {i.date_time for i in z.infolist()} == {(2000, 1, 1, 0, 0, 0)}, name
            core = z.read("docProps/core.xml").decode()
        stamps = set(re.findall(r"\d{4}-\d\d-\d\dT[\d:]+Z", core))
        assert stamps == {"2000-01-01T00:00:00Z"}, (name, stamps)


def test_exemplar_in_a_statement_or_pet_label_is_their_own_text(sample, tmp_path):
    """'[exemplar]' marks a coded passage; in an S: comment it is part of the statement or
    PET label. It was stripped, so the export read back into its own project made a
    second statement and a second PET."""
    s = sample.add_statement("P3", "this is [exemplar] ok", lines="3", coder="RA")
    sample.idio.add_pet("P3", "With [Exemplar] tag", statements=str(s.id), coder="RA")
    p = parse_comment("S: this is [exemplar] ok / PET: With [Exemplar] tag", sample.codebook)
    assert (p.statement, p.pet, p.exemplar) == ("this is [exemplar] ok",
                                                "With [Exemplar] tag", False)
    (tmp_path / "c").mkdir()
    out = sample.export_transcript("P3", tmp_path / "c" / "P3.docx")
    before = dump(sample.folder)
    r = sample.import_comments(out)
    assert r["statements"] == 0 and dump(sample.folder) == before
    fresh = Project.create(tmp_path / "fresh", codebook=CODEBOOKS / "nop_study.yaml",
                           transcripts=[SAMPLE])
    fresh.import_comments(out)
    assert "this is [exemplar] ok" in fresh.statements("P3").text.tolist()
    assert "With [Exemplar] tag" in fresh.pets("P3").label.tolist()
    fresh.close()


# free text, with the pieces of the comment syntax mixed in
_words = st.lists(st.one_of(
    st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=12),
    st.sampled_from(["[exemplar]", "[Exemplar]", "S:", "D: ", "1.2", " (12-14)", "; ", ", ",
                     " / ", "PET", ":", "P3:2", "Mourning your life"])),
    min_size=1, max_size=5).map("".join)


@settings(max_examples=200, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=_words, labels=st.lists(_words, min_size=0, max_size=3),
       gets=st.lists(st.sampled_from(["1", "1.2", "2.1", "A", "4"]), max_size=3, unique=True))
def test_a_statement_comment_as_exported_parses_back_to_the_same(cb, text, labels, gets):
    """Whatever a statement and its PET labels say (once the rules for new ones pass), the
    comment the export writes for them parses back to that statement, PET path and GETs."""
    from ipa_toolkit.method.idiographic import PET_PATH_SEP, check_new_label, check_statement_text

    text = " ".join(text.split())
    labels = [" ".join(x.split()) for x in labels]
    assume(text and all(labels) and not any(PET_PATH_SEP in x for x in labels))
    try:
        check_statement_text(text)
        for x in labels:
            check_new_label(x)
    except InputError:
        assume(False)
    path = f" {PET_PATH_SEP} ".join(labels)
    comment = f"S: {text}" + (f" / PET: {path}" if labels else "") + \
        (f" / GET: {'; '.join(gets)}" if labels and gets else "")
    p = parse_comment(comment, cb)
    assert (p.statement, p.pet) == (text, path)
    assert p.gets == (tuple(gets) if labels else ())
    assert p.themes == [] and p.unknown is None and not p.exemplar


def test_a_note_over_several_lines_survives_the_three_column_layout(sample, tmp_path):
    """A coding note or exploratory note written over several lines is one entry of the
    three-column layout: it reads back whole (each line was read as an entry of its own,
    and the import of a project's own export was refused: 'names no known theme')."""
    sample.tag("P3", "1.2", lines="5", note="line one\nline two (3)", coder="RA")
    sample.note("P3", "note one\nnote two", lines="6", kind="linguistic", author="RA")
    (tmp_path / "t").mkdir()
    out = sample.export_transcript("P3", tmp_path / "t" / "P3.docx", three_column=True)
    before = dump(sample.folder)
    r = sample.import_comments(out)
    assert (r["codings"], r["statements"]) == (0, 0) and dump(sample.folder) == before
    fresh = Project.create(tmp_path / "fresh", codebook=CODEBOOKS / "nop_study.yaml",
                           transcripts=[SAMPLE])
    fresh.import_comments(out)
    assert "line one\nline two (3)" in fresh.codings(participant="P3").note.tolist()
    assert "note one\nnote two" in fresh.notes("P3").note.tolist()
    fresh.close()


_note = st.lists(st.one_of(
    st.text(st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), min_size=1,
            max_size=10),
    st.sampled_from([".", "...", "-3", "; ", ";", ": ", " - ", "1.2", "2.1 Seeing shades",
                     "Mourning your life", "(12-14)", "—", " [exemplar] "])),
    min_size=1, max_size=5).map("".join)


@settings(max_examples=300, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(note=_note, number=st.sampled_from(["1.2", "2.1", "A", "4"]), exemplar=st.booleans())
def test_a_coding_comment_as_exported_gives_back_its_note(cb, note, number, exemplar):
    """The export writes '1.2 Mourning your life: NOTE [exemplar]'; the note comes back as
    written (its final '.', a leading '-3' or '...', 'a;b' were cut or respaced)."""
    note = note.strip()
    # a note ending in the mark is the one thing the export cannot tell apart
    assume(not note.casefold().endswith("[exemplar]") and "\n" not in note)
    th = cb.by_number(number)
    text = f"{th.number} {th.label}" + (f": {note}" if note else "") + \
        (" [exemplar]" if exemplar else "")
    p = parse_comment(text, cb, ours=True)  # a comment of our own export
    assert [t.number for t in p.themes] == [number] and p.exemplar == exemplar
    assert p.note == note
    if "[exemplar]" not in note.casefold():  # by hand, the mark may stand anywhere
        hand = parse_comment(text, cb)
        assert (hand.note, hand.exemplar) == (note, exemplar)


def test_exemplar_inside_a_note_survives_our_own_exports(sample, tmp_path):
    """In a file our export wrote only the final '[exemplar]' marks the passage: a note
    holding the words comes back as written, the flag as it was (the note lost them and
    every such passage became an exemplar)."""
    sample.tag("P3", "1.2", lines="5", note="a [exemplar] b", coder="RA")
    sample.tag("P3", "1.2", lines="6", note="c [exemplar] d", exemplar=True, coder="RA")
    for k, three in enumerate((False, True)):
        (tmp_path / f"t{k}").mkdir()
        out = sample.export_transcript("P3", tmp_path / f"t{k}" / "P3.docx",
                                       three_column=three)
        fresh = Project.create(tmp_path / f"fresh{k}", codebook=CODEBOOKS / "nop_study.yaml",
                               transcripts=[SAMPLE])
        fresh.import_comments(out)
        got = fresh.codings(participant="P3").set_index("note")
        assert not got.loc["a [exemplar] b", "exemplar"], three
        assert got.loc["c [exemplar] d", "exemplar"], three
        fresh.close()
