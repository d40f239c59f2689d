"""Spreadsheet safety: text we write never becomes a live formula (CSV/formula injection).

Participants' words and attribute values reach spreadsheets. A cell such as
``=HYPERLINK(...)`` or ``+cmd|' /C calc'!A0`` would run when a colleague opens the file, so:

- CSV cells that begin with ``= + - @``, a tab or a carriage return get a leading single
  quote (the OWASP rule); numbers, and text that is just a number such as ``-2``, stay as
  they are. ``raw`` output (``--raw`` on the command line) skips this.
- ``.xlsx`` cells holding text are stored as text, never as formulas or links (no quote
  needed): workbooks are made by ``new_xlsx`` (with ``XLSX_OPTIONS``), filled through
  ``write_cell`` and saved, dated like every file we write, by ``save_xlsx``.

One place for the rule, used by every writer. ``restore`` undoes ``neutralise`` exactly,
for files we read back (plain-files export).
"""

from __future__ import annotations

import datetime as dt
import decimal
import numbers
import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from pathlib import Path

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


# XlsxWriter turns text starting with "=" into a formula and "http://..." into a link
# unless told not to; numbers stay numbers only when they are numbers.
XLSX_OPTIONS = {"strings_to_formulas": False, "strings_to_urls": False,
                "strings_to_numbers": False, "remove_timezone": True,
                "default_date_format": "yyyy-mm-dd h:mm:ss"}
CELL_LIMIT = 32_767  # Excel's most characters (UTF-16 units) in a cell
CUT_MARK = " [\u2026]"  # ends a cell cut to CELL_LIMIT (" […]")
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\r\ufffe\uffff\ud800-\udfff]")
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def xlsx_text(text: str) -> str:
    """Text as an .xlsx cell can hold it, so writing never fails on odd input.

    Line ends become ``\\n`` (XML readers did that to ``\\r`` anyway); the characters XML 1.0
    cannot carry (other C0 controls, U+FFFE, U+FFFF, lone surrogates) become U+FFFD, so a
    reader sees that something stood there. Excel's own ``_x0001_`` escape is not used:
    openpyxl, which reads our sheets back, would return it as those seven characters.
    """
    if _NOT_XML.search(text) is None:
        return text
    return _CONTROL.sub("\ufffd", text.replace("\r\n", "\n").replace("\r", "\n"))


def utf16_len(text: str) -> int:
    """Length as Excel counts it (characters beyond U+FFFF count twice)."""
    return len(text) if text.isascii() else len(text.encode("utf-16-le", "surrogatepass")) // 2


def cut_to_cell(text: str) -> str:
    """``text`` cut to fit a cell, ending with ``CUT_MARK`` (unchanged when it fits)."""
    if len(text) <= CELL_LIMIT // 2 or utf16_len(text) <= CELL_LIMIT:
        return text
    room = 2 * (CELL_LIMIT - len(CUT_MARK))
    head = text.encode("utf-16-le", "surrogatepass")[:room]
    return head.decode("utf-16-le", "ignore") + CUT_MARK  # never half a surrogate pair


def write_cell(ws: Any, row: int, col: int, value: Any, style: Any = None) -> bool:
    """One value into an XlsxWriter worksheet as what it is: numbers and booleans as such,
    empty for None/NaN/NA and "", dates as dates, anything else as text (``xlsx_text``, cut to
    ``CELL_LIMIT``). Never a formula or a link. True when the text had to be cut."""
    kind = type(value)
    if kind is str and value:  # most cells: straight to text
        return _write_text(ws, row, col, value, style)
    if (value is None or kind.__name__ in ("NAType", "NaTType")
            or (isinstance(value, str) and not value)):
        if style is not None:
            ws.write_blank(row, col, None, style)
        return False
    if kind is bool or kind.__name__ == "bool_":
        ws.write_boolean(row, col, bool(value), style)
        return False
    if isinstance(value, numbers.Real | decimal.Decimal):
        try:
            number = float(value)
        except OverflowError:  # an integer past what Excel can hold: its digits as text
            number = _INF
        if number != number:  # NaN: an empty cell
            if style is not None:
                ws.write_blank(row, col, None, style)
            return False
        if number not in (_INF, -_INF):
            ws.write_number(row, col, value if kind is int else number, style)
            return False
    elif isinstance(value, dt.date):  # a date column is never wrapped: its own format
        ws.write_datetime(row, col, value, style)
        return False
    return _write_text(ws, row, col, str(value), style)


def _write_text(ws: Any, row: int, col: int, value: str, style: Any) -> bool:
    text = xlsx_text(value)
    cut = cut_to_cell(text)
    ws.write_string(row, col, cut, style)
    return cut is not text


_INF = float("inf")


def new_xlsx():
    """An XlsxWriter workbook built in memory, by "ipa-toolkit", dated ``document_time()``;
    its text cells stay text (``XLSX_OPTIONS``: no formulas, links or numbers made
    of text). Fill it with ``write_cell`` and save it with ``save_xlsx``."""
    import io

    import xlsxwriter

    from ..stamp import document_time

    workbook = xlsxwriter.Workbook(io.BytesIO(), {**XLSX_OPTIONS, "in_memory": True})
    workbook.set_properties({"author": "ipa-toolkit", "created": document_time()})
    return workbook


def save_xlsx(workbook, path: Path) -> None:
    """A ``new_xlsx`` workbook closed and written to ``path``, every zip entry dated
    ``document_time()`` (XlsxWriter dates them 1980-01-01)."""
    from ..stamp import write_redated

    workbook.close()
    write_redated(path, workbook.filename.getvalue())
