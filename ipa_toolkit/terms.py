"""Terminology presets: the words a study uses for each level of an IPA analysis.

Smith, Flowers & Larkin's 2nd edition (2022) renamed the levels of the 2009 edition;
thematic analysis uses neither. ``ipa config terms 2022|2009|generic`` picks the words the
tables, charts, report headings, results draft, audit bundle, log and ``--help`` print.

The codebook's level names follow one rule (``level_names``): names the researcher gave
the codebook (``levels:`` other than the built-in superordinate/subordinate) win; otherwise
the preset's words name the group levels. This module imports nothing heavy: ``--help``
reads it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from .errors import InputError
from .model import DEFAULT_LEVELS  # the codebook's default level names, named by presets


@dataclass(frozen=True)
class Terms:
    group: str  # level 1 across cases
    sub: str  # level 2 across cases
    case: str  # a theme of one case
    unit: str  # the researcher's phrase on a passage
    group_short: str  # abbreviation in narrow columns
    case_short: str
    levels: tuple[str, str] = DEFAULT_LEVELS  # codebook level names when none were set

    def plural(self, word: str) -> str:
        return plural(word)

    def words(self) -> dict[str, str]:
        """Placeholder -> word for help texts: {unit}, {a_unit}, {pet}, {pets}, {get},
        {cases_named} ('personal experiential themes (PETs)'), ...; a capitalised key
        ({Pet}) gives the word capitalised."""
        short = {"case": self.case_short, "group": self.group_short}
        out = {}
        for key, word in (("unit", self.unit), ("case", self.case), ("group", self.group),
                          ("sub", self.sub), ("pet", short["case"]), ("get", short["group"])):
            low = word if word.isupper() else word[:1].lower() + word[1:]
            out[key] = low
            out[key + "s"] = plural(low)
        out["a_unit"] = ("an " if out["unit"][:1] in "aeiou" else "a ") + out["unit"]
        for key in ("case", "group"):  # 'personal experiential theme (PET)', 'theme'
            short = out["pet" if key == "case" else "get"]
            named = short.isupper()
            out[key + "_named"] = out[key] + (f" ({short})" if named else "")
            out[key + "s_named"] = out[key + "s"] + (f" ({short}s)" if named else "")
        out.update({k[:1].upper() + k[1:]: v[:1].upper() + v[1:] for k, v in out.items()})
        return out

    def fill(self, text: str) -> str:
        """``text`` with its {placeholders} in this preset's words (others left alone)."""
        words = self.words()
        return _PLACEHOLDER.sub(lambda m: words.get(m.group(1), m.group(0)), text)


_PLACEHOLDER = re.compile(r"\{([A-Za-z_]+)\}")


def plural(word: str) -> str:
    """'theme' -> 'themes', 'superordinate theme (case)' -> 'superordinate themes (case)'."""
    head, sep, tail = word.partition(" (")
    head = head if head.endswith("s") else head + "s"
    return head + sep + tail


PRESETS: dict[str, Terms] = {
    "2022": Terms("Group experiential theme", "Sub-theme", "Personal experiential theme",
                  "Experiential statement", "GET", "PET",
                  ("group experiential theme", "sub-theme")),
    "2009": Terms("Superordinate theme", "Subordinate theme", "Superordinate theme (case)",
                  "Emergent theme", "Superordinate theme", "Case theme", DEFAULT_LEVELS),
    "generic": Terms("Theme", "Sub-theme", "Case theme", "Code", "Theme", "Case theme",
                     ("theme", "sub-theme")),
}
DEFAULT = "2022"


def preset(name: str | int | None) -> Terms:
    """The preset by name ('2022', '2009', 'generic'); one clear error otherwise."""
    key = str(name if name is not None else DEFAULT).strip().lower()
    if key not in PRESETS:
        raise InputError(f"unknown terminology preset '{name}'",
                         hint="use " + ", ".join(PRESETS))
    return PRESETS[key]


def for_project(project) -> Terms:
    return preset(project.setting("terms"))


def level_names(levels: tuple[str, ...] | list[str], terms: Terms) -> tuple[str, ...]:
    """The codebook's level names as tables and charts print them: the researcher's own
    (a codebook ``levels:`` other than the built-in default) win; otherwise the preset's."""
    levels = tuple(levels)
    return terms.levels if levels == DEFAULT_LEVELS else levels


def level_of(levels: tuple[str, ...], depth: int) -> str:
    return levels[depth] if depth < len(levels) else f"level {depth + 1}"


def themed(level: str, *, many: bool = False) -> str:
    """A level name as a noun phrase: 'superordinate' -> 'superordinate theme(s)',
    'sub-theme' -> 'sub-theme(s)'."""
    word = level if "theme" in level.lower() else f"{level} theme"
    return plural(word) if many else word


def project_levels(project: Any) -> tuple[str, ...]:
    """The level names of a project's codebook under its terminology preset."""
    return level_names(project.codebook.levels, for_project(project))
