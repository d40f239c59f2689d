"""Plain-text transcripts: UTF-8 (with or without BOM), UTF-16, or Windows-1252."""

from __future__ import annotations

import codecs
from pathlib import Path

from ..errors import InputError
from . import RawDocument

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


def read(path: Path) -> RawDocument:
    text, warnings = decode(Path(path).read_bytes(), str(path))
    if "\x00" in text:
        raise InputError("looks like a binary file, not text", path=str(path))
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return RawDocument(text.split("\n"), "txt", warnings)
