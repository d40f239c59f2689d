"""The codebook and its themes."""

from __future__ import annotations

import click

from .app import _project, main


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
@click.option("--by-coder", is_flag=True, help="Add each coder's own passages per theme.")
@click.pass_context
def codebook_show(ctx, no_counts, by_coder):
    """The codebook tree with passages and participants per theme (whole subtree).

    Overlapping codings of a theme in one transcript count as one passage, whoever coded
    them; --by-coder adds each coder's count.
    """
    click.echo(_project(ctx).codebook_tree(counts=not no_counts, by_coder=by_coder))


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
