"""Stable line numbering: the citation backbone.

A transcript's text is its paragraphs, inner whitespace collapsed to single spaces, joined
by newlines. Lines are frozen at ingest by greedy wrapping at a width; each line keeps its
character span in the text, so a passage can be stored as offsets and cited by line.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..model import Line, make_line

DEFAULT_WIDTH = 80
DEFAULT_SPEAKER_PATTERN = (
    r"^(?P<speaker>(?:[A-Z][\w'.-]*|[0-9]+)(?: [A-Z0-9][\w'.-]*){0,2})"
    r"(?: ?\((?P<time>\d{1,2}:\d{2}(?::\d{2})?)\))?\s*:(?=\s|$)"
)
DEFAULT_INTERVIEWER_LABELS = ("interviewer", "int", "i", "q", "researcher", "facilitator",
                              "moderator", "interviewer 1", "interviewer 2")
_WS = re.compile(r"\s+")


def _normal(paragraph: str) -> str:
    # str.split() splits on the same whitespace as \s+ and drops the ends, in one C pass
    return " ".join(paragraph.replace("\ufeff", "").split())


def normalise_paragraphs(paragraphs: Sequence[str]) -> list[str]:
    """Collapse inner whitespace and drop empty paragraphs: blank lines are not cited."""
    return [p for p in map(_normal, paragraphs) if p]


def _wrap(text: str, line_start: int, end_para: int, width: int,
          spans: list[tuple[int, int]]) -> None:
    """Greedy wrap of the paragraph text[line_start:end_para] into ``spans``: break at the
    last space within the width, else (a word longer than width) at the next space."""
    while end_para - line_start > width:
        cut = text.rfind(" ", line_start + 1, line_start + width + 1)
        if cut < 0:
            cut = text.find(" ", line_start + width + 1, end_para)
            if cut < 0:
                break
        spans.append((line_start, cut))
        line_start = cut + 1
    if end_para > line_start:
        spans.append((line_start, end_para))


def wrap_spans(text: str, width: int = DEFAULT_WIDTH) -> list[tuple[int, int]]:
    """Greedy wrap of each paragraph at spaces; a word longer than width stands alone."""
    if width < 10:
        raise ValueError("wrap width must be at least 10 characters")
    spans: list[tuple[int, int]] = []
    pos = 0
    for para in text.split("\n"):
        _wrap(text, pos, pos + len(para), width, spans)
        pos += len(para) + 1
    return spans


def _label_role(label: str, interviewer_labels: Sequence[str]) -> str:
    return "interviewer" if label.casefold() in {x.casefold() for x in interviewer_labels} \
        else "participant"


def number_lines(paragraphs: Sequence[str], *, width: int = DEFAULT_WIDTH,
                 speaker_pattern: str = DEFAULT_SPEAKER_PATTERN,
                 interviewer_labels: Sequence[str] = DEFAULT_INTERVIEWER_LABELS,
                 speakers: Sequence[str | None] | None = None,
                 cues: Sequence[Sequence[tuple[int, str]]] | None = None
                 ) -> tuple[str, list[Line]]:
    """Turn paragraphs into (text, lines), each line knowing its speaker.

    A paragraph that opens with a speaker label starts a turn; unlabelled paragraphs
    continue the current speaker's turn. ``cues`` (caption formats) give each line the
    time of the cue it starts in.
    """
    if width < 10:
        raise ValueError("wrap width must be at least 10 characters")
    normal = [_normal(p) for p in paragraphs]
    keep = [i for i, p in enumerate(normal) if p]
    paras = [normal[i] for i in keep]
    text = "\n".join(paras)
    match = re.compile(speaker_pattern).match
    asking = {x.casefold() for x in interviewer_labels}
    speaker: str | None = None
    role: str | None = None
    lines: list[Line] = []
    spans: list[tuple[int, int]] = []
    para_start = 0
    for orig, para in zip(keep, paras, strict=True):
        stamp = None
        label = speakers[orig] if speakers else None
        if not label:
            m = match(para)
            if m:
                label = m.group("speaker")
                if "time" in m.groupdict() and m.group("time"):
                    stamp = m.group("time")
        if label:
            speaker = label
            role = "interviewer" if label.casefold() in asking else "participant"
        spans.clear()
        _wrap(text, para_start, para_start + len(para), width, spans)
        for start, end in spans:
            if cues:
                offset = start - para_start
                found = [t for o, t in cues[orig] if o <= offset]
                stamp = found[-1] if found else None
            elif start != para_start:
                stamp = None
            lines.append(make_line(len(lines) + 1, start, end, text[start:end], speaker,
                                   role, stamp))
        para_start += len(para) + 1
    return text, lines


def lines_from_layout(layout: str) -> tuple[str, list[tuple[int, int]]]:
    """Invert the plain-files layout: one line per row, a blank row between paragraphs."""
    paragraphs: list[list[str]] = [[]]
    for row in layout.replace("\r\n", "\n").split("\n"):
        if row.strip():
            paragraphs[-1].append(row.strip())
        elif paragraphs[-1]:
            paragraphs.append([])
    paragraphs = [p for p in paragraphs if p]
    text_parts, spans, pos = [], [], 0
    for para in paragraphs:
        for _i, row in enumerate(para):
            spans.append((pos, pos + len(row)))
            pos += len(row) + 1  # a space inside a paragraph, a newline between them
        text_parts.append(" ".join(para))
    return "\n".join(text_parts), spans


def layout_from_lines(text: str, lines: Sequence[Line]) -> str:
    """The plain-files layout: frozen lines one per row, paragraphs split by a blank row."""
    out: list[str] = []
    prev_end = None
    for ln in lines:
        if prev_end is not None and text[prev_end:ln.start] == "\n":
            out.append("")
        out.append(text[ln.start:ln.end])
        prev_end = ln.end
    return "\n".join(out) + "\n"


def line_span_for_chars(lines: Sequence[Line], start: int, end: int,
                        starts: Sequence[int] | None = None) -> tuple[int, int]:
    """First and last line numbers touched by the character span [start, end); ``starts``
    (each line's first character) may be passed in by a caller that asks many times."""
    import bisect

    if starts is None:
        starts = [ln.start for ln in lines]
    first = max(bisect.bisect_right(starts, start) - 1, 0)
    last = max(bisect.bisect_right(starts, max(end - 1, start)) - 1, first)
    return lines[first].number, lines[last].number


def paragraph_offsets(paragraphs: Sequence[str]) -> tuple[str, list[list[int] | None]]:
    """The transcript text of these paragraphs, and for each paragraph a map from raw
    character offsets to offsets in that text (None for a paragraph that is dropped).

    Follows ``normalise_paragraphs`` exactly: whitespace runs become one space, ends are
    stripped, empty paragraphs vanish, paragraphs join with newlines.
    """
    parts: list[str] = []
    maps: list[list[int] | None] = []
    base = 0
    for p in paragraphs:
        out: list[str] = []
        pos = [0] * (len(p) + 1)
        space = True  # drop leading whitespace
        for i, ch in enumerate(p):
            pos[i] = len(out)
            if ch == "\ufeff":
                continue
            if ch.isspace():
                if not space:
                    out.append(" ")
                    space = True
                continue
            out.append(ch)
            space = False
        if out and out[-1] == " ":
            out.pop()
        pos[len(p)] = len(out)
        if not out:
            maps.append(None)
            continue
        if parts:
            base += 1  # the newline between paragraphs
        maps.append([base + min(x, len(out)) for x in pos])
        parts.append("".join(out))
        base += len(out)
    return "\n".join(parts), maps
