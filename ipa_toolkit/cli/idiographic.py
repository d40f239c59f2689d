"""The idiographic path: experiential statements, PETs, their mapping to GETs; the audit
log, its replay and bundle, the results draft, and the coding-sheet export.

Help texts name the levels by placeholder ({unit}, {pet}, {groups_named}, ...): ``--help``
prints them in the project's terminology preset (``ipa config terms``).

``ipa statement`` and ``ipa pet ...`` import no pandas: they are typed many times a session.
"""

from __future__ import annotations

import click

from ..project.display import FORMATS
from .app import _project, main


def _plain(rows: list[dict], columns: list[str], widths: dict[str, int]) -> str:
    """A quick terminal table from plain rows (no pandas)."""
    if not rows:
        return "(none)\n"

    def cell(row: dict, col: str) -> str:
        text = " ".join(str(row.get(col, "")).split())
        w = widths.get(col)
        return text if not w or len(text) <= w else text[: w - 1] + "…"

    cells = [[cell(r, c) for c in columns] for r in rows]
    size = [max(len(c), *(len(r[i]) for r in cells)) for i, c in enumerate(columns)]
    out = ["  ".join(c.ljust(size[i]) for i, c in enumerate(columns)).rstrip()]
    out += ["  ".join(v.ljust(size[i]) for i, v in enumerate(r)).rstrip() for r in cells]
    return "\n".join(out) + "\n"


def _show(rows: list[dict], fmt: str, columns: list[str], widths: dict[str, int],
          every: tuple[str, ...] = ()) -> str:
    """Plain rows as a quick table, or (all ``every`` columns) as CSV or JSON."""
    if fmt == "table":
        return _plain(rows, columns, widths)
    import pandas as pd

    from ..project.display import render

    return render(pd.DataFrame(rows, columns=list(every or columns)), fmt)


@main.command()
@click.argument("participant")
@click.argument("text")
@click.option("--lines", help="Line range, e.g. 112-118.")
@click.option("--quote", help="The words of the passage (found in the transcript).")
@click.option("--occurrence", type=int, help="Which match, when the quote occurs twice.")
@click.option("--note", default="", help="Why this {unit} (optional).")
@click.option("--coder", help="Who wrote it (default: setting, $IPA_CODER, or your login).")
@click.option("--transcript", help="Transcript name, when the participant has several.")
@click.pass_context
def statement(ctx, participant, text, lines, quote, occurrence, note, coder, transcript):
    """Write {a_unit} on a passage of one participant's transcript.

    \b
    Example:
      ipa statement P3 --lines 112-118 "grief without a death"
      ipa statement P3 --quote "nobody to bury" "grief without a death"
    """
    p = _project(ctx)
    s = p.add_statement(participant, text, lines=lines, quote=quote, note=note, coder=coder,
                        transcript=transcript, occurrence=occurrence)
    click.echo(f"statement #{s.id}: '{s.text}' "
               f"{p.cite(p.participant(participant).code, s.start_line, s.end_line)}")


@main.command("statement-edit")
@click.argument("statement_id")
@click.option("--text", help="The new wording.")
@click.option("--note", help="The new note.")
@click.pass_context
def statement_edit(ctx, statement_id, text, note):
    """Reword {a_unit} or change its note (by id).

    \b
    Example:
      ipa statement-edit 4 --text "grief with nobody to bury"
    """
    s = _project(ctx).idio.edit_statement(statement_id, text=text, note=note)
    click.echo(f"statement #{s.id}: '{s.text}'")


@main.command("statement-delete")
@click.argument("statement_id")
@click.pass_context
def statement_delete(ctx, statement_id):
    """Delete {a_unit} (it leaves any {pet} it was in).

    \b
    Example:
      ipa statement-delete 4
    """
    _project(ctx).idio.delete_statement(statement_id)
    click.echo(f"deleted statement #{statement_id.lstrip('#')}")


@main.command()
@click.argument("participant", required=False)
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table")
@click.pass_context
def statements(ctx, participant, fmt):
    """List {units} (of one participant, or all).

    \b
    Example:
      ipa statements P3
      ipa statements --format csv > statements.csv
    """
    from ..method.idiographic import STATEMENT_COLUMNS

    rows = _project(ctx).idio.statement_rows(participant)
    click.echo(_show(rows, fmt, ["id", "participant", "start_line", "end_line", "text",
                                 "quote", "coder"], {"text": 40, "quote": 40}, STATEMENT_COLUMNS),
               nl=False)


@main.group()
def pet() -> None:
    """{Cases_named}: clusters of one participant's {units}.

    A {pet} belongs to one participant and is named by participant and number: P3:2 is
    P3's {pet} 2 (sub-theme P3:2.1), as 'ipa pets P3' lists them.
    """


@pet.command("add")
@click.argument("participant")
@click.argument("label")
@click.option("--statements", "ids", help="{Unit} ids, e.g. 4,7,9 (from 'ipa statements').")
@click.option("--parent", help="Make it a sub-theme of this {pet} (e.g. P3:2).")
@click.option("--description", default="")
@click.option("--coder")
@click.pass_context
def pet_add(ctx, participant, label, ids, parent, description, coder):
    """Cluster {units} into a new {case_named}.

    \b
    Example:
      ipa pet add P3 "Mourning a living man" --statements 4,7,9
      ipa pet add P3 "The caravan sold" --parent P3:1 --statements 12
    """
    idio = _project(ctx).idio
    x = idio.add_pet(participant, label, statements=ids, parent=parent,
                     description=description, coder=coder)
    click.echo(f"PET {idio.ref(x)} '{x.label}'")


@pet.command("rename")
@click.argument("ref")
@click.argument("label")
@click.pass_context
def pet_rename(ctx, ref, label):
    """Rename a {pet}.

    \b
    Example:
      ipa pet rename P3:2 "Grieving a man still alive"
    """
    x = _project(ctx).idio.rename_pet(ref, label)
    click.echo(f"PET {ref} is now '{x.label}'")


@pet.command("move")
@click.argument("ref")
@click.option("--parent", help="The {pet} to move it under (none: a {pet} of its own).")
@click.pass_context
def pet_move(ctx, ref, parent):
    """Move a {pet} under another {pet} of the same participant, or out to the top.

    \b
    Example:
      ipa pet move P3:4 --parent P3:2      # P3:4 becomes P3:2.1
      ipa pet move P3:2.1                  # back to a {pet} of its own
    """
    idio = _project(ctx).idio
    x = idio.move_pet(ref, parent)
    click.echo(f"PET {ref} is now {idio.ref(x)}")


@pet.command("merge")
@click.argument("source")
@click.argument("into")
@click.pass_context
def pet_merge(ctx, source, into):
    """Fold one {pet} into another ({units}, mappings and sub-themes move).

    \b
    Example:
      ipa pet merge P3:4 P3:2
    """
    r = _project(ctx).idio.merge_pets(source, into)
    click.echo(f"merged {source} into {into}: {r['statements']} statement(s), "
               f"{r['themes']} mapping(s), {r['subthemes']} sub-theme(s)")


@pet.command("delete")
@click.argument("ref")
@click.pass_context
def pet_delete(ctx, ref):
    """Delete a {pet} (its {units} stay, unassigned).

    \b
    Example:
      ipa pet delete P3:4
    """
    r = _project(ctx).idio.delete_pet(ref)
    click.echo(f"deleted {ref}; {r['statements_released']} statement(s) released")


@pet.command("assign")
@click.argument("ref")
@click.option("--statements", "ids", required=True, help="{Unit} ids, e.g. 4,7,9.")
@click.option("--remove", is_flag=True, help="Take the {units} out instead.")
@click.pass_context
def pet_assign(ctx, ref, ids, remove):
    """Put {units} into a {pet} (or take them out with --remove).

    \b
    Example:
      ipa pet assign P3:2 --statements 11,14
    """
    n = _project(ctx).idio.assign(ref, ids, remove=remove)
    click.echo(f"{n} statement(s) {'taken out of' if remove else 'put into'} {ref}")


@pet.command("map")
@click.argument("ref")
@click.argument("themes", nargs=-1, required=True)
@click.option("--remove", is_flag=True, help="Remove the mapping instead.")
@click.pass_context
def pet_map(ctx, ref, themes, remove):
    """Map a {pet} onto {groups_named} or their sub-themes.

    \b
    Example:
      ipa pet map P3:2 1.2
      ipa pet map P3:2 1.2 2.3
      ipa pet map P3:2 2.3 --remove
    """
    got = _project(ctx).idio.map(ref, list(themes), remove=remove)
    names = ", ".join(f"{t.number} {t.label}" for t in got)
    click.echo(f"{ref} {'no longer mapped to' if remove else 'mapped to'} {names}")


@main.command()
@click.argument("participant", required=False)
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table")
@click.pass_context
def pets(ctx, participant, fmt):
    """List {cases_named} with their {units} and the {gets} they are mapped to.

    \b
    Example:
      ipa pets P3
    """
    from ..method.idiographic import PET_COLUMNS

    rows = _project(ctx).idio.pet_rows(participant)
    click.echo(_show(rows, fmt, ["pet", "label", "statements", "themes"], {"label": 50},
                     PET_COLUMNS), nl=False)


@main.command()
@click.option("--theme", "theme_ref", help="Changes filed under a theme (and sub-themes).")
@click.option("--participant")
@click.option("--coder", help="Who made the changes.")
@click.option("--since", help="From this date (YYYY-MM-DD) or time.")
@click.option("--until", help="Up to this date (the whole day) or time.")
@click.option("--entity", help="The kind of change: coding, {get}, {unit}, {pet}, "
                               "transcript, ... (as the entity column names it).")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table")
@click.pass_context
def log(ctx, theme_ref, participant, coder, since, until, entity, fmt):
    """The audit trail: every change, append-only (when, who, what, before -> after).

    \b
    Example:
      ipa log --participant P3
      ipa log --theme 1.2 --since 2026-01-01 --format csv > audit.csv
    """
    from ..trail.read import LOG_COLUMNS

    rows = _project(ctx).log.entries(theme=theme_ref, participant=participant, coder=coder,
                                     since=since, until=until, entity=entity, worded=True)
    cols = ["id", "when", "who", "action", "entity", "participant", "theme", "change"]
    click.echo(_show(rows, fmt, cols, {"change": 60}, LOG_COLUMNS), nl=False)


@main.command()
@click.option("--out", required=True, type=click.Path(file_okay=False), help="A folder.")
@click.pass_context
def audit(ctx, out):
    """Write an audit bundle: from each {get} down to {pets}, {units}, passages and lines.

    \b
    Example:
      ipa audit --out audit/
    """
    files = _project(ctx).audit(out)
    click.echo(f"wrote {len(files)} files into {out} (start with trail.md)")


@main.command()
@click.option("--out", required=True, type=click.Path(dir_okay=False),
              help="results.docx (or .md).")
@click.pass_context
def draft(ctx, out):
    """Write the skeleton of a results section: each {get}, who shares it, extracts, and the
    divergent cases; the interpretation is left to you.

    \b
    Example:
      ipa draft --out results.docx
    """
    from ..errors import InputError

    if not out.lower().endswith((".docx", ".md")):
        raise InputError("the draft is written as .docx or .md", path=out)
    click.echo(f"wrote {_project(ctx).draft(out)}")


@main.command()
@click.argument("out", type=click.Path())
@click.option("--from", "source", type=click.Path(file_okay=False),
              help="Replay the log.csv of a plain export (ipa export DIR) instead, and "
                   "compare with that export.")
@click.pass_context
def replay(ctx, out, source):
    """Rebuild the project from its audit log alone into a new folder OUT, and check that
    its plain export equals the original's, file by file.

    \b
    Example:
      ipa replay /tmp/rebuilt                       # this project's log
      ipa replay /tmp/rebuilt --from study-files/   # an export an auditor was sent
    """
    from ..project import Project

    r = Project.replay_export(source, out) if source else _project(ctx).log.replay(out)
    click.echo(f"replayed {r['entries']} log entries into {out}: its plain export equals "
               f"the original's ({r['files']} files)")


@main.command("export-codings")
@click.argument("file", type=click.Path(dir_okay=False))
@click.pass_context
def export_codings(ctx, file):
    """Write every coding and {unit} as a coding sheet (.csv or .xlsx) that
    'ipa import-codings' reads back: lines, quote, theme, note, and the {pet} of each
    {unit} (its path of labels, 'Mourning > Guilt').

    \b
    Example:
      ipa export-codings coding_sheet.xlsx
    """
    from ..sheets.statements import export_codings as write

    click.echo(f"wrote {write(_project(ctx), file)}")
    left_out_note(ctx)


def left_out_note(ctx, participant: str | None = None) -> None:
    """Say which PETs the file cannot carry (no statements): a researcher expects to
    find every PET, and would otherwise lose them without a word on the way back."""
    from ..method.idiographic import left_out
    from ..terms import for_project

    refs = left_out(_project(ctx), participant)
    if refs:
        w = for_project(_project(ctx)).words()
        shown = ", ".join(refs[:8]) + (f" and {len(refs) - 8} more" if len(refs) > 8 else "")
        click.echo(f"note: {len(refs)} {w['pet'] if len(refs) == 1 else w['pets']} with no "
                   f"{w['unit']} ({shown}) cannot travel in this file; 'ipa export DIR' and "
                   ".qdpx carry them", err=True)
