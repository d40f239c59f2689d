"""Intercoder agreement: percent agreement, Cohen's kappa and Krippendorff's alpha.

Units: ``character`` (every character of the compared transcripts, as NVivo's coding
comparison), ``line`` (every frozen line) or ``segment`` (passages; two coders' passages are
the same unit when they overlap by at least ``overlap`` of their joint extent). For each
theme, a unit is coded by a coder when one of their passages of that theme covers it.

Kappa follows NVivo's documented formula, (TA - EA) / (TU - EA), with TU the units, TA the
units both coded or both left, and EA = (cA*cB + (TU-cA)*(TU-cB)) / TU the agreement
expected by chance; as NVivo does, kappa is 1 when the coders agree on every unit. Alpha is
nominal alpha from the coincidence matrix (Krippendorff 2011); it is undefined (NaN) when
the data show no variation at all.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..errors import InputError
from ..model import natural_key

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from ..protocols import ProjectLike

UNITS = ("character", "line", "segment")


def kappa(both: int, a_only: int, b_only: int, neither: int) -> float:
    """Cohen's kappa of a 2x2 table (NVivo's formula)."""
    tu = both + a_only + b_only + neither
    if tu == 0:
        return math.nan
    ta = both + neither
    ca, cb = both + a_only, both + b_only
    ea = (ca * cb + (tu - ca) * (tu - cb)) / tu
    if ta == tu:
        return 1.0
    if tu == ea:
        return math.nan
    return (ta - ea) / (tu - ea)


def alpha_nominal(data: Sequence[Sequence[Hashable | None]]) -> float:
    """Krippendorff's alpha, nominal, from a coders x units table (None = missing)."""
    units = list(zip(*data, strict=True)) if data else []
    coincidence: Counter = Counter()
    for unit in units:
        values = [v for v in unit if v is not None]
        m = len(values)
        if m < 2:
            continue
        counts = Counter(values)
        for c, nc in counts.items():
            for k, nk in counts.items():
                pairs = nc * (nk - 1) if c == k else nc * nk
                coincidence[(c, k)] += pairs / (m - 1)
    n_c: Counter = Counter()
    for (c, _), v in coincidence.items():
        n_c[c] += v
    n = sum(n_c.values())
    if n <= 1:
        return math.nan
    observed = sum(v for (c, k), v in coincidence.items() if c != k)
    expected = sum(n_c[c] * n_c[k] for c in n_c for k in n_c if c != k) / (n - 1)
    if expected == 0:
        return math.nan
    return 1 - observed / expected


def alpha_binary(both: int, a_only: int, b_only: int, neither: int) -> float:
    """Nominal alpha for two coders and a coded / not coded value per unit (closed form)."""
    n = 2 * (both + a_only + b_only + neither)
    n1 = 2 * both + a_only + b_only
    n0 = 2 * neither + a_only + b_only
    if n0 * n1 == 0:
        return math.nan
    return 1 - (n - 1) * (a_only + b_only) / (n0 * n1)


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for s, e in sorted(spans):
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out


def _overlap_length(a: list[tuple[int, int]], b: list[tuple[int, int]]) -> int:
    i = j = total = 0
    while i < len(a) and j < len(b):
        s, e = max(a[i][0], b[j][0]), min(a[i][1], b[j][1])
        if s < e:
            total += e - s
        if a[i][1] < b[j][1]:
            i += 1
        else:
            j += 1
    return total


def _pairs(a: list[tuple[int, int]], b: list[tuple[int, int]], share: float
           ) -> tuple[list[tuple[int, int]], list[int], list[int]]:
    """The largest one-to-one pairing of passages that overlap by >= share of their union.

    A maximum matching (``linear_sum_assignment``): each admissible pair weighs more than any
    sum of overlap scores, so the most pairs win first and, among those, the best overlaps.
    A greedy best-first pairing can miss pairs when one coder has overlapping passages.
    """
    admissible = {}
    for i, (s1, e1) in enumerate(a):
        for j, (s2, e2) in enumerate(b):
            inter = min(e1, e2) - max(s1, s2)
            if inter > 0:
                union = max(e1, e2) - min(s1, s2)
                if inter / union >= share:
                    admissible[(i, j)] = inter / union
    matched: list[tuple[int, int]] = []
    if admissible:
        import numpy as np
        from scipy.optimize import linear_sum_assignment

        bonus = min(len(a), len(b)) + 1
        weight = np.zeros((len(a), len(b)))
        for (i, j), score in admissible.items():
            weight[i, j] = bonus + score
        rows, cols = linear_sum_assignment(weight, maximize=True)
        matched = sorted((int(i), int(j)) for i, j in zip(rows, cols, strict=True)
                         if (i, j) in admissible)
    used_a, used_b = {i for i, _ in matched}, {j for _, j in matched}
    return matched, [i for i in range(len(a)) if i not in used_a], \
        [j for j in range(len(b)) if j not in used_b]


@dataclass
class Agreement:
    """``table``: per theme and pooled; ``by_transcript``: per theme x transcript (as NVivo
    reports per source); ``transcripts``: the transcripts compared."""

    table: pd.DataFrame
    disagreements: pd.DataFrame
    by_transcript: pd.DataFrame | None = None
    transcripts: tuple[str, ...] = ()


def agreement(project: ProjectLike, coder_a: str, coder_b: str, *, theme: str | None = None,
              unit: str = "character", overlap: float = 0.9,
              all_transcripts: bool = False) -> Agreement:
    """Compare two coders over every transcript either coded (``all_transcripts``: every
    transcript in the project; a transcript nobody coded counts as agreement on "absent").

    A transcript only one coder worked on is compared too: leaving it out would silently
    drop that coder's codings there.
    """
    import pandas as pd

    from ..ingest.lines import line_span_for_chars

    if unit not in UNITS:
        raise InputError(f"unknown unit '{unit}'", hint="character, line or segment")
    if not 0 < overlap <= 1:
        raise InputError("--overlap is a share between 0 and 1 (e.g. 0.9)")
    store = project.store
    cb = project.codebook
    coders = {c.coder for c in store.codings()}
    for who in (coder_a, coder_b):
        if who not in coders:
            raise InputError(f"no codings by '{who}'",
                             hint="coders here: " + (", ".join(sorted(coders)) or "none"))
    if coder_a == coder_b:
        raise InputError("compare two different coders")
    wanted = cb.subtree_ids(cb.resolve(theme)) if theme else None
    spans: dict[tuple[int, int, str], list[tuple[int, int]]] = {}
    touched: dict[str, set[int]] = {coder_a: set(), coder_b: set()}
    for c in store.codings():
        if c.coder not in touched or c.status == "orphaned":
            continue
        touched[c.coder].add(c.transcript_id)
        if wanted is None or c.theme_id in wanted:
            spans.setdefault((c.theme_id, c.transcript_id, c.coder), []).append((c.start, c.end))
    tinfo = {t.id: t for t in store.transcripts()}
    docs = sorted(tinfo if all_transcripts else touched[coder_a] | touched[coder_b])
    texts = {tid: store.transcript_text(tid) for tid in docs}
    lines = {tid: store.lines(tid) for tid in docs}
    theme_ids = sorted({k[0] for k in spans}, key=lambda i: [t.id for t in cb.walk()].index(i))
    rows, dis, per_doc = [], [], []
    pooled = [0, 0, 0, 0]
    for tid_theme in theme_ids:
        th = cb.get(tid_theme)
        cells = [0, 0, 0, 0]  # both, a only, b only, neither
        for doc in docs:
            a = spans.get((tid_theme, doc, coder_a), [])
            b = spans.get((tid_theme, doc, coder_b), [])
            before = list(cells)
            if unit == "character":
                ma, mb = _merge(a), _merge(b)
                la, lb = sum(e - s for s, e in ma), sum(e - s for s, e in mb)
                inter = _overlap_length(ma, mb)
                cells[0] += inter
                cells[1] += la - inter
                cells[2] += lb - inter
                cells[3] += len(texts[doc]) - (la + lb - inter)
            elif unit == "line":
                la = {n for s, e in a for n in range(*_line_range(lines[doc], s, e))}
                lb = {n for s, e in b for n in range(*_line_range(lines[doc], s, e))}
                cells[0] += len(la & lb)
                cells[1] += len(la - lb)
                cells[2] += len(lb - la)
                cells[3] += len(lines[doc]) - len(la | lb)
            else:
                matched, only_a, only_b = _pairs(sorted(a), sorted(b), overlap)
                cells[0] += len(matched)
                cells[1] += len(only_a)
                cells[2] += len(only_b)
            dis += _disagreements(project, th, tinfo[doc], texts[doc], lines[doc], sorted(a),
                                  sorted(b), coder_a, coder_b, overlap, line_span_for_chars)
            here = [x - y for x, y in zip(cells, before, strict=True)]
            per_doc.append([tinfo[doc].name, tinfo[doc].participant,
                            *_row(th.number, th.label, unit, here)])
        pooled = [x + y for x, y in zip(pooled, cells, strict=True)]
        rows.append(_row(th.number, th.label, unit, cells))
    rows.append(_row("all", "All themes (pooled)", unit, pooled))
    table = pd.DataFrame(rows, columns=["theme_number", "theme_label", "unit", "units", "both",
                                        "only_" + coder_a, "only_" + coder_b, "neither",
                                        "percent_agreement", "kappa", "alpha"])
    dis_df = pd.DataFrame(dis, columns=["theme_number", "participant", "transcript", "kind",
                                        coder_a + "_lines", coder_a + "_quote",
                                        coder_b + "_lines", coder_b + "_quote"])
    columns = list(table.columns)
    by_doc = pd.DataFrame(per_doc, columns=["transcript", "participant", *columns])
    by_doc = by_doc[["theme_number", "theme_label", "transcript", "participant",
                     *columns[2:]]]
    names = tuple(sorted((tinfo[d].name for d in docs), key=natural_key))
    return Agreement(table, dis_df, by_doc, names)


def _line_range(lines, s: int, e: int) -> tuple[int, int]:
    from ..ingest.lines import line_span_for_chars

    a, b = line_span_for_chars(lines, s, e)
    return a, b + 1


def _row(number: str, label: str, unit: str, cells: list[int]) -> list:
    both, a_only, b_only, neither = cells
    total = sum(cells)
    pct = 100 * (both + neither) / total if total else math.nan
    return [number, label, unit, total, both, a_only, b_only, neither, round(pct, 2),
            round(kappa(*cells), 4), round(alpha_binary(*cells), 4)]


def _disagreements(project, th, t, text, lines, a, b, coder_a, coder_b, share, span_of):
    out = []

    def cite(s, e):
        first, last = span_of(lines, s, e)
        return project.cite(t.participant, first, last)

    def quote(s, e):
        return " ".join(text[s:e].split())

    matched, only_a, only_b = _pairs(a, b, share)
    paired_b = set()
    for i in only_a:
        s, e = a[i]
        partner = [j for j in only_b if b[j][0] < e and b[j][1] > s]
        if partner:
            j = partner[0]
            paired_b.add(j)
            out.append([th.number, t.participant, t.name, "different extent", cite(s, e),
                        quote(s, e), cite(*b[j]), quote(*b[j])])
        else:
            out.append([th.number, t.participant, t.name, f"only {coder_a}", cite(s, e),
                        quote(s, e), "", ""])
    for j in only_b:
        if j not in paired_b:
            out.append([th.number, t.participant, t.name, f"only {coder_b}", "", "",
                        cite(*b[j]), quote(*b[j])])
    return out
