"""Excel: a caption row, a bold header, the data flat (ready to sort and filter)."""

from __future__ import annotations

import copy
from pathlib import Path

from . import caption, note_text

SUFFIXES = (".xlsx",)


def write(df, path: Path, number=1) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter

    from ..stamp import document_time, stable_zip

    label, title = caption(df, number)
    wb = Workbook()
    ws = wb.active
    ws.title = (df.attrs.get("name") or "table")[:31]
    ws.append([f"{label} {title}".strip()])
    ws["A1"].font = Font(bold=True)
    ws.append([str(c) for c in df.columns])
    rule = Side(style="thin")
    header = ws[2]
    header[0].font = Font(bold=True)
    header[0].border = Border(top=rule, bottom=rule)
    for cell in header[1:]:  # the same style, copied: a new Font and Border per cell are
        cell._style = copy.copy(header[0]._style)  # each looked up again (slow when wide)
    cells = df.to_numpy(dtype=object).tolist()  # Python values, row by row, in one go
    for row in cells:
        ws.append([None if (isinstance(v, float) and v != v) else v for v in row])
    if note_text(df):
        from openpyxl.cell.rich_text import CellRichText, TextBlock
        from openpyxl.cell.text import InlineFont

        ws.append([])
        ws.append([CellRichText(TextBlock(InlineFont(i=True), "Note."),
                                " " + note_text(df))])
    for i, col in enumerate(df.columns, start=1):
        longest = max([len(str(col))] + [len(str(row[i - 1])) for row in cells] or [8])
        ws.column_dimensions[get_column_letter(i)].width = min(max(8, longest + 2), 60)
        if longest > 60:
            column = ws[get_column_letter(i)][2:]
            wrap = Alignment(wrap_text=True, vertical="top")
            plain, styled = None, None  # a plain cell's style, wrapped once and copied
            for cell in column:  # (setting each cell's was looked up again, 0.1 s per
                if styled is not None and cell._style == plain:  # 1,000 rows)
                    cell._style = copy.copy(styled)
                    continue
                before = copy.copy(cell._style)
                cell.alignment = wrap
                if styled is None:
                    plain, styled = before, cell._style
    ws.freeze_panes = "A3"
    wb.properties.creator = "ipa-toolkit"
    wb.properties.created = wb.properties.modified = document_time()
    # Workbook.save stamps "modified" with the clock; write through ExcelWriter so the
    # fixed date stays and the same table gives the same workbook.
    import io
    import zipfile

    from openpyxl.writer.excel import ExcelWriter

    from ...cells import text_not_formulas

    text_not_formulas(wb)
    buffer = io.BytesIO()  # stored, not compressed: stable_zip compresses it once
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED, allowZip64=True) as archive:
        ExcelWriter(wb, archive).save()
    stable_zip(path, buffer.getvalue())
