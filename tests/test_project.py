"""The Project facade: participants, transcripts, codebook operations, tagging."""

from __future__ import annotations

import pytest

from ipa_toolkit.errors import (
    CodebookError,
    CodingError,
    InputError,
    ProjectError,
    ThemeNotFound,
    ValidationReport,
)
from ipa_toolkit.project import Project

from .conftest import DATA, dump

# -- participants ----------------------------------------------------------------------------


def test_participants_natural_order_and_column_order(small):
    df = small.participants()
    assert list(df.columns) == ["participant", "Gender", "Age", "Ethnicity"]
    assert list(df.participant) == ["P1", "P2", "P7", "P10"]  # P7 came from a file name


def test_participants_from_xlsx_update_and_add(small):
    r = small.import_participants(DATA / "participants.xlsx")
    assert r == {"new": 2, "updated": 1}
    df = small.participants().set_index("participant")
    assert df.loc["P1", "Age"] == "62" and df.loc["P12", "Gender"] == "M"
    assert list(df.index) == ["P1", "P2", "P3", "P7", "P10", "P12"]


def test_bad_participant_sheet_reports_every_row_and_imports_nothing(small):
    before = dump(small.folder)
    with pytest.raises(ValidationReport) as info:
        small.import_participants(DATA / "participants_bad.csv")
    assert len(info.value.problems) == 3
    assert any("line 3: empty participant ID" in p for p in info.value.problems)
    assert any("line 4: participant P1 repeats line 2" in p for p in info.value.problems)
    assert any("line 5" in p and "spaces" in p for p in info.value.problems)
    assert dump(small.folder) == before


def test_set_and_clear_attribute(small):
    assert small.set_attribute("p2", "Age", "33").attributes["Age"] == "33"
    assert "Age" not in small.set_attribute("P2", "Age", None).attributes
    with pytest.raises(InputError, match="unknown participant 'P99'"):
        small.set_attribute("P99", "Age", "1")


# -- transcripts ----------------------------------------------------------------------------


def test_ingest_status_and_participant_from_file_name(small, tmp_path):
    again = small.ingest(DATA / "P7_interview.docx")
    assert [(r.name, r.participant, r.status) for r in again] == \
        [("P7_interview", "P7", "unchanged")]
    assert small.transcript("P7").name == "P7_interview"
    pseudonym = tmp_path / "Sarah_interview.txt"
    pseudonym.write_text("Interviewer: hello\n", encoding="utf-8")
    assert small.ingest(pseudonym)[0].participant == "Sarah"
    odd = tmp_path / "(copy 1).txt"
    odd.write_text("Interviewer: hello\n", encoding="utf-8")
    with pytest.raises(InputError, match="cannot tell the participant"):
        small.ingest(odd)
    assert small.ingest(odd, participant="P1")[0].participant == "P1"


def test_ingest_is_all_or_nothing(small, tmp_path):
    good = tmp_path / "P5.txt"
    good.write_text("P5: fine words here\n", encoding="utf-8")
    before = dump(small.folder)
    with pytest.raises(InputError, match="corrupt"):
        small.ingest([good, DATA / "corrupt.docx"])
    assert dump(small.folder) == before


def test_reingest_keeps_codings_reanchored_and_flags_orphans(small, tmp_path):
    c1 = small.tag("P2", "2.1", quote="Then the waiting started.")
    c2 = small.tag("P2", "1.1", quote="it was like another world")
    c3 = small.tag("P2", "1.2", lines="2")
    edited = tmp_path / "P2_cp1252.txt"
    edited.write_text("Interviewer: Before we start, is this OK?\nP2: Yes.\n"
                      "Interviewer: How did you feel?\n"
                      "P2: Numb. I could not believe it – it was like another world.\n"
                      "Interviewer: And then?\nP2: Months of it.\n", encoding="utf-8")
    [r] = small.ingest(edited)
    assert r.status == "updated"
    assert len(r.orphaned) == 1 and r.orphaned[0].id == c1.id
    df = small.codings().set_index("id")
    assert df.loc[c1.id, "status"] == "orphaned"  # kept, flagged, never dropped
    assert df.loc[c2.id, "status"] == "ok" and df.loc[c2.id, "start_line"] == 4
    assert df.loc[c3.id, "status"] == "fuzzy" and df.loc[c3.id, "start_line"] == 4
    assert small.theme_counts()["2.1"] == (0, 0)  # orphans are not counted
    fixed = small.reanchor(c1.id, quote="Months of it.")
    assert (fixed.status, fixed.start_line) == ("ok", 6)


def test_show_margin_and_speaker_filter(small):
    small.tag("P7", "1.1", lines="2-3")
    small.tag("P7", "2", quote="Afterwards nothing was the same")
    out = small.show("P7", (2, 5))
    rows = out.splitlines()
    assert rows[1].startswith("2  P7: It was a Tuesday") and rows[1].endswith("| 1.1")
    assert rows[4].endswith("| 2")
    only = small.show("P7", speaker="participant", margin=False)
    assert "Interviewer" not in only and "Afterwards" in only
    with pytest.raises(InputError, match="outside"):
        small.show("P7", (5, 90))


# -- codebook -------------------------------------------------------------------------------


def test_counts_are_distinct_participants_over_the_subtree(small):
    small.tag("P7", "1.1", lines="2")
    small.tag("P7", "1.2", lines="2")
    small.tag("P7", "1.2", lines="5")
    small.tag("P2", "1.2", lines="2")
    counts = small.theme_counts()
    assert counts["1"] == (3, 2)  # not 4 passages in "3 of 2" participants
    assert counts["1.2"] == (3, 2)
    assert counts["2"] == (0, 0)
    assert "2/4 participants" in small.codebook_tree().splitlines()[1]


def test_add_rename_move_merge_delete(small):
    t = small.add_theme("Disbelief", parent="1")
    assert t.number == "1.3"
    assert small.rename_theme("1.3", "Utter disbelief").label == "Utter disbelief"
    small.tag("P7", "1.3", lines="2")
    moved = small.move_theme("1", "2")
    assert moved.number == "2.2"
    assert small.theme("Utter disbelief").number == "2.2.3"
    assert small.codings().theme_number.tolist() == ["2.2.3"]
    with pytest.raises(CodebookError, match="under itself"):
        small.move_theme("2", "2.2.1")
    with pytest.raises(CodebookError, match="holds 1 coding"):
        small.delete_theme("2.2.3")
    small.tag("P7", "2.1", lines="5")
    r = small.merge_themes("2.2.3", "2.1")
    assert r["codings"] == 1 and r["moved"] == 1
    assert small.codings().theme_number.tolist() == ["2.1", "2.1"]
    small.delete_theme("2.2.2")
    with pytest.raises(ThemeNotFound):
        small.theme("2.2.2")


def test_delete_moves_codings_when_told(small):
    small.tag("P7", "1.1", lines="2")
    small.tag("P7", "1.2", lines="2")
    small.delete_theme("1.1", move_codings_to="1.2")
    assert small.codings().theme_number.tolist() == ["1.2"]  # the duplicate folded into one


def test_import_codebook_updates_by_number_and_keeps_others(small, tmp_path):
    small.add_theme("Extra", parent="2")
    f = tmp_path / "cb.yaml"
    f.write_text('themes:\n- {number: "1", label: Shock and awe}\n', encoding="utf-8")
    assert small.import_codebook(f) == {"added": 0, "updated": 1, "kept": 5}
    assert small.theme("1").label == "Shock and awe"
    before = dump(small.folder)
    with pytest.raises(ValidationReport):
        small.import_codebook(DATA / "codebook_bad.yaml")
    assert dump(small.folder) == before


# -- tagging --------------------------------------------------------------------------------


def test_tag_by_lines_and_quote_and_duplicate_is_a_no_op(small):
    c = small.tag("P7", "Another", lines="2-3", note="arrest morning", coder="A")
    assert (c.start_line, c.end_line, c.coder) == (2, 3, "A")
    assert small.tag("P7", "1.1", lines="2-3", coder="A") is None
    assert small.tag("P7", "1.1", lines="2-3", coder="B") is not None  # another coder
    nested = small.tag("P7", "1.2", quote="I remember the bins.")
    assert nested.quote == "I remember the bins." and nested.start_line == 2
    assert len(small.codings()) == 3


@pytest.mark.parametrize("kwargs,error", [
    (dict(ref="P99", theme="1.1", lines="1"), "unknown participant or transcript 'P99'"),
    (dict(ref="P7", theme="9.9", lines="1"), "unknown theme '9.9'"),
    (dict(ref="P7", theme="1.1", lines="5-50"), "outside"),
    (dict(ref="P7", theme="1.1", quote="never said this at all"), "not found"),
    (dict(ref="P7", theme="1.1"), "either --lines or --quote"),
])
def test_tag_errors_change_nothing(small, kwargs, error):
    before = dump(small.folder)
    with pytest.raises((InputError, CodingError, CodebookError), match=error):
        small.tag(**kwargs)
    assert dump(small.folder) == before


def test_untag_by_id_and_by_theme(small):
    c = small.tag("P7", "1.1", lines="2")
    small.tag("P7", "1.2", lines="5")
    assert small.untag(c.id) == 1
    assert small.untag(ref="P7", theme="1.2", lines="4-6") == 1
    with pytest.raises(CodingError):
        small.untag(12345)


def test_codings_frame_filters(small):
    small.tag("P7", "1.1", lines="2", coder="A", exemplar=True)
    small.tag("P7", "2.1", lines="1", coder="B")
    small.tag("P2", "1.2", lines="4", coder="A")
    df = small.codings()
    for col in ("participant", "transcript", "start_line", "end_line", "quote",
                "theme_number", "theme_label", "theme_path", "coder", "note", "created"):
        assert col in df.columns
    assert list(df.participant) == ["P2", "P7", "P7"]
    assert sorted(small.codings(theme="1").theme_number) == ["1.1", "1.2"]
    assert list(small.codings(coder="B").theme_number) == ["2.1"]
    assert list(small.codings(participant="P7", speaker="participant").theme_number) == ["1.1"]
    assert small.codings(theme="1.1").exemplar.tolist() == [True]
    assert small.codings().theme_path.iloc[0] == "Shock > Numbness"


def test_import_codings_reports_every_bad_row(small, tmp_path):
    sheet = tmp_path / "sheet.csv"
    sheet.write_text(
        "participant,theme,quote,lines,coder,note\n"
        "P7,1.1,I remember the bins.,,A,good\n"
        "P99,1.1,x,,A,\n"
        "P7,Nope,,2,A,\n"
        "P7,1.2,,3-99,A,\n"
        "P2,1.2,Numb.,,,\n", encoding="utf-8")
    before = dump(small.folder)
    with pytest.raises(ValidationReport) as info:
        small.import_codings(sheet)
    lines = [p.split(": ", 1)[0] for p in info.value.problems]
    assert lines == [f"{sheet}, line {n}" for n in (3, 4, 5)]
    assert dump(small.folder) == before
    good = tmp_path / "good.csv"
    good.write_text("participant,theme,quote,lines,coder\nP7,1.1,I remember the bins.,,A\n"
                    "P2,1.2,,2,\nP7,1.1,I remember the bins.,,A\n", encoding="utf-8")
    assert small.import_codings(good, coder="Z") == {"rows": 3, "added": 2, "already_coded": 1}
    assert sorted(small.codings().coder) == ["A", "Z"]


def test_notes_and_memos(small):
    n = small.note("P7", "past tense throughout", lines="2-3", kind="L")
    assert n.kind == "linguistic"
    with pytest.raises(InputError, match="note kind"):
        small.note("P7", "x", lines="2", kind="poetic")
    small.memo("1.1", "strong in the docx interviews")
    assert small.notes().kind.tolist() == ["linguistic"]
    assert small.memos().theme_number.tolist() == ["1.1"]


def test_create_failure_restores_the_project_it_was_replacing(small):
    small.tag("P7", "1.1", lines="2")
    folder = small.folder
    small.close()
    before = dump(folder)
    with pytest.raises(InputError):
        Project.create(folder, replace_existing=True, codebook=DATA / "codebook_small.yaml",
                       transcripts=[DATA / "binary.txt"])
    assert dump(folder) == before
    with pytest.raises(ProjectError, match="already a project"):
        Project.init(folder)


def test_counts_follow_every_change_including_another_connections(small):
    one = "1.1"  # theme_counts is keyed by theme number
    assert small.theme_counts()[one] == (0, 0)
    small.tag("P7", "1.1", lines="2")
    assert small.theme_counts()[one] == (1, 1)
    other = Project.open(small.folder)  # a second terminal
    other.tag("P2", "1.1", lines="2")
    other.close()
    assert small.theme_counts()[one] == (2, 2)
    small.untag(ref="P7", theme="1.1")
    assert small.theme_counts()[one] == (1, 1)


def test_participant_table_without_a_named_id_column_is_refused(small, tmp_path):
    sheet = tmp_path / "people.csv"
    sheet.write_text("Name,Age\nP20,40\nP21,41\n", encoding="utf-8")
    before = dump(small.folder)
    with pytest.raises(InputError, match="no participant ID column") as info:
        small.import_participants(sheet)
    assert "--id-column" in info.value.format()
    assert dump(small.folder) == before
    assert small.import_participants(sheet, "Name") == {"new": 2, "updated": 0}
    assert small.participant("P20").attributes == {"Age": "40"}


def test_participant_ids_differing_only_in_case_are_duplicates(small, tmp_path):
    sheet = tmp_path / "people.csv"
    sheet.write_text("ID,Age\nP30,40\np30,41\n", encoding="utf-8")
    before = dump(small.folder)
    with pytest.raises(ValidationReport) as info:
        small.import_participants(sheet)
    assert info.value.problems == [f"{sheet}, line 3: participant p30 repeats line 2 (P30: "
                                   "IDs differing only in case are one participant)"]
    sheet.write_text("ID,Age\np2,40\n", encoding="utf-8")  # P2 exists already
    with pytest.raises(ValidationReport, match="1 bad row") as info:
        small.import_participants(sheet)
    assert "participant p2 already exists as P2" in info.value.problems[0]
    assert dump(small.folder) == before
    sheet.write_text("ID,Age\nP2,40\n", encoding="utf-8")
    assert small.import_participants(sheet) == {"new": 0, "updated": 1}


def test_one_transcript_is_found_as_the_whole_lookup_finds_it(small, tmp_path):
    """A command finds its transcript from names and participants only, then reads that
    one record (``find_transcript``); it must find what ``TranscriptLookup`` finds, and
    fail with its messages."""
    from ipa_toolkit.participants.lookup import TranscriptLookup, find_transcript

    second = tmp_path / "P2_second.txt"
    second.write_text("Interviewer: Again?\nP2: Again.\n", encoding="utf-8")
    small.ingest(second)  # P2 now has two transcripts
    whole = TranscriptLookup(small.store)
    refs = [t.name for t in whole.all] + [t.name.upper() for t in whole.all] + ["p7", " P7 "]
    for ref in refs:
        assert find_transcript(small.store, ref) == whole.find(ref)
    assert find_transcript(small.store, "P2", "p2_second") == whole.find("P2", "p2_second")
    assert small.store.transcripts(ids=[]) == []
    assert small.store.transcripts(ids=[t.id for t in whole.all]) == whole.all
    for ref, said in (("P2", "P2 has 2 transcripts"), ("P99", "unknown participant"),
                      ("P10", "participant P10 has no transcript yet")):
        with pytest.raises(InputError, match=said):
            find_transcript(small.store, ref)


def test_tag_by_lines_reads_its_lines_and_one_transcript_record(small, backend):
    """``ipa tag --lines`` is typed all session long: it reads the lines it codes, not
    the whole interview, and one transcript's record, not every one's (whose later columns
    sit behind the text). Read through SQLite's statement trace."""
    if backend != "sqlite":
        pytest.skip("the statement trace is SQLite's")
    t = small.transcript("P7")
    seen: list[str] = []
    small.store._db.set_trace_callback(seen.append)
    c = small.tag("P7", "1.1", lines=f"2-{t.n_lines}", coder="ab")
    small.store._db.set_trace_callback(None)
    lines = [s for s in seen if "FROM lines WHERE" in s and "MAX(" not in s]
    assert lines == [f"SELECT number, start_char, end_char, speaker, role, timestamp FROM lines "
                     f"WHERE transcript_id = {t.id} AND number BETWEEN 2 AND {t.n_lines} "
                     "ORDER BY number"]
    records = [s for s in seen if "t.source" in s]
    assert len(records) == 1 and f"WHERE t.id IN ({t.id})" in records[0]
    assert (c.start_line, c.end_line) == (2, t.n_lines)


def test_one_participant_is_read_with_its_attributes(small):
    """``Project.participant`` finds the ID among every (id, code) and reads that one
    participant's record: the same record, attributes in order, as reading them all."""
    small.set_attribute("P2", "Age", "33")
    every = small.store.participants()
    for p in every:
        for ref in (p.code, p.code.lower(), f" {p.code.upper()} "):
            assert small.participant(ref) == p
    assert small.store.participants(ids=[]) == []
    assert small.store.participants(ids=[p.id for p in every]) == every
    with pytest.raises(InputError, match=r"unknown participant 'P99'") as info:
        small.participant("P99")
    assert "known: P1, P2, P7, P10" in str(info.value.format())
