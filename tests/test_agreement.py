"""Intercoder agreement against hand-computed and published examples; merging co-coders."""

from __future__ import annotations

import math
import shutil

import openpyxl
import pytest

from ipa_toolkit.analysis.agreement import alpha_binary, alpha_nominal, kappa
from ipa_toolkit.errors import InputError, ValidationReport
from ipa_toolkit.project import Project

from .conftest import DATA, Cli, dump


def test_kappa_worked_example():
    # 50 items: both yes 20, A only 5, B only 10, both no 15 -> po .7, pe .5, kappa .4
    assert kappa(20, 5, 10, 15) == pytest.approx(0.4)


def test_alpha_published_example():
    """Krippendorff (2011), 'Computing Krippendorff's alpha-reliability', nominal: .743."""
    n = None
    data = [[1, 2, 3, 3, 2, 1, 4, 1, 2, n, n, n],
            [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, n, 3],
            [n, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, n],
            [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, n]]
    assert alpha_nominal(data) == pytest.approx(0.743, abs=5e-4)


@pytest.mark.parametrize("cells", [(20, 5, 10, 15), (3, 0, 1, 40), (0, 4, 0, 96), (7, 2, 2, 0)])
def test_binary_alpha_matches_the_general_form(cells):
    both, a_only, b_only, neither = cells
    coder_a = [1] * both + [1] * a_only + [0] * b_only + [0] * neither
    coder_b = [1] * both + [0] * a_only + [1] * b_only + [0] * neither
    general = alpha_nominal([coder_a, coder_b])
    closed = alpha_binary(*cells)
    assert (math.isnan(general) and math.isnan(closed)) or closed == pytest.approx(general)


def test_edge_cases():
    assert kappa(10, 0, 0, 90) == 1.0 and alpha_binary(10, 0, 0, 90) == pytest.approx(1.0)
    assert kappa(0, 10, 0, 90) == pytest.approx(0.0)  # a theme only one coder used
    assert math.isnan(alpha_binary(0, 0, 0, 100))  # nobody coded anything: no variation
    assert kappa(0, 0, 0, 100) == 1.0  # NVivo: full agreement is 1
    assert math.isnan(kappa(0, 0, 0, 0))


@pytest.fixture
def two_coders(project, tmp_path):
    f = tmp_path / "P1.txt"
    f.write_text("P1: " + "abcdefghij" * 10 + "\nP1: the second paragraph of the interview\n",
                 encoding="utf-8")
    project.ingest(f)
    project.import_codebook(DATA / "codebook_small.yaml")
    return project


def _code(p, theme, start, end, coder, who="P1"):
    from ipa_toolkit.ingest.lines import line_span_for_chars
    from ipa_toolkit.model import Coding

    t = p.transcript(who)
    text, lines = p.text(who), p.lines(who)
    a, b = line_span_for_chars(lines, start, end)
    with p.store.transaction():
        p.store.add_coding(Coding(0, t.id, p.theme(theme).id, a, b, start, end,
                                  text[start:end], coder, "", "2025-01-01T00:00:00Z"))


def test_character_units_by_hand(two_coders):
    p = two_coders
    n = len(p.text("P1"))
    _code(p, "1.1", 4, 24, "A")   # 20 characters
    _code(p, "1.1", 14, 34, "B")  # 20 characters, 10 shared
    _code(p, "1.2", 50, 60, "A")  # only A used 1.2
    r = p.agreement("A", "B").table.set_index("theme_number")
    row = r.loc["1.1"]
    assert (row.both, row.only_A, row.only_B, row.neither) == (10, 10, 10, n - 30)
    assert row.kappa == pytest.approx(kappa(10, 10, 10, n - 30), abs=1e-4)
    assert row.percent_agreement == pytest.approx(100 * (n - 20) / n, abs=0.01)
    assert r.loc["1.2"].kappa == pytest.approx(0.0)
    assert r.loc["all"].units == 2 * n


def test_line_and_segment_units(two_coders):
    p = two_coders
    text = p.text("P1")
    second = text.index("the second")
    _code(p, "2.1", second, second + 20, "A")
    _code(p, "2.1", second, second + 21, "B")  # 95% of their joint extent: the same
    _code(p, "1.1", 0, 40, "A")
    _code(p, "1.1", 0, 10, "B")  # 25%: a different extent
    seg = p.agreement("A", "B", unit="segment").table.set_index("theme_number")
    assert (seg.loc["2.1"].both, seg.loc["2.1"].only_A) == (1, 0)
    assert (seg.loc["1.1"].both, seg.loc["1.1"].only_A, seg.loc["1.1"].only_B) == (0, 1, 1)
    loose = p.agreement("A", "B", unit="segment", overlap=0.2).table.set_index("theme_number")
    assert loose.loc["1.1"].both == 1
    lines = p.agreement("A", "B", unit="line").table.set_index("theme_number")
    assert lines.loc["2.1"].both == 1 and lines.loc["2.1"].units == len(p.lines("P1"))
    dis = p.agreement("A", "B", unit="segment").disagreements
    assert dis.kind.tolist() == ["different extent"]
    assert dis.iloc[0]["A_lines"] == "(P1, 1-2)"  # 40 characters from the start


def test_bad_requests(two_coders):
    _code(two_coders, "1.1", 0, 5, "A")
    with pytest.raises(InputError, match="no codings by 'B'"):
        two_coders.agreement("A", "B")
    with pytest.raises(InputError, match="unknown unit"):
        two_coders.agreement("A", "A", unit="word")


def test_merge_a_co_coder(sample, tmp_path):
    other_dir = tmp_path / "coder_b"
    shutil.copytree(sample.folder, other_dir)
    other = Project.open(other_dir)
    other.tag("P2", "1.1", lines="30-31", coder="RA")
    other.close()
    r = sample.merge(other_dir, as_coder="RB")
    assert r["added"] == len(sample.codings(coder="RB")) == 82
    again = sample.merge(other_dir, as_coder="RB")
    assert again["added"] == 0
    table = sample.agreement("RA", "RB").table.set_index("theme_number")
    assert table.loc["1.2"].kappa == 1.0 and table.loc["1.1"].only_RB > 0


def test_merge_refuses_a_different_transcript(sample, tmp_path):
    other_dir = tmp_path / "coder_b"
    shutil.copytree(sample.folder, other_dir)
    other = Project.open(other_dir)
    edited = tmp_path / "P2.txt"
    edited.write_text(other.text("P2").replace("call centre", "bank"), encoding="utf-8")
    other.ingest(edited)
    other.close()
    before = dump(sample.folder)
    with pytest.raises(ValidationReport) as info:
        sample.merge(other_dir)
    assert any("transcript 'P2'" in p and "content hash" in p for p in info.value.problems)
    assert dump(sample.folder) == before


def test_cli_agreement_exports_and_chart(sample, tmp_path):
    other_dir = tmp_path / "b"
    shutil.copytree(sample.folder, other_dir)
    ipa = Cli(sample.folder)
    assert ipa("merge", other_dir, "--as-coder", "RB").exit_code == 0
    r = ipa("agreement", "--coders", "RA", "RB", "--out", tmp_path / "a.xlsx")
    assert r.exit_code == 0
    wb = openpyxl.load_workbook(tmp_path / "a.xlsx")
    assert wb.sheetnames == ["agreement", "disagreements", "by transcript"]
    assert "compared 10 transcript(s): P1, P2," in r.stderr
    r = ipa("agreement", "--coders", "RA", "RB", "--by-transcript")
    assert r.exit_code == 0 and "compared 10 transcript(s)" in r.stdout
    assert r.stdout.count("P10") >= 2  # a row per theme for transcript P10
    header = [c.value for c in wb["agreement"][1]]
    assert header[-3:] == ["percent_agreement", "kappa", "alpha"]
    r = ipa("chart", "agreement", "--coders", "RA", "RB", "--out", tmp_path / "k.png")
    assert r.exit_code == 0 and (tmp_path / "k.png").stat().st_size > 10_000
    r = ipa("chart", "agreement", "--out", tmp_path / "k2.png")
    assert r.exit_code == 1 and "two coders" in r.stderr


def test_identical_passages_at_full_overlap_are_one_unit(two_coders):
    p = two_coders
    _code(p, "1.1", 4, 24, "A")
    _code(p, "1.1", 4, 24, "B")
    row = p.agreement("A", "B", unit="segment", overlap=1.0).table.set_index(
        "theme_number").loc["1.1"]
    assert (row.units, row.both, row.only_A, row.only_B) == (1, 1, 0, 0)


def test_segment_pairing_is_a_maximum_matching(two_coders):
    """Greedy best-first pairs A[0,13) with B[0,12) (.92) and leaves two passages unpaired;
    the maximum matching pairs A[0,10)-B[0,12) (.83) and A[0,13)-B[0,20) (.65)."""
    p = two_coders
    _code(p, "1.1", 0, 10, "A")
    _code(p, "1.1", 0, 13, "A")
    _code(p, "1.1", 0, 12, "B")
    _code(p, "1.1", 0, 20, "B")
    row = p.agreement("A", "B", unit="segment", overlap=0.6).table.set_index(
        "theme_number").loc["1.1"]
    assert (row.both, row.only_A, row.only_B) == (2, 0, 0)
    strict = p.agreement("A", "B", unit="segment", overlap=0.9).table.set_index(
        "theme_number").loc["1.1"]
    assert (strict.both, strict.only_A, strict.only_B) == (1, 1, 1)  # threshold applied


def test_a_transcript_only_one_coder_coded_is_compared(two_coders, tmp_path):
    p = two_coders
    for who in ("P2", "P3"):
        f = tmp_path / f"{who}.txt"
        f.write_text(f"{who}: " + "klmnopqrst" * 10 + "\n", encoding="utf-8")
        p.ingest(f)
    n1, n2, n3 = (len(p.text(w)) for w in ("P1", "P2", "P3"))
    _code(p, "1.1", 4, 24, "A")
    _code(p, "1.1", 4, 24, "B")
    _code(p, "1.1", 4, 54, "A", who="P2")  # only A coded P2: it must count against B
    r = p.agreement("A", "B")
    assert r.transcripts == ("P1", "P2")
    row = r.table.set_index("theme_number").loc["1.1"]
    assert (row.both, row.only_A, row.only_B, row.neither) == (20, 50, 0, n1 + n2 - 70)
    assert row.kappa == pytest.approx(kappa(20, 50, 0, n1 + n2 - 70), abs=1e-4)
    per = r.by_transcript.set_index(["theme_number", "transcript"])
    assert per.loc[("1.1", "P1")].kappa == 1.0
    assert per.loc[("1.1", "P2")].only_A == 50 and per.loc[("1.1", "P2")].kappa == 0.0
    everything = p.agreement("A", "B", all_transcripts=True)
    assert everything.transcripts == ("P1", "P2", "P3")
    assert everything.table.set_index("theme_number").loc["1.1"].units == n1 + n2 + n3


def test_agreement_workbook_holds_the_tables_typed_and_dated(two_coders, tmp_path):
    """Every sheet is its table: a header row, numbers as numbers (NaN and "" empty), text
    as text; the same result gives the same bytes."""
    from ipa_toolkit.report.agreement import write_agreement

    p = two_coders
    _code(p, "1.1", 4, 24, "A")
    _code(p, "1.1", 14, 34, "B")
    _code(p, "1.2", 50, 60, "A")
    r = p.agreement("A", "B")
    assert r.by_transcript is not None
    path = write_agreement(r, tmp_path / "a.xlsx")
    wb = openpyxl.load_workbook(path)
    frames = {"agreement": r.table, "disagreements": r.disagreements,
              "by transcript": r.by_transcript}
    assert wb.sheetnames == list(frames)
    for name, df in frames.items():
        rows = [[c.value for c in row] for row in wb[name].iter_rows()]
        assert rows[0] == [str(c) for c in df.columns]
        want = [[None if v == "" or (isinstance(v, float) and v != v) else v for v in row]
                for row in df.to_numpy(dtype=object).tolist()]
        assert [row[:len(df.columns)] for row in rows[1:]] == want, name
    assert wb["agreement"]["A2"].data_type == "s"
    assert wb.properties.creator == "ipa-toolkit"
    again = write_agreement(r, tmp_path / "b.xlsx")
    assert path.read_bytes() == again.read_bytes()
