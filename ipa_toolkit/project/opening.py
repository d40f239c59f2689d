"""Making a project in one go (``ipa init`` with its options): all or nothing.

The fill runs in one store transaction. If any step fails, the new project is removed and a
project it was replacing (its files, or its database schema) is put back untouched.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from .. import store as stores

if TYPE_CHECKING:  # pragma: no cover
    from . import Project


def create(cls: type[Project], folder: Path, *, replace_existing: bool,
           codebook: str | Path | None, participants: str | Path | None,
           transcripts: Sequence[str | Path], codings: str | Path | None,
           comments: Sequence[str | Path], database: str | None,
           schema: str | None) -> Project:
    aside = stores.Aside(folder) if replace_existing and stores.is_project(folder) else None
    try:
        project = cls.init(folder, database=database, schema=schema)
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
