"""Tables of the idiographic path: the table of PETs for each case, and convergence and
divergence per group theme (Nizza, Farr & Smith 2021, marker 4).

DataFrames with presentation in ``df.attrs``, like ``tables.py``, so every writer (Word,
Excel, CSV, Markdown, LaTeX, HTML) renders them. Labels follow the terminology preset.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..analysis.prevalence import leaves_with_groups, prevalence
from ..coding.table import raw_rows
from ..model import natural_key
from ..terms import for_project

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from ..protocols import ProjectLike

TICK = "✓"
EXTRACT_WORDS = 40


def _frame(rows: list[list[Any]], columns: list[str], **attrs: Any) -> pd.DataFrame:
    import pandas as pd

    df = pd.DataFrame(rows, columns=columns)
    df.attrs.update({"merge": [], "group": None, "note": ""}, **attrs)
    return df


def extract(text: str, words: int = EXTRACT_WORDS) -> str:
    """A key quote: the passage, cut at ``words`` words with an ellipsis."""
    parts = str(text).split()
    return " ".join(parts) if len(parts) <= words else " ".join(parts[:words]) + " …"


def _lines(a: int, b: int) -> str:
    return str(a) if a == b else f"{a}-{b}"


def _pet_tree(project: ProjectLike, participant: str | None):
    """(code, pet, depth, [statements]) in table order for one participant or all."""
    store = project.store
    who = project.participant(participant) if participant else None
    codes = {p.id: p.code for p in store.participants()}
    pets = store.pets(who.id if who else None)
    stmts = {s.id: s for s in store.statements()}
    members: dict[int, list] = {}
    for pid, sid in store.pet_statements():
        members.setdefault(pid, []).append(stmts[sid])
    kids: dict[int | None, list] = {}
    for p in pets:
        kids.setdefault(p.parent_id, []).append(p)
    out = []

    def walk(p, depth: int) -> None:
        out.append((codes[p.participant_id], p, depth,
                    sorted(members.get(p.id, []), key=lambda s: (s.start_line, s.id))))
        for k in sorted(kids.get(p.id, []), key=lambda k: natural_key(k.number)):
            walk(k, depth + 1)

    for root in sorted(kids.get(None, []), key=lambda p: (natural_key(codes[p.participant_id]),
                                                           natural_key(p.number))):
        walk(root, 0)
    return out


def pets(project: ProjectLike, participant: str | None = None) -> pd.DataFrame:
    """The table of PETs: PET > sub-theme > statements, each with a key quote and lines.

    One participant (an appendix table per case), or all with a heading row per case.
    """
    t = for_project(project)
    rows = []
    for code, pet, depth, members in _pet_tree(project, participant):
        top = pet if depth == 0 else None
        label = f"{pet.number}. {pet.label}"
        head, sub = (label, "") if top else ("", label)
        if depth and rows:  # a sub-theme sits under its PET's label
            head = next((r[1] for r in reversed(rows) if r[0] == code and r[1]), "")
        if not members:
            rows.append([code, head, sub, "", "", ""])
        for s in members:
            rows.append([code, head, sub, s.text, extract(s.quote), _lines(s.start_line,
                                                                         s.end_line)])
    columns = ["Participant", t.case, t.sub, t.unit, "Extract", "Lines"]
    title = f"{t.plural(t.case)} of {participant}" if participant else \
        f"{t.plural(t.case)} of each participant"
    df = _frame(rows, columns, name=f"pets_{participant}" if participant else "pets",
                title=title, merge=[t.case, t.sub])
    if participant:
        df = df.drop(columns=["Participant"])
    else:
        df.attrs["group"] = "Participant"
    if not df[t.sub].astype(bool).any():
        df = df.drop(columns=[t.sub])
        df.attrs["merge"] = [t.case]
    return df


def case_index(project: ProjectLike) -> tuple[dict, dict, dict, dict]:
    """The lookups the idiographic tables and the audit trail share: transcript id ->
    participant id, participant id -> code, PET id -> PET, PET id -> its statements."""
    store = project.store
    owner = {tr.id: tr.participant for tr in store.transcripts()}
    codes = {p.id: p.code for p in store.participants()}
    pets = {p.id: p for p in store.pets()}
    stmts = {s.id: s for s in store.statements()}
    members: dict[int, list] = {}
    for pid, sid in store.pet_statements():
        members.setdefault(pid, []).append(stmts[sid])
    return owner, codes, pets, members


def _evidence(project: ProjectLike) -> dict[int, dict[str, tuple[list[str], tuple | None]]]:
    """theme id -> participant -> (the labels of their PETs mapped into its subtree, in line
    order; the one extract a row shows), over each theme's subtree. The extract is an item
    (rank, PET label, quote, (who, first, last) or None, start line, sequence): a PET's
    statement first, then an exemplar, then any other coding, each by start line, then in
    the order read; a blank quote is never shown. Its quote and citation are written out
    (``_shown``) only for that one item.

    Linear in codings: each (theme, participant) keeps its best coding as the rows are read
    and the bests go up the lineage at the end (the whole list of items per theme, sorted
    per participant, was most of the convergence table's time at 100,000 codings)."""
    cb = project.codebook
    store = project.store
    owner, codes, pets, members = case_index(project)
    lineage = {t.id: [t.id, *(a.id for a in cb.ancestors(t))] for t in cb.themes}
    labels: dict[tuple[int, str], list[tuple[int, int, str]]] = {}
    best: dict[tuple[int, str], tuple] = {}
    seq = 0
    for pid, tid in store.pet_themes():
        pet, who = pets[pid], codes[pets[pid].participant_id]
        chosen = sorted(members.get(pid, []), key=lambda s: (s.start_line, s.id))
        s = chosen[0] if chosen else None
        label = f"{pet.label} ({who}:{pet.number})"
        item = (0, label, s.quote if s else "", (who, s.start_line, s.end_line) if s else None,
                s.start_line if s else 0, seq)
        labels.setdefault((tid, who), []).append((item[4], seq, label))
        _offer(best, (tid, who), item)
        seq += 1
    for r in raw_rows(project):  # in id order (read once for the whole report)
        if r[11] == "orphaned":
            continue
        who = owner[r[1]]
        key = (r[2], who)
        rank = 1 if r[12] else 2
        held = best.get(key)
        if held is not None and (held[0], held[4]) <= (rank, r[3]):
            continue  # (an equal one read earlier stays first)
        if str(r[7]).strip():
            best[key] = (rank, "", r[7], (who, r[3], r[4]), r[3], seq)
        seq += 1
    shown: dict[tuple[int, str], tuple] = {}  # up the lineage: (theme, participant) -> item
    for (tid, who), item in best.items():
        for up in lineage[tid]:
            _offer(shown, (up, who), item)
    found: dict[tuple[int, str], list[tuple[int, int, str]]] = {}
    for (tid, who), some in labels.items():
        for up in lineage[tid]:
            found.setdefault((up, who), []).extend(some)
    out: dict[int, dict[str, tuple[list[str], tuple | None]]] = {}
    for tid, who in dict.fromkeys([*found, *shown]):
        out.setdefault(tid, {})[who] = ([label for *_, label in sorted(found.get((tid, who), ()))],
                                        shown.get((tid, who)))
    return out


def _offer(best: dict[tuple[int, str], tuple], key: tuple[int, str], item: tuple) -> None:
    """Keep ``item`` at ``best[key]`` when its quote is not blank and it comes before the
    item held there (rank, start line, sequence)."""
    held = best.get(key)
    if str(item[2]).strip() and (held is None or (item[0], item[4], item[5])
                                 < (held[0], held[4], held[5])):
        best[key] = item


def _shown(project: ProjectLike, item: tuple | None) -> tuple[str, str]:
    """(extract, citation) of an evidence item, as the table shows them."""
    if item is None:
        return "", ""
    return extract(item[2]), project.cite(*item[3]) if item[3] else ""


def convergence(project: ProjectLike) -> pd.DataFrame:
    """For each group theme: every participant, whether they contribute, their own PET
    label(s) and one extract; those without a tick do not contribute (divergence)."""
    t = for_project(project)
    cb = project.codebook
    prev = prevalence(project)
    groups = list(dict.fromkeys(g for _, g in leaves_with_groups(cb)))
    ev = _evidence(project)
    rows = []
    for g in groups:
        people = set(prev.contributors(g))
        n = len(people)
        head = f"{g.number}. {g.label} ({n} of {len(prev.participants)})"
        for who in prev.participants:
            labels, first = ev.get(g.id, {}).get(who, ((), None))
            if who in people:
                rows.append([head, who, TICK, "; ".join(dict.fromkeys(labels)),
                             *_shown(project, first)])
            else:
                rows.append([head, who, "", "", "", ""])
    return _frame(rows, [t.group, "Participant", "Contributes", t.case, "Extract", "Citation"],
                  name="convergence", title="Convergence and divergence across participants",
                  merge=[t.group],
                  note=f"Note. {TICK} = the participant contributes through a coded passage "
                       f"or a mapped {t.case_short}; a participant without a tick does not "
                       "contribute to the theme.")


def appendix_tables(project: ProjectLike) -> list[pd.DataFrame]:
    """When the study has PETs: convergence and divergence, then one table of PETs per
    participant who has any (the report's appendices; none for a study without PETs)."""
    codes = {p.id: p.code for p in project.store.participants()}
    have = sorted({codes[p.participant_id] for p in project.store.pets()}, key=natural_key)
    if not have:
        return []
    return [convergence(project), *(pets(project, code) for code in have)]
