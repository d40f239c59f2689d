"""Who contributes to which theme: passages and participants over each theme's subtree.

A passage (one span of one transcript) counts once for a theme however many of its
sub-themes code it, and a participant counts once however many passages they give: a
theme is never "in 6 of 3 transcripts". Identical or overlapping codings of one theme in
one transcript are one passage, whoever coded them (a second coder, or the same researcher
under another coder name, does not add passages); ``coder=`` counts one coder's alone.
Orphaned codings are left out. A participant also contributes to a theme through a personal
experiential theme (PET) mapped to it: the PET's statements count as passages (see
``method.idiographic.mapped_spans``), merged with overlapping codings like any other passage.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..codebook.tree import Codebook, tree_text
from ..coding.table import raw_rows
from ..errors import InputError
from ..model import Theme, natural_key

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from ..protocols import ProjectLike


@dataclass(frozen=True)
class Prevalence:
    """Distinct passages per (theme, participant), every theme counting its whole subtree."""

    codebook: Codebook
    participants: list[str]  # natural order, every participant of the project
    passages: dict[int, dict[str, set[tuple[int, int, int]]]]  # theme id -> participant -> spans

    def count(self, theme: Theme, participant: str) -> int:
        return len(self.passages.get(theme.id, {}).get(participant, ()))

    def total_passages(self, theme: Theme) -> int:
        return sum(len(s) for s in self.passages.get(theme.id, {}).values())

    def contributors(self, theme: Theme) -> list[str]:
        got = self.passages.get(theme.id, {})
        return [p for p in self.participants if got.get(p)]

    def matrix(self, themes: list[Theme] | None = None, presence: bool = False) -> pd.DataFrame:
        """Themes x participants: passage counts (or 1/0 presence)."""
        import pandas as pd

        themes = themes if themes is not None else self.codebook.walk()
        rows = [[min(self.count(t, p), 1) if presence else self.count(t, p)
                 for p in self.participants] for t in themes]
        return pd.DataFrame(rows, index=[t.number for t in themes], columns=self.participants)


def prevalence(project: ProjectLike, *, coder: str | None = None) -> Prevalence:
    """Count passages per theme and participant in one pass over the codings.

    A report asks for this from every table and chart; the result is kept on the project
    until its data change (the store's version).
    """
    key = ("prevalence", coder)
    version = project.store.version()
    cached = project.cache.get(key)
    if cached is not None and cached[0] == version:
        return cached[1]
    result = _count(project, coder)
    project.cache[key] = (version, result)
    return result


def carry(source: ProjectLike, target: ProjectLike, version: tuple | None) -> None:
    """``target``, the same project opened again (in a child a report forks), takes the
    passage counts and the coding rows ``source`` already read, if read at ``version``
    (``source``'s, asked before the fork: the child must not use the parent's
    connection)."""
    from ..coding.table import SHARED

    for key in (("prevalence", None), SHARED):
        cached = source.cache.get(key)
        if cached is not None and cached[0] == version:
            target.cache[key] = (target.store.version(), cached[1])


def _count(project: ProjectLike, coder: str | None) -> Prevalence:
    cb = project.codebook
    participants = [p.code for p in project.participant_list()]
    owner = {t.id: t.participant for t in project.store.transcripts()}
    lineage = {t.id: [t.id, *(a.id for a in cb.ancestors(t))] for t in cb.themes}
    rows = raw_rows(project)
    mapped = {}
    if coder is None:  # evidence through PETs mapped to GETs counts like a coding
        from ..method.idiographic import Idiographic

        mapped = Idiographic(project).mapped_spans()
    rows = [row for row in rows if row[11] != "orphaned" and (coder is None or row[8] == coder)]
    count = passages_at_once if len(rows) >= AT_ONCE else passages_by_row
    passages = count(rows, owner, lineage, mapped)
    for code in {p for by in passages.values() for p in by} - set(participants):
        participants.append(code)  # a transcript's owner always is a participant; belt and braces
    participants.sort(key=natural_key)
    return Prevalence(cb, participants, passages)


AT_ONCE = 20_000  # codings from which numpy counts (its import costs more below)
Passages = dict[int, dict[str, set[tuple[int, int, int]]]]


def passages_by_row(rows: list[tuple], owner: dict[int, str], lineage: dict[int, list[int]],
                    mapped: Passages) -> Passages:
    """theme id -> participant -> passages over its subtree, from coding rows (all counted),
    transcript owners, each theme's lineage (itself first) and PET passages per theme."""
    passages: Passages = {}
    direct: dict[tuple[int, str], list[tuple[int, int, int]]] = {}  # (theme, person) -> spans
    for row in rows:
        key = (row[2], owner[row[1]])
        spans = direct.get(key)
        if spans is None:
            spans = direct[key] = []
        spans.append((row[1], row[5], row[6]))
    for (theme_id, person), spans in direct.items():  # then up each theme's lineage at once
        for tid in lineage[theme_id]:
            passages.setdefault(tid, {}).setdefault(person, set()).update(spans)
    for tid, by in mapped.items():
        if tid not in lineage:
            continue
        for person, spans in by.items():
            for up in lineage[tid]:
                passages.setdefault(up, {}).setdefault(person, set()).update(spans)
    for by in passages.values():
        for person, spans in by.items():
            by[person] = merge_spans(spans)
    return passages


def passages_at_once(rows: list[tuple], owner: dict[int, str], lineage: dict[int, list[int]],
                     mapped: Passages) -> Passages:
    """``passages_by_row`` with numpy: every span copied to each theme of its lineage, all
    sorted at once, and overlapping runs joined without a Python step per span (merging
    span by span was most of the counting at 100,000 codings)."""
    import numpy as np

    themes = list(lineage)
    dense = {tid: i for i, tid in enumerate(themes)}
    people = list(dict.fromkeys(owner.values()))
    person = {code: i for i, code in enumerate(people)}
    of = {t: person[code] for t, code in owner.items()}
    flat = [(dense[r[2]], r[1], of[r[1]], r[5], r[6]) for r in rows]
    for tid, by in mapped.items():
        if tid in dense:
            for code, spans in by.items():
                k = person.setdefault(code, len(person))
                flat += [(dense[tid], t, k, a, b) for t, a, b in spans]
    if not flat:
        passages: Passages = {}
        _none_mapped(passages, lineage, mapped)
        return passages
    th, tr, pe, s, e = np.array(flat, dtype=np.int64).T
    del flat
    if (e < s).any():  # a span ending before it starts: merged as the rows say
        return passages_by_row(rows, owner, lineage, mapped)
    people = list(person)
    depth = max(len(up) for up in lineage.values())
    ups = np.full((len(themes), depth), -1, dtype=np.int64)
    for i, tid in enumerate(themes):
        ups[i, :len(lineage[tid])] = [dense[u] for u in lineage[tid]]
    at = ups[th]  # each span's theme at each level of its lineage
    keep = at >= 0
    levels = np.nonzero(keep.T)  # (level, span): every span once per theme above it
    th, (tr, pe, s, e) = at[levels[1], levels[0]], (x[levels[1]] for x in (tr, pe, s, e))
    order = np.lexsort((e, s, tr, pe, th))
    th, tr, pe, s, e = (x[order] for x in (th, tr, pe, s, e))
    same = np.ones(len(th), dtype=bool)  # a copy of the span before it (a set keeps one)
    same[0] = False
    for x in (th, tr, pe, s, e):
        same[1:] &= x[1:] == x[:-1]
    th, tr, pe, s, e = (x[~same] for x in (th, tr, pe, s, e))
    n = len(th)
    group = np.ones(n, dtype=bool)  # a new (theme, person, transcript)
    group[1:] = (th[1:] != th[:-1]) | (pe[1:] != pe[:-1]) | (tr[1:] != tr[:-1])
    low = min(int(s.min()), int(e.min()))
    big = int(e.max()) - low + 1
    gid = np.cumsum(group) - 1
    if int(gid[-1]) * big >= 2 ** 62:  # too wide for one ordered key
        return passages_by_row(rows, owner, lineage, mapped)
    reach = np.maximum.accumulate(gid * big + (e - low)) - gid * big + low  # furthest end
    start = group.copy()
    start[1:] |= s[1:] >= reach[:-1]  # a span starting at or after the run's end: a passage
    first = np.flatnonzero(start)
    last = np.append(first[1:], n) - 1
    p_th, p_pe = th[first], pe[first]
    spans = zip(tr[first].tolist(), s[first].tolist(), reach[last].tolist(), strict=True)
    cut = np.flatnonzero((p_th[1:] != p_th[:-1]) | (p_pe[1:] != p_pe[:-1])) + 1
    bounds = [0, *cut.tolist(), len(first)]
    heads = zip(p_th[bounds[:-1]].tolist(), p_pe[bounds[:-1]].tolist(), strict=True)
    passages = {}
    from itertools import islice

    for (ti, pi), a, b in zip(heads, bounds[:-1], bounds[1:], strict=True):
        passages.setdefault(themes[ti], {})[people[pi]] = set(islice(spans, b - a))
    _none_mapped(passages, lineage, mapped)
    return passages


def _none_mapped(passages: Passages, lineage: dict[int, list[int]], mapped: Passages) -> None:
    """A participant mapped to a theme with no passages is listed there (with none), as the
    row-by-row count lists them."""
    for tid, by in mapped.items():
        for code, spans in by.items():
            if not spans and tid in lineage:
                for up in lineage[tid]:
                    passages.setdefault(up, {}).setdefault(code, set())


def merge_spans(spans: set[tuple[int, int, int]]) -> set[tuple[int, int, int]]:
    """(transcript, start, end) spans with every overlapping run joined into one passage."""
    out: list[tuple[int, int, int]] = []
    for t, s, e in sorted(spans):
        if out and out[-1][0] == t and s < out[-1][2]:
            out[-1] = (t, out[-1][1], max(out[-1][2], e))
        else:
            out.append((t, s, e))
    return set(out)


def coders(project: ProjectLike) -> list[str]:
    """Coders with at least one coding that is not orphaned, sorted."""
    return sorted({row[8] for row in project.store.iter_coding_rows() if row[11] != "orphaned"})


def by_coder(project: ProjectLike) -> dict[str, Prevalence]:
    """One ``Prevalence`` per coder (``--by-coder``): each coder's passages on their own."""
    return {c: prevalence(project, coder=c) for c in coders(project)}


def coder_tallies(project: ProjectLike) -> dict[int, str]:
    """theme id -> "(RA 8, RB 5)": each coder's own passages (``codebook show --by-coder``)."""
    per = by_coder(project)
    return {t.id: "(" + ", ".join(f"{c} {p.total_passages(t)}" for c, p in per.items()) + ")"
            for t in project.codebook.themes} if per else {}


def overlapping_codings(project: ProjectLike) -> list[list[tuple]]:
    """Groups of two or more codings of one theme in one transcript that overlap (or are
    identical), each a list of coding rows sorted by start: candidates to tidy, since they
    count as one passage."""
    spans: dict[tuple[int, int], list[tuple]] = {}
    for row in project.store.iter_coding_rows():
        if row[11] != "orphaned":
            spans.setdefault((row[1], row[2]), []).append(row)
    groups = []
    for rows in spans.values():
        group: list[tuple] = []
        end = -1
        for row in sorted(rows, key=lambda r: (r[5], r[6], r[0])):
            if group and row[5] < end:
                group.append(row)
                end = max(end, row[6])
                continue
            if len(group) > 1:
                groups.append(group)
            group, end = [row], row[6]
        if len(group) > 1:
            groups.append(group)
    return sorted(groups, key=lambda g: (g[0][1], g[0][5]))


_RULE = re.compile(r"^\s*(?:(all)|(half)|(third|a third)|(quarter)|(\d+(?:\.\d+)?)\s*%|(\d+))\s*$",
                   re.IGNORECASE)


def recurrence_threshold(rule: str | int, n_participants: int) -> int:
    """How many participants a theme needs: 'half' (default), 'third', 'all', '50%' or 'N'.

    'half' of 10 is 5 and of 9 is 5 (at least half, rounded up).
    """
    if isinstance(rule, int):
        return rule
    m = _RULE.match(str(rule))
    if not m:
        raise InputError(f"unknown recurrence rule '{rule}'",
                         hint="use half, third, quarter, all, a percentage like 50%, or a "
                              "number of participants")
    every, half, third, quarter, pct, count = m.groups()
    if count:
        return int(count)
    share = 1.0 if every else 0.5 if half else 1 / 3 if third else 0.25 if quarter else \
        float(pct) / 100
    return max(1, math.ceil(share * n_participants - 1e-9))


def rule_label(rule: str | int, n_participants: int) -> str:
    """How a rule reads in a table header: 'at least half (5 of 10)'."""
    k = recurrence_threshold(rule, n_participants)
    words = {"all": "all", "half": "at least half", "third": "at least a third",
             "a third": "at least a third", "quarter": "at least a quarter"}
    name = words.get(str(rule).strip().lower(), f"at least {rule}")
    return f"{name} ({k} of {n_participants})"


def group_depth(cb: Codebook) -> int:
    """The depth of the superordinate level: the one just above the leaves' level."""
    return max(len(cb.levels) - 2, 0)


def leaves_with_groups(cb: Codebook) -> list[tuple[Theme, Theme]]:
    """Leaf themes in codebook order, each with its superordinate (itself when shallower)."""
    gd = group_depth(cb)
    out = []
    for t in cb.walk():
        if cb.children(t) or t.retired:
            continue
        chain = [*cb.ancestors(t), t]
        out.append((t, chain[min(gd, len(chain) - 1)]))
    return out


def subtree_counts(project: ProjectLike) -> dict[int, tuple[int, int]]:
    """theme id -> (passages, distinct participants) over each theme's whole subtree."""
    prev = prevalence(project)
    return {t.id: (prev.total_passages(t), len(prev.contributors(t)))
            for t in project.codebook.themes}


def codebook_tree(project: ProjectLike, counts: bool = True, *, by_coder: bool = False) -> str:
    """The codebook as an indented tree, with passages and participants per theme
    (``by_coder``: each coder's own passages too)."""
    return tree_text(project.codebook, subtree_counts(project) if counts else None,
                     len(project.store.participants()),
                     coder_tallies(project) if counts and by_coder else None)
