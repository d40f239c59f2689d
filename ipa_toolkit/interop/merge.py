"""Co-coders: bring another project's codings in, on the same transcripts.

Transcripts are matched by content hash, themes by number; coders stay apart (``as_coder``
renames the incoming coder). One transaction: all or nothing.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import InputError, ValidationReport

if TYPE_CHECKING:  # pragma: no cover
    from collections.abc import Callable

    from ..protocols import ProjectLike


def merge(project: ProjectLike, other: str | Path, *, as_coder: str | None = None,
          opener: Callable[[str | Path], ProjectLike]) -> dict[str, int]:
    """Add the codings of the project in ``other`` (opened by ``opener``, Project.open) to
    ``project``; report what cannot be."""
    src = opener(other)
    try:
        if Path(src.folder).resolve() == Path(project.folder).resolve():
            raise InputError("cannot merge a project into itself")
        ours = {t.sha256: t for t in project.store.transcripts()}
        by_name = {t.name.casefold(): t for t in project.store.transcripts()}
        mine_cb, their_cb = project.codebook, src.codebook
        todo, problems = [], []
        theirs = {t.id: t for t in src.store.transcripts()}
        for c in src.store.codings():
            t = theirs[c.transcript_id]
            here = ours.get(t.sha256)
            if here is None:
                twin = by_name.get(t.name.casefold())
                problems.append(f"transcript '{t.name}' of {other} "
                                + ("differs from this project's (content hash)" if twin
                                   else "is not in this project"))
                continue
            theme = mine_cb.by_number(their_cb.get(c.theme_id).number)
            if theme is None:
                problems.append(f"theme {their_cb.get(c.theme_id).number} "
                                f"'{their_cb.get(c.theme_id).label}' of {other} is not in "
                                "this codebook")
                continue
            todo.append(replace(c, id=0, transcript_id=here.id, theme_id=theme.id,
                                coder=as_coder or c.coder, guid=""))
        if problems:
            unique = list(dict.fromkeys(problems))
            raise ValidationReport(f"{other}: {len(unique)} problem(s), nothing merged",
                                   unique)
    finally:
        src.close()
    with project.store.transaction():
        added = project.store.add_codings(todo)
    coders = sorted({c.coder for c in todo})
    return {"codings": len(todo), "added": added, "already_here": len(todo) - added,
            "coders": len(coders)}
