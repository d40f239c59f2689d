"""Report tables as DataFrames: the seed's Table 1 and Table 2, recurrence, quotes, overlaps."""

from __future__ import annotations

import pytest

import ipa_toolkit as ipa
from ipa_toolkit.analysis.prevalence import recurrence_threshold
from ipa_toolkit.errors import InputError


def test_participants_table_columns_order_and_summary(sample):
    df = ipa.tables.participants(sample, ["Age", "gender"], summary=True)
    assert list(df.columns) == ["ID", "Age", "Gender"]
    assert list(df.ID[:3]) == ["P1", "P2", "P3"] and df.ID.iloc[9] == "P10"
    assert df.iloc[-1].tolist() == ["Summary (N = 10)", "M = 47.3, SD = 12.2", "F 9, M 1"]
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
    assert counts.loc["Themes per participant", "P1"] == 8  # leaf themes only


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
