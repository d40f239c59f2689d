"""What a researcher sees at the terminal: typo hints, which coder name is used, progress."""

from __future__ import annotations

import os
import pty
import subprocess
import sys

import pytest

from ipa_toolkit.errors import IpaError

from .conftest import DATA, Cli


def test_did_you_mean_catches_short_typos(sample):
    with pytest.raises(IpaError) as info:
        sample.codebook.resolve("mourm")
    assert "did you mean '1.2 Mourning your life'" in info.value.format()
    with pytest.raises(IpaError) as info:
        sample.codebook.resolve("xyzzy")
    assert "did you mean" not in info.value.format()
    r = Cli(sample.folder)("tag", "P3", "--lines", "46", "--theme", "mourm")
    assert r.exit_code == 1 and "did you mean '1.2 Mourning your life'" in r.stderr


def test_the_login_name_is_announced_once(small, monkeypatch):
    """Said when nothing is stored under the login name yet (a store query, not a read of
    every coding: at 100,000 codings that read was most of an 'ipa tag')."""
    from ipa_toolkit.project.identity import login_name

    monkeypatch.delenv("IPA_CODER", raising=False)
    ipa = Cli(small.folder)
    first = ipa("tag", "P7", "--lines", "2", "--theme", "1.1")
    assert first.exit_code == 0
    assert f"note: storing your work under the login name '{login_name()}'" in first.stderr
    assert first.stderr.count("note:") == 1
    again = ipa("tag", "P7", "--lines", "3", "--theme", "1.1")
    assert again.exit_code == 0 and "note:" not in again.stderr  # said once
    monkeypatch.setenv("IPA_CODER", "RB")
    named = ipa("tag", "P7", "--lines", "4", "--theme", "1.1")
    assert named.exit_code == 0 and "note:" not in named.stderr


def test_work_of_any_kind_under_the_login_name_counts_as_told(small, monkeypatch):
    monkeypatch.delenv("IPA_CODER", raising=False)
    ipa = Cli(small.folder)
    first = ipa("statement", "P7", "--lines", "2", "a lost world")
    assert first.exit_code == 0 and first.stderr.count("note: storing your work") == 1
    then = ipa("tag", "P7", "--lines", "3", "--theme", "1.1")
    assert then.exit_code == 0 and "note:" not in then.stderr


def _ingest(project_dir, stderr_tty: bool) -> str:
    env = {**os.environ, "IPA_CODER": "RA"}
    env.pop("IPA_NO_PROGRESS", None)
    cmd = [sys.executable, "-m", "ipa_toolkit", "-p", str(project_dir), "ingest",
           str(DATA / "P2_cp1252.txt"), str(DATA / "P7_interview.docx")]
    if not stderr_tty:
        return subprocess.run(cmd, capture_output=True, text=True, env=env, check=True).stderr
    master, slave = pty.openpty()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=slave, env=env)
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 4096)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    proc.wait()
    os.close(master)
    assert proc.returncode == 0
    return b"".join(chunks).decode("utf-8", "replace")


def test_progress_on_a_terminal_only(project):
    project.close()
    shown = _ingest(project.folder, stderr_tty=True)
    assert "reading transcripts [" in shown and "2/2" in shown
    quiet = _ingest(project.folder, stderr_tty=False)
    assert "reading transcripts" not in quiet and "[#" not in quiet
