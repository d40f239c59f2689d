"""Coding passages: tagging, untagging and re-anchoring codings (``tag``) and the codings
as a table (``table``). Anchoring a passage to lines lives in ``ingest.anchor``; the
coding sheet in ``sheets.codings``."""

from __future__ import annotations

from typing import Any


def __getattr__(name: str) -> Any:
    """The names of the module this package replaced (``ipa_toolkit.coding``, now
    ``ingest.anchor``), for one more release."""
    from ..ingest import anchor

    if name.startswith("__") or not hasattr(anchor, name):
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from .. import moved

    moved(f"coding.{name}", f"ingest.anchor.{name}")
    return getattr(anchor, name)
