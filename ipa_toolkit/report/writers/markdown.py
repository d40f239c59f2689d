"""Markdown: a caption line, a pipe table, group headings as bold rows."""

from __future__ import annotations

from pathlib import Path

from . import blank_repeats, caption, shown_columns

SUFFIXES = (".md",)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", "<br>")


def render(df, number=1) -> str:
    label, title = caption(df, number)
    cols = shown_columns(df)
    out = [f"**{label}** *{title}*", "", "| " + " | ".join(map(_cell, cols)) + " |",
           "|" + "|".join("---" for _ in cols) + "|"]
    for kind, cells in blank_repeats(df):
        if kind == "group":
            out.append(f"| **{_cell(cells[0])}** |" + " |" * (len(cols) - 1))
        else:
            out.append("| " + " | ".join(_cell(c) for c in cells) + " |")
    if df.attrs.get("note"):
        out += ["", f"*{df.attrs['note']}*"]
    return "\n".join(out) + "\n"


def write(df, path: Path, number=1) -> None:
    Path(path).write_text(render(df, number), encoding="utf-8", newline="")
