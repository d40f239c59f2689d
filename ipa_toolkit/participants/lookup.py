"""Lookups: participants and transcripts in order, by ID or name, and each transcript's text.

A command that loops over rows, comments or codings builds these once and asks them per
item, so its cost grows with the items and not with items x transcripts (asking the store
for every transcript on every row made a 100k-row coding sheet take many minutes).
"""

from __future__ import annotations

from collections.abc import Sequence

from ..errors import InputError
from ..ingest.anchor import NormalisedText, Span, anchor_quote
from ..model import Line, Participant, Transcript, natural_key
from ..store import Store


def participant_list(store: Store) -> list[Participant]:
    """Every participant, in natural order (P2 before P10)."""
    return sorted(store.participants(), key=lambda p: natural_key(p.code))


def transcript_list(store: Store) -> list[Transcript]:
    """Every transcript, by participant and then name, in natural order."""
    return sorted(store.transcripts(),
                  key=lambda t: (natural_key(t.participant), natural_key(t.name)))


def find_participant(store: Store, code: str) -> Participant:
    """A participant by ID (P1 and p1 are one): found among every (id, code), then just
    that one read with its attributes, not all 500 of a large study."""
    key = str(code).strip().casefold()
    keys = store.participant_keys()
    hit = next((i for i, c in keys if c.casefold() == key), None)
    if hit is not None:
        return store.participants(ids=[hit])[0]
    known = ", ".join(sorted((c for _, c in keys), key=natural_key)[:12]) or "none yet"
    raise InputError(f"unknown participant '{code}'", hint=f"known: {known}")


def find_transcript(store: Store, ref: str, name: str | None = None) -> Transcript:
    """``TranscriptLookup(store).find(ref, name)`` for one command: it reads every
    transcript's name and participant, and then the whole record of just the one found
    (with 500 transcripts, reading every record was most of an ``ipa tag``)."""
    key = str(name or ref).strip().casefold()
    keys = store.transcript_keys()
    hits = [i for i, n, _ in keys if n.casefold() == key] or \
        [i for i, _, who in keys if who.casefold() == key]
    if len(hits) == 1:
        return store.transcripts(ids=hits)[0]
    return TranscriptLookup(store).find(ref, name)  # none, or several: its messages


class TranscriptLookup:
    """Every transcript, read once, found by name or by its participant's ID."""

    def __init__(self, store: Store):
        self._store = store
        self.all = store.transcripts()
        self.by_id = {t.id: t for t in self.all}
        self.by_name = {t.name.casefold(): t for t in self.all}
        self.by_participant: dict[str, list[Transcript]] = {}
        for t in self.all:
            self.by_participant.setdefault(t.participant.casefold(), []).append(t)

    def find(self, ref: str, name: str | None = None) -> Transcript:
        """By name, else by participant ID when that participant has exactly one."""
        if name:
            ref = name
        key = str(ref).strip().casefold()
        t = self.by_name.get(key)
        if t is not None:
            return t
        mine = self.by_participant.get(key, [])
        if len(mine) == 1:
            return mine[0]
        if len(mine) > 1:
            raise InputError(f"participant {ref} has {len(mine)} transcripts: "
                             + ", ".join(t.name for t in mine),
                             hint="name one with --transcript")
        if any(p.code.casefold() == key for p in self._store.participants()):
            raise InputError(f"participant {ref} has no transcript yet",
                             hint="ingest one with 'ipa ingest'")
        known = ", ".join(sorted({t.participant for t in self.all}, key=natural_key)[:12])
        raise InputError(f"unknown participant or transcript '{ref}'",
                         hint=f"known: {known or 'none yet'}")


class TranscriptText:
    """One transcript's text and lines, with the folded text quotes are searched in."""

    __slots__ = ("_norm", "lines", "starts", "text")

    def __init__(self, text: str, lines: list[Line], starts: list[int] | None = None):
        self.text, self.lines = text, lines
        self.starts = [] if starts is None else starts
        self._norm: NormalisedText | None = None

    @property
    def norm(self) -> NormalisedText:
        if self._norm is None:
            self._norm = NormalisedText(self.text)
        return self._norm

    def anchor(self, quote: str, source: str = "", occurrence: int | None = None) -> Span:
        """``ingest.anchor.anchor_quote`` on this transcript, reusing what was built."""
        return anchor_quote(self.text, self.lines, quote, source=source,
                            occurrence=occurrence, norm=self.norm, starts=self.starts)


class Texts:
    """Transcript texts read from the store on first use and kept for the command."""

    def __init__(self, store: Store):
        self._store = store
        self._cache: dict[int, TranscriptText] = {}

    def __getitem__(self, transcript_id: int) -> TranscriptText:
        got = self._cache.get(transcript_id)
        if got is None:
            lines = self._store.lines(transcript_id)
            got = TranscriptText(self._store.transcript_text(transcript_id), lines,
                                 [ln.start for ln in lines])
            self._cache[transcript_id] = got
        return got

    def prefetch(self, ids: Sequence[int]) -> None:
        for i in ids:
            self[i]
