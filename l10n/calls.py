"""An engine's calls for one language pair: the memory in front, contracts checked, confidences kept.

:class:`Pair` is what translating a batch of texts costs a run: texts the
translation memory (or a person, through ``l10n import``) already knows never
reach the engine, each distinct text is sent once, every answer is checked
against the engine protocol and the output bound (``limits``), and the
engine's confidence in each translation (its mean token log-probability,
mapped to 0-1 by :func:`confidence`) is kept beside it, in the memory too.
An engine that gives none can have its translations scored by another that
can (``score_batch``: an Argos model of the pair).
"""

from __future__ import annotations

import math

from . import engines, limits
from .engines import Engine
from .errors import ConfigError, EngineError, L10nError, Problem
from .memory import PEOPLE

Pairs = list[tuple[int, int]]


def confidence(logprob: float | None) -> float | None:
    """A model's mean token log-probability as a confidence between 0 and 1: its
    exponential, the geometric mean of the probabilities the model gave the tokens of
    the translation (1: it had no doubt about any token; 0.5: as if each token were a
    coin toss)."""
    if logprob is None or not isinstance(logprob, (int, float)) or math.isnan(logprob) or logprob > 1e-3:
        return None  # over 0 (past rounding) it is no log-probability: an engine that gives probabilities
    return math.exp(min(0.0, float(logprob)))


class Pair:
    """An engine for one language pair (codes), behind the translation memory when there is one.

    ``scorer``: an engine with ``score_batch`` (Argos) that scores what the engine
    translated without saying how sure it was (Apertium, LibreTranslate)."""

    def __init__(self, engine: Engine, source: str, target: str, memory=None, name: str = "", scorer=None):
        self.engine, self.source, self.target = engine, source, target
        self.memory = memory if getattr(engine, "memory", True) else None
        self.keeps_tags = bool(getattr(engine, "keeps_tags", False))
        self.aligns = callable(getattr(engine, "translate_aligned", None))
        self.scored = callable(getattr(engine, "translate_scored", None))
        self.scorer = scorer
        #: The confidence (0-1) of each text's translation, where the engine (or the scorer,
        #: or the memory, which keeps them) gave one.
        self.scores: dict[str, float] = {}
        model_for = getattr(engine, "model_for", None)
        model = model_for(source, target) if model_for else str(getattr(engine, "model", "") or "")
        self.key = (name or type(engine).__name__, model, source, target)
        self._people: bool | None = None
        #: Texts whose translation was refused (longer than limits.GROWTH allows), and why:
        #: they come back as "", and the documents holding them fail.
        self.refused: dict[str, str] = {}

    def texts(self, texts: list[str]) -> list[str]:
        """Each distinct text translated once, the memory first."""
        if not texts:
            return []
        done: dict[str, str | None] = dict(self.people(texts))
        unique = [t for t in dict.fromkeys(texts) if t not in done]
        call = lambda todo: self.bounded(todo, self.plain(todo))  # noqa: E731
        if unique:
            # bounded again: a memory may hold what an engine gave before there was a bound
            done.update(zip(unique, self.bounded(unique, self.memory.cached(self.key, unique, call, scores=self.scores)
                                                 if self.memory else call(unique))))
        return [done[t] or "" for t in texts]

    def plain(self, texts: list[str]) -> list[str]:
        """One engine call; the confidences it gives (or the scorer's) into ``scores``."""
        if not self.scored:
            out = call_engine(self.engine, texts, self.source, self.target)
            self.score(texts, out)
            return out
        found = call_scored(self.engine, texts, self.source, self.target)
        self.keep(texts, [logprob for _text, _pairs, logprob in found])
        return [text for text, _pairs, _logprob in found]

    def with_alignment(self, texts: list[str]) -> list[tuple[str, Pairs]]:
        """One engine call with word alignments; confidences into ``scores``."""
        if not self.scored:
            out = call_aligned(self.engine, texts, self.source, self.target)
            self.score(texts, [text for text, _pairs in out])
            return out
        found = call_scored(self.engine, texts, self.source, self.target)
        self.keep(texts, [logprob for _text, _pairs, logprob in found])
        missing = [i for i, (_text, pairs, _logprob) in enumerate(found) if pairs is None]
        again = dict(zip(missing, call_aligned(self.engine, [texts[i] for i in missing], self.source, self.target)))
        return [again[i] if i in again else (text, pairs) for i, (text, pairs, _logprob) in enumerate(found)]

    def keep(self, texts: list[str], logprobs: list[float | None]) -> None:
        for text, logprob in zip(texts, logprobs):
            value = confidence(logprob)
            if value is not None:
                self.scores[text] = value

    def score(self, texts: list[str], outputs: list[str]) -> None:
        """The scorer's confidence in translations the engine gave none for."""
        if self.scorer is None or not texts:
            return
        try:
            found = self.scorer.score_batch(texts, outputs, self.source, self.target)
        except Exception:  # scoring is an aid: an engine's translation never fails for it
            return
        if isinstance(found, (list, tuple)) and len(found) == len(texts):
            self.keep(texts, list(found))

    def bounded(self, texts: list[str], outputs: list) -> list:
        """The outputs, None for each that is over its text's limit (recorded in ``refused``)."""
        out = []
        for text, output in zip(texts, outputs):
            if output is not None:
                why = limits.check_translation(text, output if isinstance(output, str) else output[0])
                if why is not None:
                    self.refused[text] = why
                    output = None
            out.append(output)
        return out

    def people(self, texts: list[str]) -> dict[str, str]:
        """What people translated (l10n import put it in the memory): taken before any engine."""
        if self.memory is None or not texts:
            return {}
        key = PEOPLE + (self.source, self.target)
        if self._people is None:  # asked once: most memories hold no person's translation
            self._people = self.memory.holds(key)
        if not self._people:
            return {}
        return {text: found[0] for text, found in self.memory.lookup(key, texts).items()}

    def aligned(self, texts: list[str]) -> list[tuple[str, Pairs | None]]:
        """Each distinct text translated once, with its word alignment when the engine gives one."""
        if not self.aligns:
            return [(out, None) for out in self.texts(texts)]
        if not texts:
            return []
        done: dict[str, tuple[str, Pairs | None] | None] = {t: (out, None) for t, out in self.people(texts).items()}
        unique = [t for t in dict.fromkeys(texts) if t not in done]
        call = lambda todo: self.bounded(todo, self.with_alignment(todo))  # noqa: E731
        if unique:
            results = self.memory.cached(self.key, unique, call, aligned=True, scores=self.scores) if self.memory \
                else call(unique)
            done.update(zip(unique, self.bounded(unique, results)))
        return [done[t] or ("", None) for t in texts]  # type: ignore[misc]


class Scorers:
    """The engines that score translations another engine gives no confidence for
    (``scorer`` in l10n.toml), one per language pair, loaded when first asked."""

    def __init__(self, name: str, options, where: str = "l10n.toml") -> None:
        self.name, self.options, self.where = name, options, where
        self.loaded: dict[tuple[str, str], object | None] = {}

    def get(self, engine: Engine, source: str, target: str, notices: list[Problem] | None = None) -> object | None:
        """The scorer for ``engine``'s translations of a pair (codes), or None; the first time
        it cannot be had, a warning into ``notices`` (the run goes on without confidence)."""
        if not self.name or getattr(engine, "translate_scored", None) is not None:
            return None
        if (source, target) not in self.loaded:
            scorer = None
            try:
                scorer = engines.load(self.name, **engines.options_for(self.name, self.options))
                if not callable(getattr(scorer, "score_batch", None)):
                    raise ConfigError(f"scorer = {self.name!r}: that engine cannot score translations (no score_batch)")
                engines.check_pairs(scorer, [(source, target)])
            except L10nError as exc:
                scorer = None
                if notices is not None:
                    notices.append(Problem(self.where, None, f"no confidence for {source}->{target}: {exc.message}",
                                           "warning"))
            self.loaded[(source, target)] = scorer
        return self.loaded[(source, target)]


def engine_call(engine: Engine, name: str, source: str, target: str, memory=None, scorer=None) -> Pair:
    """The calls a run makes for a language pair (codes)."""
    return Pair(engine, source, target, memory, name, scorer)


def call_engine(engine: Engine, texts: list[str], source: str, target: str) -> list[str]:
    """One engine call, with its contract checked."""
    out = _guarded(engine, "translate_batch", texts, source, target)
    if not all(isinstance(t, str) for t in out):
        raise EngineError(f"engine {type(engine).__name__} returned a translation that is not a string ({source}->{target})")
    return list(out)


def call_aligned(engine: Engine, texts: list[str], source: str, target: str) -> list[tuple[str, Pairs]]:
    """One ``translate_aligned`` call, with its contract checked: (text, [(source word,
    target word), ...]) for each input, words as ``str.split()`` finds them."""
    out = _guarded(engine, "translate_aligned", texts, source, target)
    checked = []
    for item in out:
        try:
            text, pairs = item
            pairs = [(int(i), int(j)) for i, j in pairs]
        except (TypeError, ValueError):
            raise EngineError(f"engine {type(engine).__name__} returned an alignment that is not (text, [(i, j), ...]) "
                              f"({source}->{target})") from None
        if not isinstance(text, str):
            raise EngineError(f"engine {type(engine).__name__} returned a translation that is not a string ({source}->{target})")
        checked.append((text, pairs))
    return checked


def call_scored(engine: Engine, texts: list[str], source: str, target: str) -> list[tuple[str, Pairs | None, float | None]]:
    """One ``translate_scored`` call, with its contract checked: (text, word alignment or
    None, the mean token log-probability or None) for each input."""
    out = _guarded(engine, "translate_scored", texts, source, target)
    checked: list[tuple[str, Pairs | None, float | None]] = []
    for item in out:
        try:
            text, pairs, logprob = item
            pairs = None if pairs is None else [(int(i), int(j)) for i, j in pairs]
            logprob = None if logprob is None else float(logprob)
        except (TypeError, ValueError):
            raise EngineError(f"engine {type(engine).__name__} returned a scored translation that is not (text, "
                              f"alignment, log-probability) ({source}->{target})") from None
        if not isinstance(text, str):
            raise EngineError(f"engine {type(engine).__name__} returned a translation that is not a string ({source}->{target})")
        checked.append((text, pairs, logprob))
    return checked


def _guarded(engine: Engine, method: str, texts: list[str], source: str, target: str):
    name = type(engine).__name__
    try:
        out = getattr(engine, method)(texts, source, target)
    except EngineError:
        raise
    except Exception as exc:  # an engine's failure is reported, not a traceback
        raise EngineError(f"engine {name} failed translating {source}->{target}: {type(exc).__name__}: {exc}") from exc
    if not isinstance(out, (list, tuple)) or len(out) != len(texts):
        got = len(out) if isinstance(out, (list, tuple)) else type(out).__name__
        raise EngineError(f"engine {name} returned {got} translations for {len(texts)} texts ({source}->{target})")
    return out
