"""``ipa check``: the IPA quality lint and its exit code."""

from __future__ import annotations

import pytest

from ipa_toolkit.analysis.check import smith_minimum

from .conftest import Cli


@pytest.mark.parametrize("n,need", [(1, 1), (3, 3), (4, 3), (8, 3), (9, 4), (30, 4)])
def test_smith_guidance_by_sample_size(n, need):
    assert smith_minimum(n) == need


def test_sample_passes(sample):
    r = sample.check()
    assert r.ok and "support" in r.passed
    # the one finding: two Word comments on P9 code overlapping text to theme 3 (one passage)
    assert [(f.check, f.severity) for f in r.findings] == [("overlapping codings", "warn")]
    assert r.findings[0].message.startswith("theme 3 in P9 (P9, lines 41-42): codings #")


def test_each_problem_is_found(small):
    small.tag("P7", "1.1", lines="2")
    small.tag("P7", "1.2", lines="2-7")
    small.update_theme("1.2", retired=True)
    r = small.check(max_words=10)
    by = {}
    for f in r.findings:
        by.setdefault(f.check, []).append(f.message)
    # 4 participants -> each theme needs 3; 1.1 has 1 (1 has 1, 2 and 2.1 have none)
    assert any("theme 1.1 'Another world' is supported by 1 of 4" in m for m in by["support"])
    assert any("2.1" in m for m in by["empty themes"])
    assert {m.split()[1] for m in by["silent participants"]} == {"P1", "P2", "P10"}
    assert len(by["retired themes"]) == 1 and "retired theme 1.2" in by["retired themes"][0]
    assert "limit 10" in by["long quotes"][0]
    assert not r.ok


def _support(project):
    return [f.message for f in project.check().findings if f.check == "support"]


def test_setting_overrides_the_minimum(small):
    small.tag("P7", "1.1", lines="2")
    assert any("needs 3" in m for m in _support(small))  # the default (Smith) fails first
    small.config("min_participants", "1")
    assert _support(small) == []
    small.config("min_participants", "all")
    assert "theme 1.1 'Another world' is supported by 1 of 4 participants (needs 4)" in \
        _support(small)


def test_many_passages_from_one_participant_do_not_make_support(small):
    for lines in ("2", "3", "5"):  # three passages, all from P7, in a 4-participant project
        small.tag("P7", "1.1", lines=lines)
    assert small.theme_counts()[small.codebook.resolve("1.1").id] == (3, 1)
    found = _support(small)
    assert "theme 1.1 'Another world' is supported by 1 of 4 participants (needs 3)" in found
    # the superordinate theme is supported by the same one participant: flagged too
    assert "theme 1 'Shock' is supported by 1 of 4 participants (needs 3)" in found
    assert not small.check().ok


def test_a_superordinate_in_a_domain_codebook_is_flagged(sample):
    lone = sample.add_theme("Lone superordinate", parent="A", number="9")
    sample.tag("P3", lone.number, lines="5")
    assert sample.codebook.levels[0] == "domain" and sample.codebook.depth(lone) == 1
    found = _support(sample)
    assert "theme 9 'Lone superordinate' is supported by 1 of 10 participants (needs 4)" \
        in found


def test_cli_exit_code_gates_a_build(small, sample):
    r = Cli(sample.folder)("check")
    assert r.exit_code == 0 and "0 check(s) failed, 1 warning(s)" in r.stdout
    small.tag("P7", "1.1", lines="2")
    r = Cli(small.folder)("check")
    assert r.exit_code == 1 and "FAIL  support" in r.stdout


def test_empty_codebook_fails(project):
    r = project.check()
    assert not r.ok and r.findings[0].check == "codebook"
