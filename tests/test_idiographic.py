"""The idiographic path: statements, PETs, mapping to GETs, and the audit log."""

from __future__ import annotations

import csv as csv_module
import io
import re
import sqlite3

import pytest

from ipa_toolkit.errors import IpaError
from ipa_toolkit.project import Project

from .conftest import Cli, dump
from .test_cli import _python


@pytest.fixture
def idio(small: Project) -> Project:
    """The small project with two statements for P7, one for P2, and P7's PET 1."""
    small.add_statement("P7", "world turned upside down", lines="2-3")
    small.add_statement("P7", "shame of association", lines="5")
    small.add_statement("P2", "disbelief", lines="2")
    small.idio.add_pet("P7", "A world undone", statements="1,2")
    return small


def test_statement_anchored_by_lines_and_quote(small):
    s = small.add_statement("P7", "  a  short phrase ", lines="2-3", note="why")
    assert (s.text, s.start_line, s.end_line, s.note) == ("a short phrase", 2, 3, "why")
    assert s.quote == small.text("P7")[s.start:s.end]
    words = " ".join(s.quote.split()[:4])
    q = small.add_statement("P7", "by quote", quote=words)
    assert q.start_line == 2
    df = small.statements("P7")
    assert list(df.columns) == ["id", "participant", "transcript", "start_line", "end_line",
                                "quote", "text", "note", "coder", "created"]
    assert df.text.tolist() == ["a short phrase", "by quote"]
    assert small.statements("P2").empty


def test_pets_numbered_per_participant_with_sub_themes(idio):
    x = idio.idio.add_pet("P2", "Not believing it", statements=[3])
    assert idio.idio.ref(x) == "P2:1"  # numbering is per participant
    sub = idio.idio.add_pet("P7", "Shame", parent="P7:1")
    assert idio.idio.ref(sub) == "P7:1.1"
    two = idio.idio.add_pet("P7", "Second")
    assert two.number == "2"
    pets = idio.pets("P7")
    assert pets.pet.tolist() == ["P7:1", "P7:1.1", "P7:2"]
    assert pets.set_index("pet").loc["P7:1", "statements"] == "1,2"
    assert pets.set_index("pet").loc["P7:1.1", "parent"] == "P7:1"


def test_pet_move_merge_rename_delete_assign(idio):
    ix = idio.idio
    ix.add_pet("P7", "Second", statements="2")
    moved = ix.move_pet("P7:2", "P7:1")
    assert ix.ref(moved) == "P7:1.1"
    assert ix.ref(ix.move_pet("P7:1.1")) == "P7:2"
    ix.rename_pet("P7:2", "Renamed")
    ix.map("P7:2", "1.2")
    r = ix.merge_pets("P7:2", "P7:1")
    assert r == {"statements": 1, "themes": 1, "subthemes": 0}
    assert idio.pets("P7").set_index("pet").loc["P7:1", "themes"] == "1.2"
    assert ix.assign("P7:1", "1", remove=True) == 1
    assert ix.delete_pet("P7:1") == {"statements_released": 1}
    assert idio.pets().empty and len(idio.statements()) == 3


@pytest.mark.parametrize("call, message", [
    (lambda p: p.idio.add_pet("P7", "x", statements="99"), "no experiential statement with id 99"),
    (lambda p: p.idio.add_pet("P7", "x", statements="3"), "statement 3 belongs to P2, not P7"),
    (lambda p: p.idio.assign("P7:1", "3"), "statement 3 belongs to P2"),
    (lambda p: p.idio.map("P7:1", "9.9"), "unknown theme '9.9'"),
    (lambda p: p.idio.map("P7:5", "1.1"), "P7 has no PET 5"),
    (lambda p: p.idio.merge_pets("P7:1", "P2:1"), "P2 has no PET 1"),
    (lambda p: p.add_statement("P7", "x", lines="400-401"), "outside the transcript"),
    (lambda p: p.add_statement("P7", "   ", lines="2"), "statement is empty"),
    (lambda p: p.idio.add_pet("P7", "x", statements="a,b"), "'a' is not a statement id"),
    (lambda p: p.idio.pet("P7-1"), "not a PET reference"),
    # labels and texts that Word comments and coding sheets would read back as others
    (lambda p: p.idio.add_pet("P7", "Good > bad"), "cannot hold '>'"),
    (lambda p: p.idio.add_pet("P7", "P2:1"), "would read as a PET reference"),
    (lambda p: p.idio.add_pet("P7", "x / get: 1.2"), "'/ GET:' part"),
    (lambda p: p.idio.add_pet("P7", "a WORLD undone"), "P7 already has a PET 'A world "
                                                       r"undone' \(P7:1\)"),
    (lambda p: p.idio.rename_pet("P7:1", "Then > now"), "cannot hold '>'"),
    (lambda p: p.add_statement("P7", "a / PET: b", lines="2"), "cannot hold '/ PET:'"),
    (lambda p: p.idio.edit_statement(1, text="a /GET: 1"), "cannot hold '/ PET:'"),
])
def test_bad_input_is_one_line_and_changes_nothing(idio, call, message):
    before = dump(idio.folder)
    with pytest.raises(IpaError, match=message) as err:
        call(idio)
    assert "\n" not in str(err.value)
    assert dump(idio.folder) == before


def test_sibling_labels_stay_distinct_through_rename_move_and_merge(idio):
    """Two sibling PETs of one label would come back from Word or a sheet as one: a
    rename, move or merge that makes them is refused, and a refused merge undoes all."""
    ix = idio.idio
    ix.add_pet("P7", "Shame", parent="P7:1")
    ix.add_pet("P7", "Second", statements="2")
    ix.add_pet("P7", "shame", parent="P7:2")  # the same label under another PET is fine
    ix.add_pet("P7", "Shame")
    ix.map("P7:2", "1.2")
    before = dump(idio.folder)
    for call, said in ((lambda: ix.rename_pet("P7:3", "second"), "P7 already has a PET"),
                       (lambda: ix.move_pet("P7:3", "P7:1"), "P7:1 already has a sub-theme "
                                                              "'Shame' (P7:1.1)"),
                       (lambda: ix.merge_pets("P7:2", "P7:1"), "P7:1 already has a sub-theme")):
        with pytest.raises(IpaError, match=re.escape(said)):
            call()
        assert dump(idio.folder) == before
    ix.rename_pet("P7:3", "shame ")  # its own label, recased, is no clash
    assert ix.pet("P7:3").label == "shame"


def test_merge_across_participants_refused(idio):
    idio.idio.add_pet("P2", "Not believing it", statements="3")
    before = dump(idio.folder)
    with pytest.raises(IpaError, match="different participants"):
        idio.idio.merge_pets("P7:1", "P2:1")
    assert dump(idio.folder) == before


def test_mapped_pet_makes_a_contributor_and_theme_operations_carry_mappings(idio):
    assert idio.theme_counts()["1.2"] == (0, 0)
    idio.idio.map("P7:1", "1.2")
    passages, people = idio.theme_counts()["1.2"]
    assert (passages, people) == (2, 1)  # the PET's two statements are its passages
    idio.merge_themes("1.2", "1.1")
    assert idio.pets("P7").themes.tolist() == ["1.1"]
    with pytest.raises(IpaError, match="PET mapping"):
        idio.delete_theme("1.1")


def test_every_change_is_logged_with_before_and_after(idio):
    idio.idio.rename_pet("P7:1", "A world undone, and remade")
    idio.tag("P7", "1.1", lines="2-3")
    log = idio.log(participant="P7")
    assert {"statement", "pet", "pet_statement", "transcript", "coding"} <= set(log.entity)
    renamed = log[(log.entity == "pet") & (log.action == "update")].iloc[0]
    assert "label: A world undone -> A world undone, and remade" in renamed.change
    assert idio.log(theme="1").entity.tolist()[-1] == "coding"
    assert idio.log(coder="nobody").empty
    assert idio.log(since="2999-01-01").empty


def test_log_is_append_only_and_replays_to_the_same_state(idio, tmp_path):
    ix = idio.idio
    ix.map("P7:1", "1.2")
    ix.add_pet("P7", "Later", statements="2")
    ix.merge_pets("P7:2", "P7:1")
    idio.tag("P7", "1.1", lines="4")
    idio.untag(ref="P7", theme="1.1")
    first = idio.log()
    idio.config("recurrence_rule", "third")
    again = idio.log()
    assert again.iloc[: len(first)].equals(first)  # earlier rows never change
    rebuilt = Project.init(tmp_path / "rebuilt")
    with rebuilt.store.transaction():
        rebuilt.store.replay(idio.store.log_entries())
    rebuilt.close()
    idio.close()

    def state(folder):
        con = sqlite3.connect(folder / "ipa_project.sqlite3")
        try:
            tables = [r[0] for r in con.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name NOT IN "
                "('audit_log', 'log_texts', 'schema_version') ORDER BY name")]
            return {t: con.execute(f"SELECT * FROM {t} ORDER BY 1, 2").fetchall()
                    for t in tables}
        finally:
            con.close()

    assert state(tmp_path / "rebuilt") == state(idio.folder)


def test_cli_statement_pet_map_and_log(idio):
    cli = Cli(idio.folder)
    idio.close()
    r = cli("statement", "P7", "--lines", "6", "a new statement")
    assert r.exit_code == 0 and "statement #4: 'a new statement' (P7, 6)" in r.output
    assert "a new statement" in cli("statements", "P7").output
    assert cli("pet", "add", "P7", "Second", "--statements", "4").exit_code == 0
    r = cli("pet", "map", "P7:2", "1.2")
    assert r.exit_code == 0 and "mapped to 1.2" in r.output
    r = cli("pet", "map", "P7:2", "9.9")
    assert r.exit_code == 1 and r.output.count("\n") == 1
    out = cli("pets", "P7", "--format", "csv").output.splitlines()
    assert out[0].startswith("pet,participant,number,label") and len(out) == 3
    csv = cli("log", "--participant", "P7", "--format", "csv").output
    assert "ipa pet map P7:2 1.2" in csv and ",PET mapping," in csv


def test_log_speaks_the_researchers_words_and_names_pets_by_reference(idio):
    """`ipa log`: the entity column in the preset's words, PETs as P7:1 (as they were
    numbered then), --entity in either words or the log's own names, and a --since that
    is no date is one line instead of an empty listing."""
    idio.idio.map("P7:1", "1.2")
    idio.idio.add_pet("P7", "Second", statements="2")
    idio.idio.move_pet("P7:2", "P7:1")  # now P7:1.1
    cli = Cli(idio.folder)
    idio.close()
    rows = list(csv_module.DictReader(io.StringIO(cli("log", "--format", "csv").output)))
    said = {r["entity"] for r in rows}
    assert {"experiential statement", "PET", "experiential statement in PET", "PET mapping",
            "GET"} <= said
    assert not said & {"pet", "pet_statement", "pet_theme", "statement", "theme"}
    changes = [r["change"] for r in rows if r["entity"] == "experiential statement in PET"]
    assert changes[:2] == ["experiential statement #1 in PET P7:1",
                           "experiential statement #2 in PET P7:1"]
    assert changes[-1] == "experiential statement #2 in PET P7:2"  # before the move
    assert "PET P7:1 -> GET 1.2" in [r["change"] for r in rows]
    assert not [c for c in (r["change"] for r in rows) if "PET #" in c]
    for name in ("PET mapping", "pet_theme", "pet mapping"):
        out = cli("log", "--entity", name, "--format", "csv").output.splitlines()
        assert len(out) == 2 and "PET P7:1 -> GET 1.2" in out[1], name
    assert cli("config", "terms", "2009").exit_code == 0
    table = cli("log", "--entity", "emergent theme in case theme").output
    assert "emergent theme #1 in case theme P7:1" in table
    for args, said in ((("--entity", "bogus"), "no such kind of change 'bogus'"),
                       (("--since", "yesterday"), "'yesterday' is not a date"),
                       (("--until", "2026-13-01"), "'2026-13-01' is not a date")):
        r = cli("log", *args)
        assert r.exit_code == 1 and r.output.count("\n") == 1 and said in r.output


def test_statement_and_pet_map_do_not_import_heavy_libraries(idio):
    idio.close()
    for args in (["statement", "P7", "--lines", "2", "quick"], ["pet", "map", "P7:1", "1.1"]):
        code = (
            "import sys\n"
            "from ipa_toolkit.cli import main\n"
            f"args = ['-p', {str(idio.folder)!r}, *{args!r}]\n"
            "try:\n    main(args)\nexcept SystemExit as e:\n    assert e.code in (0, None), e\n"
            "print(sorted(m for m in ('pandas', 'matplotlib', 'spacy', 'docx', 'openpyxl')"
            " if m in sys.modules))\n")
        assert _python(code, idio.folder).strip().splitlines()[-1] == "[]"


def test_statements_follow_reingest_and_anonymisation(project, tmp_path):
    project.config("spacy_model", "blank")
    f = tmp_path / "P1.txt"
    f.write_text("Interviewer: Who was there?\nP1: Alison came to the door. It was the end of "
                 "everything I knew.\n", encoding="utf-8")
    project.ingest(f)
    s = project.add_statement("P1", "Alison as the messenger of the end",
                              quote="It was the end of everything I knew.")
    f.write_text("Interviewer: Who was there, on that day?\nP1: A long pause. Alison came to "
                 "the door. It was the end of everything I knew.\n", encoding="utf-8")
    project.ingest(f)
    moved = project.store.statement(s.id)
    assert moved.quote == "It was the end of everything I knew." and moved.start != s.start
    key = tmp_path / "key.csv"
    key.write_text("name,pseudonym\nAlison,[neighbour]\n", encoding="utf-8")
    project.anonymise_apply(key, log=tmp_path / "log.csv")
    row = project.statements().iloc[0]
    assert row.text == "[neighbour] as the messenger of the end"
    assert "Alison" not in dump(project.folder)  # not in the log's history either
    [redacted] = project.log(entity="log").change.tolist()
    assert redacted.startswith("names pseudonymised in ") and redacted != \
        "names pseudonymised in 0 earlier log rows"


def test_cli_statement_edit_and_delete(idio):
    cli = Cli(idio.folder)
    idio.close()
    r = cli("statement-edit", "1", "--text", "a world turned over", "--note", "why")
    assert r.exit_code == 0 and "statement #1: 'a world turned over'" in r.output
    assert cli("statement-delete", "1").exit_code == 0
    r = cli("statement-delete", "1")
    assert r.exit_code == 1 and "no experiential statement with id 1" in r.output
    out = cli("pets", "P7", "--format", "csv").output.splitlines()[1]
    assert out.split(",")[5] == "2"  # statement 1 left the PET, 2 stays


def test_the_log_records_the_command_but_not_where_the_key_is(project, tmp_path):
    project.config("spacy_model", "blank")
    f = tmp_path / "P1.txt"
    f.write_text("Interviewer: Who?\nP1: Alison came.\n", encoding="utf-8")
    project.ingest(f)
    key = tmp_path / "secret_key_file.csv"
    key.write_text("name,pseudonym\nAlison,[neighbour]\n", encoding="utf-8")
    cli = Cli(project.folder)
    project.close()
    assert cli("anonymise", "apply", "--key", key).exit_code == 0
    assert cli("statement", "P1", "--lines", "2", "a visit").exit_code == 0
    with Project.open(project.folder) as again:
        commands = set(again.log().command)
    assert "ipa statement P1 'a visit' --lines 2" in commands
    assert "ipa anonymise apply --key '(not recorded)'" in commands
    assert "secret_key_file" not in dump(project.folder)
