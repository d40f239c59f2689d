"""Anchoring passages: line ranges and quotes to character spans, and back again.

Quotes are matched on a normalised view of the text (case, whitespace, typographic quotes
and dashes folded) so a quote pasted from a Word report still finds its passage; every
match is mapped back to exact character offsets in the stored text.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, NamedTuple

from ..errors import CodingError
from ..model import Line
from .lines import line_span_for_chars

if TYPE_CHECKING:  # pragma: no cover
    from ..model import Transcript
    from ..store.base import Store

_FOLD = {ord("‘"): "'", ord("’"): "'", ord("‚"): "'", ord("‛"): "'", ord("“"): '"',
         ord("”"): '"', ord("„"): '"', ord("–"): "-", ord("—"): "-", ord("‐"): "-",
         ord("\u00a0"): " "}
_STRIP = " \t\n\"'“”‘’.…,;:-–—()[]"
_END_MARKS = ".!?…\"'”’"
DEFAULT_FUZZY_THRESHOLD = 85.0
_LONG_SPACE_RUN = re.compile(r"\s{2,}")


class Span(NamedTuple):
    """A passage: character offsets into the text and its first and last line. A named
    tuple, not a frozen dataclass: building a dataclass at import costs every command
    (``ipa tag``) more than all of its anchoring."""

    start: int
    end: int
    start_line: int
    end_line: int
    score: float = 100.0


class NormalisedText:
    """A folded copy of a text with a map from each folded character to its source offset.

    Built once per transcript and command: quotes are then found with ``str.find``. The map
    is kept as shifts at the few places where a whitespace run longer than one character
    was collapsed, so building it is a handful of C-speed string passes, not a Python loop
    over every character (the loop remains for texts whose case folding changes length).
    """

    def __init__(self, text: str):
        folded = text.translate(_FOLD)
        cf = folded.casefold()
        self._index: list[int] | None = None
        if len(cf) != len(folded):  # e.g. "ß" -> "ss": map character by character
            self._slow(folded)
            return
        lead = len(cf) - len(cf.lstrip())
        # every whitespace run -> one space, the leading run dropped: str.split() splits
        # on the same whitespace as \s+, in one C pass (a regex sub showed at 100k rows)
        out = " ".join(cf.split())
        self.text = out + " " if out and cf[-1].isspace() else out
        # folded position k maps to source k + shift, shift changing only after long runs
        self._at, self._shift = [0], [lead]
        for m in _LONG_SPACE_RUN.finditer(cf):
            s, e = m.span()
            if s == 0:
                continue
            k = s - self._shift[-1] + 1  # the folded position just after the run's space
            self._at.append(k)
            self._shift.append(e - k)

    def _slow(self, folded: str) -> None:
        chars: list[str] = []
        index: list[int] = []
        prev_space = True
        for i, ch in enumerate(folded):
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
        self.text = "".join(chars)
        self._index = index

    def _source(self, k: int) -> int:
        if self._index is not None:
            return self._index[k]
        return k + self._shift[bisect.bisect_right(self._at, k) - 1]

    @property
    def index(self) -> list[int]:
        """The source offset of every folded character."""
        return self._index if self._index is not None else \
            [self._source(k) for k in range(len(self.text))]

    def source_span(self, a: int, b: int) -> tuple[int, int]:
        return self._source(a), self._source(b - 1) + 1


def normalise_quote(quote: str) -> str:
    folded = " ".join(quote.translate(_FOLD).casefold().split())
    return folded.strip(_STRIP)


def find_exact(norm: NormalisedText, quote: str) -> list[tuple[int, int]]:
    """All source spans where the (normalised) quote occurs."""
    needle = normalise_quote(quote)
    if not needle:
        return []
    out = []
    hay = norm.text
    i = hay.find(needle)
    while i >= 0:
        j = i + len(needle)
        # whole words only: "he said" must not match inside "she said"
        if not ((needle[0].isalnum() and i > 0 and hay[i - 1].isalnum())
                or (needle[-1].isalnum() and j < len(hay) and hay[j].isalnum())):
            out.append(norm.source_span(i, j))
        i = hay.find(needle, i + 1)
    return out


def find_fuzzy(norm: NormalisedText, quote: str,
               threshold: float = DEFAULT_FUZZY_THRESHOLD) -> tuple[int, int, float] | None:
    """The best approximate match of the quote, if it scores at least ``threshold``."""
    from rapidfuzz import fuzz

    needle = normalise_quote(quote)
    if not needle or not norm.text:
        return None
    al = fuzz.partial_ratio_alignment(needle, norm.text, score_cutoff=threshold)
    if al is None or al.dest_end <= al.dest_start:
        return None
    a, b = _whole_words(norm.text, al.dest_start, al.dest_end)
    if b <= a:
        return None
    s, e = norm.source_span(a, b)
    return s, e, al.score


def _whole_words(text: str, a: int, b: int) -> tuple[int, int]:
    """Snap an approximate match to whole words: a word cut at either edge is taken whole
    when most of it matched and dropped otherwise, and spaces and punctuation at the
    edges are left out, so a passage never starts "fficers had" or " the"."""

    def word(i: int) -> tuple[int, int]:
        ws, we = i, i
        while ws > 0 and text[ws - 1].isalnum():
            ws -= 1
        while we < len(text) and text[we].isalnum():
            we += 1
        return ws, we

    if 0 < a < len(text) and text[a - 1].isalnum() and text[a].isalnum():
        ws, we = word(a)
        a = ws if 2 * (we - a) >= we - ws else we
    if 0 < b < len(text) and text[b].isalnum() and text[b - 1].isalnum():
        ws, we = word(b)
        b = we if 2 * (b - ws) >= we - ws else ws
    while a < b and not text[a].isalnum():
        a += 1
    while b > a and not text[b - 1].isalnum():
        b -= 1
    return a, b


def _keep_end_punctuation(text: str, end: int, quote: str) -> int:
    """Matching ignores a quote's final full stop; give it back to the stored passage."""
    if quote.rstrip()[-1:] in _END_MARKS:
        while end < len(text) and text[end] in _END_MARKS:
            end += 1
    return end


def span_for_lines(lines: Sequence[Line], first: int, last: int, source: str = "", *,
                   total: int | None = None) -> Span:
    """The passage of lines ``first``-``last``. ``lines`` are all of the transcript's lines;
    or, when ``total`` (how many it has) is given, only those from ``first`` to ``last``,
    as the store reads them for a command that codes one passage."""
    n = len(lines) if total is None else total
    if not n:
        raise CodingError("the transcript has no lines", path=source or None)
    if first < 1 or last < first or last > n:
        raise CodingError(f"line range {first}-{last} is outside the transcript (lines 1-{n})",
                          path=source or None)
    if total is not None:
        return Span(lines[0].start, lines[-1].end, first, last)
    return Span(lines[first - 1].start, lines[last - 1].end, first, last)


def span_for_chars(lines: Sequence[Line], start: int, end: int, score: float = 100.0,
                   starts: Sequence[int] | None = None) -> Span:
    """``starts`` (each line's first character), when given, saves rebuilding it per call."""
    first, last = line_span_for_chars(lines, start, end, starts)
    return Span(start, end, first, last, score)


def _word_char(ch: str) -> bool:
    return ch.isalnum() or ch in "'’-_"


def snap_to_words(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen a selection to whole words and trim the space around it, so a drag that
    starts or ends mid-word codes the words it touched."""
    start, end = max(0, min(start, len(text))), max(0, min(end, len(text)))
    if end < start:
        start, end = end, start
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    while 0 < start < len(text) and _word_char(text[start - 1]) and _word_char(text[start]):
        start -= 1
    while 0 < end < len(text) and _word_char(text[end - 1]) and _word_char(text[end]):
        end += 1
    return start, end


def span_for_selection(text: str, lines: Sequence[Line], start: int, end: int, *,
                       source: str = "") -> Span:
    """The passage for a selection given as character offsets, snapped to whole words."""
    if not isinstance(start, int) or not isinstance(end, int):
        raise CodingError("a selection is two character offsets", path=source or None)
    if not (0 <= start <= len(text) and 0 <= end <= len(text)):
        raise CodingError(f"selection {start}-{end} is outside the transcript "
                          f"(0-{len(text)} characters)", path=source or None)
    s, e = snap_to_words(text, start, end)
    if start == end or s >= e:
        raise CodingError("the selection holds no words", path=source or None,
                          hint="select some text first")
    return span_for_chars(lines, s, e)


def parse_line_range(text: str) -> tuple[int, int]:
    """'112-118', '112–118', '112' -> (112, 118)."""
    raw = str(text).strip().replace("–", "-").replace("—", "-")
    parts = [p.strip() for p in raw.split("-")]
    try:
        if len(parts) == 1:
            a = b = int(float(parts[0]))
        elif len(parts) == 2:
            a, b = int(parts[0]), int(parts[1])
        else:
            raise ValueError
    except ValueError as exc:
        raise CodingError(f"'{text}' is not a line range", hint="write it as 112-118") from exc
    if a < 1 or b < a:
        raise CodingError(f"'{text}' is not a line range: lines count from 1, first <= last")
    return a, b


def anchor_quote(text: str, lines: Sequence[Line], quote: str, *, source: str = "",
                 occurrence: int | None = None, norm: NormalisedText | None = None,
                 starts: Sequence[int] | None = None) -> Span:
    """Anchor a quote exactly; zero or several matches is an error listing candidates.

    A command anchoring many quotes passes the transcript's ``norm`` and line ``starts``,
    built once, so each quote costs a string search rather than a pass over the text.
    """
    norm = norm or NormalisedText(text)
    hits = find_exact(norm, quote)
    if len(hits) == 1 or (hits and occurrence):
        if occurrence and not 1 <= occurrence <= len(hits):
            raise CodingError(f"--occurrence {occurrence}: the quote occurs {len(hits)} time(s)",
                              path=source or None)
        s, e = hits[(occurrence or 1) - 1]
        return span_for_chars(lines, s, _keep_end_punctuation(text, e, quote), starts=starts)
    if hits:
        where = "; ".join(f"#{k} at line {span_for_chars(lines, s, e).start_line}"
                          for k, (s, e) in enumerate(hits[:8], 1))
        raise CodingError(f"quote occurs {len(hits)} times ({where})", path=source or None,
                          hint="add --occurrence N, quote more words, or use --lines")
    near = find_fuzzy(norm, quote, threshold=60)
    hint = "check the wording, or use --lines"
    if near:
        s, e, score = near
        sp = span_for_chars(lines, s, e)
        snippet = " ".join(text[s:e].split())
        if len(snippet) > 70:
            snippet = snippet[:67] + "..."
        hint = f"closest, line {sp.start_line} ({score:.0f}%): \"{snippet}\""
    raise CodingError("quote not found in the transcript", path=source or None, hint=hint)


def passage(store: Store, t: Transcript, lines: tuple[int, int] | str | None,
            quote: str | None, occurrence: int | None = None,
            chars: tuple[int, int] | None = None) -> Span:
    """The span of a stored transcript that one of a line range, a quote or a browser
    selection (character offsets) names; exactly one must be given."""
    if sum(x is not None for x in (lines, quote, chars)) != 1:
        raise CodingError("give either --lines or --quote")
    if lines is not None:  # read just those lines, not the thousands of a long interview
        first, last = parse_line_range(lines) if isinstance(lines, str) else lines
        return span_for_lines(store.lines(t.id, first, last), first, last, t.name,
                              total=t.n_lines)
    all_lines = store.lines(t.id)
    if chars is not None:  # a selection in the browser: offsets into the stored text
        return span_for_selection(store.transcript_text(t.id), all_lines, *chars,
                                  source=t.name)
    return anchor_quote(store.transcript_text(t.id), all_lines, quote, source=t.name,
                        occurrence=occurrence)


class Reanchor(NamedTuple):
    """Where an existing coding lands in an edited transcript."""

    span: Span | None
    status: str  # "ok", "fuzzy" or "orphaned"


def reanchor(norm: NormalisedText, lines: Sequence[Line], quote: str, old_start: int,
             threshold: float = DEFAULT_FUZZY_THRESHOLD, text: str = "") -> Reanchor:
    """Exact match first (nearest to the old position if repeated), then fuzzy, else orphan."""
    hits = find_exact(norm, quote)
    if hits:
        s, e = min(hits, key=lambda h: abs(h[0] - old_start))
        if text:
            e = _keep_end_punctuation(text, e, quote)
        return Reanchor(span_for_chars(lines, s, e), "ok")
    near = find_fuzzy(norm, quote, threshold)
    if near:
        s, e, score = near
        if text:
            e = _keep_end_punctuation(text, e, quote)
        return Reanchor(span_for_chars(lines, s, e, score), "fuzzy")
    return Reanchor(None, "orphaned")
