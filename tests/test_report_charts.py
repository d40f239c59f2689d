"""Charts: written as PNG/SVG/PDF, sized for a journal page, and not blank."""

from __future__ import annotations

from pathlib import Path

import matplotlib.image as mpimg
import pytest

import ipa_toolkit as ipa
from ipa_toolkit.errors import InputError

from .conftest import Cli


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
    (bars,) = fig.axes[0].collections  # one bar per participant and superordinate theme
    assert len(bars.get_paths()) == 10 * 4
    colours = {tuple(round(c, 3) for c in rgba[:3]) for rgba in bars.get_facecolors()}
    assert (round(0xE6 / 255, 3), round(0x9F / 255, 3), 0.0) in colours  # theme 1's #E69F00


def test_many_participants_are_named_without_overprinting(project, tmp_path):
    """Past what fits, every k-th participant is named on the x axis (a band of hundreds
    of overprinted names said nothing); bars of every participant are still drawn."""
    from ipa_toolkit.report.charts import _labelled

    assert _labelled(10, 40, 25) == list(range(10))
    assert _labelled(40, 40, 25) == list(range(40))
    assert _labelled(500, 40, 25) == list(range(0, 500, 20))
    (tmp_path / "t").mkdir()
    for k in range(1, 61):
        (tmp_path / "t" / f"P{k}.txt").write_text(f"Participant: I said {k} things.\n")
    project.import_codebook(Path(__file__).parent.parent / "codebooks" / "nop_study.yaml")
    project.ingest(tmp_path / "t")
    for k in range(1, 61):
        project.tag(f"P{k}", "1.1", lines="1")
    fig = ipa.charts.stacked(project)
    names = [t.get_text() for t in fig.axes[0].get_xticklabels()]
    assert names == [f"P{k}" for k in range(1, 61, 2)]
    assert len(fig.axes[0].collections[0].get_paths()) == 60 * 4
    heat = ipa.charts.prevalence(project)
    assert [t.get_text() for t in heat.axes[0].get_xticklabels()] == [
        f"P{k}" for k in range(1, 61, 3)]


def test_no_codebook_and_bad_suffix(project, sample, tmp_path):
    with pytest.raises(InputError, match="no themes"):
        project.chart("prevalence")
    with pytest.raises(InputError, match="png, .svg or .pdf"):
        sample.chart("stacked", tmp_path / "x.gif")


def test_figures_carry_no_title_unless_asked(sample, tmp_path):
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no matplotlib warnings on the terminal
        for name in ("prevalence", "stacked", "recurrence"):
            fig = ipa.charts.chart(sample, name)
            assert all(not ax.get_title(loc="left") for ax in fig.axes), name
            sample.chart(name, tmp_path / f"{name}.svg")
    titled = ipa.charts.chart(sample, "stacked", title="Passages by participant")
    assert titled.axes[0].get_title(loc="left") == "Passages by participant"
    r = Cli(sample.folder)("chart", "recurrence", "--out", tmp_path / "t.svg",
                           "--title", "Hello")
    assert r.exit_code == 0 and "Hello" in (tmp_path / "t.svg").read_text()


def test_heatmap_legend_is_discrete_with_zero(sample):
    fig = ipa.charts.prevalence(sample)
    [legend] = fig.legends
    labels = [t.get_text() for t in legend.get_texts()]
    assert labels == ["0 (not present)", "1", "2", "3"]  # the sample's counts run 0-3
    assert legend.get_title().get_text() == "Passages"
    from ipa_toolkit.report.charts import _bands

    assert _bands(20) == [(1, 4), (5, 8), (9, 12), (13, 16), (17, 20)]


def test_stacked_legend_follows_the_stack_and_axes_are_sentence_case(sample):
    fig = ipa.charts.stacked(sample)
    ax = fig.axes[0]
    labels = [t.get_text().replace("\n", " ") for t in ax.get_legend().get_texts()]
    assert labels[0].startswith("4 ") and labels[-1].startswith("1 ")  # top of stack first
    assert ax.get_ylabel() == "Passages" and ax.get_xlabel() == "Participant"


def test_recurrence_bars_show_superordinates_with_a_legend(sample):
    fig = ipa.charts.recurrence(sample)
    ax = fig.axes[0]
    ticks = [t.get_text() for t in ax.get_yticklabels()]
    assert ticks[0] == "1 The devastation of the discovery" and len(ticks) == 10
    bold = [t.get_text() for t in ax.get_yticklabels() if t.get_fontweight() == "bold"]
    assert bold == ["1 The devastation of the discovery", "2 Making sense of the nonsensical"]
    legend = [t.get_text().replace("\n", " ") for t in ax.get_legend().get_texts()]
    assert legend[0] == "1 The devastation of the discovery" and len(legend) == 4
    assert ax.get_xlabel() == "Participants contributing (of 10)"


def test_long_labels_wrap_then_end_in_an_ellipsis():
    from ipa_toolkit.report.charts import _wrap

    text = _wrap("A very long theme label " * 6, 20)
    assert text.count("\n") == 1 and text.endswith("…")
    assert all(len(line) <= 20 for line in text.split("\n"))


@pytest.mark.parametrize("name", ["prevalence", "recurrence"])
def test_png_is_drawn_once_with_the_pixels_savefig_gives(sample, tmp_path, name):
    """The PNG is painted on the figure's own canvas in one draw and written as RGB: the same
    pixels matplotlib's savefig writes (as RGBA, after a second draw), 300 dpi recorded."""
    import io

    from PIL import Image

    from ipa_toolkit.report import charts

    fig = charts.chart(sample, name)
    charts.save(fig, tmp_path / "ours.png", close=False)
    theirs = io.BytesIO()
    charts.chart(sample, name).savefig(theirs, format="png", dpi=charts.DPI)
    ours, ref = Image.open(tmp_path / "ours.png"), Image.open(theirs)
    assert ours.mode == "RGB" and ref.mode == "RGBA"
    assert ours.info["dpi"] == pytest.approx((300, 300), abs=0.01)
    assert ours.tobytes() == ref.convert("RGB").tobytes()
    assert fig.dpi == 100  # the figure is left as it was


def test_png_of_a_see_through_figure_or_another_canvas(sample, tmp_path):
    """A figure that is not opaque keeps its alpha; one on a canvas other than Agg is saved
    by matplotlib itself, still as a PNG."""
    from matplotlib.backends.backend_svg import FigureCanvasSVG
    from PIL import Image

    from ipa_toolkit.report import charts

    fig = charts.chart(sample, "stacked")
    fig.patch.set_alpha(0)
    charts.save(fig, tmp_path / "clear.png", close=False)
    clear = Image.open(tmp_path / "clear.png")
    assert clear.mode == "RGBA" and clear.getextrema()[3][0] == 0
    fig = charts.chart(sample, "stacked")
    FigureCanvasSVG(fig)
    charts.save(fig, tmp_path / "svg-canvas.png")
    assert Image.open(tmp_path / "svg-canvas.png").format == "PNG"


@pytest.mark.parametrize("name", ["prevalence", "stacked", "recurrence"])
def test_a_figure_known_opaque_is_opaque_in_every_pixel(sample, name):
    """The PNG writer skips the scan of the alpha channel for a figure it knows is opaque:
    Agg must then really leave every pixel opaque, text and images blended on top."""
    import io

    from PIL import Image

    from ipa_toolkit.report import charts

    fig = charts.chart(sample, name)
    assert charts._opaque(fig)
    drawn = io.BytesIO()
    fig.savefig(drawn, format="png", dpi=charts.DPI)
    assert Image.open(drawn).getextrema()[3] == (255, 255)


@pytest.mark.parametrize("change", ["half", "hidden", "filtered"])
def test_a_figure_not_known_opaque_is_looked_at(sample, tmp_path, change):
    """A see-through face, a hidden patch or a patch drawn through a filter: not known
    opaque, so the pixels decide, and those that are not opaque keep their alpha."""
    from PIL import Image

    from ipa_toolkit.report import charts

    fig = charts.chart(sample, "recurrence")
    if change == "half":
        fig.patch.set_facecolor((1, 1, 1, 0.5))
    elif change == "hidden":
        fig.patch.set_visible(False)
    else:
        fig.patch.set_agg_filter(lambda pixels, dpi: (pixels * 0.5, 0, 0))
    assert not charts._opaque(fig)
    charts.save(fig, tmp_path / "see-through.png")
    image = Image.open(tmp_path / "see-through.png")
    assert image.mode == "RGBA" and image.getextrema()[3][0] < 255
