"""The report's figures (and ``codings.csv``), made in a forked child while the parent
writes the tables.

Drawing is the report's largest fixed cost and needs matplotlib, which the tables do not:
the child opens the project afresh (a SQLite connection must not cross a fork), imports
matplotlib, draws each chart once and saves it in every format asked for; the parent never
imports matplotlib and embeds the PNG the child wrote. Where the platform cannot fork
(or ``IPA_NO_FORK`` is set, or the store cannot be opened again), or the child fails, the
parent draws them itself, so the same bytes come out either way and errors show.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ..analysis.prevalence import carry

if TYPE_CHECKING:  # pragma: no cover
    from ..project import Project

FORMATS = (".png", ".svg", ".pdf")
DEFAULT = (".png",)  # the Word report embeds the PNG; SVG and PDF on request


def formats(names: str | list[str] | tuple[str, ...] | None) -> tuple[str, ...]:
    """Figure formats from "png,svg,pdf" (or "all"), in the fixed order PNG, SVG, PDF;
    PNG always, since the Word report embeds it."""
    from ..errors import InputError

    if names is None:
        return DEFAULT
    if isinstance(names, str):
        names = names.split(",")
    asked = {"." + n.strip().lower().lstrip(".") for n in names if n.strip()}
    if asked == {".all"}:
        return FORMATS
    wrong = sorted(asked - set(FORMATS))
    if wrong:
        raise InputError(f"no figure format '{wrong[0].lstrip('.')}'",
                         hint="--figures takes png, svg and pdf (comma-separated) or all")
    return tuple(f for f in FORMATS if f in asked or f == ".png")


def draw(project: Project, jobs: list[tuple[str, list[Path]]]) -> None:
    """Each chart drawn once, then saved to each of its paths in order (the order fixes
    the bytes). After the first save the layout is kept, so the other formats do not
    lay the figure out again."""
    from . import charts

    for name, paths in jobs:
        fig = charts.chart(project, name)
        for k, path in enumerate(paths):
            charts.save(fig, path, close=k == len(paths) - 1)
            if k == 0:
                fig.set_layout_engine("none")


def start(project: Project, jobs: list[tuple[str, list[Path]]],
          after: Sequence[tuple[Callable[[Project], object], Path]] = ()) -> int | None:
    """Fork a child that draws ``jobs``, then runs each task of ``after`` (a function of
    the project and the file it writes); its pid, or None when the caller must do it all
    (see ``finish``). The passage counts the caller already made go with the child."""
    reopen = _reopener(project)
    if reopen is None or not hasattr(os, "fork") or os.environ.get("IPA_NO_FORK"):
        return None
    for stream in (sys.stdout, sys.stderr):  # or the child would repeat buffered output
        stream.flush()
    pid = os.fork()
    if pid:
        return pid
    code = 1
    try:
        with open(os.devnull, "w") as quiet:  # a failure is reported by the parent's retry
            os.dup2(quiet.fileno(), 2)
        from .charts import lean_import

        lean_import()
        child = reopen()
        carry(project, child)
        draw(child, jobs)
        for task, _ in after:
            task(child)
        code = 0
    finally:
        os._exit(code)


def finish(project: Project, jobs: list[tuple[str, list[Path]]], pid: int | None,
           after: Sequence[tuple[Callable[[Project], object], Path]] = ()) -> None:
    """Wait for the child; do here what it did not."""
    if pid is not None:
        _, status = os.waitpid(pid, 0)
        made = [p for _, paths in jobs for p in paths] + [path for _, path in after]
        if status == 0 and all(p.exists() for p in made):
            return
    draw(project, jobs)
    for task, _ in after:
        task(project)


def stop(pid: int | None) -> None:
    """End a child whose report failed, so it does not write on alone."""
    if pid is not None:
        import signal

        try:
            os.kill(pid, signal.SIGTERM)
            os.waitpid(pid, 0)
        except (ProcessLookupError, ChildProcessError):
            pass


def _reopener(project: Project) -> Callable[[], Project] | None:
    """How a child opens this project afresh: a new connection to the same SQLite file.
    None for other stores, or while a transaction is open (the child would not see it)."""
    from ..store.sqlite import SQLiteStore

    store = project.store
    if not isinstance(store, SQLiteStore) or store._db.in_transaction:
        return None
    cls, folder, path = type(project), project.folder, store.path
    return lambda: cls(folder, SQLiteStore(path))
