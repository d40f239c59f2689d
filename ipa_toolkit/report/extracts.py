"""Extracts as a paper shows them: the participant's own words, whole sentences, elisions
marked "...", typographic quotes. The coding itself keeps the span it was given.

A passage coded by line range starts and ends wherever the lines do ("about grief when
someone dies. It is a sorrow...") and may take in the interviewer's turn; a reader of the
paper should see neither.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..model import Line

ELISION = "..."
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"'”’)\]]*\s+")
_CLOSERS = "\"'”’)]"


def typographic(text: str) -> str:
    """Straight quotes and apostrophes as curly ones (labels and extracts alike)."""
    text = re.sub(r"(?<=\w)'(?=\w)", "’", text)  # don't, partner's
    text = re.sub(r"(^|[\s(\[—–-])'", r"\1‘", text)
    text = text.replace("'", "’")
    text = re.sub(r"(^|[\s(\[—–-])\"", r"\1“", text)
    return text.replace('"', "”")


def _pieces(text: str, lines: Sequence[Line], start: int, end: int
            ) -> tuple[list[tuple[int, int]], bool]:
    """Spans of non-interviewer speech inside [start, end), speaker labels left out;
    and whether speech was left out between them."""
    import bisect

    pieces: list[tuple[int, int]] = []
    gap = False
    first = max(bisect.bisect_right([ln.start for ln in lines], start) - 1, 0)
    for ln in lines[first:]:
        if ln.start >= end:
            break
        if ln.end <= start:
            continue
        if ln.role == "interviewer":
            gap = gap or bool(pieces)
            if pieces:
                pieces.append((-1, -1))
            continue
        s, e = max(start, ln.start), min(end, ln.end)
        if s == ln.start and ln.speaker and text.startswith(ln.speaker, s):
            label = re.match(r"[^:]*:\s*", text[s:e])
            if label and text[s:s + len(ln.speaker)] == ln.speaker:
                s += label.end()
        if s >= e:
            continue
        if pieces and pieces[-1][0] >= 0 and text[pieces[-1][1]:s].strip() == "":
            pieces[-1] = (pieces[-1][0], e)
        else:
            pieces.append((s, e))
    spans = [p for p in pieces if p[0] >= 0]
    return spans, gap or len(spans) > 1


def _whole_sentences(text: str, s: int, e: int) -> str:
    """text[s:e] without a leading or trailing fragment of a sentence, when whole
    sentences remain."""
    prev = text[:s].rstrip(" ")
    clean_start = (not prev or prev.endswith("\n") or prev[-1] in ".!?…:"
                   or prev.rstrip(_CLOSERS)[-1:] in (".", "!", "?", "…"))
    part = " ".join(text[s:e].split())
    after = text[e:].lstrip(" ")
    clean_end = part.rstrip(_CLOSERS)[-1:] in (".", "!", "?", "…") or after[:1] in ("\n", "")
    sentences = [x for x in _SENTENCE_END.split(part) if x.strip()]
    if not clean_start and len(sentences) > 1:
        sentences = sentences[1:]
    if not clean_end and len(sentences) > 1:
        sentences = sentences[:-1]
    return " ".join(sentences)


def display_extract(text: str, lines: Sequence[Line], start: int, end: int) -> str:
    """The extract of [start, end) as a paper shows it (see the module docstring)."""
    spans, _ = _pieces(text, lines, start, end)
    if not spans:
        return typographic(" ".join(text[start:end].split()))
    shown = [_whole_sentences(text, s, e) for s, e in spans]
    return typographic(f" {ELISION} ".join(x for x in shown if x))
