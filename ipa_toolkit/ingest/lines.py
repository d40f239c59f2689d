"""Stable line numbering: the citation backbone.

A transcript's text is its paragraphs, inner whitespace collapsed to single spaces, joined
by newlines. Lines are frozen at ingest by greedy wrapping at a width; each line keeps its
character span in the text, so a passage can be stored as offsets and cited by line.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..model import Line

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


def wrap_spans(text: str, width: int = DEFAULT_WIDTH) -> list[tuple[int, int]]:
    """Greedy wrap of each paragraph at spaces; a word longer than width stands alone."""
    if width < 10:
        raise ValueError("wrap width must be at least 10 characters")
    spans: list[tuple[int, int]] = []
    pos = 0
    for para in text.split("\n"):
        end_para = pos + len(para)
        line_start = pos
        while end_para - line_start > width:
            # break at the last space within the width, else (a long word) at the next one
            cut = text.rfind(" ", line_start + 1, line_start + width + 1)
            if cut < 0:
                cut = text.find(" ", line_start + width + 1, end_para)
                if cut < 0:
                    break
            spans.append((line_start, cut))
            line_start = cut + 1
        if end_para > line_start:
            spans.append((line_start, end_para))
        pos = end_para + 1
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
    normal = [_normal(p) for p in paragraphs]
    keep = [i for i, p in enumerate(normal) if p]
    paras = [normal[i] for i in keep]
    text = "\n".join(paras)
    pattern = re.compile(speaker_pattern)
    para_speaker: list[tuple[str | None, str | None, str | None]] = []
    current: tuple[str | None, str | None] = (None, None)
    for orig, para in zip(keep, paras, strict=True):
        stamp = None
        if speakers and speakers[orig]:
            label = speakers[orig]
            current = (label, _label_role(label, interviewer_labels))
        else:
            m = pattern.match(para)
            if m:
                label = m.group("speaker")
                current = (label, _label_role(label, interviewer_labels))
                if "time" in m.groupdict() and m.group("time"):
                    stamp = m.group("time")
        para_speaker.append((current[0], current[1], stamp))
    lines: list[Line] = []
    para_index = 0
    para_end = len(paras[0]) if paras else 0
    para_start = 0
    for start, end in wrap_spans(text, width):
        while start > para_end:
            para_index += 1
            para_start = para_end + 1
            para_end = para_start + len(paras[para_index])
        speaker, role, stamp = para_speaker[para_index]
        if cues:
            offset = start - para_start
            found = [t for o, t in cues[keep[para_index]] if o <= offset]
            stamp = found[-1] if found else None
        elif start != para_start:
            stamp = None
        lines.append(Line(len(lines) + 1, start, end, text[start:end], speaker, role, stamp))
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
