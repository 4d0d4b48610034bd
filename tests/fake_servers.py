"""Translation servers on 127.0.0.1 that misbehave on purpose, speaking raw HTTP/1.1.

A :class:`FakeServer` answers each request with a *behaviour*: a function of
the request that writes what it likes to the socket (or nothing, ever). The
well-behaved ones answer as LibreTranslate and an OpenAI-compatible endpoint
would; the hostile ones drip, hang, send hundreds of megabytes, echo the API
key, close mid-answer, or answer JSON of the wrong shape. Every request is
recorded (``seen``), and so is every connection the client closed
(``closed``), for tests and benchmarks/bench_hostile.py.

    with serve(libre()) as server:
        ... server.url ...
"""

from __future__ import annotations

import contextlib
import json
import shutil
import socket
import socketserver
import ssl
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator


@dataclass
class Request:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes

    def json(self):
        return json.loads(self.body or b"null")

    @property
    def key(self) -> str:
        """The API key the client sent: LibreTranslate's api_key, or the Bearer token."""
        auth = self.headers.get("authorization", "")
        if auth.startswith("Bearer "):
            return auth[len("Bearer "):]
        data = self.json() if self.body else None
        return data.get("api_key", "") if isinstance(data, dict) else ""


Behaviour = Callable[[Request, socket.socket], None]


class Hangup(Exception):
    """A behaviour closed the connection on purpose."""


@dataclass
class FakeServer:
    behaviour: Behaviour
    seen: list[Request] = field(default_factory=list)
    #: connections the client closed (or shut) while the server was still in its answer
    closed: list[str] = field(default_factory=list)
    url: str = ""
    stopping: threading.Event = field(default_factory=threading.Event)

    def requests(self, path: str) -> list[Request]:
        return [r for r in self.seen if r.path.endswith(path)]


def _read_request(conn: socket.socket) -> Request | None:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(65536)
        if not chunk:
            return None
        data += chunk
    head, _, rest = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    method, path, _version = lines[0].split(" ", 2)
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    length = int(headers.get("content-length") or 0)
    while len(rest) < length:
        chunk = conn.recv(65536)
        if not chunk:
            break
        rest += chunk
    return Request(method, path, headers, rest[:length])


@contextlib.contextmanager
def serve(behaviour: Behaviour, tls: ssl.SSLContext | None = None) -> Iterator[FakeServer]:
    """A server answering with ``behaviour`` on a free port of 127.0.0.1, for the ``with``
    block; over TLS with ``tls`` (a server context: see ``tls_context``)."""
    fake = FakeServer(behaviour)

    class Handler(socketserver.BaseRequestHandler):
        def handle(self) -> None:
            conn: socket.socket = self.request
            request = Request("", "", {}, b"")
            try:
                if tls is not None:
                    conn = tls.wrap_socket(conn, server_side=True)
                while not fake.stopping.is_set():
                    request = _read_request(conn)
                    if request is None:
                        return
                    fake.seen.append(request)
                    fake.behaviour(request, conn)
                    if request.headers.get("connection", "").lower() == "close":
                        return
            except Hangup:
                return
            except (BrokenPipeError, ConnectionResetError, ConnectionAbortedError, ssl.SSLError):
                fake.closed.append(request.path)

    class Server(socketserver.ThreadingTCPServer):
        daemon_threads = True
        allow_reuse_address = True

    server = Server(("127.0.0.1", 0), Handler)
    fake.url = f"{'https' if tls else 'http'}://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield fake
    finally:
        fake.stopping.set()
        server.shutdown()
        server.server_close()


def tls_context(folder: Path) -> tuple[ssl.SSLContext, Path]:
    """A server context with a self-signed certificate for 127.0.0.1 (made by openssl),
    and the certificate's file, for a client to trust (SSL_CERT_FILE)."""
    if shutil.which("openssl") is None:
        raise FileNotFoundError("openssl")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    return context, cert


# --------------------------------------------------------------------------
# Answers


def send(conn: socket.socket, status: int = 200, body: bytes | str | object = b"", headers: dict | None = None,
         reason: str = "") -> None:
    """A whole answer: status, headers, body (JSON when not bytes or str)."""
    if not isinstance(body, (bytes, str)):
        body = json.dumps(body)
    data = body.encode("utf-8") if isinstance(body, str) else body
    lines = [f"HTTP/1.1 {status} {reason or _REASONS.get(status, 'Status')}", "Content-Type: application/json",
             f"Content-Length: {len(data)}"] + [f"{k}: {v}" for k, v in (headers or {}).items()]
    conn.sendall(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + data)


_REASONS = {200: "OK", 400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 408: "Request Timeout",
            413: "Payload Too Large", 429: "Too Many Requests", 500: "Internal Server Error"}

LANGUAGES = [{"code": "en", "name": "English", "targets": ["es", "fr"]},
             {"code": "es", "name": "Spanish", "targets": ["en"]},
             {"code": "fr", "name": "French", "targets": ["en"]}]


def libre(translate: Callable[[str], str] = lambda q: "ES " + q, languages=None) -> Behaviour:
    """LibreTranslate: ``/languages``, and ``/translate`` answering ``translate(q)``."""
    def behave(request: Request, conn: socket.socket) -> None:
        if request.path.endswith("/languages"):
            send(conn, 200, LANGUAGES if languages is None else languages)
        else:
            send(conn, 200, {"translatedText": translate(request.json()["q"])})
    return behave


def openai(translate: Callable[[str], str] = lambda text: text, usage=None) -> Behaviour:
    """An OpenAI-compatible chat endpoint: every numbered text of the request, through ``translate``."""
    def behave(request: Request, conn: socket.socket) -> None:
        items = json.loads(request.json()["messages"][1]["content"])
        reply = json.dumps({k: translate(v) for k, v in items.items()}, ensure_ascii=False)
        send(conn, 200, {"choices": [{"message": {"role": "assistant", "content": reply}}],
                         "usage": usage if usage is not None else {"prompt_tokens": 10, "completion_tokens": 5}})
    return behave


def on(path: str, behaviour: Behaviour, otherwise: Behaviour) -> Behaviour:
    """``behaviour`` for requests to ``path``, ``otherwise`` for the rest."""
    def behave(request: Request, conn: socket.socket) -> None:
        (behaviour if request.path.endswith(path) else otherwise)(request, conn)
    return behave


def first(count: int, behaviour: Behaviour, then: Behaviour) -> Behaviour:
    """``behaviour`` for the first ``count`` requests, then ``then``."""
    lock = threading.Lock()
    done = [0]

    def behave(request: Request, conn: socket.socket) -> None:
        with lock:
            done[0] += 1
            mine = done[0]
        (behaviour if mine <= count else then)(request, conn)
    return behave


def status(code: int, body: object = None, headers: dict | None = None) -> Behaviour:
    def behave(request: Request, conn: socket.socket) -> None:
        send(conn, code, body if body is not None else {"error": f"status {code}"}, headers)
    return behave


def answer(value: object) -> Behaviour:
    """200 with ``value`` as the body (JSON unless bytes or str): the wrong shapes."""
    def behave(request: Request, conn: socket.socket) -> None:
        send(conn, 200, value)
    return behave


def echo_key(code: int = 401) -> Behaviour:
    """An error that quotes the key it was sent, as a careless server does."""
    def behave(request: Request, conn: socket.socket) -> None:
        send(conn, code, {"error": {"message": f"invalid key: Bearer {request.key} (api_key={request.key})"}})
    return behave


def hang(request: Request, conn: socket.socket) -> None:
    """Read the request, never answer (until the client goes or the test ends)."""
    conn.settimeout(0.2)
    while True:
        try:
            if not conn.recv(1):
                raise ConnectionResetError("the client closed")
        except socket.timeout:
            pass


def drip(interval: float = 1.0, body: bytes | None = None) -> Behaviour:
    """A valid answer, one byte every ``interval`` seconds, headers included; a body
    that never ends unless one is given."""
    def behave(request: Request, conn: socket.socket) -> None:
        if body is None:
            head = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1000000\r\n\r\n"
            data: Iterator[int] = iter(head + b'{"translatedText": "' + b"a" * 999_000)
        else:
            data = iter(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n" % len(body) + body)
        for byte in data:
            conn.sendall(bytes([byte]))
            time.sleep(interval)
    return behave


def huge(size: int, length: bool = False) -> Behaviour:
    """A 200 answer of ``size`` bytes of JSON, sent as fast as it goes; with no
    Content-Length unless ``length`` (the end is when the connection closes)."""
    def behave(request: Request, conn: socket.socket) -> None:
        head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n"
        if length:
            head += f"Content-Length: {size}\r\n"
        conn.sendall((head + "\r\n").encode() + b'{"translatedText": "')
        block = b"a" * (1024 * 1024)
        sent = 20
        while sent < size - 2:
            part = block[: size - 2 - sent]
            conn.sendall(part)
            sent += len(part)
        conn.sendall(b'"}')
        conn.shutdown(socket.SHUT_WR)
    return behave


def cut(request: Request, conn: socket.socket) -> None:
    """Headers that promise 100 bytes, 10 of them, then the connection closes."""
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n"
                 b'{"translat')
    conn.shutdown(socket.SHUT_RDWR)
    raise Hangup()


def silent_close(request: Request, conn: socket.socket) -> None:
    """No answer at all: the connection closes (http.client's RemoteDisconnected)."""
    conn.shutdown(socket.SHUT_RDWR)
    raise Hangup()


def eventually(condition: Callable[[], bool], seconds: float = 30.0) -> bool:
    """Whether ``condition()`` holds within ``seconds`` (polled): a generous bound on what
    should happen at once, never a timing the test asserts."""
    stop = time.monotonic() + seconds
    while time.monotonic() < stop:
        if condition():
            return True
        time.sleep(0.05)
    return condition()
