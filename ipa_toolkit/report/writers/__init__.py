"""Table writers, one module per format, found by file suffix.

A module here that defines ``SUFFIXES`` and ``write(df, path, number)`` is a format; text
formats also define ``render(df, number) -> str`` so the CLI can print them.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

from ...errors import InputError

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

FORMAT_SUFFIX = {"docx": ".docx", "xlsx": ".xlsx", "csv": ".csv", "md": ".md", "tex": ".tex",
                 "html": ".html"}


@cache
def formats() -> dict[str, ModuleType]:
    from ...registry import by_suffix

    return by_suffix(__name__, __path__)


def writer(suffix: str) -> ModuleType:
    suffix = suffix.lower() if suffix.startswith(".") else FORMAT_SUFFIX.get(suffix.lower(),
                                                                             "." + suffix)
    module = formats().get(suffix)
    if module is None:
        raise InputError(f"no table writer for '{suffix}'",
                         hint="formats: " + ", ".join(sorted(s.lstrip(".") for s in formats())))
    return module


def caption(df: pd.DataFrame, number: int | str | None) -> tuple[str, str]:
    """('Table 1.', 'Participant information.') as APA puts them above a table; with no
    number (a table standing alone), the label is empty."""
    title = df.attrs.get("title", "")
    label = "" if number is None else f"Table {number}."
    return label, title + ("" if title.endswith(".") else ".")


def note_text(df: pd.DataFrame) -> str:
    """The table's general note without its "Note." lead (writers set that in italics)."""
    return str(df.attrs.get("note") or "").removeprefix("Note.").strip()


def display_rows(df: pd.DataFrame) -> list[tuple[str, list[str]]]:
    """Rows as writers show them: ('group', [label]) headings and ('row', cells).

    The group column becomes a heading row whenever it changes; repeated cells of merge
    columns are blanked (writers that can merge cells use ``spans`` instead). Built column
    by column: a report calls this for every table and format, and ``iterrows`` made it
    the slowest step of a large table.
    """
    group = df.attrs.get("group")
    names = list(df.columns)
    columns = df.to_numpy(dtype=object).T.tolist() if names else []  # Python scalars
    cells = [[_text(v) for v in r] for r in zip(*(c for i, c in enumerate(columns)
                                                    if names[i] != group), strict=True)]
    if len(cells) < len(df):  # no shown columns
        cells = [[] for _ in range(len(df))]
    if group is None:
        return [("row", c) for c in cells]
    out: list[tuple[str, list[str]]] = []
    last_group = object()
    for g, c in zip(columns[names.index(group)], cells, strict=True):
        if g != last_group:
            last_group = g
            out.append(("group", [str(g)]))
        out.append(("row", c))
    return out


def spans(df: pd.DataFrame, rows: list[tuple[str, list[str]]] | None = None
          ) -> list[tuple[int, int, int]]:
    """(column index, first row, last row) of runs of equal cells in merge columns.

    Indices are over ``display_rows`` (heading rows included; pass them as ``rows`` when
    already built), columns over the shown ones.
    """
    group = df.attrs.get("group")
    cols = [c for c in df.columns if c != group]
    merge = [cols.index(c) for c in df.attrs.get("merge", []) if c in cols]
    rows = display_rows(df) if rows is None else rows
    out = []
    for ci in merge:
        start = None
        for i, (kind, cells) in enumerate([*rows, ("end", [])]):
            same = (kind == "row" and start is not None and cells[ci] == rows[start][1][ci]
                    and cells[ci] != "")
            if same:
                continue
            if start is not None and i - 1 > start:
                out.append((ci, start, i - 1))
            start = i if kind == "row" else None
    return out


def blank_repeats(df: pd.DataFrame) -> list[tuple[str, list[str]]]:
    """display_rows with repeated merge-column cells left empty (for formats without spans)."""
    rows = display_rows(df)
    for ci, first, last in spans(df, rows):
        for i in range(first + 1, last + 1):
            rows[i][1][ci] = ""
    return rows


def shown_columns(df: pd.DataFrame) -> list[str]:
    return [str(c) for c in df.columns if c != df.attrs.get("group")]


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        if value != value:  # NaN
            return ""
        return f"{value:g}"
    return str(value)


def write_table(df: pd.DataFrame, path: Path, number: int | str | None = 1) -> Path:
    """Write one table; the format follows the suffix."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    writer(path.suffix).write(df, path, number)
    return path
