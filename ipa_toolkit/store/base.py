"""The store interface, written down so a second backend has a contract to meet."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Any

from ..errors import ProjectError

if TYPE_CHECKING:  # pragma: no cover  (the records are only named here: --help needs none)
    from ..model import (
        Coding,
        Line,
        LogEntry,
        Memo,
        Note,
        Participant,
        Pet,
        Statement,
        Theme,
        Transcript,
    )


class Store(ABC):
    """Persistence of one project. Writes happen inside ``transaction()``."""

    schema_version: int
    logging: bool  # False while an import or a replay restores a log as it was

    @abstractmethod
    def transaction(self) -> AbstractContextManager[None]:
        """All writes in the block land together or not at all (also on Ctrl-C)."""

    @abstractmethod
    def close(self) -> None: ...

    def reopener(self) -> Callable[[], Store] | None:
        """How a forked child opens this project on a connection of its own (one must not
        cross a fork); None when it cannot, or would not see what this connection sees (a
        transaction is open)."""
        return None

    # who is writing, and who may (a shared server store enforces roles; a file does not)
    def login(self) -> str | None:
        """The database login when the store has one: the coder name of what it writes."""
        return None

    def members(self) -> dict[str, str]:
        raise ProjectError("a project in a file has no members",
                           hint="put it on PostgreSQL first: ipa db push postgresql://...")

    def grant(self, login: str, role: str) -> None:
        self.members()

    def revoke(self, login: str) -> None:
        self.members()

    def summary(self) -> dict[str, int]:
        """How much the project holds: participants, transcripts, themes, codings."""
        return {"participants": len(self.participants()), "transcripts": len(self.transcripts()),
                "themes": len(self.themes()), "codings": self.count_codings()}

    def is_empty(self) -> bool:
        """Nothing to lose: no participants, themes or transcripts."""
        return not (self.participants() or self.themes() or self.transcripts())

    # whole tables, for copying a project from one store to another
    @abstractmethod
    def columns(self, table: str) -> list[str]: ...
    @abstractmethod
    def rows(self, table: str) -> Iterator[tuple]: ...
    @abstractmethod
    def load_rows(self, table: str, columns: Sequence[str], rows: Iterable[Sequence]) -> int: ...

    # Anonymisation needs these; a store without them cannot anonymise (it says so).
    def rewrite_free_text(self, fn: Callable[[str], str]) -> int:
        """Pass every free-text cell (names, notes, memos, labels...) through ``fn``."""
        raise NotImplementedError(f"{type(self).__name__} cannot rewrite free text")

    def secure_delete(self) -> None:
        """From now on, overwrite what is deleted."""
        raise NotImplementedError(f"{type(self).__name__} cannot securely delete")

    def vacuum(self) -> None:
        """Leave no deleted content in the store's files."""
        raise NotImplementedError(f"{type(self).__name__} cannot vacuum")

    # settings
    @abstractmethod
    def settings(self) -> dict[str, Any]: ...
    @abstractmethod
    def set_setting(self, key: str, value: Any) -> None: ...

    # participants
    @abstractmethod
    def participants(self, ids: Sequence[int] | None = None) -> list[Participant]:
        """Every participant (or those of ``ids``), in id order, with their attributes."""
    @abstractmethod
    def participant_keys(self) -> list[tuple[int, str]]:
        """(id, code) of every participant: what finding one needs."""
    @abstractmethod
    def attribute_names(self) -> list[str]: ...
    @abstractmethod
    def upsert_participant(self, code: str, attributes: dict[str, str],
                           guid: str | None = None) -> int: ...

    # transcripts and lines
    @abstractmethod
    def transcripts(self, ids: Sequence[int] | None = None) -> list[Transcript]:
        """Every transcript (or those of ``ids``), in id order."""
    @abstractmethod
    def transcript_keys(self) -> list[tuple[int, str, str]]:
        """(id, name, participant) of every transcript: what finding one needs, without
        reading the rest of each row."""
    @abstractmethod
    def add_transcript(self, *, name: str, participant_id: int, source: str, format: str,
                       sha256: str, width: int, text: str, lines: Sequence[Line],
                       ingested: str, guid: str | None = None) -> int: ...
    @abstractmethod
    def replace_transcript(self, transcript_id: int, *, source: str, format: str,
                           sha256: str, width: int, text: str, lines: Sequence[Line],
                           ingested: str) -> None: ...
    @abstractmethod
    def transcript_text(self, transcript_id: int) -> str: ...
    @abstractmethod
    def lines(self, transcript_id: int, first: int | None = None,
              last: int | None = None) -> list[Line]: ...

    # themes
    @abstractmethod
    def themes(self) -> list[Theme]: ...
    @abstractmethod
    def add_theme(self, theme: Theme) -> int: ...
    @abstractmethod
    def update_theme(self, theme_id: int, **fields: Any) -> None: ...
    @abstractmethod
    def delete_theme(self, theme_id: int) -> None: ...

    # codings
    @abstractmethod
    def codings(self, *, transcript_id: int | None = None,
                theme_ids: Iterable[int] | None = None,
                coder: str | None = None) -> list[Coding]: ...
    @abstractmethod
    def iter_coding_rows(self) -> Iterator[tuple]: ...

    @abstractmethod
    def coding(self, coding_id: int) -> Coding | None: ...

    @abstractmethod
    def count_codings(self) -> int: ...

    @abstractmethod
    def has_work_by(self, coder: str) -> bool:
        """Whether any coding, statement, note, memo or PET is stored under ``coder``."""

    @abstractmethod
    def version(self) -> tuple:
        """Changes whenever any data changes (here or in another connection): a cache key."""
    @abstractmethod
    def add_coding(self, coding: Coding) -> int | None: ...
    @abstractmethod
    def add_codings(self, codings: Iterable[Coding]) -> int: ...
    @abstractmethod
    def update_coding(self, coding_id: int, **fields: Any) -> None: ...
    @abstractmethod
    def delete_coding(self, coding_id: int) -> None: ...
    @abstractmethod
    def move_codings(self, from_theme: int, to_theme: int) -> int: ...

    # notes and memos
    @abstractmethod
    def notes(self, transcript_id: int | None = None) -> list[Note]: ...
    @abstractmethod
    def add_note(self, note: Note) -> int: ...
    @abstractmethod
    def update_note(self, note_id: int, **fields: Any) -> None: ...
    @abstractmethod
    def delete_note(self, note_id: int) -> None: ...
    @abstractmethod
    def memos(self, theme_id: int | None = None) -> list[Memo]: ...
    @abstractmethod
    def add_memo(self, memo: Memo) -> int: ...
    @abstractmethod
    def move_memos(self, from_theme: int, to_theme: int) -> int: ...

    # the idiographic path (SQL in store/idiographic.py)
    @abstractmethod
    def statements(self, transcript_ids: Iterable[int] | None = None) -> list[Statement]: ...
    @abstractmethod
    def statement(self, statement_id: int) -> Statement | None: ...
    @abstractmethod
    def add_statement(self, s: Statement) -> int: ...
    @abstractmethod
    def update_statement(self, statement_id: int, **fields: Any) -> None: ...
    @abstractmethod
    def delete_statement(self, statement_id: int) -> None: ...
    @abstractmethod
    def pets(self, participant_id: int | None = None) -> list[Pet]: ...
    @abstractmethod
    def add_pet(self, pet: Pet) -> int: ...
    @abstractmethod
    def update_pet(self, pet_id: int, **fields: Any) -> None: ...
    @abstractmethod
    def delete_pet(self, pet_id: int) -> None: ...
    @abstractmethod
    def pet_statements(self) -> list[tuple[int, int]]: ...
    @abstractmethod
    def add_pet_statement(self, pet_id: int, statement_id: int) -> bool: ...
    @abstractmethod
    def remove_pet_statement(self, pet_id: int, statement_id: int) -> bool: ...
    @abstractmethod
    def pet_themes(self) -> list[tuple[int, int]]: ...
    @abstractmethod
    def add_pet_theme(self, pet_id: int, theme_id: int) -> bool: ...
    @abstractmethod
    def remove_pet_theme(self, pet_id: int, theme_id: int) -> bool: ...
    @abstractmethod
    def move_pet_themes(self, from_theme: int, to_theme: int) -> int: ...

    # the audit log (SQL in store/log.py); every write method above appends to it
    @abstractmethod
    def log_entries(self, *, entity: str | None = None, participant: str | None = None,
                    theme: str | None = None, actor: str | None = None,
                    since: str | None = None, until: str | None = None) -> list[LogEntry]: ...
    @abstractmethod
    def iter_log_rows(self) -> Iterator[tuple]: ...
    @abstractmethod
    def restore_log(self, rows: Sequence[Sequence[Any]]) -> int: ...
    @abstractmethod
    def redact_log(self, replace: Callable[[str], str]) -> int: ...
    @abstractmethod
    def replay(self, entries: Sequence[LogEntry]) -> int: ...
