"""Stable line numbering: wrapping, speakers, and the plain layout round trip."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ipa_toolkit.ingest.lines import layout_from_lines, lines_from_layout, number_lines, wrap_spans

words = st.text(alphabet=st.characters(blacklist_categories=("Zs", "Zl", "Zp", "Cc", "Cs")),
                min_size=1, max_size=25)
paragraphs = st.lists(st.lists(words, min_size=1, max_size=40).map(" ".join),
                      min_size=1, max_size=8)


@settings(max_examples=150, deadline=None)
@given(paragraphs, st.integers(min_value=10, max_value=100))
def test_wrap_covers_text_and_respects_width(paras, width):
    text, lines = number_lines(paras, width=width)
    assert [ln.number for ln in lines] == list(range(1, len(lines) + 1))
    for ln in lines:
        assert text[ln.start:ln.end] == ln.text
        assert len(ln.text) <= width or " " not in ln.text
    # every non-space character is on exactly one line
    covered = "".join(ln.text for ln in lines)
    assert covered.replace(" ", "") == text.replace(" ", "").replace("\n", "")


@settings(max_examples=150, deadline=None)
@given(paragraphs, st.integers(min_value=10, max_value=100))
def test_plain_layout_round_trip(paras, width):
    text, lines = number_lines(paras, width=width)
    back, spans = lines_from_layout(layout_from_lines(text, lines))
    assert back == text
    assert spans == [(ln.start, ln.end) for ln in lines]


def test_wrap_is_greedy_at_spaces():
    assert wrap_spans("aaaa bbbb cccc", 10) == [(0, 9), (10, 14)]
    assert wrap_spans("x" * 30, 10) == [(0, 30)]  # one long word stands alone


def test_speakers_and_roles():
    paras = ["Interviewer: How was it?", "P3: Awful.", "It went on for months.",
             "I: And now?", "Jane Smith (00:03:12): Better.", "Note that this has no label"]
    _, lines = number_lines(paras, width=80)
    got = [(ln.speaker, ln.role) for ln in lines]
    assert got == [("Interviewer", "interviewer"), ("P3", "participant"),
                   ("P3", "participant"), ("I", "interviewer"),
                   ("Jane Smith", "participant"), ("Jane Smith", "participant")]
    assert lines[4].timestamp == "00:03:12"


def test_blank_paragraphs_are_not_lines():
    text, lines = number_lines(["one", "   ", "", "two  \t words"], width=80)
    assert text == "one\ntwo words"
    assert [ln.text for ln in lines] == ["one", "two words"]


def test_a_paragraph_of_only_a_byte_order_mark_keeps_speakers_aligned():
    _, lines = number_lines(["\ufeff", "Hello there", "Bye"], width=80,
                            speakers=[None, "Interviewer", "P1"])
    assert [(ln.text, ln.speaker) for ln in lines] == [("Hello there", "Interviewer"),
                                                       ("Bye", "P1")]


def test_a_span_ending_on_the_newline_between_lines_is_the_first_line_only():
    from ipa_toolkit.ingest.lines import line_span_for_chars

    text, lines = number_lines(["P1: First paragraph.", "P1: Second paragraph."])
    newline = lines[0].end
    assert text[newline] == "\n"
    assert line_span_for_chars(lines, 0, newline + 1) == (1, 1)
    assert line_span_for_chars(lines, 0, newline) == (1, 1)
    assert line_span_for_chars(lines, 0, newline + 2) == (1, 2)
    assert line_span_for_chars(lines, lines[1].start, lines[1].start + 1) == (2, 2)


def test_a_timestamped_turn_that_wraps_stamps_its_first_line_only():
    para = "Jane Smith (00:03:12): " + "word " * 40
    text, lines = number_lines([para.strip(), "Interviewer (00:04:00): Thanks."], width=40)
    assert len(lines) > 3
    assert [ln.timestamp for ln in lines] == ["00:03:12"] + [None] * (len(lines) - 2) + \
        ["00:04:00"]
    assert {ln.speaker for ln in lines[:-1]} == {"Jane Smith"}


@settings(max_examples=100, deadline=None)
@given(st.integers(), st.integers(), st.integers(), st.text(max_size=20),
       st.one_of(st.none(), st.text(max_size=5)), st.sampled_from([None, "participant"]),
       st.one_of(st.none(), st.just("00:01:02")))
def test_make_line_is_the_dataclass(n, a, b, text, speaker, role, stamp):
    from ipa_toolkit.model import Line, make_line

    made, ref = make_line(n, a, b, text, speaker, role, stamp), Line(n, a, b, text, speaker,
                                                                    role, stamp)
    assert made == ref and hash(made) == hash(ref) and repr(made) == repr(ref)
    with pytest.raises(AttributeError):  # still frozen
        made.text = "changed"
