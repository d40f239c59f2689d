"""The ``ipa`` command: a thin shell over ``Project``; each command calls one method.

Errors the researcher can cause (``IpaError``) become one line and exit code 1 here, in
one place. Heavy libraries are imported only by the commands that need them.
"""

from __future__ import annotations

import click

from . import __version__
from .display import FORMATS


class IpaGroup(click.Group):
    """Turns library errors into one clean line instead of a traceback."""

    def invoke(self, ctx: click.Context):
        from .errors import IpaError

        debug = ctx.params.get("debug", False)
        try:
            return super().invoke(ctx)
        except IpaError as exc:
            if debug:
                raise
            click.echo(f"error: {exc.format()}", err=True)
            ctx.exit(exc.exit_code)
        except KeyboardInterrupt:
            click.echo("interrupted: nothing was changed", err=True)
            ctx.exit(130)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except OSError as exc:
            if debug:
                raise
            where = f"{exc.filename}: " if getattr(exc, "filename", None) else ""
            click.echo(f"error: {where}{exc.strerror or exc}", err=True)
            ctx.exit(1)
        except Exception as exc:  # a bug: still one line, and how to see more
            if debug:
                raise
            click.echo(f"internal error: {type(exc).__name__}: {exc} (rerun with --debug "
                       "and report it; the project was not changed)", err=True)
            ctx.exit(2)


def _project(ctx: click.Context):
    from .project import Project

    obj = ctx.ensure_object(dict)
    if "project" not in obj:
        obj["project"] = Project.open(obj.get("path"))
        ctx.call_on_close(obj["project"].close)
    return obj["project"]


@click.group(cls=IpaGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("-p", "--project", "path", type=click.Path(file_okay=False),
              help="Project folder (default: this folder or the nearest one above).")
@click.option("--debug", is_flag=True, help="Show full tracebacks.")
@click.version_option(__version__, prog_name="ipa")
@click.pass_context
def main(ctx: click.Context, path: str | None, debug: bool) -> None:
    """ipa-toolkit: code interview transcripts and regenerate the tables of an IPA study."""
    ctx.ensure_object(dict)["path"] = path


@main.command()
@click.argument("folder", default=".", type=click.Path(file_okay=False))
@click.option("--replace", is_flag=True, help="Start afresh if FOLDER is already a project.")
@click.option("--codebook", type=click.Path(dir_okay=False), help="Codebook YAML to import.")
@click.option("--participants", type=click.Path(dir_okay=False),
              help="Participants CSV/XLSX to import.")
@click.option("--transcripts", "transcripts", multiple=True, type=click.Path(),
              help="Transcript file or folder to ingest (repeatable).")
@click.option("--codings", type=click.Path(dir_okay=False), help="Coding sheet to import.")
@click.option("--comments", multiple=True, type=click.Path(),
              help="Word file or folder whose comments code passages (repeatable).")
def init(folder, replace, codebook, participants, transcripts, codings, comments):
    """Create a project, optionally filled in one step.

    \b
    Example:
      ipa init study
      ipa init study --codebook codebook.yaml --participants participants.csv \\
          --transcripts transcripts/ --codings coding_sheet.xlsx
    """
    from .project import Project

    p = Project.create(folder, replace_existing=replace, codebook=codebook,
                       participants=participants, transcripts=transcripts, codings=codings,
                       comments=comments)
    counts = ", ".join(f"{v} {k}" for k, v in p.summary().items())
    p.close()
    click.echo(f"project ready in {folder}: {counts}")


@main.command()
@click.argument("key", required=False)
@click.argument("value", required=False)
@click.pass_context
def config(ctx, key, value):
    """Show or change settings.

    \b
    Example:
      ipa config                      # all settings
      ipa config wrap_width 70        # set one
      ipa config coder "Researcher A"
    """
    for k, v in _project(ctx).config(key, value).items():
        click.echo(f"{k}: {v}")


# -- participants ------------------------------------------------------------------------------
@main.group()
def participants():
    """Participants and their attributes (Table 1)."""


@participants.command("import")
@click.argument("file", type=click.Path())
@click.option("--id-column", help="Column holding participant IDs (default: guessed).")
@click.pass_context
def participants_import(ctx, file, id_column):
    """Add or update participants from a CSV or XLSX table."""
    r = _project(ctx).import_participants(file, id_column)
    click.echo(f"{r['new']} new, {r['updated']} updated participants")


@participants.command("list")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table")
@click.pass_context
def participants_list(ctx, fmt):
    """List participants with their attributes."""
    from .display import render

    click.echo(render(_project(ctx).participants(), fmt), nl=False)


@participants.command("show")
@click.argument("participant")
@click.pass_context
def participants_show(ctx, participant):
    """Show one participant's attributes."""
    p = _project(ctx).participant(participant)
    click.echo(p.code)
    for k, v in p.attributes.items():
        click.echo(f"  {k}: {v}")


@participants.command("add")
@click.argument("participant")
@click.option("--set", "pairs", multiple=True, metavar="NAME=VALUE", help="An attribute.")
@click.pass_context
def participants_add(ctx, participant, pairs):
    """Add a participant by hand."""
    from .errors import InputError

    attrs = {}
    for pair in pairs:
        if "=" not in pair:
            raise InputError(f"'{pair}' is not NAME=VALUE")
        k, v = pair.split("=", 1)
        attrs[k.strip()] = v.strip()
    p = _project(ctx).add_participant(participant, **attrs)
    click.echo(f"added {p.code}")


@participants.command("set")
@click.argument("participant")
@click.argument("name")
@click.argument("value", required=False)
@click.pass_context
def participants_set(ctx, participant, name, value):
    """Set attribute NAME of PARTICIPANT to VALUE (no VALUE clears it)."""
    p = _project(ctx).set_attribute(participant, name, value)
    click.echo(f"{p.code}: {name} = {p.attributes.get(name, '')}")


# -- transcripts -------------------------------------------------------------------------------
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
@click.pass_context
def transcripts(ctx, fmt):
    """List ingested transcripts."""
    from .display import render

    df = _project(ctx).transcripts()
    if fmt == "table":
        df = df.drop(columns=["sha256"])
    click.echo(render(df, fmt), nl=False)


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


# -- codebook ----------------------------------------------------------------------------------
@main.group()
def codebook():
    """The hierarchical codebook."""


@codebook.command("import")
@click.argument("file", type=click.Path())
@click.pass_context
def codebook_import(ctx, file):
    """Load a codebook YAML (themes matched by number; others kept)."""
    r = _project(ctx).import_codebook(file)
    click.echo(f"{r['added']} themes added, {r['updated']} updated, {r['kept']} kept")


@codebook.command("export")
@click.argument("file", required=False, type=click.Path(dir_okay=False))
@click.pass_context
def codebook_export(ctx, file):
    """Write the codebook as YAML (to FILE, or standard output)."""
    text = _project(ctx).export_codebook(file)
    if not file:
        click.echo(text, nl=False)


@codebook.command("show")
@click.option("--no-counts", is_flag=True, help="Leave out passage and participant counts.")
@click.pass_context
def codebook_show(ctx, no_counts):
    """The codebook tree with passages and participants per theme (whole subtree)."""
    click.echo(_project(ctx).codebook_tree(counts=not no_counts))


@main.group()
def theme():
    """Add, rename, move, merge, delete or edit themes."""


@theme.command("add")
@click.argument("label")
@click.option("--parent", help="Parent theme (number, label or #id).")
@click.option("--number", help="Number to give (default: next free under the parent).")
@click.option("--description", default="")
@click.option("--colour", default="", help="#RRGGBB")
@click.pass_context
def theme_add(ctx, label, parent, number, description, colour):
    """Add a theme."""
    t = _project(ctx).add_theme(label, parent, number=number, description=description,
                                colour=colour)
    click.echo(f"added {t.number} {t.label}")


@theme.command("rename")
@click.argument("theme_ref")
@click.argument("label")
@click.pass_context
def theme_rename(ctx, theme_ref, label):
    """Give a theme a new label."""
    t = _project(ctx).rename_theme(theme_ref, label)
    click.echo(f"{t.number} is now '{t.label}'")


@theme.command("move")
@click.argument("theme_ref")
@click.option("--parent", help="New parent (omit for top level).")
@click.option("--number", help="New number (default: next free under the parent).")
@click.pass_context
def theme_move(ctx, theme_ref, parent, number):
    """Move a theme and its sub-themes, renumbering them."""
    t = _project(ctx).move_theme(theme_ref, parent, number=number)
    click.echo(f"moved to {t.number} {t.label}")


@theme.command("merge")
@click.argument("source")
@click.argument("into")
@click.pass_context
def theme_merge(ctx, source, into):
    """Fold SOURCE into INTO: codings, memos and sub-themes move; SOURCE goes."""
    r = _project(ctx).merge_themes(source, into)
    click.echo(f"merged: {r['moved']} codings moved ({r['merged_duplicates']} duplicates "
               f"folded), {r['subthemes']} sub-themes moved")


@theme.command("delete")
@click.argument("theme_ref")
@click.option("--move-codings-to", help="Theme that receives the codings and memos.")
@click.pass_context
def theme_delete(ctx, theme_ref, move_codings_to):
    """Delete a theme (refused while it holds codings, unless they are moved)."""
    r = _project(ctx).delete_theme(theme_ref, move_codings_to=move_codings_to)
    click.echo(f"deleted ({r['codings_moved']} codings, {r['memos_moved']} memos moved)")


@theme.command("set")
@click.argument("theme_ref")
@click.option("--description")
@click.option("--inclusion")
@click.option("--exclusion")
@click.option("--colour")
@click.option("--keywords", help="Comma-separated keywords or phrases.")
@click.option("--retired/--active", default=None)
@click.pass_context
def theme_set(ctx, theme_ref, description, inclusion, exclusion, colour, keywords, retired):
    """Edit a theme's description, notes, colour, keywords or retired flag."""
    fields = {k: v for k, v in dict(description=description, inclusion=inclusion,
                                    exclusion=exclusion, colour=colour, retired=retired,
                                    ).items() if v is not None}
    if keywords is not None:
        fields["keywords"] = tuple(k.strip() for k in keywords.split(",") if k.strip())
    t = _project(ctx).update_theme(theme_ref, **fields)
    click.echo(f"updated {t.number} {t.label}")


# -- tagging -----------------------------------------------------------------------------------
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
@click.pass_context
def codings(ctx, theme_ref, participant, coder, status, speaker, fmt):
    """List coded passages.

    \b
    Example:
      ipa codings --theme 1 --participant P3
      ipa codings --status orphaned
      ipa codings --format csv > codings.csv
    """
    from .display import render

    df = _project(ctx).codings(theme=theme_ref, participant=participant, coder=coder,
                               status=status, speaker=speaker)
    if fmt == "table":
        df = df[["id", "participant", "start_line", "end_line", "theme_number", "quote",
                 "coder", "status"]]
    click.echo(render(df, fmt, wide=("quote",), width=50), nl=False)


@main.command("import-codings")
@click.argument("file", type=click.Path())
@click.option("--coder", help="Coder for rows without one.")
@click.pass_context
def import_codings(ctx, file, coder):
    """Bulk-code from a CSV/XLSX coding sheet.

    Columns: participant (or transcript), theme, quote or lines; optional coder, note,
    exemplar, occurrence. Every bad row is reported and nothing is added until all are good.

    \b
    Example:
      ipa import-codings coding_sheet.xlsx --coder RA
    """
    r = _project(ctx).import_codings(file, coder=coder)
    click.echo(f"{r['rows']} rows: {r['added']} codings added, {r['already_coded']} "
               "already coded")


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
    note. 'D:', 'L:', 'C:' comments become descriptive, linguistic, conceptual notes.

    \b
    Example:
      ipa import-comments transcripts/P3.docx
      ipa import-comments transcripts/ --ingest
    """
    r = _project(ctx).import_comments(list(paths), skip_unknown=skip_unknown,
                                      ingest=do_ingest, coder=coder)
    click.echo(f"{r['files']} file(s): {r['codings']} codings added, {r['already_coded']} "
               f"already coded, {r['notes']} notes"
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
    path = _project(ctx).export_transcript(participant, out, three_column=three_column,
                                           transcript=transcript)
    click.echo(f"wrote {path}")


@main.command()
@click.argument("term")
@click.option("--lemma", is_flag=True, help="Match any inflection (grieve: grieved, grieving).")
@click.option("--theme", "theme_ref", help="Only inside passages coded to this theme.")
@click.option("--participant")
@click.option("--speaker", type=click.Choice(["participant", "interviewer"]))
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table")
@click.pass_context
def search(ctx, term, lemma, theme_ref, participant, speaker, fmt):
    """Keyword in context, with line citations.

    \b
    Example:
      ipa search "police" --speaker participant
      ipa search grieve --lemma --theme 1
    """
    from .display import render

    df = _project(ctx).search(term, lemma=lemma, theme=theme_ref, participant=participant,
                              speaker=speaker)
    if fmt == "table":
        df = df[["citation", "left", "match", "right", "themes"]]
    click.echo(render(df, fmt), nl=False)


@main.group()
def anonymise():
    """Check transcripts for identifiers; replace names from a key file."""


@anonymise.command("check")
@click.option("--key", type=click.Path(dir_okay=False),
              help="Key file (name, pseudonym): its names are searched too.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table")
@click.pass_context
def anonymise_check(ctx, key, fmt):
    """List suspected identifiers with line numbers (exit 1 if any are found).

    Person and place names (NER with a trained spaCy pipeline; otherwise capitalised words
    that are not in the dictionary), e-mail addresses, phone numbers, UK postcodes, dates of
    birth, street addresses, and names from the key file.
    """
    from .display import render

    df = _project(ctx).anonymise_check(key)
    click.echo(render(df, fmt, wide=("context",)), nl=False)
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

    Applies to transcripts, coded quotes and notes. The key is never stored in the
    project. Line numbers are recomputed where a replacement changes a line's length.
    """
    r = _project(ctx).anonymise_apply(key, log=log)
    click.echo(f"{r['replacements']} replacement(s) in {r['transcripts']} transcript(s); "
               f"{r['codings']} codings and {r['notes']} notes moved with the text; "
               f"{r['renumbered']} transcript(s) changed length in lines; log: {r['log']}")


@main.command()
@click.option("--theme", "theme_ref", help="Suggest for this theme (and its sub-themes).")
@click.option("--accept", help="Code these suggestions: '1,3,5-7' or 'all'.")
@click.option("--coder")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table")
@click.pass_context
def suggest(ctx, theme_ref, accept, coder, fmt):
    """Uncoded passages that use a theme's keywords; nothing is coded unless --accept.

    \b
    Example:
      ipa suggest --theme 1.2
      ipa suggest --theme 1.2 --accept 1,4
    """
    from .display import render

    df = _project(ctx).suggest(theme_ref, accept=accept, coder=coder)
    if fmt == "table":
        df = df[["n", "theme_number", "citation", "keyword", "passage", "accepted"]]
    click.echo(render(df, fmt, wide=("passage",), width=70), nl=False)


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
@click.pass_context
def notes(ctx, participant, fmt):
    """List exploratory notes."""
    from .display import render

    click.echo(render(_project(ctx).notes(participant), fmt, wide=("note",)), nl=False)


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
@click.pass_context
def memos(ctx, theme_ref, fmt):
    """List theme memos."""
    from .display import render

    click.echo(render(_project(ctx).memos(theme_ref), fmt, wide=("memo",)), nl=False)


# -- exchange and reports ----------------------------------------------------------------------
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
@click.pass_context
def import_(ctx, source):
    """Read a project into this (empty) one: a plain-files folder or a .qdpx; a .qdc
    codebook merges into the codebook.

    \b
    Example:
      ipa init study && ipa -p study import nvivo_export.qdpx
      ipa import codebook.qdc
    """
    r = _project(ctx).import_from(source)
    click.echo("imported: " + ", ".join(f"{v} {k}" for k, v in r.items()
                                        if isinstance(v, int)))
    for line in r.get("report", []):
        click.echo(f"not imported: {line}")


TABLES = ("participants", "themes", "recurrence", "quotes", "cooccurrence", "codebook")
TABLE_FORMATS = ("table", "docx", "xlsx", "csv", "md", "tex", "html")


@main.command("table")
@click.argument("name", type=click.Choice(TABLES))
@click.option("--format", "fmt", type=click.Choice(TABLE_FORMATS), default=None,
              help="Default: from --out's suffix, else a table on the terminal.")
@click.option("--out", type=click.Path(dir_okay=False), help="File to write.")
@click.option("--number", type=int, default=1, help="Table number in the caption.")
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
@click.pass_context
def table_(ctx, name, fmt, out, number, columns, summary, root, contributors, passages, quote,
           rule, counts, per_theme, notes):
    """Print or write a report table.

    \b
    Example:
      ipa table participants --summary
      ipa table themes --root A --contributors fraction --out table2.docx
      ipa table recurrence --rule third --format md
    """
    from .errors import InputError

    options = dict(columns=[c.strip() for c in columns.split(",")] if columns else None,
                   summary=summary, root=root, contributors=contributors, passages=passages,
                   quote=quote, rule=rule, counts=counts, per_theme=per_theme, notes=notes)
    if out and fmt and fmt != "table" and not out.lower().endswith("." + fmt):
        raise InputError(f"--out {out} does not end in .{fmt}")
    if out:
        path = _project(ctx).write_table(name, out, number=number, **options)
        click.echo(f"wrote {path}")
        return
    if fmt in (None, "table"):
        from .display import render

        df = _project(ctx).table(name, **options)
        click.echo(render(df, "table", wide=tuple(df.columns), width=60), nl=False)
        return
    click.echo(_project(ctx).write_table(name, fmt=fmt, number=number, **options), nl=False)


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
@click.pass_context
def chart_(ctx, name, out, rule, presence, coders, unit):
    """Draw a chart of theme prevalence.

    \b
    Example:
      ipa chart prevalence --out figure1.png
      ipa chart recurrence --rule third --out figure3.pdf
    """
    options = {"prevalence": dict(presence=presence), "recurrence": dict(rule=rule),
               "agreement": dict(coders=coders or None, unit=unit)}
    _project(ctx).chart(name, out, **options.get(name, {}))
    click.echo(f"wrote {out}")


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
@click.pass_context
def agreement_(ctx, coders, theme_ref, unit, overlap, out, show_dis):
    """Percent agreement, Cohen's kappa and Krippendorff's alpha per theme.

    \b
    Example:
      ipa agreement --coders RA RB
      ipa agreement --coders RA RB --unit segment --out agreement.xlsx
    """
    from .display import render

    r = _project(ctx).agreement(coders[0], coders[1], theme=theme_ref, unit=unit,
                                overlap=overlap)
    if out:
        from .report.agreement import write_agreement

        click.echo(f"wrote {write_agreement(r, out)}")
        return
    click.echo(render(r.table, "table", wide=("theme_label",), width=40), nl=False)
    if show_dis:
        click.echo("")
        click.echo(render(r.disagreements, "table", wide=tuple(r.disagreements.columns),
                          width=45), nl=False)


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
@click.pass_context
def report(ctx, out):
    """Write the Word report, every table and chart.

    report.docx holds the tables and figures in paper order; tables/ and figures/ hold each
    as its own file (docx, xlsx, csv, md, tex, html; png, svg, pdf).

    \b
    Example:
      ipa report --out report/
    """
    for path in _project(ctx).report(out):
        click.echo(f"wrote {path}")


def run() -> None:  # pragma: no cover - console-script entry
    main(prog_name="ipa")

