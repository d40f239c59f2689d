"""The report's figures: each chart drawn once and saved in every format asked for.

Drawing is the report's largest fixed cost and needs matplotlib, which the tables do not:
a report draws in a forked child (see ``children``), so the parent never imports
matplotlib and embeds the PNG the child wrote.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from ..protocols import ProjectLike

FORMATS = (".png", ".svg", ".pdf")
DEFAULT = (".png",)  # the Word report embeds the PNG; SVG and PDF on request


def formats(names: str | list[str] | tuple[str, ...] | None) -> tuple[str, ...]:
    """Figure formats from "png,svg,pdf" (or "all"), in the fixed order PNG, SVG, PDF;
    PNG always, since the Word report embeds it."""
    from ..errors import InputError

    if names is None:
        return DEFAULT
    if isinstance(names, str):
        names = names.split(",")
    asked = {"." + n.strip().lower().lstrip(".") for n in names if n.strip()}
    if asked == {".all"}:
        return FORMATS
    wrong = sorted(asked - set(FORMATS))
    if wrong:
        raise InputError(f"no figure format '{wrong[0].lstrip('.')}'",
                         hint="--figures takes png, svg and pdf (comma-separated) or all")
    return tuple(f for f in FORMATS if f in asked or f == ".png")


def draw(project: ProjectLike, jobs: list[tuple[str, list[Path]]]) -> None:
    """Each chart drawn once, then saved to each of its paths in order (the order fixes
    the bytes). After the first save the layout is kept, so the other formats do not
    lay the figure out again."""
    from . import charts

    for name, paths in jobs:
        fig = charts.chart(project, name)
        for k, path in enumerate(paths):
            charts.save(fig, path, close=k == len(paths) - 1)
            if k == 0:
                fig.set_layout_engine("none")


FIRST = "recurrence"  # a bar per theme: the same cost at 10 participants as at 500


def draw_apart(project: ProjectLike, jobs: list[tuple[str, list[Path]]]) -> None:
    """``draw``, shared between this process and one child (see ``children``).

    A process's first chart pays for what later ones reuse (the font, the layout engine,
    the PNG writer: about 0.15 s of CPU), so a cheap chart is drawn first, here, and the
    child is forked after it: that is paid once, not once per process. Then the child
    draws every other one of the remaining charts and this process the rest. (A child per
    chart took a third more CPU, which a machine with two cores does not have to spare.)
    """
    from . import children

    order = sorted(jobs, key=lambda job: job[0] != FIRST)  # FIRST, then the others in order
    draw(project, order[:1])
    theirs = order[2::2]
    started = [children.start(project, lambda p: draw(p, theirs),
                              [path for _, paths in theirs for path in paths])] if theirs else []
    try:
        draw(project, order[1::2])
        for child in started:
            children.finish(project, child)
    finally:
        children.stop(started)
