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

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from ..project import Project

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
    return f"{t.number}. {t.label}"


def level_header(level: str) -> str:
    """Column header for a codebook level: 'superordinate' -> 'Superordinate Theme'."""
    name = level[:1].upper() + level[1:]
    return name if "theme" in level.lower() else f"{name} Theme"


# -- Table 1 -----------------------------------------------------------------------------------
def participants(project: Project, columns: list[str] | None = None, *,
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
    rows = [[p.code, *(p.attributes.get(c, "") for c in columns)] for p in people]
    if summary and rows:
        rows.append([f"Summary (N = {len(people)})",
                     *(_summarise([r[i + 1] for r in rows]) for i in range(len(columns)))])
    return _frame(rows, [id_label, *columns], name="participants",
                  title="Participant information")


def _summarise(values: list[str]) -> str:
    present = [v for v in values if str(v).strip()]
    try:
        nums = [float(v) for v in present]
    except ValueError:
        nums = []
    if nums and len(nums) == len(present):
        mean = statistics.fmean(nums)
        text = f"M = {mean:.1f}"
        if len(nums) > 1:
            text += f", SD = {statistics.stdev(nums):.1f}"
        return text
    counts: dict[str, int] = {}
    for v in present:
        counts[v] = counts.get(v, 0) + 1
    if len(counts) > 4:
        return f"{len(counts)} categories"
    return ", ".join(f"{k} {n}" for k, n in sorted(counts.items(), key=lambda kv: (-kv[1],
                                                                                   kv[0])))


# -- Table 2 -----------------------------------------------------------------------------------
def themes(project: Project, root: str | None = None, *, contributors: str | None = None,
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
    group_col = None
    if top is None and gd > 0:
        group_col = level_header(cb.levels[0]).replace(" Theme", "")
        start_depth = gd
    elif top is not None:
        start_depth = max(start_depth, cb.depth(top) + 1)
    max_depth = max((cb.depth(t) for t in cb.themes), default=0)
    level_cols = [level_header(cb.levels[d] if d < len(cb.levels) else f"level {d + 1}")
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
        names = [cb.levels[d] for d in range(start_depth, min(start_depth + 2, len(cb.levels)))]
        if top is not None:
            title = f"Themes relating to {top.label[:1].lower() + top.label[1:]}"
        elif len(names) == 2 and any("theme" in x.lower() for x in names):
            title = f"{names[0].capitalize()}s and {names[1]}s"
        elif len(names) == 2:
            title = f"{names[0].capitalize()} and {names[1]} themes"
        else:
            title = "Themes"
    return _frame(rows, columns, name="themes", title=title, merge=level_cols[:-1],
                  group=group_col)


# -- Table 3 -----------------------------------------------------------------------------------
def recurrence(project: Project, rule: str | int | None = None, *, counts: bool = False
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
    rows.append(["Themes per participant", *per_person, "", ""])
    label = rule_label(rule, n)
    return _frame(rows, ["Theme", *prev.participants, "Total", "Meets recurrence"],
                  name="recurrence", title="Recurrence of themes across participants",
                  note=f"Note. {'Numbers are passages' if counts else TICK + ' = present'}; "
                       f"a theme meets recurrence when present for {label}; a theme counts "
                       "each participant once over all its sub-themes.")


# -- quotes ------------------------------------------------------------------------------------
def _quote_pick(project: Project, per_theme: int = 3) -> dict[int, list[tuple[str, str, str]]]:
    """theme id -> [(participant, quote, citation)]: exemplars first, then one per person."""
    cb = project.codebook
    df = project.codings(status=None)
    by_theme: dict[int, list[tuple]] = {}
    if len(df):
        ids = {t.number: t.id for t in cb.themes}
        for r in df.itertuples(index=False):
            if r.status == "orphaned":
                continue
            by_theme.setdefault(ids[r.theme_number], []).append(
                (not r.exemplar, natural_key(r.participant), r.start_line, r.participant,
                 r.quote, r.start_line, r.end_line))
    out: dict[int, list[tuple[str, str, str]]] = {}
    for t in cb.themes:
        pool = sorted(x for tid in cb.subtree_ids(t) for x in by_theme.get(tid, []))
        picked, people = [], set()
        for item in pool:
            exemplar, person = not item[0], item[3]
            if not exemplar and person in people:
                continue
            picked.append(item)
            people.add(person)
            if len(picked) >= per_theme:
                break
        out[t.id] = [(p[3], " ".join(p[4].split()), project.cite(p[3], p[5], p[6]))
                     for p in picked]
    return out


def quotes(project: Project, per_theme: int | None = None, *, leaves_only: bool = True
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
                  title="Illustrative extracts by theme", merge=["Theme"])


# -- co-occurrence and codebook ------------------------------------------------------------------
def cooccurrence(project: Project) -> pd.DataFrame:
    """Themes x themes: passages coded to both (overlapping); the diagonal is the total."""
    from ..analysis.cooccurrence import cooccurrence as overlaps

    cb = project.codebook
    leaves = [t for t, _ in leaves_with_groups(cb)]
    m = overlaps(project, leaves)
    rows = [[numbered(t), *m.iloc[i].tolist()] for i, t in enumerate(leaves)]
    return _frame(rows, ["Theme", *m.columns], name="cooccurrence",
                  title="Co-occurrence of themes (overlapping passages)",
                  note="Note. Cells count pairs of overlapping passages; the diagonal gives "
                       "each theme's passages.")


def codebook(project: Project, *, notes: bool = False) -> pd.DataFrame:
    """The codebook with descriptions and counts, for an appendix.

    ``notes`` adds the inclusion and exclusion notes (wide: better in xlsx than in Word).
    """
    cb = project.codebook
    prev = prevalence(project)
    n = len(prev.participants)
    rows = [[t.number, t.label, cb.level_name(t), t.description,
             *([t.inclusion, t.exclusion] if notes else []),
             prev.total_passages(t), f"{len(prev.contributors(t))}/{n}"]
            for t in cb.walk()]
    columns = ["Number", "Theme", "Level", "Description",
               *(["Inclusion", "Exclusion"] if notes else []), "Passages", "Participants"]
    return _frame(rows, columns, name="codebook", title="Codebook")


def table(project: Project, name: str, **options: Any) -> pd.DataFrame:
    """Any table by name: participants, themes, recurrence, quotes, cooccurrence, codebook,
    pets (the table of PETs), convergence (per group theme)."""
    funcs = {"participants": participants, "themes": themes, "recurrence": recurrence,
             "quotes": quotes, "cooccurrence": cooccurrence, "codebook": codebook}
    from . import idiographic  # the table of PETs, convergence and divergence

    funcs.update(pets=idiographic.pets, convergence=idiographic.convergence)
    if name not in funcs:
        raise InputError(f"unknown table '{name}'", hint="one of " + ", ".join(NAMES))
    return funcs[name](project, **_applicable(funcs[name], name, options))


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
