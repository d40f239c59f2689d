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
    """The format's import, with a damaged file (a missing column, a word where a number
    belongs) made one clear error; the import's transaction has left nothing behind."""
    if not path.exists():
        raise InputError("not found", path=str(path))
    read = _module(path).import_project

    def guarded(project, source: Path, participants: dict[str, str] | None = None):
        if participants and _module(path) is _module(Path("x.qdpx")):
            options = {"participants": participants}
        elif participants:
            raise InputError("--participant applies to .qdpx projects only", path=str(path))
        else:
            options = {}
        try:
            return read(project, source, **options)
        except (KeyError, ValueError, TypeError, AttributeError, IndexError) as exc:
            detail = " ".join(str(exc).split())[:120]
            raise InputError(f"not a well-formed export ({type(exc).__name__}: {detail})",
                             path=str(source), hint="export it again from the program that "
                             "made it") from exc
    return guarded
