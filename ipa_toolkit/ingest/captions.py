"""Caption files: WebVTT (Zoom, Teams with <v Name> voice tags) and SubRip (.srt).

Cues are merged into speaker turns; each line keeps the time of the cue it starts in.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

from ..errors import InputError
from . import RawDocument, turns_document
from .text import decode

SUFFIXES = (".vtt", ".srt")
_PREFIX = re.compile(r"^(?P<name>[^:\n]{1,40}?):\s+(?=\S)")


def read(path: Path) -> RawDocument:
    import webvtt
    from webvtt.errors import MalformedFileError

    text, warnings = decode(Path(path).read_bytes(), str(path))
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    fmt = "srt" if path.suffix.lower() == ".srt" else "vtt"
    try:
        captions = webvtt.from_buffer(io.StringIO(text), format=fmt)
    except (MalformedFileError, ValueError, IndexError) as exc:
        line = getattr(exc, "line", None)
        raise InputError(f"not a valid {fmt.upper()} caption file ({exc})", path=str(path),
                         line=line, hint="check the cue numbering and '-->' time lines") \
            from exc
    items = []
    for c in captions:
        speech = " ".join(c.text.split())
        speaker = c.voice
        if speaker is None:
            m = _PREFIX.match(speech)
            if m and not m.group("name").strip().isdigit():
                speaker, speech = m.group("name").strip(), speech[m.end():]
        items.append((speaker, c.start.split(".")[0], speech))
    if not items:
        raise InputError(f"no cues in this {fmt.upper()} file", path=str(path))
    return turns_document(items, fmt, warnings)
