"""Reading the audit trail: the store's append-only log as rows a researcher can follow.

The store writes the log (every change passes through it); this module only reads it:
one row per change with when, who, the command, what changed and a short before -> after.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..model import LogEntry
from ..terms import DEFAULT, PRESETS, Terms, for_project

if TYPE_CHECKING:  # pragma: no cover
    from collections.abc import Callable
    from pathlib import Path

    import pandas as pd

    from ..protocols import ProjectLike

LOG_COLUMNS = ("id", "when", "who", "command", "action", "entity", "entity_id",
               "participant", "theme", "change")
_SKIP = {"id", "guid", "text_hash", "lines", "text", "created", "ingested"}
_TEXT = ("label", "text", "code", "key", "number", "kind", "quote", "name")


def _short(value: Any, width: int = 60) -> str:
    text = " ".join(str(value).split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _lines(row: dict) -> str:
    a, b = row.get("start_line"), row.get("end_line")
    return "" if a is None else (f"{a}" if a == b else f"{a}-{b}")


def entity_words(terms: Terms | None = None) -> dict[str, str]:
    """What each kind of log row is about, in the researcher's words (the preset's)."""
    w = (terms or PRESETS[DEFAULT]).words()
    return {"theme": w["get"], "coding": "coding", "note": "exploratory note", "memo": "memo",
            "statement": w["unit"], "pet": w["pet"],
            "pet_statement": f"{w['unit']} in {w['pet']}", "pet_theme": f"{w['pet']} mapping",
            "transcript": "transcript", "participant": "participant", "setting": "setting",
            "log": "log"}


def describe(e: LogEntry, terms: Terms | None = None,
             pets: dict[int, str] | None = None) -> str:
    """One line for a log entry: what it names, or which fields went from what to what,
    in the project's terminology (a PET, a case theme, ...); ``pets`` gives a PET's
    reference (``P3:2``) by its id."""
    w = (terms or PRESETS[DEFAULT]).words()
    pets = pets or {}
    row = e.after if e.after is not None else (e.before or {})
    if e.op == "update" and e.before is not None and e.after is not None:
        changed = [k for k in sorted(e.after) if k not in _SKIP - {"text"}
                   and e.before.get(k) != e.after.get(k)]
        if e.entity == "transcript":
            return f"{row.get('name')}: text replaced ({len(row.get('lines', []))} lines)"
        return "; ".join(f"{k}: {_short(e.before.get(k), 40)!s} -> {_short(e.after.get(k), 40)!s}"
                         for k in changed) or "no visible change"
    if e.entity == "coding":
        return f"{e.participant} {_lines(row)} -> theme {e.theme}"
    if e.entity == "statement":
        return f"{w['unit']} '{_short(row.get('text'))}' ({e.participant}, {_lines(row)})"
    if e.entity == "note":
        return f"{row.get('kind')} note ({e.participant}, {_lines(row)}): {_short(row.get('text'))}"
    if e.entity == "pet":
        return f"{w['pet']} {e.participant}:{row.get('number')} '{_short(row.get('label'))}'"
    pet = pets.get(row.get("pet_id"), f"#{row.get('pet_id')}")
    if e.entity == "pet_statement":
        return f"{w['unit']} #{row.get('statement_id')} in {w['pet']} {pet}"
    if e.entity == "pet_theme":
        return f"{w['pet']} {pet} -> {w['get']} {e.theme}"
    if e.entity == "transcript":
        return f"{row.get('name')} ({len(row.get('lines', []))} lines)"
    if e.entity == "participant":
        attrs = row.get("attributes") or []
        return row.get("code", "") + (f" ({len(attrs)} attributes)" if attrs else "")
    if e.entity == "log":
        return f"names pseudonymised in {row.get('rows')} earlier log rows"
    if e.entity == "setting":
        return f"{row.get('key')} = {_short(row.get('value'))}"
    if e.entity == "theme":
        return f"{row.get('number')} '{_short(row.get('label'))}'"
    for k in _TEXT:
        if row.get(k):
            return _short(row[k])
    return ""


def log_rows(project: ProjectLike, *, theme: str | None = None, participant: str | None = None,
             coder: str | None = None, since: str | None = None, until: str | None = None,
             entity: str | None = None, worded: bool = False) -> list[dict[str, Any]]:
    """Log entries as plain rows, oldest first; ``coder`` filters on who made the change.
    ``worded``: the entity column in the preset's words ('PET', 'emergent theme'), as
    ``ipa log`` shows it; ``entity`` is either kind of name."""
    if theme:
        theme = project.theme(theme).number
    if participant:
        participant = project.participant(participant).code
    terms = for_project(project)
    words = entity_words(terms)
    if entity:
        entity = _entity(entity, words)
    for when in (since, until):
        _check_time(when)
    entries = project.store.log_entries(entity=entity, participant=participant, theme=theme,
                                        actor=coder, since=since, until=until)
    codes = {p.id: p.code for p in project.store.participants()}
    pets = {p.id: f"{codes.get(p.participant_id, '?')}:{p.number}"
            for p in project.store.pets()}  # as they are now; the log's own rows say when
    out = []
    for e in entries:
        snap = e.after or e.before or {}
        if e.entity == "pet" and e.entity_id is not None and e.participant \
                and not str(snap.get("number", "")).startswith("__"):
            pets[e.entity_id] = f"{e.participant}:{snap.get('number')}"  # then
        out.append({"id": e.id, "when": e.at, "who": e.actor, "command": e.command,
                    "action": e.op, "entity": words.get(e.entity, e.entity) if worded
                    else e.entity, "entity_id": e.entity_id, "participant": e.participant,
                    "theme": e.theme, "change": describe(e, terms, pets)})
    return out


def _entity(name: str, words: dict[str, str]) -> str:
    """'PET', 'pet', 'emergent theme in superordinate theme (case)' -> the log's own name."""
    folded = " ".join(name.replace("_", " ").split()).casefold()
    for key, word in words.items():
        if folded in (key.replace("_", " "), word.casefold()):
            return key
    from ..errors import InputError

    raise InputError(f"no such kind of change '{name}'",
                     hint="one of: " + ", ".join(sorted(set(words.values()))))


def _check_time(when: str | None) -> None:
    """--since/--until: a date (2026-01-01) or an ISO time; anything else matched nothing."""
    import datetime as dt
    import re

    if not when:
        return
    try:  # the log compares text: only the log's own form, 2026-01-01T09:30:00Z, compares
        if not re.fullmatch(r"\d{4}-\d\d-\d\d(T\d\d(:\d\d(:\d\d)?)?Z?)?", when):
            raise ValueError(when)
        dt.datetime.fromisoformat(when.replace("Z", ""))
    except ValueError:
        from ..errors import InputError

        raise InputError(f"'{when}' is not a date", hint="write it as 2026-01-01, or "
                         "2026-01-01T09:30:00Z") from None


def log_frame(project: ProjectLike, **filters: Any) -> pd.DataFrame:
    import pandas as pd

    return pd.DataFrame(log_rows(project, **filters), columns=list(LOG_COLUMNS))


class Log:
    """The audit log as a layer of the project (``project.log``): called, it is the log as
    a DataFrame (``project.log(participant="P3")``); ``entries`` gives the rows as dicts
    and ``replay`` rebuilds the project from it."""

    def __init__(self, project: ProjectLike, make: Callable[[Path], ProjectLike]):
        self.project = project
        self._make = make  # makes the new project a replay rebuilds into (Project.init)

    def __call__(self, **filters: Any) -> pd.DataFrame:
        """The audit log (theme, participant, coder, since, until, entity filters)."""
        return log_frame(self.project, **filters)

    def entries(self, **filters: Any) -> list[dict[str, Any]]:
        """The rows of ``__call__`` as dicts, without pandas (``ipa log`` prints these)."""
        return log_rows(self.project, **filters)

    def replay(self, out: str | Path) -> dict[str, Any]:
        """Rebuild the project in ``out`` from its log alone and check that its plain export
        equals this project's (see ``trail.replay``)."""
        from .replay import replay

        return replay(self.project, out, make=self._make)
