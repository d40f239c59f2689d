"""Spreadsheet safety: text we write never becomes a live formula (CSV/formula injection).

Participants' words and attribute values reach spreadsheets. A cell such as
``=HYPERLINK(...)`` or ``+cmd|' /C calc'!A0`` would run when a colleague opens the file, so:

- CSV cells that begin with ``= + - @``, a tab or a carriage return get a leading single
  quote (the OWASP rule); numbers, and text that is just a number such as ``-2``, stay as
  they are. ``raw`` output (``--raw`` on the command line) skips this.
- ``.xlsx`` cells holding text are stored as text, never as formulas (no quote needed).

One place for the rule, used by every writer. ``restore`` undoes ``neutralise`` exactly,
for files we read back (plain-files export).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

_TRIGGER = re.compile(r"'*[=+\-@\t\r]")
_ESCAPED = re.compile(r"'+[=+\-@\t\r]")
LEADS = frozenset("'=+-@\t\r")  # what a cell that _TRIGGER matches can start with
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def neutralise(value: Any) -> Any:
    """A cell value safe for CSV: formula-like text gets a leading ``'``; others unchanged.

    Text already starting with quotes before a trigger gets one more, so ``restore`` can
    always tell an added quote from one the data had.
    """
    if (isinstance(value, str) and value[:1] in LEADS and _TRIGGER.match(value)
            and not _NUMBER.fullmatch(value)):
        return "'" + value
    return value


def restore(value: str) -> str:
    """Undo ``neutralise`` (for CSV files we wrote and read back)."""
    return value[1:] if _ESCAPED.match(value) else value


def neutralise_frame(df: pd.DataFrame, raw: bool = False) -> pd.DataFrame:
    """The frame with every text cell (and column name) neutralised; as is when ``raw``
    or when the frame says so (``df.attrs["raw"]``, set by ``--raw``)."""
    if raw or df.attrs.get("raw"):
        return df
    out = df.copy(deep=False)
    for i in range(df.shape[1]):  # only columns holding a cell to change are rebuilt
        values = df.iloc[:, i].tolist()
        if any(isinstance(v, str) and v[:1] in LEADS for v in values):
            out.isetitem(i, [neutralise(v) for v in values])
    out.columns = [neutralise(c) for c in df.columns]
    out.attrs = dict(df.attrs)
    return out


def text_not_formulas(workbook: Any) -> Any:
    """Every cell openpyxl took for a formula (text starting with ``=``) stored as text.

    We never write formulas, so any formula cell is data that must stay inert.
    """
    for ws in workbook.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    cell.data_type = "s"
    return workbook
