"""Spreadsheet formula injection: text never becomes a live formula in what we write."""

from __future__ import annotations

import csv
import io
import re
import zipfile

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from ipa_toolkit.sheets.cells import neutralise, restore

from .conftest import Cli

EVIL = ['=HYPERLINK("http://evil.example","click")', "+cmd|' /C calc'!A0", "-2+3",
        "@SUM(A1:A2)", "\tTAB", "\rCR"]


@pytest.mark.parametrize("value", EVIL)
def test_formula_like_text_gets_a_leading_quote(value):
    assert neutralise(value) == "'" + value


@pytest.mark.parametrize("value", [3, -2, 2.5, "-2", "+3.5", "1e5", "P3", "it's fine", "",
                                   None, "a=b"])
def test_numbers_and_plain_text_stay(value):
    assert neutralise(value) == value


@given(st.text())
def test_restore_undoes_neutralise(value):
    assert restore(neutralise(value)) == value
    number = re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?", value)
    assert neutralise(value)[:1] not in ("=", "+", "-", "@", "\t", "\r") or number


@pytest.fixture
def hostile(small, tmp_path):
    """A project whose attributes, theme labels, notes and quotes look like formulas."""
    transcript = tmp_path / "P1.txt"
    transcript.write_text("Interviewer: What did you write?\n\nP1: I wrote this.\n\n"
                          f"{EVIL[0]}\n\nInterviewer: Thank you.\n", encoding="utf-8")
    small.ingest(transcript)
    small.set_attribute("P1", "Note", EVIL[1])
    small.set_attribute("P2", "Note", EVIL[3])
    small.set_attribute("P7", "Note", EVIL[2])
    small.rename_theme("1.2", "@Numbness")
    small.tag("P1", "1.1", quote=EVIL[0], note="-2+3", exemplar=True)
    small.tag("P2", "1.2", lines="2", note="=1+1")
    small.tag("P7", "1.1", lines="2-3")
    return small


def _csv_cells(path):
    with open(path, encoding="utf-8", newline="") as fh:
        return [c for row in csv.reader(fh) for c in row]


def _assert_inert_csv(cells):
    bad = [c for c in cells if c[:1] in ("=", "+", "@", "\t", "\r")
           or (c[:1] == "-" and not c.lstrip("-").replace(".", "").isdigit())]
    assert not bad, bad


def _xlsx_cells(path):
    wb = openpyxl.load_workbook(path)
    return [c for ws in wb.worksheets for row in ws.iter_rows() for c in row
            if c.value is not None]


def test_report_spreadsheets_hold_text_not_formulas(hostile, tmp_path):
    written = hostile.report(tmp_path / "report")
    xlsx = [p for p in written if p.suffix == ".xlsx"]
    csvs = [p for p in written if p.suffix == ".csv"]
    assert len(xlsx) == 6 and len(csvs) == 7
    seen = set()
    for path in xlsx:
        cells = _xlsx_cells(path)
        assert [c.coordinate for c in cells if c.data_type == "f"] == [], path
        with zipfile.ZipFile(path) as z:
            assert not any(b"<f>" in z.read(n) for n in z.namelist()), path
        seen |= {c.value for c in cells}
        numbers = [c for c in cells if isinstance(c.value, int)]
        assert all(c.data_type == "n" for c in numbers)
    text = [v for v in seen if isinstance(v, str)]
    assert EVIL[1] in text and any(v.startswith("=HYPERLINK") for v in text)
    assert any("@Numbness" in v for v in text)
    for path in csvs:
        _assert_inert_csv(_csv_cells(path))
    codings = _csv_cells(tmp_path / "report" / "codings.csv")
    assert any(c.startswith("'=HYPERLINK(") for c in codings)
    assert "'-2+3" in codings and "'=1+1" in codings
    participants = _csv_cells(next(p for p in csvs if "participants" in p.name))
    assert "'" + EVIL[1] in participants and "54" in participants  # numbers stay numbers


def test_report_raw_keeps_cells_as_written(hostile, tmp_path):
    hostile.report(tmp_path / "raw", raw=True)
    cells = _csv_cells(tmp_path / "raw" / "codings.csv")
    assert any(c.startswith("=HYPERLINK(") for c in cells) and "-2+3" in cells


def test_cli_csv_is_neutralised_unless_raw(hostile, tmp_path):
    cli = Cli(hostile.folder)
    for args in (["codings", "--format", "csv"], ["participants", "list", "--format", "csv"],
                 ["table", "participants", "--format", "csv"], ["notes", "--format", "csv"],
                 ["table", "quotes", "--format", "csv"]):
        r = cli(*args)
        assert r.exit_code == 0, r.output
        _assert_inert_csv([c for row in csv.reader(io.StringIO(r.stdout)) for c in row])
        raw = cli(*args, "--raw")
        assert raw.exit_code == 0
    assert "+cmd|" in cli("participants", "list", "--format", "csv", "--raw").stdout
    out = tmp_path / "t.csv"
    assert cli("table", "participants", "--out", out).exit_code == 0
    assert "'+cmd|" in out.read_text(encoding="utf-8")
    assert cli("table", "participants", "--out", out, "--raw").exit_code == 0
    assert "'+cmd|" not in out.read_text(encoding="utf-8")
    xl = tmp_path / "t.xlsx"
    assert cli("table", "participants", "--out", xl).exit_code == 0
    cells = _xlsx_cells(xl)
    assert EVIL[1] in [c.value for c in cells] and all(c.data_type != "f" for c in cells)


def test_agreement_files_are_inert(hostile, tmp_path):
    hostile.rename_theme("1.1", '=HYPERLINK("x")')
    hostile.tag("P7", "1.1", lines="2-3", coder="RB")
    hostile.tag("P2", "1.2", lines="2", coder="RB")
    r = hostile.agreement(hostile.codings().coder.iloc[0], "RB")
    from ipa_toolkit.report.agreement import write_agreement

    cells = _xlsx_cells(write_agreement(r, tmp_path / "a.xlsx"))
    assert '=HYPERLINK("x")' in [c.value for c in cells]
    assert all(c.data_type != "f" for c in cells)
    _assert_inert_csv(_csv_cells(write_agreement(r, tmp_path / "a.csv")))


def test_audit_trail_csv_files_are_inert(hostile, tmp_path):
    written = hostile.audit(tmp_path / "audit")
    csvs = [p for p in written if p.suffix == ".csv"]
    assert any(p.name == "codings.csv" for p in csvs)
    for path in csvs:
        _assert_inert_csv(_csv_cells(path))
    assert "'-2+3" in _csv_cells(tmp_path / "audit" / "codings.csv")


@pytest.mark.parametrize("raw", [False, True])
def test_report_codings_csv_is_the_codings_frame_as_csv(hostile, tmp_path, raw):
    """The report writes codings.csv straight from the rows (no DataFrame): the same bytes
    as the codings DataFrame written by pandas, formula-like cells neutralised unless raw."""
    from ipa_toolkit.coding.table import write_csv
    from ipa_toolkit.sheets.cells import neutralise_frame

    hostile.tag("P7", "1.2", lines="1", note="=1+1 and \"quoted\", with a comma\nand a line")
    out = write_csv(hostile, tmp_path / "codings.csv", raw=raw)
    frame = neutralise_frame(hostile.codings().drop(columns=["created"]), raw)
    assert out.read_text(encoding="utf-8") == frame.to_csv(index=False, lineterminator="\n")
    assert ("'=HYPERLINK(" in out.read_text(encoding="utf-8")) is not raw


@given(st.lists(st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False),
                          st.text(alphabet=st.sampled_from(list(',"\n\r \'=ab\x00é✓')))),
                min_size=2, max_size=6))
def test_csv_fields_are_what_the_csv_module_writes(row):
    """codings.csv is joined from cells written one value at a time (csv_field): a row so
    joined is the row the csv module writes, whatever the text holds (quotes, commas, line
    ends, carriage returns)."""
    import csv
    import io

    from ipa_toolkit.coding.table import csv_column, csv_field

    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow(row)
    assert ",".join(map(csv_field, row)) + "\n" == buffer.getvalue()
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows([[v] * 2 for v in row])
    column = csv_column(tuple(row))
    assert "".join(f"{c},{c}\n" for c in column) == buffer.getvalue()
    text = tuple(v for v in row if v is None or isinstance(v, str))
    for repeats in (True, False):  # a column of text, neutralised: looked up or as it comes
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\n").writerows([[neutralise(v), ""] for v in text])
        column = csv_column(text, neutralise, repeats=repeats)
        assert "".join(f"{c},\n" for c in column) == buffer.getvalue()
