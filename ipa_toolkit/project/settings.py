"""A project's settings: their defaults, and the check each value passes before it is kept.

The store keeps what the researcher set (``ipa config KEY VALUE``); every read overlays it
on ``DEFAULTS``, so a setting nobody touched has its default, and a new setting needs no
migration.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from ..errors import InputError
from ..ingest.anchor import DEFAULT_FUZZY_THRESHOLD
from ..ingest.lines import DEFAULT_INTERVIEWER_LABELS, DEFAULT_SPEAKER_PATTERN, DEFAULT_WIDTH

if TYPE_CHECKING:  # pragma: no cover
    from ..store.base import Store

DEFAULTS: dict[str, Any] = {
    "wrap_width": DEFAULT_WIDTH,
    "speaker_pattern": DEFAULT_SPEAKER_PATTERN,
    "interviewer_labels": list(DEFAULT_INTERVIEWER_LABELS),
    "fuzzy_threshold": DEFAULT_FUZZY_THRESHOLD,
    "coder": None,
    "citation": "({participant}, {lines})",
    "codebook_name": "",
    "levels": ["superordinate", "subordinate"],
    "recurrence_rule": "half",
    "quotes_per_theme": 3,
    "attribute_types": {},
    "quote_max_words": 150,
    "min_participants": None,
    "spacy_model": "auto",
    "terms": "2022",
}


def current(store: Store, cache: dict[str, Any]) -> dict[str, Any]:
    """Defaults overlaid with the project's settings, read again only after a change."""
    version, cached = cache.get("settings", (None, None))
    now = store.version()  # on a server, each call is a round trip
    if version != now:
        cached = {**DEFAULTS, **store.settings()}
        cache["settings"] = (now, cached)
    return dict(cached)


def known(key: str) -> str:
    """``key``, or one line naming the settings there are."""
    if key not in DEFAULTS:
        raise InputError(f"unknown setting '{key}'",
                         hint="known: " + ", ".join(sorted(DEFAULTS)))
    return key


def parse(key: str, value: str) -> Any:
    """The value to keep for ``key`` from what was typed (YAML scalars and lists), refused
    with one line when it would not work."""
    from ..safety import load_yaml  # no anchors or aliases: a value must not explode

    if isinstance(DEFAULTS[known(key)], str) or key in ("coder", "min_participants"):
        parsed = value if value.strip() else None  # text settings are taken as written
    else:
        parsed = load_yaml(value, f"value for {key} (lists are written [a, b])") \
            if value.strip() else None
    if key == "citation":
        try:
            str(parsed).format(participant="P1", lines="1-2", start=1, end=2)
        except (KeyError, IndexError, ValueError) as exc:
            raise InputError(f"citation template '{parsed}' is not valid ({exc})",
                             hint="use {participant}, {lines}, {start}, {end}") from None
    if key in ("quotes_per_theme", "quote_max_words") and (
            not isinstance(parsed, int) or parsed < 1):
        raise InputError(f"{key} must be a whole number of at least 1")
    if key == "recurrence_rule":
        from ..analysis.prevalence import recurrence_threshold

        recurrence_threshold(parsed, 10)
    if key == "terms":
        from ..terms import preset

        parsed = str(parsed).strip().lower() if preset(parsed) else parsed
    if key == "wrap_width" and (not isinstance(parsed, int) or parsed < 10):
        raise InputError("wrap_width must be a whole number of at least 10")
    if key == "speaker_pattern":
        try:
            if "speaker" not in re.compile(str(parsed)).groupindex:
                raise InputError("speaker_pattern needs a (?P<speaker>...) group")
        except re.error as exc:
            raise InputError(f"speaker_pattern is not a valid regex: {exc}") from None
    return parsed


def save(store: Store, key: str, value: str) -> None:
    """Keep a setting, once ``parse`` has checked it, in one transaction."""
    parsed = parse(key, value)
    with store.transaction():
        store.set_setting(key, parsed)
