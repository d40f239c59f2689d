"""The idiographic records (one case at a time; the logic is in ``idiographic``):
experiential statements and personal experiential themes. ``model`` hands them out too."""

from __future__ import annotations

from dataclasses import dataclass


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
