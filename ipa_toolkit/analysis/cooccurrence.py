"""Which themes code overlapping passages: a themes x themes count of overlaps."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from ..model import Theme
    from ..project import Project


def cooccurrence(project: Project, themes: list[Theme] | None = None) -> pd.DataFrame:
    """Pairs of passages coded to two themes that overlap (share at least one character).

    Each theme counts its whole subtree; the diagonal holds each theme's passages. One sweep
    per transcript over spans sorted by start: O(codings log codings + overlaps).
    """
    import pandas as pd

    cb = project.codebook
    themes = themes if themes is not None else [t for t in cb.walk() if not cb.children(t)]
    wanted = {t.id: i for i, t in enumerate(themes)}
    from .prevalence import prevalence

    per_transcript: dict[int, set[tuple[int, int, int]]] = {}
    passages = prevalence(project).passages  # overlapping codings of a theme: one passage
    for tid, k in wanted.items():
        for spans in passages.get(tid, {}).values():
            for transcript, start, end in spans:
                per_transcript.setdefault(transcript, set()).add((start, end, k))
    n = len(themes)
    counts = [[0] * n for _ in range(n)]
    for spans in per_transcript.values():
        ordered = sorted(spans)
        active: list[tuple[int, int]] = []  # (end, theme index) of spans still open
        for start, end, k in ordered:
            active = [(e, j) for e, j in active if e > start]
            counts[k][k] += 1
            for _, j in active:
                if j != k:
                    counts[k][j] += 1
                    counts[j][k] += 1
            active.append((end, k))
    labels = [t.number for t in themes]
    return pd.DataFrame(counts, index=labels, columns=labels)
