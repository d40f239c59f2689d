"""The ``ipa`` group, its error handling and the project-level commands (init, config).

Errors the researcher can cause (``IpaError``) become one line and exit code 1 here, in
one place. Heavy libraries are imported only by the commands that need them.
"""

from __future__ import annotations

import contextlib
import importlib
import os

import click

from .. import __version__


def _terms(ctx: click.Context | None):
    """The terminology preset of the project the command line names (-p, else this folder
    or the nearest above), read without opening it: --help must stay fast."""
    from pathlib import Path

    from ..store import is_project, peek_setting
    from ..terms import DEFAULT, PRESETS

    root = ctx.find_root() if ctx is not None else None
    if root is not None and "ipa_terms" in root.meta:
        return root.meta["ipa_terms"]
    given = (root.params.get("path") if root is not None else None) or \
        ((root.obj or {}).get("path") if root is not None else None)
    here = Path(given) if given else Path.cwd()
    name = None
    for folder in ((here,) if given else (here, *here.resolve().parents)):
        if is_project(folder):
            name = peek_setting(folder, "terms")
            break
    terms = PRESETS.get(str(name).strip().lower(), PRESETS[DEFAULT])
    if root is not None:
        root.meta["ipa_terms"] = terms
    return terms


class TermsCommand(click.Command):
    """A command whose help speaks the project's terms: {pet}, {unit}, {Gets}, ... in its
    help texts become 'PET' (2022), 'case theme' (2009/generic), and so on."""

    @contextlib.contextmanager
    def _worded(self, ctx: click.Context | None):
        terms = _terms(ctx)
        saved = [(self, "help", self.help), (self, "short_help", self.short_help),
                 (self, "epilog", self.epilog)]
        saved += [(p, "help", getattr(p, "help", None)) for p in self.params]
        try:
            for obj, attr, text in saved:
                if text:
                    setattr(obj, attr, terms.fill(text))
            yield
        finally:
            for obj, attr, text in saved:
                setattr(obj, attr, text)

    def get_help(self, ctx: click.Context) -> str:
        with self._worded(ctx):
            return super().get_help(ctx)

    def get_short_help_str(self, limit: int = 45) -> str:
        with self._worded(click.get_current_context(silent=True)):
            return super().get_short_help_str(limit)


class TermsGroup(TermsCommand, click.Group):
    """A command group whose help and whose commands' help speak the project's terms."""

    command_class = TermsCommand
    group_class = type  # sub-groups are made of this same class

    def resolve_command(self, ctx: click.Context, args: list[str]):
        """An unknown command names the closest one ('ipa tga' -> did you mean 'tag'?)."""
        try:
            return super().resolve_command(ctx, args)
        except click.UsageError as exc:
            if "No such command" in exc.message and args:
                import difflib

                close = difflib.get_close_matches(args[0], self.list_commands(ctx), n=1)
                if close:
                    exc.message += f" Did you mean '{close[0]}'?"
            raise


#: The module of ``ipa_toolkit.cli`` that defines each top-level command. A command's module
#: is imported when that command is asked for, so ``ipa tag`` loads the coding commands and
#: not the report's or the web view's. ``test_cli.py`` checks this table against the modules.
COMMAND_MODULES = {
    "init": "app", "config": "app",
    "codebook": "codebook", "theme": "codebook",
    "tag": "coding", "untag": "coding", "reanchor": "coding", "codings": "coding",
    "import-codings": "coding", "import-comments": "coding", "export-transcript": "coding",
    "note": "coding", "notes": "coding", "memo": "coding", "memos": "coding",
    "db": "database",
    "export": "exchange", "import": "exchange", "merge": "exchange", "agreement": "exchange",
    "statement": "idiographic", "statement-edit": "idiographic",
    "statement-delete": "idiographic", "statements": "idiographic", "pet": "idiographic",
    "pets": "idiographic", "log": "idiographic", "audit": "idiographic", "draft": "idiographic",
    "replay": "idiographic", "export-codings": "idiographic",
    "search": "nlp", "anonymise": "nlp", "suggest": "nlp",
    "participants": "participants",
    "table": "report", "chart": "report", "check": "report", "report": "report",
    "serve": "serve",
    "ingest": "transcripts", "transcripts": "transcripts", "show": "transcripts",
}


class IpaGroup(TermsGroup):
    """Turns library errors into one clean line instead of a traceback, and loads each
    command's module only when it is needed (start-up is what a coder waits for)."""

    group_class = TermsGroup

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        module = COMMAND_MODULES.get(cmd_name)
        if module is not None and cmd_name not in self.commands:
            importlib.import_module(f"{__package__}.{module}")
        return super().get_command(ctx, cmd_name)

    def list_commands(self, ctx: click.Context) -> list[str]:
        load_all()
        return super().list_commands(ctx)

    def invoke(self, ctx: click.Context):
        from ..errors import IpaError

        debug = ctx.params.get("debug", False)
        try:
            with _notices():
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


raw_option = click.option(
    "--raw", is_flag=True,
    help="CSV: write cells starting with = + - @ as they are (default: a leading ' keeps "
         "spreadsheets from running them as formulas).")
_UNRECORDED = {"key", "log"}


@contextlib.contextmanager
def _notices():
    """Library notices (e.g. which coder name is used) as one 'note:' line each, once."""
    import warnings

    from ..project.identity import CoderNotice

    said: set[str] = set()
    with warnings.catch_warnings():
        warnings.simplefilter("always", CoderNotice)
        shown = warnings.showwarning

        def show(message, category, *args, **kwargs):
            if not issubclass(category, CoderNotice):
                return shown(message, category, *args, **kwargs)
            if str(message) not in said:
                said.add(str(message))
                click.echo(f"note: {message}", err=True)

        warnings.showwarning = show
        yield


def _command_line(ctx: click.Context) -> str:
    """The command as the audit log records it: 'ipa pet map P3:2 1.2 --remove'."""
    words = ["ipa", *ctx.command_path.split()[1:]]
    for param in ctx.command.params:
        value = ctx.params.get(param.name)
        if value in (None, False, (), ""):
            continue
        values = value if isinstance(value, (tuple, list)) else [value]
        flag = param.opts[0] if isinstance(param, click.Option) else None
        if param.name in _UNRECORDED:  # where the pseudonymisation key lives stays out
            values = ["(not recorded)"]
        if flag and value is True:
            words.append(flag)
            continue
        for v in values:
            words.extend([flag, str(v)] if flag else [str(v)])
    return " ".join(w if w and " " not in w else repr(w) for w in words)


def _project(ctx: click.Context):
    from ..project import Project

    obj = ctx.ensure_object(dict)
    if "project" not in obj:
        obj["project"] = Project.open(obj.get("path"))
        ctx.call_on_close(obj["project"].close)
        obj["project"].store.command = _command_line(ctx)
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
@click.option("--database", envvar="IPA_DATABASE_URL", metavar="URL",
              help="Keep the data in PostgreSQL (postgresql://host/dbname) for a team; "
                   "default: IPA_DATABASE_URL, else a file in FOLDER.")
@click.option("--schema", metavar="NAME",
              help="The project's schema in that database (default: FOLDER's name).")
def init(folder, replace, codebook, participants, transcripts, codings, comments, database,
         schema):
    """Create a project, optionally filled in one step.

    \b
    Example:
      ipa init study
      ipa init study --codebook codebook.yaml --participants participants.csv \\
          --transcripts transcripts/ --codings coding_sheet.xlsx
      ipa init study --database postgresql://db.example.org/ipa   # a team project
    """
    from ..project import Project

    p = Project.create(folder, replace_existing=replace, codebook=codebook,
                       participants=participants, transcripts=transcripts, codings=codings,
                       comments=comments, database=database, schema=schema)
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
      ipa config terms 2009           # the words of tables, charts, help: 2022, 2009, generic
    """
    for k, v in _project(ctx).config(key, value).items():
        click.echo(f"{k}: {v}")


def load_all() -> None:
    """Import every command module (for the list in ``ipa --help`` and for tools that walk
    ``main.commands``)."""
    for module in sorted(set(COMMAND_MODULES.values())):
        importlib.import_module(f"{__package__}.{module}")


PROCESS = {"one_command": False}  # True under ``run``: the process ends after its command


def run() -> None:  # pragma: no cover - console-script entry
    PROCESS["one_command"] = True
    # numpy's OpenBLAS starts a thread per core when numpy is imported, and they spin
    # waiting for work: 0.1 s of CPU per process (a report and each of its forked
    # children) in commands that do no linear algebra. One thread, unless the user says.
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    try:
        main(prog_name="ipa")
    finally:
        import gc

        # the process ends here: the interpreter's last collections would only walk every
        # object of the libraries a command imported (half a second after a report) to
        # free memory the system takes back anyway
        gc.freeze()
