"""Plain frozen dataclasses: what the store returns and the analysis reads.

One module for every record: participants, transcripts, lines, themes and codings;
exploratory notes, memos and audit-log entries; experiential statements and PETs. Each has
a docstring: a dataclass without one has its signature worked out at import
(``inspect.signature``) to serve as one, a cost every command paid."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime

_DIGITS = re.compile(r"(\d+)")
DEFAULT_LEVELS = ("superordinate", "subordinate")  # a codebook without levels: names that
# the terminology presets replace (terms.level_names)


def natural_key(text: str) -> tuple:
    """Sort key so that P2 comes before P10 and 1.2 before 1.10."""
    parts = _DIGITS.split(str(text))
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p.casefold()) for p in parts if p != "")


def now() -> str:
    """UTC timestamp, second resolution; SOURCE_DATE_EPOCH pins it for reproducible builds."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    moment = datetime.fromtimestamp(int(epoch), UTC) if epoch else datetime.now(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def cite(template: str, participant: str, start_line: int, end_line: int) -> str:
    """A citation by the project's template: ``({participant}, {lines})`` -> (P3, 112-118)."""
    lines = str(start_line) if start_line == end_line else f"{start_line}-{end_line}"
    return template.format(participant=participant, lines=lines, start=start_line,
                           end=end_line)


@dataclass(frozen=True)
class Participant:
    """A participant: the ID that every export carries, with their attributes."""

    id: int
    code: str
    attributes: dict[str, str] = field(default_factory=dict)
    guid: str = ""


@dataclass(frozen=True)
class Transcript:
    """An ingested transcript of one participant, with its line count."""

    id: int
    name: str
    participant: str
    source: str
    format: str
    sha256: str
    width: int
    n_lines: int
    ingested: str
    guid: str = ""


@dataclass(frozen=True)
class Line:
    """One frozen, citable line: ``start``/``end`` are character offsets into the text."""

    number: int
    start: int
    end: int
    text: str
    speaker: str | None = None
    role: str | None = None  # "participant", "interviewer" or None
    timestamp: str | None = None


_new = object.__new__


def make_line(number: int, start: int, end: int, text: str, speaker: str | None = None,
              role: str | None = None, timestamp: str | None = None) -> Line:
    """A ``Line`` equal to ``Line(...)``, made twice as fast: ingest and the store make
    hundreds of thousands, and a frozen dataclass's ``__init__`` sets each field through
    ``object.__setattr__``. Line has no ``__post_init__`` to skip."""
    ln = _new(Line)
    ln.__dict__.update(number=number, start=start, end=end, text=text, speaker=speaker,
                       role=role, timestamp=timestamp)
    return ln


@dataclass(frozen=True)
class Theme:
    """A theme of the codebook (a GET or one of its sub-themes when ``parent_id`` is set)."""

    id: int
    number: str
    label: str
    parent_id: int | None = None
    description: str = ""
    inclusion: str = ""
    exclusion: str = ""
    colour: str = ""
    position: int = 0
    retired: bool = False
    keywords: tuple[str, ...] = ()
    guid: str = ""


@dataclass(frozen=True)
class Coding:
    """A passage of a transcript coded to a theme by one coder."""

    id: int
    transcript_id: int
    theme_id: int
    start_line: int
    end_line: int
    start: int
    end: int
    quote: str
    coder: str
    note: str = ""
    created: str = ""
    status: str = "ok"  # "ok", "fuzzy" (re-anchored approximately) or "orphaned"
    exemplar: bool = False
    guid: str = ""


NOTE_KINDS = ("descriptive", "linguistic", "conceptual")

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


# -- the idiographic records: one case at a time (the logic is in method.idiographic) ----


@dataclass(frozen=True)
class Statement:
    """An experiential statement (2009: emergent theme): the researcher's short phrase for
    what a passage of one participant's transcript means, anchored to that passage."""

    id: int
    transcript_id: int
    start_line: int
    end_line: int
    start: int
    end: int
    quote: str
    text: str
    note: str = ""
    coder: str = ""
    created: str = ""
    status: str = "ok"
    guid: str = ""


@dataclass(frozen=True)
class Pet:
    """A personal experiential theme: a named cluster of one participant's statements.

    ``number`` is per participant ("2", or "2.1" for a sub-theme), cited as ``P3:2``.
    """

    id: int
    participant_id: int
    number: str
    label: str
    parent_id: int | None = None
    description: str = ""
    position: int = 0
    coder: str = ""
    created: str = ""
    guid: str = ""
