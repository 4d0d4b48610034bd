"""One HTTP exchange within a total deadline and a size limit, cut at once when its batch is cancelled.

urllib's ``timeout`` bounds each socket operation, so a server that drips a
byte a second holds a request for ever. Here every socket an exchange opens
is watched: a watchdog shuts it when the exchange's deadline passes (connect,
send and the whole answer together), and a cancelled :class:`Scope` (one
request of a batch failed, or Ctrl-C) shuts those of all its exchanges, so a
thread blocked on one wakes at once. The answer is read in chunks up to a
limit, never whole; redirects are refused (requests, and the key, go only to
the configured URL).
"""

from __future__ import annotations

import heapq
import http.client
import itertools
import os
import socket
import ssl
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from email.message import Message

#: Bytes read at a time.
CHUNK = 64 * 1024
#: The most of an error answer that is read (for its message).
ERROR_BODY = 64 * 1024


class Cancelled(Exception):
    """The exchange's scope was cancelled: another request of its batch failed, or Ctrl-C."""


class Expired(TimeoutError):
    """The exchange's deadline passed before the whole answer was read."""


class TooLarge(Exception):
    """The answer is longer than the exchange's limit; it was not read further."""


@dataclass
class Answer:
    """What a server answered: status, reason, headers, and the body (up to the limit)."""

    status: int
    reason: str
    headers: Message
    body: bytes


class Scope:
    """Requests cancelled together: the requests in flight for one batch."""

    def __init__(self) -> None:
        self.cancelled = threading.Event()
        self._lock = threading.Lock()
        self._exchanges: set[_Exchange] = set()

    def cancel(self) -> None:
        """No new exchange starts, and every one in flight is cut."""
        with self._lock:
            self.cancelled.set()
            live = list(self._exchanges)
        for exchange in live:
            exchange.cut("cancelled")

    def _enter(self, exchange: _Exchange) -> None:
        with self._lock:
            if self.cancelled.is_set():
                raise Cancelled()
            self._exchanges.add(exchange)

    def _leave(self, exchange: _Exchange) -> None:
        with self._lock:
            self._exchanges.discard(exchange)


def exchange(opener: urllib.request.OpenerDirector, request: urllib.request.Request, timeout: float, limit: int,
             scope: Scope) -> Answer:
    """Send ``request`` and read its answer, all within ``timeout`` seconds.

    Raises Expired past the deadline, Cancelled when the scope is,
    TooLarge for an answer of over ``limit`` bytes, and what urllib and
    http.client raise for connections that fail or close mid-answer (OSError,
    http.client.HTTPException). An error status is an Answer, its body cut at
    ERROR_BODY bytes."""
    current = _Exchange(time.monotonic() + timeout)
    scope._enter(current)
    _WATCHDOG.watch(current)
    _local.exchange = current
    try:
        try:
            response = opener.open(request, timeout=timeout)
        except urllib.error.HTTPError as exc:  # an error status: an answer too
            with exc:
                body = _read(exc, ERROR_BODY, cut=True) if exc.fp is not None else b""
                return _answer(current, exc.code, exc.msg, exc.headers, body)
        with response:
            body = _read(response, limit)
            return _answer(current, response.status, response.reason, response.headers, body)
    except Exception:
        current.end()
        if current.why == "cancelled":
            raise Cancelled() from None
        if current.why == "expired":
            raise Expired(f"no complete answer within {timeout:g} s") from None
        raise
    finally:
        current.end()
        _local.exchange = None
        scope._leave(current)


def _answer(current: _Exchange, status: int, reason, headers, body: bytes) -> Answer:
    current.end()
    if current.why:  # cut as it ended: what was read may be short
        raise OSError(current.why)
    return Answer(status, reason if isinstance(reason, str) else "", headers if headers is not None else Message(), body)


def _read(response, limit: int, cut: bool = False) -> bytes:
    """The body, in chunks, up to ``limit`` bytes (``cut``: the rest left unread, else TooLarge)."""
    length = _length(response.headers)
    if length is not None and length > limit and not cut:
        raise TooLarge(f"the answer is {length:,} bytes")
    chunks: list[bytes] = []
    size = 0
    while size <= limit:
        chunk = response.read(min(CHUNK, limit + 1 - size))
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    if size > limit:
        if not cut:
            raise TooLarge(f"the answer is over {limit:,} bytes")
        return b"".join(chunks)[:limit]
    left = getattr(response, "length", None)  # http.client's count of Content-Length still due
    if not cut and isinstance(left, int) and left > 0:
        raise http.client.IncompleteRead(b"".join(chunks), left)
    return b"".join(chunks)


def _length(headers) -> int | None:
    try:
        value = int(headers.get("Content-Length", "")) if headers is not None else None
    except (TypeError, ValueError):
        return None
    return value if value is not None and value >= 0 else None


# --------------------------------------------------------------------------
# Watched sockets


class _Exchange:
    """One request's sockets and deadline; cut once (expired or cancelled), never after it ended."""

    def __init__(self, deadline: float):
        self.deadline = deadline
        self.why = ""
        self._sockets: list[socket.socket] = []
        self._ended = False
        self._lock = threading.Lock()

    def add(self, sock: socket.socket) -> None:
        with self._lock:
            self._sockets.append(sock)
            if self.why:  # cut while it was connecting
                _shut(sock)

    def cut(self, why: str) -> None:
        with self._lock:
            if self._ended or self.why:
                return
            self.why = why
            for sock in self._sockets:
                _shut(sock)

    def end(self) -> None:
        """Done: the watchdog and a cancel leave its sockets alone from now (they may be closed and reused)."""
        with self._lock:
            self._ended = True

    @property
    def ended(self) -> bool:
        return self._ended


def _shut(sock: socket.socket) -> None:
    """Wake whoever is blocked on ``sock``: shut down, not closed (its owner closes it)."""
    try:
        socket.socket.shutdown(sock, socket.SHUT_RDWR)  # the descriptor itself, TLS or not
    except (OSError, ValueError):
        pass


class _Watchdog:
    """One daemon thread that cuts exchanges whose deadline passed."""

    def __init__(self) -> None:
        self._order = itertools.count()
        self._reset()
        if hasattr(os, "register_at_fork"):  # a forked child has none of the parent's threads
            os.register_at_fork(after_in_child=self._reset)

    def _reset(self) -> None:
        self._cond = threading.Condition()
        self._heap: list[tuple[float, int, _Exchange]] = []
        self._running = False

    def watch(self, exchange: _Exchange) -> None:
        with self._cond:
            if not self._running:
                self._running = True
                threading.Thread(target=self._run, name="l10n-deadlines", daemon=True).start()
            heapq.heappush(self._heap, (exchange.deadline, next(self._order), exchange))
            self._cond.notify()

    def _run(self) -> None:
        while True:
            due = []
            with self._cond:
                now = time.monotonic()
                while self._heap and (self._heap[0][2].ended or self._heap[0][0] <= now):
                    _deadline, _n, exchange = heapq.heappop(self._heap)
                    if not exchange.ended:
                        due.append(exchange)
                if not due:
                    self._cond.wait(self._heap[0][0] - now if self._heap else None)
            for exchange in due:
                exchange.cut("expired")


_WATCHDOG = _Watchdog()
_local = threading.local()


def _watch(sock: socket.socket) -> None:
    current = getattr(_local, "exchange", None)
    if current is not None:
        current.add(sock)


class _Connection(http.client.HTTPConnection):
    def connect(self) -> None:
        super().connect()
        _watch(self.sock)


class _WatchedContext(ssl.SSLContext):
    """TLS whose sockets are watched before the handshake, which a server can drip too."""

    def wrap_socket(self, sock, *args, **kwargs):  # type: ignore[override]
        _watch(sock)  # the TCP connection: shut before the handshake
        handshake = kwargs.pop("do_handshake_on_connect", True)
        tls = super().wrap_socket(sock, *args, do_handshake_on_connect=False, **kwargs)
        _watch(tls)  # the same descriptor, now owned by the TLS socket
        if handshake:
            tls.do_handshake()
        return tls


class _HTTPHandler(urllib.request.HTTPHandler):
    def http_open(self, req):
        return self.do_open(_Connection, req)


class _HTTPSHandler(urllib.request.HTTPSHandler):
    def __init__(self) -> None:
        super().__init__()
        context = _WatchedContext(ssl.PROTOCOL_TLS_CLIENT)
        context.load_default_certs()
        self.context = context

    def https_open(self, req):
        return self.do_open(http.client.HTTPSConnection, req, context=self.context)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A redirect is an error: requests (and the API key) go only to the configured URL."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        raise urllib.error.HTTPError(req.full_url, code, f"redirected to {newurl}; set that URL instead",
                                     headers, fp)


def opener_for(url: str) -> urllib.request.OpenerDirector:
    """An opener for one server: watched connections, no redirect, the environment's
    proxies (never for a loopback server)."""
    host = urllib.parse.urlparse(url).hostname or ""
    proxies = {} if host in ("127.0.0.1", "localhost", "::1") else urllib.request.getproxies()
    return urllib.request.build_opener(urllib.request.ProxyHandler(proxies), _NoRedirect, _HTTPHandler,
                                       _HTTPSHandler)
