"""Records beside ``model``'s core (participants, transcripts, lines, themes, codings):
exploratory notes, memos and audit-log entries (``case_records`` holds statements and
PETs). ``model`` hands them out too; they live apart so that a command that does not use
them does not build their classes (dataclass creation is most of a short command's own
start-up)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Note:
    """An exploratory note on a passage (IPA step 2)."""

    id: int
    transcript_id: int
    start_line: int
    end_line: int
    start: int
    end: int
    kind: str
    text: str
    author: str
    created: str
    status: str = "ok"
    guid: str = ""


@dataclass(frozen=True)
class Memo:
    """A memo on a theme: the analyst's running reflection."""

    id: int
    theme_id: int
    text: str
    author: str
    created: str
    guid: str = ""


@dataclass(frozen=True)
class LogEntry:
    """One row of the append-only audit log: who changed what, from what, to what."""

    id: int
    at: str
    actor: str
    command: str
    op: str  # "insert", "update" or "delete"
    entity: str  # "coding", "theme", "statement", "pet", "pet_statement", "pet_theme", ...
    entity_id: int | None
    participant: str
    theme: str
    before: dict | None
    after: dict | None
