"""Participants and their attributes (Table 1)."""

from __future__ import annotations

import click

from ..project.display import FORMATS
from .app import _project, main, raw_option


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
@raw_option
@click.pass_context
def participants_list(ctx, fmt, raw):
    """List participants with their attributes."""
    from ..project.display import render

    click.echo(render(_project(ctx).participants(), fmt, raw=raw), nl=False)


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
    from ..errors import InputError

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


@participants.command("type")
@click.argument("name")
@click.argument("kind", type=click.Choice(["number", "category", "text"]))
@click.pass_context
def participants_type(ctx, name, kind):
    """Declare attribute NAME a number, category or text (Table 1 summarises by type).

    A number attribute refuses values that are not numbers. The type can also be given in
    the participants file header, e.g. "Age:number".

    \b
    Example:
      ipa participants type Age number
    """
    types = _project(ctx).type_attribute(name, kind)
    click.echo(", ".join(f"{k}: {v}" for k, v in types.items()))
