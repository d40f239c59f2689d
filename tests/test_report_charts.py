"""Charts: written as PNG/SVG/PDF, sized for a journal page, and not blank."""

from __future__ import annotations

import matplotlib.image as mpimg
import pytest

import ipa_toolkit as ipa
from ipa_toolkit.errors import InputError


@pytest.mark.parametrize("name", ["prevalence", "stacked", "recurrence"])
def test_png_is_page_width_at_300_dpi_and_not_blank(sample, tmp_path, name):
    path = tmp_path / f"{name}.png"
    sample.chart(name, path)
    img = mpimg.imread(path)
    height, width = img.shape[:2]
    assert abs(width - round(17 / 2.54 * 300)) <= 2  # 17 cm at 300 dpi
    assert 500 < height < 3000
    assert img[..., :3].std() > 0.1  # real content, not a blank canvas


def test_svg_and_pdf_are_deterministic(sample, tmp_path):
    for suffix in (".svg", ".pdf"):
        a, b = tmp_path / f"a{suffix}", tmp_path / f"b{suffix}"
        sample.chart("recurrence", a)
        sample.chart("recurrence", b)
        assert a.read_bytes() == b.read_bytes()


def test_library_functions_return_figures(sample):
    fig = ipa.charts.prevalence(sample, presence=True)
    assert fig.get_size_inches()[0] == pytest.approx(17 / 2.54)
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_xticklabels()][:2] == ["P1", "P2"]
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels[0] == "1.1 Not my world" and len(labels) == 8
    bars = ipa.charts.recurrence(sample, rule="all")
    assert any("recurrence: all (10 of 10)" in t.get_text() for t in bars.axes[0].texts)


def test_codebook_colours_are_used(sample):
    fig = ipa.charts.stacked(sample)
    colours = {tuple(round(c, 3) for c in p.get_facecolor()[:3])
               for p in fig.axes[0].patches}
    assert (round(0xE6 / 255, 3), round(0x9F / 255, 3), 0.0) in colours  # theme 1's #E69F00


def test_no_codebook_and_bad_suffix(project, sample, tmp_path):
    with pytest.raises(InputError, match="no themes"):
        project.chart("prevalence")
    with pytest.raises(InputError, match="png, .svg or .pdf"):
        sample.chart("stacked", tmp_path / "x.gif")
