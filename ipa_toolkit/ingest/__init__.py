"""Transcript readers, found by file suffix.

Each module in this package that defines ``SUFFIXES`` and ``read(path) -> RawDocument`` is a
reader: adding a format means adding one file. Readers import their heavy libraries inside
``read`` so that discovering them costs nothing.
"""

from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from ..errors import InputError


@dataclass
class RawDocument:
    """What a reader hands over: paragraphs in reading order, before line numbering."""

    paragraphs: list[str]
    format: str
    warnings: list[str] = field(default_factory=list)
    # optional per-paragraph speaker/timestamp hints from formats that carry them
    speakers: list[str | None] | None = None
    timestamps: list[str | None] | None = None


@cache
def readers() -> dict[str, object]:
    """Map of suffix -> reader module."""
    found: dict[str, object] = {}
    for info in pkgutil.iter_modules(__path__):
        if info.name.startswith("_") or info.name == "lines":
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        for suffix in getattr(module, "SUFFIXES", ()):
            found[suffix] = module
    return found


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
    if not any(p.strip() for p in doc.paragraphs):
        raise InputError("file holds no text", path=str(path))
    return doc
