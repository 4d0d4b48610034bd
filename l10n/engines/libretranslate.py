"""LibreTranslate: Argos models behind an HTTP API, the usual way a team shares them.

``[libretranslate] url`` names the server; its API key, when it needs one,
comes from the environment (``LIBRETRANSLATE_API_KEY``, or the variable
``$L10N_LIBRETRANSLATE_KEY_ENV`` or an ``*_API_KEY`` ``key_env`` names),
never from ``l10n.toml``. ``/languages`` is read once, for the pairs.
Texts are sent as plain text (``format: "text"``): l10n sends plain
sentences and places the markup itself, so the server never sees a tag.
LibreTranslate translates the texts of one request one after the other, so
speed comes from requests in flight at once (``concurrency``), one text
each.
"""

from __future__ import annotations

import urllib.parse
from typing import Sequence

from .. import langs
from ..errors import EngineError
from .server import Server

#: Requests in flight at once: LibreTranslate's default is 4 threads (waitress),
#: and more requests than threads only queue (benchmarks/bench_servers.py).
CONCURRENCY = 4


class LibreTranslateEngine:
    """A LibreTranslate server ([libretranslate] url), many requests in flight."""

    parallel = False
    memory = True

    def __init__(self, url: str | None = None, key_env: str = "LIBRETRANSLATE_API_KEY",
                 concurrency: int = CONCURRENCY, timeout: int = 120, retries: int = 4, retry_wait: float = 1.0):
        self.server = Server(url, name="libretranslate", setting="[libretranslate] url", key_env=key_env,
                             timeout=timeout, retries=retries, retry_wait=retry_wait, concurrency=concurrency)
        self.model = f"libretranslate@{urllib.parse.urlparse(self.server.url).netloc}"
        self._languages: dict[str, set[str]] | None = None

    def languages(self) -> dict[str, set[str]]:
        """Source code -> target codes, as the server says (read once)."""
        if self._languages is None:
            self._languages = self.read_languages(self.server.get("/languages"))
        return self._languages

    def read_languages(self, answer: object) -> dict[str, set[str]]:
        """``/languages``: a list of {"code": "en", "targets": ["es", ...]}; any other shape is an error."""
        where = f"libretranslate at {self.server.url}/languages"
        if not isinstance(answer, list):
            raise EngineError(f"{where}: not a list of languages ({self.server.quote(answer, 80)})")
        found: dict[str, set[str]] = {}
        for n, entry in enumerate(answer, 1):
            code = entry.get("code") if isinstance(entry, dict) else None
            targets = entry.get("targets", []) if isinstance(entry, dict) else None
            if not isinstance(code, str) or not isinstance(targets, list) or not all(isinstance(t, str) for t in targets):
                raise EngineError(f"{where}: language {n} is not a code with a list of target codes "
                                  f"({self.server.quote(entry, 80)})")
            found[code] = set(targets)
        return found

    def code(self, code: str, among: Sequence[str] | set[str]) -> str | None:
        """The server's spelling of a language code (``pt-BR``, else ``pt``)."""
        lowered = {c.lower(): c for c in among}
        if code.lower() in lowered:
            return lowered[code.lower()]
        parts = code.split("-")
        if len(parts) > 1 and len(parts[1]) == 4:  # a script (zh-Hant): never another script's model
            return None
        return lowered.get(langs.base(code).lower())

    def pair(self, source: str, target: str) -> tuple[str, str]:
        known = self.languages()
        src = self.code(source, set(known))
        tgt = self.code(target, known.get(src, set())) if src else None
        if src is None or tgt is None:
            offered = ", ".join(f"{s}->{t}" for s, ts in sorted(known.items()) for t in sorted(ts) if t != s) or "none"
            raise EngineError(f"libretranslate at {self.server.url} has no {source}->{target} model "
                              f"(it offers {offered}); install it on the server")
        return src, tgt

    def check_pair(self, source: str, target: str) -> None:
        self.pair(source, target)

    def translate_batch(self, texts: Sequence[str], source: str, target: str) -> list[str]:
        src, tgt = self.pair(source, target)

        def one(text: str) -> str:
            if not text.strip():
                return text
            payload = {"q": text, "source": src, "target": tgt, "format": "text"}
            if self.server.key:
                payload["api_key"] = self.server.key
            answer = self.server.post("/translate", payload)
            out = answer.get("translatedText") if isinstance(answer, dict) else None
            if not isinstance(out, str):
                raise EngineError(f"libretranslate at {self.server.url}/translate: no translatedText in "
                                  f"{self.server.quote(answer, 120)}")
            return out

        return self.server.map(one, list(texts))
