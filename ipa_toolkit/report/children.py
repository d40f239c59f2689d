"""Parts of a report made in forked children while the parent writes the rest.

A report is several independent jobs (the figures, which need matplotlib; every table in
every format; ``codings.csv``), each a second or more at 100,000 codings. Each job runs in
a child forked from the parent, so it shares what the parent has already imported and
computed, and the machine's cores work at once. A child that reads the project opens it
afresh (a SQLite connection must not cross a fork). Where the platform cannot fork (or
``IPA_NO_FORK`` is set, or the store cannot be opened again), or a child fails, the parent
does the job itself when it collects it, so the same bytes come out either way and errors
show.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from ..protocols import ProjectLike

Task = Callable[["ProjectLike"], object]


@dataclass
class Job:
    """A job handed to a child: what it does, the files it makes, and the child's pid
    (None when the parent must do it when it collects the job)."""

    task: Task
    made: Sequence[Path]
    pid: int | None = None


def start(project: ProjectLike, task: Task, made: Sequence[Path], *,
          reads_project: bool = True, prepare: Callable[[], object] | None = None) -> Job:
    """Fork a child that runs ``task`` (on the project opened again when it
    ``reads_project``; else on ``project``, which it must not read) and writes ``made``;
    ``prepare`` runs first, in the child only (what a parent doing the job must not do)."""
    job = Job(task, list(made))
    reopen = _reopener(project) if reads_project else (lambda: project)
    if reopen is None or not _may_fork():
        return job
    version = project.store.version() if reads_project else None  # asked here, not there
    for stream in (sys.stdout, sys.stderr):  # or the child would repeat buffered output
        stream.flush()
    pid = os.fork()
    if pid:
        job.pid = pid
        return job
    code = 1
    try:
        import signal

        # ended by ``stop``: unwind, so that a child's own children are stopped too
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
        with open(os.devnull, "w") as quiet:  # a failure is reported by the parent's retry
            os.dup2(quiet.fileno(), 2)
        if prepare is not None:
            prepare()
        child = reopen()
        if child is not project:
            from ..analysis.prevalence import carry

            carry(project, child, version)  # the passage counts the parent already made
        task(child)
        code = 0
        if child is not project:
            child.store.close()  # a server sees its client leave, not a dropped socket
    finally:
        os._exit(code)


def finish(project: ProjectLike, job: Job) -> None:
    """Wait for the job's child; do here what it did not."""
    if job.pid is not None:
        _, status = os.waitpid(job.pid, 0)
        job.pid = None
        if status == 0 and all(p.exists() for p in job.made):
            return
    job.task(project)


def stop(jobs: Sequence[Job]) -> None:
    """End the children of a report that failed, so they do not write on alone."""
    import signal

    for job in jobs:
        if job.pid is None:
            continue
        try:
            os.kill(job.pid, signal.SIGTERM)
            os.waitpid(job.pid, 0)
        except (ProcessLookupError, ChildProcessError):
            pass
        job.pid = None


def _may_fork() -> bool:
    """Fork only a process with one thread: a child of a threaded process (a notebook's
    kernel, a web server) inherits locks held by threads that do not exist in it, and can
    hang on them. Elsewhere (no fork, IPA_NO_FORK) the parent does every job itself."""
    import threading

    return hasattr(os, "fork") and not os.environ.get("IPA_NO_FORK") and \
        threading.active_count() == 1


def _reopener(project: ProjectLike) -> Callable[[], ProjectLike] | None:
    """How a child opens this project afresh: a connection of its own to the same SQLite
    file or PostgreSQL schema. None when the store cannot, or while a transaction is open
    (the child would not see it)."""
    opener = project.store.reopener()
    if opener is None:
        return None
    cls: Any = type(project)  # the project's own class (Project), made afresh in the child
    folder = project.folder
    return lambda: cls(folder, opener())
