"""Passages are counted once: identical or overlapping codings of one theme in one
transcript are one passage, whoever coded them; ``--by-coder`` splits them per coder."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ipa_toolkit.analysis.prevalence import merge_spans, prevalence

from .conftest import Cli


@pytest.fixture
def two_coders(small):
    """1.1 coded in P7 by RA (lines 2-3) and, overlapping, by 'jsmith' (line 3 only) and by
    RB (identical to RA's); plus a separate passage on line 5 by RA."""
    small.tag("P7", "1.1", lines="2-3", coder="RA")
    small.tag("P7", "1.1", lines="3", coder="jsmith")
    small.tag("P7", "1.1", lines="2-3", coder="RB")
    small.tag("P7", "1.1", lines="5", coder="RA")
    return small


def test_merge_spans_joins_overlaps_not_neighbours():
    assert merge_spans({(1, 0, 10), (1, 5, 12), (1, 12, 20), (2, 0, 10), (1, 0, 10)}) == \
        {(1, 0, 12), (1, 12, 20), (2, 0, 10)}
    assert merge_spans({(1, 0, 10), (1, 2, 4), (1, 9, 15)}) == {(1, 0, 15)}


def test_overlapping_codings_by_other_coders_count_once(two_coders):
    t = two_coders.codebook.resolve("1.1")
    assert two_coders.theme_counts()[t.number] == (2, 1)
    parent = two_coders.codebook.resolve("1")
    assert two_coders.theme_counts()[parent.number] == (2, 1)
    tree = two_coders.codebook_tree()
    assert any(line.startswith("  1.1 Another world") and " 2 passages" in line
               for line in tree.splitlines()), tree
    df = two_coders.table("themes", passages=True)
    assert df.loc[df.iloc[:, 1].str.startswith("1.1"), "Passages"].tolist() == [2]
    assert prevalence(two_coders).matrix().loc["1.1", "P7"] == 2
    co = two_coders.table("cooccurrence")
    assert co.loc[0, "1.1"] == 2  # the diagonal: each theme's passages


def test_by_coder_splits_passages(two_coders):
    df = two_coders.table("themes", passages=True, by_coder=True)
    row = df[df.iloc[:, 1].str.startswith("1.1")].iloc[0]
    assert (row["Passages"], row["Passages (RA)"], row["Passages (RB)"],
            row["Passages (jsmith)"]) == (2, 2, 1, 1)
    tree = two_coders.codebook_tree(by_coder=True)
    assert "(RA 2, RB 1, jsmith 1)" in next(x for x in tree.splitlines() if "1.1 " in x)
    r = Cli(two_coders.folder)("codebook", "show", "--by-coder")
    assert r.exit_code == 0 and "(RA 2, RB 1, jsmith 1)" in r.stdout
    r = Cli(two_coders.folder)("table", "themes", "--passages", "--by-coder", "--format", "csv")
    assert r.exit_code == 0 and "Passages (RB)" in r.stdout.splitlines()[0]


def test_check_lists_overlapping_codings_of_one_theme(two_coders):
    found = [f for f in two_coders.check().findings if f.check == "overlapping codings"]
    assert len(found) == 1 and found[0].severity == "warn"
    msg = found[0].message
    assert msg.startswith("theme 1.1 in P7 (P7_interview, lines 2-3): codings #1 (RA, 2-3)")
    assert "(jsmith, 3-3)" in msg and "(RB, 2-3)" in msg and "#4" not in msg
    r = Cli(two_coders.folder)("check")
    assert "WARN  overlapping codings: theme 1.1 in P7" in r.stdout


def test_same_span_same_coder_stays_a_no_op(small):
    assert small.tag("P7", "1.1", lines="2", coder="RA") is not None
    assert small.tag("P7", "1.1", lines="2", coder="RA") is None
    assert len(small.codings()) == 1
    r = Cli(small.folder)("tag", "P7", "--theme", "1.1", "--lines", "2", "--coder", "RA")
    assert r.exit_code == 0 and "already coded" in r.stdout and len(small.codings()) == 1


_SPAN = st.tuples(st.integers(0, 3), st.integers(0, 40), st.integers(1, 12), st.integers(0, 4))


@given(st.sets(_SPAN, max_size=40))
def test_cooccurrence_counts_every_overlapping_pair_of_two_themes(raw):
    """The co-occurrence counts (all pairs at once, with numpy) are the pairs of spans of
    two themes in one transcript that share a character, counted pair by pair here."""
    from ipa_toolkit.analysis.cooccurrence import overlap_counts

    spans = {(t, s, s + length, k) for t, s, length, k in raw}
    want = [[0] * 5 for _ in range(5)]
    for *_, k in spans:
        want[k][k] += 1
    listed = sorted(spans)
    for i, (t1, s1, e1, k1) in enumerate(listed):
        for t2, s2, e2, k2 in listed[i + 1:]:
            if t1 == t2 and k1 != k2 and s1 < e2 and s2 < e1:
                want[k1][k2] += 1
                want[k2][k1] += 1
    assert overlap_counts(spans, 5) == want


_LINEAGE = {1: [1], 2: [2, 1], 3: [3, 1], 4: [4, 2, 1], 5: [5], 6: [6, 5]}
_ROW = st.tuples(st.integers(1, 4), st.sampled_from(list(_LINEAGE)), st.integers(-2, 30),
                 st.integers(0, 8))


@settings(deadline=None)  # the first example imports numpy
@given(st.lists(_ROW, max_size=60),
       st.dictionaries(st.sampled_from([2, 6, 9]), st.dictionaries(
           st.sampled_from(["P1", "P2", "P9"]),
           st.sets(st.tuples(st.integers(0, 4), st.integers(-3, 30), st.integers(0, 6))
                   .map(lambda x: (x[0], x[1], x[1] + x[2])), max_size=4)), max_size=3))
def test_counting_at_once_is_counting_row_by_row(rows, mapped):
    """Large projects count passages with numpy (every span up its lineage, sorted and
    joined at once); the passages are those the row-by-row count makes, for any spans:
    identical, overlapping, touching, empty, PET markers with negative offsets, and spans
    ending before they start."""
    from ipa_toolkit.analysis.prevalence import passages_at_once, passages_by_row

    owner = {1: "P1", 2: "P1", 3: "P2", 4: "P3"}
    coded = [(k, t, theme, 0, 0, start, start + length, "q", "RA", "", "", "ok", 0, "")
             for k, (t, theme, start, length) in enumerate(rows)]
    assert passages_at_once(coded, owner, _LINEAGE, mapped) == \
        passages_by_row(coded, owner, _LINEAGE, mapped)
    coded.append((99, 1, 4, 0, 0, 9, 5, "q", "RA", "", "", "ok", 0, ""))  # ends before start
    assert passages_at_once(coded, owner, _LINEAGE, mapped) == \
        passages_by_row(coded, owner, _LINEAGE, mapped)


def test_counting_at_once_on_the_sample_with_a_pet(sample):
    """On a real project (the sample, with a PET mapped to a theme), numpy's count gives
    the passages the row-by-row count gives (a large project counts that way)."""
    from ipa_toolkit.analysis.prevalence import passages_at_once, passages_by_row
    from ipa_toolkit.method.idiographic import Idiographic

    made = sample.add_statement("P3", "a statement", lines="3-4")
    sample.idio.add_pet("P3", "A PET", statements=str(made.id))
    sample.idio.map("P3:1", "1.1")
    cb = sample.codebook
    rows = [r for r in sample.store.iter_coding_rows() if r[11] != "orphaned"]
    owner = {t.id: t.participant for t in sample.store.transcripts()}
    lineage = {t.id: [t.id, *(a.id for a in cb.ancestors(t))] for t in cb.themes}
    mapped = Idiographic(sample).mapped_spans()
    assert mapped and len(rows) > 50
    counted = passages_at_once(rows, owner, lineage, mapped)
    assert counted == passages_by_row(rows, owner, lineage, mapped)
    assert counted == prevalence(sample).passages
