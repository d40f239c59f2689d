"""The Word report read back from its XML as a journal reviewer checks it (APA 7)."""

from __future__ import annotations

import docx
import pytest
from docx.oxml.ns import qn
from hypothesis import given
from hypothesis import strategies as st

from .conftest import Cli

STAT_SYMBOLS = {"M", "SD", "N", "n", "p"}


@pytest.fixture(scope="module")
def report(_sample_built, tmp_path_factory):
    from ipa_toolkit.project import Project

    out = tmp_path_factory.mktemp("style")
    p = Project.open(_sample_built)
    try:
        p.report(out)
    finally:
        p.close()
    return docx.Document(str(out / "report.docx"))


def _runs(el):
    return el.iter(qn("w:r"))


def _italic(run) -> bool:
    i = run.find(qn("w:rPr") + "/" + qn("w:i"))
    return i is not None and i.get(qn("w:val"), "true") not in ("0", "false")


def _text(run) -> str:
    return "".join(t.text or "" for t in run.iter(qn("w:t")))


def test_every_table_has_one_font_size(report):
    sizes = set()
    for t in report.tables:
        for r in _runs(t._tbl):
            sz = r.find(qn("w:rPr") + "/" + qn("w:sz"))
            sizes.add(None if sz is None else sz.get(qn("w:val")))
    assert sizes == {"20"}  # 10 pt in every cell of every table


def test_italic_only_where_apa_puts_it(report):
    for t in report.tables:
        italic = {_text(r) for r in _runs(t._tbl) if _italic(r) and _text(r).strip()}
        assert italic <= STAT_SYMBOLS, italic
    summary = report.tables[0].rows[-1].cells
    assert summary[0].text == "Summary (N = 10)"
    age = summary[2].paragraphs[0].runs
    assert [r.text for r in age if r.italic] == ["M", "SD"]
    notes = [p for p in report.paragraphs if p.text.startswith("Note.")]
    assert len(notes) >= 5
    for p in notes:
        assert p.runs[0].text == "Note." and p.runs[0].italic
        rest = [r.text for r in p.runs[1:] if r.italic]
        assert set(rest) <= STAT_SYMBOLS, rest
    captions = [p for p in report.paragraphs if p.text.startswith("Table ")]
    for p in captions:
        assert p.runs[0].bold and not p.runs[0].italic and p.runs[-1].italic


def test_no_vertical_rules_rows_never_split_header_repeats(report):
    for t in report.tables:
        borders = {b.tag.split("}")[1]: b.get(qn("w:val"))
                   for b in t._tbl.tblPr.find(qn("w:tblBorders"))}
        assert borders["left"] == borders["right"] == borders["insideV"] == "nil"
        for tc in t._tbl.iter(qn("w:tcBorders")):
            assert {e.tag.split("}")[1] for e in tc} <= {"bottom", "top"}
        rows = t._tbl.findall(qn("w:tr"))
        assert all(tr.find(qn("w:trPr") + "/" + qn("w:cantSplit")) is not None for tr in rows)
        assert rows[0].find(qn("w:trPr") + "/" + qn("w:tblHeader")) is not None


def test_wide_tables_are_landscape_not_shrunk(report):
    body = report.element.body
    orient = []  # the orientation each table is set in: its section's sectPr follows it
    for t in report.tables:
        following = t._tbl.getnext()
        while following is not None:
            sect = following.find(".//" + qn("w:sectPr")) if following.tag != qn(
                "w:sectPr") else following
            if sect is not None:
                break
            following = following.getnext()
        sect = sect if following is not None else body.find(qn("w:sectPr"))
        orient.append(sect.find(qn("w:pgSz")).get(qn("w:orient")))
    assert orient[2] == "landscape"  # Table 3: participants as columns
    assert orient[1] in (None, "portrait")  # Table 2 fits a portrait page
    assert orient[5] == "landscape"  # the codebook: its descriptions get room


def _section_after(report, t):
    """The sectPr that governs table ``t``: the next one after it in the body."""
    following = t._tbl.getnext()
    while following is not None:
        sect = following if following.tag == qn("w:sectPr") else following.find(
            ".//" + qn("w:sectPr"))
        if sect is not None:
            return sect
        following = following.getnext()
    return report.element.body.find(qn("w:sectPr"))


@pytest.mark.parametrize("paper", [(12240, 15840), (11906, 16838)])  # US Letter, A4
def test_every_table_fits_between_the_margins_on_letter_and_a4(report, paper):
    """A table wider than the text block runs into the right margin (and off the page in
    LibreOffice); it must fit the paper the report is set on and the other common one a
    reader's Word may switch it to."""
    for number, t in enumerate(report.tables, 1):
        sect = _section_after(report, t)
        margins = sect.find(qn("w:pgMar"))
        landscape = sect.find(qn("w:pgSz")).get(qn("w:orient")) == "landscape"
        width = max(paper) if landscape else min(paper)
        room = width - int(margins.get(qn("w:left"))) - int(margins.get(qn("w:right")))
        cols = [int(c.get(qn("w:w"))) for c in t._tbl.tblGrid.iter(qn("w:gridCol"))]
        assert sum(cols) <= room, (number, landscape, sum(cols), room)


def test_headings_black_in_the_document_font(report):
    for name in ("Heading 1", "Heading 2"):
        style = report.styles[name]
        assert style.font.name == "Times New Roman"
        assert str(style.font.color.rgb) == "000000"
        fonts = style.element.find(qn("w:rPr") + "/" + qn("w:rFonts"))
        assert fonts.get(qn("w:asciiTheme")) is None
        colour = style.element.find(qn("w:rPr") + "/" + qn("w:color"))
        assert colour.get(qn("w:themeColor")) is None


def test_tick_glyph_has_one_font_in_cells_and_note(report):
    t3 = report.tables[2]
    ticks = [r for r in _runs(t3._tbl) if _text(r) == "✓"]
    note = next(p for p in report.paragraphs if "✓" in p.text)
    ticks += [r._r for r in note.runs if r.text == "✓"]
    fonts = {r.find(qn("w:rPr") + "/" + qn("w:rFonts")).get(qn("w:ascii")) for r in ticks}
    assert len(ticks) > 50 and fonts == {"Segoe UI Symbol"}


def test_standalone_table_is_numbered_only_when_asked(sample, tmp_path):
    ipa = Cli(sample.folder)
    assert ipa("table", "recurrence", "--out", tmp_path / "x.docx").exit_code == 0
    first = docx.Document(str(tmp_path / "x.docx")).paragraphs[0].text
    assert first == "Recurrence of themes across participants."
    assert ipa("table", "recurrence", "--out", tmp_path / "y.docx", "--number", "3").exit_code == 0
    assert docx.Document(str(tmp_path / "y.docx")).paragraphs[0].text.startswith("Table 3. ")
    md = ipa("table", "recurrence", "--format", "md").stdout
    assert md.startswith("*Recurrence of themes across participants.*")
    assert "*Note.* ✓ = present" in md


@given(st.text(alphabet=st.sampled_from(list("ab <>&\t\n\r✓é'\""))))
def test_a_run_of_text_is_the_run_python_docx_adds(text):
    """Captions, notes and headings are added as python-docx's add_run(text) writes them
    (tabs, line breaks, kept spaces, escaping), without its XPath per run."""
    from ipa_toolkit.report.writers.word import _text_run

    d = docx.Document()
    mine, theirs = d.add_paragraph(), d.add_paragraph()
    _text_run(mine, text).italic = True
    theirs.add_run(text).italic = True
    assert mine._p.xml == theirs._p.xml


def test_report_figures_take_ids_one_two_three_and_keep_their_images(report):
    """The figures' drawings carry the ids python-docx gives pictures (the next free one,
    counted once), each a distinct image of the report."""
    body = report.element.body
    ids = [int(x) for x in body.xpath("//wp:docPr/@id")]
    assert ids == [1, 2, 3]
    blips = body.xpath("//a:blip/@r:embed")
    parts = {report.part.related_parts[r].blob for r in blips}
    assert len(blips) == 3 and len(parts) == 3
    assert all(b.startswith(b"\x89PNG") for b in parts)


def test_documents_carry_no_unused_table_styles_but_keep_paragraph_styles(tmp_path,
                                                                         _sample_built):
    """Every document starts from the trimmed template: none of the default template's 130
    table styles, its Word 2010 copy of them or its thumbnail of an empty page (a megabyte
    parsed, written and compressed per file), but all paragraph styles, for restyling."""
    import zipfile

    from ipa_toolkit.project import Project

    p = Project.open(_sample_built)
    try:
        p.write_table("themes", tmp_path / "t.docx")
        p.export_transcript("P3", tmp_path / "p3.docx", three_column=True)
    finally:
        p.close()
    grid = docx.Document(str(tmp_path / "p3.docx")).tables[0].style
    assert grid is not None and grid.name == "Table Grid"
    for name in ("t.docx", "p3.docx"):
        path = tmp_path / name
        names = zipfile.ZipFile(path).namelist()
        assert "word/stylesWithEffects.xml" not in names
        assert not any("thumbnail" in n for n in names)
        d = docx.Document(str(path))
        table_styles = {s.style_id for s in d.styles if s.type == 3}  # WD_STYLE_TYPE.TABLE
        assert table_styles <= {"TableNormal", "TableGrid"}
        paragraph_styles = {s.name for s in d.styles if s.type == 1}
        assert {"Normal", "Title", "Heading 1", "Quote", "List Bullet", "Caption"} <= \
            paragraph_styles
        assert d.styles["Heading 1"].font.name == "Times New Roman"
        assert path.stat().st_size < 20_000
