"""The .xlsx tables, written with XlsxWriter and read back with openpyxl: typed values,
text that never becomes a formula or a link, the look (caption, header, note, widths,
wrapping, frozen header), odd text that never breaks the file, and the same bytes each run."""

from __future__ import annotations

import datetime as dt
import zipfile
from decimal import Decimal

import openpyxl
import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from ipa_toolkit.errors import InputError
from ipa_toolkit.report.writers import write_table
from ipa_toolkit.report.writers.excel import CUT_NOTE, sheet_name
from ipa_toolkit.sheets.cells import CELL_LIMIT, CUT_MARK, xlsx_text

FORMULA_LIKE = ["=1+2", "+cmd|' /C calc'!A0", "@SUM(1)", "-2+3", '=HYPERLINK("http://x","y")',
                "http://evil.example/a", "mailto:a@b.example", "12", "1e5", " 7", "TRUE",
                "_x0041_ literal"]


def frame(rows, columns, name="table", note=""):
    df = pd.DataFrame(rows, columns=columns)
    df.attrs.update(name=name, title="A title", note=note)
    return df


def read(path, rich=False):
    return openpyxl.load_workbook(path, rich_text=rich).active


def test_values_keep_their_types(tmp_path):
    df = frame([[1, 2.5, None, float("nan"), "text", True],
                [-3, 1e-9, "x", 4.0, "", False]], ["int", "float", "none", "nan", "text", "b"])
    ws = read(write_table(df, tmp_path / "t.xlsx"))
    row3 = [(c.value, c.data_type) for c in ws[3]]
    assert row3 == [(1, "n"), (2.5, "n"), (None, "n"), (None, "n"), ("text", "s"), (True, "b")]
    row4 = [(c.value, c.data_type) for c in ws[4]]
    assert row4 == [(-3, "n"), (1e-9, "n"), ("x", "s"), (4, "n"), (None, "n"), (False, "b")]
    assert isinstance(ws["A3"].value, int)


def test_unusual_values_are_written_not_refused(tmp_path):
    """Infinity and integers past a double as their digits (Excel has no such numbers),
    dates as dates, pandas' missing values as empty cells, decimals as numbers."""
    when = dt.datetime(2024, 5, 6, 7, 8, 9)
    df = frame([[float("inf"), 10**400, when, pd.NA, pd.NaT, Decimal("2.5")]], list("abcdef"))
    ws = read(write_table(df, tmp_path / "t.xlsx"))
    assert [c.value for c in ws[3]] == ["inf", str(10**400), when, None, None, 2.5]
    assert ws["C3"].is_date


def test_formula_like_text_stays_plain_text(tmp_path):
    df = frame([[v, v] for v in FORMULA_LIKE], ["a", "b"])
    df.columns = ["=SUM(A1)", "@x"]
    path = write_table(df, tmp_path / "t.xlsx")
    ws = read(path)
    assert [c.value for c in ws[2]] == ["=SUM(A1)", "@x"]
    got = [(c.value, c.data_type) for row in ws.iter_rows(min_row=3) for c in row]
    assert got == [(v, "s") for v in FORMULA_LIKE for _ in range(2)]
    with zipfile.ZipFile(path) as z:
        names = z.namelist()
        sheet = z.read("xl/worksheets/sheet1.xml")
    assert b"<f>" not in sheet and b"<hyperlink" not in sheet
    assert not any("rels" in n and "sheet1" in n for n in names)  # no link targets


def test_the_look_caption_header_note_wrap_widths_and_frozen_header(tmp_path):
    long = "word " * 6
    df = frame([["P1", long.strip(), 3], ["P2", None, 12345678901]],
               ["ID", "Extract", "A column name longer than sixty characters, to show the widest!"],
               name="quotes", note="Note. n = number of passages.")
    path = write_table(df, tmp_path / "t.xlsx", number=4)
    ws = read(path)
    assert ws.title == "quotes" and ws.freeze_panes == "A3"
    assert ws["A1"].value == "Table 4. A title." and ws["A1"].font.b
    for cell in ws[2]:
        assert cell.font.b and cell.border.top.style == "thin"
        assert cell.border.bottom.style == "thin"
    assert not ws["A3"].font.b and ws["A3"].border.top.style is None
    widths = {}
    for dim in ws.column_dimensions.values():
        for i in range(dim.min, dim.max + 1):
            widths[i] = dim.width
    assert widths == {1: 8, 2: len(long.strip()) + 2, 3: 60}  # at least 8, at most 60
    wrapped = [c for c in ws["C"][2:]]  # a column over 60 wraps top-aligned to the note
    assert len(wrapped) == 4 and all(c.alignment.wrap_text and c.alignment.vertical == "top"
                                     for c in wrapped)
    assert not any(c.alignment.wrap_text for c in ws["A"][2:] + ws["B"][2:])
    assert ws["A5"].value is None and ws["A6"].value == "Note. n = number of passages."
    note = read(path, rich=True)["A6"].value
    assert [str(part) for part in note] == ["Note.", " n = number of passages."]
    assert note[0].font.i and not getattr(getattr(note[1], "font", None), "i", False)
    wb = openpyxl.load_workbook(path)
    assert wb.properties.creator == "ipa-toolkit"
    assert wb.properties.created == dt.datetime(2000, 1, 1)  # document_time(), no project


def test_a_note_that_looks_like_an_escape_keeps_its_words(tmp_path):
    """XlsxWriter escapes ``_x0041_`` twice inside rich text; such a note is written plain."""
    df = frame([[1]], ["a"], note="see _x0041_ here")
    ws = read(write_table(df, tmp_path / "t.xlsx"))
    assert ws["A5"].value == "Note. see _x0041_ here"


def test_a_note_too_long_for_rich_text_is_written_plain_and_cut_visibly(tmp_path):
    df = frame([[1]], ["a"], note="long " * 8_000)
    ws = read(write_table(df, tmp_path / "t.xlsx"))
    assert ws["A5"].value.startswith("Note. long long") and ws["A5"].value.endswith(CUT_MARK)


def test_the_same_table_gives_the_same_bytes_at_any_hour(tmp_path):
    import time_machine

    df = frame([["a", 1, "=1+2"], ["b", 2.5, "x" * 70]], ["n", "v", "t"], note="Note. x.")
    with time_machine.travel(dt.datetime(2031, 3, 4, 5, 6, 7), tick=False):
        a = write_table(df, tmp_path / "a.xlsx").read_bytes()
    with time_machine.travel(dt.datetime(2032, 8, 9, 10, 11, 12), tick=False):
        b = write_table(df, tmp_path / "b.xlsx").read_bytes()
    assert a == b
    with zipfile.ZipFile(tmp_path / "a.xlsx") as z:
        assert {i.date_time[:3] for i in z.infolist()} == {(2000, 1, 1)}
        assert "2031" not in z.read("docProps/core.xml").decode()


def test_control_characters_and_line_ends_are_cleaned_not_fatal(tmp_path):
    odd = ["a\x00b", "tab\tand\nline", "cr\r\nlf\rx", "v\x0bt\x0cf\x1f", "a\ufffeb\uffff",
           "lone \ud800 half"]
    df = frame([[v] for v in odd], ["text\x01"], name="odd\x02name")
    path = write_table(df, tmp_path / "t.xlsx")
    ws = read(path)
    assert ws.title == "odd\ufffdname" and ws["A2"].value == "text\ufffd"
    assert [c.value for c in ws["A"][2:]] == [
        "a\ufffdb", "tab\tand\nline", "cr\nlf\nx", "v\ufffdt\ufffdf\ufffd", "a\ufffdb\ufffd",
        "lone \ufffd half"]


def test_a_cell_over_excels_limit_is_cut_visibly_and_the_note_says_so(tmp_path):
    whole = "abc " * 10_000  # 40,000 characters
    astral = "\U0001F600" * 20_000  # 40,000 UTF-16 units: Excel counts these twice
    df = frame([[whole], [astral], ["short"]], ["extract"], note="Note. As coded.")
    ws = read(write_table(df, tmp_path / "t.xlsx"))
    cut = [c.value for c in ws["A"][2:4]]
    assert cut[0] == whole[:CELL_LIMIT - len(CUT_MARK)] + CUT_MARK
    assert len(cut[0]) == CELL_LIMIT
    assert cut[1].endswith(CUT_MARK) and set(cut[1][:-len(CUT_MARK)]) == {"\U0001F600"}
    assert len(cut[1].encode("utf-16-le")) // 2 <= CELL_LIMIT
    assert ws["A5"].value == "short"
    assert ws["A7"].value == f"Note. As coded. {CUT_NOTE}"


@pytest.mark.parametrize(("name", "expected"), [
    ("participants", "participants"), ("a[b]:c*?/\\d", "a_b__c____d"), ("'quoted'", "quoted"),
    ("x" * 40, "x" * 31), ("", "table"), (None, "table"), ("'", "table"),
    ("History", "History_"), ("\U0001F600" * 20, "\U0001F600" * 15)])
def test_sheet_names_are_ones_excel_accepts(tmp_path, name, expected):
    assert sheet_name(name) == expected
    df = frame([[1]], ["a"], name=name)
    assert read(write_table(df, tmp_path / "t.xlsx")).title == expected


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.text(), min_size=1, max_size=4),
       st.lists(st.sampled_from(FORMULA_LIKE + ["\x01", "\r", "'", " "]), max_size=3))
@example(["=1+2", "+cmd|' /C calc'!A0", "@SUM(1)", "-2+3"], [])
@example(["\x00\x1f\ud800\ufffe", " lead and trail ", "\r\n"], ["="])
def test_any_text_comes_back_as_the_same_plain_text(tmp_path_factory, texts, prefixes):
    """Whatever the text (control characters, surrogates, formula-like leads), a cell reads
    back through openpyxl as ``xlsx_text`` of it: the same string, with only line ends and
    characters XML cannot hold changed; never a formula, never a number."""
    texts = ["".join(prefixes) + t for t in texts]
    assume(all("x005F_" not in t for t in texts))  # openpyxl's reader deletes that run
    folder = tmp_path_factory.mktemp("prop")
    ws = read(write_table(frame([[t] for t in texts], ["t"]), folder / "t.xlsx"))
    cells = [ws.cell(3 + i, 1) for i in range(len(texts))]
    expected = [xlsx_text(t) or None for t in texts]
    assert [c.value for c in cells] == expected
    assert all(c.data_type == "s" for c in cells if c.value is not None)


def test_coding_sheet_refuses_a_cell_excel_would_cut(tmp_path):
    from ipa_toolkit.sheets.statements import SHEET_COLUMNS, _write

    row = ["P1", "P1", "1-400", "", "1.1", "q" * (CELL_LIMIT + 1), "RA", "", "", "", "", ""]
    assert len(row) == len(SHEET_COLUMNS)
    with pytest.raises(InputError, match="the quote holds 32,768 characters") as info:
        _write(tmp_path / "s.xlsx", [row])
    assert ".csv" in str(info.value.hint)
    assert not (tmp_path / "s.xlsx").exists()
    row[5] = "q" * CELL_LIMIT
    row[7] = "=note\x01"
    _write(tmp_path / "s.xlsx", [row])
    ws = read(tmp_path / "s.xlsx")
    assert [c.value for c in ws[1]] == list(SHEET_COLUMNS)
    assert ws["F2"].value == row[5] and ws["H2"].value == "=note\ufffd"
    assert ws["H2"].data_type == "s" and ws["D2"].value is None


def test_redating_a_zip_keeps_every_part_and_dates_each(tmp_path, monkeypatch):
    """Entries with extra fields and comments, an archive comment: each dated
    SOURCE_DATE_EPOCH in both headers, every part's bytes as they were (CRCs check)."""
    import io

    from ipa_toolkit.stamp import redated_zip

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # 2023-11-14T22:13:20Z
    buffer = io.BytesIO()
    parts = {"a.xml": b"<a/>" * 500, "dir/b.bin": bytes(range(256)), "c": b""}
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        z.comment = b"archive comment"
        for k, (name, data) in enumerate(parts.items()):
            info = zipfile.ZipInfo(name, (1980, 1, 1, 0, 0, 0))
            info.extra = b"\xfe\xca" + bytes([2 * k, 0]) + b"xy" * k  # an unknown field
            info.comment = b"c" * k
            info.compress_type = zipfile.ZIP_STORED if k else zipfile.ZIP_DEFLATED
            z.writestr(info, data)
    out = tmp_path / "r.zip"
    out.write_bytes(redated_zip(buffer.getvalue()))
    with zipfile.ZipFile(out) as z:
        assert z.testzip() is None and z.comment == b"archive comment"
        assert {n: z.read(n) for n in z.namelist()} == parts
        assert {i.date_time for i in z.infolist()} == {(2023, 11, 14, 22, 13, 20)}
        for info in z.infolist():  # the local header too, not only the central directory
            raw = out.read_bytes()[info.header_offset + 10:info.header_offset + 14]
            assert raw == bytes.fromhex("aab16e57")
    with pytest.raises(zipfile.BadZipFile):
        redated_zip(b"not a zip")
