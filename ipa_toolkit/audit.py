"""Reading the audit trail: the store's append-only log as rows a researcher can follow.

The store writes the log (every change passes through it); this module only reads it:
one row per change with when, who, the command, what changed and a short before -> after.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .records import LogEntry
from .terms import DEFAULT, PRESETS, Terms, for_project

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from .project import Project

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


def describe(e: LogEntry, terms: Terms | None = None) -> str:
    """One line for a log entry: what it names, or which fields went from what to what,
    in the project's terminology (a PET, a case theme, ...)."""
    w = (terms or PRESETS[DEFAULT]).words()
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
    if e.entity == "pet_statement":
        return f"{w['unit']} #{row.get('statement_id')} in {w['pet']} #{row.get('pet_id')}"
    if e.entity == "pet_theme":
        return f"{w['pet']} #{row.get('pet_id')} -> {w['get']} {e.theme}"
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


def log_rows(project: Project, *, theme: str | None = None, participant: str | None = None,
             coder: str | None = None, since: str | None = None, until: str | None = None,
             entity: str | None = None) -> list[dict[str, Any]]:
    """Log entries as plain rows, oldest first; ``coder`` filters on who made the change."""
    if theme:
        theme = project.theme(theme).number
    if participant:
        participant = project.participant(participant).code
    entries = project.store.log_entries(entity=entity, participant=participant, theme=theme,
                                        actor=coder, since=since, until=until)
    terms = for_project(project)
    return [{"id": e.id, "when": e.at, "who": e.actor, "command": e.command, "action": e.op,
             "entity": e.entity, "entity_id": e.entity_id, "participant": e.participant,
             "theme": e.theme, "change": describe(e, terms)} for e in entries]


def log_frame(project: Project, **filters: Any) -> pd.DataFrame:
    import pandas as pd

    return pd.DataFrame(log_rows(project, **filters), columns=list(LOG_COLUMNS))
