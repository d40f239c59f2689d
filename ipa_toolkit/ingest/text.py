"""Plain-text transcripts: UTF-8 (with or without BOM), UTF-16, or Windows-1252."""

from __future__ import annotations

import codecs
import re
import unicodedata
from pathlib import Path

from ..errors import InputError
from ..safety import read_limited
from .document import RawDocument, turns_document

SUFFIXES = (".txt", ".text")


def decode(data: bytes, name: str) -> tuple[str, list[str]]:
    """Decode transcript bytes, saying so when a legacy encoding had to be guessed."""
    warnings: list[str] = []
    if data.startswith(codecs.BOM_UTF8):
        try:
            return data[len(codecs.BOM_UTF8):].decode("utf-8", errors="strict"), warnings
        except UnicodeDecodeError as exc:
            raise InputError(f"broken UTF-8 text at byte {exc.start + 3}", path=name,
                             hint="save the file as UTF-8 again") from exc
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), warnings
        except UnicodeDecodeError as exc:
            raise InputError(f"broken UTF-16 text at byte {exc.start}", path=name) from exc
    if b"\x00" in data[:4096]:
        # UTF-16 without a BOM: in Latin scripts every other byte is NUL, in others (Greek,
        # Cyrillic, CJK...) only spaces and line ends have one. Decode both ways and keep the
        # reading that looks like text; anything else is binary.
        text = _utf16_without_bom(data)
        if text is None:
            raise InputError("looks like a binary file, not text", path=name,
                             hint="is it the right file? text must be saved as plain text")
        warnings.append(f"{name}: UTF-16 without a byte-order mark; read as UTF-16")
        return text, warnings
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        if _junk(text):
            raise InputError("looks like a binary file, not text", path=name,
                             hint="is it the right file? text must be saved as plain text")
        return text, warnings
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise InputError(f"unknown text encoding (byte 0x{data[exc.start]:02x} at "
                         f"{exc.start} is neither UTF-8 nor Windows-1252)", path=name,
                         hint="save the file as UTF-8") from exc
    if _junk(text):
        raise InputError("looks like a binary file, not text", path=name,
                         hint="is it the right file? text must be saved as plain text")
    warnings.append(f"{name}: not UTF-8; read as Windows-1252 and converted")
    return text, warnings


_JUNK = {"Cc", "Cn", "Co", "Cs"}
# letters, digits, spaces and common punctuation are never junk: only the rest is looked
# up, so a page of prose costs one C-speed regex pass instead of 8,192 category calls
_MAYBE_JUNK = re.compile(r"[^\w \t\n\r\f.,;:!?'\"()\-]")


def _junk(text: str) -> bool:
    """Mostly control, unassigned or private-use characters: not a transcript."""
    sample = text[:8192]
    bad = sum(1 for ch in _MAYBE_JUNK.findall(sample) if unicodedata.category(ch) in _JUNK)
    return bad > max(2, len(sample) // 100)


def _utf16_without_bom(data: bytes) -> str | None:
    best = None
    for enc in ("utf-16-le", "utf-16-be"):
        try:
            text = data[:len(data) // 2 * 2].decode(enc)
        except UnicodeDecodeError:
            continue
        if _junk(text) or not any(ch.isspace() for ch in text[:8192]):
            continue
        if best is None:
            best = text
        else:  # both plausible: the one with more spaces and line ends is the right way round
            best = max(best, text, key=lambda t: sum(ch in " \n" for ch in t[:8192]))
    return best


# "Jane Smith  00:03:12" on a line of its own, speech below: transcription services' layout
_HEADER = re.compile(r"^(?P<name>[^\W\d][\w.'\- ]{0,40}?)\s+\(?(?P<time>\d{1,2}:\d{2}(?::\d{2})?)"
                     r"\)?\s*$")


def read(path: Path) -> RawDocument:
    text, warnings = decode(read_limited(Path(path), what="transcript"), str(path))
    if "\x00" in text:
        raise InputError("looks like a binary file, not text", path=str(path))
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    rows = text.split("\n")
    headers = [i for i, r in enumerate(rows) if _HEADER.match(r.strip())]
    if len(headers) >= 2 and len(headers) * 2 >= sum(1 for r in rows if r.strip()) / 4:
        return _service_layout(rows, headers, warnings)
    return RawDocument(rows, "txt", warnings)


def _service_layout(rows: list[str], headers: list[int], warnings: list[str]) -> RawDocument:
    """Turn "Name  00:03:12" headed blocks into timed speaker turns."""
    items = [(None, None, r) for r in rows[:headers[0]] if r.strip()]
    for k, h in enumerate(headers):
        m = _HEADER.match(rows[h].strip())
        end = headers[k + 1] if k + 1 < len(headers) else len(rows)
        time = m.group("time")
        time = time if time.count(":") == 2 else "00:" + time
        speech = " ".join(r.strip() for r in rows[h + 1:end] if r.strip())
        items.append((m.group("name").strip(), time.zfill(8), speech))
    return turns_document(items, "txt", warnings)
