"""Codebook files: parsing, validation by line, theme references."""

from __future__ import annotations

import pytest

from ipa_toolkit.codebook.file import parse_codebook, read_codebook_file
from ipa_toolkit.codebook.tree import Codebook
from ipa_toolkit.errors import CodebookError, ThemeNotFound, ValidationReport
from ipa_toolkit.model import Theme

from .conftest import CODEBOOKS


def test_seed_codebook_has_both_domains_and_every_theme():
    spec = read_codebook_file(CODEBOOKS / "nop_study.yaml")
    assert spec.levels == ("domain", "superordinate", "subordinate")
    got = {s.number: s.label for s in spec.themes}
    assert got == {
        "A": "The impact of discovery", "B": "Intervening agencies",
        "1": "The devastation of the discovery", "1.1": "Not my world",
        "1.2": "Mourning your life", "1.3": "Navigating tainted identities",
        "2": "Making sense of the nonsensical", "2.1": "Seeing shades of grey",
        "2.2": "Reconciling the man with the actions",
        "2.3": "Damned if I do, damned if I don’t",
        "3": "Left in limbo", "4": "Suspected and scrutinised"}
    assert all(s.description for s in spec.themes)
    parents = {s.number: s.parent for s in spec.themes}
    assert parents["1.3"] == "1" and parents["1"] == "A" and parents["4"] == "B"


def test_generic_example_uses_its_own_level_names():
    spec = read_codebook_file(CODEBOOKS / "thematic_analysis_example.yaml")
    assert spec.levels == ("theme", "sub-theme")


def test_every_problem_is_reported_with_its_line(data):
    with pytest.raises(ValidationReport) as info:
        read_codebook_file(data / "codebook_bad.yaml")
    problems = "\n".join(info.value.problems)
    assert "line 8: duplicate theme number 1.1 (first at line 6)" in problems
    assert "line 10: theme without a label" in problems
    assert "line 11: theme 'No number at all' has no number" in problems
    assert "line 12: theme 3 has unknown parent 9" in problems
    assert all("codebook_bad.yaml" in p for p in info.value.problems)


def test_not_yaml_names_file_and_line(data):
    with pytest.raises(CodebookError) as info:
        read_codebook_file(data / "codebook_not_yaml.yaml")
    assert info.value.line is not None and "codebook_not_yaml.yaml" in info.value.format()


def test_flat_codebook_with_parent_keys_and_numbers_kept_as_text():
    spec = parse_codebook('themes:\n- {number: 1, label: A}\n- {number: 1.10, label: B, '
                          'parent: 1}\n- {number: "1.1", label: C, parent: 1}\n')
    assert [s.number for s in spec.themes] == ["1", "1.10", "1.1"]


def _cb():
    ts = [Theme(1, "1", "The devastation of the discovery"),
          Theme(2, "1.1", "Not my world", parent_id=1),
          Theme(3, "1.2", "Mourning your life", parent_id=1),
          Theme(4, "1.3", "Navigating tainted identities", parent_id=1, position=2),
          Theme(5, "2", "Making sense"), Theme(6, "2.1", "Mourning the future", parent_id=5)]
    return Codebook(ts, ("superordinate", "subordinate"))


@pytest.mark.parametrize("ref,number", [
    ("1.2", "1.2"), ("#4", "1.3"), ("not my world", "1.1"), ("Navig", "1.3"),
    ("1.2 Mourning your life", "1.2"), (3, "1.2"), ("Mourning your", "1.2")])
def test_resolve(ref, number):
    assert _cb().resolve(ref).number == number


def test_resolve_typo_and_ambiguity():
    with pytest.raises(ThemeNotFound) as info:
        _cb().resolve("Morning your life")
    assert "did you mean '1.2 Mourning your life'" in info.value.hint
    with pytest.raises(ThemeNotFound, match="ambiguous"):
        _cb().resolve("Mourning")


def test_tree_helpers():
    cb = _cb()
    assert [t.number for t in cb.walk()] == ["1", "1.1", "1.2", "1.3", "2", "2.1"]
    assert cb.subtree_ids(cb.resolve("1")) == {1, 2, 3, 4}
    assert cb.level_name(cb.resolve("1.1")) == "subordinate"
    assert cb.next_child_number(cb.resolve("1")) == "1.4"
    assert cb.path(cb.resolve("1.1")) == "The devastation of the discovery > Not my world"


def test_yaml_round_trip_keeps_everything():
    text = (CODEBOOKS / "nop_study.yaml").read_text(encoding="utf-8")
    spec = parse_codebook(text)
    themes = []
    ids = {}
    for i, s in enumerate(spec.themes, 1):
        ids[s.number] = i
        themes.append(Theme(i, s.number, s.label, ids.get(s.parent), s.description,
                            s.inclusion, s.exclusion, s.colour, i, s.retired, s.keywords))
    again = parse_codebook(Codebook(themes, spec.levels, spec.name).to_yaml())
    assert [(s.number, s.label, s.parent, s.description, s.keywords, s.colour)
            for s in again.themes] == \
        [(s.number, s.label, s.parent, s.description, s.keywords, s.colour)
         for s in spec.themes]


def test_a_number_repeated_three_times_cites_its_first_line_each_time():
    text = ('name: x\nthemes:\n  - number: "1"\n    label: A\n  - number: "1"\n    label: B\n'
            '  - number: "1"\n    label: C\n')
    with pytest.raises(ValidationReport) as info:
        parse_codebook(text, "cb.yaml")
    assert info.value.problems == ["cb.yaml, line 5: duplicate theme number 1 (first at line 3)",
                                   "cb.yaml, line 7: duplicate theme number 1 (first at line 3)"]
