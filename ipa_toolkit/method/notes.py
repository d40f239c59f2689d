"""The analyst's own writing beside the data: exploratory notes on passages (IPA's first
close reading: descriptive, linguistic or conceptual) and memos on themes."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from ..errors import InputError
from ..ingest import anchor
from ..model import NOTE_KINDS, Memo, Note, now

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from ..protocols import ProjectLike

NOTE_COLUMNS = ["id", "participant", "transcript", "start_line", "end_line", "kind", "note",
                "author", "created", "status"]
MEMO_COLUMNS = ["id", "theme_number", "theme_label", "memo", "author", "created"]


def add_note(project: ProjectLike, ref: str, text: str, *,
             lines: tuple[int, int] | str | None, quote: str | None, kind: str,
             author: str | None, transcript: str | None) -> Note:
    """An exploratory note on a passage; ``kind`` may be its first letter (d, l, c)."""
    kind = kind.lower()
    full = {k[0]: k for k in NOTE_KINDS}
    kind = full.get(kind, kind) if len(kind) == 1 else kind
    if kind not in NOTE_KINDS:
        raise InputError(f"unknown note kind '{kind}'", hint="descriptive, linguistic or "
                                                             "conceptual")
    if not text.strip():
        raise InputError("the note is empty")
    t = project.transcript(ref, transcript)
    span = anchor.passage(project.store, t, lines, quote)
    n = Note(0, t.id, span.start_line, span.end_line, span.start, span.end, kind,
             text.strip(), project.coder(author), now())
    with project.store.transaction():
        nid = project.store.add_note(n)
    return replace(n, id=nid)


def notes_frame(project: ProjectLike, participant: str | None = None) -> pd.DataFrame:
    """Every note (or one participant's) with its participant, transcript and lines."""
    import pandas as pd

    tinfo = {t.id: t for t in project.store.transcripts()}
    rows = []
    for n in project.store.notes():
        t = tinfo[n.transcript_id]
        if participant and t.participant.casefold() != participant.casefold():
            continue
        rows.append({"id": n.id, "participant": t.participant, "transcript": t.name,
                     "start_line": n.start_line, "end_line": n.end_line, "kind": n.kind,
                     "note": n.text, "author": n.author, "created": n.created,
                     "status": n.status})
    return pd.DataFrame(rows, columns=NOTE_COLUMNS)


def add_memo(project: ProjectLike, theme: str, text: str, *, author: str | None) -> Memo:
    """A memo on a theme: the analyst's running reflection on what it holds."""
    if not text.strip():
        raise InputError("the memo is empty")
    th = project.theme(theme)
    m = Memo(0, th.id, text.strip(), project.coder(author), now())
    with project.store.transaction():
        mid = project.store.add_memo(m)
    return replace(m, id=mid)


def memos_frame(project: ProjectLike, theme: str | None = None) -> pd.DataFrame:
    """Every memo (or one theme's) with its theme's number and label."""
    import pandas as pd

    cb = project.codebook
    th = project.theme(theme) if theme else None
    rows = [{"id": m.id, "theme_number": cb.get(m.theme_id).number,
             "theme_label": cb.get(m.theme_id).label, "memo": m.text, "author": m.author,
             "created": m.created}
            for m in project.store.memos(th.id if th else None)]
    return pd.DataFrame(rows, columns=MEMO_COLUMNS)
