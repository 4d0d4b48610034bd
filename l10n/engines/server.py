"""What the engines that call a translation server share: the key, requests, retries, concurrency, progress.

Standard library only (``urllib``). A request that cannot connect, times
out, or gets 429 or a 5xx answer is tried again after a pause (the
server's ``Retry-After`` when it gives one, else doubling from
``retry_wait``), up to ``retries`` times; then the engine call fails with
an error naming the URL, and the run writes nothing for the files it was
translating. Requests go only to the URL the site configured; the API key
is read from the environment, and never shown: what a server says is quoted
cut short, the key taken out.
"""

from __future__ import annotations

import email.utils
import json
import os
import ssl
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Callable, Sequence, TypeVar

from ..errors import EngineError

T = TypeVar("T")
R = TypeVar("R")
#: The longest pause a server's Retry-After may ask for, in seconds.
MAX_WAIT = 60.0
#: The most characters of a server's message an error quotes.
QUOTE = 200


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
        parsed = urllib.parse.urlparse(url)
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
        self._opener = urllib.request.build_opener(urllib.request.ProxyHandler(_proxies(self.url)), _NoRedirect)
        #: Set when the run is stopping: no new request, no retry.
        self.stopped = threading.Event()

    def post(self, path: str, payload: dict, headers: dict[str, str] | None = None) -> Any:
        return self.request("POST", path, payload, headers)

    def get(self, path: str) -> Any:
        return self.request("GET", path)

    def request(self, method: str, path: str, payload: dict | None = None,
                headers: dict[str, str] | None = None) -> Any:
        """The JSON answer to one request, after the retries it needed."""
        url = self.url + path
        data = json.dumps(payload, ensure_ascii=False).encode("utf-8") if payload is not None else None
        wait = self.retry_wait
        for attempt in range(self.retries + 1):
            request = urllib.request.Request(url, data=data, method=method, headers={
                "Content-Type": "application/json", "Accept": "application/json", **(headers or {})})
            with self._lock:
                self.requests += 1
            try:
                with self._opener.open(request, timeout=self.timeout) as response:
                    body = response.read()
                try:
                    return json.loads(body.decode("utf-8"))
                except (UnicodeDecodeError, json.JSONDecodeError):
                    raise EngineError(f"{self.name} at {url}: the answer is not JSON ({self.quote(body)})") from None
            except urllib.error.HTTPError as exc:
                detail = self.quote(_detail(exc) or (exc.msg if isinstance(exc.msg, str) else ""))
                if exc.code != 429 and exc.code < 500:
                    raise EngineError(f"{self.name} at {url}: HTTP {exc.code}{': ' + detail if detail else ''}") from None
                why = f"HTTP {exc.code}{': ' + detail if detail else ''}"
                pause = _retry_after(exc.headers.get("Retry-After")) if exc.headers else None
            except (urllib.error.URLError, ConnectionError, TimeoutError, OSError) as exc:
                reason = getattr(exc, "reason", exc)
                if isinstance(reason, ssl.SSLCertVerificationError):
                    raise EngineError(f"{self.name} at {url}: its TLS certificate does not verify "
                                      f"({self.quote(str(reason))})") from None
                why = f"cannot connect ({self.quote(str(reason))}); is the server running?"
                pause = None
            if attempt == self.retries:
                tries = f" after {self.retries + 1} tries" if self.retries else ""
                raise EngineError(f"{self.name} at {url}: {why}{tries}")
            with self._lock:
                self.retried += 1
            if self.stopped.wait(min(MAX_WAIT, pause if pause is not None else wait)):
                raise EngineError(f"{self.name} at {url}: stopped")
            wait *= 2
        raise AssertionError("unreachable")

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
        """``call`` over ``items``, ``concurrency`` at a time, in order; progress on a terminal."""
        if not items:
            return []
        progress = _Progress(self.name, len(items), what)
        if self.concurrency == 1 or len(items) == 1:
            out = []
            for item in items:
                out.append(call(item))
                progress.step()
            progress.done()
            return out
        pool = ThreadPoolExecutor(max_workers=min(self.concurrency, len(items)))
        futures = [pool.submit(call, item) for item in items]
        try:
            results = []
            for future in futures:
                results.append(future.result())
                progress.step()
        except BaseException:
            # one failed (or Ctrl-C): nothing more is sent, retries stop, and the run does
            # not wait for the requests still in flight
            self.stopped.set()
            pool.shutdown(wait=False, cancel_futures=True)
            raise
        finally:
            progress.done()
        pool.shutdown()
        return results


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A redirect is an error: requests (and the API key) go only to the configured URL."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        raise urllib.error.HTTPError(req.full_url, code, f"redirected to {newurl}; set that URL instead",
                                     headers, fp)


def _proxies(url: str) -> dict[str, str]:
    """The environment's proxies, but never for a loopback server."""
    host = urllib.parse.urlparse(url).hostname or ""
    if host in ("127.0.0.1", "localhost", "::1"):
        return {}
    return urllib.request.getproxies()


def _detail(exc: urllib.error.HTTPError) -> str:
    try:
        body = exc.read().decode("utf-8", "replace")
    except Exception:  # noqa: BLE001 - an unreadable error body says nothing more
        return ""
    try:
        data = json.loads(body)
        message = data.get("error") if isinstance(data, dict) else None
        if isinstance(message, dict):
            message = message.get("message")
        return str(message or body)
    except (ValueError, RecursionError):
        return body


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
    except (TypeError, ValueError):
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
