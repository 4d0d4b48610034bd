"""``l10n check``: every check over every translation of a site, and its catalogs.

Translations are checked in worker processes, a chunk of articles each. With
``cache`` (as ``l10n build`` runs it), findings are recorded in provenance,
keyed by the bytes of the source and the translation and by the settings, so
a translation nothing changed is never parsed again.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Sequence

from .. import markdown
from ..catalogs import Catalogs, check_catalog
from ..checks import ERROR, WARNING, Finding, context_for, examine
from ..content import Article, Layout
from ..detect import Detector
from ..errors import ContentError, L10nError, Problem
from ..parallel import chunked, fork_map
from ..survey import Survey, shown
from ..write import digest

#: Part of the cache key of recorded findings: a new version of the checks finds anew.
_VERSION = 4


@dataclass
class CheckReport:
    findings: list[Finding] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)
    checked: int = 0
    seconds: float = 0.0

    def count(self, severity: str) -> int:
        return sum(1 for f in self.findings if f.severity == severity)

    def to_dict(self) -> dict[str, Any]:
        return {
            "checked": self.checked,
            "errors": self.count(ERROR),
            "warnings": self.count(WARNING),
            "findings": [f.to_dict() for f in self.findings],
            "failed": [p.to_dict() for p in self.errors],
            "seconds": round(self.seconds, 3),
        }


def run_check(paths: Sequence[str | Path] = (), to: str | Sequence[str] | None = None, catalogs: bool = True,
              cache: bool = False, jobs: int | None = None, survey: Survey | None = None) -> CheckReport:
    """Check every existing translation under ``paths``, and the site's catalogs.

    ``cache``: reuse the findings recorded for a translation whose bytes, source's
    bytes and settings are unchanged, and record new ones. ``jobs``: worker
    processes (default one per CPU)."""
    started = time.perf_counter()
    survey = survey or Survey(paths, to)
    before = len(survey.errors)
    report = CheckReport()
    work = []
    for article, lay in survey.articles:
        if article.orphan_of is not None:
            continue
        present = [(lang, path) for lang, path in survey.translations(article, lay) if path.is_file()]
        if present:
            work.append((article, lay, present))
    settings = digest(repr((survey.options, survey.cfg.glossary, _VERSION)))
    workers = jobs if jobs is not None else (os.cpu_count() or 1)
    chunks = chunked(work, workers, 20)
    shared = (survey, Detector(), settings, cache)
    for findings, failed, checked, recorded in fork_map(_check_chunk, chunks, workers if len(work) >= 60 else 1, shared):
        report.findings.extend(findings)
        survey.errors.extend(failed)
        report.checked += checked
        for key, found in recorded.items():
            survey.state.set_target(key, replace(survey.state.targets[key], check=found))
    report.findings = _once(report.findings)
    if cache:
        survey.state.save()
    if catalogs:
        ui = Catalogs(survey.site)
        for lang, po in ui.catalogs():
            if lang not in survey.targets:
                continue
            try:
                report.findings.extend(check_catalog(po, shown(po)))
                report.checked += 1
            except L10nError as exc:
                survey.fail(po, exc)
    report.errors = survey.errors[before:]
    report.seconds = time.perf_counter() - started
    return report


class _Pages:
    """The heading ids of the pages links name, each page read once."""

    def __init__(self, survey: Survey) -> None:
        self.survey = survey
        self.ids: dict[Path, set[str] | None] = {}

    def of(self, path: Path) -> set[str] | None:
        if path not in self.ids:
            try:
                doc = self.survey.parse(path) if path.is_file() else None
            except L10nError:
                doc = None
            self.ids[path] = {h.id for h in doc.headings if h.id is not None} if doc is not None else None
        return self.ids[path]

    def for_page(self, article: Article, lay: Layout, lang: str):
        """What a translation's links to other pages find: the linked page's ids in the
        source's language or in the translation's (its sibling in ``lang``)."""
        def page_ids(page: str, translated: bool) -> set[str] | None:
            source = self.survey.linked(article, lay, page)
            if source is None:
                return None
            if not translated:
                return self.of(source)
            return self.of(lay.target(Article(source, lay.split(source.name)[1]), lang))

        return page_ids


#: Checks said once per run: the same advice for every file would drown the rest.
_ONCE = {"params"}


def _once(findings: list[Finding]) -> list[Finding]:
    seen = set()
    out = []
    for finding in findings:
        if finding.check in _ONCE:
            if (finding.check, finding.message) in seen:
                continue
            seen.add((finding.check, finding.message))
        out.append(finding)
    return out


def _check_chunk(shared, chunk):
    """Check the translations of some articles: (findings, errors, files checked, findings to record)."""
    survey, detector, settings, cache = shared
    survey.errors = []
    findings: list[Finding] = []
    recorded: dict[str, dict] = {}
    checked = 0
    pages = _Pages(survey)
    for article, lay, present in chunk:
        printed = survey.fingerprint(article.source)
        if printed is None:
            survey.fail(article.source, ContentError("cannot be read", article.source))
            continue
        src = None
        for lang, path in present:
            try:
                key = survey.key(path)
                record = survey.state.targets.get(key)
                # the findings of these very bytes, source and translation, under these settings
                stamp = digest(f"{printed}\0{survey.fingerprint(path)}\0{settings}")
                known = record.check if cache and record is not None else None
                if known and known.get("key") == stamp:
                    findings.extend(Finding(shown(path), *f) for f in known.get("findings", ()))
                    checked += 1
                    continue
                if src is None:
                    src = survey.source(article, parse=True)
                assert src.doc is not None
                if lang == src.lang:
                    continue
                doc = survey.parse(path, markdown.read_bytes(path))
            except L10nError as exc:
                survey.fail(path, exc)
                continue
            ctx = context_for(survey.cfg, src.lang, lang)
            ctx.page_ids = pages.for_page(article, lay, lang)
            found = examine(src.doc, doc, ctx, shown(path), detector).all()
            findings.extend(found)
            checked += 1
            if cache and record is not None:
                recorded[key] = {"key": stamp, "findings": [[f.line, f.severity, f.check, f.message] for f in found]}
    return findings, survey.errors, checked, recorded
