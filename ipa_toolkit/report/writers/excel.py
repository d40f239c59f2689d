"""Excel: a caption row, a bold header, the data flat (ready to sort and filter).

Written with XlsxWriter (write-only; openpyxl reads workbooks): in the report's child that
writes the table files it imports in about a third of openpyxl's time and writes each
small workbook in a few milliseconds. Text cells are text, never formulas or links
(``sheets.cells.write_cell``).
"""

from __future__ import annotations

import re
from pathlib import Path

from . import caption, note_text

SUFFIXES = (".xlsx",)
WIDE = 60  # columns whose longest cell is longer wrap, top-aligned, at this width
_SHEET_NAME_REFUSED = re.compile(r"[\[\]:*?/\\]")  # characters Excel refuses in a sheet name
_ESCAPE_LIKE = re.compile(r"_x[0-9A-Fa-f]{4}_")
CUT_NOTE = ("Cells ending [\u2026] are cut to Excel's limit of 32,767 characters; the .csv "
            "table holds them whole.")


def sheet_name(name: str | None) -> str:
    """A name Excel accepts: its refused characters as ``_``, no apostrophe at either end,
    at most 31 characters, never empty (``table``) nor the reserved ``History``."""
    from ...sheets.cells import utf16_len, xlsx_text

    name = _SHEET_NAME_REFUSED.sub("_", xlsx_text(name or "")).strip("'")
    while utf16_len(name) > 31:
        name = name[:-1]
    name = name.strip("'") or "table"
    return name + "_" if name.lower() == "history" else name


def write(df, path: Path, number=1) -> None:
    from ...sheets.cells import CELL_LIMIT, new_xlsx, save_xlsx, write_cell, xlsx_text

    label, title = caption(df, number)
    wb = new_xlsx()
    ws = wb.add_worksheet(sheet_name(df.attrs.get("name")))
    bold = wb.add_format({"bold": True})
    header = wb.add_format({"bold": True, "top": 1, "bottom": 1})  # thin rules
    wrap = wb.add_format({"text_wrap": True, "valign": "top"})
    write_cell(ws, 0, 0, f"{label} {title}".strip(), bold)
    for col, name in enumerate(df.columns):
        write_cell(ws, 1, col, str(name), header)
    cells = df.to_numpy(dtype=object).tolist()  # Python values, row by row, in one go
    longest = [max([len(str(name))] + [len(str(row[col])) for row in cells])
               for col, name in enumerate(df.columns)]
    wide = {col for col, n in enumerate(longest) if n > WIDE}
    cut = False
    for r, row in enumerate(cells, start=2):
        for col, value in enumerate(row):
            cut |= write_cell(ws, r, col, value, wrap if col in wide else None)
    last = len(cells) + 1
    note = note_text(df)
    if cut:
        note = f"{note} {CUT_NOTE}".strip()
    if note:
        last += 2  # after a blank row
        text = xlsx_text(" " + note)
        style = wrap if 0 in wide else None
        # XlsxWriter escapes a rich string's _xHHHH_ twice and drops one over the cell
        # limit: such a note is plain text, its words kept (or cut visibly)
        if _ESCAPE_LIKE.search(text) or len(text) > CELL_LIMIT // 2:
            write_cell(ws, last, 0, "Note." + text, style)
        else:
            italic = wb.add_format({"italic": True})
            if style is None:
                ws.write_rich_string(last, 0, italic, "Note.", text)
            else:
                ws.write_rich_string(last, 0, italic, "Note.", text, style)
    for r in range(len(cells) + 2, last + 1):  # the wrapped columns' style down to the
        for col in wide - ({0} if r == last else set()):  # note's row, empty cells too
            ws.write_blank(r, col, None, wrap)
    for col, n in enumerate(longest):  # in Excel's stored units (what openpyxl wrote):
        ws.set_column_pixels(col, col, 7 * min(max(8, n + 2), WIDE))  # 7 pixels each
    ws.freeze_panes(2, 0)
    save_xlsx(wb, path)
