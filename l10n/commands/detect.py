"""``l10n detect``: the language of every article and translation of a content folder.

Each file's declared language (its ``lang`` field, else its file name) is
judged against its text (``detect.judge``). A translation l10n wrote is judged
as the output of its engine: pseudo text is in no language. ``--fix`` rewrites
``lang`` where the text is confidently in another language, never in a file
l10n wrote.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

from .. import engines, markdown
from ..detect import (
    CONFIDENCE,
    FIX_CONFIDENCE,
    MIN_WORDS,
    STATUSES,
    Detector,
    LazyDetector,
    article_words,
    judge,
)
from ..errors import L10nError, Problem
from ..markdown.frontmatter import replace_value
from ..parallel import chunked, fork_map
from ..provenance import Keys, made_from
from ..state import Provenance
from ..survey import Survey, declared_language, find_articles, open_site, shown
from ..write import digest, write_atomic


@dataclass
class FileLanguage:
    """One file's declared and detected language."""

    path: str
    declared: str | None
    detected: str | None
    confidence: float
    status: str
    words: int = 0
    #: --fix set its lang to the detected language.
    fixed: bool = False
    #: Why it was not judged, or why --fix left it alone.
    note: str = ""

    def to_dict(self, fixing: bool = False) -> dict:
        out = {"path": self.path, "declared": self.declared, "detected": self.detected,
               "confidence": self.confidence, "status": self.status}
        if fixing:
            out["fixed"] = self.fixed
        return out


@dataclass
class DetectReport:
    files: list[FileLanguage]
    #: Files that could not be read or parsed.
    errors: list[Problem] = field(default_factory=list)
    seconds: float = 0.0

    def count(self, *statuses: str) -> int:
        return sum(1 for f in self.files if f.status in statuses and not f.fixed)

    def summary(self) -> dict[str, int]:
        statuses = [f.status for f in self.files]
        return {s: statuses.count(s) for s in STATUSES if s in statuses}


def run_detect(paths: Sequence[str | Path] = (), *, min_words: int = MIN_WORDS, fix: bool = False,
               jobs: int | None = None, changed_only: bool = False, survey: Survey | None = None) -> DetectReport:
    """Detect the language of every article and translation under ``paths``.

    ``changed_only``: leave out files whose bytes are as l10n last recorded
    them (``l10n build`` reads only what changed since its last run, through
    its ``survey``: the site as the run opened it)."""
    started = time.perf_counter()
    if survey is not None:
        site, cfg, state, articles = survey.site, survey.cfg, survey.state, survey.articles
    else:
        site, cfg, roots = open_site(paths)
        state = Provenance.load(cfg.state_dir)
        articles = find_articles(roots, site, cfg, cfg.resolve_targets() if cfg.targets else [], made_from(state, site))
        for article, _lay in articles:  # the records of these articles only: one file costs the same in any site
            state.ensure(Keys(site).key(article.orphan_of or article.source))
    keys = Keys(site)
    # loaded before forking, so the workers share it; when only changed files are read, once one is
    detector = LazyDetector() if changed_only else Detector()
    if changed_only and survey is not None:  # what is as l10n recorded it is not read again, nor sent anywhere
        articles = [(a, lay) for a, lay in articles if not _as_recorded(survey, a)]
    workers = jobs if jobs is not None else (os.cpu_count() or 1)
    chunks = chunked(articles, workers, 20)
    recorded: dict[str, str] = {}
    if changed_only:
        recorded = {os.path.abspath(keys.path(k)): r.raw for k, r in (*state.sources.items(), *state.targets.items())}
    # what l10n wrote is judged as the output of its engine: pseudo text is in no language
    speaks = {name: engines.speaks(name) for name in {r.engine for r in state.targets.values()}}
    wordless = {os.path.abspath(keys.path(k)): (r.engine, r.raw) for k, r in state.targets.items()
                if not speaks[r.engine]}
    shared = (detector, cfg, min_words, recorded, wordless)
    report = DetectReport([])
    for found, failed in fork_map(_detect_chunk, chunks, workers if len(articles) >= 60 else 1, shared):
        report.files.extend(found)
        report.errors.extend(failed)
    if fix:
        written = {os.path.abspath(keys.path(k)) for k in state.targets}
        _fix(report, cfg, written)
    report.seconds = time.perf_counter() - started
    return report


def _as_recorded(survey: Survey, article) -> bool:
    """Whether an article and its translations are as l10n last recorded them."""
    for path in (article.source, *article.siblings.values()):
        key = survey.key(path)
        record = survey.state.sources.get(key) or survey.state.targets.get(key)
        if record is None or survey.fingerprint(path) != record.raw:
            return False
    return True


def _detect_chunk(shared, chunk):
    detector, cfg, min_words, recorded, wordless = shared
    options = cfg.markdown_options()
    found: list[FileLanguage] = []
    failed: list[Problem] = []
    for article, layout in chunk:
        if article.orphan_of is not None:
            continue
        # content/en/...: the folder declares the language, as Hugo reads it
        folder_lang = layout.source if layout.kind == "dir" and layout.root.name == layout.source else None
        files = [(article.source, article.suffix_lang or folder_lang, False)]
        files += [(path, lang, True) for lang, path in article.siblings.items()]
        source_lang = None
        for path, fallback, is_translation in files:
            try:
                raw = markdown.read_bytes(path)
                if recorded and recorded.get(os.path.abspath(path)) == digest(raw):
                    continue  # judged when l10n wrote or translated it
                doc = markdown.load(path, options, raw)
            except L10nError as exc:
                failed.append(exc.problem(shown(path)))
                continue
            try:
                declared = declared_language(doc, cfg, fallback, shown(path))
            except L10nError as exc:
                failed.append(exc.problem())
                continue
            engine, written = wordless.get(os.path.abspath(path), (None, None))
            if engine is not None and written == digest(raw):  # as l10n wrote it, not rewritten by a person
                found.append(FileLanguage(shown(path), declared, None, 0.0, "undetermined", article_words(doc),
                                          note=f"l10n wrote it with {engine}, whose text is in no language"))
                continue
            verdict = judge(detector, doc, cfg.code(declared) if declared else None, min_words,
                            cfg.code(source_lang) if is_translation and source_lang else None)
            if not is_translation:
                source_lang = declared or (cfg.key(verdict.detected) if verdict.detected and
                                           verdict.status == "undeclared" and verdict.confidence >= CONFIDENCE else None)
            found.append(FileLanguage(shown(path), declared, verdict.detected, verdict.confidence, verdict.status,
                                      verdict.words))
    return found, failed


def _fix(report: DetectReport, cfg, written: set[str]) -> None:
    """Set lang to the detected language where a file confidently says otherwise;
    never in a file l10n wrote (its lang is the language it was made for)."""
    for finding in report.files:
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
            raw = markdown.read_bytes(path)
            doc = markdown.load(path, cfg.markdown_options(), raw)
        except L10nError as exc:
            report.errors.append(exc.problem(finding.path))
            continue
        f = doc.fields.get(cfg.lang_field)
        if f is None or f.value in (None, "", []):
            finding.note = "the language comes from the file name; rename the file"
            continue
        if isinstance(f.value, list) and len(f.value) > 1:
            finding.note = f"{cfg.lang_field} lists several languages; fix it by hand"
            continue
        f.replacement = replace_value(f, finding.detected)
        try:
            write_atomic(path, doc.render().encode("utf-8"), None if cfg.write_outside_site else cfg.root)
        except L10nError as exc:
            report.errors.append(exc.problem(finding.path))
            continue
        finding.fixed = True
