"""Word: APA-style tables (caption above, horizontal rules only, merged theme cells)."""

from __future__ import annotations

import copy
import functools
import re
import threading
from pathlib import Path

from ...stamp import document_time, write_zip
from . import caption, display_rows, shown_columns, spans

SUFFIXES = (".docx",)
PAGE_WIDTH_CM = 16.0


FONT = "Times New Roman"
BODY_PT = 10  # every table, every cell: APA wants one size across tables
# Text width between 2.5 cm margins on the narrower of US Letter and A4 (the document is
# Letter; a reader's Word may switch it to A4): 27.94 cm long side on Letter, 21.0 short on A4
LANDSCAPE_WIDTH_CM = 22.9  # 27.94 - 5.0, less rounding
TICK_FONT = "Segoe UI Symbol"  # has U+2713 in Word; LibreOffice falls back to one font too
LONG_TEXT_CM = 5.0  # a long-text column narrower than this runs to many pages
SHORT_CM = 3.5  # a column narrower than this naturally keeps its natural width
STAT = re.compile(r"(?<![\w.])(M|SD|n|N|p)(?= [=<>])")


def new_document():
    """A document in one serif font, headings black in that font (not Word's blue sans),
    dated by the project (see ``ipa_toolkit.stamp``)."""
    import io

    import docx

    d = docx.Document(io.BytesIO(_template()))
    props = d.core_properties
    props.author = props.last_modified_by = "ipa-toolkit"
    props.comments = ""
    props.created = props.modified = document_time()
    props.revision = 1
    return d


KEPT_TABLE_STYLES = ("TableNormal", "TableGrid")


@functools.cache
def _template() -> bytes:
    """python-docx's default document restyled and trimmed, made once a process: that
    template defines some 130 table styles (438 KB of styles.xml, with a 438 KB copy for
    Word 2010 and a thumbnail of an empty page), so every document parsed, wrote and
    compressed a megabyte it never uses. Paragraph and character styles stay, so the
    researcher can restyle a report in Word."""
    import io

    import docx
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt, RGBColor

    d = docx.Document()
    for s in d.sections:
        s.left_margin = s.right_margin = Cm(2.5)
        s.top_margin = s.bottom_margin = Cm(2.5)
    normal = d.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(12)
    for name, size in (("Title", 16), ("Heading 1", 14), ("Heading 2", 12), ("Heading 3", 12)):
        style = d.styles[name]
        _plain_font(style.element)
        style.font.name = FONT
        style.font.size = Pt(size)
        style.font.bold = True
        style.font.color.rgb = RGBColor(0, 0, 0)
    styles = d.styles.element
    for style in styles.findall(qn("w:style")):
        if style.get(qn("w:type")) == "table" and \
                style.get(qn("w:styleId")) not in KEPT_TABLE_STYLES:
            styles.remove(style)
    for rId, rel in list(d.part.rels.items()):
        if rel.reltype.endswith("/stylesWithEffects"):
            d.part.drop_rel(rId)
    package_rels = d.part.package.rels
    for rId, rel in list(package_rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            del package_rels[rId]
    buffer = io.BytesIO()
    d.save(buffer)
    return buffer.getvalue()


def _plain_font(style_el) -> None:
    """Drop theme fonts and theme colours from a style (they override the named font)."""
    from docx.oxml.ns import qn

    rpr = style_el.find(qn("w:rPr"))
    if rpr is None:
        return
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is not None:
        for attr in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
            fonts.attrib.pop(qn(f"w:{attr}"), None)
    colour = rpr.find(qn("w:color"))
    if colour is not None:
        for attr in ("themeColor", "themeShade", "themeTint"):
            colour.attrib.pop(qn(f"w:{attr}"), None)


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


def _widths(cols: list[str], rows: list[tuple[str, list[str]]], points: float,
            page_cm: float = PAGE_WIDTH_CM) -> list[float]:
    """Column widths (cm) from content: short columns get their natural width, never
    narrower than the longest word; long-text columns (descriptions, extracts) share the
    rest by the square root of their length, so the longest text gets the most room."""
    minimum, want = _needs(cols, rows, points)
    if sum(want) <= page_cm:
        return want
    if sum(minimum) >= page_cm:
        return [page_cm * m / sum(minimum) for m in minimum]
    out = [w if w <= SHORT_CM else 0.0 for w in want]
    if sum(out) + sum(m for m, o in zip(minimum, out, strict=True) if not o) > page_cm:
        out = [0.0] * len(want)
    long_cols = [i for i, o in enumerate(out) if not o]
    while long_cols:
        room = page_cm - sum(out[i] for i in range(len(out)) if i not in long_cols)
        weight = sum(want[i] ** 0.5 for i in long_cols)
        share = {i: room * want[i] ** 0.5 / weight for i in long_cols}
        narrow = [i for i in long_cols if share[i] < minimum[i]]
        if not narrow:
            for i in long_cols:
                out[i] = share[i]
            break
        for i in narrow:
            out[i] = minimum[i]
            long_cols.remove(i)
    return out


def _needs(cols: list[str], rows: list[tuple[str, list[str]]], points: float
           ) -> tuple[list[float], list[float]]:
    """(narrowest, natural) width of each column in cm."""
    char_cm = 0.019 * points  # a generous average glyph width of a serif font
    pad = 0.4  # Word's default cell margins, plus a little air
    minimum, want = [], []
    body = [cells for k, cells in rows if k == "row"]
    for i, c in enumerate(cols):
        texts = [c, *(cells[i] for cells in body)]
        cells_only = texts[1:] or [""]
        word = max(map(len, " ".join(texts).split()), default=1)  # the longest word
        longest = max(map(len, cells_only))
        if longest <= 18:  # "(P1, 113-114)", "Summary (N = 10)"
            word = max(word, longest)
        minimum.append(min(word, 24) * char_cm * (1.1 if word == len(c) else 1) + pad)
        want.append(max(min(max(longest, len(c)), 400) * char_cm + pad, minimum[-1]))
    return minimum, want


def wants_landscape(df) -> bool:
    """A table whose columns cannot fit a portrait page without breaking words."""
    return _landscape(shown_columns(df), display_rows(df))


def _landscape(cols: list[str], rows: list[tuple[str, list[str]]]) -> bool:
    minimum, want = _needs(cols, rows, BODY_PT)
    if sum(minimum) > PAGE_WIDTH_CM or (len(cols) > 9 and sum(want) > PAGE_WIDTH_CM):
        return True
    widths = _widths(cols, rows, BODY_PT)  # a long text squeezed into a narrow column
    return any(w > 4 * LONG_TEXT_CM and got < LONG_TEXT_CM
               for w, got in zip(want, widths, strict=True))


def _orient(d, landscape: bool, *, new: bool = True) -> None:
    """Start a new section (or turn the only one) in the given orientation."""
    from docx.enum.section import WD_ORIENT, WD_SECTION

    s = d.add_section(WD_SECTION.NEW_PAGE) if new else d.sections[-1]
    long, short = max(s.page_width, s.page_height), min(s.page_width, s.page_height)
    s.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    s.page_width, s.page_height = (long, short) if landscape else (short, long)


def _runs(para, text: str, size, *, bold: bool = False, italic: bool = False) -> None:
    """Add ``text`` with statistical symbols (M, SD, n, N, p) in italics and ticks in a
    font that has the glyph."""
    for part, ital in _pieces(text, italic):
        run = _text_run(para, part)
        run.font.size = size
        run.bold = bold
        run.italic = ital
        if part == "✓":
            run.font.name = TICK_FONT
            run.italic = False


def add_note(d, note: str, size) -> None:
    """APA general note: "Note." in italics, the text roman."""
    n = d.add_paragraph()
    _text_run(n, "Note.").italic = True
    for run in n.runs:
        run.font.size = size
    _runs(n, " " + note.removeprefix("Note.").strip(), size)


def add_table(d, df, number=1, *, landscape: bool | None = None, last: bool = False,
              heading: str | None = None) -> None:
    """Append a captioned APA table to a python-docx Document.

    A table too wide for a portrait page goes on landscape pages of its own section (the
    font is never shrunk); ``last`` leaves the document in that orientation.
    """
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.shared import Cm, Pt

    cols = shown_columns(df)
    rows = display_rows(df)
    landscape = _landscape(cols, rows) if landscape is None else landscape
    if landscape:
        _orient(d, True, new=len(d.paragraphs) > 0 or len(d.tables) > 0)
    if heading:  # d.add_heading, without python-docx's XPath per run of text
        _text_run(d.add_paragraph(style="Heading 2"), heading)
    label, title = caption(df, number)
    p = d.add_paragraph()
    if label:
        _text_run(p, label).bold = True
        _text_run(p, " ")
    _text_run(p, title).italic = True
    p.paragraph_format.keep_with_next = True
    size = Pt(BODY_PT)
    t = d.add_table(rows=0, cols=len(cols))
    t.alignment = WD_TABLE_ALIGNMENT.LEFT
    t.autofit = False
    _table_rules(t)
    widths = _widths(cols, rows, size.pt, LANDSCAPE_WIDTH_CM if landscape else PAGE_WIDTH_CM)
    _fixed_layout(t)
    # the grid columns' widths set directly: ``t.columns`` would tie the table and its
    # columns in a reference cycle, keeping the table's element alive until the cyclic
    # collector runs (paused during a report), and emptying a body that holds a live
    # element makes lxml walk its whole subtree (seconds for a 500-column table)
    for gridcol, w in zip(t._tbl.tblGrid.gridCol_lst, widths, strict=True):
        gridcol.w = Cm(w)
    from docx.oxml import parse_xml

    body = _rows_xml(cols, rows, spans(df, rows), [Cm(w).twips for w in widths],
                     half_points=int(size.pt * 2))
    tbl = t._tbl
    parsed = parse_xml(f'<w:tbl xmlns:w="{_W}">{body}</w:tbl>')
    if len(cols) <= 20:  # narrow rows move whole (a third faster at 2,000 rows)
        tbl.extend(list(parsed))
    else:
        for tr in parsed:
            row = tbl.makeelement(tr.tag)  # moving a wide row whole is slow in lxml; its
            tbl.append(row)  # cells one by one are not
            row.extend(list(tr))
    if df.attrs.get("note"):
        add_note(d, df.attrs["note"], size)
    if landscape and not last:
        _orient(d, False)
    else:
        d.add_paragraph()


_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _text_run(para, text: str):
    """``para.add_run(text)``: the same run, without the XPath python-docx evaluates to
    empty it first. An XPath costs in proportion to the whole document, so after a
    2,000-row appendix each run of a caption or note took 0.1-0.5 ms."""
    run = para.add_run()
    if text:
        from docx.oxml import parse_xml

        run._r.extend(list(parse_xml(f'<w:r xmlns:w="{_W}">{_content_xml(text)}</w:r>')))
    return run


def add_picture(paragraph, path: str, width, shape_id: int) -> None:
    """``paragraph.add_run().add_picture(path, width=width)`` with the drawing's id given:
    python-docx finds the next free id by an XPath over the whole document, per picture
    (0.1 s each once the report holds its appendices). A document without other pictures
    takes ids 1, 2, 3 ... (what that search gives)."""
    from docx.oxml.shape import CT_Inline

    rid, image = paragraph.part.get_or_add_image(path)
    cx, cy = image.scaled_dimensions(width, None)
    inline = CT_Inline.new_pic_inline(shape_id, rid, image.filename, cx, cy)
    paragraph.add_run()._r.add_drawing(inline)
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_BREAKS = re.compile(r"(\t|\r|\n)")


def _rows_xml(cols: list[str], rows: list[tuple[str, list[str]]],
              merged: list[tuple[int, int, int]], twips: list[int], half_points: int) -> str:
    """Every row of the table as WordprocessingML, in one pass.

    Building the XML as text and parsing it once is linear in cells; python-docx's cell,
    paragraph and run objects cost thousands of property calls per table. The markup is
    what those calls wrote: a bold header row with a rule under it and repeated on each
    page, rows that never split across pages, cells of merge columns spanning rows
    (``vMerge``), group headings across the table (``gridSpan``), numeric columns centred,
    every paragraph kept with the next when the table is short enough for one page.
    """
    keep = len(rows) <= 25  # a short table stays on one page with its caption
    last_row = len(rows)  # grid index of the last row (the header is 0)
    numeric = [all(_is_number(cells[ci]) for k, cells in rows if k == "row" and cells[ci])
               and any(cells[ci] for k, cells in rows if k == "row") for ci in range(len(cols))]
    restart = {(first + 1, ci) for ci, first, _ in merged}
    covered = {(i + 1, ci) for ci, first, end in merged for i in range(first + 1, end + 1)}
    spacing = '<w:spacing w:after="40" w:before="40"/>'
    size = f'<w:sz w:val="{half_points}"/>'

    def cell(i: int, ci: int, text: str, *, bold: bool = False, align: str | None = None,
             extra: str = "", width: int | None = None) -> str:
        ppr = ("<w:keepNext/>" if keep and i < last_row else "") + spacing
        if align:
            ppr += f'<w:jc w:val="{align}"/>'
        return (f'<w:tc><w:tcPr><w:tcW w:type="dxa" w:w="{twips[ci] if width is None else width}"/>'
                f"{extra}</w:tcPr><w:p><w:pPr>{ppr}</w:pPr>{_runs_xml(text, size, bold)}"
                "</w:p></w:tc>")

    rule = ('<w:tcBorders><w:bottom w:val="single" w:sz="6" w:space="0" w:color="000000"/>'
            "</w:tcBorders>")
    out = ["<w:tr><w:trPr><w:tblHeader/><w:cantSplit/></w:trPr>",
           *(cell(0, ci, c, bold=True, align="left" if ci == 0 else "center", extra=rule)
             for ci, c in enumerate(cols)), "</w:tr>"]
    seen: dict[tuple, str] = {}
    for i, (kind, cells) in enumerate(rows, start=1):
        out.append("<w:tr><w:trPr><w:cantSplit/></w:trPr>")
        if kind == "group":
            wide = len(cols) > 1
            out.append(cell(i, 0, cells[0], width=sum(twips) if wide else None,
                            extra=f'<w:gridSpan w:val="{len(cols)}"/>' if wide else ""))
        else:
            for ci, text in enumerate(cells):
                at = (i, ci)
                text = "" if at in covered else text
                extra = ('<w:vMerge w:val="restart"/>' if at in restart
                         else "<w:vMerge/>" if at in covered else "")
                key = (keep and i < last_row, ci, text, extra)  # all a cell's markup hangs on
                made = seen.get(key)
                if made is None:  # (ticks, blanks and merged cells repeat: written once)
                    made = seen[key] = cell(i, ci, text, extra=extra,
                                            align="center" if numeric[ci] and ci else None)
                out.append(made)
        out.append("</w:tr>")
    return "".join(out)


def _runs_xml(text: str, size: str, bold: bool) -> str:
    """The runs ``_runs`` writes for ``text``, as markup."""
    b = "<w:b/>" if bold else '<w:b w:val="0"/>'
    out = []
    for part, italic in _pieces(text):
        if part == "✓":
            props = (f'<w:rFonts w:ascii="{TICK_FONT}" w:hAnsi="{TICK_FONT}"/>{b}'
                     f'<w:i w:val="0"/>{size}')
        else:
            props = b + ("<w:i/>" if italic else '<w:i w:val="0"/>') + size
        out.append(f"<w:r><w:rPr>{props}</w:rPr>{_content_xml(part)}</w:r>")
    return "".join(out)


def _content_xml(text: str) -> str:
    """A run's text as python-docx writes it: tabs and line breaks as elements, the rest in
    ``w:t`` (space-preserving when it starts or ends with white space)."""
    text = _NOT_XML.sub("", text)
    if "\t" in text or "\r" in text or "\n" in text:
        pieces = _BREAKS.split(text)
    else:
        pieces = [text]
    out = []
    for piece in pieces:
        if piece == "\t":
            out.append("<w:tab/>")
        elif piece in ("\r", "\n"):
            out.append("<w:br/>")
        elif piece:
            keep = ' xml:space="preserve"' if piece[0].isspace() or piece[-1].isspace() else ""
            escaped = piece.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            out.append(f"<w:t{keep}>{escaped}</w:t>")
    return "".join(out)


def _pieces(text: str, italic: bool = False) -> list[tuple[str, bool]]:
    """``text`` cut into (part, italic): statistical symbols (M, SD, n, N, p) in italics,
    each tick on its own (it takes a font that has the glyph)."""
    if "✓" not in text and " =" not in text and " <" not in text and " >" not in text:
        return [(text, italic)] if text else []  # (most cells: no symbol to set apart)
    pieces = []
    last = 0
    for m in STAT.finditer(text):
        pieces += [(text[last:m.start()], italic), (m.group(0), True)]
        last = m.end()
    pieces.append((text[last:], italic))
    return [(part, ital) for piece, ital in pieces for part in _TICK.split(piece) if part]


_NUMBER = re.compile(r"[-+]?\d+(\.\d+)?|\d+/\d+|✓|Yes|No")
_TICK = re.compile("(✓)")


def _is_number(text: str) -> bool:
    return bool(_NUMBER.fullmatch(text.strip()))


def write(df, path: Path, number=1) -> None:
    """One table in a document of its own. A report writes many: each starts from one
    blank document kept for the run (only its body changes) and reuses that document's
    other parts as saved, so neither the template is read nor the styles written again."""
    with _BLANK_LOCK:
        d, pristine, entries = _blank(document_time())
        body = d.element.body
        body.clear()
        body.extend(copy.deepcopy(el) for el in pristine)
        add_table(d, df, number, last=True)
        xml = d.part.blob
    write_zip(path, [(name, xml if name == _BODY_PART else data, attr)
                     for name, data, attr in entries])


_BODY_PART = "word/document.xml"
_BLANK_LOCK = threading.Lock()


@functools.lru_cache(maxsize=2)
def _blank(when) -> tuple:
    """A blank document dated ``when``, its body's children and its saved zip entries."""
    import io
    import zipfile

    d = new_document()
    buffer = io.BytesIO()
    d.save(buffer)
    with zipfile.ZipFile(buffer) as z:
        entries = [(i.filename, z.read(i), i.external_attr) for i in z.infolist()]
    return d, [copy.deepcopy(el) for el in d.element.body], entries
