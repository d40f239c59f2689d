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


def test_a_hand_edited_log_never_becomes_sql_nor_an_internal_error(cli, tmp_path):
    """log.csv is data: a snapshot key naming no column (one that would have been pasted
    into the INSERT as SQL), an id past 64 bits, JSON nested deeper than Python parses:
    each is one line naming log.csv and its line, exit 1, no folder; `ipa import` of the
    same export is refused too and the empty project stays empty."""
    import json

    _idiographic(cli)
    assert cli("export", tmp_path / "sent").exit_code == 0
    first_theme = None

    def edit(k, change):
        def apply(rows):
            nonlocal first_theme
            i = next(i for i, r in enumerate(rows) if r[5] == "theme" and r[4] == "insert")
            first_theme = i + 1  # its line in log.csv
            change(rows[i])
            return rows
        _edited(tmp_path / "sent", tmp_path / f"e{k}", apply)
        return tmp_path / f"e{k}"

    def inject(row):
        snap = json.loads(row[10])
        snap["number, label) SELECT ?, ?, sqlite_version() --"] = "x"
        row[10] = json.dumps(snap)

    cases = [(inject, "names no column 'number, label) SELECT"),
             (lambda row: row.__setitem__(6, "9" * 30), "log row is damaged"),
             (lambda row: row.__setitem__(0, "-" + "9" * 30), "log row is damaged"),
             (lambda row: row.__setitem__(10, "[" * 200_000 + "]" * 200_000),
              "log row is damaged")]
    for k, (change, said) in enumerate(cases):
        folder = edit(k, change)
        r = cli("replay", tmp_path / "out", "--from", folder, project=False)
        assert r.exit_code == 1, r.output
        assert r.output.count("\n") == 1 and said in r.output, r.output
        assert f"log.csv, line {first_theme}" in r.output
        assert not (tmp_path / "out").exists()
        empty = Cli(tmp_path / f"empty{k}")
        assert empty("init", tmp_path / f"empty{k}", project=False).exit_code == 0
        before = dump(empty.folder)
        r = empty("import", folder)
        assert "internal error" not in r.output, r.output
        if r.exit_code == 1:  # an id no database holds
            assert dump(empty.folder) == before
            continue
        # the import keeps the log as text (its own ids renumbered): replaying it from the
        # project refuses what it refused from the file
        r = empty("replay", tmp_path / f"out{k}")
        if k == 2:
            assert r.exit_code == 0, r.output
            continue
        assert r.exit_code == 1 and r.output.count("\n") == 1, r.output
        assert said in r.output and not (tmp_path / f"out{k}").exists()
        for args in (("log",), ("log", "--format", "csv"), ("audit", "--out", tmp_path / "a")):
            r = empty(*args)
            assert "internal error" not in r.output, r.output
