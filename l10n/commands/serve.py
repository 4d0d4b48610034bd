"""``l10n serve``: the review desk as a local web application, on 127.0.0.1 only.

The standard library's ``http.server``, one thread per request, and three
static files (``l10n/web/``): no framework, no external asset, nothing run
from content (the page puts every text in as text, never as HTML). Every
answer carries a Content-Security-Policy that allows only the server's own
script, style and requests. A token made at each start guards every request:
the URL printed holds it once, the page then has it in a cookie only this
origin gets (SameSite=Strict, HttpOnly) and sends it back in a header with
every request; a request without it, from another Host or another Origin, is
refused (403), so another site open in the same browser cannot read or
change anything. Every write is the desk's (``commands.desk``), which goes
through ``l10n import``'s and ``l10n review``'s own paths.
"""

from __future__ import annotations

import hmac
import json
import secrets
import threading
import time
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib.resources import files
from pathlib import Path
from typing import Any, Callable, Sequence
from urllib.parse import parse_qs, urlsplit

from ..errors import ConfigError, L10nError
from .check import run_check
from .desk import Desk

HOST = "127.0.0.1"
#: The most a request's body may hold (a segment's text is bounded far below it).
MAX_BODY = 8 * 1024 * 1024
COOKIE = "l10n_token"
HEADER = "X-L10n-Token"
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; "
       "base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
STATIC = {"/app.js": ("app.js", "text/javascript; charset=utf-8"), "/app.css": ("app.css", "text/css; charset=utf-8")}


@dataclass
class Served:
    """A running server: its URL (with the token), and how to stop it."""

    url: str
    token: str
    server: ThreadingHTTPServer
    desk: Desk
    thread: threading.Thread | None = None

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def start(paths: Sequence[str | Path] = (), to: str | Sequence[str] | None = None, port: int = 0,
          check: bool = True) -> Served:
    """Open the site, listen on 127.0.0.1:``port`` (0: any free port) and serve in a
    thread; ``check``: record the findings of pages not yet checked, in the background."""
    if not 0 <= port <= 65535:
        raise ConfigError(f"--port must be between 0 and 65535, not {port}")
    desk = Desk(paths, to)
    desk.rows()  # the first screen is ready before the URL is said
    token = secrets.token_urlsafe(24)
    try:
        server = ThreadingHTTPServer((HOST, port), _handler(desk, token))
    except OSError as exc:
        raise ConfigError(f"cannot listen on {HOST}:{port}: {exc.strerror or exc}") from None
    server.daemon_threads = True
    served = Served(f"http://{HOST}:{server.server_address[1]}/?token={token}", token, server, desk)
    served.thread = threading.Thread(target=server.serve_forever, name="l10n-serve", daemon=True)
    served.thread.start()
    if check:
        threading.Thread(target=_check_all, args=(desk,), name="l10n-serve-check", daemon=True).start()
    return served


def run_serve(paths: Sequence[str | Path] = (), to: str | Sequence[str] | None = None, port: int = 0,
              ready: Callable[[Served], None] | None = None, check: bool = True) -> None:
    """Serve until interrupted (Ctrl-C raises KeyboardInterrupt here)."""
    served = start(paths, to, port, check)
    if ready is not None:
        ready(served)
    try:
        while served.thread is not None and served.thread.is_alive():
            time.sleep(0.5)
    finally:
        served.stop()


def _check_all(desk: Desk) -> None:
    """Findings for every page, recorded as ``l10n build`` records them (one process,
    in the background); the list shows them once they are there."""
    try:
        run_check(desk.paths, desk.to, catalogs=False, cache=True, jobs=1)
    except (L10nError, OSError):
        return  # the list shows "not checked yet"; opening a page checks it
    desk.rows(fresh=True)


def _handler(desk: Desk, token: str) -> type[BaseHTTPRequestHandler]:
    page = files("l10n").joinpath("web", "index.html").read_text(encoding="utf-8")

    class Handler(BaseHTTPRequestHandler):
        server_version = "l10n"
        sys_version = ""
        timeout = 30  # seconds a request may take to arrive: a client that stalls holds no thread for long

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class's name
            pass  # the terminal shows the URL, not every request

        # -- the guard -------------------------------------------------------

        def _host_ok(self) -> bool:
            """Only this server's own name: a page elsewhere that rebinds a name to
            127.0.0.1 (DNS rebinding) sends its own Host."""
            host = self.headers.get("Host", "")
            return host in (f"{HOST}:{self.server.server_address[1]}", f"localhost:{self.server.server_address[1]}")

        def _origin_ok(self) -> bool:
            origin = self.headers.get("Origin")
            return origin is None or origin in (f"http://{self.headers.get('Host', '')}",)

        def _has_token(self, query: dict) -> bool:
            given = [self.headers.get(HEADER, ""), *query.get("token", [])]
            cookie = self.headers.get("Cookie", "")
            given += [part.split("=", 1)[1] for part in cookie.split(";") if part.strip().startswith(COOKIE + "=")]
            return any(_same(g.strip(), token) for g in given if g)

        def _refuse(self, why: str) -> None:
            self._send(HTTPStatus.FORBIDDEN, json.dumps({"ok": False, "message": why}).encode(), "application/json")

        # -- answers ---------------------------------------------------------

        def _send(self, status: int, body: bytes, kind: str, extra: dict[str, str] | None = None) -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Content-Security-Policy", CSP)
            self.send_header("X-Content-Type-Options", "nosniff")
            self.send_header("Referrer-Policy", "no-referrer")
            self.send_header("Cache-Control", "no-store")
            self.send_header("Cross-Origin-Resource-Policy", "same-origin")
            for name, value in (extra or {}).items():
                self.send_header(name, value)
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

        def _json(self, data: Any, status: int = HTTPStatus.OK) -> None:
            self._send(status, json.dumps(data, ensure_ascii=False).encode("utf-8"), "application/json; charset=utf-8")

        def do_GET(self) -> None:  # noqa: N802 - http.server's name
            url = urlsplit(self.path)
            query = parse_qs(url.query)
            if not self._host_ok():
                return self._refuse("wrong Host: l10n serve answers only to its own address")
            if url.path == "/favicon.ico":
                return self._send(HTTPStatus.NO_CONTENT, b"", "image/x-icon")
            if not self._has_token(query):
                return self._refuse("no token: open the URL l10n serve printed")
            if url.path == "/" and "token" in query:  # the printed URL: the token into a cookie, out of the address
                self._send(HTTPStatus.SEE_OTHER, b"", "text/plain", {
                    "Location": "/", "Set-Cookie": f"{COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict"})
                return
            if url.path == "/":
                return self._send(HTTPStatus.OK, page.replace("{{TOKEN}}", token).encode("utf-8"),
                                  "text/html; charset=utf-8")
            if url.path in STATIC:
                name, kind = STATIC[url.path]
                return self._send(HTTPStatus.OK, files("l10n").joinpath("web", name).read_bytes(), kind)
            if self.headers.get(HEADER, "") != token:  # the API: only the page's script, which sends the header
                return self._refuse("no token header")
            try:
                if url.path == "/api/pages":
                    one = lambda name, default="": query.get(name, [default])[0]  # noqa: E731
                    return self._json(desk.listing(one("lang"), one("state"), one("findings") == "1", one("q"),
                                                   one("sort", "path"), _int(one("offset", "0")),
                                                   _int(one("limit", "100")), one("fresh") == "1"))
                if url.path == "/api/page":
                    return self._json(desk.page(query.get("source", [""])[0], query.get("lang", [""])[0]))
            except L10nError as exc:
                return self._json({"ok": False, "message": exc.message}, HTTPStatus.NOT_FOUND)
            self._json({"ok": False, "message": "no such address"}, HTTPStatus.NOT_FOUND)

        def do_POST(self) -> None:  # noqa: N802 - http.server's name
            url = urlsplit(self.path)
            if not self._host_ok() or not self._origin_ok():
                return self._refuse("wrong Host or Origin: l10n serve answers only to its own page")
            if not _same(self.headers.get(HEADER, ""), token):
                return self._refuse("no token: open the URL l10n serve printed")
            if self.headers.get("Content-Type", "").split(";")[0].strip() != "application/json":
                return self._refuse("a request of the page's own kind (JSON) only")
            length = _int(self.headers.get("Content-Length", "0"))
            if length < 0:
                return self._json({"ok": False, "message": "bad Content-Length"}, HTTPStatus.BAD_REQUEST)
            if length > MAX_BODY:
                return self._json({"ok": False, "message": "request too large"}, HTTPStatus.REQUEST_ENTITY_TOO_LARGE)
            try:
                body = json.loads(self.rfile.read(length) or b"{}")
            except (ValueError, RecursionError):
                return self._json({"ok": False, "message": "not JSON"}, HTTPStatus.BAD_REQUEST)
            if not isinstance(body, dict):
                return self._json({"ok": False, "message": "not a JSON object"}, HTTPStatus.BAD_REQUEST)
            text = lambda name: body.get(name) if isinstance(body.get(name), str) else ""  # noqa: E731
            source, lang = text("source"), text("lang")
            actions = {
                "/api/edit": lambda: desk.edit(source, lang, text("uid"), text("text"), text("seen"),
                                               body.get("approve") is True),
                "/api/approve": lambda: desk.approve_segment(source, lang, text("uid"), text("seen")),
                "/api/approve-page": lambda: desk.approve_page(source, lang, text("version")),
                "/api/accept": lambda: desk.accept(source, lang, text("finding")),
            }
            action = actions.get(url.path)
            if action is None:
                return self._json({"ok": False, "message": "no such address"}, HTTPStatus.NOT_FOUND)
            try:
                answer = action()
            except L10nError as exc:
                return self._json({"ok": False, "message": exc.message}, HTTPStatus.CONFLICT)
            self._json(answer.to_dict(), HTTPStatus.OK if answer.ok else HTTPStatus.CONFLICT)

        do_HEAD = do_GET  # noqa: N815

    return Handler


def _same(given: str, token: str) -> bool:
    """Whether a request's token is ours, in constant time; a header of any bytes (read as
    Latin-1) is compared as bytes, since compare_digest refuses non-ASCII text."""
    return hmac.compare_digest(given.encode("utf-8", "surrogateescape"), token.encode("ascii"))


def _int(value: str) -> int:
    try:
        return int(value)
    except ValueError:
        return 0
