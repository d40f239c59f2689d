"""Anchoring passages: quotes (exact, normalised, fuzzy), line ranges, re-anchoring."""

from __future__ import annotations

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from ipa_toolkit.errors import CodingError
from ipa_toolkit.ingest.anchor import (
    NormalisedText,
    anchor_quote,
    find_exact,
    parse_line_range,
    reanchor,
    span_for_lines,
)
from ipa_toolkit.ingest.lines import number_lines

PARAS = ["Interviewer: How did you feel when they came?",
         "P1: It was like watching a television programme about somebody else. I kept "
         "thinking, this doesn’t happen to people like us. People like us don't have police "
         "in the kitchen.",
         "Interviewer: And then?",
         "P1: Then nothing. Then nothing at all, for months."]
TEXT, LINES = number_lines(PARAS, width=40)


def test_quote_found_across_lines_with_curly_quotes_and_case():
    span = anchor_quote(TEXT, LINES, "this DOESN'T happen to\n people like us.")
    assert TEXT[span.start:span.end] == "this doesn’t happen to people like us."
    assert span.start_line < span.end_line


def test_quote_twice_lists_candidates_and_occurrence_picks():
    with pytest.raises(CodingError, match=r"occurs 2 times.*line"):
        anchor_quote(TEXT, LINES, "Then nothing")
    second = anchor_quote(TEXT, LINES, "Then nothing", occurrence=2)
    first = anchor_quote(TEXT, LINES, "Then nothing", occurrence=1)
    assert second.start > first.start
    with pytest.raises(CodingError, match="occurs 2"):
        anchor_quote(TEXT, LINES, "Then nothing", occurrence=3)


def test_missing_quote_shows_the_closest_passage():
    with pytest.raises(CodingError) as info:
        anchor_quote(TEXT, LINES, "It was like watching a TV programme about somebody else")
    assert "not found" in info.value.message and "closest" in info.value.hint


def test_line_ranges():
    assert parse_line_range("3-5") == (3, 5)
    assert parse_line_range("7") == (7, 7)
    for bad in ("5-3", "x", "0-2", ""):
        with pytest.raises(CodingError):
            parse_line_range(bad)
    span = span_for_lines(LINES, 2, 3)
    assert span.start == LINES[1].start and span.end == LINES[2].end
    with pytest.raises(CodingError, match="outside"):
        span_for_lines(LINES, 2, len(LINES) + 1)


def test_a_line_range_from_just_its_lines_is_the_same_passage():
    """``ipa tag --lines`` reads only the lines it codes (``total`` = the transcript's
    count): every range gives the span the whole transcript gives, and a range past the end
    is refused the same way."""
    n = len(LINES)
    for first in range(1, n + 1):
        for last in range(first, n + 1):
            assert span_for_lines(LINES[first - 1:last], first, last, total=n) == \
                span_for_lines(LINES, first, last)
    for first, last in ((n, n + 1), (0, 1), (3, 2)):
        with pytest.raises(CodingError, match="outside"):
            span_for_lines(LINES[max(first, 1) - 1:last], first, last, total=n)
    with pytest.raises(CodingError, match="no lines"):
        span_for_lines([], 1, 1, total=0)


def test_tag_by_lines_codes_the_whole_lines_up_to_the_last(small):
    t = small.transcript("P7")
    lines = small.lines("P7")
    c = small.tag("P7", "1.1", lines=f"{t.n_lines - 1}-{t.n_lines}", coder="ab")
    assert (c.start, c.end) == (lines[-2].start, lines[-1].end)
    assert c.quote == small.text("P7")[lines[-2].start:lines[-1].end]
    with pytest.raises(CodingError, match=f"lines 1-{t.n_lines}"):
        small.tag("P7", "1.1", lines=f"{t.n_lines}-{t.n_lines + 1}", coder="ab")


def test_reanchor_exact_then_fuzzy_then_orphan():
    quote = "People like us don't have police in the kitchen."
    old = anchor_quote(TEXT, LINES, quote)
    edited = [PARAS[0], "P1: [inaudible] " + PARAS[1][4:], *PARAS[2:]]
    text2, lines2 = number_lines(edited, width=40)
    r = reanchor(NormalisedText(text2), lines2, quote, old.start, text=text2)
    assert r.status == "ok" and text2[r.span.start:r.span.end] == quote
    fuzzy = [PARAS[0], PARAS[1].replace("have police", "have the police"), *PARAS[2:]]
    text3, lines3 = number_lines(fuzzy, width=40)
    r = reanchor(NormalisedText(text3), lines3, quote, old.start, text=text3)
    assert r.status == "fuzzy" and "the police in the kitchen" in text3[r.span.start:r.span.end]
    gone = [PARAS[0], "P1: I would rather not say.", *PARAS[2:]]
    text4, lines4 = number_lines(gone, width=40)
    assert reanchor(NormalisedText(text4), lines4, quote, old.start, text=text4).status \
        == "orphaned"


word = st.text(alphabet="abcdefghijklmnopqrstuvwxyzABCDEF’'-", min_size=1, max_size=9)


@settings(max_examples=200, deadline=None)
@given(st.lists(word, min_size=5, max_size=80), st.data(), st.integers(20, 70))
def test_any_unique_run_of_words_anchors_to_itself(words, data, width):
    text, lines = number_lines([" ".join(words)], width=width)
    i = data.draw(st.integers(0, len(words) - 1))
    j = data.draw(st.integers(i + 1, len(words)))
    quote = " ".join(words[i:j])
    assume(quote.strip(" '’-"))
    assume(len(find_exact(NormalisedText(text), quote)) == 1)
    span = anchor_quote(text, lines, quote)
    assert quote.strip(" '’-").casefold().replace("’", "'") in \
        text[span.start:span.end].casefold().replace("’", "'")


def test_quotes_match_whole_words_only():
    text, lines = number_lines(["P1: she said no. Then he said yes."], width=80)
    span = anchor_quote(text, lines, "he said")
    assert text[span.start:span.end] == "he said" and text[span.start - 1] == " "
    with pytest.raises(CodingError, match="not found"):
        anchor_quote(text, lines, "sai")


def test_a_repeated_quote_reanchors_to_the_occurrence_nearest_its_old_place():
    paras = ["P1: It was over. Then months went by.", "Interviewer: And then?",
             "P1: Again and again. It was over. I said it to everyone."]
    text, lines = number_lines(paras, width=80)
    second = text.rindex("It was over.")
    edited = ["P1: Honestly, it was over. Then months went by.", *paras[1:]]
    text2, lines2 = number_lines(edited, width=80)
    r = reanchor(NormalisedText(text2), lines2, "It was over.", second, text=text2)
    assert r.status == "ok" and r.span.start == text2.rindex("It was over.")
    first = text.index("It was over.")
    r = reanchor(NormalisedText(text2), lines2, "It was over.", first, text=text2)
    assert r.span.start == text2.index("it was over.") and r.span.start_line == 1


@pytest.mark.parametrize("quote,edited", [
    ("the officers had searched the whole house twice",
     "I know the officers had searched the house twice, they said."),
    ("fficers had searched the house", "Then the officers had searched the house again."),
    ("the police officers had searched the house",
     "When they came, the police fficers had searched our house and left."),
])
def test_a_fuzzy_reanchor_starts_and_ends_on_word_boundaries(quote, edited):
    text, lines = number_lines([edited], width=80)
    r = reanchor(NormalisedText(text), lines, quote, 0, text=text)
    assert r.status == "fuzzy"
    s, e = r.span.start, r.span.end
    assert text[s].isalnum() and (s == 0 or not text[s - 1].isalnum()), text[s:e]
    assert text[e - 1].isalnum() and (e == len(text) or not text[e].isalnum()), text[s:e]
