"""Markdown: a caption line, a pipe table, group headings as bold rows."""

from __future__ import annotations

from pathlib import Path

from . import blank_repeats, caption, note_text, shown_columns

SUFFIXES = (".md",)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", "<br>")


def render(df, number=1) -> str:
    label, title = caption(df, number)
    cols = shown_columns(df)
    head = f"**{label}** *{title}*" if label else f"*{title}*"
    out = [head, "", "| " + " | ".join(map(_cell, cols)) + " |",
           "|" + "|".join("---" for _ in cols) + "|"]
    for kind, cells in blank_repeats(df):
        if kind == "group":
            out.append(f"| **{_cell(cells[0])}** |" + " |" * (len(cols) - 1))
        else:
            out.append("| " + " | ".join(_cell(c) for c in cells) + " |")
    if note_text(df):
        out += ["", f"*Note.* {note_text(df)}"]
    return "\n".join(out) + "\n"


def write(df, path: Path, number=1) -> None:
    Path(path).write_text(render(df, number), encoding="utf-8", newline="")
