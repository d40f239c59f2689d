"""Coding passages, exploratory notes and memos."""

from __future__ import annotations

import click

from ..project.display import FORMATS
from .app import _project, main, raw_option


@main.command()
@click.argument("participant")
@click.option("--theme", "theme_ref", required=True, help="Number, label, prefix or #id.")
@click.option("--lines", help="Line range, e.g. 112-118.")
@click.option("--quote", help="The words of the passage (found in the transcript).")
@click.option("--occurrence", type=int, help="Which match, when the quote occurs twice.")
@click.option("--note", default="")
@click.option("--coder", help="Coder (default: setting, $IPA_CODER, or your login).")
@click.option("--transcript", help="Transcript name, when the participant has several.")
@click.option("--exemplar", is_flag=True, help="Mark as an exemplar quote for reports.")
@click.pass_context
def tag(ctx, participant, theme_ref, lines, quote, occurrence, note, coder, transcript,
        exemplar):
    """Code a passage to a theme.

    The theme may be a number, #id, label or unique label prefix.

    \b
    Example:
      ipa tag P3 --lines 112-118 --theme 1.2 --note "planned retirement"
      ipa tag P3 --quote "it was like my world ended" --theme "Mourning your life"
    """
    p = _project(ctx)
    c = p.tag(participant, theme_ref, lines=lines, quote=quote, note=note, coder=coder,
              transcript=transcript, occurrence=occurrence, exemplar=exemplar)
    th = p.theme(theme_ref)
    if c is None:
        click.echo(f"already coded: {th.number} {th.label} (nothing changed)")
    else:
        click.echo(f"coded #{c.id}: {th.number} {th.label} "
                   f"{p.cite(participant.upper(), c.start_line, c.end_line)}")


@main.command()
@click.argument("target")
@click.option("--theme", "theme_ref", help="With a participant: the theme to remove.")
@click.option("--lines", help="Only codings overlapping these lines.")
@click.option("--coder")
@click.option("--transcript")
@click.pass_context
def untag(ctx, target, theme_ref, lines, coder, transcript):
    """Remove codings.

    TARGET is a coding id (from 'ipa codings'), or a participant with --theme.

    \b
    Example:
      ipa untag 42
      ipa untag P3 --theme 1.2 --lines 110-120
    """
    p = _project(ctx)
    if target.lstrip("#").isdigit() and not theme_ref:
        n = p.untag(int(target.lstrip("#")))
    else:
        n = p.untag(ref=target, theme=theme_ref, lines=lines, coder=coder,
                    transcript=transcript)
    click.echo(f"removed {n} coding(s)")


@main.command()
@click.argument("coding_id", type=int)
@click.option("--lines")
@click.option("--quote")
@click.option("--occurrence", type=int)
@click.pass_context
def reanchor(ctx, coding_id, lines, quote, occurrence):
    """Point a coding (e.g. an orphaned one) elsewhere.

    \b
    Example:
      ipa reanchor 42 --lines 130-133
    """
    c = _project(ctx).reanchor(coding_id, lines=lines, quote=quote, occurrence=occurrence)
    click.echo(f"coding #{c.id} now at lines {c.start_line}-{c.end_line}")


@main.command()
@click.option("--theme", "theme_ref", help="Theme (its sub-themes included).")
@click.option("--participant")
@click.option("--coder")
@click.option("--status", type=click.Choice(["ok", "fuzzy", "orphaned"]))
@click.option("--speaker", type=click.Choice(["participant", "interviewer"]))
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table")
@raw_option
@click.pass_context
def codings(ctx, theme_ref, participant, coder, status, speaker, fmt, raw):
    """List coded passages.

    \b
    Example:
      ipa codings --theme 1 --participant P3
      ipa codings --status orphaned
      ipa codings --format csv > codings.csv
    """
    from ..project.display import render

    df = _project(ctx).codings(theme=theme_ref, participant=participant, coder=coder,
                               status=status, speaker=speaker)
    if fmt == "table":
        df = df[["id", "participant", "start_line", "end_line", "theme_number", "quote",
                 "coder", "status"]]
    click.echo(render(df, fmt, wide=("quote",), width=50, raw=raw), nl=False)


@main.command("import-codings")
@click.argument("file", type=click.Path())
@click.option("--coder", help="Coder for rows without one.")
@click.pass_context
def import_codings(ctx, file, coder):
    """Bulk-code from a CSV/XLSX coding sheet.

    Columns: participant (or transcript), theme, quote or lines; optional coder, note,
    exemplar, occurrence, statement ({a_unit} on the row's passage) and pet (its {pet}:
    a label, 'Mourning > Guilt' for a sub-theme, or P3:2). Every bad row is reported and
    nothing is added until all are good. 'ipa export-codings' writes such a sheet.

    \b
    Example:
      ipa import-codings coding_sheet.xlsx --coder RA
    """
    r = _project(ctx).import_codings(file, coder=coder)
    click.echo(f"{r['rows']} rows: {r['added']} codings added, {r['already_coded']} "
               "already coded" + (f", {r['statements']} statements added"
                                  if r.get("statements") else ""))


@main.command("import-comments")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--skip-unknown", is_flag=True, help="Import the rest when some comments name "
                                                   "no known theme.")
@click.option("--ingest", "do_ingest", is_flag=True, help="Ingest the documents first.")
@click.option("--coder", help="Coder (default: each comment's author).")
@click.pass_context
def import_comments(ctx, paths, skip_unknown, do_ingest, coder):
    """Code passages from Word comments (.docx files or folders).

    A comment starting with a theme ('1.2', '1.2 Mourning your life', 'Mourning your life';
    several joined by ';') codes the text it is anchored to; text after the theme is the
    note. 'D:', 'L:', 'C:' comments become descriptive, linguistic, conceptual notes;
    'S:' comments {units} ('S: text / PET: label / GET: 1.2' also files them under a
    {pet} and maps it). A three-column export reads back too.

    \b
    Example:
      ipa import-comments transcripts/P3.docx
      ipa import-comments transcripts/ --ingest
    """
    r = _project(ctx).import_comments(list(paths), skip_unknown=skip_unknown,
                                      ingest=do_ingest, coder=coder)
    click.echo(f"{r['files']} file(s): {r['codings']} codings added, {r['already_coded']} "
               f"already coded, {r['notes']} notes, {r['statements']} statements"
               + (f", {r['skipped_unknown']} unknown-theme comments skipped"
                  if r["skipped_unknown"] else ""))


@main.command("export-transcript")
@click.argument("participant")
@click.option("--out", required=True, type=click.Path(dir_okay=False), help="A .docx file.")
@click.option("--three-column", is_flag=True,
              help="IPA layout: emergent themes | transcript | exploratory notes.")
@click.option("--transcript", help="Transcript name, when the participant has several.")
@click.pass_context
def export_transcript(ctx, participant, out, three_column, transcript):
    """Write a coded transcript to Word, codings as comments.

    \b
    Example:
      ipa export-transcript P3 --out P3_coded.docx
    """
    from .idiographic import left_out_note

    path = _project(ctx).export_transcript(participant, out, three_column=three_column,
                                           transcript=transcript)
    click.echo(f"wrote {path}")
    left_out_note(ctx, participant)


@main.command()
@click.argument("participant")
@click.argument("text")
@click.option("--lines")
@click.option("--quote")
@click.option("--kind", default="descriptive",
              help="descriptive, linguistic or conceptual (or D, L, C).")
@click.option("--author")
@click.option("--transcript")
@click.pass_context
def note(ctx, participant, text, lines, quote, kind, author, transcript):
    """Add an exploratory note on a passage."""
    n = _project(ctx).note(participant, text, lines=lines, quote=quote, kind=kind,
                           author=author, transcript=transcript)
    click.echo(f"note #{n.id} ({n.kind}) on lines {n.start_line}-{n.end_line}")


@main.command()
@click.option("--participant")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table")
@raw_option
@click.pass_context
def notes(ctx, participant, fmt, raw):
    """List exploratory notes."""
    from ..project.display import render

    click.echo(render(_project(ctx).notes(participant), fmt, wide=("note",), raw=raw), nl=False)


@main.command()
@click.argument("theme_ref")
@click.argument("text")
@click.option("--author")
@click.pass_context
def memo(ctx, theme_ref, text, author):
    """Add a memo to a theme."""
    m = _project(ctx).memo(theme_ref, text, author=author)
    click.echo(f"memo #{m.id} added")


@main.command()
@click.option("--theme", "theme_ref")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table")
@raw_option
@click.pass_context
def memos(ctx, theme_ref, fmt, raw):
    """List theme memos."""
    from ..project.display import render

    click.echo(render(_project(ctx).memos(theme_ref), fmt, wide=("memo",), raw=raw), nl=False)
