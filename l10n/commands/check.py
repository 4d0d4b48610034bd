"""``l10n check``: every check over every translation of a site, and its catalogs; accepting findings.

Translations are checked in worker processes, a chunk of articles each. With
``cache`` (as ``l10n build`` runs it), findings are recorded in provenance,
keyed by the bytes of the source and the translation and by the settings, so
a translation nothing changed is never parsed again.

A finding a person accepted (``l10n check --accept PATH:LINE``, or the
button in ``l10n serve``) is recorded in the translation's provenance by its
id (``checks.finding_id``: the texts it was found in, the check, the
message): it is reported apart and fails nothing until the source's or the
translation's text there changes.
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
_VERSION = 5


@dataclass
class CheckReport:
    findings: list[Finding] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)
    #: Findings a person accepted: they fail nothing.
    accepted: list[Finding] = field(default_factory=list)
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
            "accepted": [f.to_dict() for f in self.accepted],
            "failed": [p.to_dict() for p in self.errors],
            "seconds": round(self.seconds, 3),
        }


@dataclass
class AcceptReport:
    #: The findings now accepted (and those that were already).
    accepted: list[Finding] = field(default_factory=list)
    #: Places that named no finding, or a translation l10n has no record of: why.
    refused: list[Problem] = field(default_factory=list)


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
        # exists(), not is_file(): a FIFO or a folder where a translation should be is named, not passed over
        present = [(lang, path) for lang, path in survey.translations(article, lay) if path.exists()]
        if present:
            work.append((article, lay, present))
    settings = check_settings(survey)
    workers = jobs if jobs is not None else (os.cpu_count() or 1)
    chunks = chunked(work, workers, 20)
    shared = (survey, Detector(), settings, cache)
    for findings, accepted, failed, checked, recorded in fork_map(_check_chunk, chunks, workers if len(work) >= 60 else 1,
                                                                 shared):
        report.findings.extend(findings)
        report.accepted.extend(accepted)
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


def check_settings(survey: Survey) -> str:
    """What else decides a translation's findings than its bytes and its source's."""
    return digest(repr((survey.options, survey.cfg.glossary, _VERSION)))


def check_stamp(survey: Survey, source: Path, target: Path, settings: str) -> str:
    """What a translation's recorded findings are keyed by: the digests of its bytes and
    its source's, and the settings."""
    return digest(f"{survey.fingerprint(source)}\0{survey.fingerprint(target)}\0{settings}")


def recorded_findings(record, stamp: str) -> list[tuple] | None:
    """The findings recorded for a translation (``l10n build``, ``l10n serve``) under
    ``stamp`` (``check_stamp``: its bytes, its source's and the settings as they are now):
    (line, severity, check, message, id) each; None when none are."""
    known = record.check if record is not None else None
    if not known or known.get("key") != stamp:
        return None
    return [tuple(f) for f in known.get("findings", ())]


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
    """Check the translations of some articles: (findings, accepted findings, errors, files
    checked, findings to record)."""
    survey, detector, settings, cache = shared
    survey.errors = []
    findings: list[Finding] = []
    accepted: list[Finding] = []
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
                known = recorded_findings(record, stamp) if cache else None
                agreed = set(record.accepted) if record is not None else set()
                if known is not None:
                    for found in (Finding(shown(path), *f) for f in known):
                        (accepted if found.id in agreed else findings).append(found)
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
            for finding in found:
                (accepted if finding.id in agreed else findings).append(finding)
            checked += 1
            if cache and record is not None:
                recorded[key] = {"key": stamp, "findings": [[f.line, f.severity, f.check, f.message, f.id]
                                                            for f in found]}
    return findings, accepted, survey.errors, checked, recorded


def run_accept(places: Sequence[str], paths: Sequence[str | Path] = (), to: str | Sequence[str] | None = None,
               ) -> AcceptReport:
    """Record the findings at ``places`` as accepted: ``PATH:LINE`` (every finding of that
    translation's line), ``PATH:LINE:CHECK`` (that check's there), or a finding's id (as
    ``l10n check --json`` gives it)."""
    report = AcceptReport()
    check = run_check(paths, to, catalogs=False)
    everything = check.findings + check.accepted
    wanted: dict[str, list[Finding]] = {}
    for place in places:
        found = [f for f in everything if _names(place, f)]
        if not found:
            report.refused.append(Problem(place, None, "no finding there (l10n check lists them as PATH:LINE: ... "
                                          "[CHECK])", "error"))
        for finding in found:
            wanted.setdefault(finding.path, []).append(finding)
    if not wanted:
        return report
    survey = Survey(paths, to)
    for shown_path, found in wanted.items():
        refused = accept_findings(survey, Path(shown_path), found)
        if refused:
            report.refused.append(Problem(shown_path, found[0].line, refused, "error"))
        else:
            report.accepted.extend(found)
    survey.state.save()
    gone = {shown(survey.keys.path(key)) for key in survey.state.superseded}
    for finding in [f for f in report.accepted if f.path in gone]:
        report.accepted.remove(finding)
        report.refused.append(Problem(finding.path, finding.line, "changed while it was being accepted; check again",
                                      "error"))
    return report


def accept_findings(survey: Survey, path: Path, findings: Sequence[Finding]) -> str | None:
    """Add the findings' ids to a translation's record (saved with the survey's state);
    why not, else None. Ids of findings no longer found there are dropped."""
    survey.articles  # noqa: B018 - reads the records of the survey's articles
    key = survey.key(path)
    record = survey.state.targets.get(key)
    if record is None:
        return ("l10n has no record of this translation: approve it first (l10n review --approve), then accept "
                "its findings")
    try:
        raw = markdown.read_bytes(path)
    except L10nError as exc:
        return exc.message
    if digest(raw) != record.raw:
        return ("changed since l10n recorded it: approve it as it is first (l10n review --approve), then accept "
                "its findings")
    ids = list(dict.fromkeys([*record.accepted, *(f.id for f in findings if f.id)]))
    survey.state.set_target(key, replace(record, accepted=ids))
    return None


def _names(place: str, finding: Finding) -> bool:
    """Whether ``place`` (PATH:LINE, PATH:LINE:CHECK or an id) names a finding."""
    if place == finding.id:
        return True
    parts = place.rsplit(":", 2)
    if len(parts) == 3 and parts[1].isdigit():
        return finding.path == parts[0] and parts[1] == str(finding.line) and finding.check == parts[2]
    path, _, line = place.rpartition(":")
    return finding.path == path and line == str(finding.line)
