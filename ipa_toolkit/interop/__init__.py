"""Whole-project exchange formats, chosen by the path's suffix (a folder: plain files).

Each module here that defines ``SUFFIXES`` plus ``export_project`` / ``import_project`` is a
format; a folder (or a path without a suffix) is the plain-files format.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from pathlib import Path

from ..errors import InputError


@cache
def formats() -> dict[str, object]:
    from ..registry import by_suffix

    return by_suffix(__name__, __path__)


def _module(path: Path) -> object:
    suffix = "" if path.is_dir() else path.suffix.lower()
    module = formats().get(suffix)
    if module is None:
        raise InputError(f"no exchange format for '{suffix}'", path=str(path),
                         hint="use a folder name for plain files"
                         + "".join(f", or {s}" for s in sorted(formats()) if s))
    return module


def writer_for(path: Path) -> Callable:
    return _module(path).export_project


def reader_for(path: Path) -> Callable:
    if not path.exists():
        raise InputError("not found", path=str(path))
    return _module(path).import_project
