"""Tables written to every format and read back: Word and Excel cells against the seed."""

from __future__ import annotations

import re

import docx
import openpyxl
import pytest

from ipa_toolkit.report.writers import write_table, writer

from .test_sample import SEED, seed_table1

FORMATS = ("docx", "xlsx", "csv", "md", "tex", "html")


def docx_rows(path):
    d = docx.Document(str(path))
    [t] = d.tables
    return d, [[c.text for c in row.cells] for row in t.rows]


@pytest.mark.skipif(not SEED.exists(), reason="../shared/seed is not beside this clone")
def test_word_table_1_is_the_seed_table_1_cell_for_cell(sample, tmp_path):
    path = sample.write_table("participants", tmp_path / "t1.docx")
    d, rows = docx_rows(path)
    expected = seed_table1()
    assert rows[0] == expected[0]
    # F/M are written out: in an APA table "M" is the mean, never also Male
    spelled = {"F": "Female", "M": "Male"}
    norm = [sorted(spelled.get(c, c).replace("-", "") for c in r) for r in expected[1:]]
    assert [sorted(c.replace("-", "") for c in r) for r in rows[1:]] == norm
    assert [r[0] for r in rows[1:]] == [f"P{i}" for i in range(1, 11)]
    caption = [p.text for p in d.paragraphs if p.text.startswith("Table")]
    assert caption == ["Table 1. Participant information."]


def seed_table2_items() -> list[str]:
    text = SEED.read_text(encoding="utf-8")
    body = text.split("Table 2. Themes relating to the impact of the discovery.", 1)[1]
    body = body.split("Superordinate theme 1,", 1)[0]
    return [ln.strip() for ln in body.splitlines() if re.match(r"^\d+(\.\d+)?\. ", ln.strip())]


@pytest.mark.skipif(not SEED.exists(), reason="../shared/seed is not beside this clone")
def test_word_table_2_is_the_seed_table_2_with_merged_superordinate_cells(sample, tmp_path):
    path = sample.write_table("themes", tmp_path / "t2.docx", number=2, root="A",
                              title="Themes relating to the impact of the discovery")
    d, rows = docx_rows(path)
    assert rows[0] == ["Superordinate Theme", "Subordinate Theme"]
    body = rows[1:]
    assert sorted({c for r in body for c in r}) == sorted(seed_table2_items())
    for sup, sub in body:  # each subordinate sits beside its own superordinate
        assert sub.split(".")[0] == sup.split(".")[0]
    tbl = d.tables[0]._tbl
    vmerge = tbl.xpath(".//w:vMerge")
    assert len(vmerge) == 6  # two superordinate cells, each spanning three rows
    assert [p.text for p in d.paragraphs if p.text.startswith("Table")] == \
        ["Table 2. Themes relating to the impact of the discovery."]
    borders = tbl.xpath("./w:tblPr/w:tblBorders/*")
    kinds = {b.tag.split("}")[1]: b.get(
        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}val") for b in borders}
    assert kinds == {"top": "single", "bottom": "single", "left": "nil", "right": "nil",
                     "insideH": "nil", "insideV": "nil"}  # horizontal rules only


def test_word_domain_headings_span_the_row(sample, tmp_path):
    _, rows = docx_rows(sample.write_table("themes", tmp_path / "t.docx"))
    assert rows[1] == ["The impact of discovery"] * 2
    assert ["Intervening agencies"] * 2 in rows


def test_excel_cells_read_back(sample, tmp_path):
    path = sample.write_table("recurrence", tmp_path / "r.xlsx", number=3)
    ws = openpyxl.load_workbook(path).active
    assert ws["A1"].value == "Table 3. Recurrence of themes across participants."
    header = [c.value for c in ws[2]]
    assert header[:3] == ["Theme", "P1", "P2"] and header[-2:] == ["Total", "Meets recurrence"]
    row = {c.value: i for i, c in enumerate(ws["A"], start=1)}
    r = row["2.3. Damned if I do, damned if I don’t"]
    assert ws.cell(r, 2).value == "✓" and ws.cell(r, 3).value is None
    assert ws.cell(r, len(header) - 1).value == 5
    assert ws.freeze_panes == "A3"


def test_excel_long_text_columns_wrap_in_every_row(sample, tmp_path):
    """A column of long extracts wraps, top-aligned, in each data row and the note (one
    cell's style copied to the others); short columns do not."""
    path = sample.write_table("quotes", tmp_path / "q.xlsx", number=4)
    ws = openpyxl.load_workbook(path).active
    header = [c.value for c in ws[2]]
    extract = [c for c in ws[chr(ord("A") + header.index("Extract"))]][2:]
    assert len(extract) > 10 and any(len(str(c.value)) > 60 for c in extract)
    assert all(c.alignment.wrap_text and c.alignment.vertical == "top" for c in extract)
    assert not any(c.alignment.wrap_text for c in ws["A"][2:])
    assert [c.font.b for c in ws[2]] == [True] * len(header)


def test_text_formats(sample):
    md = sample.write_table("themes", fmt="md", number=2)
    assert md.startswith("**Table 2.** *Superordinate and subordinate themes.*")
    assert "| **The impact of discovery** |" in md
    assert "|  | 1.2. Mourning your life |" in md  # the merged cell left blank below
    tex = sample.write_table("quotes", fmt="tex")
    assert r"\toprule" in tex and r"\bottomrule" in tex and r"\caption{Illustrative" in tex
    assert "doesn’t" in tex and "P1, 23-25" in tex
    html = sample.write_table("themes", fmt="html")
    assert '<td rowspan="3">1. The devastation of the discovery</td>' in html
    assert '<th colspan="2">The impact of discovery</th>' in html
    csv = sample.write_table("participants", fmt="csv")
    assert csv.splitlines()[1] == "P1,Female,62,White British,Married,Custodial sentence," \
                                  "Extrafamilial contact offence"


def test_latex_escapes_specials():
    import pandas as pd

    df = pd.DataFrame([["50% & more_than #1 {x} ~ ^ \\"]], columns=["A"])
    out = writer("tex").render(df)
    assert r"50\% \& more\_than \#1 \{x\} \textasciitilde{} \textasciicircum{} " \
           r"\textbackslash{}" in out


EVIL_MD = ["<img src=x onerror=alert(1)>", "[click](javascript:alert(2))",
           "<script>alert(3)</script> *bold* _it_ `code` a|b & \\"]


def test_markdown_outputs_never_carry_html_links_or_emphasis(small, tmp_path):
    """Theme labels, participant IDs, statements and extracts are data: rendered by a real
    Markdown viewer (markdown-it, CommonMark) they show as written, in the tables, the
    audit trail and the results draft."""
    from markdown_it import MarkdownIt

    small.rename_theme("1.1", EVIL_MD[0])
    small.rename_theme("1.2", EVIL_MD[1])
    small.tag("P7", "1.1", lines="2-3", exemplar=True)
    small.tag("P2", "1.2", lines="2")
    small.add_statement("P7", EVIL_MD[2], lines="2")
    pet = small.idio.add_pet("P7", "<b onclick=x *bold* [a](b)", statements=[1])
    small.idio.map(f"P7:{pet.number}", "1.1")
    small.audit(tmp_path / "audit")
    small.draft(tmp_path / "results.md")
    texts = [small.write_table(name, fmt="md") for name in ("themes", "quotes", "recurrence")]
    texts += [(tmp_path / "audit" / "trail.md").read_text(encoding="utf-8"),
              (tmp_path / "results.md").read_text(encoding="utf-8")]
    md = MarkdownIt("commonmark").enable("table")
    for text in texts:
        html = md.render(text)
        assert not re.search(r"<(img|script|code)\b|href=|<em>bold|<em>it", html), html
    shown = md.render(texts[3])  # the trail shows each label as it was written
    assert "&lt;img src=x onerror=alert(1)&gt;" in shown
    assert "[click](javascript:alert(2))" in shown


@pytest.mark.parametrize("fmt", ["csv", "md", "tex", "html", "docx", "xlsx"])
def test_every_format_is_deterministic(sample, tmp_path, fmt):
    a = write_table(sample.table("quotes"), tmp_path / f"a.{fmt}")
    if fmt in ("docx", "xlsx"):
        import time

        time.sleep(1.1)  # a clock-stamped property would now differ
    b = write_table(sample.table("quotes"), tmp_path / f"b.{fmt}")
    if fmt in ("docx", "xlsx"):  # compare the parts, not the zip's own timestamps
        import zipfile

        za, zb = zipfile.ZipFile(a), zipfile.ZipFile(b)
        assert za.namelist() == zb.namelist()
        assert all(za.read(n) == zb.read(n) for n in za.namelist())
    else:
        assert a.read_bytes() == b.read_bytes()


def test_text_formats_share_the_word_choices(sample):
    tex = sample.write_table("recurrence", fmt="tex", number=3)
    assert tex.startswith(r"\begin{landscape}") and r"\textit{Note.}" in tex
    assert not sample.write_table("themes", fmt="tex").startswith(r"\begin{landscape}")
    html = sample.write_table("recurrence", fmt="html", number=3)
    assert "<p><i>Note.</i> ✓ = present" in html
    md = sample.write_table("participants", fmt="md", summary=True)
    assert "*Note.* N = number of participants" in md
