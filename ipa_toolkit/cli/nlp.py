"""Search, anonymisation and suggestions (spaCy, imported lazily)."""

from __future__ import annotations

import click

from ..project.display import FORMATS
from .app import _project, main, raw_option


@main.command()
@click.argument("term")
@click.option("--lemma", is_flag=True, help="Match any inflection (grieve: grieved, grieving).")
@click.option("--theme", "theme_ref", help="Only inside passages coded to this theme.")
@click.option("--participant")
@click.option("--speaker", type=click.Choice(["participant", "interviewer"]))
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table")
@raw_option
@click.pass_context
def search(ctx, term, lemma, theme_ref, participant, speaker, fmt, raw):
    """Keyword in context, with line citations.

    \b
    Example:
      ipa search "police" --speaker participant
      ipa search grieve --lemma --theme 1
    """
    from ..project.display import render

    df = _project(ctx).search(term, lemma=lemma, theme=theme_ref, participant=participant,
                              speaker=speaker)
    if fmt == "table":
        df = df[["citation", "left", "match", "right", "themes"]]
    click.echo(render(df, fmt, raw=raw), nl=False)


@main.group()
def anonymise():
    """Check transcripts for identifiers; replace names from a key file."""


@anonymise.command("check")
@click.option("--key", type=click.Path(dir_okay=False),
              help="Key file (name, pseudonym): its names are searched too.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table")
@raw_option
@click.pass_context
def anonymise_check(ctx, key, fmt, raw):
    """List suspected identifiers with line numbers (exit 1 if any are found).

    Person and place names (NER with a trained spaCy pipeline; otherwise capitalised words
    that are not in the dictionary), e-mail addresses, phone numbers, UK postcodes, dates of
    birth, street addresses, and names from the key file.
    """
    from ..project.display import render

    df = _project(ctx).anonymise_check(key)
    click.echo(render(df, fmt, wide=("context",), raw=raw), nl=False)
    if len(df):
        ctx.exit(1)


@anonymise.command("apply")
@click.option("--key", required=True, type=click.Path(dir_okay=False),
              help="CSV/XLSX with columns name, pseudonym.")
@click.option("--log", type=click.Path(dir_okay=False),
              help="Where to write what was replaced (default: beside the key file).")
@click.pass_context
def anonymise_apply(ctx, key, log):
    """Replace each name with its [pseudonym]: whole words, longest first, any case.

    Applies to everything the project holds: transcripts, coded quotes, notes, memos,
    theme descriptions, transcript and source names, attribute values, speaker labels and
    settings; speakers keep their turns. The store is then vacuumed with secure delete and
    old backups are removed, so no deleted page keeps a name. The key is never stored in
    the project. Line numbers are recomputed where a replacement changes a line's length.
    """
    r = _project(ctx).anonymise_apply(key, log=log)
    click.echo(f"{r['replacements']} replacement(s) in {r['transcripts']} transcript(s); "
               f"{r['codings']} codings and {r['notes']} notes moved with the text; "
               f"{r['fields']} other field(s) changed; "
               f"{r['renumbered']} transcript(s) changed length in lines; log: {r['log']}")


@main.command()
@click.option("--theme", "theme_ref", help="Suggest for this theme (and its sub-themes).")
@click.option("--accept", help="Code these suggestions: '1,3,5-7' or 'all'.")
@click.option("--coder")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table")
@raw_option
@click.pass_context
def suggest(ctx, theme_ref, accept, coder, fmt, raw):
    """Uncoded passages that use a theme's keywords; nothing is coded unless --accept.

    \b
    Example:
      ipa suggest --theme 1.2
      ipa suggest --theme 1.2 --accept 1,4
    """
    from ..project.display import render

    df = _project(ctx).suggest(theme_ref, accept=accept, coder=coder)
    if fmt == "table":
        df = df[["n", "theme_number", "citation", "keyword", "passage", "accepted"]]
    click.echo(render(df, fmt, wide=("passage",), width=70, raw=raw), nl=False)
