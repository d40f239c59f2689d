"""SQL of the idiographic path: experiential statements, PETs, their members and mappings.

A mixin over ``_x``/``_insert`` and the audit log's ``_log_*`` helpers; portable SQL only,
so a second backend reuses it unchanged. Every write goes through the audit log.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from ..model import Pet, Statement

_STATEMENT_COLS = ("id, transcript_id, start_line, end_line, start_char, end_char, quote, "
                   "text, note, coder, created, status, guid")
_PET_COLS = ("id, participant_id, number, label, parent_id, description, position, coder, "
             "created, guid")
_STATEMENT_FIELDS = {"start_line", "end_line", "start_char", "end_char", "quote", "text",
                     "note", "status"}
_PET_FIELDS = {"number", "label", "parent_id", "description", "position"}


def _new_guid() -> str:
    import uuid

    return str(uuid.uuid4())


class IdiographicSQL:
    """Mixin: statements, PETs, statement->PET membership, PET->GET (theme) mapping."""

    # -- statements -------------------------------------------------------------------
    def statements(self, transcript_ids: Iterable[int] | None = None) -> list[Statement]:
        from ..model import Statement

        sql = f"SELECT {_STATEMENT_COLS} FROM statements"
        params: list[Any] = []
        if transcript_ids is not None:
            ids = list(transcript_ids)
            if not ids:
                return []
            sql += f" WHERE transcript_id IN ({','.join('?' * len(ids))})"
            params = ids
        return [Statement(*r) for r in self._x(sql + " ORDER BY id", params).fetchall()]

    def statement(self, statement_id: int) -> Statement | None:
        from ..model import Statement

        row = self._x(f"SELECT {_STATEMENT_COLS} FROM statements WHERE id = ?",
                      (statement_id,)).fetchone()
        return Statement(*row) if row else None

    def add_statement(self, s: Statement) -> int:
        sid = self._insert(
            "INSERT INTO statements(transcript_id, start_line, end_line, start_char, end_char, "
            "quote, text, note, coder, created, status, guid) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
            (s.transcript_id, s.start_line, s.end_line, s.start, s.end, s.quote, s.text, s.note,
             s.coder, s.created, s.status, s.guid or _new_guid()))
        self._log_insert("statement", sid)
        return sid

    def update_statement(self, statement_id: int, **fields: Any) -> None:
        self._update_row("statements", "statement", "statement", statement_id,
                         _STATEMENT_FIELDS, fields)

    def delete_statement(self, statement_id: int) -> None:
        for link in self._snapshots("pet_statements", "statement_id = ?", (statement_id,)):
            self.remove_pet_statement(link["pet_id"], statement_id)
        self._delete_row("statements", "statement", "statement", statement_id)

    # -- PETs -------------------------------------------------------------------------
    def pets(self, participant_id: int | None = None) -> list[Pet]:
        from ..model import Pet

        sql = f"SELECT {_PET_COLS} FROM pets"
        if participant_id is None:
            return [Pet(*r) for r in self._x(sql + " ORDER BY id").fetchall()]
        return [Pet(*r) for r in self._x(sql + " WHERE participant_id = ? ORDER BY id",
                                         (participant_id,)).fetchall()]

    def add_pet(self, pet: Pet) -> int:
        pid = self._insert(
            "INSERT INTO pets(participant_id, number, label, parent_id, description, position, "
            "coder, created, guid) VALUES (?,?,?,?,?,?,?,?,?)",
            (pet.participant_id, pet.number, pet.label, pet.parent_id, pet.description,
             pet.position, pet.coder, pet.created, pet.guid or _new_guid()))
        self._log_insert("pet", pid)
        return pid

    def update_pet(self, pet_id: int, **fields: Any) -> None:
        self._update_row("pets", "pet", "PET", pet_id, _PET_FIELDS, fields)

    def delete_pet(self, pet_id: int) -> None:
        """Delete a PET with its memberships and mappings (each logged)."""
        for link in self._snapshots("pet_statements", "pet_id = ?", (pet_id,)):
            self.remove_pet_statement(pet_id, link["statement_id"])
        for link in self._snapshots("pet_themes", "pet_id = ?", (pet_id,)):
            self.remove_pet_theme(pet_id, link["theme_id"])
        self._delete_row("pets", "pet", "PET", pet_id)

    # -- membership and mapping ---------------------------------------------------------
    def pet_statements(self) -> list[tuple[int, int]]:
        """(pet id, statement id) pairs, in the order they were made."""
        return [(a, b) for a, b in self._x(
            "SELECT pet_id, statement_id FROM pet_statements ORDER BY id").fetchall()]

    def add_pet_statement(self, pet_id: int, statement_id: int) -> bool:
        if self._x("SELECT id FROM pet_statements WHERE pet_id = ? AND statement_id = ?",
                   (pet_id, statement_id)).fetchone():
            return False
        link = self._insert("INSERT INTO pet_statements(pet_id, statement_id) VALUES (?, ?)",
                            (pet_id, statement_id))
        self._log_insert("pet_statement", link)
        return True

    def remove_pet_statement(self, pet_id: int, statement_id: int) -> bool:
        row = self._x("SELECT id FROM pet_statements WHERE pet_id = ? AND statement_id = ?",
                      (pet_id, statement_id)).fetchone()
        if row is None:
            return False
        before = self._snapshot("pet_statements", row[0])
        if not self._x("DELETE FROM pet_statements WHERE id = ?", (row[0],)).rowcount:
            raise self._refused("the statements of PET", pet_id)
        self._log_delete("pet_statement", row[0], before)
        return True

    def pet_themes(self) -> list[tuple[int, int]]:
        """(pet id, theme id) pairs: which GETs each PET feeds."""
        return [(a, b) for a, b in self._x(
            "SELECT pet_id, theme_id FROM pet_themes ORDER BY id").fetchall()]

    def add_pet_theme(self, pet_id: int, theme_id: int) -> bool:
        if self._x("SELECT id FROM pet_themes WHERE pet_id = ? AND theme_id = ?",
                   (pet_id, theme_id)).fetchone():
            return False
        link = self._insert("INSERT INTO pet_themes(pet_id, theme_id) VALUES (?, ?)",
                            (pet_id, theme_id))
        self._log_insert("pet_theme", link)
        return True

    def remove_pet_theme(self, pet_id: int, theme_id: int) -> bool:
        row = self._x("SELECT id FROM pet_themes WHERE pet_id = ? AND theme_id = ?",
                      (pet_id, theme_id)).fetchone()
        if row is None:
            return False
        before = self._snapshot("pet_themes", row[0])
        if not self._x("DELETE FROM pet_themes WHERE id = ?", (row[0],)).rowcount:
            raise self._refused("the themes of PET", pet_id)
        self._log_delete("pet_theme", row[0], before)
        return True

    def move_pet_themes(self, from_theme: int, to_theme: int) -> int:
        """Re-point mappings when a theme is merged into another (duplicates fold)."""
        moved = 0
        for link in self._snapshots("pet_themes", "theme_id = ?", (from_theme,)):
            self.remove_pet_theme(link["pet_id"], from_theme)
            moved += self.add_pet_theme(link["pet_id"], to_theme)
        return moved
