"""What a reader hands over (``RawDocument``), and caption cues merged into turns."""

from __future__ import annotations

from dataclasses import dataclass, field


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
