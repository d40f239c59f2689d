"""ipa-toolkit: Interpretative Phenomenological Analysis and theme coding of interviews.

``import ipa_toolkit as ipa; p = ipa.Project.open("study"); p.codings()``. Names are loaded
on first use so that ``import ipa_toolkit`` (and the ``ipa`` command) stays quick.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:  # pragma: no cover
    from .codebook import Codebook
    from .errors import IpaError
    from .project import Project

__all__ = ["Codebook", "IpaError", "Project", "__version__", "charts", "tables"]

_LAZY = {"Project": ".project", "Codebook": ".codebook", "IpaError": ".errors"}
_MODULES = {"tables": ".report.tables", "charts": ".report.charts"}


def __getattr__(name: str) -> Any:
    import importlib

    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name], __name__), name)
    if name in _MODULES:  # ipa.tables.participants(project), ipa.charts.prevalence(project)
        return importlib.import_module(_MODULES[name], __name__)
    raise AttributeError(f"module 'ipa_toolkit' has no attribute {name!r}")
