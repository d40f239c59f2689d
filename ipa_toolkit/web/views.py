"""What the pages show, gathered from ``Project`` methods: no SQL and no analysis here.

Each function takes the open project (it runs on the project's thread, see ``host``) and
returns plain data for a template or a JSON answer.
"""

from __future__ import annotations

from typing import Any

from markupsafe import Markup, escape

from ..model import Theme
from ..project import Project

PALETTE = ("#E69F00", "#56B4E9", "#009E73", "#CC79A7", "#0072B2", "#D55E00", "#F0E442",
           "#999999")
TABLE_NAMES = ("participants", "themes", "recurrence", "quotes", "cooccurrence", "codebook")
TABLE_FORMATS = ("docx", "xlsx", "csv", "md", "tex", "html")
CHART_NAMES = ("prevalence", "stacked", "recurrence")
CHART_FORMATS = ("png", "svg", "pdf")


def theme_colours(p: Project) -> dict[int, str]:
    """A theme's own colour, else its nearest ancestor's, else one per top-level branch."""
    cb = p.codebook
    out: dict[int, str] = {}
    for i, root in enumerate(cb.roots()):
        for t in cb.walk(root):
            up = [t, *reversed(cb.ancestors(t))]
            own = next((x.colour for x in up if x.colour), "")
            out[t.id] = own or PALETTE[i % len(PALETTE)]
    return out


def themes(p: Project) -> list[dict[str, Any]]:
    """The codebook flat, in tree order, for the theme picker."""
    cb = p.codebook
    colours = theme_colours(p)
    return [{"number": t.number, "label": t.label, "colour": colours[t.id],
             "depth": cb.depth(t), "retired": t.retired} for t in cb.walk()]


def transcripts(p: Project) -> list[dict[str, Any]]:
    return [{"name": t.name, "participant": t.participant, "lines": t.n_lines,
             "format": t.format} for t in p.transcript_list()]


def page_lines(p: Project, name: str) -> dict[str, Any]:
    """The frozen lines of one transcript, with where each speaker's turn begins."""
    t = p.transcript(name, name)
    rows, prev = [], object()
    for ln in p.lines(t.name, transcript=t.name):
        rows.append({"n": ln.number, "s": ln.start, "e": ln.end, "text": ln.text,
                     "role": ln.role or "", "speaker": ln.speaker or "",
                     "turn": ln.speaker is not None and ln.speaker != prev,
                     "time": ln.timestamp or ""})
        prev = ln.speaker
    return {"name": t.name, "participant": t.participant, "lines": rows, "n_lines": t.n_lines}


def lines_html(rows: list[dict[str, Any]]) -> Markup:
    """The transcript's lines as HTML, every piece of text escaped. Built here rather than
    in a template loop: a 10,000-word transcript renders in a few milliseconds."""
    out = []
    for r in rows:
        cls = "ln" + (" turn" if r["turn"] else "") + (f" r-{escape(r['role'])}" if r["role"]
                                                        else "")
        ts = f'<span class="ts" aria-hidden="true">{escape(r["time"])}</span>' if r["time"] \
            else ""
        out.append(f'<div class="{cls}" id="L{r["n"]}" data-n="{r["n"]}"><span class="no" '
                   f'aria-hidden="true">{r["n"]}</span>{ts}<span class="tx" data-s="{r["s"]}" '
                   f'data-e="{r["e"]}">{escape(r["text"])}</span></div>')
    return Markup("\n".join(out))


def transcript_state(p: Project, name: str) -> dict[str, Any]:
    """What changes while a transcript is open: its codings, notes and statements."""
    t = p.transcript(name, name)
    cb = p.codebook
    colours = theme_colours(p)
    codings = []
    for c in p.coding_list(participant=t.participant):
        if c.transcript_id != t.id or c.status == "orphaned":
            continue
        th: Theme = cb.get(c.theme_id)
        codings.append({"id": c.id, "theme": th.number, "label": th.label,
                        "colour": colours[th.id], "start_line": c.start_line,
                        "end_line": c.end_line, "start": c.start, "end": c.end,
                        "quote": c.quote, "coder": c.coder, "note": c.note,
                        "exemplar": c.exemplar, "status": c.status,
                        "citation": p.cite(t.participant, c.start_line, c.end_line)})
    notes = p.notes(t.participant)
    notes = notes[notes["transcript"] == t.name]
    return {"version": version(p), "codings": codings,
            "notes": [{"id": int(r.id), "start_line": int(r.start_line),
                       "end_line": int(r.end_line), "kind": r.kind, "text": r.note,
                       "author": r.author} for r in notes.itertuples()],
            "statements": statements(p, t.participant, t.name), "themes": themes(p)}


def statements(p: Project, participant: str, transcript: str) -> list[dict[str, Any]]:
    """Experiential statements, where this version of the library has them."""
    if not hasattr(p, "statements"):
        return []
    df = p.statements(participant=participant)
    if "transcript" in df.columns:
        df = df[df["transcript"] == transcript]
    return [{"id": int(r.id), "start_line": int(r.start_line), "end_line": int(r.end_line),
             "text": str(r.text), "note": str(getattr(r, "note", "") or "")}
            for r in df.itertuples()]


def version(p: Project) -> str:
    return ".".join(str(x) for x in p.version())


def codebook_tree(p: Project) -> dict[str, Any]:
    """The codebook as nested nodes with passages and participants per theme."""
    from ..terms import level_of, project_levels

    cb = p.codebook
    counts = p.theme_counts()
    colours = theme_colours(p)
    n_people = p.summary()["participants"]
    levels = project_levels(p)  # the codebook's own level names, else the preset's

    def node(t: Theme) -> dict[str, Any]:
        passages, people = counts.get(t.number, (0, 0))
        return {"number": t.number, "label": t.label, "description": t.description,
                "inclusion": t.inclusion, "exclusion": t.exclusion, "colour": colours[t.id],
                "own_colour": t.colour, "retired": t.retired, "passages": passages,
                "people": people, "level": level_of(levels, cb.depth(t)),
                "parent": cb.get(t.parent_id).number if t.parent_id else "",
                "children": [node(k) for k in cb.children(t)]}

    return {"name": cb.name, "roots": [node(t) for t in cb.roots()], "participants": n_people,
            "flat": themes(p)}


def frame(df) -> dict[str, Any]:
    """A DataFrame as header and rows of text, for an escaped HTML table."""
    cols = [str(c) for c in df.columns]
    rows = [["" if v is None or v != v else str(v) for v in row]
            for row in df.itertuples(index=False)]
    return {"columns": cols, "rows": rows}


def heat(df) -> dict[str, Any]:
    """Counts per theme and participant with a shade for each cell (0-1 of the maximum);
    the table's summary row (no total) is left out."""
    people = [c for c in df.columns if c not in ("Theme", "Total", "Meets recurrence")]
    body = [r for _, r in df.iterrows() if _int(r.get("Total")) or str(r.get("Total")) == "0"]
    top = max([1] + [_int(r[c]) for r in body for c in people])
    rows = [{"theme": str(r["Theme"]),
             "cells": [{"n": _int(r[c]), "shade": round(_int(r[c]) / top, 2)} for c in people]}
            for r in body]
    return {"people": people, "rows": rows}


def _int(v: Any) -> int:
    try:
        return int(v)
    except (TypeError, ValueError):
        return 0


def search(p: Project, term: str) -> list[dict[str, Any]]:
    if not term.strip():
        return []
    df = p.search(term)
    return [{"participant": r.participant, "transcript": r.transcript, "line": int(r.line),
             "left": r.left, "match": r.match, "right": r.right, "citation": r.citation,
             "themes": r.themes} for r in df.itertuples()]
