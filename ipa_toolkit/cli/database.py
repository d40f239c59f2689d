"""Team projects on PostgreSQL: push, pull and who may do what (``ipa db ...``)."""

from __future__ import annotations

import click

from .app import _project, main


@main.group()
def db():
    """Share a project through a PostgreSQL database.

    \b
    Example:
      ipa db push postgresql://db.example.org/ipa     # this project, for the team
      ipa init mine --database postgresql://db.example.org/ipa --schema study
      ipa db grant alice coder
      ipa db pull postgresql://db.example.org/ipa archive --schema study
    """


@db.command()
@click.argument("database", metavar="URL")
@click.option("--schema", metavar="NAME", help="Schema to create (default: the folder's name).")
@click.pass_context
def push(ctx, database, schema):
    """Copy this project into a new schema of a PostgreSQL database, losslessly."""
    counts = _project(ctx).push(database, schema)
    click.echo(f"pushed {counts.get('codings', 0)} codings, {counts.get('transcripts', 0)} "
               f"transcripts, {counts.get('themes', 0)} themes")


@db.command()
@click.argument("database", metavar="URL")
@click.argument("folder", type=click.Path(file_okay=False))
@click.option("--schema", metavar="NAME", help="Project to copy (default: FOLDER's name).")
def pull(database, folder, schema):
    """Copy a PostgreSQL project into a new SQLite project in FOLDER (for archiving)."""
    from ..project import Project

    p = Project.pull(database, folder, schema)
    counts = ", ".join(f"{v} {k}" for k, v in p.summary().items())
    p.close()
    click.echo(f"pulled into {folder}: {counts}")


@db.command()
@click.argument("login")
@click.argument("role", type=click.Choice(["owner", "coder", "viewer"]))
@click.pass_context
def grant(ctx, login, role):
    """Give a database login a role in this project (replacing its earlier one).

    owner: everything, including the codebook and granting; coder: reads, and adds and
    edits their own codings, notes and memos; viewer: reads, reports and exports.
    """
    _project(ctx).grant(login, role)
    click.echo(f"{login} is now {role}")


@db.command()
@click.argument("login")
@click.pass_context
def revoke(ctx, login):
    """Take a login's role in this project away (its codings stay)."""
    _project(ctx).revoke(login)
    click.echo(f"{login} no longer has a role here")


@db.command()
@click.pass_context
def members(ctx):
    """Who may do what in this project."""
    for login, role in _project(ctx).members().items():
        click.echo(f"{login:<24} {role}")
