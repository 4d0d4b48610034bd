"""Any OpenAI-compatible chat-completions endpoint: vLLM, Text Generation Inference,
llama.cpp's server, Ollama, or a hosted API.

``[openai] url`` (the base, ``http://host:8000/v1``) and ``model`` name the
endpoint; its key comes from the environment (``OPENAI_API_KEY``, or the
variable ``$L10N_OPENAI_KEY_ENV`` or an ``*_API_KEY`` ``key_env`` names),
never from ``l10n.toml``. Temperature 0, and a ``seed`` when given, for
answers that repeat.

Each translation's confidence is the mean log-probability of the tokens of
its text in the reply (``logprobs``, which OpenAI, vLLM and llama.cpp's
server give; ``logprobs = false`` in ``[openai]`` for a server that refuses
them).

Large language models keep tags well, so this engine declares that it keeps
them (``keeps_tags``): it is sent the tagged segment (``<g1>…</g1>``,
``<x2/>``) and its output is verified like any other engine's. Many
segments go in one request, as a numbered JSON object, and the reply must be
a JSON object with the same ids: a reply with a wrong count, missing ids or
broken tags has only its failed items asked again, together, then one per
request. Tokens sent and received are counted for the run's report.
"""

from __future__ import annotations

import json
import re
import threading
from collections import Counter
from typing import Any, Sequence

from ..errors import EngineError
from .server import Server, TooBigError

_TAG = re.compile(r"<\s*/?\s*[gx]\s*\d+\s*/?\s*>", re.IGNORECASE)
_FENCE = re.compile(r"^\s*```(?:json)?\s*|\s*```\s*$")
#: Segments per request, and the most characters of source in one.
BATCH = 20
BATCH_CHARS = 6000
#: The answer's bound when max_tokens is not set: about the request's size, at most this.
MAX_TOKENS = 4096

PROMPT = """You translate website documentation from {source} into {target}.
You get a JSON object of numbered texts. Reply with one JSON object with exactly the same keys, each \
mapped to the translation of its text, and nothing else.
Rules:
- Translate whole sentences naturally, as a native {target} technical writer would.
- Tags such as <g1>, </g1> and <x2/> mark formatting and code: keep every tag exactly as written, \
once, around the words it marks in your translation. Never add, remove, rename or translate a tag.
- Keep URLs, file names, code and numbers as they are.{terms}{glossary}"""


class OpenAIEngine:
    """An OpenAI-compatible chat endpoint ([openai] url, model): numbered JSON batches, tags kept."""

    parallel = False
    memory = True
    keeps_tags = True

    def __init__(self, url: str | None = None, model: str | None = None, key_env: str = "OPENAI_API_KEY",
                 temperature: float = 0, seed: int | None = None, concurrency: int = 4, batch: int = BATCH,
                 timeout: int = 300, retries: int = 4, retry_wait: float = 1.0, max_tokens: int | None = None,
                 terms: Sequence[str] = (), glossary: dict | None = None, logprobs: bool = True):
        self.server = Server(url, name="openai", setting="[openai] url", key_env=key_env, timeout=timeout,
                             retries=retries, retry_wait=retry_wait, concurrency=concurrency)
        if not model:
            raise EngineError("openai: no model; set [openai] model in l10n.toml (the name the server serves)")
        self.model = str(model)
        self.temperature, self.seed, self.batch, self.max_tokens = temperature, seed, max(1, int(batch)), max_tokens
        self.terms, self.glossary = tuple(terms), dict(glossary or {})
        self.logprobs = bool(logprobs)
        #: Tokens sent and received, as the server counts them.
        self.sent_tokens = 0
        self.received_tokens = 0
        self._lock = threading.Lock()

    def usage(self) -> str:
        """What the run cost, for users of paid APIs."""
        if not self.server.requests:
            return ""
        return (f"openai: {self.server.requests} requests, {self.sent_tokens:,} tokens sent, "
                f"{self.received_tokens:,} received")

    # -- one request -------------------------------------------------------------------

    def prompt(self, source: str, target: str) -> str:
        terms = ("\n- Leave these terms as they are: " + ", ".join(self.terms)) if self.terms else ""
        pairs = self.glossary.get(target) or {}
        glossary = ("\n- Use these translations: " + "; ".join(f"{a} -> {b}" for a, b in pairs.items())) if pairs else ""
        return PROMPT.format(source=source, target=target, terms=terms, glossary=glossary)

    def ask_scored(self, items: dict[str, str], source: str, target: str) -> tuple[dict[str, Any], dict[str, float]]:
        """One request: the reply's JSON object, and the mean token log-probability of each
        of its values where the server gave log-probabilities."""
        body: dict[str, Any] = {
            "model": self.model,
            "temperature": self.temperature,
            "messages": [{"role": "system", "content": self.prompt(source, target)},
                         {"role": "user", "content": json.dumps(items, ensure_ascii=False)}],
            "response_format": {"type": "json_object"},
        }
        if self.seed is not None:
            body["seed"] = self.seed
        if self.logprobs:  # llama.cpp's server gives them only with top_logprobs
            body["logprobs"], body["top_logprobs"] = True, 1
        # a bound on the answer: a model that never stops (or a grammar that keeps it
        # from stopping) costs one bounded request, not minutes
        body["max_tokens"] = self.max_tokens or min(MAX_TOKENS, 256 + sum(len(t) for t in items.values()))
        headers = {"Authorization": f"Bearer {self.server.key}"} if self.server.key else {}
        answer = self.server.post("/chat/completions", body, headers)
        usage = answer.get("usage") if isinstance(answer, dict) else None
        if isinstance(usage, dict):  # a count that is not one is left out, never the answer
            with self._lock:
                self.sent_tokens += _tokens(usage.get("prompt_tokens"))
                self.received_tokens += _tokens(usage.get("completion_tokens"))
        try:
            content = answer["choices"][0]["message"]["content"]
        except (KeyError, IndexError, TypeError):
            content = False
        if content is not None and not isinstance(content, str):
            raise EngineError(f"openai at {self.server.url}/chat/completions: no message in the answer "
                              f"({self.server.quote(answer, 120)})")
        try:
            reply = json.loads(_FENCE.sub("", content or ""))
        except (ValueError, RecursionError):
            return {}, {}
        if not isinstance(reply, dict):
            return {}, {}
        try:
            tokens = answer["choices"][0]["logprobs"]["content"]
        except (KeyError, IndexError, TypeError):
            tokens = None
        return reply, value_logprobs(content or "", tokens, reply)

    # -- the engine protocol -----------------------------------------------------------

    def translate_batch(self, texts: Sequence[str], source: str, target: str) -> list[str]:
        return [text for text, _pairs, _logprob in self.translate_scored(texts, source, target)]

    def translate_scored(self, texts: Sequence[str], source: str, target: str) -> list[tuple[str, None, float | None]]:
        """Translations with the mean log-probability of their tokens (None where the
        server gave none, or for a reply whose tags had to be taken as they came)."""
        out: list[str | None] = [None if t.strip() else t for t in texts]
        scores: dict[int, float] = {}
        broken: dict[int, str] = {}  # replies whose tags are not the text's
        todo = [i for i, t in enumerate(texts) if t.strip()]
        # batches; then what failed, asked again together; then one per request
        for round_ in range(3):
            if not todo:
                break
            groups = [[i] for i in todo] if round_ == 2 else _batches(todo, texts, self.batch if round_ == 0
                                                                         else max(1, self.batch // 4))
            results = self.server.map(lambda group: self._group(group, texts, source, target, broken), groups,
                                      "requests")
            todo = sorted(i for _good, bad, _scores in results for i in bad)
            for good, _bad, found in results:
                for i, text in good.items():
                    out[i] = text
                scores.update(found)
        # still broken tags after all that: the text as it came (l10n verifies it, and
        # translates that segment the plain way); nothing usable at all: the call fails
        missing = [i for i in todo if i not in broken]
        if missing:
            raise EngineError(f"openai at {self.server.url}: the model gave no usable translation for "
                              f"{len(missing)} text{'s' * (len(missing) != 1)} (first: {texts[missing[0]][:60]!r})")
        return [(o, None, scores.get(i)) if o is not None else (broken[i], None, None) for i, o in enumerate(out)]

    def _group(self, group: list[int], texts: Sequence[str], source: str, target: str,
               broken: dict[int, str]) -> tuple[dict[int, str], list[int], dict[int, float]]:
        """One request for some texts: the good translations, the indexes that failed, and
        the good ones' mean token log-probabilities."""
        items = {str(k + 1): texts[i] for k, i in enumerate(group)}
        try:
            reply, logprobs = self.ask_scored(items, source, target)
        except TooBigError:
            if len(group) == 1:
                raise
            return {}, list(group), {}  # refused as too big (a context limit): asked again in smaller requests
        good: dict[int, str] = {}
        bad: list[int] = []
        for k, i in enumerate(group):
            value = reply.get(str(k + 1))
            if not isinstance(value, str) or not value.strip():
                bad.append(i)
            elif _tags(value) != _tags(texts[i]):
                bad.append(i)
                with self._lock:
                    broken[i] = value
            else:
                good[i] = value
        return good, bad, {i: logprobs[str(k + 1)] for k, i in enumerate(group) if i in good and str(k + 1) in logprobs}


def value_logprobs(content: str, tokens: Any, reply: dict[str, Any]) -> dict[str, float]:
    """The mean log-probability of the tokens that make each value of a reply's JSON
    object (by where its text is in the reply, in bytes); {} when the tokens do not
    spell the reply or are not a list of {token or bytes, logprob}."""
    if not isinstance(tokens, list) or not tokens:
        return {}
    spans: list[tuple[int, int, float]] = []
    pos = 0
    for token in tokens:
        if not isinstance(token, dict) or not isinstance(token.get("logprob"), (int, float)):
            return {}
        raw = token.get("bytes")
        if isinstance(raw, list) and all(isinstance(b, int) and 0 <= b < 256 for b in raw):
            data = bytes(raw)
        elif isinstance(token.get("token"), str):
            data = token["token"].encode("utf-8")
        else:
            return {}
        spans.append((pos, pos + len(data), float(token["logprob"])))
        pos += len(data)
    if pos != len(content.encode("utf-8")):
        return {}
    decoder = json.JSONDecoder()
    out: dict[str, float] = {}
    for key in reply:
        found = re.search(re.escape(json.dumps(key)) + r"\s*:\s*", content)
        if found is None:
            continue
        try:
            _value, end = decoder.raw_decode(content, found.end())
        except ValueError:
            continue
        start_b, end_b = len(content[: found.end()].encode("utf-8")), len(content[:end].encode("utf-8"))
        within = [lp for a, b, lp in spans if a < end_b and b > start_b]
        if within:
            out[key] = min(0.0, sum(within) / len(within))
    return out


def _tokens(value: object) -> int:
    """A token count as the server gave it; anything but a whole number in range is 0."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return value if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 10**12 else 0


def _tags(text: str) -> Counter:
    return Counter(t.replace(" ", "").lower() for t in _TAG.findall(text))


def _batches(indexes: list[int], texts: Sequence[str], size: int) -> list[list[int]]:
    out: list[list[int]] = []
    current: list[int] = []
    chars = 0
    for i in indexes:
        if current and (len(current) >= size or chars + len(texts[i]) > BATCH_CHARS):
            out.append(current)
            current, chars = [], 0
        current.append(i)
        chars += len(texts[i])
    if current:
        out.append(current)
    return out
