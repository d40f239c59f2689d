"""The notebook face of the library: tidy values, short reprs, and a tutorial that runs."""

from __future__ import annotations


def test_theme_counts_are_keyed_by_theme_number(sample):
    counts = sample.theme_counts()
    assert counts["1.2"] == (10, 10) and counts["A"][1] == 10
    assert all(isinstance(k, str) for k in counts)


def test_recurrence_frame_has_real_dtypes_and_separate_totals(sample):
    df = sample.recurrence()
    assert df.index.name == "theme" and df.index[0] == "1"
    people = [c for c in df.columns if c.startswith("P")]
    assert len(people) == 10 and all(df[p].dtype == bool for p in people)
    assert df["participants"].dtype == "int64" and df["meets"].dtype == bool
    assert df.loc["2.3", "participants"] == 5 == int(df.loc["2.3", people].sum())
    assert df.loc["2.3", "P1"] and not df.loc["2.3", "P2"]
    counts = sample.recurrence(counts=True)
    assert counts["P1"].dtype == "int64" and counts.loc["1.3", "P1"] == 3
    strict = sample.recurrence("all")
    assert not strict.loc["2.1", "meets"] and strict.attrs["threshold"] == 10


def test_short_reprs_and_html(sample):
    assert repr(sample) == ("<Project sample_project: 10 participants, 10 transcripts, "
                            "12 themes, 81 codings>")
    cb = repr(sample.codebook)
    assert cb.startswith("<Codebook") and "12 themes" in cb and "\n" not in cb
    html = sample.codebook._repr_html_()
    assert "<table>" in html and "Mourning your life" in html


def test_tutorial_notebook_runs(_sample_built, tmp_path):
    """docs/tutorial.ipynb runs top to bottom against a copy of the sample project."""
    import shutil
    from pathlib import Path

    import nbformat
    from nbclient import NotebookClient

    shutil.copytree(_sample_built, tmp_path / "sample_project")
    path = Path(__file__).parent.parent / "docs" / "tutorial.ipynb"
    nb = nbformat.read(path, as_version=4)
    NotebookClient(nb, timeout=300, kernel_name="python3",
                   resources={"metadata": {"path": str(tmp_path)}}).execute()
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    assert not [o for o in outputs if o.output_type == "error"]
    text = "".join(str(o.get("text", "")) + str(o.get("data", {}).get("text/plain", ""))
                   for o in outputs)
    assert "<Project sample_project" in text
    assert (tmp_path / "report" / "report.docx").exists()
    assert sorted(p.name for p in tmp_path.glob("figure*.png")) == [
        "figure1_prevalence.png", "figure2_stacked.png", "figure3_recurrence.png"]
