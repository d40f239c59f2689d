"""Which themes code overlapping passages: a themes x themes count of overlaps."""

from __future__ import annotations

from collections.abc import Collection
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from ..model import Theme
    from ..protocols import ProjectLike


def cooccurrence(project: ProjectLike, themes: list[Theme] | None = None) -> pd.DataFrame:
    """Pairs of passages coded to two themes that overlap (share at least one character).

    Each theme counts its whole subtree; the diagonal holds each theme's passages.
    """
    import pandas as pd

    cb = project.codebook
    themes = themes if themes is not None else [t for t in cb.walk() if not cb.children(t)]
    wanted = {t.id: i for i, t in enumerate(themes)}
    from .prevalence import prevalence

    passages = prevalence(project).passages  # overlapping codings of a theme: one passage
    spans = [(transcript, start, end, k) for tid, k in wanted.items()  # none twice: each
             for by in passages.get(tid, {}).values()  # theme's passages are a set, and
             for transcript, start, end in by]  # a transcript has one participant
    labels = [t.number for t in themes]
    return pd.DataFrame(overlap_counts(spans, len(themes)), index=labels, columns=labels)


def overlap_counts(spans: Collection[tuple[int, int, int, int]], n: int) -> list[list[int]]:
    """n x n counts over distinct (transcript, start, end, theme index) spans: on the
    diagonal each theme's spans, elsewhere the pairs of spans of two themes that overlap.

    All pairs at once (numpy): with the spans ordered by transcript, start, end and theme,
    a span overlaps each later one up to the first that starts where it ends or later.
    O(spans log spans + overlaps), without a Python step per pair (a sweep in Python took
    most of the co-occurrence table's time at 100,000 codings)."""
    from itertools import chain

    import numpy as np

    counts = np.zeros((n, n), dtype=np.int64)
    if spans:
        t, s, e, k = np.fromiter(chain.from_iterable(spans), dtype=np.int64,
                                 count=4 * len(spans)).reshape(-1, 4).T
        order = np.lexsort((k, e, s, t))
        t, s, e, k = t[order], s[order], e[order], k[order]
        shift = int(max(e.max(), s.max())) + 1  # one ordered key: transcript, then offset
        stop = np.searchsorted(t * shift + s, t * shift + e, side="left")
        after = np.arange(1, len(k) + 1)  # the first later span
        many = np.maximum(stop - after, 0)
        first = np.repeat(np.arange(len(k)), many)
        second = (np.arange(int(many.sum())) - np.repeat(np.cumsum(many) - many, many)
                  + np.repeat(after, many))
        a, b = k[first], k[second]
        two = a != b
        np.add.at(counts, (a[two], b[two]), 1)
        np.add.at(counts, (b[two], a[two]), 1)
        np.add.at(counts, (k, k), 1)
    return counts.tolist()
