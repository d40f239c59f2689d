"""One exception family: every error a researcher can cause is an ``IpaError``.

The CLI turns these into one clear line and a non-zero exit; anything else is a bug.
"""

from __future__ import annotations

import re


class IpaError(Exception):
    """Base class: the message is written for the researcher, not the developer."""

    exit_code = 1

    def __init__(self, message: str, *, path: str | None = None, line: int | None = None,
                 hint: str | None = None):
        self.message = message
        self.path = path
        self.line = line
        self.hint = hint
        super().__init__(self.format())

    def format(self) -> str:
        where = ""
        if self.path:
            where = f"{self.path}"
            if self.line is not None:
                where += f", line {self.line}"
            where += ": "
        text = where + self.message
        if self.hint:
            text += f" ({self.hint})"
        return _one_line(text)


def _one_line(text: str) -> str:
    """Line breaks (from a library's message or a hostile file name) folded: one error, one
    line."""
    return re.sub(r"\s*[\r\n\x0b\x0c\x85\u2028\u2029]+\s*", " ", text).strip()


class InputError(IpaError):
    """A file or argument the user gave cannot be used as it is."""


class ProjectError(IpaError):
    """The project folder or its store is missing, locked or of an unknown version."""


class CodebookError(IpaError):
    """A codebook file or a theme operation is invalid."""


class ThemeNotFound(CodebookError):
    """A theme reference matched nothing (the message carries 'did you mean')."""


class CodingError(IpaError):
    """A passage cannot be anchored, or a coding operation is refused."""


class ValidationReport(IpaError):
    """Many problems at once (every bad row of a sheet, every bad node of a codebook)."""

    def __init__(self, summary: str, problems: list[str]):
        self.problems = [_one_line(p) for p in problems]
        super().__init__(summary + ":\n" + "\n".join(f"  {p}" for p in self.problems))

    def format(self) -> str:
        """The summary line, then one line per problem."""
        return self.message
