"""Tables, charts, the IPA check and the Word report."""

from __future__ import annotations

import click

from .app import PROCESS, _project, main, raw_option

TABLES = ("participants", "themes", "recurrence", "quotes", "cooccurrence", "codebook", "pets",
          "convergence")
TABLE_FORMATS = ("table", "docx", "xlsx", "csv", "md", "tex", "html")


@main.command("table")
@click.argument("name", type=click.Choice(TABLES))
@click.option("--format", "fmt", type=click.Choice(TABLE_FORMATS), default=None,
              help="Default: from --out's suffix, else a table on the terminal.")
@click.option("--out", type=click.Path(dir_okay=False), help="File to write.")
@click.option("--number", type=int, default=None,
              help="Table number in the caption (a table standing alone has none).")
@click.option("--columns", help="participants: attribute columns, comma-separated, in order.")
@click.option("--summary", is_flag=True, default=None, help="participants: add a summary row.")
@click.option("--root", help="themes: keep one branch (e.g. a domain).")
@click.option("--contributors", type=click.Choice(["list", "fraction"]),
              help="themes: add who contributes.")
@click.option("--passages", is_flag=True, default=None, help="themes: add passage counts.")
@click.option("--quote", is_flag=True, default=None, help="themes: add an illustrative quote.")
@click.option("--rule", help="recurrence: half (default), third, all, 50%, or a number.")
@click.option("--counts", is_flag=True, default=None, help="recurrence: counts, not ticks.")
@click.option("--per-theme", type=int, help="quotes: extracts per theme (default 3).")
@click.option("--notes", is_flag=True, default=None,
              help="codebook: add inclusion/exclusion notes.")
@click.option("--participant", help="pets: one participant's table of {pets}.")
@click.option("--by-coder", is_flag=True, default=None,
              help="themes: passages per coder, one column each.")
@raw_option
@click.pass_context
def table_(ctx, name, fmt, out, number, columns, summary, root, contributors, passages, quote,
           rule, counts, per_theme, notes, participant, by_coder, raw):
    """Print or write a report table.

    \b
    Example:
      ipa table participants --summary
      ipa table themes --root A --contributors fraction --out table2.docx
      ipa table recurrence --rule third --format md
      ipa table pets --participant P3 --out pets_P3.docx
      ipa table convergence --format md
    """
    from ..errors import InputError

    options = dict(columns=[c.strip() for c in columns.split(",")] if columns else None,
                   summary=summary, root=root, contributors=contributors, passages=passages,
                   quote=quote, rule=rule, counts=counts, per_theme=per_theme, notes=notes,
                   participant=participant, by_coder=by_coder)
    if out and fmt and fmt != "table" and not out.lower().endswith("." + fmt):
        raise InputError(f"--out {out} does not end in .{fmt}")
    if out:
        path = _project(ctx).write_table(name, out, number=number, raw=raw, **options)
        click.echo(f"wrote {path}")
        return
    if fmt in (None, "table"):
        from ..project.display import render

        df = _project(ctx).table(name, **options)
        click.echo(render(df, "table", wide=tuple(df.columns), width=60), nl=False)
        return
    click.echo(_project(ctx).write_table(name, fmt=fmt, number=number, raw=raw, **options),
               nl=False)


@main.command("chart")
@click.argument("name", type=click.Choice(["prevalence", "stacked", "recurrence",
                                           "agreement"]))
@click.option("--out", required=True, type=click.Path(dir_okay=False),
              help="PNG, SVG or PDF file.")
@click.option("--rule", help="recurrence: the threshold line (default: setting).")
@click.option("--presence", is_flag=True, default=None,
              help="prevalence: presence instead of counts.")
@click.option("--coders", nargs=2, help="agreement: the two coders.")
@click.option("--unit", type=click.Choice(["character", "line", "segment"]),
              help="agreement: the unit (default character).")
@click.option("--title", help="A title inside the image, for use outside a paper (whose "
                              "caption is the title).")
@click.pass_context
def chart_(ctx, name, out, rule, presence, coders, unit, title):
    """Draw a chart of theme prevalence.

    \b
    Example:
      ipa chart prevalence --out figure1.png
      ipa chart recurrence --rule third --out figure3.pdf
    """
    options = {"prevalence": dict(presence=presence), "recurrence": dict(rule=rule),
               "agreement": dict(coders=coders or None, unit=unit)}
    if PROCESS["one_command"]:  # nothing here reads matplotlib's docstrings
        from ..report.charts import lean_import

        lean_import()
    _project(ctx).chart(name, out, title=title, **options.get(name, {}))
    click.echo(f"wrote {out}")


@main.command()
@click.option("--min-participants", help="Support needed per theme (default: Smith 2011 by "
                                         "sample size, or the min_participants setting).")
@click.option("--max-words", type=int, help="Longest quote allowed (default 150 words).")
@click.pass_context
def check(ctx, min_participants, max_words):
    """Lint the analysis; exits 1 when a check fails.

    Flags themes supported by too few participants, themes with no passages, participants
    who contribute to no theme, passages coded to retired themes, orphaned codings and
    over-long quotes.
    """
    r = _project(ctx).check(min_participants=min_participants, max_words=max_words)
    click.echo(r.text())
    if not r.ok:
        ctx.exit(1)


@main.command()
@click.option("--out", "out", required=True, type=click.Path(file_okay=False),
              help="Folder to write into.")
@click.option("--figures", "figures", default="png", show_default=True,
              help="Figure formats, comma-separated: png, svg, pdf, or all. PNG is always "
                   "written (the Word report embeds it).")
@raw_option
@click.pass_context
def report(ctx, out, figures, raw):
    """Write the Word report, every table and chart.

    report.docx holds the tables and figures in paper order; tables/ and figures/ hold each
    as its own file (tables as docx, xlsx, csv, md, tex, html; figures as png, and as svg
    and pdf with --figures all).

    \b
    Example:
      ipa report --out report/
      ipa report --out report/ --figures png,pdf
    """
    if PROCESS["one_command"]:  # the process ends with the report: no collection to
        import gc  # catch up on after it (gc.freeze at the end of ``run``)

        gc.disable()
    for path in _project(ctx).report(out, raw=raw, figures=figures):
        click.echo(f"wrote {path}")
