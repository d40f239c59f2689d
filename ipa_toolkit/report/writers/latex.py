"""LaTeX: a booktabs table (needs \\usepackage{booktabs}, amssymb for ticks, and pdflscape
for a table too wide for a portrait page, which is set on a landscape page, not shrunk)."""

from __future__ import annotations

from pathlib import Path

from . import blank_repeats, caption, note_text, shown_columns

SUFFIXES = (".tex",)
_SPECIAL = {"\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#",
            "_": r"\_", "{": r"\{", "}": r"\}", "~": r"\textasciitilde{}",
            "^": r"\textasciicircum{}", "✓": r"$\checkmark$", "“": "``", "”": "''"}


_TABLE = str.maketrans(_SPECIAL)


def escape(text: str) -> str:
    """LaTeX's special characters escaped (one translate: a step per character in Python
    was most of a large table's .tex)."""
    return text.translate(_TABLE)


def render(df, number=1) -> str:
    _, title = caption(df, number)
    cols = shown_columns(df)
    rows = blank_repeats(df)
    widths = []
    for i, c in enumerate(cols):
        longest = max([len(c)] + [len(cells[i]) for k, cells in rows if k == "row"])
        widths.append(r"p{5cm}" if longest > 45 else "l")
    name = df.attrs.get("name", "table")
    out = [r"\begin{table}[htbp]", r"\centering", r"\small",
           rf"\caption{{{escape(title)}}}", rf"\label{{tab:{name}}}",
           rf"\begin{{tabular}}{{{''.join(widths)}}}", r"\toprule",
           " & ".join(escape(c) for c in cols) + r" \\", r"\midrule"]
    for kind, cells in rows:
        if kind == "group":
            out.append(rf"\multicolumn{{{len(cols)}}}{{l}}{{\textit{{{escape(cells[0])}}}}} \\")
        else:
            out.append(" & ".join(escape(c) for c in cells) + r" \\")
    out += [r"\bottomrule", r"\end{tabular}"]
    if note_text(df):
        out.append(rf"\par\smallskip{{\footnotesize \textit{{Note.}} {escape(note_text(df))}}}")
    out.append(r"\end{table}")
    from .word import wants_landscape

    if wants_landscape(df):
        out = [r"\begin{landscape}", *out, r"\end{landscape}"]
    return "\n".join(out) + "\n"


def write(df, path: Path, number=1) -> None:
    Path(path).write_text(render(df, number), encoding="utf-8", newline="")
