"""ipa-toolkit: Interpretative Phenomenological Analysis and theme coding of interviews.

``import ipa_toolkit as ipa; p = ipa.Project.open("study"); p.codings()``. Names are loaded
on first use so that ``import ipa_toolkit`` (and the ``ipa`` command) stays quick. The
house is described in ``docs/architecture.md``.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:  # pragma: no cover
    from importlib.machinery import ModuleSpec
    from types import ModuleType

    from .codebook.tree import Codebook
    from .errors import IpaError
    from .project.facade import Project

__all__ = ["Codebook", "IpaError", "Project", "__version__", "charts", "tables"]

_LAZY = {"Project": ".project.facade", "Codebook": ".codebook.tree", "IpaError": ".errors"}
_MODULES = {"tables": ".report.tables", "charts": ".report.charts"}

#: Modules that moved in 0.2 (old path -> new path, under ``ipa_toolkit.``). A notebook's
#: ``from ipa_toolkit.records import Note`` keeps working, with a DeprecationWarning, for
#: this release; ``ipa_toolkit.codebook`` and ``ipa_toolkit.coding`` became packages and
#: hand out their old names themselves.
MOVED = {
    "records": "model", "case_records": "model",
    "codebook_file": "codebook.file",
    "coding_table": "coding.table", "coding_sheet": "sheets.codings",
    "statement_sheet": "sheets.statements", "participant_table": "sheets.participants",
    "tabular": "sheets.read", "cells": "sheets.cells",
    "attributes": "participants.attributes", "lookup": "participants.lookup",
    "idiographic": "method.idiographic",
    "audit": "trail.read", "replay": "trail.replay",
    "store.audit": "store.log", "report.audit": "report.bundle", "report.stamp": "stamp",
    "opening": "project.opening", "identity": "project.identity",
    "display": "project.display",
}


class _OldPaths:
    """Finds a moved module under its old name: the new module itself, not a copy.

    Consulted last (after every file on disk), so an import that exists costs nothing more;
    a finder and loader by its methods alone (``importlib.abc`` costs 10 ms to import).
    """

    def find_spec(self, fullname: str, path: Any = None, target: Any = None) -> ModuleSpec | None:
        old = fullname.removeprefix(f"{__name__}.")
        if old == fullname or old not in MOVED:
            return None
        from importlib.machinery import ModuleSpec  # only an old path pays for it

        return ModuleSpec(fullname, self)  # type: ignore[arg-type]

    def create_module(self, spec: ModuleSpec) -> ModuleType:
        import importlib
        import warnings

        old = spec.name.removeprefix(f"{__name__}.")
        warnings.warn(f"{spec.name} moved to {__name__}.{MOVED[old]}; the old path goes in "
                      "the next release", DeprecationWarning, stacklevel=2)
        return importlib.import_module(f"{__name__}.{MOVED[old]}")

    def exec_module(self, module: ModuleType) -> None:
        """The new module has run already."""


if not any(isinstance(f, _OldPaths) for f in sys.meta_path):
    sys.meta_path.append(_OldPaths())


def __getattr__(name: str) -> Any:
    import importlib

    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name], __name__), name)
    if name in _MODULES:  # ipa.tables.participants(project), ipa.charts.prevalence(project)
        return importlib.import_module(_MODULES[name], __name__)
    raise AttributeError(f"module 'ipa_toolkit' has no attribute {name!r}")
