"""Charts of theme prevalence (matplotlib Figures), sized for a journal page.

Colours: the codebook's theme colours when set, else the Okabe-Ito colour-blind-safe
palette; the heatmap uses cividis (readable in greyscale and by colour-blind readers).
"""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING

from ..analysis import prevalence as counting
from ..analysis.prevalence import leaves_with_groups, recurrence_threshold
from ..errors import InputError

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.figure import Figure

    from ..model import Theme
    from ..project import Project

OKABE_ITO = ("#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7",
             "#000000")
PAGE_WIDTH_IN = 17 / 2.54  # 17 cm
DPI = 300
NAMES = ("prevalence", "stacked", "recurrence")


def _mpl():
    import matplotlib

    matplotlib.rcParams.update({"font.size": 8, "font.family": "DejaVu Sans",
                                "svg.hashsalt": "ipa", "axes.spines.top": False,
                                "axes.spines.right": False})
    return matplotlib


def _axes(height: float, width: float = PAGE_WIDTH_IN):
    """A figure on an Agg canvas of its own, and its axes. Made without pyplot, which costs a
    third of matplotlib's import and keeps every figure until it is closed."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), layout="constrained")
    FigureCanvasAgg(fig)
    return fig, fig.subplots()


def lean_import() -> None:
    """Import matplotlib without writing the docstring of each artist class's ``set()``
    (matplotlib builds them from every property as the classes are defined: a third of the
    import). For a process that only draws and saves, such as the report's drawing child;
    nothing when matplotlib is already imported."""
    import sys

    if "matplotlib.artist" in sys.modules:
        return
    import matplotlib.artist

    matplotlib.artist.kwdoc = lambda artist: ""
    _mpl()
    import matplotlib.backends.backend_agg  # noqa: F401
    import matplotlib.figure  # noqa: F401


def _wrap(text: str, width: int = 38, lines: int = 2) -> str:
    """A long label on at most ``lines`` lines, the rest cut with an ellipsis."""
    wrapped = textwrap.wrap(text, width) or [text]
    if len(wrapped) > lines:
        wrapped = wrapped[:lines]
        wrapped[-1] = wrapped[-1][: width - 1].rstrip() + "…"
    return "\n".join(wrapped)


def _title(ax, title: str | None) -> None:
    """A title only when asked: in a paper the caption above the figure is the title."""
    if title:
        ax.set_title(title, loc="left", fontsize=9)


def _colours(groups) -> dict[int, str]:
    out, k = {}, 0
    for g in groups:
        if g.id in out:
            continue
        if g.colour:
            out[g.id] = g.colour
        else:
            out[g.id] = OKABE_ITO[k % len(OKABE_ITO)]
            k += 1
    return out


def _level_title(project: Project, themes: list[Theme] | None = None) -> str:
    """'Superordinate themes' / 'Group experiential themes': the charted level (the group
    level, or the one level all ``themes`` sit on, else plain 'Themes'), named by the
    codebook or else by the terminology preset, as the tables name it."""
    from ..terms import level_of, project_levels, themed

    cb = project.codebook
    levels = project_levels(project)
    depths = {cb.depth(t) for t in themes} if themes else {counting.group_depth(cb)}
    word = themed(level_of(levels, depths.pop()), many=True) if len(depths) == 1 else "themes"
    return word[:1].upper() + word[1:]


def _rows(project: Project):
    cb = project.codebook
    rows = leaves_with_groups(cb)
    if not rows:
        raise InputError("the codebook has no themes to chart",
                         hint="import a codebook first: ipa codebook import FILE.yaml")
    return rows


def prevalence_heatmap(project: Project, *, presence: bool = False, title: str | None = None
                       ) -> Figure:
    """Themes x participants: passage counts (or presence), grouped by superordinate theme.

    Counts are whole numbers, so the legend is discrete: one swatch per count (or per band
    of counts when they run high), 0 included as "not present".
    """
    mpl = _mpl()
    import numpy as np

    prev = counting.prevalence(project)
    rows = _rows(project)
    people = prev.participants
    data = np.array([[min(prev.count(t, p), 1) if presence else prev.count(t, p)
                      for p in people] for t, _ in rows], dtype=float)
    height = min(max(2.2, 0.28 * len(rows) + 1.4), 22 / 2.54)
    fig, ax = _axes(height)
    vmax = max(1.0, float(data.max()) if data.size else 1.0)
    bands = _bands(int(vmax))
    palette = mpl.colormaps["cividis_r"].resampled(max(len(bands), 2))
    colours = ["#F2F2F2"] + [palette(i / max(len(bands) - 1, 1)) for i in range(len(bands))]
    from matplotlib.colors import BoundaryNorm, ListedColormap

    edges = [-0.5, 0.5] + [hi + 0.5 for _, hi in bands]
    ax.imshow(data, aspect="auto", cmap=ListedColormap(colours),
              norm=BoundaryNorm(edges, len(colours)), interpolation="nearest")
    shown = _labelled(len(people), 40, 25)
    ax.set_xticks(shown, [people[i] for i in shown], rotation=90 if len(people) > 20 else 0)
    ax.set_yticks(range(len(rows)), [_wrap(f"{t.number} {t.label}", 45) for t, _ in rows])
    ax.set_ylabel(_level_title(project, [t for t, _ in rows]))
    ax.tick_params(length=0)
    for s in ax.spines.values():
        s.set_visible(False)
    if len(people) <= 40 and len(rows) <= 40:
        for i in range(len(rows)):
            for j in range(len(people)):
                v = data[i, j]
                if v:
                    ax.text(j, i, "✓" if presence else f"{v:.0f}", ha="center", va="center",
                            fontsize=7, color="white" if v > vmax * 0.6 else "black",
                            in_layout=False)  # inside the axes: no margin to make
    # group separators and labels on the right
    prev_group, start = None, 0
    for i, (_, g) in enumerate([*rows, (None, None)]):
        if g is not prev_group and (g is None or prev_group is None or g.id != prev_group.id):
            if prev_group is not None:
                if g is not None:
                    ax.axhline(i - 0.5, color="white", lw=2)
                if i - start > 1 or rows[start][0].id != prev_group.id:
                        ax.annotate(_wrap(f"{prev_group.number} {prev_group.label}", 22),
                                xy=(1.01, 1 - ((start + i) / 2) / len(rows)),
                                xycoords="axes fraction", va="center", fontsize=7,
                                fontweight="bold")
            prev_group, start = g, i
    from matplotlib.patches import Patch

    names = ["present"] if presence else [str(lo) if lo == hi else f"{lo}-{hi}"
                                          for lo, hi in bands]
    handles = [Patch(facecolor=c, edgecolor="#999999", linewidth=0.5,
                     label="0 (not present)" if i == 0 else names[i - 1])
               for i, c in enumerate(colours[:len(names) + 1])]
    fig.legend(handles=handles, loc="outside lower center", ncols=len(handles),
               frameon=False, fontsize=7,
               title="Participant contributes" if presence else "Passages", title_fontsize=7)
    _title(ax, title)
    return fig


def _labelled(n: int, fits: int, keep: int) -> list[int]:
    """Positions of the participants named on the x axis: all of them up to ``fits``, else
    every k-th, about ``keep`` names, so that names never overprint one another (hundreds
    of overprinted names were an unreadable band, and the slowest part of the chart)."""
    step = -(-n // keep) if n > fits else 1
    return list(range(0, n, step))


def _bands(top: int) -> list[tuple[int, int]]:
    """Legend bands of counts 1..top: one per count up to 6, else six even bands."""
    if top <= 6:
        return [(k, k) for k in range(1, top + 1)]
    step = -(-top // 6)
    return [(lo, min(lo + step - 1, top)) for lo in range(1, top + 1, step)]


def stacked_bars(project: Project, *, title: str | None = None) -> Figure:
    """Passages per superordinate theme for each participant, stacked; the legend lists
    the themes top to bottom as the stack shows them."""
    _mpl()

    prev = counting.prevalence(project)
    rows = _rows(project)
    groups = []
    for _, g in rows:
        if all(g.id != x.id for x in groups):
            groups.append(g)
    colours = _colours(groups)
    people = prev.participants
    fig, ax = _axes(3.6)
    from matplotlib.collections import PatchCollection
    from matplotlib.patches import Rectangle

    # the bars as one collection, drawn as ax.bar draws them (0.8 wide, centred, white
    # edges) without its per-bar bookkeeping, which grows costly with many participants
    bottom = [0] * len(people)
    bars, handles, floors = [], [], set()
    edge = 0.5 if len(people) <= 100 else 0  # white edges would hide bars this narrow
    for g in groups:
        values = [prev.count(g, p) for p in people]
        style = dict(facecolor=colours[g.id], edgecolor="white", linewidth=edge)
        bars += [Rectangle((x - 0.4, b), 0.8, v, **style)
                 for x, (b, v) in enumerate(zip(bottom, values, strict=True))]
        floors.update(bottom)
        handles.append(Rectangle((0, 0), 1, 1, **style,
                                 label=_wrap(f"{g.number} {g.label}", 30)))
        bottom = [b + v for b, v in zip(bottom, values, strict=True)]
    stack = PatchCollection(bars, match_original=True)
    stack.sticky_edges.y[:] = sorted(floors)  # like each bar's base: no margin below it
    ax.add_collection(stack)
    shown = _labelled(len(people), 56, 40)
    ax.set_xticks(shown, [people[i] for i in shown])
    ax.set_ylabel("Passages")
    ax.set_xlabel("Participant")
    if len(people) > 20:
        ax.tick_params(axis="x", rotation=90, labelsize=6)
    handles, labels = handles[::-1], [h.get_label() for h in handles[::-1]]
    ax.legend(handles, labels, loc="upper left", bbox_to_anchor=(1.0, 1.0),
              frameon=False, fontsize=7, title=_level_title(project), title_fontsize=7,
              alignment="left")
    _title(ax, title)
    return fig


def recurrence_bars(project: Project, rule: str | int | None = None, *,
                    title: str | None = None) -> Figure:
    """Participants per theme, superordinate themes (bold, solid) above their sub-themes as
    in Table 3, coloured by superordinate theme, with the recurrence threshold as a line."""
    _mpl()
    from matplotlib.patches import Patch

    prev = counting.prevalence(project)
    leaves = _rows(project)
    cb = project.codebook
    rule = rule if rule is not None else project.setting("recurrence_rule")
    n = len(prev.participants)
    need = recurrence_threshold(rule, n)
    groups = {t.id: g for t, g in leaves}
    gd = counting.group_depth(cb)
    rows = []
    for t in cb.walk():
        if t.retired or cb.depth(t) < gd:
            continue
        g = groups.get(t.id, t if cb.depth(t) == gd else None)
        if g is None:
            chain = [*cb.ancestors(t), t]
            g = chain[min(gd, len(chain) - 1)]
        rows.append((t, g))
    colours = _colours([g for _, g in rows])
    height = min(max(2.2, 0.3 * len(rows) + 1.0), 22 / 2.54)
    fig, ax = _axes(height)
    ys = list(range(len(rows)))[::-1]
    values = [len(prev.contributors(t)) for t, _ in rows]
    upper = [t.id == g.id and cb.children(t) for t, g in rows]
    ax.barh(ys, values, color=[colours[g.id] for _, g in rows], height=0.7,
            edgecolor="black", linewidth=[0.8 if u else 0 for u in upper])
    ax.set_yticks(ys, [_wrap(f"{t.number} {t.label}", 45) for t, _ in rows])
    for label, u in zip(ax.get_yticklabels(), upper, strict=True):
        if u:
            label.set_fontweight("bold")
    seen: dict[int, Theme] = {}  # superordinate themes in order
    for _, g in rows:
        seen.setdefault(g.id, g)
    ax.legend(handles=[Patch(color=colours[g.id], label=_wrap(f"{g.number} {g.label}", 30))
                       for g in seen.values()], loc="upper left", bbox_to_anchor=(1.0, 1.0),
              frameon=False, fontsize=7, title=_level_title(project), title_fontsize=7,
              alignment="left")
    ax.axvline(need, color="black", linestyle="--", linewidth=1)
    ax.text(need, len(rows) - 0.3, f" recurrence: {rule} ({need} of {n})", fontsize=7,
            va="bottom")
    for y, v in zip(ys, values, strict=True):
        ax.text(v + 0.1, y, str(v), va="center", fontsize=7, in_layout=False)
    ax.set_xlim(0, max(n, 1) * 1.08)
    ax.set_xlabel(f"Participants contributing (of {n})")
    _title(ax, title)
    return fig


def agreement_bars(project: Project, coders: tuple[str, str] | None = None,
                   unit: str = "character", *, title: str | None = None) -> Figure:
    """Cohen's kappa per theme for two coders."""
    _mpl()

    if not coders or len(coders) != 2:
        raise InputError("the agreement chart compares two coders", hint="--coders A B")
    table = project.agreement(coders[0], coders[1], unit=unit).table
    rows = table[table.theme_number != "all"]
    height = min(max(2.2, 0.3 * len(rows) + 1.0), 22 / 2.54)
    fig, ax = _axes(height)
    ys = list(range(len(rows)))[::-1]
    values = [0 if v != v else v for v in rows.kappa]
    colours = [OKABE_ITO[4] if v >= 0.6 else OKABE_ITO[0] if v >= 0.4 else OKABE_ITO[5]
               for v in values]
    ax.barh(ys, values, color=colours, height=0.7)
    ax.set_yticks(ys, [_wrap(f"{n} {lab}", 45) for n, lab in zip(rows.theme_number,
                                                                  rows.theme_label,
                                                                  strict=True)])
    for y, v, raw in zip(ys, values, rows.kappa, strict=True):
        ax.text(max(v, 0) + 0.01, y, "n/a" if raw != raw else f"{raw:.2f}", va="center",
                fontsize=7)
    ax.axvline(0.6, color="black", linestyle=":", linewidth=0.8)
    ax.set_xlim(min(0, min(values, default=0)) - 0.05, 1.1)
    ax.set_xlabel(f"Cohen’s kappa ({unit} units; dotted line: 0.6)")
    _title(ax, title)
    return fig


prevalence = prevalence_heatmap  # ipa.charts.prevalence(project)
stacked = stacked_bars
recurrence = recurrence_bars


def chart(project: Project, name: str, **options) -> Figure:
    funcs = {"prevalence": prevalence_heatmap, "stacked": stacked_bars,
             "recurrence": recurrence_bars, "agreement": agreement_bars}
    if name not in funcs:
        raise InputError(f"unknown chart '{name}'",
                         hint="one of " + ", ".join([*NAMES, "agreement"]))
    from .tables import _applicable

    return funcs[name](project, **_applicable(funcs[name], name, options))


def save(fig: Figure, path, dpi: int = DPI, *, close: bool = True) -> None:
    """PNG, SVG or PDF by suffix; metadata pinned so the same project gives the same file."""
    import sys
    from pathlib import Path

    path = Path(path)
    fmt = path.suffix.lower().lstrip(".")
    if fmt not in ("png", "svg", "pdf"):
        raise InputError(f"charts are written as .png, .svg or .pdf, not '{path.suffix}'",
                         path=str(path))
    meta = {"png": {"Software": None}, "svg": {"Date": None},
            "pdf": {"CreationDate": None, "ModDate": None}}[fmt]
    path.parent.mkdir(parents=True, exist_ok=True)
    if fmt != "png" or not _png(fig, path, dpi):
        fig.savefig(path, dpi=dpi, metadata=meta)
    if close and "matplotlib.pyplot" in sys.modules:  # a figure made through pyplot
        sys.modules["matplotlib.pyplot"].close(fig)


PNG_LEVEL = 3  # zlib level: 6 takes twice as long for files a tenth smaller


def _png(fig: Figure, path, dpi: int) -> bool:
    """Draw ``fig`` once on its Agg canvas at ``dpi`` and write it as an RGB PNG (with its
    dpi, no text chunks); False, having written nothing, for a figure on another canvas.

    ``savefig`` draws a figure with a layout engine twice (once to lay it out, once to
    paint it) and writes RGBA, a quarter more bytes to compress for an opaque figure: this
    is half the cost of a report's figures. A figure that is not opaque keeps its alpha.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from PIL import Image

    canvas = fig.canvas
    if type(canvas) is not FigureCanvasAgg:
        return False
    before = fig.dpi
    fig.dpi = dpi
    try:
        canvas.draw()
        size, pixels = canvas.get_width_height(physical=True), canvas.buffer_rgba()
        if _opaque(fig) or Image.frombuffer("RGBA", size, pixels, "raw", "RGBA", 0,
                                            1).getextrema()[3][0] == 255:
            # read straight into RGB, the alpha byte skipped: no RGBA image to convert
            image = Image.frombytes("RGB", size, pixels, "raw", "RGBX")
        else:
            image = Image.frombytes("RGBA", size, pixels)  # a copy: the next draw reuses it
    finally:
        fig.dpi = before
    image.save(path, "png", dpi=(dpi, dpi), compress_level=PNG_LEVEL)
    return True


def _opaque(fig: Figure) -> bool:
    """Whether every pixel of ``fig`` drawn on Agg is opaque, known without looking at them.

    Agg starts from a transparent canvas, and the figure's patch, when shown, is painted
    first over all of it; with an opaque face colour (and nothing to alter it) it leaves
    every pixel's alpha at 255. Agg's blending then keeps it there: the result's alpha is
    ``a + d - a * d / 255`` (in integers), which is 255 whenever ``d`` is. So only a hidden
    figure or patch, a face colour that is not opaque, or a patch drawn through a filter,
    a clip, a sketch or path effects needs the pixels scanned.
    """
    patch = fig.patch
    return (fig.get_visible() and patch.get_visible() and patch.get_facecolor()[3] == 1
            and patch.get_agg_filter() is None and patch.get_clip_path() is None
            and patch.get_clip_box() is None
            and not patch.get_path_effects() and patch.get_sketch_params() is None)
