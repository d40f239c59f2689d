"""Formats found by file suffix: every module of a package that declares ``SUFFIXES``.

Readers, writers and exchange formats all register this way, so a new format is one new
module; modules are imported only when a format is first asked for.
"""

from __future__ import annotations

import importlib
import pkgutil
from types import ModuleType


def by_suffix(package: str, path: list[str], skip: tuple[str, ...] = ()) -> dict[str, ModuleType]:
    """suffix -> module for the modules of ``package`` (its ``__path__``) with SUFFIXES."""
    found: dict[str, ModuleType] = {}
    for info in pkgutil.iter_modules(path):
        if info.name.startswith("_") or info.name in skip:
            continue
        module = importlib.import_module(f"{package}.{info.name}")
        for suffix in getattr(module, "SUFFIXES", ()):
            found[suffix] = module
    return found
