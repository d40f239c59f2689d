"""Coding sheets at a size where per-row lookups used to cost rows x transcripts, and the
fast text helpers the sheet import relies on (checked against the plain algorithms)."""

from __future__ import annotations

import csv
import random
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ipa_toolkit.errors import InputError, ValidationReport
from ipa_toolkit.ingest.anchor import _FOLD, NormalisedText
from ipa_toolkit.ingest.lines import number_lines, wrap_spans
from ipa_toolkit.participants.lookup import TranscriptLookup
from ipa_toolkit.project import Project
from ipa_toolkit.sheets.codings import import_codings

CODEBOOK = Path(__file__).parent.parent / "codebooks" / "nop_study.yaml"
WORDS = ("grief house police court letter waiting months family future plans shock nobody "
         "children home partner night morning support").split()
THEMES = ("1.1", "1.2", "2.1", "2.3", "3", "4")


@pytest.fixture(scope="module")
def many(tmp_path_factory) -> Path:
    """300 short text transcripts (P1..P300), each with a unique phrase to quote."""
    folder = tmp_path_factory.mktemp("many")
    corpus = folder / "corpus"
    corpus.mkdir()
    rng = random.Random(3)
    for i in range(1, 301):
        answer = " ".join(rng.choice(WORDS) for _ in range(60))
        (corpus / f"P{i}.txt").write_text(
            f"Interviewer: How was it for you?\n\nP{i}: {answer} and my own words number "
            f"{i} were these.\n\nInterviewer: Thank you.\n", encoding="utf-8")
    p = Project.create(folder / "proj", codebook=CODEBOOK, transcripts=[corpus])
    p.close()
    return folder / "proj"


def _copy(src: Path, dst: Path) -> Project:
    import shutil

    shutil.copytree(src, dst)
    return Project.open(dst)


def _sheet(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["participant", "quote", "lines", "theme", "exemplar"])
        w.writerows(rows)
    return path


def _spans(p: Project) -> list[tuple]:
    return sorted((c.transcript_id, c.theme_id, c.start_line, c.end_line, c.start, c.end,
                   c.quote, c.exemplar) for c in p.store.codings())


def test_sheet_of_300_transcripts_codes_what_tag_codes(many, tmp_path):
    rows = []
    for i in range(1, 301):
        rows.append([f"P{i}", f"my own words number {i} were these", "", THEMES[i % 6], ""])
        rows.append([f"p{i}", "", f"{1 + i % 3}-{2 + i % 3}", THEMES[(i + 1) % 6],
                     "yes" if i % 7 == 0 else ""])
    sheet = _sheet(tmp_path / "sheet.csv", rows)
    by_sheet = _copy(many, tmp_path / "a")
    by_tag = _copy(many, tmp_path / "b")
    try:
        got = import_codings(by_sheet, sheet, coder="ann")
        assert got == {"rows": 600, "added": 600, "already_coded": 0}
        for who, quote, lines, theme, ex in rows:
            by_tag.tag(who, theme, quote=quote or None, lines=lines or None, coder="ann",
                       exemplar=ex == "yes")
        assert _spans(by_sheet) == _spans(by_tag)
        assert len(_spans(by_sheet)) == 600
        # the second run finds every row already coded and adds nothing
        assert by_sheet.import_codings(sheet, coder="ann")["already_coded"] == 600
    finally:
        by_sheet.close()
        by_tag.close()


def test_every_bad_row_is_listed_and_nothing_is_added(many, tmp_path):
    rows = [["P1", "my own words number 1 were these", "", "1.1", ""],
            ["P404", "", "1-2", "1.1", ""],                       # line 3: unknown participant
            ["P2", "", "1-2", "9.9", ""],                         # line 4: unknown theme
            ["P3", "words that are not there at all", "", "1.2", ""],  # line 5: no such quote
            ["P4", "", "7-99", "1.1", ""],                        # line 6: outside transcript
            ["P5", "", "", "1.1", ""],                            # line 7: no quote, no lines
            ["P300", "", "2-1", "2.1", ""]]                       # line 8: bad range
    sheet = _sheet(tmp_path / "bad.csv", rows)
    p = _copy(many, tmp_path / "c")
    try:
        with pytest.raises(ValidationReport) as info:
            p.import_codings(sheet)
        lines = [int(x.split(", line ")[1].split(":")[0]) for x in info.value.problems]
        assert lines == [3, 4, 5, 6, 7, 8]
        assert "unknown participant or transcript 'P404'" in info.value.problems[0]
        assert "quote not found" in info.value.problems[2]
        assert p.store.count_codings() == 0
    finally:
        p.close()


def test_lookup_finds_like_project_transcript(many):
    p = Project.open(many)
    try:
        look = TranscriptLookup(p.store)
        assert look.find("p17").name == "P17"
        assert look.find("x", "P18").participant == "P18"
        with pytest.raises(InputError, match="unknown participant or transcript 'Q1'"):
            look.find("Q1")
        assert p.transcript("P250") == look.find("P250")
    finally:
        p.close()


# -- the fast helpers against the plain algorithms they replace -----------------------------
def _normalised_by_loop(text: str) -> tuple[str, list[int]]:
    chars: list[str] = []
    index: list[int] = []
    prev_space = True
    for i, ch in enumerate(text):
        ch = ch.translate(_FOLD)
        if ch.isspace():
            if prev_space:
                continue
            chars.append(" ")
            index.append(i)
            prev_space = True
            continue
        prev_space = False
        for c in ch.casefold():
            chars.append(c)
            index.append(i)
    return "".join(chars), index


def _wrap_by_loop(text: str, width: int) -> list[tuple[int, int]]:
    spans, pos = [], 0
    for para in text.split("\n"):
        end_para = pos + len(para)
        line_start, last_space, i = pos, -1, pos
        while i < end_para:
            if text[i] == " ":
                last_space = i
            if i - line_start >= width and last_space > line_start:
                spans.append((line_start, last_space))
                line_start, last_space, i = last_space + 1, -1, last_space + 1
                continue
            i += 1
        if end_para > line_start:
            spans.append((line_start, end_para))
        pos = end_para + 1
    return spans


TEXT = st.text(alphabet="aB xY\n\t\u00a0\u2019\u2014\u00df\u0130\x1c.", max_size=200)


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_normalised_text_maps_every_character_like_the_loop(text):
    norm = NormalisedText(text)
    assert (norm.text, norm.index) == _normalised_by_loop(text)


@settings(max_examples=300, deadline=None)
@given(TEXT, st.integers(min_value=10, max_value=24))
def test_wrap_spans_breaks_like_the_loop(text, width):
    assert wrap_spans(text, width) == _wrap_by_loop(text, width)
    text2, lines = number_lines(text.split("\n"), width=width)
    assert [(ln.start, ln.end) for ln in lines] == _wrap_by_loop(text2, width)


def test_a_sheet_of_exactly_the_row_limit_is_read_and_one_more_is_refused(tmp_path):
    """The limit counts data rows: the header is not one (a 100,000-row coding sheet is
    the scale benchmark's)."""
    from ipa_toolkit.errors import InputError
    from ipa_toolkit.safety import MAX_ROWS
    from ipa_toolkit.sheets.read import read_sheet

    path = tmp_path / "sheet.csv"
    path.write_text("participant,lines,theme\n" + "P1,1,1.1\n" * MAX_ROWS, encoding="utf-8")
    assert len(read_sheet(path).rows) == MAX_ROWS
    path.write_text("participant,lines,theme\n" + "P1,1,1.1\n" * (MAX_ROWS + 1),
                    encoding="utf-8")
    with pytest.raises(InputError, match="more than 100,000 rows"):
        read_sheet(path)
