"""``l10n translate``: a content folder in, translated sibling files out.

For each chunk of articles: **decide** what each target needs (nothing, a new
translation, a new one because its source changed, a merge into a person's
work, or nothing because a person's work is there), **translate** the
documents in one batch per language pair, **write** the targets, then the
``translations`` lists of sources and siblings, and their records. Errors in
one file are reported, the rest go on; nothing is written for a failed file.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Callable

from .. import config, detect, langs, markdown
from ..calls import Scorers, engine_call
from ..checks import UNTRANSLATED_SHARE
from ..content import Article, Layout, mirror_files
from ..detect import LanguageMismatch
from ..document import Document, Field
from ..engine_choice import Chosen, choose_engines, settings_id
from ..errors import ConfigError, ContentError, EngineError, L10nError, Problem, RefusedError
from ..limits import read_file
from ..markdown import frontmatter
from ..memory import Memory
from ..merge import Kept, kept
from ..parallel import chunked, fork_map
from ..provenance import SourceRecord, TargetRecord, confidence_text, reason_to_make, segment_digests, skeleton, up_to_date
from ..renames import describe, follow, prune
from ..survey import Survey, shown
from ..translate import reset, translate_documents, untranslated_share
from ..write import digest, write_atomic
from .outcome import Outcome, TranslateReport

#: How many articles are parsed and translated together, at most and at least.
CHUNK = 400
MIN_CHUNK = 50
#: Seconds between saves of the provenance during a long run.
SAVE_EVERY = 30.0
@dataclass(frozen=True)
class TranslateOptions:
    """What ``l10n translate`` was asked to do."""

    paths: tuple[str | Path, ...] = ()
    #: Target languages (keys or codes; a comma-separated string or a sequence); default: the site's.
    to: str | tuple[str, ...] | None = None
    #: --from: the source language of every article (no detection).
    source: str | None = None
    engine: str | None = None
    layout: str | None = None
    #: Overwrite translations a person edited or approved, or that l10n did not write.
    force: bool = False
    #: A person's translation whose source changed: translate the changed segments, keep the rest.
    merge: bool = False
    dry_run: bool = False
    #: Translate articles whose text reads as another language than they declare.
    trust_declared: bool = False
    #: Worker processes for engines that allow them (default one per CPU).
    jobs: int | None = None
    #: Engine settings from the command line (beam_size, device...), over l10n.toml's.
    engine_options: tuple[tuple[str, Any], ...] = ()
    #: With a one-off --engine: replace machine translations another engine made too.
    replace: bool = False


def run_translate(options: TranslateOptions = TranslateOptions(), progress: Callable[[int], None] | None = None,
                  on_total: Callable[[int], None] | None = None, survey: Survey | None = None) -> TranslateReport:
    """Translate the articles under ``options.paths`` into the target languages.

    ``progress(n)``: n more articles done; ``on_total(n)``: how many there are.
    Engines that allow it (``parallel = True``, as pseudo and copy do) run in
    ``jobs`` worker processes; the others in this process, using the CPUs
    their own way. ``survey``: the site as another step of the same run
    opened it (``l10n build``).
    """
    started = time.perf_counter()
    survey = survey or Survey(options.paths, options.to, layout=options.layout, engine=options.engine, orphans=True)
    remembered = (options.layout and not options.dry_run and not survey.cfg.trees
                  and config.load(survey.site).layout != options.layout)
    if remembered:  # status, check, build and the next run find translations where this one puts them
        config.remember(survey.site, "layout", str(options.layout))
    forced = survey.cfg.language(options.source).key if options.source else None
    chosen = choose_engines(survey.cfg, survey.targets, forced, dict(options.engine_options),
                            check=not options.dry_run)
    if not chosen.by_lang:  # no language can be served: stop before any work, saying why
        raise next(iter(chosen.unusable.values()))
    survey.targets = [lang for lang in survey.targets if lang not in chosen.unusable]
    run = Run(options, survey, chosen, forced)
    run.report.unusable = [exc.format() for exc in chosen.unusable.values()]
    if remembered:
        run.outcome(survey.site / config.CONFIG_NAME, "updated", reason=f'layout = "{options.layout}" remembered', role="config")
    articles = survey.articles
    for problem in survey.errors:  # an article whose state cannot be read is left as it is
        run.report.outcomes.append(Outcome(problem.path or "", "failed", reason=problem.message, role="state"))
    if not options.dry_run:  # translations whose source was renamed go where its translations go now
        for rename, failed in follow(survey):
            if failed is not None:
                run.fail(rename.orphan, failed, role="translation")
            else:
                run.outcome(rename.target, "renamed", lang=rename.lang, source=str(rename.source),
                            reason=describe(rename))
        articles = survey.articles
    if not options.dry_run and not options.paths:  # the whole site: records of files gone are forgotten
        prune(survey)
    if on_total:
        on_total(len(articles))
    workers = options.jobs if options.jobs is not None else (os.cpu_count() or 1)
    if workers < 1:
        raise ConfigError("--jobs must be 1 or more")
    parallel = all(getattr(e, "parallel", False) for e in chosen.engines) and workers > 1 and \
        len(articles) >= 2 * MIN_CHUNK
    if parallel:  # what is current costs a read here, not a worker process
        done = len(articles)
        articles = [(a, lay) for a, lay in articles if not run.current(a, lay)]
        if progress:
            progress(done - len(articles))
        parallel = len(articles) >= 2 * MIN_CHUNK
    # bounds, not articles, cross to the workers: they have the list already (forked)
    spans = chunked(range(len(articles)), workers if parallel else 1, MIN_CHUNK if parallel else CHUNK, CHUNK)
    chunks = [(span.start, span.stop) for span in spans]
    if parallel and not options.dry_run and not forced:
        run.detector  # loaded once here, shared by the forked workers
    try:
        if parallel:
            _run_parallel(run, articles, chunks, workers, progress)
        else:
            for start, end in chunks:
                run.chunk(articles[start:end])
                if progress:
                    progress(end - start)
                run.checkpoint()
    finally:
        run.close()
        if not options.dry_run:  # what was written is recorded, even when the run is interrupted
            run.save()
    run.report.seconds = time.perf_counter() - started
    return run.report


def _run_parallel(run: Run, articles: list, chunks: list[tuple[int, int]], workers: int, progress) -> None:
    """Chunks in forked processes; their outcomes and provenance merged here."""
    done = fork_map(_work, chunks, workers, (run, articles))
    for (start, end), (outcomes, notices, sources, targets, memory) in zip(chunks, done):
        run.report.outcomes.extend(outcomes)
        run.report.notices.extend(notices)
        run.report.memory_hits += memory[0]
        run.report.memory_misses += memory[1]
        for key, record in sources.items():
            run.state.set_source(key, record)
        for key, record in targets.items():
            run.state.set_target(key, record, wrote=True)
        if progress:
            progress(end - start)
        run.checkpoint()


def _work(shared: tuple[Run, list], bounds: tuple[int, int]):
    """One chunk in a worker: what it did, as data the parent merges."""
    run, articles = shared
    report, pending = run.report, run.state.forget_changes()
    run.report = TranslateReport()
    try:
        run.chunk(articles[bounds[0] : bounds[1]])
        run.close()
        sources, targets = run.state.changes()
        memory = (run.report.memory_hits, run.report.memory_misses)
        return run.report.outcomes, run.report.notices, sources, targets, memory
    finally:  # without fork this runs in the parent, whose records must stay
        run.report = report
        run.state.restore_changes(pending)


@dataclass
class _Job:
    """One article on its way into its target languages."""

    article: Article
    key: str
    raw: bytes
    doc: Document | None = None
    lang: str = ""
    #: target language -> (path, reason it is (re)made)
    make: dict[str, tuple[Path, str]] = field(default_factory=dict)
    #: target language -> rendered parts (fields still open)
    made: dict[str, list] = field(default_factory=dict)
    #: languages that exist or will exist
    languages: set[str] = field(default_factory=set)
    #: target language -> the target's bytes when the run looked (None: absent)
    seen: dict[str, bytes | None] = field(default_factory=dict)
    #: --merge: target language -> what is kept of a person's translation
    keep: dict[str, Kept] = field(default_factory=dict)
    #: target language -> record fields beside the usual (untranslated, merged)
    extra: dict[str, dict] = field(default_factory=dict)


class Run:
    """One translate run over a surveyed site: decide, translate, write, chunk by chunk."""

    def __init__(self, options: TranslateOptions, survey: Survey, chosen: Chosen, forced_source: str | None):
        self.options = options
        self.survey = survey
        self.cfg = survey.cfg
        self.state = survey.state
        self.chosen = chosen
        self.forced_source = forced_source
        self.report = TranslateReport(engine=chosen.describe(), targets=list(survey.targets),
                                      dry_run=options.dry_run)
        self.markdown = survey.options
        self.lang_field = self.cfg.lang_field
        self.tr_field = self.cfg.translations_field if self.cfg.maintain else None
        #: how pages are read for each language (its terms and glossary protected), and what
        #: else decides a translation into it: a change to these remakes that language's
        self.options_for = {lang: self.cfg.markdown_options(lang) for lang in survey.targets}
        self.made_under = {lang: (chosen.by_lang[lang][1] if lang in chosen.by_lang else "",
                                  settings_id(self.cfg, lang, self.options_for[lang])) for lang in survey.targets}
        self._detector: detect.Detector | None = None
        self._memory: Memory | None = None
        self._memory_failed: str | None = None
        self._scorers = Scorers(self.cfg.scorer, self.cfg.engine_options, shown(self.cfg.root / "l10n.toml"))
        self._saved = time.monotonic()

    # -- bookkeeping ---------------------------------------------------------

    def outcome(self, path: Path, action: str, **kw: Any) -> None:
        self.report.outcomes.append(Outcome(shown(path), action, **kw))

    def fail(self, path: Path, exc: L10nError, role: str = "article") -> None:
        self.outcome(path, "failed", reason=exc.message, line=exc.line, role=role)

    def save(self) -> None:
        """Save provenance; a file another run wrote after this one is said to be that run's."""
        try:
            self.state.save()
        except L10nError as exc:  # the journal keeps the records: the next run takes them
            self.fail(Path(exc.path) if exc.path else self.state.path, exc, role="state")
        self.superseded()

    def superseded(self) -> None:
        """Outcomes of files another run wrote after this one did: theirs now, record and all."""
        keys = set(self.state.superseded)
        if not keys:
            return
        for i, o in enumerate(self.report.outcomes):
            if o.action in ("created", "updated") and self.survey.key(Path(o.path)) in keys:
                self.report.outcomes[i] = replace(o, action="skipped", reason="changed by another run after this "
                                                  "one wrote it; that run's text and record are kept")
        self.state.superseded.clear()

    def checkpoint(self) -> None:
        """Save provenance now and then during a long run (the journal holds the
        records meanwhile; a save that fails is tried again at the end)."""
        if not self.options.dry_run and time.monotonic() - self._saved > SAVE_EVERY:
            try:
                self.state.save()
            except L10nError:
                pass
            self.superseded()
            self._saved = time.monotonic()

    @property
    def detector(self) -> detect.Detector:
        if self._detector is None:
            self._detector = detect.Detector()
        return self._detector

    def close(self) -> None:
        used = [u() for e in self.chosen.engines if callable(u := getattr(e, "usage", None)) and u()]
        if used:
            self.report.usage = "; ".join(used)
        if self._memory is not None:
            self.report.memory_hits += self._memory.hits
            self.report.memory_misses += self._memory.misses
            if self._memory.failed:
                self.report.notices.append(Problem(shown(self._memory.path), None, f"translation memory unusable "
                                                   f"({self._memory.failed}); translated without it", "warning"))
            self._memory.close()
            self._memory = None

    def chunk(self, articles: list[tuple[Article, Layout]]) -> None:
        jobs = [job for article, lay in articles if (job := self.decide(article, lay)) is not None]
        if not self.options.dry_run:
            self.translate(jobs)
        for job in jobs:
            self.write(job)

    # -- decide --------------------------------------------------------------

    def decide(self, article: Article, lay: Layout) -> _Job | None:
        """Read and parse an article, and say what each of its targets needs."""
        path = article.source
        if article.orphan_of is not None:
            self.outcome(path, "skipped", reason=f"translation of {shown(article.orphan_of)}, which no longer exists",
                         role="article")
            return None
        try:
            str(path).encode("utf-8")
        except UnicodeEncodeError:
            self.fail(path, ContentError("file name is not valid UTF-8; rename the file", path))
            return None
        wanted = {lang: lay.target(article, lang) for lang in self.survey.targets}
        if self.current(article, lay, wanted):
            return None
        try:
            raw = markdown.read_bytes(path)
        except ContentError as exc:
            self.fail(path, exc)
            return None
        job = _Job(article, self.survey.key(path), raw)
        try:
            job.doc = markdown.load(path, self.markdown, raw)
            job.lang = self.forced_source or self.survey.language_of(job.doc, article, self.detector,
                                                                     self.options.trust_declared)
        except LanguageMismatch as exc:
            self.outcome(path, "skipped", reason=exc.message, line=exc.line, role="article")
            return None
        except L10nError as exc:
            self.fail(path, exc)
            return None
        for line, reason in job.doc.skipped:
            self.report.notices.append(Problem(shown(path), line, reason, "warning"))
        for maintained in job.doc.fields.values():
            if maintained.held:
                self.report.notices.append(Problem(shown(path), job.doc.field_line(maintained), maintained.held,
                                                   "warning"))
        job.languages = {job.lang, *article.siblings}
        source_sha = digest(job.doc.render_without_fields())
        for lang, target in wanted.items():
            if lang == job.lang or os.path.abspath(target) == os.path.abspath(path):
                continue
            reason = self.needs(lang, target, source_sha, job.key)
            if reason is None:
                job.languages.add(lang)
                self.outcome(target, "unchanged", lang=lang, source=str(path))
                continue
            if reason == "merge":
                reason = self.plan_merge(job, lang, target)
            if reason.startswith(("edited", "reviewed", "not written by l10n", "kept")):
                job.languages.add(lang)
                self.outcome(target, "skipped", lang=lang, source=str(path), reason=reason)
                continue
            job.make[lang] = (target, reason)
            job.seen[lang] = _peek(target)
        return job

    def current(self, article: Article, lay: Layout, wanted: dict[str, Path] | None = None) -> bool:
        """Whether the article and its translations are as l10n left them: then
        there is nothing to do, and it says so without parsing anything (from the
        files' digests: each file is read once a run)."""
        if self.options.force:
            return False
        if wanted is None:
            wanted = {lang: lay.target(article, lang) for lang in self.survey.targets}
        key = self.survey.key(article.source)
        if not up_to_date(self.state, self.survey.keys, key, self.survey.fingerprint(article.source),
                          set(article.siblings), wanted, self.made_under, self.survey.fingerprint):
            return False
        own = self.state.sources[key].lang
        for lang, target in wanted.items():
            if lang != own:
                self.outcome(target, "unchanged", lang=lang, source=str(article.source))
        return True

    def needs(self, lang: str, target: Path, source_sha: str, source_key: str) -> str | None:
        """Why ``target`` must be (re)made, or None when it is current (see provenance.reason_to_make)."""
        engine_id, settings = self.made_under[lang]
        return reason_to_make(self.state.targets.get(self.survey.key(target)), target, source_key, source_sha,
                              self.markdown, engine_id, settings, self.options.force, self.options.merge,
                              self.chosen.one_off and not self.options.replace)

    def plan_merge(self, job: _Job, lang: str, target: Path) -> str:
        """--merge: what is kept of the person's translation, and the reason the target is remade."""
        assert job.doc is not None
        result = kept(self.state.targets[self.survey.key(target)], target, job.doc, self.markdown)
        if isinstance(result, str):
            return result
        job.keep[lang] = result
        reason = "source changed: changed segments translated, the rest of a person's translation kept"
        if result.base is None:
            reason += "; outside its segments (front matter, code) it follows the source, which changed there too"
        return reason

    # -- translate -----------------------------------------------------------

    def remembered(self, source: str, lang: str):
        """The engine call from ``source`` (a code) into ``lang`` (a site key) with that
        language's engine, behind the translation memory (without it when it cannot be
        opened: the run goes on, and says so)."""
        engine, engine_id = self.chosen.by_lang[lang]
        target = self.cfg.code(lang)
        if self._memory is None and getattr(engine, "memory", True) and self._memory_failed is None:
            try:
                self._memory = Memory(self.cfg.state_dir / "memory.sqlite", self.survey.site)
            except L10nError as exc:
                self._memory_failed = exc.message
                self.report.notices.append(Problem(shown(exc.path or ""), None, f"{exc.message}; translating without "
                                                   "the memory", "warning"))
        scorer = self._scorers.get(engine, source, target, self.report.notices)
        return engine_call(engine, engine_id.split(":", 1)[0], source, target, self._memory, scorer)

    def translate(self, jobs: list[_Job]) -> None:
        """Every document going into one language pair in one batch."""
        groups: dict[tuple[str, str], list[_Job]] = {}
        for job in jobs:
            for lang in job.make:
                groups.setdefault((job.lang, lang), []).append(job)
        for (src, tgt), members in groups.items():
            # read as this language reads it: its own terms and glossary terms protected
            lang_docs = {id(j): self.doc_for(j, tgt) for j in members if j.doc is not None}
            docs = list(lang_docs.values())
            for job in members:
                if tgt in job.keep and job.doc is not None:
                    job.extra[tgt] = job.keep[tgt].preset(lang_docs[id(job)])
            try:
                notices = translate_documents(docs, self.remembered(self.cfg.code(src), tgt),
                                              glossary=self.cfg.glossary_for(tgt))
            except RefusedError:
                raise  # the server refuses the run itself (a wrong key): no other file would fare better
            except EngineError as exc:
                for job in members:
                    target = job.make.pop(tgt)[0]
                    self.outcome(target, "failed", lang=tgt, source=str(job.article.source), reason=exc.message)
                reset(docs)
                continue
            # an error is a document the engine failed (a translation over its size limit): not written
            failed = {problem.path: problem for problem in notices if problem.severity == "error"}
            self.report.notices.extend(replace(problem, path=problem.path and shown(problem.path))
                                       for problem in notices if problem.severity != "error")
            for job in members:
                assert job.doc is not None
                doc = lang_docs[id(job)]
                if doc.path in failed:
                    problem = failed[doc.path]
                    self.outcome(job.make.pop(tgt)[0], "failed", lang=tgt, source=str(job.article.source),
                                 reason=f"{problem.message} (source line {problem.line})")
                    continue
                parts = job.keep[tgt].parts(doc) if tgt in job.keep else doc.parts
                job.made[tgt] = [p if isinstance(p, Field) else (p if isinstance(p, str) else p.render()) for p in parts]
                job.extra.setdefault(tgt, {})["confidence"] = confidence_text([s.confidence for s in doc.segments()])
                job.languages.add(tgt)
                if untranslated_share(doc) >= UNTRANSLATED_SHARE:
                    job.extra.setdefault(tgt, {})["untranslated"] = True
            reset(docs)

    def doc_for(self, job: _Job, lang: str) -> Document:
        """The article as translation into ``lang`` reads it: the one parse, unless that
        language protects more terms (its do-not-translate terms and glossary)."""
        assert job.doc is not None
        options = self.options_for.get(lang, self.markdown)
        if options == self.markdown:
            return job.doc
        return markdown.load(job.article.source, options, job.raw)

    # -- write ---------------------------------------------------------------

    def write(self, job: _Job) -> None:
        """The targets, then the translations list of the source and every sibling, and their records."""
        doc = job.doc
        assert doc is not None
        reset([doc])  # the source as it is (what it records, and its list): translations are in job.made
        article = job.article
        dry = self.options.dry_run
        languages = langs.ordered(job.languages | set(job.made) | (set(job.make) if dry else set()), job.lang)
        now = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        source_sha = digest(doc.render_without_fields())
        written: set[str] = set()
        for lang, (target, reason) in job.make.items():
            if dry:
                self.outcome(target, "would-create" if reason == "new" else "would-update", lang=lang,
                             source=str(article.source), reason=reason)
                continue
            parts = job.made.get(lang)
            if parts is None:
                continue
            text = self.join(parts, lang, languages)
            data = text.encode("utf-8")
            record = TargetRecord(
                job.key, lang, source_sha=source_sha, segments=segment_digests(doc), engine=self.made_under[lang][0],
                time=now, raw=digest(data), sha=digest(self.join(parts, lang, languages, fields=False)),
                options=self.made_under[lang][1], skeleton=skeleton(doc),
            )
            record = replace(record, **job.extra.get(lang, {}))  # what else the job knows (a merge, an import)
            if lang in job.keep:  # a person's later update of a segment is told from l10n's text
                record = replace(record, target_segments=_segments_of(text, self.markdown))
            key = self.survey.key(target)
            record = replace(record, accepted=(self.state.targets.get(key) or record).accepted)  # while texts hold
            try:
                with self.state.writing():  # no other run writes it between this look and the rename
                    seen = _peek(target)
                    if seen != job.seen.get(lang) or self.state.changed_elsewhere(key, article=job.key):
                        self.outcome(target, "skipped", lang=lang, source=str(article.source),
                                     reason="changed during the run; run again")
                        continue
                    self.state.journal("targets", key, record)  # recorded before it is on disk
                    changed = write_atomic(target, data, inside=self.survey.confined)
            except ContentError as exc:
                self.fail(target, exc, role="translation")
                continue
            written.add(lang)
            try:  # the images and files it links to, where it is read from
                mirror_files(article.source, target, text, self.survey.confined, self.cfg.extensions)
            except ContentError as exc:
                self.fail(target, exc, role="translation")
            action = "updated" if seen is not None else "created"
            if not changed:  # the same bytes (an import of what the page already says): said as it is
                action, reason = "unchanged", "new"
            self.outcome(target, action, lang=lang, source=str(article.source), reason="" if reason == "new" else reason)
            self.state.set_target(key, record)
        source_raw = job.raw
        new = self.set_translations(doc, languages)
        if new is not None:
            if dry:
                self.outcome(article.source, "would-update", lang=job.lang, reason="translations list", role="list")
            else:
                try:
                    with self.state.writing():
                        if _peek(article.source) != job.raw:
                            raise _Changed
                        write_atomic(article.source, new.encode("utf-8"), inside=self.survey.confined)
                    source_raw = new.encode("utf-8")
                    self.outcome(article.source, "updated", lang=job.lang, reason="translations list", role="list")
                except _Changed:
                    self.outcome(article.source, "skipped", lang=job.lang, reason="changed during the run; run again",
                                 role="list")
                except ContentError as exc:
                    self.fail(article.source, exc, role="list")
        if self.tr_field:
            for lang, sibling in article.siblings.items():
                if lang not in written:
                    self.update_sibling(sibling, lang, languages)
        if not dry:
            self.state.set_source(job.key, SourceRecord(digest(source_raw), job.lang, languages, source_sha,
                                                        detect.article_words(doc), segment_digests(doc),
                                                        skeleton(doc)))

    def join(self, parts: list, lang: str, languages: list[str], fields: bool = True) -> str:
        """A translation's text: its parts, with ``lang`` (a code: pt-br for the key pt_br)
        and the translations list (keys) set; ``fields=False`` leaves them out."""
        values = {self.lang_field: self.cfg.code(lang)}
        if self.tr_field:
            values[self.tr_field] = languages
        return frontmatter.render_fields(parts, values if fields else None)

    def set_translations(self, doc: Document, languages: list[str]) -> str | None:
        """The document with its translations list set, or None if it already is."""
        return frontmatter.with_field(doc, self.tr_field, languages) if self.tr_field else None

    def update_sibling(self, path: Path, lang: str, languages: list[str]) -> None:
        """Give an existing translation the article's translations list."""
        try:
            raw = markdown.read_bytes(path)
            doc = markdown.load(path, self.markdown, raw)
        except L10nError as exc:
            self.fail(path, exc, role="list")
            return
        new = self.set_translations(doc, languages)
        if new is None:
            return
        if self.options.dry_run:
            self.outcome(path, "would-update", lang=lang, reason="translations list", role="list")
            return
        data = new.encode("utf-8")
        key = self.survey.key(path)
        record = self.state.targets.get(key)
        ours = record is not None and record.raw == digest(raw)
        try:
            with self.state.writing():
                if _peek(path) != raw:
                    self.outcome(path, "skipped", lang=lang, reason="changed during the run; run again", role="list")
                    return
                if ours:
                    self.state.journal("targets", key, replace(record, raw=digest(data)))
                write_atomic(path, data, inside=self.survey.confined)
        except ContentError as exc:
            self.fail(path, exc, role="list")
            return
        self.outcome(path, "updated", lang=lang, reason="translations list", role="list")
        if ours:
            self.state.set_target(key, replace(record, raw=digest(data)))


class _Changed(Exception):
    """A file changed since the run read it: it is left as it is."""


def _segments_of(text: str, options) -> list[str]:
    try:
        return segment_digests(markdown.parse(text, None, options))
    except L10nError:
        return []


def _peek(path: Path) -> bytes | None:
    try:
        return read_file(path)
    except OSError:
        return None
