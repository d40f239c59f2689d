"""The report's figures: each chart drawn once and saved in every format asked for.

Drawing is the report's largest fixed cost and needs matplotlib, which the tables do not:
a report draws in a forked child (see ``children``), so the parent never imports
matplotlib and embeds the PNG the child wrote.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from ..project import Project

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


def draw(project: Project, jobs: list[tuple[str, list[Path]]]) -> None:
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


def draw_apart(project: Project, jobs: list[tuple[str, list[Path]]]) -> None:
    """The report's drawing job, run apart from the parent (in a child of its own, see
    ``build``): every chart drawn here, one after another.

    Not one child per chart: each child pays again what a process's first chart costs
    (fonts opened, text measured, caches filled; about a third of that chart), and a
    report's processes already outnumber two cores. Measured on the sample's report, one
    child per chart cost 0.2 s more CPU (0.5 s with ``--figures all``) and no less wall
    time; at 500 participants the parent's tables take longer than the drawing anyway.
    """
    draw(project, jobs)
