"""The codebook: its tree of themes (``tree``), its YAML file (``file``) and the changes a
researcher makes to it (``edit``). ``from ipa_toolkit.codebook import Codebook`` works as
it did when the tree was this module."""

from __future__ import annotations

from typing import Any


def __getattr__(name: str) -> Any:
    import importlib  # not 'from . import tree': that asks this hook for 'tree' first

    if name.startswith("__") or name in ("tree", "file", "edit"):
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    tree = importlib.import_module(f"{__name__}.tree")  # loaded on first use
    try:
        return getattr(tree, name)
    except AttributeError:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
