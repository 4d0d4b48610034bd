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

import os
import re
from dataclasses import dataclass
from typing import Sequence

from . import langs
from .document import Document

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
        if seg.codec == "markdown" or (seg.kind == "meta" and seg.key in PROSE_KEYS) or seg.kind in ("param", "title"):
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


def _key_line(doc: Document, field: str) -> int | None:
    from .commands.translate import _field_line

    f = doc.fields.get(field)
    return _field_line(doc, f) if f is not None else None


def summarize(statuses: Sequence[str]) -> dict[str, int]:
    return {s: statuses.count(s) for s in STATUSES if s in statuses}


# --------------------------------------------------------------------------
# l10n detect: every article and translation of a content folder


@dataclass
class Finding:
    """One file's declared and detected language."""

    path: str
    declared: str | None
    detected: str | None
    confidence: float
    status: str
    words: int = 0
    #: --fix set its lang to the detected language.
    fixed: bool = False
    #: Why --fix left it alone, when it could not fix it.
    note: str = ""

    def to_dict(self, fixing: bool = False) -> dict:
        out = {"path": self.path, "declared": self.declared, "detected": self.detected,
               "confidence": self.confidence, "status": self.status}
        if fixing:
            out["fixed"] = self.fixed
        return out


@dataclass
class DetectReport:
    findings: list[Finding]
    #: Files that could not be read or parsed: (path, line, message).
    errors: list[tuple[str, int | None, str]]
    seconds: float = 0.0

    def count(self, *statuses: str) -> int:
        return sum(1 for f in self.findings if f.status in statuses and not f.fixed)


def run_detect(
    paths=(),
    *,
    min_words: int = MIN_WORDS,
    fix: bool = False,
    jobs: int | None = None,
    changed_only: bool = False,
) -> DetectReport:
    """Detect the language of every article and translation under ``paths``.

    ``changed_only``: leave out files whose bytes are as l10n last recorded
    them (``l10n build`` reads only what changed since its last run)."""
    import time

    from .parallel import fork_map
    from .commands.translate import find_articles, made_from_state, open_site
    from .write import State

    started = time.perf_counter()
    site, cfg, roots = open_site(paths)
    state = State.load(cfg.state_dir)
    articles = find_articles(roots, site, cfg, cfg.resolve_targets() if cfg.targets else [], made_from_state(state, site))
    detector = Detector()  # loaded before forking: the workers share it
    workers = jobs if jobs is not None else (os.cpu_count() or 1)
    size = max(20, -(-len(articles) // (workers * 4)))
    chunks = [articles[i : i + size] for i in range(0, len(articles), size)]
    recorded: dict[str, str] = {}
    if changed_only:
        for table in (state.sources, state.targets):
            recorded.update({os.path.abspath(site / key): str(entry.get("raw")) for key, entry in table.items()})
    # what l10n wrote is judged as the output of its engine: pseudo text is in no language
    from . import engines

    wordless = {os.path.abspath(site / key): (str(entry.get("engine", "")), entry.get("raw"))
                for key, entry in state.targets.items() if not engines.speaks(str(entry.get("engine", "")))}
    shared = (detector, cfg, min_words, os.getcwd(), recorded, wordless)
    findings: list[Finding] = []
    errors: list[tuple[str, int | None, str]] = []
    for found, failed in fork_map(_detect_chunk, chunks, workers if len(articles) >= 60 else 1, shared):
        findings.extend(found)
        errors.extend(failed)
    if fix:
        written = {os.path.abspath(site / key) for key in state.targets}
        _fix(findings, cfg, errors, written)
    return DetectReport(findings, errors, time.perf_counter() - started)


def _detect_chunk(shared, chunk):

    from .errors import L10nError
    from .markdown import load, read_bytes
    from .write import digest

    detector, cfg, min_words, cwd, recorded, wordless = shared
    options, field = cfg.markdown_options(), cfg.lang_field
    found: list[Finding] = []
    failed: list[tuple[str, int | None, str]] = []

    def shown(path) -> str:
        full = os.path.abspath(path)
        return os.path.relpath(full, cwd) if full.startswith(os.path.join(cwd, "")) else full

    for article, layout in chunk:
        if article.orphan_of is not None:
            continue
        # content/en/...: the folder declares the language, as Hugo reads it
        folder_lang = layout.source if layout.kind == "dir" and layout.root.name == layout.source else None
        files = [(article.source, article.suffix_lang or folder_lang, None)]
        files += [(path, lang, True) for lang, path in article.siblings.items()]
        source_lang = None
        for path, fallback, is_translation in files:
            try:
                raw = read_bytes(path)
                if recorded and recorded.get(os.path.abspath(path)) == digest(raw):
                    continue  # judged when l10n wrote or translated it
                doc = load(path, options, raw)
            except L10nError as exc:
                failed.append((shown(path), getattr(exc, "line", None), getattr(exc, "message", str(exc))))
                continue
            declared = declared_lang(doc, field, fallback)
            declared = cfg.key(declared) if declared is not None else None
            if declared is not None and not langs.is_code(cfg.code(declared)):
                f = doc.fields.get(field)
                raw = f.value if f is not None else declared
                failed.append((shown(path), _key_line(doc, field), f"{field}: unknown language code {raw!r}"))
                continue
            engine, written = wordless.get(os.path.abspath(path), (None, None))
            if engine is not None and written == digest(raw):  # as l10n wrote it, not rewritten by a person
                found.append(Finding(shown(path), declared, None, 0.0, "undetermined", article_words(doc),
                                     note=f"l10n wrote it with {engine}, whose text is in no language"))
                continue
            verdict = judge(detector, doc, cfg.code(declared) if declared else None, min_words,
                            cfg.code(source_lang) if is_translation and source_lang else None)
            if not is_translation:
                source_lang = declared or (cfg.key(verdict.detected)
                                           if verdict.status == "undeclared" and verdict.confidence >= CONFIDENCE else None)
            found.append(Finding(shown(path), declared, verdict.detected, verdict.confidence, verdict.status, verdict.words))
    return found, failed


def _fix(findings: list[Finding], cfg, errors: list, written: set[str]) -> None:
    """Set lang to the detected language where a file confidently says otherwise;
    never in a file l10n wrote (its lang is the language it was made for)."""
    from pathlib import Path

    from .errors import L10nError
    from .markdown import load, read_bytes
    from .markdown.frontmatter import replace_value
    from .write import write_atomic

    for finding in findings:
        if finding.status != "mismatch" or finding.detected is None:
            continue
        if finding.confidence < FIX_CONFIDENCE:
            finding.note = f"not sure enough to fix (p={finding.confidence})"
            continue
        path = Path(finding.path)
        if os.path.abspath(path) in written:
            finding.note = "l10n wrote it as this language's translation: translate it again, not its lang"
            continue
        try:
            raw = read_bytes(path)
            doc = load(path, cfg.markdown_options(), raw)
        except L10nError as exc:
            errors.append((finding.path, getattr(exc, "line", None), getattr(exc, "message", str(exc))))
            continue
        field = doc.fields.get(cfg.lang_field)
        if field is None or field.value in (None, "", []):
            finding.note = "the language comes from the file name; rename the file"
            continue
        if isinstance(field.value, list) and len(field.value) > 1:
            finding.note = f"{cfg.lang_field} lists several languages; fix it by hand"
            continue
        field.replacement = replace_value(field, finding.detected)
        try:
            write_atomic(path, doc.render().encode("utf-8"))
        except L10nError as exc:
            errors.append((finding.path, None, getattr(exc, "message", str(exc))))
            continue
        finding.fixed = True
