"""Caption files: WebVTT (Zoom, Teams with <v Name> voice tags) and SubRip (.srt).

Cues are merged into speaker turns; each line keeps the time of the cue it starts in.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

from ..errors import InputError
from ..safety import read_limited
from .document import RawDocument, turns_document
from .text import decode

SUFFIXES = (".vtt", ".srt")
_TIMING = re.compile(r"^(?P<a>\S+)[ \t]+-->[ \t]+(?P<b>\S+)(?P<rest>.*)$")
_TIME = re.compile(r"^(?:(?P<h>\d{1,3}):)?(?P<m>\d{1,2}):(?P<s>\d{1,2})(?:[.,](?P<f>\d{1,3}))?$")


def _seconds(stamp: str) -> float | None:
    m = _TIME.match(stamp)
    if not m or int(m.group("m")) > 59 or int(m.group("s")) > 59:
        return None
    return (int(m.group("h") or 0) * 3600 + int(m.group("m")) * 60 + int(m.group("s"))
            + int((m.group("f") or "0").ljust(3, "0")) / 1000)


def _check_times(text: str, fmt: str, where: str) -> str:
    """Every cue time line checked (an impossible time is an error naming its line, never a
    silently dropped cue) and written the way the parser expects: WebVTT from Taguette and
    others uses a comma before the milliseconds, which is accepted."""
    rows = text.split("\n")
    for i, row in enumerate(rows):
        if not re.match(r"\s*\d[\d:.,]*\s*-->", row):
            continue
        m = _TIMING.match(row.strip())
        a = _seconds(m.group("a")) if m else None
        b = _seconds(m.group("b")) if m else None
        if a is None or b is None:
            raise InputError(f"impossible cue time '{row.strip()[:60]}'", path=where,
                             line=i + 1, hint="times are hh:mm:ss.mmm, minutes and seconds "
                             "below 60")
        if b < a:
            raise InputError(f"cue ends before it starts '{row.strip()[:60]}'", path=where,
                             line=i + 1)
        sep = "," if fmt == "srt" else "."

        def norm(stamp: str, sep: str = sep) -> str:
            t = _TIME.match(stamp)
            return (f"{int(t.group('h') or 0):02d}:{int(t.group('m')):02d}:"
                    f"{int(t.group('s')):02d}{sep}{(t.group('f') or '0').ljust(3, '0')}")
        rows[i] = f"{norm(m.group('a'))} --> {norm(m.group('b'))}{m.group('rest')}"
    return "\n".join(rows)


_PREFIX = re.compile(r"^(?P<name>[^:\n]{1,40}?):\s+(?=\S)")


def read(path: Path) -> RawDocument:
    import webvtt
    from webvtt.errors import MalformedFileError

    text, warnings = decode(read_limited(Path(path), what="caption file"), str(path))
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    fmt = "srt" if path.suffix.lower() == ".srt" else "vtt"
    text = _check_times(text, fmt, str(path))
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
