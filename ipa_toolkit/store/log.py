"""The append-only audit log, written by the store's own write methods: the store's side
of the log (its SQL: writing, querying, restoring, redacting and applying rows);
``trail`` turns the rows into what a researcher reads and replays a project from them,
``report.bundle`` bundles them for an auditor.

Every write method of the store calls ``_log`` with a snapshot of the row before and after
the change, so no command can change the project without leaving a trace, and no command
has to remember to write one. A transcript's snapshot names its text and line table by
hash (``text_ref``, ``lines_ref``) in ``log_texts``, where each distinct body is stored
once: re-ingesting a text the log has seen adds no copy. Everything that reads the log
(``log_entries``, ``iter_log_rows``, hence replay and the plain export) sees the snapshot
whole, as it was; ``restore_log`` stores an exported one by hash again. Rows are never
updated or deleted, with one exception: anonymisation rewrites names in the snapshots
(``redact_log``) and logs that it did. The SQL is portable (plain INSERT/SELECT, ``?``
placeholders): a second backend reuses it.

A mixin: the class using it provides ``_x(sql, params) -> cursor`` and ``_insert(sql,
params) -> new id``; it sets ``actor`` (who) and ``command`` (the command line, if any).
"""

from __future__ import annotations

import getpass
import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace as _with
from typing import TYPE_CHECKING, Any

from ..model import now

if TYPE_CHECKING:  # pragma: no cover
    from ..model import LogEntry

# entity name -> table; the entities whose rows replay generically (by id and columns)
TABLES = {"theme": "themes", "coding": "codings", "note": "notes", "memo": "memos",
          "statement": "statements", "pet": "pets", "pet_statement": "pet_statements",
          "pet_theme": "pet_themes"}
_LOG_COLS = ("id, changed_at, actor, command, op, entity, entity_id, participant, theme, "
             "old_value, new_value")


def log_id(value: Any) -> int | None:
    """A log row's id as a number (None when empty); ValueError past a 64-bit integer,
    which no database column holds (an edited log)."""
    if value in (None, ""):
        return None
    n = int(value)
    if not -2**63 <= n < 2**63:
        raise ValueError(f"id {str(value)[:30]} is out of range")
    return n


def _default_actor() -> str:
    try:
        return getpass.getuser() or "unknown"
    except (KeyError, OSError):  # no login name (containers)
        return "unknown"


def _dump(value: dict | None) -> str | None:
    # compact, as SQLite's json_object() writes the rows a bulk insert logs in SQL
    return None if value is None else json.dumps(value, sort_keys=True, ensure_ascii=False,
                                                 separators=(",", ":"))


# snapshot keys whose (large) value the log keeps once in log_texts, and the key naming it
_STORED = (("text", "text_ref"), ("lines", "lines_ref"))


def _body(key: str, value: Any) -> str:
    return value if key == "text" else json.dumps(value, ensure_ascii=False,
                                                   separators=(",", ":"))


def map_strings(value: Any, replace: Callable[[str], str]) -> Any:
    """Every string inside ``value`` (lists and mappings, any depth) passed through
    ``replace``: how anonymise reaches the texts inside snapshots and settings."""
    if isinstance(value, str):
        return replace(value)
    if isinstance(value, list):
        return [map_strings(v, replace) for v in value]
    if isinstance(value, dict):
        return {k: map_strings(v, replace) for k, v in value.items()}
    return value


class AuditLog:
    """Mixin: write and read the audit log; replay it into an empty store."""

    actor: str = ""
    command: str = ""
    logging: bool = True  # False only while restoring an exported log verbatim
    # the dialect's SQL function building a JSON object from (key, value, ...) pairs, for
    # logging bulk inserts inside the database; empty: snapshots are dumped in Python
    _JSON_OBJECT = ""

    # -- writing ----------------------------------------------------------------------
    def _snapshot(self, table: str, row_id: int) -> dict | None:
        cur = self._x(f"SELECT * FROM {table} WHERE id = ?", (row_id,))
        row = cur.fetchone()
        if row is None:
            return None
        return {d[0]: v for d, v in zip(cur.description, row, strict=True)}

    def _snapshots(self, table: str, where: str, params: Sequence[Any]) -> list[dict]:
        cur = self._x(f"SELECT * FROM {table} WHERE {where} ORDER BY id", params)
        names = [d[0] for d in cur.description]
        return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]

    def _participant_of(self, transcript_id: int | None) -> str:
        if transcript_id is None:
            return ""
        row = self._x("SELECT p.code FROM transcripts t JOIN participants p "
                      "ON p.id = t.participant_id WHERE t.id = ?", (transcript_id,)).fetchone()
        return row[0] if row else ""

    def _participant_code(self, participant_id: int | None) -> str:
        row = self._x("SELECT code FROM participants WHERE id = ?",
                      (participant_id,)).fetchone()
        return row[0] if row else ""

    def _theme_number(self, theme_id: int | None) -> str:
        row = self._x("SELECT number FROM themes WHERE id = ?", (theme_id,)).fetchone()
        return row[0] if row else ""

    def _context(self, entity: str, row: dict) -> tuple[str, str]:
        """(participant, theme) a log row is filed under, so the log filters without joins."""
        if entity in ("coding", "note", "statement"):
            theme = self._theme_number(row.get("theme_id")) if entity == "coding" else ""
            return self._participant_of(row.get("transcript_id")), theme
        if entity == "transcript":
            return self._participant_code(row.get("participant_id")), ""
        if entity == "participant":
            return row.get("code", ""), ""
        if entity == "theme":
            return "", row.get("number", "")
        if entity == "memo":
            return "", self._theme_number(row.get("theme_id"))
        if entity == "pet":
            return self._participant_code(row.get("participant_id")), ""
        if entity in ("pet_statement", "pet_theme"):
            pet = self._snapshot("pets", row.get("pet_id"))
            who = self._participant_code(pet["participant_id"]) if pet else ""
            theme = self._theme_number(row.get("theme_id")) if entity == "pet_theme" else ""
            return who, theme
        return "", ""

    def _log(self, op: str, entity: str, entity_id: int | None, before: dict | None,
             after: dict | None, *, participant: str | None = None,
             theme: str | None = None) -> None:
        if not self.logging:
            return
        if participant is None or theme is None:
            who, what = self._context(entity, after if after is not None else before or {})
            participant = who if participant is None else participant
            theme = what if theme is None else theme
        if entity == "transcript":
            before, after = self._stored(before), self._stored(after)
        self._x("INSERT INTO audit_log(changed_at, actor, command, op, entity, entity_id, "
                "participant, theme, old_value, new_value) VALUES (?,?,?,?,?,?,?,?,?,?)",
                (now(), self.actor or _default_actor(), self.command or "", op, entity,
                 entity_id, participant or "", theme or "", _dump(before), _dump(after)))

    def _stored(self, snap: dict | None) -> dict | None:
        """A transcript snapshot with its text and lines put in ``log_texts`` (once per
        distinct body) and named there by hash."""
        if snap is None:
            return None
        out = dict(snap)
        for key, ref in _STORED:
            if key in out:
                body = _body(key, out.pop(key))
                digest = _sha256(body)
                if self._x("SELECT 1 FROM log_texts WHERE sha256 = ?",
                           (digest,)).fetchone() is None:
                    self._x("INSERT INTO log_texts(sha256, body) VALUES (?, ?)",
                            (digest, body))
                out[ref] = digest
        return out

    def _whole(self, snap: dict | None, cache: dict[str, str]) -> dict | None:
        """A snapshot with the texts it names by hash put back (as it was logged)."""
        if not snap or not any(ref in snap for _, ref in _STORED):
            return snap
        out = dict(snap)
        for key, ref in _STORED:
            if ref in out:
                digest = out.pop(ref)
                body = cache.get(digest)
                if body is None:
                    row = self._x("SELECT body FROM log_texts WHERE sha256 = ?",
                                  (digest,)).fetchone()
                    if row is None:
                        from ..errors import ProjectError

                        raise ProjectError(f"the audit log names a stored {key} that is "
                                           f"missing ({digest[:12]})",
                                           hint="restore the project from a backup or an "
                                                "'ipa export' folder")
                    body = cache[digest] = row[0]
                out[key] = body if key == "text" else json.loads(body)
        return out

    def _log_many(self, rows: Sequence[tuple]) -> None:
        """Bulk form of ``_log``: (op, entity, id, before, after, participant, theme) rows."""
        if not self.logging or not rows:
            return
        at, who, cmd = now(), self.actor or _default_actor(), self.command or ""
        self._many("INSERT INTO audit_log(changed_at, actor, command, op, entity, entity_id, "
                   "participant, theme, old_value, new_value) VALUES (?,?,?,?,?,?,?,?,?,?)",
                   [(at, who, cmd, op, entity, rid, part, theme, _dump(b), _dump(a))
                    for op, entity, rid, b, a, part, theme in rows])

    def _log_rows_after(self, entity: str, last_id: int) -> None:
        """Log the insert of every ``entity`` row with an id above ``last_id`` (a bulk
        insert): in one INSERT ... SELECT where the dialect builds JSON, else in Python."""
        table = TABLES[entity]
        joins = ("FROM codings c JOIN transcripts t ON t.id = c.transcript_id "
                 "JOIN participants p ON p.id = t.participant_id "
                 "JOIN themes th ON th.id = c.theme_id")
        if entity != "coding":
            raise ValueError(f"no bulk log for {entity}")
        if not self._JSON_OBJECT:
            rows = self._x(f"SELECT p.code, th.number, c.* {joins} WHERE c.id > ? "
                           "ORDER BY c.id", (last_id,))
            names = [d[0] for d in rows.description][2:]
            self._log_many([("insert", entity, r[2], None, dict(zip(names, r[2:], strict=True)),
                             r[0], r[1]) for r in rows.fetchall()])
            return
        pairs = ", ".join(f"'{c}', c.{c}" for c in sorted(self.columns(table)))
        self._x("INSERT INTO audit_log(changed_at, actor, command, op, entity, entity_id, "
                "participant, theme, old_value, new_value) "
                f"SELECT ?, ?, ?, 'insert', ?, c.id, p.code, th.number, NULL, "
                f"{self._JSON_OBJECT}({pairs}) {joins} WHERE c.id > ? ORDER BY c.id",
                (now(), self.actor or _default_actor(), self.command or "", entity, last_id))

    def _log_insert(self, entity: str, row_id: int) -> None:
        self._log("insert", entity, row_id, None, self._snapshot(TABLES[entity], row_id))

    def _log_update(self, entity: str, row_id: int, before: dict | None) -> None:
        after = self._snapshot(TABLES[entity], row_id)
        if before != after:
            self._log("update", entity, row_id, before, after)

    def _log_delete(self, entity: str, row_id: int, before: dict | None) -> None:
        if before is not None:
            self._log("delete", entity, row_id, before, None)

    # -- reading ----------------------------------------------------------------------
    def log_entries(self, *, entity: str | None = None, participant: str | None = None,
                    theme: str | None = None, actor: str | None = None,
                    since: str | None = None, until: str | None = None) -> list[LogEntry]:
        """Log rows, oldest first. ``theme`` matches the number and its sub-themes;
        ``since``/``until`` compare ISO timestamps (a date alone covers the whole day)."""
        where, params = [], []
        if entity:
            where.append("entity = ?")
            params.append(entity)
        if participant:
            where.append("LOWER(participant) = LOWER(?)")
            params.append(participant)
        if theme:
            where.append("(theme = ? OR theme LIKE ?)")
            params.extend([theme, theme + ".%"])
        if actor:
            where.append("actor = ?")
            params.append(actor)
        if since:
            where.append("changed_at >= ?")
            params.append(since)
        if until:
            where.append("changed_at <= ?")
            params.append(until if "T" in until else until + "T23:59:59Z")
        sql = f"SELECT {_LOG_COLS} FROM audit_log"
        if where:
            sql += " WHERE " + " AND ".join(where)
        from ..model import LogEntry

        cache: dict[str, str] = {}
        out = []
        for r in self._x(sql + " ORDER BY id", params).fetchall():
            e = LogEntry(*r[:9], None if r[9] is None else json.loads(r[9]),
                         None if r[10] is None else json.loads(r[10]))
            if e.entity == "transcript":
                e = _with(e, before=self._whole(e.before, cache),
                            after=self._whole(e.after, cache))
            out.append(e)
        return out

    def iter_log_rows(self) -> Iterator[tuple]:
        """Raw rows, JSON text as written, except that a transcript's snapshots come whole
        (their texts put back): what an export writes, readable without the store."""
        cache: dict[str, str] = {}
        for r in self._x(f"SELECT {_LOG_COLS} FROM audit_log ORDER BY id").fetchall():
            if r[5] == "transcript":
                r = (*r[:9], *(None if v is None else _dump(self._whole(json.loads(v), cache))
                               for v in r[9:11]))
            yield tuple(r)

    def restore_log(self, rows: Sequence[Sequence[Any]]) -> int:
        """Append exported log rows as they were (plain import): the history is kept whole.

        Rows read from a CSV carry text: an empty id or snapshot is NULL, an id a number (a
        typed database refuses '' for an integer). A transcript's texts go to ``log_texts``
        again, once each."""
        for r in rows:
            r = list(r)
            r[5] = log_id(r[5])
            r[8], r[9] = r[8] or None, r[9] or None
            r = tuple(r)
            if r[4] == "transcript":
                r = (*r[:8], *(None if not v else _dump(self._stored(json.loads(v)))
                               for v in r[8:10]))
            self._x("INSERT INTO audit_log(changed_at, actor, command, op, entity, entity_id, "
                    "participant, theme, old_value, new_value) VALUES (?,?,?,?,?,?,?,?,?,?)",
                    r)
        return len(rows)

    def redact_log(self, replace: Callable[[str], str]) -> int:
        """Rewrite every text in the log's snapshots with ``replace`` (anonymisation: names
        must not survive in the history); the rewrite itself is logged. Returns rows changed.

        A stored transcript text or line table is rewritten too: stored again under the hash
        of its new body, the rows naming it re-pointed, and the old body deleted.
        """
        changed = 0
        rows = self._x("SELECT id, old_value, new_value, command, actor FROM audit_log"
                       ).fetchall()
        parsed = [(rid, [None if v is None else json.loads(v) for v in (old, new)], command,
                   actor) for rid, old, new, command, actor in rows]
        moved = self._redact_texts(replace, [s for _, snaps, _, _ in parsed for s in snaps
                                             if isinstance(s, dict)])
        for rid, was, command, actor in parsed:
            # the command line can hold names too: ipa note P3 "Bartholomew said..."
            now_ = [map_strings(v, replace) for v in was]
            for old_snap, new_snap in zip(was, now_, strict=True):
                for _, ref in _STORED:
                    if isinstance(old_snap, dict) and ref in old_snap:
                        new_snap[ref] = moved.get(old_snap[ref], old_snap[ref])
            fixed = [replace(command or ""), replace(actor or "")]
            if now_ != was or fixed != [command or "", actor or ""]:
                self._x("UPDATE audit_log SET old_value = ?, new_value = ?, command = ?, "
                        "actor = ? WHERE id = ?", (*map(_dump, now_), *fixed, rid))
                changed += 1
        self._log("redact", "log", None, None, {"rows": changed}, participant="", theme="")
        return changed

    def _redact_texts(self, replace: Callable[[str], str], snaps: list[dict]
                      ) -> dict[str, str]:
        """Rewrite the stored texts these snapshots name; old hash -> new hash."""
        moved: dict[str, str] = {}
        for key, ref in _STORED:
            for digest in sorted({s[ref] for s in snaps if ref in s}):
                row = self._x("SELECT body FROM log_texts WHERE sha256 = ?",
                              (digest,)).fetchone()
                if row is None:
                    continue
                value = row[0] if key == "text" else json.loads(row[0])
                body = _body(key, map_strings(value, replace))
                if body == row[0]:
                    continue
                new = _sha256(body)
                if self._x("SELECT 1 FROM log_texts WHERE sha256 = ?", (new,)).fetchone() \
                        is None:
                    self._x("INSERT INTO log_texts(sha256, body) VALUES (?, ?)", (new, body))
                self._x("DELETE FROM log_texts WHERE sha256 = ?", (digest,))
                moved[digest] = new
        return moved

    # -- replaying --------------------------------------------------------------------
    def replay(self, entries: Sequence[LogEntry]) -> int:
        """Apply log entries, oldest first, to this (empty) store: the state they describe.

        Ids are kept, so a project rebuilt from its own log is row for row the same.
        """
        for e in entries:
            if e.entity in TABLES:
                self._replay_row(TABLES[e.entity], e)
            elif e.entity == "participant":
                self._replay_participant(e)
            elif e.entity == "transcript":
                self._replay_transcript(e)
            elif e.entity == "setting":
                value = (e.after or {}).get("value")
                self.set_setting((e.after or e.before or {})["key"], value)
        return len(entries)

    def _replay_row(self, table: str, e: LogEntry) -> None:
        if e.op == "delete":
            self._x(f"DELETE FROM {table} WHERE id = ?", (e.entity_id,))
            return
        row = dict(e.after or {})
        unknown = sorted(set(row) - set(self._replay_columns(table)))
        if unknown:  # the keys become column names: never SQL from the log's text
            from ..errors import InputError

            raise InputError(f"its {e.entity} names no column {unknown[0][:40]!r}")
        if e.op == "insert":
            cols = list(row)
            self._x(f"INSERT INTO {table}({', '.join(cols)}) VALUES "
                    f"({', '.join('?' * len(cols))})", [row[c] for c in cols])
        else:
            row.pop("id", None)
            sets = ", ".join(f"{c} = ?" for c in row)
            self._x(f"UPDATE {table} SET {sets} WHERE id = ?", [*row.values(), e.entity_id])

    def _replay_columns(self, table: str) -> list[str]:
        """The columns of ``table``, read once per replay."""
        known = self.__dict__.setdefault("_replay_cols", {})
        if table not in known:
            known[table] = self.columns(table)
        return known[table]

    def _replay_participant(self, e: LogEntry) -> None:
        after = e.after or {}
        if e.op == "insert":
            self._x("INSERT INTO participants(id, code, guid) VALUES (?, ?, ?)",
                    (e.entity_id, after["code"], after["guid"]))
        gone = {k: None for k, _ in (e.before or {}).get("attributes", [])}
        self._set_attributes(e.entity_id, {**gone, **dict(after.get("attributes", []))})

    def _replay_transcript(self, e: LogEntry) -> None:
        from ..model import Line

        a = e.after or {}
        lines = [Line(n, s, end, "", sp, ro, ts) for n, s, end, sp, ro, ts in a["lines"]]
        if e.op == "insert":
            self._x("INSERT INTO transcripts(id, name, participant_id, source, format, sha256, "
                    "width, text, ingested, guid) VALUES (?,?,?,?,?,?,?,?,?,?)",
                    (e.entity_id, a["name"], a["participant_id"], a["source"], a["format"],
                     a["sha256"], a["width"], a["text"], a["ingested"], a["guid"]))
        else:
            self._x("UPDATE transcripts SET source=?, format=?, sha256=?, width=?, text=?, "
                    "ingested=? WHERE id=?", (a["source"], a["format"], a["sha256"],
                                              a["width"], a["text"], a["ingested"],
                                              e.entity_id))
            self._x("DELETE FROM lines WHERE transcript_id = ?", (e.entity_id,))
        self._insert_lines(e.entity_id, lines)


def _sha256(body: str) -> str:
    """Hex digest naming a stored text (hashlib loads OpenSSL: only commands that store a
    transcript snapshot pay for it)."""
    import hashlib

    return hashlib.sha256(body.encode("utf-8")).hexdigest()
