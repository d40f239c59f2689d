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

    from ..project import Project

OKABE_ITO = ("#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7",
             "#000000")
PAGE_WIDTH_IN = 17 / 2.54  # 17 cm
DPI = 300
NAMES = ("prevalence", "stacked", "recurrence")


def _mpl():
    import matplotlib

    matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as plt

    plt.rcParams.update({"font.size": 8, "font.family": "DejaVu Sans", "svg.hashsalt": "ipa",
                         "axes.spines.top": False, "axes.spines.right": False})
    return plt


def _wrap(text: str, width: int = 38) -> str:
    return "\n".join(textwrap.wrap(text, width)) or text


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


def _rows(project: Project):
    cb = project.codebook
    rows = leaves_with_groups(cb)
    if not rows:
        raise InputError("the codebook has no themes to chart",
                         hint="import a codebook first: ipa codebook import FILE.yaml")
    return rows


def prevalence_heatmap(project: Project, *, presence: bool = False) -> Figure:
    """Themes x participants: passage counts (or presence), grouped by superordinate theme."""
    plt = _mpl()
    import numpy as np

    prev = counting.prevalence(project)
    rows = _rows(project)
    people = prev.participants
    data = np.array([[min(prev.count(t, p), 1) if presence else prev.count(t, p)
                      for p in people] for t, _ in rows], dtype=float)
    height = min(max(2.2, 0.28 * len(rows) + 1.4), 22 / 2.54)
    fig, ax = plt.subplots(figsize=(PAGE_WIDTH_IN, height), layout="constrained")
    vmax = max(1.0, float(data.max()) if data.size else 1.0)
    # no passages: light grey, not a colour of the scale
    cmap = plt.get_cmap("cividis_r").with_extremes(bad="#F2F2F2")
    im = ax.imshow(np.ma.masked_equal(data, 0), aspect="auto", cmap=cmap, vmin=0.5,
                   vmax=max(vmax, 1.5), interpolation="nearest")
    ax.set_xticks(range(len(people)), people, rotation=90 if len(people) > 20 else 0)
    ax.set_yticks(range(len(rows)), [_wrap(f"{t.number} {t.label}", 45) for t, _ in rows])
    ax.tick_params(length=0)
    for s in ax.spines.values():
        s.set_visible(False)
    if len(people) <= 40 and len(rows) <= 40:
        for i in range(len(rows)):
            for j in range(len(people)):
                v = data[i, j]
                if v:
                    ax.text(j, i, "✓" if presence else f"{v:.0f}", ha="center", va="center",
                            fontsize=7, color="white" if v > vmax * 0.6 else "black")
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
    cbar = fig.colorbar(im, ax=ax, location="bottom", shrink=0.4, aspect=30, pad=0.02)
    cbar.set_label("participant contributes" if presence else "passages")
    ax.set_title("Theme prevalence per participant", loc="left", fontsize=9)
    return fig


def stacked_bars(project: Project) -> Figure:
    """Passages per superordinate theme for each participant, stacked."""
    plt = _mpl()

    prev = counting.prevalence(project)
    rows = _rows(project)
    groups = []
    for _, g in rows:
        if all(g.id != x.id for x in groups):
            groups.append(g)
    colours = _colours(groups)
    people = prev.participants
    fig, ax = plt.subplots(figsize=(PAGE_WIDTH_IN, 3.6), layout="constrained")
    bottom = [0] * len(people)
    for g in groups:
        values = [prev.count(g, p) for p in people]
        ax.bar(people, values, bottom=bottom, color=colours[g.id], edgecolor="white",
               linewidth=0.5, label=_wrap(f"{g.number} {g.label}", 30))
        bottom = [b + v for b, v in zip(bottom, values, strict=True)]
    ax.set_ylabel("passages")
    ax.set_xlabel("participant")
    if len(people) > 20:
        ax.tick_params(axis="x", rotation=90, labelsize=6)
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False, fontsize=7)
    ax.set_title("Passages per superordinate theme and participant", loc="left", fontsize=9)
    return fig


def recurrence_bars(project: Project, rule: str | int | None = None) -> Figure:
    """Participants per theme, with the recurrence threshold drawn as a line."""
    plt = _mpl()

    prev = counting.prevalence(project)
    rows = _rows(project)
    rule = rule if rule is not None else project.setting("recurrence_rule")
    n = len(prev.participants)
    need = recurrence_threshold(rule, n)
    colours = _colours([g for _, g in rows])
    height = min(max(2.2, 0.3 * len(rows) + 1.0), 22 / 2.54)
    fig, ax = plt.subplots(figsize=(PAGE_WIDTH_IN, height), layout="constrained")
    ys = list(range(len(rows)))[::-1]
    values = [len(prev.contributors(t)) for t, _ in rows]
    ax.barh(ys, values, color=[colours[g.id] for _, g in rows], height=0.7)
    ax.set_yticks(ys, [_wrap(f"{t.number} {t.label}", 45) for t, _ in rows])
    ax.axvline(need, color="black", linestyle="--", linewidth=1)
    ax.text(need, len(rows) - 0.3, f" recurrence: {rule} ({need} of {n})", fontsize=7,
            va="bottom")
    for y, v in zip(ys, values, strict=True):
        ax.text(v + 0.1, y, str(v), va="center", fontsize=7)
    ax.set_xlim(0, max(n, 1) * 1.08)
    ax.set_xlabel(f"participants contributing (of {n})")
    ax.set_title("Participants per theme", loc="left", fontsize=9)
    return fig


def agreement_bars(project: Project, coders: tuple[str, str] | None = None,
                   unit: str = "character") -> Figure:
    """Cohen's kappa per theme for two coders."""
    plt = _mpl()

    if not coders or len(coders) != 2:
        raise InputError("the agreement chart compares two coders", hint="--coders A B")
    table = project.agreement(coders[0], coders[1], unit=unit).table
    rows = table[table.theme_number != "all"]
    height = min(max(2.2, 0.3 * len(rows) + 1.0), 22 / 2.54)
    fig, ax = plt.subplots(figsize=(PAGE_WIDTH_IN, height), layout="constrained")
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
    ax.set_xlabel(f"Cohen's kappa ({unit} units; dotted line: 0.6)")
    ax.set_title(f"Agreement per theme: {coders[0]} and {coders[1]}", loc="left",
                 fontsize=9)
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
    from pathlib import Path

    path = Path(path)
    fmt = path.suffix.lower().lstrip(".")
    if fmt not in ("png", "svg", "pdf"):
        raise InputError(f"charts are written as .png, .svg or .pdf, not '{path.suffix}'",
                         path=str(path))
    meta = {"png": {"Software": None}, "svg": {"Date": None},
            "pdf": {"CreationDate": None, "ModDate": None}}[fmt]
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=dpi, metadata=meta)
    if close:
        import matplotlib.pyplot as plt

        plt.close(fig)
