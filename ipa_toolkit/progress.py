"""A progress line for the long commands, on a terminal only.

Ingesting many files or writing a report takes seconds; a researcher at a terminal sees
how far it got. Piped, redirected or in a notebook (stderr not a terminal), nothing is
printed, so logs and captured output stay clean.
"""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import TypeVar

T = TypeVar("T")


def enabled() -> bool:
    return sys.stderr.isatty() and not os.environ.get("IPA_NO_PROGRESS")


def progress(items: Sequence[T] | Iterable[T], label: str, *, minimum: int = 2
             ) -> Iterator[T]:
    """Yield ``items``, drawing "label [#####     ] 3/10" on stderr when it is a terminal."""
    items = list(items)
    total = len(items)
    if not enabled() or total < minimum:
        yield from items
        return
    width = 24
    try:
        for i, item in enumerate(items):
            _draw(label, i, total, width)
            yield item
        _draw(label, total, total, width)
    finally:
        sys.stderr.write("\n")
        sys.stderr.flush()


def _draw(label: str, done: int, total: int, width: int) -> None:
    filled = width * done // total
    sys.stderr.write(f"\r{label} [{'#' * filled}{' ' * (width - filled)}] {done}/{total}")
    sys.stderr.flush()


@contextmanager
def bulk() -> Iterator[None]:
    """Pause the cyclic garbage collector while a long command builds many small objects.

    Ingesting 500 transcripts or reading a 100k-row sheet allocates millions of objects
    that form no cycles; the collector's full passes over all of them cost about a fifth of
    the time. Reference counting still frees everything; collection resumes afterwards."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()
