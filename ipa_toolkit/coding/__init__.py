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
    import warnings

    warnings.warn(f"ipa_toolkit.coding.{name} moved to ipa_toolkit.ingest.anchor.{name}; "
                  "the old path goes in the next release", DeprecationWarning, stacklevel=2)
    globals()[name] = value = getattr(anchor, name)  # warned once, then found directly
    return value
