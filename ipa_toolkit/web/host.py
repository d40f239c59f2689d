"""One thread owns the project's store connection; requests queue for it.

SQLite connections belong to the thread that opened them, and a single writer keeps every
coding from concurrent browser sessions in order. Team mode (a server store) gives each
signed-in person a host of their own, opened with their login.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

from ..project import Project

T = TypeVar("T")


class ProjectHost:
    """Runs functions of the project on its own thread, one at a time."""

    def __init__(self, folder: str | Path, opener: Callable[[Path], Project] | None = None):
        self.folder = Path(folder)
        self._opener = opener or Project.open
        self._pool = ThreadPoolExecutor(1, thread_name_prefix="ipa-project")
        self._project: Project | None = None

    def _run(self, fn: Callable[..., T], args: tuple, kwargs: dict) -> T:
        if self._project is None:
            self._project = self._opener(self.folder)
        self._project.refresh()
        return fn(self._project, *args, **kwargs)

    async def __call__(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """``await host(fn, ...)`` runs ``fn(project, ...)`` on the project's thread."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._pool, self._run, fn, args, kwargs)

    def close(self) -> None:
        def _close() -> None:
            if self._project is not None:
                self._project.close()
                self._project = None

        self._pool.submit(_close).result()
        self._pool.shutdown()
