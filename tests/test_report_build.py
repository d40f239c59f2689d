"""``ipa report``: the Word report in paper order plus every table and chart as a file."""

from __future__ import annotations

import docx

from ipa_toolkit.report.build import CHART_FORMATS, TABLE_FORMATS

from .conftest import Cli


def test_report_folder_and_word_report(sample, tmp_path):
    out = tmp_path / "report"
    written = sample.report(out)
    assert written[0] == out / "report.docx"
    tables = sorted(p.name for p in (out / "tables").iterdir())
    assert len(tables) == 10 * len(TABLE_FORMATS)  # + convergence, PETs of P1, P3, P5
    assert "table1_participants.docx" in tables and "table3_recurrence.tex" in tables
    figures = sorted(p.name for p in (out / "figures").iterdir())
    assert figures == ["figure1_prevalence.png", "figure2_stacked.png",
                       "figure3_recurrence.png"]  # SVG and PDF only when asked for
    d = docx.Document(str(out / "report.docx"))
    captions = [p.text for p in d.paragraphs if p.text.startswith(("Table ", "Figure "))]
    assert captions == ["Table 1. Participant information.",
                        "Table 2. Superordinate and subordinate themes.",
                        "Table 3. Recurrence of themes across participants.",
                        "Table 4. Illustrative extracts by theme.",
                        "Table 5. Co-occurrence of themes (overlapping passages).",
                        "Figure 1. Theme prevalence per participant (passages).",
                        "Figure 2. Passages per superordinate theme for each participant.",
                        "Figure 3. Participants contributing to each theme.",
                        "Table 6. Codebook.",
                        "Table 7. Convergence and divergence across participants.",
                        "Table 8. Personal experiential themes of P1.",
                        "Table 9. Personal experiential themes of P3.",
                        "Table 10. Personal experiential themes of P5."]
    assert len(d.tables) == 10 and len(d.inline_shapes) == 3
    assert d.tables[0].rows[1].cells[0].text == "P1"


def test_report_is_reproducible(sample, tmp_path):
    a, b = sample.report(tmp_path / "a"), sample.report(tmp_path / "b")
    for pa, pb in zip(a, b, strict=True):
        if pa.suffix in (".csv", ".md", ".tex", ".html", ".svg", ".pdf", ".txt", ".yaml",
                         ".png"):
            assert pa.read_bytes() == pb.read_bytes(), pa.name


def test_privacy_exports_carry_ids_only(sample, tmp_path):
    sample.add_participant("P11")
    out = tmp_path / "r"
    sample.report(out)
    text = "".join(p.read_text(encoding="utf-8", errors="ignore")
                   for p in out.rglob("*") if p.suffix in (".csv", ".md", ".html", ".tex"))
    assert "sample_project" not in text and str(tmp_path) not in text


def test_cli_table_chart_and_report(sample, tmp_path):
    ipa = Cli(sample.folder)
    r = ipa("table", "participants", "--summary")
    assert r.exit_code == 0 and "Summary (N = 10)" in r.stdout
    r = ipa("table", "themes", "--root", "A", "--format", "md", "--number", "2")
    assert r.stdout.startswith("**Table 2.** *Themes relating to the impact of discovery.*")
    r = ipa("table", "recurrence", "--out", tmp_path / "t3.xlsx")
    assert r.exit_code == 0 and (tmp_path / "t3.xlsx").exists()
    r = ipa("table", "quotes", "--format", "docx")
    assert r.exit_code == 1 and "give --out" in r.stderr
    r = ipa("table", "quotes", "--rule", "half")
    assert r.exit_code == 1 and "does not apply" in r.stderr
    r = ipa("chart", "stacked", "--out", tmp_path / "f.svg")
    assert r.exit_code == 0 and (tmp_path / "f.svg").read_text().startswith("<?xml")
    r = ipa("report", "--out", tmp_path / "rep")
    assert r.exit_code == 0 and (tmp_path / "rep" / "report.docx").exists()


def test_report_figures_option(sample, tmp_path):
    """--figures adds SVG and PDF on request; PNG is always written (Word embeds it); an
    unknown format is one clear line and writes nothing."""
    ipa = Cli(sample.folder)
    r = ipa("report", "--out", tmp_path / "a", "--figures", "pdf")
    assert r.exit_code == 0, r.stderr
    names = sorted(p.name for p in (tmp_path / "a" / "figures").iterdir())
    assert names == sorted(f"figure{k}_{n}{s}" for k, n in
                           enumerate(("prevalence", "stacked", "recurrence"), start=1)
                           for s in (".png", ".pdf"))
    assert (tmp_path / "a" / "figures" / "figure3_recurrence.pdf").read_bytes()[:5] == b"%PDF-"
    r = ipa("report", "--out", tmp_path / "b", "--figures", "png,gif")
    assert r.exit_code == 1 and "no figure format 'gif'" in r.stderr
    assert "internal error" not in r.stderr and not (tmp_path / "b").exists()


def test_jupyter_display(sample):
    html = sample._repr_html_()
    assert "10 participants" in html and "<table" in html and "Not my world" in html


def test_report_of_an_empty_project_is_a_clear_error(project, tmp_path):
    import pytest

    from ipa_toolkit.errors import InputError

    with pytest.raises(InputError, match="codebook is empty"):
        project.report(tmp_path / "r")
    assert not (tmp_path / "r").exists()


def _report_at(project, out, when):
    import time_machine

    with time_machine.travel(when, tick=False):
        return project.report(out)


def test_report_is_byte_identical_at_two_clock_times(sample, tmp_path):
    """Zip entry times and document properties come from the project, not the clock."""
    import datetime as dt
    import zipfile

    a = _report_at(sample, tmp_path / "a", dt.datetime(2031, 3, 4, 5, 6, 7, tzinfo=dt.UTC))
    b = _report_at(sample, tmp_path / "b", dt.datetime(2033, 8, 9, 10, 11, 12, tzinfo=dt.UTC))
    assert len(a) == len(b) >= 49
    differ = [pa.name for pa, pb in zip(a, b, strict=True) if pa.read_bytes() != pb.read_bytes()]
    assert differ == []
    with zipfile.ZipFile(a[0]) as z:
        years = {info.date_time[0] for info in z.infolist()}
        core = z.read("docProps/core.xml").decode()
    assert "2031" not in core and years.isdisjoint({2031})


def test_source_date_epoch_dates_the_files(sample, tmp_path, monkeypatch):
    import zipfile

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # 2023-11-14T22:13:20Z
    out = sample.write_table("participants", tmp_path / "t1.docx")
    with zipfile.ZipFile(out) as z:
        assert {i.date_time[:3] for i in z.infolist()} == {(2023, 11, 14)}
        assert "2023-11-14T22:13:20Z" in z.read("docProps/core.xml").decode()
    xlsx = sample.write_table("participants", tmp_path / "t1.xlsx")
    with zipfile.ZipFile(xlsx) as z:
        assert "2023-11-14T22:13:20Z" in z.read("docProps/core.xml").decode()


def test_forked_rendering_writes_what_rendering_here_writes(sample, tmp_path, monkeypatch):
    """The report draws its figures, writes its table files and codings.csv in forked
    children; without fork (IPA_NO_FORK, or a platform without it) the same bytes come out
    of this process."""
    forked = sample.report(tmp_path / "forked", figures="all")
    monkeypatch.setenv("IPA_NO_FORK", "1")
    here = sample.report(tmp_path / "here", figures="all")
    assert [p.name for p in forked] == [p.name for p in here]
    assert sum(p.suffix in CHART_FORMATS for p in forked) == 3 * len(CHART_FORMATS)
    for a, b in zip(forked, here, strict=True):
        assert a.read_bytes() == b.read_bytes(), a.name
        if a.suffix in (".png", ".svg", ".pdf"):
            assert a.stat().st_size > 1000
    d = docx.Document(str(forked[0]))
    png = (tmp_path / "forked" / "figures" / "figure1_prevalence.png").read_bytes()
    embedded = [r.target_part.blob for r in d.part.rels.values() if "image" in r.reltype]
    assert png in embedded


def test_a_report_job_whose_child_fails_is_done_by_the_parent(sample, tmp_path):
    """A child that fails is not the end: the parent does the job when it collects it,
    so the same file comes out and an error, if any, shows there."""
    import os

    from ipa_toolkit.report import children

    parent = os.getpid()
    out = tmp_path / "made.txt"

    def task(project):
        if os.getpid() != parent:
            raise RuntimeError("the child fails")
        out.write_text("written by the parent", encoding="utf-8")

    job = children.start(sample, task, [out])
    assert job.pid is not None
    children.finish(sample, job)
    assert out.read_text(encoding="utf-8") == "written by the parent"


def test_a_report_leaves_the_collector_running(sample, tmp_path):
    """The report pauses the cyclic collector while it works (and ``ipa report`` keeps it
    paused to the end of its process); called in a process that goes on, it resumes."""
    import gc

    assert gc.isenabled()
    sample.report(tmp_path / "api")
    assert gc.isenabled()
    assert Cli(sample.folder)("report", "--out", str(tmp_path / "cli")).exit_code == 0
    assert gc.isenabled()
