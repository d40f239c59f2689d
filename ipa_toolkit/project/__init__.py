"""The project: the ``Project`` facade (``facade``) and what it and the shells above it use:
finding and making a project (``opening``), its settings (``settings``), who is writing
(``identity``) and text for a person (``display``: the CLI's tables, ``ipa show``).

``from ipa_toolkit.project import Project`` loads the facade on first use, so a command
that only needs ``display`` (``ipa --help`` lists the output formats) does not import it.
"""

from __future__ import annotations

from typing import Any


def __getattr__(name: str) -> Any:
    if name in ("Project", "DEFAULTS"):
        import importlib

        return getattr(importlib.import_module(f"{__name__}.facade"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
