"""Hostile inputs against the real ``ipa`` command, each in a subprocess limited to 1 GiB of
address space: exit code 1, one line on stderr, no traceback, no "internal error", the
project's bytes unchanged, nothing written outside its target, peak memory under the limit.

The files are generated here (tests/hostile/make.py); nothing large is committed.
"""

from __future__ import annotations

import csv
import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from ipa_toolkit.project import Project

from ..conftest import DATA
from . import make

LIMIT = 2**30  # RLIMIT_AS for every ipa subprocess
IPA = Path(sys.executable).with_name("ipa")
COMMAND = [str(IPA)] if IPA.exists() else [sys.executable, "-m", "ipa_toolkit"]


# A small launcher sets the limit, runs ipa and reports its children's peak memory: a child
# forked straight from this (large) test process would count this process's pages as its own.
LAUNCH = ("import resource, subprocess, sys; "
          f"resource.setrlimit(resource.RLIMIT_AS, ({LIMIT}, {LIMIT})); "
          "code = subprocess.run(sys.argv[2:]).returncode; "
          "open(sys.argv[1], 'w').write(str(resource.getrusage(resource.RUSAGE_CHILDREN)"
          ".ru_maxrss)); sys.exit(code)")


def run_ipa(*args: str, cwd: Path) -> tuple[int, str, str, int]:
    """Exit code, stdout, stderr and peak resident memory (bytes) of one ``ipa`` run."""
    peak = cwd / ".peak"
    r = subprocess.run([sys.executable, "-c", LAUNCH, str(peak), *COMMAND, *args], cwd=cwd,
                       capture_output=True, text=True, errors="replace",
                       env={**os.environ, "COLUMNS": "200"})
    used = int(peak.read_text()) * 1024
    peak.unlink()
    return r.returncode, r.stdout, r.stderr, used


def snapshot(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` (links not followed) with a hash of its bytes; SQLite's
    ``-shm`` file is left out: it is the write-ahead log's shared-memory index, which every
    process that opens the project touches, and holds no data (it is rebuilt from the log)."""
    found = {}
    for root, dirs, files in os.walk(folder):
        files = [f for f in files if not f.endswith(".sqlite3-shm")]
        for name in files + [d for d in dirs if Path(root, d).is_symlink()]:
            path = Path(root, name)
            rel = str(path.relative_to(folder))
            found[rel] = ("link:" + os.readlink(path)) if path.is_symlink() else \
                hashlib.sha256(path.read_bytes()).hexdigest()
    return found


@pytest.fixture(scope="module")
def projects(tmp_path_factory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("hostile-projects")
    filled = base / "filled"
    Project.create(filled, codebook=DATA / "codebook_small.yaml",
                   participants=DATA / "participants.csv",
                   transcripts=[DATA / "P2_cp1252.txt"]).close()
    Project.init(base / "empty").close()
    return {"filled": filled, "empty": base / "empty"}


TALLY = {"cases": 0, "tracebacks": 0, "internal errors": 0, "writes outside": 0, "oom": 0}


@pytest.mark.parametrize("name", sorted(make.CASES))
def test_hostile_input_is_refused_cleanly(name, projects, tmp_path):
    maker, kind, before, after = make.CASES[name]
    work = tmp_path / "work"
    work.mkdir()
    project = tmp_path / "project"
    shutil.copytree(projects[kind], project)
    hostile = maker(work)
    outside = snapshot(tmp_path)
    code, stdout, stderr, peak = run_ipa("-p", str(project), *before, str(hostile), *after,
                                         cwd=work)
    TALLY["cases"] += 1
    TALLY["tracebacks"] += "Traceback" in stderr
    TALLY["internal errors"] += "internal error" in stderr
    TALLY["oom"] += peak >= LIMIT or "MemoryError" in stderr
    now = snapshot(tmp_path)
    TALLY["writes outside"] += now != outside
    assert "Traceback" not in stderr and "internal error" not in stderr, stderr
    assert code == 1, (code, stdout, stderr)
    lines = stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), stderr
    assert now == outside, "the project or its surroundings changed"
    assert peak < LIMIT


def test_names_from_data_never_leave_the_target(tmp_path):
    """Source names that look like paths are imported as names and written as safe, unique
    file names inside the export and report folders; nothing appears anywhere else."""
    names = ["../../../x", "/etc/evil", "C:\\Windows\\evil", "CON", "aux.txt", "..",
             "n" * 300, "P1 ..\\..\\up", "a/b", "a_b"]
    work = tmp_path / "deep" / "er" / "work"
    work.mkdir(parents=True)
    (work / "s.qdpx").write_bytes(make.qdpx_sources(names))
    before = snapshot(tmp_path)
    assert run_ipa("init", str(work / "p"), cwd=work)[0] == 0
    assign = [a for i, n in enumerate(names) for a in ("--participant", f"{n}=P{i}")]
    code, out, err, _ = run_ipa("-p", "p", "import", "s.qdpx", *assign, cwd=work)
    assert code == 0 and f"{len(names)} transcripts" in out, (out, err)
    for args in (("export", "export"), ("export", "e.qdpx"), ("report", "--out", "report")):
        code, out, err, _ = run_ipa("-p", "p", *args, cwd=work)
        assert code == 0, (out, err)
    new = set(snapshot(tmp_path)) - set(before)
    stray = [n for n in new if not any(n == f"deep/er/work/{m}" or
                                       n.startswith(f"deep/er/work/{m}/")
                                       for m in ("p", "export", "report", "e.qdpx"))]
    assert stray == []
    files = sorted(p.name for p in (work / "export" / "transcripts").iterdir())
    assert len(set(f.casefold() for f in files)) == len(names)
    for f in files:
        assert "/" not in f and "\\" not in f and ":" not in f and not f.startswith(".")
        assert f.split(".")[0].upper() not in {"CON", "AUX"} and len(f) <= 84


def test_file_names_with_control_characters_are_exported_safely(tmp_path):
    odd = tmp_path / "P1 \x1b[2J\x07bell.txt"
    odd.write_text("P1: a line of text\n", encoding="utf-8")
    p = Project.init(tmp_path / "p")
    p.ingest(odd)
    out = p.export(tmp_path / "export")
    assert [x.name for x in (out / "transcripts").iterdir()] == ["P1 [2Jbell.txt"]
    p.close()


def test_plain_export_names_are_unique_and_read_back(tmp_path):
    """Two transcript names that clean to the same file name get two files, and an import
    gives the original names back."""
    p = Project.init(tmp_path / "p")
    for n in ("P1", "P2"):
        (tmp_path / f"{n}.txt").write_text(f"{n}: a line of text\n", encoding="utf-8")
    p.ingest([tmp_path / "P1.txt", tmp_path / "P2.txt"])
    out = p.export(tmp_path / "export")
    p.close()
    renamed = {"P1": "a/b", "P2": "a_b"}
    for table in ("transcripts.csv", "speakers.csv"):
        rows = list(csv.reader((out / table).open(encoding="utf-8")))
        for row in rows[1:]:
            row[0] = renamed[row[0]]
        with (out / table).open("w", encoding="utf-8", newline="") as fh:
            csv.writer(fh, lineterminator="\n").writerows(rows)
    q = Project.init(tmp_path / "q")
    assert q.import_from(out)["transcripts"] == 2
    again = q.export(tmp_path / "again")
    assert sorted(x.name for x in (again / "transcripts").iterdir()) == ["a_b.txt", "a_b_2.txt"]
    r = Project.init(tmp_path / "r")
    r.import_from(again)
    assert sorted(t.name for t in r.transcript_list()) == ["a/b", "a_b"]
    assert r.text("P1") == "P1: a line of text"
    q.close()
    r.close()


def test_accepted_oddities(projects, tmp_path):
    """Item 8's inputs that must be read, not refused: UTF-16 without a BOM in a non-Latin
    script, and WebVTT with comma decimal times (as Taguette writes them)."""
    project = tmp_path / "project"
    shutil.copytree(projects["filled"], project)
    greek = "Interviewer: Πώς ήταν;\nP8: Ήταν δύσκολο, πολύ δύσκολο.\n"
    (tmp_path / "P8.txt").write_bytes(greek.encode("utf-16-be"))
    (tmp_path / "P6.vtt").write_text("WEBVTT\n\n00:00:01,500 --> 00:00:03,000\nAnna: hello\n\n"
                                     "00:00:04,000 --> 00:00:05,250\nBen: hi there\n",
                                     encoding="utf-8")
    for f in ("P8.txt", "P6.vtt"):
        code, out, err, _ = run_ipa("-p", str(project), "ingest", str(tmp_path / f),
                                    cwd=tmp_path)
        assert code == 0, err
    p = Project.open(project)
    assert p.text("P8") == greek.strip()
    assert "hello" in p.text("P6") and "hi there" in p.text("P6")
    assert [ln.timestamp for ln in p.lines("P6")] == ["00:00:01", "00:00:04"]
    p.close()


def test_zz_tally():
    """The suite's figures (printed with -s; asserted so a regression cannot hide)."""
    if TALLY["cases"]:
        print("\nhostile suite:", TALLY)
        assert TALLY["cases"] == len(make.CASES)
        assert TALLY["tracebacks"] == TALLY["internal errors"] == 0
        assert TALLY["writes outside"] == TALLY["oom"] == 0
