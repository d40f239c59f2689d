"""Terminology presets (``ipa config terms 2022|2009|generic``) reach every label: the
paper tables, charts, report headings, the draft, the log, the audit trail and --help."""

from __future__ import annotations

import docx
import pytest

from ipa_toolkit.project import Project
from ipa_toolkit.report import charts, tables
from ipa_toolkit.report.writers import write_table

from .conftest import Cli

# preset -> (Table 2 headers, chart legend title, draft heading word, log word, pet help)
EXPECTED = {
    "2022": (["Group experiential theme", "Sub-theme"], "Group experiential themes",
             "Group experiential theme 1", "PET P7:1", "Personal experiential themes (PETs)"),
    "2009": (["Superordinate Theme", "Subordinate Theme"], "Superordinate themes",
             "Superordinate theme 1", "case theme P7:1", "Superordinate themes (case)"),
    "generic": (["Theme", "Sub-theme"], "Themes", "Theme 1", "case theme P7:1",
                "Case themes: clusters of one participant's codes"),
}


@pytest.fixture
def study(small: Project) -> Project:
    small.add_statement("P7", "world turned upside down", lines="2-3")
    small.idio.add_pet("P7", "A world undone", statements="1")
    small.idio.map("P7:1", "1.2")
    small.tag("P2", "1.1", lines="2")
    return small


def _docx_header(path) -> list[str]:
    return [c.text for c in docx.Document(str(path)).tables[0].rows[0].cells]


@pytest.mark.parametrize("preset", list(EXPECTED))
def test_a_preset_names_tables_charts_draft_log_and_help(study, tmp_path, preset):
    headers, legend, heading, logged, helped = EXPECTED[preset]
    study.config("terms", preset)
    df = tables.themes(study, contributors="fraction")
    assert _docx_header(write_table(df, tmp_path / "t2.docx", 2))[:2] == headers
    assert df.attrs["title"].startswith(headers[0].split()[0])
    last = tables.recurrence(study).iloc[-1, 0]
    assert last == ("Subordinate themes" if preset == "2009" else "Sub-themes") + \
        " per participant"
    level = tables.codebook(study).set_index("Number").loc["1.1", "Level"]
    assert level == {"2022": "sub-theme", "2009": "subordinate", "generic": "sub-theme"}[preset]
    from ipa_toolkit.web.views import codebook_tree

    top = codebook_tree(study)["roots"][0]["level"]  # ipa serve's codebook page
    assert top == {"2022": "group experiential theme", "2009": "superordinate",
                   "generic": "theme"}[preset]
    fig = charts.stacked_bars(study)
    assert fig.axes[0].get_legend().get_title().get_text() == legend
    fig = charts.recurrence_bars(study)
    assert fig.axes[0].get_legend().get_title().get_text() == legend
    fig = charts.prevalence_heatmap(study)
    assert fig.axes[0].get_ylabel() == ("Subordinate themes" if preset == "2009"
                                        else "Sub-themes")
    import matplotlib.pyplot as plt

    plt.close("all")
    draft = [p.text for p in docx.Document(str(study.draft(tmp_path / "d.docx"))).paragraphs]
    assert any(t.startswith(heading + ":") for t in draft)
    changes = " | ".join(study.log(participant="P7").change)
    assert logged in changes
    study.audit(tmp_path / "audit")
    trail = (tmp_path / "audit" / "trail.md").read_text(encoding="utf-8")
    assert f"## {headers[0].split()[0]}" in trail
    study.close()
    out = Cli(study.folder)("pet", "--help").output
    assert helped in out
    others = [e[4] for k, e in EXPECTED.items() if k != preset]
    assert not any(o in out for o in others)


def test_the_codebooks_own_level_names_win_over_the_preset(sample, tmp_path):
    """The seed study names its levels (domain, superordinate, subordinate): Table 2 keeps
    them under every preset, so the paper's table is reproduced exactly."""
    sample.config("terms", "generic")
    df = tables.themes(sample, contributors="fraction")
    assert list(df.columns[:3]) == ["Domain", "Superordinate Theme", "Subordinate Theme"]
    assert charts.stacked_bars(sample).axes[0].get_legend().get_title().get_text() == \
        "Superordinate themes"
    # its heatmap rows mix levels (3 Left in limbo has no sub-themes): plainly 'Themes'
    assert charts.prevalence_heatmap(sample).axes[0].get_ylabel() == "Themes"
    import matplotlib.pyplot as plt

    plt.close("all")


def test_the_whole_report_speaks_the_preset(study, tmp_path):
    study.config("terms", "generic")
    study.report(tmp_path / "rep")
    d = docx.Document(str(tmp_path / "rep" / "report.docx"))
    text = [p.text for p in d.paragraphs]
    assert "Table 2. Themes and sub-themes." in text
    assert "Figure 2. Passages per theme for each participant." in text
    assert "Appendix: case themes of P7" in text
    heads = [[c.text for c in t.rows[0].cells] for t in d.tables]
    assert ["Theme", "Sub-theme", "Participants", "Passages"] in heads
    assert not any("experiential" in c.lower() or "PET" in c for h in heads for c in h)


def test_help_is_fast_and_follows_the_project_here(small, tmp_path):
    from .test_cli import _python

    small.config("terms", "2009")
    small.close()
    code = ("import sys\nfrom ipa_toolkit.cli import main\n"
            "try:\n    main(['pet', 'add', '--help'])\nexcept SystemExit:\n    pass\n"
            "print(sorted(m for m in ('pandas', 'matplotlib', 'docx', 'spacy')"
            " if m in sys.modules))\n")
    out = _python(code, small.folder)
    assert "Cluster emergent themes into a new superordinate theme (case)." in out
    assert out.strip().splitlines()[-1] == "[]"
    outside = _python(code, tmp_path)  # no project: the 2022 words
    assert "Cluster experiential statements into a new personal experiential theme (PET)" \
        in " ".join(outside.split())
