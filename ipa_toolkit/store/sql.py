"""The query methods of every SQL store, written once.

SQLite and PostgreSQL agree on almost all of it. The SQL here uses ``?`` placeholders,
``ON CONFLICT`` for "insert unless present" and plain ``INSERT`` for ids; a backend
(``sqlite.py``, ``postgres.py``) supplies the connection, the transaction, the change
counter and the few statements where the dialects differ (``_x``, ``_many``, ``_insert``).
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from ..errors import ProjectError
from ..model import Coding, Line, Participant, Theme, Transcript, make_line
from .base import Store
from .idiographic import IdiographicSQL
from .log import AuditLog
from .schema import MIGRATIONS

if TYPE_CHECKING:  # pragma: no cover
    from ..model import Memo, Note

_THEME_COLS = ("id, number, label, parent_id, description, inclusion, exclusion, colour, "
               "position, retired, keywords, guid")
_CODING_COLS = ("id, transcript_id, theme_id, start_line, end_line, start_char, end_char, "
                "quote, coder, note, created, status, exemplar, guid")
_THEME_FIELDS = {"number", "label", "parent_id", "description", "inclusion", "exclusion",
                 "colour", "position", "retired", "keywords"}
_CODING_FIELDS = {"theme_id", "start_line", "end_line", "start_char", "end_char", "quote",
                  "coder", "note", "status", "exemplar"}
_NOTE_FIELDS = {"start_line", "end_line", "start_char", "end_char", "status", "text", "kind"}
# where a name is stored as the author of work (has_work_by)
_WORK_BY = (("codings", "coder"), ("statements", "coder"), ("notes", "author"),
            ("memos", "author"), ("pets", "coder"))


def new_guid() -> str:
    """A random (version 4) UUID, as text."""
    return new_guids(1)[0]


def new_guids(n: int) -> list[str]:
    """``n`` random (version 4) UUIDs from one read of the random source: ``uuid4()``
    reads it and builds an object per call, which showed in a 100k-row import (and
    importing ``uuid`` showed in every command's start-up)."""
    h = os.urandom(16 * n).hex()
    return [f"{h[i:i + 8]}-{h[i + 8:i + 12]}-4{h[i + 13:i + 16]}-"
            f"{'89ab'[int(h[i + 16], 16) & 3]}{h[i + 17:i + 20]}-{h[i + 20:i + 32]}"
            for i in range(0, 32 * n, 32)]


def tables() -> list[str]:
    """Every data table, parents before children: the order a whole-project copy follows."""
    names: list[str] = []
    for step in MIGRATIONS:
        for name in re.findall(r"CREATE TABLE (?:IF NOT EXISTS )?(\w+)", step, re.I):
            if name not in names:
                names.append(name)
        for name in re.findall(r"DROP TABLE (?:IF EXISTS )?(\w+)", step, re.I):
            if name in names:
                names.remove(name)
    return names


def _line_rows(lines: Sequence[Line]) -> list[list]:
    """Lines as a transcript snapshot lists them (the columns of the lines table)."""
    return [[ln.number, ln.start, ln.end, ln.speaker, ln.role, ln.timestamp] for ln in lines]


def _theme(row: tuple) -> Theme:
    return Theme(id=row[0], number=row[1], label=row[2], parent_id=row[3], description=row[4],
                 inclusion=row[5], exclusion=row[6], colour=row[7], position=row[8],
                 retired=bool(row[9]), keywords=tuple(json.loads(row[10])), guid=row[11])


def _coding(row: tuple) -> Coding:
    return Coding(id=row[0], transcript_id=row[1], theme_id=row[2], start_line=row[3],
                  end_line=row[4], start=row[5], end=row[6], quote=row[7], coder=row[8],
                  note=row[9], created=row[10], status=row[11], exemplar=bool(row[12]),
                  guid=row[13])


class SQLStore(AuditLog, IdiographicSQL, Store):
    """Everything but the connection: a backend implements the hooks below."""

    _depth = 0

    # -- hooks a backend supplies --------------------------------------------------------
    def _x(self, sql: str, params: Sequence[Any] = ()) -> Any:
        """Run one statement; returns a cursor (iterable, ``rowcount``, ``fetchone``)."""
        raise NotImplementedError

    def _many(self, sql: str, rows: Iterable[Sequence[Any]]) -> int:
        """Run one statement per row; returns how many rows it changed."""
        raise NotImplementedError

    def _insert(self, sql: str, params: Sequence[Any]) -> int | None:
        """Insert one row; its new id, or None when ON CONFLICT skipped it."""
        raise NotImplementedError

    def replay(self, entries) -> int:
        """Rebuild state from log entries; the replay itself writes no new log rows."""
        self.logging = False
        try:
            return super().replay(entries)
        finally:
            self.logging = True

    def _begin(self) -> None:
        raise NotImplementedError

    def _end(self, commit: bool) -> None:
        raise NotImplementedError

    @contextmanager
    def transaction(self) -> Iterator[None]:
        if self._depth:
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
            return
        self._begin()
        self._depth = 1
        try:
            yield
        except BaseException:
            self._depth = 0
            self._end(commit=False)
            raise
        else:
            self._depth = 0
            self._end(commit=True)
        finally:
            self._depth = 0

    # -- whole tables, for copying a project between stores ------------------------------
    def columns(self, table: str) -> list[str]:
        """The columns of ``table`` in the order ``rows`` gives them."""
        raise NotImplementedError

    def rows(self, table: str) -> Iterator[tuple]:
        """Every row of ``table``, in a stable order (the primary key's)."""
        cols = self.columns(table)
        order = "id" if "id" in cols else ", ".join(cols)
        return iter(self._x(f"SELECT {', '.join(cols)} FROM {table} ORDER BY {order}"))

    def load_rows(self, table: str, columns: Sequence[str], rows: Iterable[Sequence]) -> int:
        """Insert rows as they are (ids included): the receiving end of a copy."""
        marks = ", ".join("?" * len(columns))
        return self._many(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows)

    # Every free-text column a name can hide in (table, key columns, column); transcript
    # text and the offsets of coded passages are rewritten by anonymisation itself.
    FREE_TEXT = (("transcripts", ("id",), "name"), ("transcripts", ("id",), "source"),
                 ("participant_attributes", ("participant_id", "name"), "value"),
                 ("lines", ("transcript_id", "number"), "speaker"),
                 ("themes", ("id",), "label"), ("themes", ("id",), "description"),
                 ("themes", ("id",), "inclusion"), ("themes", ("id",), "exclusion"),
                 ("themes", ("id",), "keywords"), ("codings", ("id",), "note"),
                 ("codings", ("id",), "quote"), ("codings", ("id",), "coder"),
                 ("notes", ("id",), "text"), ("notes", ("id",), "author"),
                 ("memos", ("id",), "text"), ("memos", ("id",), "author"),
                 ("statements", ("id",), "quote"), ("statements", ("id",), "text"),
                 ("statements", ("id",), "note"), ("statements", ("id",), "coder"),
                 ("pets", ("id",), "label"), ("pets", ("id",), "description"),
                 ("pets", ("id",), "coder"))

    def rewrite_free_text(self, fn: Callable[[str], str]) -> int:
        """Pass every free-text cell through ``fn`` (anonymisation); the cells changed.

        Logged as one entry: the log's own snapshots are rewritten by ``redact_log``.
        """
        changed = 0
        for table, keys, col in self.FREE_TEXT:
            key_sql = ", ".join(keys)
            rows = self._x(f"SELECT {key_sql}, {col} FROM {table} WHERE {col} IS NOT NULL"
                           ).fetchall()
            where = " AND ".join(f"{k} = ?" for k in keys)
            for *key, value in rows:
                new = fn(value)
                if new != value:
                    self._x(f"UPDATE {table} SET {col} = ? WHERE {where}", (new, *key))
                    changed += 1
        self._log("anonymise", "project", None, None, {"cells": changed}, participant="",
                  theme="")
        return changed

    # -- settings -----------------------------------------------------------------------
    def settings(self) -> dict[str, Any]:
        return {k: json.loads(v) for k, v in self._x("SELECT key, value FROM settings")}

    def set_setting(self, key: str, value: Any) -> None:
        old = self._x("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        before = {"key": key, "value": json.loads(old[0])} if old else None
        after = {"key": key, "value": value} if value is not None else None
        if before != after:
            self._log("delete" if after is None else "insert" if before is None else "update",
                      "setting", None, before, after, participant="", theme="")
        if value is None:
            self._x("DELETE FROM settings WHERE key = ?", (key,))
        else:
            self._x("INSERT INTO settings(key, value) VALUES (?, ?) "
                    "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                    (key, json.dumps(value)))

    # -- participants -------------------------------------------------------------------
    def attribute_names(self) -> list[str]:
        return [r[0] for r in self._x("SELECT name FROM attributes ORDER BY position")]

    def participants(self, ids: Sequence[int] | None = None) -> list[Participant]:
        order = {n: i for i, n in enumerate(self.attribute_names())}
        marks = None if ids is None else ", ".join("?" * len(ids)) or "NULL"
        attrs: dict[int, dict[str, str]] = {}
        for pid, name, value in self._x(
                "SELECT participant_id, name, value FROM participant_attributes" +
                ("" if marks is None else f" WHERE participant_id IN ({marks})"),
                tuple(ids or ())):
            attrs.setdefault(pid, {})[name] = value
        out = []
        for pid, code, guid in self._x(
                "SELECT id, code, guid FROM participants " +
                ("" if marks is None else f"WHERE id IN ({marks}) ") + "ORDER BY id",
                tuple(ids or ())):
            a = attrs.get(pid, {})
            out.append(Participant(pid, code, dict(sorted(a.items(), key=lambda kv: order[kv[0]])),
                                   guid))
        return out

    def participant_keys(self) -> list[tuple[int, str]]:
        return [tuple(r) for r in self._x("SELECT id, code FROM participants ORDER BY id")]

    def _participant_snapshot(self, pid: int) -> dict | None:
        row = self._x("SELECT id, code, guid FROM participants WHERE id = ?", (pid,)).fetchone()
        if row is None:
            return None
        attrs = [list(r) for r in self._x(  # pairs: the order of the columns is data too
            "SELECT a.name, a.value FROM participant_attributes a JOIN attributes n "
            "ON n.name = a.name WHERE a.participant_id = ? ORDER BY n.position",
            (pid,)).fetchall()]
        return {"id": row[0], "code": row[1], "guid": row[2], "attributes": attrs}

    def upsert_participant(self, code: str, attributes: dict[str, str],
                           guid: str | None = None) -> int:
        row = self._x("SELECT id FROM participants WHERE code = ?", (code,)).fetchone()
        if row is None:
            pid = self._insert("INSERT INTO participants(code, guid) VALUES (?, ?)",
                               (code, guid or new_guid()))
            before = None
        else:
            pid = row[0]
            before = self._participant_snapshot(pid)
        self._set_attributes(pid, attributes)
        after = self._participant_snapshot(pid)
        if before != after:
            self._log("insert" if before is None else "update", "participant", pid, before,
                      after, participant=code, theme="")
        return pid

    def _set_attributes(self, pid: int, attributes: dict[str, str | None]) -> None:
        for name, value in attributes.items():
            self._x("INSERT INTO attributes(name, position) "
                    "VALUES (?, (SELECT COALESCE(MAX(position), -1) + 1 FROM attributes)) "
                    "ON CONFLICT DO NOTHING", (name,))
            if value is None:
                self._x("DELETE FROM participant_attributes WHERE participant_id=? AND name=?",
                        (pid, name))
            else:
                self._x("INSERT INTO participant_attributes(participant_id, name, value) "
                        "VALUES (?, ?, ?) ON CONFLICT(participant_id, name) "
                        "DO UPDATE SET value = excluded.value", (pid, name, str(value)))

    # -- transcripts ----------------------------------------------------------------------
    def transcripts(self, ids: Sequence[int] | None = None) -> list[Transcript]:
        # lines are numbered 1..n, so the last number is the count: one index probe per
        # transcript instead of counting every line of every transcript on each call
        where = "" if ids is None else \
            f"WHERE t.id IN ({', '.join('?' * len(ids))}) " if ids else "WHERE 0 = 1 "
        rows = self._x(
            "SELECT t.id, t.name, p.code, t.source, t.format, t.sha256, t.width, "
            "COALESCE((SELECT MAX(l.number) FROM lines l WHERE l.transcript_id = t.id), 0), "
            "t.ingested, t.guid "
            f"FROM transcripts t JOIN participants p ON p.id = t.participant_id {where}"
            "ORDER BY t.id", tuple(ids or ()))
        return [Transcript(*r) for r in rows]

    def transcript_keys(self) -> list[tuple[int, str, str]]:
        # name and participant come before the text in a row: SQLite reads them without
        # walking the text's overflow pages, which a whole row's later columns need
        return [tuple(r) for r in self._x(
            "SELECT t.id, t.name, p.code FROM transcripts t "
            "JOIN participants p ON p.id = t.participant_id ORDER BY t.id")]

    def _insert_lines(self, transcript_id: int, lines: Sequence[Line]) -> None:
        self._many(
            "INSERT INTO lines(transcript_id, number, start_char, end_char, speaker, role, "
            "timestamp) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [(transcript_id, ln.number, ln.start, ln.end, ln.speaker, ln.role, ln.timestamp)
             for ln in lines])

    def _transcript_snapshot(self, tid: int) -> dict | None:
        row = self._snapshot("transcripts", tid)
        if row is not None:
            row["lines"] = [list(r) for r in self._x(
                "SELECT number, start_char, end_char, speaker, role, timestamp FROM lines "
                "WHERE transcript_id = ? ORDER BY number", (tid,)).fetchall()]
        return row

    def add_transcript(self, *, name: str, participant_id: int, source: str, format: str,
                       sha256: str, width: int, text: str, lines: Sequence[Line],
                       ingested: str, guid: str | None = None) -> int:
        row = {"name": name, "participant_id": participant_id, "source": source,
               "format": format, "sha256": sha256, "width": width, "text": text,
               "ingested": ingested, "guid": guid or new_guid()}
        tid = self._insert(
            "INSERT INTO transcripts(name, participant_id, source, format, sha256, width, text, "
            "ingested, guid) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", tuple(row.values()))
        self._insert_lines(tid, lines)
        # the snapshot is what was written (not read back: 500 transcripts showed it)
        self._log("insert", "transcript", tid, None, {"id": tid, **row,
                                                      "lines": _line_rows(lines)})
        return tid

    def replace_transcript(self, transcript_id: int, *, source: str, format: str,
                           sha256: str, width: int, text: str, lines: Sequence[Line],
                           ingested: str) -> None:
        before = self._transcript_snapshot(transcript_id)
        self._x("UPDATE transcripts SET source=?, format=?, sha256=?, width=?, text=?, "
                "ingested=? WHERE id=?",
                (source, format, sha256, width, text, ingested, transcript_id))
        self._x("DELETE FROM lines WHERE transcript_id = ?", (transcript_id,))
        self._insert_lines(transcript_id, lines)
        after = None if before is None else \
            {**before, "source": source, "format": format, "sha256": sha256, "width": width,
             "text": text, "ingested": ingested, "lines": _line_rows(lines)}
        self._log("update", "transcript", transcript_id, before, after)

    def transcript_text(self, transcript_id: int) -> str:
        return self._x("SELECT text FROM transcripts WHERE id = ?", (transcript_id,)).fetchone()[0]

    def lines(self, transcript_id: int, first: int | None = None,
              last: int | None = None) -> list[Line]:
        text = self.transcript_text(transcript_id)
        rows = self._x(
            "SELECT number, start_char, end_char, speaker, role, timestamp FROM lines "
            "WHERE transcript_id = ? AND number BETWEEN ? AND ? ORDER BY number",
            (transcript_id, first or 1, last if last is not None else 2**31 - 1))
        return [make_line(n, s, e, text[s:e], sp, ro, ts) for n, s, e, sp, ro, ts in rows]

    # -- themes ---------------------------------------------------------------------------
    def themes(self) -> list[Theme]:
        return [_theme(r) for r in self._x(f"SELECT {_THEME_COLS} FROM themes ORDER BY id")]

    def add_theme(self, theme: Theme) -> int:
        tid = self._insert(
            "INSERT INTO themes(number, label, parent_id, description, inclusion, exclusion, "
            "colour, position, retired, keywords, guid) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            (theme.number, theme.label, theme.parent_id, theme.description, theme.inclusion,
             theme.exclusion, theme.colour, theme.position, int(theme.retired),
             json.dumps(list(theme.keywords)), theme.guid or new_guid()))
        self._log_insert("theme", tid)
        return tid

    def update_theme(self, theme_id: int, **fields: Any) -> None:
        unknown = set(fields) - _THEME_FIELDS
        if unknown:
            raise ValueError(f"unknown theme fields {unknown}")
        if "keywords" in fields:
            fields["keywords"] = json.dumps(list(fields["keywords"]))
        if "retired" in fields:
            fields["retired"] = int(fields["retired"])
        sets = ", ".join(f"{k} = ?" for k in fields)
        before = self._snapshot("themes", theme_id)
        self._x(f"UPDATE themes SET {sets} WHERE id = ?", (*fields.values(), theme_id))
        self._log_update("theme", theme_id, before)

    def delete_theme(self, theme_id: int) -> None:
        before = self._snapshot("themes", theme_id)
        self._x("DELETE FROM themes WHERE id = ?", (theme_id,))
        self._log_delete("theme", theme_id, before)

    # -- codings --------------------------------------------------------------------------
    def codings(self, *, transcript_id: int | None = None,
                theme_ids: Iterable[int] | None = None,
                coder: str | None = None) -> list[Coding]:
        where, params = [], []
        if transcript_id is not None:
            where.append("transcript_id = ?")
            params.append(transcript_id)
        if theme_ids is not None:
            ids = list(theme_ids)
            where.append(f"theme_id IN ({','.join('?' * len(ids))})" if ids else "1 = 0")
            params.extend(ids)
        if coder is not None:
            where.append("coder = ?")
            params.append(coder)
        sql = f"SELECT {_CODING_COLS} FROM codings"
        if where:
            sql += " WHERE " + " AND ".join(where)
        return [_coding(r) for r in self._x(sql + " ORDER BY id", params)]

    def coding(self, coding_id: int) -> Coding | None:
        rows = list(self._x(f"SELECT {_CODING_COLS} FROM codings WHERE id = ?", (coding_id,)))
        return _coding(rows[0]) if rows else None

    def count_codings(self) -> int:
        return next(iter(self._x("SELECT COUNT(*) FROM codings")))[0]

    def has_work_by(self, coder: str) -> bool:
        sql = " UNION ALL ".join(f"SELECT 1 FROM {table} WHERE {column} = ?"
                                 for table, column in _WORK_BY)
        return bool(self._x(f"SELECT EXISTS ({sql})", (coder,) * len(_WORK_BY)).fetchone()[0])

    def iter_coding_rows(self) -> Iterator[tuple]:
        """Raw rows in ``_CODING_COLS`` order, for building large tables fast."""
        return iter(self._x(f"SELECT {_CODING_COLS} FROM codings ORDER BY id"))

    def coding_times(self) -> list[str]:
        """Each distinct creation time of a coding, as stored (a report is dated by the
        newest; reading only these is cheap at 100,000 codings)."""
        return [r[0] for r in self._x("SELECT DISTINCT created FROM codings")]

    def _coding_params(self, c: Coding, guid: str | None = None) -> tuple:
        return (c.transcript_id, c.theme_id, c.start_line, c.end_line, c.start, c.end, c.quote,
                c.coder, c.note, c.created, c.status, int(c.exemplar),
                c.guid or guid or new_guid())

    _INSERT_CODING = ("INSERT INTO codings(transcript_id, theme_id, start_line, "
                      "end_line, start_char, end_char, quote, coder, note, created, status, "
                      "exemplar, guid) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT DO NOTHING")

    def add_coding(self, coding: Coding) -> int | None:
        cid = self._insert(self._INSERT_CODING, self._coding_params(coding))
        if cid is None:
            return None
        self._log_insert("coding", cid)
        return cid

    def add_codings(self, codings: Iterable[Coding]) -> int:
        codings = list(codings)
        guids = new_guids(len(codings))
        last = self._x("SELECT COALESCE(MAX(id), 0) FROM codings").fetchone()[0]
        added = self._many(self._INSERT_CODING, map(self._coding_params, codings, guids))
        if added and self.logging:
            self._log_rows_after("coding", last)
        return added

    def _refused(self, what: str, row_id: int) -> ProjectError:
        return ProjectError(f"the database refused to change {what} {row_id}: it is not yours",
                            hint="only its author or a project owner may change it")

    def _update_row(self, table: str, entity: str, what: str, row_id: int,
                    allowed: set[str], fields: dict[str, Any]) -> None:
        """Update a row someone owns, logged; a row that is there but not changed was
        refused by row-level security (PostgreSQL), which must not pass silently."""
        unknown = set(fields) - allowed
        if unknown:
            raise ValueError(f"unknown {what} fields {unknown}")
        sets = ", ".join(f"{k} = ?" for k in fields)
        before = self._snapshot(table, row_id)
        if not self._x(f"UPDATE {table} SET {sets} WHERE id = ?",
                       (*fields.values(), row_id)).rowcount and before:
            raise self._refused(what, row_id)
        self._log_update(entity, row_id, before)

    def _delete_row(self, table: str, entity: str, what: str, row_id: int) -> None:
        """Delete a row someone owns, logged; refused as in ``_update_row``."""
        before = self._snapshot(table, row_id)
        if not self._x(f"DELETE FROM {table} WHERE id = ?", (row_id,)).rowcount and before:
            raise self._refused(what, row_id)
        self._log_delete(entity, row_id, before)

    def update_coding(self, coding_id: int, **fields: Any) -> None:
        if "exemplar" in fields:
            fields["exemplar"] = int(fields["exemplar"])
        self._update_row("codings", "coding", "coding", coding_id, _CODING_FIELDS, fields)

    def delete_coding(self, coding_id: int) -> None:
        self._delete_row("codings", "coding", "coding", coding_id)

    def move_codings(self, from_theme: int, to_theme: int) -> int:
        """Re-point codings; a passage already coded to the target is merged, not doubled."""
        olds = self._snapshots("codings", "theme_id = ?", (from_theme,))
        self._x("DELETE FROM codings WHERE theme_id = ? AND EXISTS (SELECT 1 FROM codings d "
                "WHERE d.theme_id = ? AND d.transcript_id = codings.transcript_id "
                "AND d.start_char = codings.start_char AND d.end_char = codings.end_char "
                "AND d.coder = codings.coder)", (from_theme, to_theme))
        moved = self._x("UPDATE codings SET theme_id = ? WHERE theme_id = ?",
                        (to_theme, from_theme)).rowcount
        for old in olds:
            after = self._snapshot("codings", old["id"])
            if after is None:
                self._log_delete("coding", old["id"], old)
            else:
                self._log("update", "coding", old["id"], old, after)
        return moved

    # -- notes and memos ------------------------------------------------------------------
    def notes(self, transcript_id: int | None = None) -> list[Note]:
        from ..model import Note

        sql = ("SELECT id, transcript_id, start_line, end_line, start_char, end_char, kind, "
               "text, author, created, status, guid FROM notes")
        if transcript_id is None:
            return [Note(*r) for r in self._x(sql + " ORDER BY id")]
        return [Note(*r) for r in self._x(sql + " WHERE transcript_id = ? ORDER BY id",
                                          (transcript_id,))]

    def add_note(self, note: Note) -> int:
        nid = self._insert(
            "INSERT INTO notes(transcript_id, start_line, end_line, start_char, end_char, kind, "
            "text, author, created, status, guid) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            (note.transcript_id, note.start_line, note.end_line, note.start, note.end, note.kind,
             note.text, note.author, note.created, note.status, note.guid or new_guid()))
        self._log_insert("note", nid)
        return nid

    def update_note(self, note_id: int, **fields: Any) -> None:
        self._update_row("notes", "note", "note", note_id, _NOTE_FIELDS, fields)

    def delete_note(self, note_id: int) -> None:
        self._delete_row("notes", "note", "note", note_id)

    def memos(self, theme_id: int | None = None) -> list[Memo]:
        from ..model import Memo

        sql = "SELECT id, theme_id, text, author, created, guid FROM memos"
        if theme_id is None:
            return [Memo(*r) for r in self._x(sql + " ORDER BY id")]
        return [Memo(*r) for r in self._x(sql + " WHERE theme_id = ? ORDER BY id", (theme_id,))]

    def add_memo(self, memo: Memo) -> int:
        mid = self._insert(
            "INSERT INTO memos(theme_id, text, author, created, guid) VALUES (?,?,?,?,?)",
            (memo.theme_id, memo.text, memo.author, memo.created, memo.guid or new_guid()))
        self._log_insert("memo", mid)
        return mid

    def move_memos(self, from_theme: int, to_theme: int) -> int:
        olds = self._snapshots("memos", "theme_id = ?", (from_theme,))
        moved = self._x("UPDATE memos SET theme_id = ? WHERE theme_id = ?",
                        (to_theme, from_theme)).rowcount
        for old in olds:
            self._log_update("memo", old["id"], old)
        return moved
