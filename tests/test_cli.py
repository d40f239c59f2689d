"""The ``ipa`` command: thin, quick, and never a traceback for bad input."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import CODEBOOKS, DATA, Cli, dump


def _one_line_error(result, *words):
    assert result.exit_code != 0, result.output
    err = result.stderr.strip()
    assert err.startswith("error: ") and "\n" not in err, err
    assert "Traceback" not in result.output
    for w in words:
        assert w.lower() in err.lower(), err


@pytest.mark.parametrize("args,words", [
    (["ingest", DATA / "missing.txt"], ["missing.txt", "not found"]),
    (["ingest", DATA / "empty.txt"], ["empty.txt", "empty"]),
    (["ingest", DATA / "binary.txt"], ["binary.txt", "binary"]),
    (["ingest", DATA / "corrupt.docx"], ["corrupt.docx", "not a zip"]),
    (["ingest", DATA / "codebook_small.yaml"], ["unsupported"]),
    (["tag", "P99", "--theme", "1.1", "--lines", "1"], ["unknown participant", "P99"]),
    (["tag", "P7", "--theme", "Anothr world", "--lines", "1"], ["did you mean", "1.1"]),
    (["tag", "P7", "--theme", "1.1", "--lines", "3-300"], ["outside", "1-7"]),
    (["tag", "P7", "--theme", "1.1", "--lines", "x"], ["not a line range"]),
    (["tag", "P7", "--theme", "1.1", "--quote", "words never spoken"], ["not found"]),
    (["participants", "import", DATA / "nope.csv"], ["nope.csv"]),
    (["participants", "set", "P42", "Age", "3"], ["unknown participant"]),
    (["codebook", "import", DATA / "codebook_not_yaml.yaml"], ["codebook_not_yaml.yaml",
                                                               "line"]),
    (["untag", "999"], ["no coding with id 999"]),
    (["show", "P7", "--lines", "5-20"], ["outside"]),
    (["config", "wrap_width", "3"], ["wrap_width"]),
    (["export", Path("out.qdx")], ["no exchange format"]),
])
def test_bad_input_one_line_nonzero_and_nothing_changed(cli, args, words):
    before = dump(cli.folder)
    _one_line_error(cli(*args), *words)
    assert dump(cli.folder) == before


def test_malformed_codebook_lists_each_problem_with_file_and_line(cli):
    before = dump(cli.folder)
    r = cli("codebook", "import", DATA / "codebook_bad.yaml")
    assert r.exit_code == 1 and "Traceback" not in r.output
    first, *problems = r.stderr.strip().splitlines()
    assert first.startswith("error: ") and "4 problem(s)" in first
    assert len(problems) == 4 and all("codebook_bad.yaml, line" in p for p in problems)
    assert dump(cli.folder) == before


def test_no_project_here(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    r = Cli(tmp_path)("codings", project=False)
    _one_line_error(r, "no ipa project", "ipa init")
    _one_line_error(Cli(tmp_path / "nowhere")("codings"), "not an ipa project")


def test_a_session_in_the_shell(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    ipa = Cli(tmp_path / "study")
    assert ipa("init", tmp_path / "study", project=False).exit_code == 0
    monkeypatch.chdir(tmp_path / "study")  # found from the current folder from now on
    run = Cli(tmp_path / "study")
    assert run("codebook", "import", CODEBOOKS / "nop_study.yaml", project=False).exit_code == 0
    assert run("ingest", DATA / "P7_interview.docx", project=False).exit_code == 0
    r = run("tag", "P7", "--quote", "I remember the bins.", "--theme", "Not my",
            "--coder", "ab", project=False)
    assert r.exit_code == 0 and "(P7, 2)" in r.stdout
    r = run("tag", "P7", "--quote", "I remember the bins.", "--theme", "1.1", "--coder", "ab",
            project=False)
    assert "already coded" in r.stdout
    out = json.loads(run("codings", "--format", "json", project=False).stdout)
    assert [(c["participant"], c["theme_number"], c["quote"]) for c in out] == \
        [("P7", "1.1", "I remember the bins.")]
    tree = run("codebook", "show", project=False).stdout
    assert "1.1 Not my world" in tree and "1/1 participants" in tree
    assert "| 1.1" in run("show", "P7", "--lines", "2-3", project=False).stdout
    r = run("report", "--out", "report", project=False)
    assert r.exit_code == 0 and (tmp_path / "study" / "report" / "codings.csv").exists()


def _python(code: str, cwd: Path) -> str:
    return subprocess.run([sys.executable, "-c", code], cwd=cwd, capture_output=True,
                          text=True, check=True).stdout


def test_light_commands_do_not_import_heavy_libraries(small, backend):
    code = (
        "import sys\n"
        "from ipa_toolkit.cli import main\n"
        f"args = ['-p', {str(small.folder)!r}, 'tag', 'P7', '--lines', '2', '--theme', '1.1']\n"
        "try:\n    main(args)\nexcept SystemExit as e:\n    assert e.code in (0, None), e\n"
        "print(sorted(m for m in ('pandas', 'matplotlib', 'spacy', 'docx', 'openpyxl',"
        " 'psycopg')"
        " if m in sys.modules))\n"
        "print(sorted(m for m in sys.modules if m.startswith('ipa_toolkit.cli.')))\n"
        "print(sorted(m for m in ('ipa_toolkit.codebook.file', 'ipa_toolkit.ingest.pipeline',"
        " 'ipa_toolkit.terms', 'ipa_toolkit.method.idiographic', 'hashlib', 'shutil')"
        " if m in sys.modules))\n"
        "print('sqlite3' in sys.modules)\n")
    small.close()
    out = _python(code, small.folder).strip().splitlines()
    assert out[:2] == ["coded #1: 1.1 Another world (P7, 2)", "[]"]
    # start-up is the coder's wait: tag loads its own commands' module and none of the
    # others, and not the file formats, the idiographic layer or hashing that coding does
    # not use
    assert out[2] == str(["ipa_toolkit.cli.app", "ipa_toolkit.cli.coding"])
    assert out[3] == "[]"
    assert out[4] == str(backend == "sqlite")  # a team project's command loads no sqlite3


def test_a_mistyped_command_names_the_closest(cli):
    r = cli("tga", "P7")
    assert r.exit_code == 2 and "No such command 'tga'. Did you mean 'tag'?" in r.stderr
    r = cli("xyzzy")
    assert r.exit_code == 2 and "Did you mean" not in r.stderr
    r = cli("theme", "renmae", "1.1", "x")
    assert r.exit_code == 2 and "Did you mean 'rename'?" in r.stderr


def test_every_command_is_in_the_lazy_table():
    """``ipa X`` imports the module ``COMMAND_MODULES`` names for X: a command missing from
    the table would be unreachable, one named wrongly would fail only when typed."""
    code = ("from ipa_toolkit.cli import app, load_all, main\n"
            "load_all()\n"
            "for name, cmd in sorted(main.commands.items()):\n"
            "    print(name, cmd.callback.__module__.rsplit('.', 1)[-1],"
            " app.COMMAND_MODULES.get(name))\n"
            "print(sorted(set(app.COMMAND_MODULES) - set(main.commands)))\n")
    lines = _python(code, Path.cwd()).strip().splitlines()
    assert lines[-1] == "[]"
    wrong = [ln for ln in lines[:-1] if ln.split()[1] != ln.split()[2]]
    assert wrong == [] and len(lines) > 40


def test_python_dash_m_and_version(tmp_path):
    r = subprocess.run([sys.executable, "-m", "ipa_toolkit", "--version"], capture_output=True,
                       text=True)
    assert r.returncode == 0 and "ipa, version" in r.stdout


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="counts threads in /proc")
def test_the_command_starts_no_blas_threads_unless_asked(tmp_path):
    """numpy's OpenBLAS would start a spinning thread per core in ``ipa`` and in each child
    a report forks; a user's own OPENBLAS_NUM_THREADS still wins."""
    code = ("import os, sys\n"
            "from ipa_toolkit.cli import run\n"
            "sys.argv = ['ipa', '--version']\n"
            "try:\n    run()\nexcept SystemExit:\n    pass\n"
            "import numpy\n"
            "numpy.ones((64, 64)) @ numpy.ones((64, 64))\n"
            "print(os.environ['OPENBLAS_NUM_THREADS'], len(os.listdir('/proc/self/task')))\n")
    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_NUM_THREADS"}

    def threads(**extra) -> list[str]:
        return subprocess.run([sys.executable, "-c", code], cwd=tmp_path, text=True,
                              capture_output=True, check=True,
                              env={**env, **extra}).stdout.split()[-2:]

    assert threads() == ["1", "1"]
    asked = threads(OPENBLAS_NUM_THREADS="2")
    assert asked[0] == "2" and int(asked[1]) >= 2


def test_theme_delete_removes_an_uncoded_theme_and_refuses_a_coded_one(cli, small):
    r = cli("theme", "delete", "1.1")
    assert r.exit_code == 0 and r.stderr == "", r.output
    small.close()
    from ipa_toolkit.project import Project

    p = Project.open(small.folder)
    assert "1.1" not in {t.number for t in p.codebook.themes}
    p.tag("P7", "1.2", lines="2")
    p.close()
    before = dump(cli.folder)
    _one_line_error(cli("theme", "delete", "1.2"), "1.2")
    assert dump(cli.folder) == before
    r = cli("theme", "delete", "1.2", "--move-codings-to", "2.1")
    assert r.exit_code == 0, r.output
    p = Project.open(small.folder)
    assert "1.2" not in {t.number for t in p.codebook.themes}
    assert p.codings().theme_number.tolist() == ["2.1"]
    p.close()
