"""Transcript readers, found by file suffix.

Each module in this package that defines ``SUFFIXES`` and ``read(path) -> RawDocument`` is a
reader: adding a format means adding one file. Readers import their heavy libraries inside
``read`` so that discovering them costs nothing. What a reader returns is in ``document``;
``lines`` (line numbering, which every coding command needs) and ``anchor`` (passages to
spans and back) are importable without it; ``pipeline`` reads files into a project.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import InputError

if TYPE_CHECKING:  # pragma: no cover
    from .document import RawDocument


@cache
def readers() -> dict[str, object]:
    """Map of suffix -> reader module."""
    from ..registry import by_suffix

    return by_suffix(__name__, __path__, skip=("anchor", "document", "lines", "pipeline"))


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
    from ..safety import check_length

    doc = module.read(path)
    check_length(sum(len(p) + 1 for p in doc.paragraphs), str(path), len(doc.paragraphs))
    if not any(p.strip() for p in doc.paragraphs):
        raise InputError("file holds no text", path=str(path))
    return doc
