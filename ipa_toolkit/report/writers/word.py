"""Word: APA-style tables (caption above, horizontal rules only, merged theme cells)."""

from __future__ import annotations

from pathlib import Path

from ..stamp import document_time, stable_zip
from . import caption, display_rows, shown_columns, spans

SUFFIXES = (".docx",)
PAGE_WIDTH_CM = 16.0


def new_document():
    import docx
    from docx.shared import Cm, Pt

    d = docx.Document()
    for s in d.sections:
        s.left_margin = s.right_margin = Cm(2.5)
        s.top_margin = s.bottom_margin = Cm(2.5)
    normal = d.styles["Normal"]
    normal.font.name = "Times New Roman"
    normal.font.size = Pt(12)
    props = d.core_properties
    props.author = props.last_modified_by = "ipa-toolkit"
    props.created = props.modified = document_time()
    props.revision = 1
    return d


def _border(element, edges: dict[str, int]) -> None:
    """Set single borders of the given sizes (eighths of a point; 0 = none)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    for edge, size in edges.items():
        b = element.find(qn(f"w:{edge}"))
        if b is None:
            b = OxmlElement(f"w:{edge}")
            element.append(b)
        b.set(qn("w:val"), "single" if size else "nil")
        if size:
            b.set(qn("w:sz"), str(size))
            b.set(qn("w:space"), "0")
            b.set(qn("w:color"), "000000")


def _child(parent, tag: str):
    """The ``w:tag`` child of ``parent``, made if missing."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    el = parent.find(qn(f"w:{tag}"))
    if el is None:
        el = OxmlElement(f"w:{tag}")
        parent.append(el)
    return el


def _table_rules(table) -> None:
    _border(_child(table._tbl.tblPr, "tblBorders"),
            {"top": 12, "left": 0, "bottom": 12, "right": 0, "insideH": 0, "insideV": 0})


def _fixed_layout(table) -> None:
    from docx.oxml.ns import qn

    _child(table._tbl.tblPr, "tblLayout").set(qn("w:type"), "fixed")


def _cell_bottom(cell, size: int) -> None:
    _border(_child(cell._tc.get_or_add_tcPr(), "tcBorders"), {"bottom": size})


def _widths(cols: list[str], rows: list[tuple[str, list[str]]], points: float) -> list[float]:
    """Column widths (cm): never narrower than the longest word, the rest shared by need."""
    char_cm = 0.021 * points  # a generous average glyph width of a serif font
    pad = 0.45  # Word's default cell margins, plus a little air
    minimum, want = [], []
    for i, c in enumerate(cols):
        texts = [c] + [cells[i] for k, cells in rows if k == "row"]
        word = max((len(w) for t in texts for w in t.split()), default=1)
        minimum.append(min(word, 22) * char_cm + pad)
        want.append(max(min(max(len(t) for t in texts), 55) * char_cm + pad, minimum[-1]))
    if sum(want) <= PAGE_WIDTH_CM:
        return want
    if sum(minimum) >= PAGE_WIDTH_CM:
        return [PAGE_WIDTH_CM * m / sum(minimum) for m in minimum]
    spare = PAGE_WIDTH_CM - sum(minimum)
    extra = [w - m for w, m in zip(want, minimum, strict=True)]
    return [m + spare * e / sum(extra) for m, e in zip(minimum, extra, strict=True)]


def add_table(d, df, number=1) -> None:
    """Append a captioned table to a python-docx Document."""
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.shared import Cm, Pt

    label, title = caption(df, number)
    p = d.add_paragraph()
    p.add_run(label).bold = True
    p.add_run(" ")
    p.add_run(title).italic = True
    p.paragraph_format.keep_with_next = True
    cols = shown_columns(df)
    rows = display_rows(df)
    size = Pt(10) if len(cols) <= 8 else Pt(8)
    t = d.add_table(rows=1 + len(rows), cols=len(cols))
    t.alignment = WD_TABLE_ALIGNMENT.LEFT
    t.autofit = False
    _table_rules(t)
    widths = _widths(cols, rows, size.pt)

    def put(cell, text, *, bold=False, italic=False):
        cell.text = ""
        para = cell.paragraphs[0]
        para.paragraph_format.space_after = Pt(2)
        para.paragraph_format.space_before = Pt(2)
        run = para.add_run(text)
        run.font.size = size
        run.bold = bold
        run.italic = italic

    # python-docx's table.cell(r, c) rebuilds the whole grid on each call (quadratic);
    # take every cell once, then work on this grid
    grid = [list(row.cells) for row in t.rows]
    _fixed_layout(t)
    for ci, col in enumerate(t.columns):
        col.width = Cm(widths[ci])
    for row in grid:
        for ci, cell in enumerate(row):
            cell.width = Cm(widths[ci])
    for ci, c in enumerate(cols):
        put(grid[0][ci], c, bold=True)
        _cell_bottom(grid[0][ci], 6)
    _child(t.rows[0]._tr.get_or_add_trPr(), "tblHeader")  # repeated on each page
    if len(rows) <= 25:  # a short table stays on one page with its caption
        for row in grid[:-1]:
            for cell in row:
                for para in cell.paragraphs:
                    para.paragraph_format.keep_with_next = True
    covered = {(i, ci) for ci, first, last in spans(df) for i in range(first + 1, last + 1)}
    for i, (kind, cells) in enumerate(rows, start=1):
        if kind == "group":
            merged = grid[i][0].merge(grid[i][-1]) if len(cols) > 1 else grid[i][0]
            put(merged, cells[0], italic=True)
            continue
        for ci, text in enumerate(cells):
            put(grid[i][ci], "" if (i - 1, ci) in covered else text)
    for ci, first, last in spans(df):
        top = grid[first + 1][ci]
        text = top.text
        put(top.merge(grid[last + 1][ci]), text)
    if df.attrs.get("note"):
        n = d.add_paragraph()
        r = n.add_run(df.attrs["note"])
        r.italic = True
        r.font.size = Pt(10)
    d.add_paragraph()


def write(df, path: Path, number=1) -> None:
    d = new_document()
    add_table(d, df, number)
    d.save(str(path))
    stable_zip(path)
