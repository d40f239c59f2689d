"""`ipa replay`: a project rebuilt from its audit log alone exports to the same files."""

from __future__ import annotations

import csv
import shutil

from .conftest import Cli, dump


def _idiographic(cli: Cli) -> None:
    for args in (("statement", "P7", "--lines", "2-3", "world turned upside down"),
                 ("statement", "P7", "--lines", "5", "shame of association"),
                 ("pet", "add", "P7", "A world undone", "--statements", "1,2"),
                 ("pet", "add", "P7", "Shame", "--parent", "P7:1"),
                 ("pet", "map", "P7:1", "1.2"),
                 ("tag", "P7", "--lines", "4", "--theme", "1.1"),
                 ("pet", "rename", "P7:1", "A world undone, and remade"),
                 ("config", "terms", "2009")):
        assert cli(*args).exit_code == 0


def test_replay_rebuilds_the_same_project_from_its_log(cli, tmp_path):
    _idiographic(cli)
    r = cli("replay", tmp_path / "rebuilt")
    assert r.exit_code == 0, r.output
    assert "its plain export equals the original's" in r.output
    assert dump(tmp_path / "rebuilt") == dump(cli.folder)  # row for row, log included
    again = Cli(tmp_path / "rebuilt")("pets", "P7")
    assert "A world undone, and remade" in again.output and "P7:1.1" in again.output
    # the same check from an export an auditor was sent, without the project
    assert cli("export", tmp_path / "sent").exit_code == 0
    r = cli("replay", tmp_path / "rebuilt2", "--from", tmp_path / "sent", project=False)
    assert r.exit_code == 0, r.output


def _edited(src, dst, change) -> None:
    shutil.copytree(src, dst)
    with open(dst / "log.csv", encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    with open(dst / "log.csv", "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows(change(rows))


def test_a_log_that_does_not_replay_is_one_line_and_leaves_nothing(cli, tmp_path):
    _idiographic(cli)
    assert cli("export", tmp_path / "sent").exit_code == 0
    before = dump(cli.folder)
    # a PET's insert is missing: its statements cannot be filed under it
    _edited(tmp_path / "sent", tmp_path / "gap",
            lambda rows: [r for r in rows if not (r[5] == "pet" and r[4] == "insert")])
    r = cli("replay", tmp_path / "out", "--from", tmp_path / "gap", project=False)
    assert r.exit_code == 1
    assert r.output.count("\n") == 1 and "log.csv, line " in r.output
    assert "does not replay" in r.output
    assert not (tmp_path / "out").exists()
    # a rename dropped: the log replays, but to a different state than the export holds
    _edited(tmp_path / "sent", tmp_path / "short",
            lambda rows: [r for r in rows if not (r[5] == "pet" and r[4] == "update")])
    r = cli("replay", tmp_path / "out", "--from", tmp_path / "short", project=False)
    assert r.exit_code == 1 and "replays to a different state: pets.csv line 2" in r.output
    assert not (tmp_path / "out").exists()
    # a damaged snapshot
    def damage(rows):
        rows[3][10] = "{not json"
        return rows
    _edited(tmp_path / "sent", tmp_path / "bad", damage)
    r = cli("replay", tmp_path / "out", "--from", tmp_path / "bad", project=False)
    assert r.exit_code == 1 and "log.csv, line 4: log row is damaged" in r.output
    # the folder must be new
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "x.txt").write_text("keep", encoding="utf-8")
    r = cli("replay", tmp_path / "full")
    assert r.exit_code == 1 and "needs a new or empty folder" in r.output
    assert (tmp_path / "full" / "x.txt").read_text(encoding="utf-8") == "keep"
    r = cli("replay", tmp_path / "full" / "x.txt")
    assert r.exit_code == 1 and "x.txt: the replay needs a new or empty folder" in r.output
    r = cli("replay", tmp_path / "out", "--from", tmp_path / "nowhere", project=False)
    assert r.exit_code == 1 and "nowhere: not an ipa export" in r.output
    assert dump(cli.folder) == before


def test_a_project_pseudonymised_since_still_replays(cli, tmp_path):
    """Anonymisation rewrites names in the log's snapshots too: the log still rebuilds the
    (pseudonymised) project, line numbers recomputed included."""
    _idiographic(cli)
    key = tmp_path / "key.csv"
    key.write_text("name,pseudonym\nTuesday,an ordinary weekday of no importance at all\n",
                   encoding="utf-8")
    r = cli("anonymise", "apply", "--key", key, "--log", tmp_path / "done.csv")
    assert r.exit_code == 0, r.output
    assert "Tuesday" not in dump(cli.folder)
    r = cli("replay", tmp_path / "rebuilt")
    assert r.exit_code == 0, r.output
    assert dump(tmp_path / "rebuilt") == dump(cli.folder)
