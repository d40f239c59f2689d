"""Plain-text transcripts: UTF-8 (with or without BOM), UTF-16, or Windows-1252."""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from ..errors import InputError
from . import RawDocument, turns_document

SUFFIXES = (".txt", ".text")


def decode(data: bytes, name: str) -> tuple[str, list[str]]:
    """Decode transcript bytes, saying so when a legacy encoding had to be guessed."""
    warnings: list[str] = []
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8):].decode("utf-8", errors="strict"), warnings
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), warnings
        except UnicodeDecodeError as exc:
            raise InputError(f"broken UTF-16 text at byte {exc.start}", path=name) from exc
    if b"\x00" in data[:4096]:
        # UTF-16 without a BOM shows as every other byte NUL; anything else is binary
        even, odd = data[0:4096:2], data[1:4096:2]
        for enc, zeros in (("utf-16-le", odd), ("utf-16-be", even)):
            if zeros.count(0) > 0.9 * len(zeros):
                try:
                    return data.decode(enc), warnings
                except UnicodeDecodeError:
                    break
        raise InputError("looks like a binary file, not text",
                         path=name, hint="is it the right file? text must be saved as plain text")
    try:
        return data.decode("utf-8"), warnings
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise InputError(f"unknown text encoding (byte 0x{data[exc.start]:02x} at "
                         f"{exc.start} is neither UTF-8 nor Windows-1252)", path=name,
                         hint="save the file as UTF-8") from exc
    warnings.append(f"{name}: not UTF-8; read as Windows-1252 and converted")
    return text, warnings


# "Jane Smith  00:03:12" on a line of its own, speech below: transcription services' layout
_HEADER = re.compile(r"^(?P<name>[^\W\d][\w.'\- ]{0,40}?)\s+\(?(?P<time>\d{1,2}:\d{2}(?::\d{2})?)"
                     r"\)?\s*$")


def read(path: Path) -> RawDocument:
    text, warnings = decode(Path(path).read_bytes(), str(path))
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
