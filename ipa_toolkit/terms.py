"""Terminology presets: the words a study uses for each level of an IPA analysis.

Smith, Flowers & Larkin's 2nd edition (2022) renamed the levels of the 2009 edition;
thematic analysis uses neither. ``ipa config terms 2022|2009|generic`` picks the words the
idiographic tables, the results draft and the audit bundle print.
"""

from __future__ import annotations

from dataclasses import dataclass

from .errors import InputError


@dataclass(frozen=True)
class Terms:
    group: str  # level 1 across cases
    sub: str  # level 2 across cases
    case: str  # a theme of one case
    unit: str  # the researcher's phrase on a passage
    group_short: str  # abbreviation in narrow columns
    case_short: str

    def plural(self, word: str) -> str:
        return word + "s" if not word.endswith("s") else word


PRESETS: dict[str, Terms] = {
    "2022": Terms("Group experiential theme", "Sub-theme", "Personal experiential theme",
                  "Experiential statement", "GET", "PET"),
    "2009": Terms("Superordinate theme", "Subordinate theme", "Superordinate theme (case)",
                  "Emergent theme", "Superordinate theme", "Case theme"),
    "generic": Terms("Theme", "Sub-theme", "Case theme", "Code", "Theme", "Case theme"),
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
