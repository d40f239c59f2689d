"""The tables of an IPA paper, as pandas DataFrames built from a project.

Each table carries its presentation in ``df.attrs`` so every writer renders it the same way:
``title`` (caption text), ``merge`` (columns whose repeated cells span rows, e.g. the
superordinate theme), ``group`` (a column shown as heading rows, e.g. the domain), and
``note`` (a line under the table).
"""

from __future__ import annotations

import statistics
from typing import TYPE_CHECKING, Any

from ..analysis.prevalence import by_coder as prevalence_by_coder
from ..analysis.prevalence import (
    group_depth,
    leaves_with_groups,
    prevalence,
    recurrence_threshold,
    rule_label,
)
from ..errors import InputError
from ..model import Theme, natural_key
from ..participants import attributes

if TYPE_CHECKING:  # pragma: no cover
    from pathlib import Path

    import pandas as pd

    from ..protocols import ProjectLike

TICK = "✓"
NAMES = ("participants", "themes", "recurrence", "quotes", "cooccurrence", "codebook", "pets",
         "convergence")


def _frame(rows: list[list[Any]], columns: list[str], **attrs: Any) -> pd.DataFrame:
    import pandas as pd

    df = pd.DataFrame(rows, columns=columns)
    df.attrs.update({"merge": [], "group": None, "note": ""}, **attrs)
    return df


def numbered(t: Theme) -> str:
    """'1. The devastation of the discovery', '1.1. Not my world' (APA-style numbering)."""
    from .extracts import typographic

    return typographic(f"{t.number}. {t.label}")


def level_header(level: str) -> str:
    """Column header for a codebook level: 'superordinate' -> 'Superordinate Theme',
    'group experiential theme' -> 'Group experiential theme'."""
    name = level[:1].upper() + level[1:]
    return name if "theme" in level.lower() else f"{name} Theme"


def _levels(project: ProjectLike) -> tuple[str, ...]:
    """The level names tables print (the codebook's own, else the terminology preset's)."""
    from ..terms import project_levels

    return project_levels(project)


# -- Table 1 -----------------------------------------------------------------------------------
def participants(project: ProjectLike, columns: list[str] | None = None, *,
                 summary: bool = False, id_label: str = "ID") -> pd.DataFrame:
    """The participant table: chosen attributes in order, IDs in natural order.

    ``summary`` adds a last row: mean and SD of numeric columns, counts per category of the
    others.
    """
    people = project.participant_list()
    known = project.store.attribute_names()
    if columns:
        lower = {k.casefold(): k for k in known}
        missing = [c for c in columns if c.casefold() not in lower]
        if missing:
            raise InputError(f"no participant attribute {', '.join(map(repr, missing))}",
                             hint="attributes: " + ", ".join(known))
        columns = [lower[c.casefold()] for c in columns]
    else:
        columns = known
    types = attributes.declared(project)
    rows = [[p.code, *(p.attributes.get(c, "") for c in columns)] for p in people]
    notes: list[str] = []
    for i in range(1, len(columns) + 1):
        spelled = _spelled_codes([r[i] for r in rows])
        if spelled:
            for r in rows:
                r[i] = spelled.get(str(r[i]).strip().casefold(), r[i])
    if summary and rows:
        cells, merged = [], []
        for i, c in enumerate(columns, start=1):
            text, spellings = _summarise([r[i] for r in rows], types.get(c))
            cells.append(text)
            merged += [f"{c}: {s}" for s in spellings]
        rows.append([f"Summary (N = {len(people)})", *cells])
        notes.append("N = number of participants; M = mean; SD = standard deviation; "
                     "categories are counted ignoring case and surrounding spaces.")
        if merged:
            notes.append("Spellings counted as one: " + "; ".join(merged) + ".")
    return _frame(rows, [id_label, *columns], name="participants",
                  title="Participant information", note=" ".join(notes))


CODES = {"f": "Female", "m": "Male", "nb": "Non-binary"}


def _spelled_codes(values: list[str]) -> dict[str, str]:
    """F/M written out, so "M" never means both Male and Mean in one table."""
    present = {str(v).strip().casefold() for v in values if str(v).strip()}
    if present and present <= set(CODES) and "m" in present:
        return CODES
    return {}


def _summarise(values: list[str], kind: str | None = None) -> tuple[str, list[str]]:
    """The summary cell and any spellings merged: M and SD for numbers, counts per category
    (case-insensitive, trimmed) for the rest; text attributes are not summarised."""
    present = [str(v).strip() for v in values if str(v).strip()]
    if kind == "text":
        return "", []
    try:
        nums = [float(v) for v in present]
    except ValueError:
        nums = []
    if kind != "category" and nums and len(nums) == len(present):
        text = f"M = {statistics.fmean(nums):.1f}"
        if len(nums) > 1:
            text += f", SD = {statistics.stdev(nums):.1f}"
        return text, []
    counts: dict[str, int] = {}
    forms: dict[str, dict[str, int]] = {}
    for v in present:
        key = " ".join(v.split()).casefold()
        counts[key] = counts.get(key, 0) + 1
        forms.setdefault(key, {})
        forms[key][" ".join(v.split())] = forms[key].get(" ".join(v.split()), 0) + 1
    shown = {k: max(f, key=f.__getitem__) for k, f in forms.items()}  # commonest, then first
    merged = [" and ".join(f"“{x}”" for x in sorted(f)) for f in forms.values() if len(f) > 1]
    if len(counts) > 4:
        return f"{len(counts)} categories", merged
    order = sorted(counts.items(), key=lambda kv: (-kv[1], shown[kv[0]]))
    return ", ".join(f"{shown[k]} {n}" for k, n in order), merged


# -- Table 2 -----------------------------------------------------------------------------------
def themes(project: ProjectLike, root: str | None = None, *, contributors: str | None = None,
           passages: bool = False, quote: bool = False, title: str | None = None,
           by_coder: bool = False) -> pd.DataFrame:
    """The theme table: the hierarchy as rows, superordinate cells spanning their rows.

    ``root`` keeps one branch (e.g. one domain). ``contributors`` adds who contributes:
    "list" (P1, P3) or "fraction" (7/10); ``passages`` the number of passages; ``quote`` an
    illustrative extract with its citation; ``by_coder`` a passages column per coder.
    Overlapping codings of a theme in one transcript are one passage, whoever coded them.
    """
    cb = project.codebook
    prev = prevalence(project)
    coder_prev = prevalence_by_coder(project) if by_coder else {}
    top = cb.resolve(root) if root else None
    start_depth = cb.depth(top) + 1 if top else 0
    gd = group_depth(cb)
    levels = _levels(project)
    group_col = None
    if top is None and gd > 0:
        group_col = level_header(levels[0]).replace(" Theme", "")
        start_depth = gd
    elif top is not None:
        start_depth = max(start_depth, cb.depth(top) + 1)
    max_depth = max((cb.depth(t) for t in cb.themes), default=0)
    level_cols = [level_header(levels[d] if d < len(levels) else f"level {d + 1}")
                  for d in range(start_depth, max_depth + 1)]
    scope = cb.walk(top)[1:] if top else cb.walk()
    leaves = [t for t in scope if not cb.children(t) and not t.retired
              and cb.depth(t) >= start_depth]
    quotes = _quote_pick(project, per_theme=1) if quote else {}
    n = len(prev.participants)
    rows = []
    for leaf in leaves:
        chain = [*cb.ancestors(leaf), leaf]
        row: list[Any] = []
        if group_col:
            row.append(chain[gd - 1].label if len(chain) >= gd else "")
        cells = [numbered(t) for t in chain[start_depth:]]
        row.extend(cells + [""] * (len(level_cols) - len(cells)))
        if contributors == "list":
            row.append(", ".join(prev.contributors(leaf)))
        elif contributors == "fraction":
            row.append(f"{len(prev.contributors(leaf))}/{n}")
        elif contributors:
            raise InputError(f"unknown contributors style '{contributors}'",
                             hint="list or fraction")
        if passages:
            row.append(prev.total_passages(leaf))
        row.extend(p.total_passages(leaf) for p in coder_prev.values())
        if quote:
            picked = quotes.get(leaf.id) or []
            row.append(f"“{picked[0][1]}” {picked[0][2]}" if picked else "")
        rows.append(row)
    columns = ([group_col] if group_col else []) + level_cols
    columns += ["Participants"] if contributors else []
    columns += ["Passages"] if passages else []
    columns += [f"Passages ({c})" for c in coder_prev]
    columns += ["Illustrative quote"] if quote else []
    if title is None:
        names = [levels[d] for d in range(start_depth, min(start_depth + 2, len(levels)))]
        if top is not None:
            title = f"Themes relating to {top.label[:1].lower() + top.label[1:]}"
        elif len(names) == 2 and any("theme" in x.lower() for x in names):
            title = f"{names[0].capitalize()}s and {names[1]}s"
        elif len(names) == 2:
            title = f"{names[0].capitalize()} and {names[1]} themes"
        else:
            title = "Themes"
    notes = []
    if contributors == "fraction":
        notes.append(f"Participants = participants contributing to the theme (of {n}).")
    elif contributors:
        notes.append("Participants = the participants contributing to the theme.")
    if passages:
        notes.append("Passages = coded passages.")
    if quote:
        notes.append("Extracts are cited as (participant, transcript lines).")
    return _frame(rows, columns, name="themes", title=title, merge=level_cols[:-1],
                  group=group_col, note=" ".join(notes))


# -- Table 3 -----------------------------------------------------------------------------------
def recurrence(project: ProjectLike, rule: str | int | None = None, *, counts: bool = False
               ) -> pd.DataFrame:
    """Themes x participants: ticks (or passage counts), totals, and the recurrence rule."""
    cb = project.codebook
    prev = prevalence(project)
    rule = rule if rule is not None else project.setting("recurrence_rule")
    n = len(prev.participants)
    need = recurrence_threshold(rule, n)
    gd = group_depth(cb)
    shown = [t for t in cb.walk() if cb.depth(t) >= gd and not t.retired]
    leaves = {t.id for t, _ in leaves_with_groups(cb)}
    rows = []
    for t in shown:
        cells = [(prev.count(t, p) or "") if counts else (TICK if prev.count(t, p) else "")
                 for p in prev.participants]
        k = len(prev.contributors(t))
        rows.append([numbered(t), *cells, k, "Yes" if k >= need else "No"])
    per_person = [sum(1 for t in shown if t.id in leaves and prev.count(t, p))
                  for p in prev.participants]
    level = _leaf_level(cb, _levels(project), [t for t in shown if t.id in leaves])
    rows.append([f"{level[:1].upper() + level[1:]} per participant", *per_person, "", ""])
    label = rule_label(rule, n)
    return _frame(rows, ["Theme", *prev.participants, "Total", "Meets recurrence"],
                  name="recurrence", title="Recurrence of themes across participants",
                  note=f"{'Numbers are passages' if counts else TICK + ' = present'}; "
                       f"Total = participants contributing (of {n}); a theme meets "
                       f"recurrence when present for {label}; a theme counts each participant "
                       f"once over all its sub-themes. The last row counts {level} only.")


def _leaf_level(cb, levels: tuple[str, ...], leaves: list[Theme]) -> str:
    """'subordinate themes' (or 'sub-themes') when every lowest theme sits on that level,
    else 'lowest-level themes'."""
    from ..terms import level_of, themed

    names = {level_of(levels, cb.depth(t)) for t in leaves}
    return themed(names.pop(), many=True) if len(names) == 1 else "lowest-level themes"


# -- quotes ------------------------------------------------------------------------------------
def _quote_pick(project: ProjectLike, per_theme: int = 3) -> dict[int, list[tuple[str, str, str]]]:
    """theme id -> [(participant, quote, citation)]: exemplars first, then one per person.

    Linear in codings: one pass keeps, per theme, its exemplars and each participant's first
    passage (in citation order), the only passages that can be picked; a theme then sorts
    the few its subtree keeps, not every coding under it.
    """
    import heapq

    cb = project.codebook
    owner = {t.id: t.participant for t in project.store.transcripts()}
    keys: dict[str, tuple] = {}
    exemplars: dict[int, list[tuple]] = {}
    firsts: dict[int, dict[str, tuple]] = {}
    where: dict[int, tuple[int, int, int]] = {}
    from ..coding.table import raw_rows

    for r in raw_rows(project):
        if r[11] == "orphaned":
            continue
        person = owner[r[1]]
        if person not in keys:
            keys[person] = natural_key(person)
        item = (not r[12], keys[person], r[3], person, r[0], r[3], r[4])
        where[r[0]] = (r[1], r[5], r[6])
        if item[0]:
            best = firsts.setdefault(r[2], {})
            if person not in best or item < best[person]:
                best[person] = item
        else:
            exemplars.setdefault(r[2], []).append(item)
    chosen: dict[int, list] = {}
    for t in cb.themes:
        shown: list[tuple] = []
        first: dict[str, tuple] = {}
        for tid in cb.subtree_ids(t):
            shown += exemplars.get(tid, ())
            for person, item in firsts.get(tid, {}).items():
                if person not in first or item < first[person]:
                    first[person] = item
        pool = heapq.nsmallest(per_theme, shown) + sorted(first.values())
        picked, people = [], set()
        for item in pool:
            exemplar, person = not item[0], item[3]
            if not exemplar and person in people:
                continue
            picked.append(item)
            people.add(person)
            if len(picked) >= per_theme:
                break
        chosen[t.id] = picked
    ids = {p[4] for picked in chosen.values() for p in picked}
    text = _extract_text(project, [(i, *where[i]) for i in sorted(ids)])
    return {tid: [(p[3], text[p[4]], project.cite(p[3], p[5], p[6])) for p in picked]
            for tid, picked in chosen.items()}


def _extract_text(project: ProjectLike, spans: list[tuple[int, int, int, int]]) -> dict[int, str]:
    """(coding id, transcript id, start, end) -> {coding id: the extract as the paper shows
    it} (participant's speech, whole sentences, elisions marked); the coding keeps its own
    span."""
    from .extracts import display_extract

    out: dict[int, str] = {}
    cache: dict[int, tuple] = {}
    for cid, tid, start, end in spans:
        if tid not in cache:
            cache[tid] = (project.store.transcript_text(tid), project.store.lines(tid))
        text, lines = cache[tid]
        out[cid] = display_extract(text, lines, int(start), int(end))
    return out


def quotes(project: ProjectLike, per_theme: int | None = None, *, leaves_only: bool = True
           ) -> pd.DataFrame:
    """Selected extracts per theme with citations: exemplars first, one per participant."""
    cb = project.codebook
    per_theme = per_theme or int(project.setting("quotes_per_theme"))
    if per_theme < 1:
        raise InputError("quotes per theme must be at least 1")
    picks = _quote_pick(project, per_theme)
    shown = [t for t, _ in leaves_with_groups(cb)] if leaves_only else cb.walk()
    rows = [[numbered(t), who, text, cite] for t in shown for who, text, cite in picks[t.id]]
    return _frame(rows, ["Theme", "Participant", "Extract", "Citation"], name="quotes",
                  title="Illustrative extracts by theme", merge=["Theme"],
                  note="Extracts are the participant’s own words, cited as "
                       f"{project.cite('P3', 112, 118)}: participant, transcript lines; ... "
                       "marks words left out (including the interviewer’s turns). Exemplar "
                       "extracts come first, then one per participant.")


# -- co-occurrence and codebook ------------------------------------------------------------------
def cooccurrence(project: ProjectLike) -> pd.DataFrame:
    """Themes x themes: passages coded to both (overlapping); the diagonal is the total."""
    from ..analysis.cooccurrence import cooccurrence as overlaps

    cb = project.codebook
    leaves = [t for t, _ in leaves_with_groups(cb)]
    m = overlaps(project, leaves)
    rows = [[numbered(t), *m.iloc[i].tolist()] for i, t in enumerate(leaves)]
    return _frame(rows, ["Theme", *m.columns], name="cooccurrence",
                  title="Co-occurrence of themes (overlapping passages)",
                  note="Cells count pairs of overlapping passages; the diagonal gives "
                       "each theme’s passages. Columns are theme numbers.")


def codebook(project: ProjectLike, *, notes: bool = False) -> pd.DataFrame:
    """The codebook with descriptions and counts, for an appendix.

    ``notes`` adds the inclusion and exclusion notes (wide: better in xlsx than in Word).
    """
    cb = project.codebook
    prev = prevalence(project)
    n = len(prev.participants)
    from ..terms import level_of
    from .extracts import typographic

    levels = _levels(project)
    rows = [[t.number, typographic(t.label), level_of(levels, cb.depth(t)),
             typographic(t.description),
             *([typographic(t.inclusion), typographic(t.exclusion)] if notes else []),
             prev.total_passages(t), f"{len(prev.contributors(t))}/{n}"]
            for t in cb.walk()]
    columns = ["Number", "Theme", "Level", "Description",
               *(["Inclusion", "Exclusion"] if notes else []), "Passages", "Participants"]
    return _frame(rows, columns, name="codebook", title="Codebook",
                  note="Passages and Participants count a theme over all its sub-themes; "
                       f"Participants is the number contributing out of {n}.")


def table(project: ProjectLike, name: str, **options: Any) -> pd.DataFrame:
    """Any table by name: participants, themes, recurrence, quotes, cooccurrence, codebook,
    pets (the table of PETs), convergence (per group theme)."""
    funcs = {"participants": participants, "themes": themes, "recurrence": recurrence,
             "quotes": quotes, "cooccurrence": cooccurrence, "codebook": codebook}
    from . import idiographic  # the table of PETs, convergence and divergence

    funcs.update(pets=idiographic.pets, convergence=idiographic.convergence)
    if name not in funcs:
        raise InputError(f"unknown table '{name}'", hint="one of " + ", ".join(NAMES))
    return funcs[name](project, **_applicable(funcs[name], name, options))


def write(project: ProjectLike, name: str, path: Path | None, *, fmt: str,
          number: int | None, raw: bool, **options: Any) -> str | Path:
    """A table written to ``path`` (format from its suffix, files dated by the project),
    or returned as csv/md/tex/html text; ``raw`` keeps formula-like CSV cells as they are."""
    from ..stamp import dated
    from .writers import write_table, writer

    df = table(project, name, **options)
    df.attrs["raw"] = raw
    if path is not None:
        with dated(project):
            return write_table(df, path, number)
    module = writer(fmt)
    if not hasattr(module, "render"):
        raise InputError(f"{fmt} is a file format: give --out FILE.{fmt}")
    return module.render(df, number)


def _applicable(func, name: str, options: dict[str, Any]) -> dict[str, Any]:
    """The given options, refusing any the function does not take (one clear line)."""
    import inspect

    given = {k: v for k, v in options.items() if v is not None}
    accepted = set(inspect.signature(func).parameters) - {"project"}
    wrong = sorted(set(given) - accepted)
    if wrong:
        takes = ", ".join("--" + a.replace("_", "-") for a in sorted(accepted)) or "none"
        raise InputError(f"--{wrong[0].replace('_', '-')} does not apply to {name}",
                         hint=f"its options: {takes}")
    return given
