"""Ingesting and reading transcripts."""

from __future__ import annotations

import click

from ..project.display import FORMATS
from .app import _project, main, raw_option


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--participant", help="Participant the (single) file belongs to.")
@click.option("--width", type=int, help="Wrap width for line numbers (default: setting).")
@click.option("--interviewer", "interviewers", multiple=True,
              help="Caption speaker who is the interviewer (repeatable).")
@click.pass_context
def ingest(ctx, paths, participant, width, interviewers):
    """Ingest transcripts (.txt, .docx, .vtt, .srt) or folders.

    Line numbers are frozen at ingest. Re-ingesting an edited file re-anchors its codings
    by quote; those that cannot be found are kept and flagged as orphaned.

    \b
    Example:
      ipa ingest transcripts/
      ipa ingest interview_03.docx --participant P3
      ipa ingest zoom_P4.vtt --interviewer "Dr Jones"
    """
    for r in _project(ctx).ingest(list(paths), participant=participant, width=width,
                                  interviewers=interviewers):
        extra = ""
        if r.status == "updated":
            extra = f", {r.reanchored} codings re-anchored ({r.fuzzy} fuzzy)"
            if r.orphaned:
                extra += f", {len(r.orphaned)} ORPHANED (kept, flagged: 'ipa codings " \
                         "--status orphaned')"
        click.echo(f"{r.status:9} {r.name} -> {r.participant}: {r.lines} lines, "
                   f"{r.words} words{extra}")
        for w in r.warnings:
            click.echo(f"warning: {w}", err=True)


@main.command()
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table")
@raw_option
@click.pass_context
def transcripts(ctx, fmt, raw):
    """List ingested transcripts."""
    from ..project.display import render

    df = _project(ctx).transcripts()
    if fmt == "table":
        df = df.drop(columns=["sha256"])
    click.echo(render(df, fmt, raw=raw), nl=False)


@main.command()
@click.argument("participant")
@click.option("--lines", help="Line range, e.g. 100-130.")
@click.option("--transcript", help="Transcript name, when the participant has several.")
@click.option("--speaker", type=click.Choice(["participant", "interviewer"]),
              help="Keep one side's speech only.")
@click.option("--no-margin", is_flag=True, help="Leave out the theme margin.")
@click.pass_context
def show(ctx, participant, lines, transcript, speaker, no_margin):
    """Print a line-numbered transcript.

    A margin shows the numbers of the themes covering each line.

    \b
    Example:
      ipa show P3 --lines 100-130
      ipa show P3 --speaker participant --no-margin
    """
    click.echo(_project(ctx).show(participant, lines, transcript=transcript,
                                  speaker=speaker, margin=not no_margin))
