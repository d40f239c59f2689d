"""``ipa draft --out results.docx``: the skeleton of a results section.

It mirrors the results section of an IPA paper (the seed study's): in codebook order,
each group theme with its description, how many participants share it ("all ten
participants", "seven of ten"), its sub-themes introduced in a sentence, each with
exemplar extracts cited ``(P3, 112-118)`` and the participants' own PET labels, and the
divergent cases named. The tool assembles the evidence; the researcher writes the
interpretation where the draft says so.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ..analysis.prevalence import group_depth, prevalence
from ..terms import for_project

if TYPE_CHECKING:  # pragma: no cover
    from ..protocols import ProjectLike

_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
          "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
          "eighteen", "nineteen", "twenty")
_ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth",
             "ninth", "tenth")


def words(n: int) -> str:
    return _WORDS[n] if 0 <= n < len(_WORDS) else str(n)


def share(k: int, n: int) -> str:
    """'all ten participants', 'seven of ten participants', 'one of ten participants'."""
    if n and k == n:
        return f"all {words(n)} participants" if n > 2 else \
            ("both participants" if n == 2 else "the participant")
    return f"{words(k)} of {words(n)} participants"


def listing(items: list[str]) -> str:
    """'“A”, “B”, and “C”' (serial comma, as APA)."""
    q = [f"“{x}”" for x in items]
    if len(q) <= 2:
        return " and ".join(q)
    return ", ".join(q[:-1]) + ", and " + q[-1]


def outline(project: ProjectLike) -> list[tuple[str, str]]:
    """The draft as (style, text) pairs: 'h1'...'h3', 'p', 'quote', 'todo'."""
    from .idiographic import _evidence

    t = for_project(project)
    cb = project.codebook
    prev = prevalence(project)
    n = len(prev.participants)
    gd = group_depth(cb)
    ev = _evidence(project)
    out: list[tuple[str, str]] = [("h1", "Results")]
    groups = [g for g in cb.walk() if cb.depth(g) == gd and not g.retired]
    out.append(("p", f"The analysis of {words(n)} participants' accounts produced "
                     f"{words(len(groups))} {t.plural(t.group).lower()}, presented in the "
                     "order of the codebook."))
    for domain in (cb.roots() if gd > 0 else []):
        kids = [g for g in groups if domain.id in {a.id for a in cb.ancestors(g)}]
        if not kids:
            continue
        out.append(("h2", domain.label))
        out.append(("p", f"{words(len(kids)).capitalize()} {t.plural(t.group).lower()} "
                         f"were examined in this category: {listing([g.label for g in kids])}."))
        for g in kids:
            out += _group(project, g, prev, ev, t, n)
    if gd == 0:
        for g in groups:
            out += _group(project, g, prev, ev, t, n)
    return out


def _group(project, g, prev, ev, t, n) -> list[tuple[str, str]]:
    cb = project.codebook
    people = prev.contributors(g)
    subs = [s for s in cb.children(g) if not s.retired]
    out = [("h3", f"{t.group} {g.number}: “{g.label}”")]
    text = g.description.strip() or "[Describe the theme.]"
    out.append(("p", f"{t.group} {g.number}, “{g.label}”, was shared by "
                     f"{share(len(people), n)}. {text}"))
    if subs:
        out.append(("p", f"Within this theme, {words(len(subs))} "
                         f"{t.plural(t.sub).lower()} were identified: "
                         f"{listing([s.label for s in subs])}."))
    for i, s in enumerate(subs):
        who = prev.contributors(s)
        nth = _ORDINALS[i] if i < len(_ORDINALS) else f"{i + 1}th"
        desc = s.description.strip() or "[Describe the sub-theme.]"
        out.append(("p", f"The {nth} {t.sub.lower()}, “{s.label}” ({share(len(who), n)}): "
                         f"{desc}"))
        out += _extracts(ev.get(s.id, {}), who, project)
        out.append(("todo", "[Interpretation: what these extracts show, how participants "
                            "converge and where they differ.]"))
    if not subs:
        out += _extracts(ev.get(g.id, {}), people, project)
        out.append(("todo", "[Interpretation.]"))
    silent = [p for p in prev.participants if p not in people]
    if silent:
        out.append(("p", f"Divergence: {', '.join(silent)} "
                         f"{'does' if len(silent) == 1 else 'do'} not contribute to this "
                         "theme."))
    return out


def _extracts(evidence: dict, who: list[str], project, per_theme: int | None = None
              ) -> list[tuple[str, str]]:
    from .idiographic import _shown

    per_theme = per_theme or int(project.setting("quotes_per_theme"))
    out = []
    for person in who:
        labels, first = evidence.get(person, ((), None))
        if first is None:
            continue
        label = labels[0] if labels else ""
        quote, cite = _shown(project, first)
        out.append(("quote", f"{quote} {cite}" + (f" [{label}]" if label else "")))
        if len(out) >= per_theme:
            break
    return out


def write_draft(project: ProjectLike, path: Path) -> Path:
    """Write the draft as Word (.docx) or Markdown (.md)."""
    path = Path(path)
    items = outline(project)
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix.lower() == ".md":
        from .writers.markdown import text  # labels and extracts never become HTML

        marks = {"h1": "# ", "h2": "## ", "h3": "### ", "quote": "> ", "p": "", "todo": ""}
        path.write_text("\n\n".join(marks[k] + text(v) for k, v in items) + "\n",
                        encoding="utf-8")
        return path
    from ..stamp import dated

    with dated(project):  # the same project gives the same file, byte for byte
        _write_docx(items, path)
    return path


def _write_docx(items: list[tuple[str, str]], path: Path) -> None:
    from docx.shared import Cm

    from ..stamp import save_docx
    from .writers.word import new_document

    d = new_document()
    for kind, text in items:
        if kind.startswith("h"):
            d.add_heading(text, level=int(kind[1]))
        elif kind == "quote":
            para = d.add_paragraph(text)
            para.paragraph_format.left_indent = Cm(1.27)
        elif kind == "todo":
            d.add_paragraph().add_run(text).italic = True
        else:
            d.add_paragraph(text)
    save_docx(d, path)
