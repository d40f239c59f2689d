"""What the rooms below the facade may ask of a project, written down once.

Analysis, reports, exchange formats and the method's layers work on a project, but they
need only a few of its parts: the store, the codebook, the settings and a handful of
lookups. They type against ``ProjectLike`` rather than importing ``Project``, so nothing
below the facade imports it, and the facade may import them all without a circle.
``Project`` meets this protocol (``isinstance(project, ProjectLike)``; a test checks it).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

if TYPE_CHECKING:  # pragma: no cover
    from pathlib import Path

    from .codebook.tree import Codebook
    from .model import Participant, Theme, Transcript
    from .store.base import Store


@runtime_checkable
class ProjectLike(Protocol):
    """The parts of a project that work below the facade may use."""

    folder: Path
    store: Store
    cache: dict[Any, Any]  # derived results, each kept with the store version it holds for

    @property
    def codebook(self) -> Codebook: ...

    def settings(self) -> dict[str, Any]: ...

    def setting(self, key: str) -> Any: ...

    def coder(self, coder: str | None = None) -> str: ...

    def cite(self, participant: str, start_line: int, end_line: int) -> str: ...

    def participant(self, code: str) -> Participant: ...

    def participant_list(self) -> list[Participant]: ...

    def transcript(self, ref: str, name: str | None = None) -> Transcript: ...

    def transcript_list(self) -> list[Transcript]: ...

    def theme(self, ref: str | int) -> Theme: ...

    def refresh(self) -> None:
        """Forget what was derived from the store (after writing to it behind the facade)."""

    def close(self) -> None: ...

