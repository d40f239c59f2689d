"""Access control: a token in the first URL becomes a session cookie; writes need CSRF.

As Jupyter does, ``ipa serve`` prints a URL holding a random token. The first request
carrying it gets a session cookie (HttpOnly, SameSite=Strict) and is redirected to the
same address without the token, so the token leaves neither history nor Referer. Every
request without a valid session is refused; every write (any method but GET/HEAD) must
also send the session's CSRF token in the ``X-CSRF-Token`` header, which a page of another
site cannot read.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from starlette.datastructures import URL
from starlette.responses import PlainTextResponse, RedirectResponse, Response
from starlette.types import ASGIApp, Receive, Scope, Send

COOKIE = "ipa_session"
CSRF_HEADER = "x-csrf-token"
SAFE_METHODS = {"GET", "HEAD"}
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
HEADERS = {"content-security-policy": CSP, "x-content-type-options": "nosniff",
           "referrer-policy": "no-referrer", "x-frame-options": "DENY",
           "cache-control": "no-store"}


@dataclass
class Session:
    """A browser: its CSRF token, and in team mode who signed in and their connection."""

    csrf: str = field(default_factory=lambda: secrets.token_urlsafe(32))
    user: str | None = None
    host: Any = None  # team mode: a ProjectHost opened with this person's login


class Sessions:
    """Server-side sessions, keyed by a random cookie value; gone when the server stops."""

    def __init__(self, token: str, *, team: bool = False):
        self.token = token
        self.team = team
        self._by_id: dict[str, Session] = {}

    def token_ok(self, given: str | None) -> bool:
        return bool(given) and secrets.compare_digest(given.encode(), self.token.encode())

    def start(self, user: str | None = None, host: Any = None) -> tuple[str, Session]:
        sid = secrets.token_urlsafe(32)
        self._by_id[sid] = Session(user=user, host=host)
        return sid, self._by_id[sid]

    def get(self, sid: str | None) -> Session | None:
        return self._by_id.get(sid) if sid else None

    def end(self, sid: str | None) -> None:
        session = self._by_id.pop(sid, None) if sid else None
        if session is not None and session.host is not None:
            session.host.close()

    def close(self) -> None:
        for sid in list(self._by_id):
            self.end(sid)


def set_cookie(response: Response, sid: str) -> None:
    response.set_cookie(COOKIE, sid, httponly=True, samesite="strict", path="/")


class Guard:
    """ASGI middleware: nothing is served without the token or a session."""

    def __init__(self, app: ASGIApp, sessions: Sessions):
        self.app = app
        self.sessions = sessions

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: dict) -> None:
            if message["type"] == "http.response.start":
                have = {k.lower() for k, _ in message.get("headers", [])}
                extra = [(k.encode(), v.encode()) for k, v in HEADERS.items()
                         if k.encode() not in have]
                message["headers"] = list(message.get("headers", [])) + extra
            await send(message)

        response = self.check(scope)
        if response is not None:
            await response(scope, receive, send_with_headers)
            return
        await self.app(scope, receive, send_with_headers)

    def check(self, scope: Scope) -> Response | None:
        """None when the request may go on; otherwise the refusal (or the token exchange)."""
        from starlette.requests import Request

        request = Request(scope)
        path = request.url.path
        if self.sessions.team:
            return self.check_team(request, path)
        token = request.query_params.get("token")
        if token is not None:
            if not self.sessions.token_ok(token):
                return PlainTextResponse("This link's token is wrong or out of date: use the "
                                         "URL that 'ipa serve' printed.", status_code=403)
            rest = [(k, v) for k, v in request.query_params.multi_items() if k != "token"]
            target = URL(path=request.url.path, query=urlencode(rest))
            response = RedirectResponse(str(target), status_code=303)
            sid, _ = self.sessions.start()
            set_cookie(response, sid)
            return response
        session = self.sessions.get(request.cookies.get(COOKIE))
        if session is None:
            return PlainTextResponse("Not signed in: open the URL that 'ipa serve' printed "
                                     "(it holds the access token).", status_code=403)
        return self.check_write(request, session)

    def check_team(self, request, path: str) -> Response | None:
        """Team mode: only the sign-in page and its assets before signing in."""
        if path == "/login" or path.startswith("/static/"):
            return None
        session = self.sessions.get(request.cookies.get(COOKIE))
        if session is None or session.user is None:
            if request.method in SAFE_METHODS:
                return RedirectResponse("/login", status_code=303)
            return PlainTextResponse("Not signed in.", status_code=403)
        return self.check_write(request, session)

    def check_write(self, request, session: Session) -> Response | None:
        request.scope.setdefault("state", {})["session"] = session
        if request.method not in SAFE_METHODS:
            sent = request.headers.get(CSRF_HEADER, "")
            if not secrets.compare_digest(sent.encode(), session.csrf.encode()):
                return PlainTextResponse("Refused: the request lacks this page's CSRF token.",
                                         status_code=403)
            origin = request.headers.get("origin")
            if origin and origin != f"{request.url.scheme}://{request.url.netloc}":
                return PlainTextResponse("Refused: the request came from another site.",
                                         status_code=403)
        return None
