"""Markdown: a caption line, a pipe table, group headings as bold rows."""

from __future__ import annotations

from pathlib import Path

from . import blank_repeats, caption, note_text, shown_columns

SUFFIXES = (".md",)


# HTML as entities and Markdown's own syntax escaped: a theme label, quote or participant ID
# such as '<img src=x onerror=...>' or '[x](javascript:...)' shows as written in a viewer
_MD = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\\": "\\\\", "`": "\\`",
                     "*": "\\*", "_": "\\_", "[": "\\[", "]": "\\]", "|": "\\|"})


def text(value: object) -> str:
    """Data as Markdown text: never HTML, a link or emphasis."""
    return str(value).translate(_MD)


def _cell(value: str) -> str:
    return text(value).replace("\n", "<br>")


def render(df, number=1) -> str:
    label, title = caption(df, number)
    cols = shown_columns(df)
    head = f"**{text(label)}** *{text(title)}*" if label else f"*{text(title)}*"
    out = [head, "", "| " + " | ".join(map(_cell, cols)) + " |",
           "|" + "|".join("---" for _ in cols) + "|"]
    for kind, cells in blank_repeats(df):
        if kind == "group":
            out.append(f"| **{_cell(cells[0])}** |" + " |" * (len(cols) - 1))
        else:
            out.append("| " + " | ".join(_cell(c) for c in cells) + " |")
    if note_text(df):
        out += ["", f"*Note.* {text(note_text(df))}"]
    return "\n".join(out) + "\n"


def write(df, path: Path, number=1) -> None:
    Path(path).write_text(render(df, number), encoding="utf-8", newline="")
