"""Turning library results into text for a person: terminal tables, CSV, JSON, the
transcript with its margin (``ipa show``) and a project in Jupyter. No analysis here."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from ..errors import InputError

if TYPE_CHECKING:  # pragma: no cover
    from collections.abc import Iterable, Sequence

    import pandas as pd

    from ..codebook.tree import Codebook
    from ..model import Coding, Line, Transcript
    from ..protocols import ProjectLike

FORMATS = ("table", "csv", "json")


def shorten(text: Any, width: int) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= width else text[: width - 1] + "…"


def render(df: pd.DataFrame, fmt: str = "table", *, wide: tuple[str, ...] = (),
           width: int = 60, raw: bool = False) -> str:
    """A DataFrame as a terminal table (long text columns shortened), CSV or JSON.

    CSV is meant for spreadsheets: formula-like text gets a leading quote unless ``raw``.
    """
    if fmt == "csv":
        from ..sheets.cells import neutralise_frame

        return neutralise_frame(df, raw).to_csv(index=False, lineterminator="\n")
    if fmt == "json":
        return json.dumps(df.to_dict(orient="records"), ensure_ascii=False, indent=2,
                          default=str) + "\n"
    if df.empty:
        return "(none)\n"
    shown = df.copy()
    for col in wide:
        if col in shown:
            shown[col] = shown[col].map(lambda v: shorten(v, width))
    return shown.to_string(index=False) + "\n"


def coverage(cb: Codebook, codings: Iterable[Coding], first: int, last: int
             ) -> dict[int, set[str]]:
    """Line number -> numbers of the themes coded on it, for the lines first..last."""
    cover: dict[int, set[str]] = {}
    for c in codings:
        if c.status == "orphaned" or c.end_line < first or c.start_line > last:
            continue
        for n in range(max(c.start_line, first), min(c.end_line, last) + 1):
            cover.setdefault(n, set()).add(cb.get(c.theme_id).number)
    return cover


def margin_text(t: Transcript, rows: Sequence[Line], cover: dict[int, set[str]], first: int,
                last: int, *, speaker: str | None = None, margin: bool = True) -> str:
    """Line-numbered transcript text with a right margin of theme numbers (``ipa show``)."""
    from ..model import natural_key

    timed = any(ln.timestamp for ln in rows)
    num_w = len(str(last))
    out = [f"{t.name} ({t.participant}), lines {first}-{last} of {t.n_lines}"]
    for ln in rows:
        if speaker and ln.role != speaker:
            continue
        themes = " ".join(sorted(cover.get(ln.number, ()), key=natural_key))
        body = ln.text.ljust(t.width) if margin else ln.text
        row = f"{ln.number:>{num_w}}  {body}"
        if timed:
            row = f"{ln.number:>{num_w}}  {ln.timestamp or '':8}  {body}"
        if margin:
            row += f" | {themes}"
        out.append(row.rstrip())
    return "\n".join(out)


def show(project: ProjectLike, ref: str, lines: tuple[int, int] | str | None, *,
         transcript: str | None, speaker: str | None, margin: bool) -> str:
    """The line-numbered transcript with a margin of the themes covering each line."""
    from ..ingest.anchor import parse_line_range

    t = project.transcript(ref, transcript)
    if isinstance(lines, str):
        lines = parse_line_range(lines)
    first, last = lines if lines else (1, t.n_lines)
    if first < 1 or last > t.n_lines or first > last:
        raise InputError(f"lines {first}-{last} are outside {t.name} "
                         f"(lines 1-{t.n_lines})")
    store = project.store
    cover = {} if not margin else coverage(
        project.codebook, store.codings(transcript_id=t.id), first, last)
    return margin_text(t, store.lines(t.id, first, last), cover, first, last,
                       speaker=speaker, margin=margin)


def repr_html(project: ProjectLike) -> str:
    """A project in Jupyter: what it holds and its codebook with counts."""
    from html import escape

    from ..report.tables import codebook
    from ..report.writers.html import render as html

    s = project.store.summary()
    head = (f"<p><b>ipa project</b> {escape(str(project.folder))}: "
            + ", ".join(f"{v} {k}" for k, v in s.items()) + "</p>")
    if not s["themes"]:
        return head
    return head + html(codebook(project), 1, standalone=False)
