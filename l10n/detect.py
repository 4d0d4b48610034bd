"""Language detection: does each article's text match its declared language?

langdetect, with a fixed seed so the same text always gets the same answer,
reads only an article's prose: the title and summary and the text of its
segments, never code, URLs, link targets, HTML or shortcodes. Where most
letters are of a non-Latin script, the Latin words (product names, code
identifiers) are left out, since they pull langdetect off: "OpenTelemetry
是一个可观测性框架" alone reads as Norwegian.

Too little prose, or a low probability, is ``undetermined``: a wrong answer is
worse than none ("Hello world" reads as Dutch). The thresholds below were
measured on ../shared/corpus/otel (see benchmarks/bench_detect.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from . import langs
from .document import Document
from .errors import ContentError

#: Fewer words of prose than this: undetermined.
MIN_WORDS = 20
#: A lower probability for the best language: undetermined.
CONFIDENCE = 0.90
#: --fix rewrites lang only at this probability or above.
FIX_CONFIDENCE = 0.99
#: Characters of prose read per article (long pages stay fast).
TEXT_CAP = 1000
#: langdetect's random trials: a quick look, and the full count when it is unclear.
QUICK_TRIALS = 3
TRIALS = 7
#: This many words in another language make an article "mixed"...
MIXED_MIN_WORDS = 25
#: ...when they are this share of its prose or more.
MIXED_SHARE = 0.2

STATUSES = ("confirmed", "mismatch", "untranslated", "mixed", "undetermined", "undeclared")

#: Front-matter keys whose values are read as prose.
PROSE_KEYS = ("title", "linkTitle", "summary", "description", "lead", "subtitle")

_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]")
_LATIN_WORD = re.compile(r"[A-Za-z\u00c0-\u024f\u1e00-\u1eff]+")
#: A Chinese or Japanese character weighs this many Latin letters when the
#: script of a line is judged (one English word is about 5 letters, one
#: Chinese word about 2 characters).
CJK_WEIGHT = 3


def count_words(text: str) -> int:
    """Words of prose: space-separated words with a letter (whatever their
    combining marks), and one word for every two Chinese or Japanese characters."""
    cjk = len(_CJK.findall(text))
    rest = _CJK.sub(" ", text) if cjk else text
    return cjk // 2 + sum(1 for token in rest.split() if any(ch.isalpha() for ch in token))


def article_words(doc: Document) -> int:
    """Words of prose in a document: every segment, front-matter values included."""
    return sum(count_words(seg.text) for seg in doc.segments())


@dataclass(frozen=True)
class Guess:
    """What langdetect makes of a text."""

    lang: str | None
    confidence: float
    words: int
    #: The runner-up and its probability, if any.
    second: tuple[str, float] | None = None


class LazyDetector:
    """A Detector made on first use: its profiles take a second to load, which a run
    that finds nothing to read never spends."""

    def __init__(self) -> None:
        self._detector: Detector | None = None

    def __getattr__(self, name: str):
        if name.startswith("__"):  # copied or pickled (to a worker): still not made
            raise AttributeError(name)
        if self._detector is None:
            self._detector = Detector()
        return getattr(self._detector, name)


class Detector:
    """langdetect, deterministic, reading one script."""

    def __init__(self, seed: int = 0):
        from langdetect import DetectorFactory
        from langdetect.detector_factory import init_factory

        DetectorFactory.seed = seed
        init_factory()
        from langdetect import detector_factory

        self._factory = detector_factory._factory

    def guess(self, text: str) -> Guess:
        words = count_words(text)
        text = _dominant_script(text)[:TEXT_CAP]
        from langdetect.lang_detect_exception import LangDetectException

        try:
            # three trials first: when they agree, more would too, at twice the cost
            ranked = self._rank(text, QUICK_TRIALS)
            if not ranked or ranked[0].prob < 0.99:
                ranked = self._rank(text, TRIALS)
        except LangDetectException:  # no letters at all
            return Guess(None, 0.0, words)
        if not ranked:
            return Guess(None, 0.0, words)
        second = (langs.from_langdetect(ranked[1].lang), ranked[1].prob) if len(ranked) > 1 else None
        return Guess(langs.from_langdetect(ranked[0].lang), ranked[0].prob, words, second)


    def _rank(self, text: str, trials: int) -> list:
        detector = self._factory.create()
        detector.n_trial = trials
        detector.set_max_text_length(TEXT_CAP)
        detector.append(text)
        return detector.get_probabilities()


def _dominant_script(text: str) -> str:
    """Each line without its Latin words where most of it is another script:
    names in a Japanese sentence go, an English paragraph in a Bengali page stays."""
    return "\n".join(_line_script(line) for line in text.split("\n"))


def _line_script(line: str) -> str:
    latin = other = 0
    for c in line:
        if c.isalpha():
            if c < "\u0250" or "\u1e00" <= c <= "\u1eff":
                latin += 1
            elif _CJK.match(c):
                other += CJK_WEIGHT
            else:
                other += 1
    if not other or latin > 2.3 * other:  # mostly Latin letters: keep the line as it is
        return line
    return _LATIN_WORD.sub(" ", line)


def prose(doc: Document) -> str:
    """An article's prose, sampled across its length: what is read to detect its language."""
    parts = paragraphs(doc)
    return _sample(parts, [count_words(p) for p in parts])


def paragraphs(doc: Document) -> list[str]:
    out = []
    for seg in doc.segments():
        if seg.codec in ("markdown", "html") or (seg.kind == "meta" and seg.key in PROSE_KEYS) or seg.kind in ("param", "title", "attr"):
            text = seg.text
            if text:
                out.append(text)
    return out


@dataclass
class Verdict:
    """What a file's text says of its language."""

    declared: str | None
    detected: str | None
    confidence: float
    status: str
    words: int


def judge(
    detector: Detector,
    doc: Document,
    declared: str | None,
    min_words: int = MIN_WORDS,
    source_lang: str | None = None,
) -> Verdict:
    """The status of one document whose declared language is ``declared``.

    The prose is read in up to three consecutive chunks (one for a short
    page); the language of most words is the page's, and confident chunks in
    another language holding a fifth of the words or more make it ``mixed``.
    ``source_lang``: for a translation, the language of its source; a
    translation whose text is still in that language is ``untranslated``.
    """
    parts = paragraphs(doc)
    words = [count_words(p) for p in parts]
    total = sum(words)
    # labels and names (table cells of one or two words) say little of a language
    sentences = [(p, n) for p, n in zip(parts, words) if n >= 3]
    if sum(n for _p, n in sentences) >= min_words:
        parts, words = [p for p, _n in sentences], [n for _p, n in sentences]
    guesses = [(detector.guess(text), n) for text, n in _chunks(parts, words, sum(words))]
    by_lang: dict[str, int] = {}
    for g, n in guesses:
        if g.lang and g.confidence >= CONFIDENCE:
            by_lang[langs.base(g.lang)] = by_lang.get(langs.base(g.lang), 0) + n
    if declared is not None and langs.base(declared) in by_lang:
        # part of the page is confidently in its declared language: at worst mixed
        by_lang[langs.base(declared)] = max(by_lang.values()) + by_lang[langs.base(declared)]
    if by_lang:
        main = max(by_lang, key=lambda k: by_lang[k])
        mine = [(g, n) for g, n in guesses if g.lang and langs.base(g.lang) == main]
        lang = max(mine, key=lambda item: item[1])[0].lang
        confidence = sum(g.confidence * n for g, n in mine) / max(1, sum(n for _g, n in mine))
    else:
        best = max(guesses, key=lambda item: (item[0].confidence, item[1]), default=(Guess(None, 0.0, 0), 0))[0]
        lang, confidence = best.lang, best.confidence
    sure = lang is not None and total >= min_words and confidence >= CONFIDENCE
    verdict = lambda status: Verdict(declared, lang, round(confidence, 3) if lang else 0.0, status, total)  # noqa: E731
    if declared is None:
        return verdict("undeclared")
    if not sure:
        return verdict("undetermined")
    if source_lang and langs.same_language(lang, source_lang) and not langs.same_language(declared, source_lang):
        return verdict("untranslated")
    if not langs.same_language(lang, declared):
        return verdict("mismatch")
    other = sum(n for g, n in guesses
                if g.lang and g.confidence >= CONFIDENCE and not langs.same_language(g.lang, declared))
    if other >= MIXED_MIN_WORDS and other >= MIXED_SHARE * total:
        return verdict("mixed")
    return verdict("confirmed")


#: Words of prose per chunk read on its own (up to three chunks a page).
CHUNK_WORDS = 100


def _chunks(parts: list[str], words: list[int], total: int) -> list[tuple[str, int]]:
    count = max(1, min(3, total // CHUNK_WORDS))
    if count == 1:
        return [(_sample(parts, words), total)]
    size = total / count
    chunks: list[tuple[list[str], list[int]]] = [([], []) for _ in range(count)]
    seen = 0
    for text, n in zip(parts, words):
        index = min(count - 1, int((seen + n / 2) // size))
        chunks[index][0].append(text)
        chunks[index][1].append(n)
        seen += n
    return [(_sample(t, w), sum(w)) for t, w in chunks if t]


def _sample(parts: list[str], words: list[int]) -> str:
    """At most about TEXT_CAP characters, taken across the parts, not just the first."""
    total = sum(len(p) for p in parts)
    if total > 2 * TEXT_CAP and len(parts) > 2:
        step = max(1, round(total / (2 * TEXT_CAP)))
        parts = parts[::step]
    return "\n".join(parts)


def declared_lang(doc: Document, field: str, fallback: str | None = None) -> str | None:
    """The language a file declares: its front-matter field (either shape), else ``fallback``."""
    f = doc.fields.get(field)
    value = f.value if f is not None else doc.meta.get(field) if isinstance(doc.meta, dict) else None
    if isinstance(value, list):
        value = value[0] if value else None
    if value is None or value == "":
        return fallback
    return langs.normalize(str(value))


class LanguageMismatch(ContentError):
    """An article's text is confidently not in the language it declares."""
