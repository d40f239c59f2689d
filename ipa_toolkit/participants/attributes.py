"""Typed participant attributes: ``number``, ``category`` or ``text``.

A type is declared in the participants file header (``Age:number``) or with
``ipa participants type Age number``, and kept in the project's settings. A number
attribute refuses "sixty"; Table 1 summarises numbers by M and SD, counts categories and
leaves text alone. An attribute without a type is treated by what its values look like.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

from ..errors import InputError

if TYPE_CHECKING:  # pragma: no cover
    from ..protocols import ProjectLike

TYPES = ("number", "category", "text")
_HEADER = re.compile(r"^(?P<name>.*\S)\s*:\s*(?P<kind>number|category|text)\s*$", re.I)


def split_header(header: list[str]) -> tuple[list[str], dict[str, str]]:
    """('Age:number' ...) -> (['Age', ...], {'Age': 'number'})."""
    names, types = [], {}
    for h in header:
        m = _HEADER.match(h)
        if m:
            names.append(m["name"])
            types[m["name"]] = m["kind"].lower()
        else:
            names.append(h)
    return names, types


def is_number(value: str) -> bool:
    try:
        float(str(value).strip())
    except ValueError:
        return False
    return True


def bad_value(kind: str | None, value: str | None) -> bool:
    """True when ``value`` cannot be an attribute of this type (empty is always fine)."""
    return kind == "number" and value is not None and bool(str(value).strip()) \
        and not is_number(value)


def declared(project: ProjectLike) -> dict[str, str]:
    return dict(project.setting("attribute_types") or {})


def check(project: ProjectLike, name: str, value: str | None) -> None:
    """Refuse a value its attribute's type cannot hold, with one clear line."""
    kind = declared(project).get(name)
    if bad_value(kind, value):
        raise InputError(f"{name} is a number attribute: '{value}' is not a number",
                         hint=f"write it in digits (e.g. 60), or: ipa participants type "
                              f"{name} text")


def problems(path: str, types: dict[str, str], header: list[str],
             rows: Iterable[tuple[int, list[str]]]) -> list[str]:
    """Every cell of a typed column that its type refuses, by file line."""
    out = []
    for line, row in rows:
        for i, name in enumerate(header):
            if i < len(row) and bad_value(types.get(name), row[i]):
                out.append(f"{path}, line {line}: {name} is a number, not '{row[i]}'")
    return out


def set_type(project: ProjectLike, name: str, kind: str) -> dict[str, str]:
    """Declare ``name`` as ``kind``; refused while a value does not fit."""
    kind = kind.strip().lower()
    if kind not in TYPES:
        raise InputError(f"unknown attribute type '{kind}'", hint="number, category or text")
    known = {n.casefold(): n for n in project.store.attribute_names()}
    if name.casefold() not in known:
        raise InputError(f"no participant attribute '{name}'",
                         hint="attributes: " + (", ".join(known.values()) or "none yet"))
    name = known[name.casefold()]
    wrong = [f"{p.code} ({p.attributes.get(name)})" for p in project.participant_list()
             if bad_value(kind, p.attributes.get(name))]
    if wrong:
        raise InputError(f"{name} cannot be a number: " + ", ".join(wrong[:5]),
                         hint=f"fix them first: ipa participants set {wrong[0].split()[0]} "
                              f"{name} VALUE")
    types = {**declared(project), name: kind}
    project.store.set_setting("attribute_types", types)
    return types
