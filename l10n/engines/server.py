"""What the engines that call a translation server share: the key, requests, retries, concurrency, progress.

Standard library only (``urllib``, through ``transport``). A request has a
total deadline (``timeout``: connect, send and the whole answer) and reads
at most ``answer_limit`` bytes. One that cannot connect, is closed
mid-answer, times out, or gets 408, 429 or a 5xx answer is tried again after
a pause (the server's ``Retry-After`` when it gives one, else doubling from
``retry_wait``), up to ``retries`` times; then the engine call fails with an
error naming the URL, and the run writes nothing for the files it was
translating. Any other 4xx (a wrong key, a wrong URL) stops the run at once
(RefusedError). Requests go only to the URL the site configured; the API key
is read from the environment, and never shown: what a server says is quoted
cut short, the key taken out.
"""

from __future__ import annotations

import email.utils
import http.client
import json
import os
import queue
import re
import ssl
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from typing import Any, Callable, Sequence, TypeVar

from ..errors import EngineError, RefusedError
from . import transport

T = TypeVar("T")
R = TypeVar("R")
#: The longest pause a server's Retry-After may ask for, in seconds.
MAX_WAIT = 60.0
#: The most an answer may hold: this many bytes, plus ANSWER_FACTOR times the request's
#: size (a translation three times its source, in JSON that escapes every character
#: as \uXXXX, is about 20 times it).
ANSWER_FLOOR = 1024 * 1024
ANSWER_FACTOR = 32
#: The most characters of a server's message an error quotes.
QUOTE = 200
#: 400 and 422 answers that say the request was too big (a model's context): the
#: OpenAI engine asks again in smaller requests instead of stopping.
_TOO_BIG = re.compile(r"context|token|too (?:long|large|big)|exceed|maximum|length|limit", re.IGNORECASE)


class TooBigError(EngineError):
    """The server refused a request as too big (413, or a 400 that says so)."""


def answer_limit(request_bytes: int) -> int:
    """The most bytes read of the answer to a request of ``request_bytes``."""
    return ANSWER_FLOOR + ANSWER_FACTOR * request_bytes


def key_variable(name: str, key_env: str | None) -> str | None:
    """The environment variable an engine's API key is read from: the one
    ``$L10N_<NAME>_KEY_ENV`` names (the user's choice, never a file's), else ``key_env``."""
    return os.environ.get(f"L10N_{name.upper()}_KEY_ENV") or key_env or None


class Server:
    """One server's base URL, with the settings every request to it uses."""

    def __init__(self, url: str | None, *, name: str, setting: str, key_env: str | None = None,
                 timeout: float = 120.0, retries: int = 4, retry_wait: float = 1.0, concurrency: int = 4):
        if not url:
            raise EngineError(f"{name}: no server URL; set {setting} in l10n.toml "
                              f"(l10n sends nothing anywhere unless a URL is configured)")
        try:
            parsed = urllib.parse.urlparse(url)
            parsed.port  # noqa: B018 - raises for a port that is not a number in range
        except ValueError as exc:
            raise EngineError(f"{name}: {setting} = {url!r} is not a URL l10n can use ({exc})") from None
        if parsed.scheme not in ("http", "https") or not parsed.netloc:
            raise EngineError(f"{name}: {setting} = {url!r} is not an http(s) URL")
        self.url = url.rstrip("/")
        self.name = name
        variable = key_variable(name, key_env)
        self.key = (os.environ.get(variable) or None) if variable else None
        if self.key and any(ord(c) < 0x20 or 0x7F <= ord(c) for c in self.key):
            raise EngineError(f"{name}: the key in ${variable} holds characters an HTTP request cannot carry "
                              "(a line break, a control or non-ASCII character)")
        #: The key as a server could echo it: as it is, JSON-escaped, URL-quoted.
        self._secrets = sorted({self.key, json.dumps(self.key)[1:-1], urllib.parse.quote(self.key, safe=""),
                                urllib.parse.quote_plus(self.key)}, key=len, reverse=True) if self.key else []
        self.timeout, self.retries, self.retry_wait = float(timeout), int(retries), float(retry_wait)
        if concurrency < 1:
            raise EngineError(f"{name}: concurrency must be 1 or more")
        if retries < 0 or timeout <= 0:
            raise EngineError(f"{name}: retries must be 0 or more, and timeout more than 0")
        self.concurrency = int(concurrency)
        #: Requests sent, retries made (for the report and the tests).
        self.requests = 0
        self.retried = 0
        self._lock = threading.Lock()
        self._opener = transport.opener_for(self.url)

    def post(self, path: str, payload: dict, headers: dict[str, str] | None = None) -> Any:
        return self.request("POST", path, payload, headers)

    def get(self, path: str) -> Any:
        return self.request("GET", path)

    def request(self, method: str, path: str, payload: dict | None = None,
                headers: dict[str, str] | None = None) -> Any:
        """The JSON answer to one request, after the retries it needed."""
        url = self.url + path
        data = json.dumps(payload, ensure_ascii=False).encode("utf-8") if payload is not None else None
        limit = answer_limit(len(data or b""))
        scope = _scope()
        wait = self.retry_wait
        for attempt in range(self.retries + 1):
            request = urllib.request.Request(url, data=data, method=method, headers={
                "Content-Type": "application/json", "Accept": "application/json", **(headers or {})})
            with self._lock:
                self.requests += 1
            pause = None
            try:
                answer = transport.exchange(self._opener, request, self.timeout, limit, scope)
            except transport.Cancelled:
                raise EngineError(f"{self.name} at {url}: stopped") from None
            except transport.TooLarge as exc:
                raise EngineError(f"{self.name} at {url}: {exc}, more than l10n reads for this request "
                                  f"({limit:,} bytes); not read further") from None
            except transport.Expired as exc:
                why = str(exc)
            except urllib.error.URLError as exc:  # while connecting or sending
                if isinstance(exc.reason, ssl.SSLCertVerificationError):
                    raise EngineError(f"{self.name} at {url}: its TLS certificate does not verify "
                                      f"({self.quote(str(exc.reason))})") from None
                why = f"cannot connect ({self.quote(str(exc.reason))}); is the server running?"
            except (OSError, http.client.HTTPException) as exc:  # closed or broken mid-answer
                why = f"the answer broke off ({type(exc).__name__})"
            except ValueError as exc:  # what urllib refuses to send: trying again changes nothing
                raise EngineError(f"{self.name} at {url}: {self.quote(str(exc))}") from None
            else:
                if 200 <= answer.status < 300:
                    return self.parse(answer.body, url)
                why = self.refusal(answer, url)
                pause = _retry_after(answer.headers.get("Retry-After"))
            if attempt == self.retries:
                tries = f" after {self.retries + 1} tries" if self.retries else ""
                raise EngineError(f"{self.name} at {url}: {why}{tries}")
            with self._lock:
                self.retried += 1
            if scope.cancelled.wait(min(MAX_WAIT, pause if pause is not None else wait)):
                raise EngineError(f"{self.name} at {url}: stopped")
            wait *= 2
        raise AssertionError("unreachable")

    def refusal(self, answer: transport.Answer, url: str) -> str:
        """What an error status means: a reason to try again (returned), or an error raised."""
        redirect = 300 <= answer.status < 400  # refused by transport: its reason says where to
        detail = self.quote(answer.reason if redirect else _message(answer.body) or answer.reason)
        why = f"HTTP {answer.status}{': ' + detail if detail else ''}"
        if answer.status in (408, 429) or answer.status >= 500:
            return why
        if answer.status == 413 or (answer.status in (400, 422) and _TOO_BIG.search(detail)):
            raise TooBigError(f"{self.name} at {url}: {why}")
        raise RefusedError(f"{self.name} at {url}: {why}; the run stops")

    def parse(self, body: bytes, url: str) -> Any:
        """An answer's JSON; one that is not JSON, or nested past reading, is an error."""
        try:
            return json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            raise EngineError(f"{self.name} at {url}: the answer is not JSON ({self.quote(body)})") from None
        except RecursionError:
            raise EngineError(f"{self.name} at {url}: the answer is nested too deeply to read") from None

    def quote(self, value: Any, size: int = QUOTE) -> str:
        """Something a server said, as an error may show it: one line, at most ``size``
        characters, and never the key (nor its Bearer, JSON or URL form)."""
        if isinstance(value, bytes):
            text = value.decode("utf-8", "replace")
        elif isinstance(value, str):
            text = value
        else:
            try:
                text = json.dumps(value, ensure_ascii=False)
            except (TypeError, ValueError, RecursionError):
                text = type(value).__name__
        text = " ".join(self.redact(text).split())  # the key taken out before any cut, whole
        text = self.redact(text)  # and once more: the spaces that split it are one now
        return text if len(text) <= size else text[: size - 1] + "…"

    def redact(self, text: str) -> str:
        for secret in self._secrets:
            text = text.replace(secret, "[key]")
        return text

    def map(self, call: Callable[[T], R], items: Sequence[T], what: str = "texts") -> list[R]:
        """``call`` over ``items``, ``concurrency`` at a time, in order; progress on a terminal.

        The first failure (or Ctrl-C) cancels the rest: nothing more is sent, and
        the requests in flight are cut, not waited for. The threads are daemons,
        so a run that stops never waits for them to finish."""
        if not items:
            return []
        progress = _Progress(self.name, len(items), what)
        scope = transport.Scope()
        try:
            if self.concurrency == 1 or len(items) == 1:
                return _in_order(call, items, scope, progress)
            return _at_once(call, items, scope, progress, min(self.concurrency, len(items)), self.name)
        except BaseException:
            scope.cancel()
            raise
        finally:
            progress.done()


_local = threading.local()


def _scope() -> transport.Scope:
    """The batch a request of this thread belongs to (a scope of its own outside one)."""
    scope = getattr(_local, "scope", None)
    return scope if scope is not None else transport.Scope()


def _in_order(call: Callable[[T], R], items: Sequence[T], scope: transport.Scope, progress) -> list[R]:
    before = getattr(_local, "scope", None)
    _local.scope = scope
    try:
        out = []
        for item in items:
            out.append(call(item))
            progress.step()
        return out
    finally:
        _local.scope = before


def _at_once(call: Callable[[T], R], items: Sequence[T], scope: transport.Scope, progress, threads: int,
             name: str) -> list[R]:
    results: list[Any] = [None] * len(items)
    pending = iter(range(len(items)))
    lock = threading.Lock()
    done: queue.SimpleQueue = queue.SimpleQueue()

    def work() -> None:
        _local.scope = scope
        while not scope.cancelled.is_set():
            with lock:
                index = next(pending, None)
            if index is None:
                return
            try:
                done.put((index, None, call(items[index])))
            except BaseException as exc:  # noqa: BLE001 - handed to the caller, who raises it
                done.put((index, exc, None))
                return

    for _ in range(threads):
        threading.Thread(target=work, name=f"l10n-{name}", daemon=True).start()
    for _ in items:
        index, exc, value = done.get()
        if exc is not None:
            raise exc
        results[index] = value
        progress.step()
    return results


def _message(body: bytes) -> str:
    """The message of an error answer: its JSON's error, message or detail, else its text."""
    text = body.decode("utf-8", "replace")
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        return text
    for _ in range(3):  # {"error": {"message": ...}} and the like, a few levels at most
        if not isinstance(data, dict):
            break
        found = next((data[k] for k in ("error", "message", "detail") if data.get(k)), None)
        if found is None:
            break
        data = found
    return data if isinstance(data, str) else text


def _retry_after(value: str | None) -> float | None:
    """Retry-After as seconds (a number, or an HTTP date)."""
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    return max(0.0, when.timestamp() - time.time())


class _Progress:
    """``name: 120/800 texts`` on stderr, updated in place, only on a terminal."""

    def __init__(self, name: str, total: int, what: str):
        self.name, self.total, self.what, self.count = name, total, what, 0
        self.on = sys.stderr.isatty() and total > 1
        self.last = 0.0

    def step(self) -> None:
        self.count += 1
        if self.on and (time.monotonic() - self.last > 0.2 or self.count == self.total):
            self.last = time.monotonic()
            sys.stderr.write(f"\r{self.name}: {self.count}/{self.total} {self.what}")
            sys.stderr.flush()

    def done(self) -> None:
        if self.on:
            sys.stderr.write("\r\x1b[K")
            sys.stderr.flush()
