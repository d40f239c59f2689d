"""``ipa serve``: the browser coding view (needs the ``serve`` extra)."""

from __future__ import annotations

import click

from .app import main

LOOPBACK = {"127.0.0.1", "localhost", "::1"}


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; keep the default unless others must reach it.")
@click.option("--port", default=0, type=click.IntRange(0, 65535),
              help="Port (default: a free one).")
@click.option("--no-browser", is_flag=True, help="Only print the URL (first line on stdout).")
@click.pass_context
def serve(ctx, host, port, no_browser):
    """Open the project in the browser: read, code, edit the codebook, see the tables.

    The URL holds a random access token (as Jupyter's does); whoever has it can read and
    change the project, so share it with nobody. The server stops with Ctrl+C.

    \b
    Example:
      ipa serve
      ipa serve --no-browser --port 8765
    """
    import secrets
    import socket

    from ..errors import InputError
    from ..project import Project
    from ..store import database_of

    try:
        import uvicorn

        from ..web import create_app
    except ImportError as exc:
        raise InputError(f"ipa serve needs the serve extra ({exc.name} is missing)",
                         hint="pip install 'ipa-toolkit[serve]'") from exc
    obj = ctx.ensure_object(dict)
    folder = Project.open(obj.get("path"))
    folder.close()
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        raise InputError(f"cannot listen on {host}:{port} ({exc.strerror})",
                         hint="choose another --port") from exc
    port = sock.getsockname()[1]
    token = secrets.token_urlsafe(32)
    shown = f"[{host}]" if ":" in host else host
    team = database_of(folder.folder) is not None    # PostgreSQL: each person signs in
    url = f"http://{shown}:{port}/" + ("login" if team else f"?token={token}")
    click.echo(url)
    if host not in LOOPBACK and not team:
        click.echo(f"warning: listening on {host}, not on this computer only: anyone who can "
                   "reach it and has the URL can read and change the project. Transcripts "
                   "travel unencrypted.", err=True)
    elif host not in LOOPBACK:
        click.echo(f"note: team mode on {host}: each person signs in with their database "
                   "login; HTTP is unencrypted, so serve it behind HTTPS beyond a trusted "
                   "network.", err=True)
    click.echo("ipa serve: open the URL above; Ctrl+C stops the server", err=True)
    if not no_browser:
        import webbrowser

        webbrowser.open(url)
    where = folder.folder
    app = create_app(where, token, sign_in=(lambda login, password:
                                            Project.sign_in(where, login, password))
                     if team else None)
    config = uvicorn.Config(app, log_level="warning", lifespan="on")
    uvicorn.Server(config).run(sockets=[sock])
