"""The routes of ``ipa serve``: each gathers data through ``Project`` and renders a page.

Pages are Jinja2 templates with autoescaping on (transcripts are untrusted text); writes are
JSON posts from the page's script, guarded by ``security.Guard``; the project is used on its
own thread (``host.ProjectHost``).
"""

from __future__ import annotations

import secrets
import tempfile
from collections.abc import Callable
from contextlib import asynccontextmanager
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import jinja2
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from ..errors import IpaError
from ..project import Project
from . import views
from .host import ProjectHost
from .security import COOKIE, Guard, Sessions, set_cookie

STATIC_TYPES = {".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8",
                ".svg": "image/svg+xml"}
MEDIA = {"docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
         "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
         "csv": "text/csv; charset=utf-8", "md": "text/markdown; charset=utf-8",
         "tex": "text/x-tex; charset=utf-8", "html": "text/html; charset=utf-8",
         "png": "image/png", "svg": "image/svg+xml", "pdf": "application/pdf"}


def _static_files() -> dict[str, tuple[bytes, str]]:
    """Every asset ships in the package; only these names are served (no listing)."""
    folder = resources.files(__package__) / "static"
    return {f.name: (f.read_bytes(), STATIC_TYPES[Path(f.name).suffix])
            for f in folder.iterdir() if Path(f.name).suffix in STATIC_TYPES}


def create_app(folder: str | Path, token: str | None = None, *,
               sign_in: Callable[[str, str], Project] | None = None) -> Starlette:
    """The ASGI app serving the project in ``folder``; ``token`` opens the first session.

    Team mode: with ``sign_in(login, password) -> Project`` (a project on a server store,
    opened with that person's database login), the token is not used; each person signs in
    at /login and works through a connection of their own.
    """
    host = ProjectHost(folder)
    sessions = Sessions(token or secrets.token_urlsafe(32), team=sign_in is not None)

    async def run(request: Request, fn: Callable[..., Any], *args: Any) -> Any:
        session = request.scope["state"]["session"]
        return await (session.host or host)(fn, *args)

    env = jinja2.Environment(loader=jinja2.PackageLoader(__package__, "templates"),
                             autoescape=True, undefined=jinja2.StrictUndefined)
    static = _static_files()

    def page(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
        session = context.pop("session", None) or request.scope["state"]["session"]
        context.setdefault("active", "")
        html = env.get_template(template).render(csrf=session.csrf, user=session.user,
                                                 **context)
        return HTMLResponse(html, status_code=status)

    async def failed(request: Request, exc: IpaError, status: int = 400) -> HTMLResponse:
        return page(request, "error.html", status, title="Not found", message=exc.format())

    async def index(request: Request) -> Response:
        def gather(p: Project) -> dict[str, Any]:
            return {"version": views.version(p), "summary": p.summary(),
                    "transcripts": views.transcripts(p),
                    "name": p.codebook.name, "folder": p.folder.name}

        return page(request, "index.html", title="Project", active="home",
                    **await run(request, gather))

    async def transcript(request: Request) -> Response:
        name = request.path_params["name"]

        def gather(p: Project) -> dict[str, Any]:
            state = views.transcript_state(p, name)
            t = views.page_lines(p, name)
            return {"t": t, "lines_html": views.lines_html(t["lines"]), "state": state,
                    "transcripts": views.transcripts(p)}

        try:
            data = await run(request, gather)
        except IpaError as exc:
            return await failed(request, exc, 404)
        return page(request, "transcript.html", title=data["t"]["name"], active="transcripts",
                    **data)

    async def codebook(request: Request) -> Response:
        def gather(p: Project) -> dict[str, Any]:  # the version first: a later change reloads
            return {"version": views.version(p), "tree": views.codebook_tree(p)}

        return page(request, "codebook.html", title="Codebook", active="codebook",
                    **await run(request, gather))

    async def tables(request: Request) -> Response:
        def gather(p: Project) -> dict[str, Any]:
            return {"version": views.version(p),  # first: a change after it reloads the page
                    "recurrence": views.frame(p.table("recurrence")),
                    "heat": views.heat(p.table("recurrence", counts=True)),
                    "quotes": views.frame(p.table("quotes"))}

        return page(request, "tables.html", title="Tables and figures", active="tables",
                    tables=views.TABLE_NAMES, table_formats=views.TABLE_FORMATS,
                    charts=views.CHART_NAMES, chart_formats=views.CHART_FORMATS,
                    **await run(request, gather))

    async def search(request: Request) -> Response:
        q = request.query_params.get("q", "")
        try:
            hits = await run(request, views.search, q)
            error = ""
        except IpaError as exc:
            hits, error = [], exc.format()
        return page(request, "search.html", title="Search", active="search", q=q, hits=hits,
                    error=error)

    async def download(request: Request) -> Response:
        kind, name, fmt = (request.path_params[k] for k in ("kind", "name", "fmt"))
        known = {"table": (views.TABLE_NAMES, views.TABLE_FORMATS),
                 "chart": (views.CHART_NAMES, views.CHART_FORMATS)}
        names, formats = known.get(kind, ((), ()))
        if name not in names or fmt not in formats:
            return page(request, "error.html", 404, title="Not found",
                        message=f"no {kind} {name}.{fmt}")

        def build(p: Project) -> bytes:
            with tempfile.TemporaryDirectory() as tmp:
                path = Path(tmp) / f"{name}.{fmt}"
                if kind == "table":
                    p.write_table(name, path)
                else:
                    p.chart(name, path)
                return path.read_bytes()

        body = await run(request, build)
        inline = request.query_params.get("inline") == "1"
        disposition = "inline" if inline else f'attachment; filename="{kind}-{name}.{fmt}"'
        return Response(body, media_type=MEDIA[fmt],
                        headers={"content-disposition": disposition})

    async def report(request: Request) -> Response:
        def build(p: Project) -> bytes:
            with tempfile.TemporaryDirectory() as tmp:
                p.report(tmp)
                return (Path(tmp) / "report.docx").read_bytes()

        return Response(await run(request, build), media_type=MEDIA["docx"],
                        headers={"content-disposition": 'attachment; filename="report.docx"'})

    async def asset(request: Request) -> Response:
        found = static.get(request.path_params["name"])
        if found is None:
            return _not_found()
        return Response(found[0], media_type=found[1],
                        headers={"cache-control": "private, max-age=3600"})

    # -- team mode: sign in with the database login -------------------------------------------
    async def login(request: Request) -> Response:
        session = sessions.get(request.cookies.get(COOKIE))
        fresh = session is None
        if fresh:
            sid, session = sessions.start()
        if request.method == "GET":
            response = page(request, "login.html", title="Sign in", session=session,
                            error="", login="")
        else:
            form = parse_qs((await request.body()).decode("utf-8", "replace"))
            given = form.get("csrf", [""])[0]
            origin = request.headers.get("origin")
            foreign = origin and origin != f"{request.url.scheme}://{request.url.netloc}"
            if fresh or foreign or not secrets.compare_digest(given.encode(),
                                                              session.csrf.encode()):
                return Response("Refused: sign in from the sign-in page.", status_code=403,
                                media_type="text/plain")
            user = form.get("login", [""])[0].strip()
            password = form.get("password", [""])[0]
            mine = ProjectHost(folder, lambda _folder: sign_in(user, password))
            try:
                await mine(Project.summary)          # opens the connection: checks the login
            except IpaError as exc:
                mine.close()
                return page(request, "login.html", 401, title="Sign in", session=session,
                            error=exc.format(), login=user)
            sessions.end(request.cookies.get(COOKIE))
            sid, _ = sessions.start(user=user, host=mine)   # a new id once signed in
            response = RedirectResponse("/", status_code=303)
            set_cookie(response, sid)
            return response
        if fresh:
            set_cookie(response, sid)
        return response

    async def logout(request: Request) -> Response:
        sessions.end(request.cookies.get(COOKIE))
        response = RedirectResponse("/login" if sign_in else "/", status_code=303)
        response.delete_cookie(COOKIE, path="/")
        return response

    # -- JSON: reads --------------------------------------------------------------------------
    async def api_version(request: Request) -> Response:
        return JSONResponse({"version": await run(request, views.version)})

    async def api_state(request: Request) -> Response:
        try:
            state = await run(request, views.transcript_state, request.path_params["name"])
            return JSONResponse(state)
        except IpaError as exc:
            return JSONResponse({"error": exc.format()}, status_code=404)

    async def api_codebook(request: Request) -> Response:
        return JSONResponse(await run(request, views.codebook_tree))

    # -- JSON: writes -------------------------------------------------------------------------
    def write(action):
        async def endpoint(request: Request) -> Response:
            try:
                body = await request.json()
                if not isinstance(body, dict):
                    raise ValueError
            except ValueError:
                return JSONResponse({"error": "send a JSON object"}, status_code=400)
            try:
                result = await run(request, action, body)
            except IpaError as exc:
                return JSONResponse({"error": exc.format()}, status_code=400)
            except (KeyError, TypeError, ValueError) as exc:
                return JSONResponse({"error": f"bad request: {exc}"}, status_code=400)
            return JSONResponse({"ok": True, **(result or {})})
        return endpoint

    routes = [
        Route("/", index), Route("/t/{name}", transcript), Route("/codebook", codebook),
        Route("/tables", tables), Route("/search", search),
        Route("/download/{kind}/{name}.{fmt}", download), Route("/report.docx", report),
        Route("/static/{name}", asset),
        Route("/logout", logout, methods=["POST"]),
        *([Route("/login", login, methods=["GET", "POST"])] if sign_in else []),
        Route("/api/version", api_version), Route("/api/t/{name}", api_state),
        Route("/api/codebook", api_codebook),
        *[Route(f"/api/{name}", write(fn), methods=["POST"]) for name, fn in WRITES.items()],
    ]

    @asynccontextmanager
    async def lifespan(app: Starlette):
        yield
        host.close()
        sessions.close()

    app = Starlette(routes=routes, lifespan=lifespan)
    app.state.host = host
    app.state.sessions = sessions
    return Guard(app, sessions)  # type: ignore[return-value]


def _not_found() -> Response:
    return Response("Not found", status_code=404, media_type="text/plain")


# -- writes: each calls one Project method --------------------------------------------------
def _code(p: Project, b: dict) -> dict:
    name = str(b["transcript"])
    if b.get("lines"):
        c = p.tag(name, str(b["theme"]), lines=str(b["lines"]), transcript=name,
                  note=str(b.get("note", "")))
    else:
        c = p.tag(name, str(b["theme"]), chars=(int(b["start"]), int(b["end"])),
                  transcript=name, note=str(b.get("note", "")))
    if c is None:
        return {"duplicate": True, "message": "already coded to that theme"}
    t = p.transcript(name, name)
    return {"id": c.id, "citation": p.cite(t.participant, c.start_line, c.end_line),
            "start_line": c.start_line, "end_line": c.end_line, "quote": c.quote}


def _retheme(p: Project, b: dict) -> dict:
    c = p.retheme(int(b["id"]), str(b["theme"]))
    return {"id": c.id}


def _exemplar(p: Project, b: dict) -> None:
    p.set_exemplar(int(b["id"]), bool(b.get("exemplar", True)))


def _uncode(p: Project, b: dict) -> None:
    p.untag(int(b["id"]))


def _theme_add(p: Project, b: dict) -> dict:
    t = p.add_theme(str(b["label"]), str(b["parent"]) if b.get("parent") else None,
                    colour=str(b.get("colour", "") or ""))
    return {"number": t.number}


def _theme_rename(p: Project, b: dict) -> None:
    p.rename_theme(str(b["theme"]), str(b["label"]))


def _theme_update(p: Project, b: dict) -> None:
    fields = {k: str(b[k]).strip() for k in ("description", "inclusion", "exclusion", "colour")
              if k in b}
    p.update_theme(str(b["theme"]), **fields)


def _theme_move(p: Project, b: dict) -> dict:
    t = p.move_theme(str(b["theme"]), str(b["parent"]) if b.get("parent") else None)
    return {"number": t.number}


def _theme_merge(p: Project, b: dict) -> dict:
    return p.merge_themes(str(b["theme"]), str(b["into"]))


def _theme_delete(p: Project, b: dict) -> dict:
    return p.delete_theme(str(b["theme"]), move_codings_to=b.get("move_to") or None)


WRITES = {"code": _code, "retheme": _retheme, "exemplar": _exemplar, "uncode": _uncode,
          "theme/add": _theme_add, "theme/rename": _theme_rename,
          "theme/update": _theme_update, "theme/move": _theme_move,
          "theme/merge": _theme_merge, "theme/delete": _theme_delete}
