"""REFI-QDA import invents nothing: who a source belongs to, annotations, notes left out,
and selection offsets on non-ASCII text (positions count Unicode code points)."""

from __future__ import annotations

import zipfile
from pathlib import Path
from xml.sax.saxutils import quoteattr

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ipa_toolkit.errors import InputError
from ipa_toolkit.project import Project

from .conftest import Cli

CODE = "c0000000-0000-4000-8000-000000000001"


def qdpx(path: Path, sources: list[tuple[str, str, list[tuple[int, int]]]], *, cases: str = "",
         notes: str = "", links: str = "", source_notes: dict[int, str] | None = None) -> Path:
    """A .qdpx with one code; each source is (name, text, [(start, end) coded selections])."""
    files, xml = {}, []
    for i, (name, text, sels) in enumerate(sources):
        guid = f"aaaaaaaa-0000-4000-8000-{i:012d}"
        files[f"sources/{guid}.txt"] = text.encode("utf-8")
        body = "".join(
            f'<PlainTextSelection guid="5e000000-0000-4000-8000-{i:06d}{k:06d}" '
            f'startPosition="{a}" endPosition="{b}"><Coding guid="d0000000-0000-4000-8000-'
            f'{i:06d}{k:06d}"><CodeRef targetGUID="{CODE}"/></Coding></PlainTextSelection>'
            for k, (a, b) in enumerate(sels))
        note = (source_notes or {}).get(i, "")
        xml.append(f'<TextSource guid="{guid}" name={quoteattr(name)} plainTextPath="internal:'
                   f'//{guid}.txt">{body}{note}</TextSource>')
    qde = ('<?xml version="1.0" encoding="utf-8"?><Project xmlns="urn:QDA-XML:project:1.0" '
           f'name="t" origin="test"><CodeBook><Codes><Code guid="{CODE}" name="1 Shock" '
           f'isCodable="true"/></Codes></CodeBook>{cases}<Sources>{"".join(xml)}</Sources>'
           f'{notes}{links}</Project>')
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("project.qde", qde)
        for name, data in files.items():
            z.writestr(name, data)
    return path


def test_selection_ending_in_whitespace_stops_before_the_next_word(project, tmp_path):
    raw = "Interviewer: And then?\nP1: It was over.  The end came slowly.\n"
    a = raw.index("It was")
    b = a + len("It was over.  ")
    blank = raw.index(".  The") + 1
    r = project.import_from(qdpx(tmp_path / "x.qdpx", [("P1", raw, [(a, b), (blank,
                                                                               blank + 2)])]))
    assert list(project.codings().quote) == ["It was over."]
    assert any("only white space" in line for line in r["report"])


def test_sources_without_a_case_are_never_made_into_participants(project, tmp_path):
    cases = ('<Cases><Case guid="ca000000-0000-4000-8000-000000000001" name="Anna K"/></Cases>')
    f = qdpx(tmp_path / "qc.qdpx", [("transcript.txt", "P: one two three", [(3, 6)]),
                                    ("P4_interview.txt", "P4: four five", [(4, 8)]),
                                    ("Anna K interview", "Anna: six seven", [(6, 9)])],
             cases=cases)
    r = project.import_from(f)
    people = set(project.participants().participant)
    assert people == {"Anna_K", "P4"}  # nothing named after a file
    assert sorted(project.transcripts().participant) == ["Anna_K", "P4"]
    left = [line for line in r["report"] if "transcript.txt" in line]
    assert len(left) == 1 and "not imported" in left[0] and "--participant" in left[0]
    assert "1 coding(s)" in left[0]


def test_participant_option_assigns_a_source(tmp_path):
    f = qdpx(tmp_path / "qc.qdpx", [("transcript.txt", "P: one two three", [(3, 6)])])
    p = Project.init(tmp_path / "p")
    p.close()
    cli = Cli(tmp_path / "p")
    res = cli("import", str(f), "--participant", "transcript.txt=P3")
    assert res.exit_code == 0, res.output
    q = Project.open(tmp_path / "p")
    assert list(q.transcripts().participant) == ["P3"] and list(q.codings().quote) == ["one"]
    q.close()


def test_participant_option_is_checked(project, tmp_path):
    f = qdpx(tmp_path / "qc.qdpx", [("transcript.txt", "P: one two three", [(3, 6)])])
    with pytest.raises(InputError, match="not in this file"):
        project.import_from(f, participants={"other.txt": "P3"})
    with pytest.raises(InputError, match="not a participant ID"):
        project.import_from(f, participants={"transcript.txt": "../P3"})
    assert project.is_empty()
    cli = Cli(project.folder)
    res = cli("import", str(f), "--participant", "P3")
    assert res.exit_code == 1 and "SOURCE=ID" in res.output


def test_annotations_and_notes_left_out(project, tmp_path):
    notes = ('<Notes>'
             '<Note guid="e0000000-0000-4000-8000-000000000001" name="Annotation">'
             '<PlainTextContent>said with a laugh</PlainTextContent></Note>'
             '<Note guid="e0000000-0000-4000-8000-000000000002" name="Memo">'
             '<PlainTextContent>about the whole interview</PlainTextContent></Note>'
             '<Note guid="e0000000-0000-4000-8000-000000000003" name="Loose">'
             '<PlainTextContent>attached to nothing</PlainTextContent></Note></Notes>')
    links = ('<Links><Link guid="11000000-0000-4000-8000-000000000001" '
             'originGUID="e0000000-0000-4000-8000-000000000001" '
             'targetGUID="5e000000-0000-4000-8000-000000000000"/></Links>')
    src_note = {0: '<NoteRef targetGUID="e0000000-0000-4000-8000-000000000002"/>'}
    r = project.import_from(qdpx(tmp_path / "a.qdpx", [("P1", "P1: it was funny, really",
                                                        [(4, 16)])],
                                 notes=notes, links=links, source_notes=src_note))
    df = project.notes()
    assert list(df.note) == ["said with a laugh"]
    assert project.codings().quote.iloc[0] == "it was funny"
    assert int(df.start_line.iloc[0]) == 1
    why = {line.split("'")[1]: line for line in r["report"] if line.startswith("note ")}
    assert set(why) == {"Memo", "Loose"}
    assert "whole of source 'P1'" in why["Memo"]
    assert "not attached to a passage or a code" in why["Loose"]


# -- offsets on non-ASCII text ----------------------------------------------------------------
ALPHABET = "abcxyzäéøßñçğı–’“”😀👩‍👧ÅΩЖ中文e\u0301 .,"
para = st.text(alphabet=ALPHABET, min_size=1, max_size=60)


def _expected(raw: str, a: int, b: int) -> str:
    pieces = [" ".join(part.split()) for part in raw[a:b].split("\n")]
    return "\n".join(p for p in pieces if p)


@settings(max_examples=30, deadline=None, suppress_health_check=[
    HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(st.lists(para, min_size=1, max_size=4), st.data())
def test_selections_on_non_ascii_text_import_exactly(tmp_path_factory, paras, data):
    raw = "P1: " + "\n".join(paras)
    a = data.draw(st.integers(0, len(raw) - 1))
    b = data.draw(st.integers(a + 1, len(raw)))
    expected = _expected(raw, a, b)
    base = tmp_path_factory.mktemp("nonascii")
    p = Project.init(base / "p")
    try:
        r = p.import_from(qdpx(base / "x.qdpx", [("P1", raw, [(a, b)])]))
        quotes = list(p.codings().quote)
        if expected:
            assert quotes == [expected], (raw, a, b)
        else:
            assert quotes == [] and any("white space" in x for x in r["report"])
    finally:
        p.close()


def test_known_non_ascii_offsets(project, tmp_path):
    raw = "P1: Zoë said “naïve” 😀 then 中文 and e\u0301té."
    picks = ["Zoë", "“naïve”", "😀", "中文", "e\u0301té."]
    sels = [(raw.index(w), raw.index(w) + len(w)) for w in picks]
    project.import_from(qdpx(tmp_path / "x.qdpx", [("P1", raw, sels)]))
    assert sorted(project.codings().quote) == sorted(picks)


def test_an_imported_guid_never_becomes_a_path_in_an_export(project, tmp_path):
    f = qdpx(tmp_path / "x.qdpx", [("P1", "P1: it was over", [(4, 10)])])
    with zipfile.ZipFile(f) as z:
        files = {n: z.read(n) for n in z.namelist()}
    guid = b"aaaaaaaa-0000-4000-8000-000000000000"
    qde = files["project.qde"].replace(b'guid="' + guid, b'guid="../../../../evil')
    with zipfile.ZipFile(f, "w") as z:
        z.writestr("project.qde", qde)
        z.writestr(f"sources/{guid.decode()}.txt", b"P1: it was over")
    project.import_from(f)
    assert project.transcript_list()[0].guid == "../../../../evil"
    out = project.export(tmp_path / "out.qdpx")
    with zipfile.ZipFile(out) as z:
        names = z.namelist()
    assert all(".." not in n.split("/") for n in names) and len(names) == 2
    q = Project.init(tmp_path / "q")
    assert q.import_from(out)["codings"] == 1
    q.close()
