"""Transcript readers, found by file suffix.

Each module in this package that defines ``SUFFIXES`` and ``read(path) -> RawDocument`` is a
reader: adding a format means adding one file. Readers import their heavy libraries inside
``read`` so that discovering them costs nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from ..errors import InputError
from ..safety import check_length


@dataclass
class RawDocument:
    """What a reader hands over: paragraphs in reading order, before line numbering."""

    paragraphs: list[str]
    format: str
    warnings: list[str] = field(default_factory=list)
    # optional per-paragraph speakers from formats that name them
    speakers: list[str | None] | None = None
    # caption-like formats: paragraphs hold speech only (no "Name:" label yet), and each
    # paragraph lists where its cues start: [(offset in paragraph, "hh:mm:ss"), ...]
    unlabelled: bool = False
    cues: list[list[tuple[int, str]]] | None = None

    def labelled(self, names: dict[str, str]) -> RawDocument:
        """Paragraphs with a "Label: " prefix from ``names`` (speaker -> label), cue offsets
        moved along; speakers without a name in ``names`` keep their own."""
        if not self.unlabelled:
            return self
        paragraphs, speakers, cues = [], [], []
        for i, para in enumerate(self.paragraphs):
            who = self.speakers[i] if self.speakers else None
            label = names.get(who, who) if who else None
            prefix = f"{label}: " if label else ""
            paragraphs.append(prefix + para)
            speakers.append(label)
            cues.append([(off + len(prefix) if off else 0, t)
                         for off, t in (self.cues or [[]] * (i + 1))[i]])
        return RawDocument(paragraphs, self.format, self.warnings, speakers, False, cues)


def turns_document(items: list[tuple[str | None, str | None, str]], fmt: str,
                   warnings: list[str] | None = None) -> RawDocument:
    """Caption cues (speaker, start time, text) merged into turns: consecutive cues of one
    speaker become one paragraph that remembers where each cue began."""
    paragraphs: list[str] = []
    speakers: list[str | None] = []
    cues: list[list[tuple[int, str]]] = []
    for speaker, time, text in items:
        text = " ".join(text.split())
        if not text:
            continue
        if paragraphs and speaker is not None and speakers[-1] == speaker:
            paragraphs[-1] += " "
            if time:
                cues[-1].append((len(paragraphs[-1]), time))
            paragraphs[-1] += text
            continue
        paragraphs.append(text)
        speakers.append(speaker)
        cues.append([(0, time)] if time else [])
    return RawDocument(paragraphs, fmt, warnings or [], speakers, True, cues)


@cache
def readers() -> dict[str, object]:
    """Map of suffix -> reader module."""
    from ..registry import by_suffix

    return by_suffix(__name__, __path__, skip=("lines", "pipeline"))


def supported_suffixes() -> list[str]:
    return sorted(readers())


def read_document(path: Path) -> RawDocument:
    """Read a transcript file into paragraphs; every failure is an ``InputError``."""
    path = Path(path)
    if not path.exists():
        raise InputError("file not found", path=str(path))
    if path.is_dir():
        raise InputError("is a folder, not a transcript file", path=str(path))
    module = readers().get(path.suffix.lower())
    if module is None:
        raise InputError(f"unsupported transcript format '{path.suffix or '(none)'}'",
                         path=str(path),
                         hint="supported: " + ", ".join(supported_suffixes()))
    if path.stat().st_size == 0:
        raise InputError("file is empty", path=str(path))
    doc = module.read(path)
    check_length(sum(len(p) + 1 for p in doc.paragraphs), str(path), len(doc.paragraphs))
    if not any(p.strip() for p in doc.paragraphs):
        raise InputError("file holds no text", path=str(path))
    return doc
