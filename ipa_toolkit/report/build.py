"""``ipa report``: one Word report in paper order, plus every table and chart as a file."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from ..protocols import ProjectLike

TABLE_FORMATS = (".docx", ".xlsx", ".csv", ".md", ".tex", ".html")
CHART_FORMATS = (".png", ".svg", ".pdf")  # every format a figure can have (see figures.py)
FIGURE_TITLES = {"prevalence": "Theme prevalence per participant (passages)",
                 "stacked": "Passages per {group} for each participant",
                 "recurrence": "Participants contributing to each theme"}


def figure_title(project: ProjectLike, name: str) -> str:
    """A figure's caption, the charted level named as the tables name it (the codebook's
    level names, else the terminology preset's)."""
    from ..analysis.prevalence import group_depth
    from ..terms import level_of, project_levels, themed

    level = level_of(project_levels(project), group_depth(project.codebook))
    return FIGURE_TITLES[name].format(group=themed(level))


def paper_tables(project: ProjectLike) -> list:
    """The tables in paper order: participants, themes, recurrence, quotes, co-occurrence,
    and the codebook for an appendix."""
    from . import tables

    return [tables.participants(project, summary=True),
            tables.themes(project, contributors="fraction", passages=True),
            tables.recurrence(project), tables.quotes(project), tables.cooccurrence(project),
            tables.codebook(project)]


def write_report(project: ProjectLike, out: Path, *, raw: bool = False,
                 figures: str | list[str] | tuple[str, ...] | None = None) -> list[Path]:
    """Every table, figure and the Word report, dated by the project (byte-stable files);
    CSV cells that look like formulas get a leading quote unless ``raw``. Figures are
    written as PNG, plus SVG and PDF when ``figures`` names them ("png,svg,pdf" or "all")."""
    from ..errors import InputError
    from ..progress import bulk
    from ..safety import inside
    from ..stamp import dated
    from .figures import formats

    figure_formats = formats(figures)
    if not project.codebook.themes:
        raise InputError("nothing to report yet: the codebook is empty",
                         hint="ipa codebook import FILE.yaml, then code some passages")
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)

    def at(name: str) -> Path:
        """``out / name``, refused if it (or a link on the way) leads outside OUT."""
        inside(out, name)
        return out / name

    tables_dir, figures_dir = at("tables"), at("figures")
    from . import children
    from .charts import NAMES, lean_import
    from .figures import draw_apart

    jobs = [(name, [figures_dir / f"figure{number}_{name}{s}" for s in figure_formats])
            for number, name in enumerate(NAMES, start=1)]

    from ..analysis.prevalence import prevalence
    from ..coding.table import sharing, write_csv

    codings = at("codings.csv")
    started: list[children.Job] = []
    with bulk(), dated(project), sharing(project):  # bulk: no cycles worth collecting
        try:
            started.append(children.start(project, lambda p: write_csv(p, codings, raw=raw),
                                          [codings]))  # needs the rows, not the counts
            prevalence(project)  # counted once, here: the children take the counts along
            import numpy  # noqa: F401  (the drawing child and the tables both need it: once)

            started.append(children.start(project, lambda p: draw_apart(p, jobs),
                                          [p for _, paths in jobs for p in paths],
                                          prepare=lean_import))
            report, written, split = _tables_and_word(project, at, tables_dir, raw, started)
            for job in started:
                children.finish(project, job)
            _word_figures(report, jobs, [figure_title(project, name) for name, _ in jobs])
        finally:
            children.stop(started)
    # the listing: the report, the paper's tables, the figures, the appendices, the rest
    written[split:split] = [p for _, paths in jobs for p in paths]
    return [*written, codings]


def _tables_and_word(project: ProjectLike, at, tables_dir: Path, raw: bool, started: list
                     ) -> tuple[tuple, list[Path], int]:
    """Every table in every format (written by a child) and the Word report without its
    figures: the open document, the files written and where in that list the figures
    belong."""
    from ..safety import safe_name
    from . import children
    from .idiographic import appendix_tables
    from .writers import write_table
    from .writers.word import add_table, new_document

    frames = paper_tables(project)
    appendix = appendix_tables(project)
    taken: set[str] = set()  # a table per participant: the ID, cut to a file name, once
    files = []
    for number, df in enumerate([*frames, *appendix], start=1):
        df.attrs["raw"] = raw
        name = f"table{number}_{df.attrs['name']}"
        if number > len(frames):
            name = safe_name(name, taken, max_len=100)
        files += [(df, tables_dir / f"{name}{suffix}", number) for suffix in TABLE_FORMATS]
    written = [path for _, path, _ in files]
    from docx.shared import Pt

    d = new_document()  # before the fork: the child starts its documents from the same template
    started.append(children.start(project, lambda p: [write_table(*f) for f in files],
                                  written, reads_project=False))

    cb = project.codebook
    d.add_heading(cb.name or "Study report", level=1)
    s = project.store.summary()
    intro = d.add_paragraph(f"{s['participants']} participants, {s['transcripts']} "
                            f"transcripts, {s['themes']} themes, {s['codings']} coded "
                            "passages. Generated by ipa-toolkit; participants are named by "
                            "ID only.")
    intro.runs[0].font.size = Pt(10)
    tree = at("codebook.txt")
    from ..analysis.prevalence import codebook_tree

    tree.write_text(codebook_tree(project) + "\n", encoding="utf-8")
    yml = at("codebook.yaml")
    yml.write_text(cb.to_yaml(), encoding="utf-8")
    from ..progress import progress

    marker = None
    last = len(frames) + len(appendix)
    for number, df in progress(list(enumerate([*frames, *appendix], start=1)),
                               "writing the report"):
        if number == len(frames):
            marker = d.add_paragraph()._p  # the figures go here, once drawn
            add_table(d, df, number, heading="Appendix: codebook", last=number == last)
        elif number > len(frames):
            add_table(d, df, number, last=number == last,
                      heading=f"Appendix: {df.attrs['title'][:1].lower()}"
                              f"{df.attrs['title'][1:]}")
        else:
            add_table(d, df, number)
    report = at("report.docx")
    split = 1 + len(frames) * len(TABLE_FORMATS)
    return (d, marker, report), [report, *written, tree, yml], split


def _word_figures(report: tuple, jobs, titles: list[str]) -> None:
    """Put each figure's PNG (as drawn for figures/) into the Word report after the paper's
    tables, with its caption, and save the report."""
    from docx.shared import Cm
    from docx.text.paragraph import Paragraph

    from ..stamp import save_docx
    from .writers.word import add_picture

    d, marker, path = report
    # written in place of the marker: the appendices after it stay where they are (moving
    # them out and back re-parented every node of their tables: 11 s at 500 participants)
    here = Paragraph(marker, d._body)
    first = d.part.next_id  # searched once: each picture takes the next (word.add_picture)
    for number, ((_, paths), title) in enumerate(zip(jobs, titles, strict=True), start=1):
        p = here.insert_paragraph_before()
        p.add_run(f"Figure {number}.").bold = True
        p.add_run(" ")
        p.add_run(title + ".").italic = True
        p.paragraph_format.keep_with_next = True
        add_picture(here.insert_paragraph_before(), str(paths[0]), Cm(16), first + number - 1)
        here.insert_paragraph_before()
    marker.getparent().remove(marker)
    save_docx(d, path)
