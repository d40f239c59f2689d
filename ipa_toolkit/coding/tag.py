"""Tagging: coding a passage to a theme, and undoing, moving or re-pointing a coding.

Each write is one store transaction, so a refused change leaves the project as it was.
A passage is named by a line range, a quote or a browser selection (``ingest.anchor``).
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from ..errors import CodingError
from ..ingest import anchor
from ..model import Coding, now

if TYPE_CHECKING:  # pragma: no cover
    from ..protocols import ProjectLike


def tag(project: ProjectLike, ref: str, theme: str, *, lines: tuple[int, int] | str | None,
        quote: str | None, note: str, coder: str | None, transcript: str | None,
        occurrence: int | None, exemplar: bool, chars: tuple[int, int] | None
        ) -> Coding | None:
    """Code a passage (snapped to whole words) to a theme; None if it was already coded."""
    t = project.transcript(ref, transcript)
    th = project.theme(theme)
    span = anchor.passage(project.store, t, lines, quote, occurrence, chars)
    text = project.store.transcript_text(t.id)
    c = Coding(0, t.id, th.id, span.start_line, span.end_line, span.start, span.end,
               text[span.start:span.end], project.coder(coder), note or "", now(),
               exemplar=exemplar)
    with project.store.transaction():
        cid = project.store.add_coding(c)
    return replace(c, id=cid) if cid else None


def untag(project: ProjectLike, coding_id: int | None, *, ref: str | None,
          theme: str | None, lines: tuple[int, int] | str | None, coder: str | None,
          transcript: str | None) -> int:
    """Remove a coding by id, or every coding of a theme overlapping some lines."""
    store = project.store
    with store.transaction():
        if coding_id is not None:
            if store.coding(coding_id) is None:
                raise CodingError(f"no coding with id {coding_id}",
                                  hint="'ipa codings' lists the ids")
            store.delete_coding(coding_id)
            return 1
        if ref is None or theme is None:
            raise CodingError("give a coding id, or a participant with --theme")
        t = project.transcript(ref, transcript)
        th = project.theme(theme)
        if isinstance(lines, str):
            lines = anchor.parse_line_range(lines)
        gone = 0
        for c in store.codings(transcript_id=t.id, theme_ids=[th.id], coder=coder):
            if lines is None or (c.start_line <= lines[1] and c.end_line >= lines[0]):
                store.delete_coding(c.id)
                gone += 1
        if not gone:
            raise CodingError(f"no coding of {th.number} in {t.name} matches")
        return gone


def reanchor(project: ProjectLike, coding_id: int, *, lines: tuple[int, int] | str | None,
             quote: str | None, occurrence: int | None) -> Coding:
    """Point an (orphaned or misplaced) coding at a new passage."""
    store = project.store
    c = store.coding(coding_id)
    if c is None:
        raise CodingError(f"no coding with id {coding_id}", hint="'ipa codings' lists ids")
    t = next(t for t in store.transcripts() if t.id == c.transcript_id)
    span = anchor.passage(store, t, lines, quote, occurrence)
    text = store.transcript_text(t.id)
    with store.transaction():
        store.update_coding(c.id, start_char=span.start, end_char=span.end,
                            start_line=span.start_line, end_line=span.end_line,
                            quote=text[span.start:span.end], status="ok")
    return store.coding(coding_id)


def retheme(project: ProjectLike, coding_id: int, theme: str) -> Coding:
    """Move one coding to another theme (the browser's re-theme)."""
    store = project.store
    c, th = store.coding(coding_id), project.theme(theme)
    if c is None:
        raise CodingError(f"no coding with id {coding_id}")
    same = store.codings(transcript_id=c.transcript_id, theme_ids=[th.id], coder=c.coder)
    if any((x.start, x.end) == (c.start, c.end) and x.id != c.id for x in same):
        raise CodingError(f"this passage is already coded to {th.number} by {c.coder}")
    with store.transaction():
        store.update_coding(coding_id, theme_id=th.id)
    return store.coding(coding_id)


def set_exemplar(project: ProjectLike, coding_id: int, exemplar: bool) -> None:
    """Mark (or unmark) a coding as an exemplar: Table 4 quotes exemplars first."""
    if project.store.coding(coding_id) is None:
        raise CodingError(f"no coding with id {coding_id}")
    with project.store.transaction():
        project.store.update_coding(coding_id, exemplar=exemplar)
