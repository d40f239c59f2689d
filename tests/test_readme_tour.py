"""The README's command-line tour runs as written, against the shipped sample files.

The commands are read from README.md itself, so the tour cannot drift from the tool.
"""

from __future__ import annotations

import shlex
import shutil

from click.testing import CliRunner

from ipa_toolkit.cli import main

from .conftest import CODEBOOKS, ROOT, SAMPLE


def tour_commands() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = text.split("## A tour of the command line", 1)[1]
    block = block.split("```bash\n", 1)[1].split("```", 1)[0]
    return [line for line in block.splitlines() if line.strip()]


def test_the_tour_names_only_shipped_files():
    tour = "\n".join(tour_commands())
    for missing in ("participants.xlsx", "../transcripts/", "coding_sheet.xlsx"):
        assert missing not in tour
    assert "../transcripts_sample/participants.csv" in tour


def test_the_readme_tour_runs_as_written(tmp_path, monkeypatch):
    shutil.copytree(SAMPLE, tmp_path / "transcripts_sample")
    shutil.copytree(CODEBOOKS, tmp_path / "codebooks")
    monkeypatch.delenv("IPA_CODER", raising=False)
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    ran = []
    for line in tour_commands():
        words = shlex.split(line, comments=True)
        if words[0] == "cd":
            monkeypatch.chdir(words[1])
            continue
        assert words[0] == "ipa", line
        r = runner.invoke(main, words[1:], catch_exceptions=False)
        ran.append(words[1])
        if words[1] == "check":  # exits 1 when a check fails, as the tour says
            assert r.exit_code in (0, 1) and ("FAIL" in r.stdout) == (r.exit_code == 1)
            continue
        assert r.exit_code == 0, f"{line}\n{r.stdout}{r.stderr}"
        assert "error" not in r.stderr, line
    assert len(ran) >= 35 and ran[-1] == "report"
    assert (tmp_path / "study" / "report" / "report.docx").exists()
    assert (tmp_path / "study" / "table2.docx").exists()
