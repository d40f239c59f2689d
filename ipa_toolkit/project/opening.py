"""Opening a project: finding its folder, making a new one, and making one in one go
(``ipa init`` with its options), all or nothing.

The fill runs in one store transaction. If any step fails, the new project is removed and a
project it was replacing (its files, or its database schema) is put back untouched.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from .. import store as stores
from ..errors import ProjectError

if TYPE_CHECKING:  # pragma: no cover
    from ..store.base import Store


class Filling(Protocol):
    """What a new project is filled through: the facade's importers."""

    store: Store

    def import_codebook(self, path: str | Path) -> Any: ...
    def import_participants(self, path: str | Path) -> Any: ...
    def ingest(self, paths: Sequence[str | Path]) -> Any: ...
    def import_codings(self, path: str | Path) -> Any: ...
    def import_comments(self, paths: Sequence[str | Path]) -> Any: ...
    def close(self) -> None: ...


F = TypeVar("F", bound=Filling)


def new_store(folder: Path, *, replace_existing: bool, database: str | None,
              schema: str | None) -> Store:
    """The store of a new project in ``folder`` (created if missing); its data goes to the
    PostgreSQL ``database`` (or IPA_DATABASE_URL) when one is named."""
    if stores.is_project(folder):
        if not replace_existing:
            raise ProjectError(f"{folder} is already a project",
                               hint="open it, or pass --replace to start it afresh")
        stores.remove(folder)
    if folder.exists() and not folder.is_dir():
        raise ProjectError(f"{folder} exists and is not a folder")
    folder.mkdir(parents=True, exist_ok=True)
    return stores.open_store(folder, create=True, database=database, schema=schema)


def find(folder: Path | None) -> tuple[Path, Store]:
    """The project in ``folder``, or in the nearest folder above the current one."""
    if folder is not None:
        if not stores.is_project(folder):
            raise ProjectError(f"{folder} is not an ipa project",
                               hint=f"run 'ipa init {folder}' first")
        return folder, stores.open_store(folder)
    here = Path.cwd().resolve()
    for candidate in (here, *here.parents):
        if stores.is_project(candidate):
            return candidate, stores.open_store(candidate)
    raise ProjectError("no ipa project here or in any folder above",
                       hint="run 'ipa init' or pass -p/--project DIR")


def create(init: Callable[..., F], folder: Path, *, replace_existing: bool,
           codebook: str | Path | None, participants: str | Path | None,
           transcripts: Sequence[str | Path], codings: str | Path | None,
           comments: Sequence[str | Path], database: str | None,
           schema: str | None) -> F:
    """A project made by ``init(folder, database=..., schema=...)`` and filled in one go."""
    aside = stores.Aside(folder) if replace_existing and stores.is_project(folder) else None
    try:
        project = init(folder, database=database, schema=schema)
    except BaseException:
        if aside:
            aside.restore()
        raise
    if not (codebook or participants or transcripts or codings or comments):
        return project  # nothing to fill in (joining a team project as a viewer writes nothing)
    try:
        with project.store.transaction():
            if codebook:
                project.import_codebook(codebook)
            if participants:
                project.import_participants(participants)
            if transcripts:
                project.ingest(list(transcripts))
            if codings:
                project.import_codings(codings)
            if comments:
                project.import_comments(list(comments))
    except BaseException:
        project.close()
        stores.discard_new(folder, project.store)
        if aside:
            aside.restore()
        raise
    if aside:
        aside.discard()
    return project
