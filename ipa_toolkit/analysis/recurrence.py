"""Recurrence as data for a notebook: themes x participants as booleans (or counts).

Table 3 (``report.tables.recurrence``) is the same information dressed for a paper; here
the cells are real values to compute with, and the totals are columns of their own.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .prevalence import group_depth, prevalence, recurrence_threshold

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from ..protocols import ProjectLike


def recurrence_frame(project: ProjectLike, rule: str | int | None = None, *,
                     counts: bool = False) -> pd.DataFrame:
    """Index: theme number; columns: ``label``, one per participant (bool, or int passage
    counts with ``counts``), ``participants`` (int) and ``meets`` (bool, the rule)."""
    import pandas as pd

    cb = project.codebook
    prev = prevalence(project)
    rule = rule if rule is not None else project.setting("recurrence_rule")
    need = recurrence_threshold(rule, len(prev.participants))
    shown = [t for t in cb.walk() if cb.depth(t) >= group_depth(cb) and not t.retired]
    cells = {p: [prev.count(t, p) for t in shown] for p in prev.participants}
    df = pd.DataFrame({"label": [t.label for t in shown]},
                      index=pd.Index([t.number for t in shown], name="theme"))
    for p, values in cells.items():
        df[p] = pd.array(values, dtype="int64") if counts else pd.array(
            [v > 0 for v in values], dtype=bool)
    df["participants"] = pd.array([len(prev.contributors(t)) for t in shown], dtype="int64")
    df["meets"] = df["participants"] >= need
    df.attrs.update(rule=rule, threshold=need)
    return df
