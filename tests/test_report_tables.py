"""Report tables as DataFrames: the seed's Table 1 and Table 2, recurrence, quotes, overlaps."""

from __future__ import annotations

import pytest

import ipa_toolkit as ipa
from ipa_toolkit.analysis.prevalence import recurrence_threshold
from ipa_toolkit.errors import InputError

from .conftest import Cli


def test_participants_table_columns_order_and_summary(sample):
    df = ipa.tables.participants(sample, ["Age", "gender"], summary=True)
    assert list(df.columns) == ["ID", "Age", "Gender"]
    assert list(df.ID[:3]) == ["P1", "P2", "P3"] and df.ID.iloc[9] == "P10"
    assert df.iloc[-1].tolist() == ["Summary (N = 10)", "M = 47.3, SD = 12.2", "Female 9, Male 1"]
    with pytest.raises(InputError, match="no participant attribute 'Height'"):
        ipa.tables.participants(sample, ["Height"])


def test_theme_table_follows_the_hierarchy(sample):
    df = ipa.tables.themes(sample, contributors="fraction", passages=True)
    assert list(df.columns) == ["Domain", "Superordinate Theme", "Subordinate Theme",
                                "Participants", "Passages"]
    assert df.attrs["group"] == "Domain" and df.attrs["merge"] == ["Superordinate Theme"]
    first = df.iloc[0].tolist()
    assert first == ["The impact of discovery", "1. The devastation of the discovery",
                     "1.1. Not my world", "10/10", 11]
    limbo = df[df["Superordinate Theme"] == "3. Left in limbo"].iloc[0]
    assert limbo["Subordinate Theme"] == "" and limbo["Domain"] == "Intervening agencies"
    one = ipa.tables.themes(sample, "A", contributors="list", quote=True)
    assert list(one.columns) == ["Superordinate Theme", "Subordinate Theme", "Participants",
                                 "Illustrative quote"]
    assert len(one) == 6 and one.attrs["title"] == "Themes relating to the impact of discovery"
    assert one.iloc[0]["Participants"] == "P1, P2, P3, P4, P5, P6, P7, P8, P9, P10"
    assert one.iloc[0]["Illustrative quote"].endswith("(P1, 23-25)")


def test_recurrence_counts_participants_once_over_the_subtree(sample):
    df = ipa.tables.recurrence(sample).set_index("Theme")
    assert df.loc["2. Making sense of the nonsensical", "Total"] == 10
    assert df.loc["2.3. Damned if I do, damned if I don’t", "Total"] == 5
    assert df.loc["2.3. Damned if I do, damned if I don’t", "P2"] == ""
    assert df.loc["2.3. Damned if I do, damned if I don’t", "P1"] == "✓"
    strict = ipa.tables.recurrence(sample, "all").set_index("Theme")
    assert strict.loc["2.1. Seeing shades of grey", "Meets recurrence"] == "No"
    assert strict.loc["1.1. Not my world", "Meets recurrence"] == "Yes"
    counts = ipa.tables.recurrence(sample, counts=True).set_index("Theme")
    assert counts.loc["1.3. Navigating tainted identities", "P1"] == 3
    assert counts.loc["Lowest-level themes per participant", "P1"] == 8  # says what it counts


@pytest.mark.parametrize("rule,n,need", [("half", 10, 5), ("half", 9, 5), ("third", 10, 4),
                                         ("all", 7, 7), ("50%", 9, 5), ("3", 10, 3),
                                         (2, 10, 2), ("quarter", 12, 3)])
def test_recurrence_rules(rule, n, need):
    assert recurrence_threshold(rule, n) == need


def test_bad_rule_is_an_input_error(sample):
    with pytest.raises(InputError, match="unknown recurrence rule"):
        ipa.tables.recurrence(sample, "most")


def test_quotes_exemplars_first_then_one_per_participant(sample):
    sample.tag("P3", "1.1", quote="Police interviews, statements, a court.")
    df = ipa.tables.quotes(sample, 4)
    mine = df[df.Theme == "1.1. Not my world"]
    assert list(mine.Participant) == ["P1", "P3", "P2", "P4"]  # two exemplars, then by ID
    assert mine.Citation.iloc[0] == "(P1, 23-25)"
    assert df.groupby("Theme").size().max() <= 4
    sample.config("citation", "[{participant}: {start}–{end}]")
    assert ipa.tables.quotes(sample, 1).Citation.iloc[0] == "[P1: 23–25]"


def test_cooccurrence_counts_overlapping_passages(sample):
    df = ipa.tables.cooccurrence(sample).set_index("Theme")
    assert df.loc["1.3. Navigating tainted identities", "1.3"] == 14
    assert df.loc["1.3. Navigating tainted identities", "4"] == 1  # P1 "Like I was in on it."
    assert df.loc["4. Suspected and scrutinised", "1.3"] == 1
    assert (df[df.columns].values == df[df.columns].values.T).all()


def test_codebook_table_and_unknown_options(sample):
    df = ipa.tables.codebook(sample, notes=True)
    assert list(df.columns)[:4] == ["Number", "Theme", "Level", "Description"]
    assert df.set_index("Number").loc["1.2", "Level"] == "subordinate"
    with pytest.raises(InputError, match="--rule does not apply to quotes"):
        sample.table("quotes", rule="half")


def test_extract_shows_the_participants_whole_sentences_with_elisions():
    from ipa_toolkit.ingest.lines import number_lines
    from ipa_toolkit.report.extracts import display_extract

    paras = ["Interviewer: How did it feel?",
             "P3: I think it was a kind of grief. It is like what people say about grief "
             "when someone dies. It is a sorrow with nobody to bury, and I don't know where "
             "to put it.",
             "Interviewer: Mm.",
             "P3: Nobody asks about me. They ask about him."]
    text, lines = number_lines(paras, width=40)
    start, end = text.index("about grief"), text.index("They ask")  # a line-range coding
    shown = display_extract(text, lines, start, end)
    assert shown == ("It is a sorrow with nobody to bury, and I don’t know where to put it. "
                     "... Nobody asks about me.")
    whole = display_extract(text, lines, 0, len(text))
    assert "Interviewer" not in whole and "How did it feel" not in whole
    assert whole.startswith("I think it was") and " ... Nobody asks" in whole


def test_table_4_extracts_are_trimmed_but_codings_keep_their_span(sample):
    before = sample.codings().set_index("id")
    df = ipa.tables.quotes(sample)
    assert all(x[:1].isupper() or x[:1] in "“‘" for x in df.Extract)
    assert not any("'" in x or '"' in x for x in df.Extract)  # typographic throughout
    assert "..." in df.attrs["note"]
    assert sample.codings().set_index("id").quote.equals(before.quote)


def test_categories_merge_case_and_spaces_and_say_so():
    from ipa_toolkit.report.tables import _summarise

    text, merged = _summarise(["Custodial sentence", "Custodial Sentence ", " custodial  sentence",
                               "Suspended sentence"])
    assert text == "Custodial sentence 3, Suspended sentence 1"
    assert merged == ["“Custodial Sentence” and “Custodial sentence” and “custodial sentence”"]
    assert _summarise(["60", "70"], "category")[0] == "60 1, 70 1"
    assert _summarise(["sixty", "x"], "text")[0] == ""


def test_typed_attributes_refuse_bad_values_and_shape_table_1(sample, tmp_path):
    from ipa_toolkit.errors import ValidationReport

    before = ipa.tables.participants(sample, ["Age"], summary=True).iloc[-1, 1]
    assert before == "M = 47.3, SD = 12.2"
    sample.type_attribute("age", "number")
    with pytest.raises(InputError, match="Age is a number attribute: 'sixty' is not a number"):
        sample.set_attribute("P3", "Age", "sixty")
    assert sample.participant("P3").attributes["Age"] == "68"
    sample.type_attribute("Age", "category")
    assert ipa.tables.participants(sample, ["Age"], summary=True).iloc[-1, 1] == \
        "10 categories"
    sample.set_attribute("P3", "Age", "sixty")  # a category takes any value
    with pytest.raises(InputError, match="cannot be a number: P3 \\(sixty\\)"):
        sample.type_attribute("Age", "number")
    sheet = tmp_path / "more.csv"
    sheet.write_text("ID,Height:number,Town:text\nP1,170,Leeds\nP2,tall,York\n",
                     encoding="utf-8")
    with pytest.raises(ValidationReport) as info:
        sample.import_participants(sheet)
    assert info.value.problems == [f"{sheet}, line 3: Height is a number, not 'tall'"]
    sheet.write_text("ID,Height:number,Town:text\nP1,170,Leeds\nP2,160,York\n",
                     encoding="utf-8")
    sample.import_participants(sheet)
    assert sample.setting("attribute_types")["Height"] == "number"
    assert "Height" in sample.participants().columns
    assert ipa.tables.participants(sample, ["Town"], summary=True).iloc[-1, 1] == ""


def test_cli_participants_type(sample):
    ipa_cli = Cli(sample.folder)
    r = ipa_cli("participants", "type", "Age", "number")
    assert r.exit_code == 0 and "Age: number" in r.stdout
    r = ipa_cli("participants", "set", "P3", "Age", "sixty")
    assert r.exit_code == 1 and "not a number" in r.stderr
    assert "Traceback" not in r.stderr


def _many_siblings(project, tmp_path, order):
    """A codebook whose theme 1 has sub-themes 1.1 .. 1.11, listed in ``order``."""
    subs = "".join(f'      - number: "1.{k}"\n        label: Sub {k}\n' for k in order)
    cb = tmp_path / "many.yaml"
    cb.write_text('name: many\nthemes:\n  - number: "1"\n    label: Top\n    themes:\n' + subs,
                  encoding="utf-8")
    project.import_codebook(cb)
    return project


def test_ten_or_more_siblings_keep_1_9_before_1_10(project, tmp_path):
    _many_siblings(project, tmp_path, range(1, 12))
    for name in ("themes", "codebook", "recurrence"):
        df = ipa.tables.table(project, name)
        cells = [c for c in df.astype(str).to_numpy().ravel() if c.startswith("1.")]
        numbers = [c.split(".")[0] + "." + c.split(".")[1].split()[0].rstrip(".")
                   for c in cells if c[2:3].isdigit()]
        ordered = [f"1.{k}" for k in range(1, 12)]
        assert [n for n in dict.fromkeys(numbers)] == ordered, (name, numbers)


def test_codebook_position_wins_over_number_order(project, tmp_path):
    order = [3, 1, 2, 10, 11, 4, 5, 6, 7, 8, 9]
    _many_siblings(project, tmp_path, order)
    df = ipa.tables.themes(project)
    got = [c.split(".")[0] + "." + c.split(".")[1] for c in df.iloc[:, 1]]
    assert got == [f"1.{k}" for k in order]
    assert [t.number for t in project.codebook.walk()][1:] == [f"1.{k}" for k in order]
