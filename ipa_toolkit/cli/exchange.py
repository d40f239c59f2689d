"""Plain-file and REFI-QDA exchange, merging co-coders and agreement."""

from __future__ import annotations

import click

from .app import _project, main, raw_option


@main.command()
@click.argument("target", type=click.Path())
@click.pass_context
def export(ctx, target):
    """Write the whole project out: plain files, .qdpx or .qdc.

    A folder gets plain, diff-friendly files (codebook YAML, participants and codings CSV,
    transcripts as text) for version control; FILE.qdpx the REFI-QDA project for NVivo,
    ATLAS.ti, MAXQDA, QualCoder; FILE.qdc the codebook alone. 'ipa import' reads them back.

    \b
    Example:
      ipa export study-files/
      ipa export study.qdpx
    """
    out = _project(ctx).export(target)
    click.echo(f"exported to {out}")


@main.command("import")
@click.argument("source", type=click.Path())
@click.option("--participant", "assign", multiple=True, metavar="SOURCE=ID",
              help="The participant of a .qdpx source no case links to (repeatable).")
@click.pass_context
def import_(ctx, source, assign):
    """Read a project into this (empty) one: a plain-files folder or a .qdpx; a .qdc
    codebook merges into the codebook.

    A .qdpx source is given to a participant by its case, by a case name or an ID at the
    start of its name (P3_interview), or with --participant; a source nothing assigns is
    not imported, and the report says so.

    \b
    Example:
      ipa init study && ipa -p study import nvivo_export.qdpx
      ipa import qualcoder.qdpx --participant "interview 1.txt=P1"
      ipa import codebook.qdc
    """
    from ..errors import InputError

    pairs = {}
    for item in assign:
        name, sep, code = item.rpartition("=")
        if not sep or not name.strip() or not code.strip():
            raise InputError(f"--participant {item!r}: write it as SOURCE=ID, e.g. "
                             "'interview 1.txt=P1'")
        pairs[name.strip()] = code.strip()
    r = _project(ctx).import_from(source, participants=pairs or None)
    click.echo("imported: " + ", ".join(f"{v} {k}" for k, v in r.items()
                                        if isinstance(v, int)))
    for line in r.get("report", []):
        click.echo(f"not imported: {line}")




@main.command()
@click.argument("other", type=click.Path(file_okay=False))
@click.option("--as-coder", help="Name to give the incoming codings' coder.")
@click.pass_context
def merge(ctx, other, as_coder):
    """Bring in a co-coder's codings from another project (same transcripts).

    \b
    Example:
      ipa merge ../study-coder-b
    """
    r = _project(ctx).merge(other, as_coder=as_coder)
    click.echo(f"{r['added']} codings added ({r['already_here']} already here) from "
               f"{r['coders']} coder(s)")


@main.command("agreement")
@click.option("--coders", nargs=2, required=True, help="The two coders to compare.")
@click.option("--theme", "theme_ref", help="Only this theme and its sub-themes.")
@click.option("--unit", type=click.Choice(["character", "line", "segment"]),
              default="character", show_default=True)
@click.option("--overlap", type=float, default=0.9, show_default=True,
              help="segment: share of joint extent two passages must overlap.")
@click.option("--out", type=click.Path(dir_okay=False),
              help="Write .xlsx (agreement and disagreements sheets) or .csv.")
@click.option("--disagreements", "show_dis", is_flag=True, help="List disagreements too.")
@click.option("--by-transcript", is_flag=True,
              help="Kappa per theme x transcript too (as NVivo reports per source).")
@click.option("--all-transcripts", is_flag=True,
              help="Compare every transcript, not only those either coder coded.")
@raw_option
@click.pass_context
def agreement_(ctx, coders, theme_ref, unit, overlap, out, show_dis, by_transcript,
               all_transcripts, raw):
    """Percent agreement, Cohen's kappa and Krippendorff's alpha per theme.

    \b
    Example:
      ipa agreement --coders RA RB
      ipa agreement --coders RA RB --unit segment --out agreement.xlsx
      ipa agreement --coders RA RB --by-transcript --all-transcripts
    """
    from ..project.display import render

    project = _project(ctx)
    r = project.agreement(coders[0], coders[1], theme=theme_ref, unit=unit,
                          overlap=overlap, all_transcripts=all_transcripts)
    click.echo(f"compared {len(r.transcripts)} transcript(s): " + ", ".join(r.transcripts),
               err=bool(out))
    if out:
        from ..report.agreement import write_agreement
        from ..stamp import dated

        with dated(project):  # an .xlsx is dated by the project, not the clock
            click.echo(f"wrote {write_agreement(r, out, raw=raw)}")
        return
    click.echo(render(r.table, "table", wide=("theme_label",), width=40), nl=False)
    if by_transcript:
        click.echo("")
        click.echo(render(r.by_transcript, "table", wide=("theme_label",), width=30), nl=False)
    if show_dis:
        click.echo("")
        click.echo(render(r.disagreements, "table", wide=tuple(r.disagreements.columns),
                          width=45), nl=False)
