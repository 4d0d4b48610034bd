"""``l10n translate``: a content folder in, translated sibling files out.

discover -> read and parse -> decide what each target needs -> translate in
batches per language pair -> write targets, then the ``translations`` lists of
sources and siblings -> record provenance. Errors in one file are reported and
the rest go on; nothing is written for a file that failed.
"""

from __future__ import annotations

import os
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Callable, Sequence

from .. import config as configuration
from .. import checks, detect, engines, langs, markdown
from ..markdown import frontmatter as meta
from ..content import Article, Layout, discover
from ..document import Document, Field
from ..errors import ConfigError, ContentError, EngineError, L10nError
from ..survey import diff_segments, hand_updated, skeleton
from ..translate import Notice, call_engine, reset, translate_documents
from ..write import State, digest, write_atomic

#: How many articles are parsed and translated together, at most and at least.
CHUNK = 400
MIN_CHUNK = 50
#: Seconds between saves of the provenance during a long run.
SAVE_EVERY = 30.0


@dataclass
class Outcome:
    """What happened to one file."""

    path: str
    #: created, updated, unchanged, skipped, failed (dry run: would-create, would-update)
    action: str
    lang: str | None = None
    source: str | None = None
    reason: str = ""
    line: int | None = None
    #: "translation" (a target file), "list" (a source or sibling whose translations
    #: list changed) or "article" (a source that could not be translated at all)
    role: str = "translation"

    def format(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        text = f"{where}: {self.action}"
        return f"{text}: {self.reason}" if self.reason else text


#: What can happen to a translation, in the order a summary lists them.
ACTIONS = ("created", "updated", "unchanged", "skipped", "failed", "would-create", "would-update")


@dataclass
class Report:
    """Everything a run did, for printing or JSON."""

    outcomes: list[Outcome] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)
    engine: str = ""
    targets: list[str] = field(default_factory=list)
    dry_run: bool = False
    seconds: float = 0.0
    #: Texts the translation memory answered, and texts it sent to the engine.
    memory_hits: int = 0
    memory_misses: int = 0

    @property
    def failed(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.action == "failed"]

    def count(self, *actions: str, role: str | None = "translation") -> int:
        """Outcomes with one of ``actions``: of translations, by default."""
        return sum(1 for o in self.outcomes if o.action in actions and (role is None or o.role == role))

    def counts(self) -> dict[str, int]:
        """Translations by what happened to them, then the other files."""
        out = {a: self.count(a) for a in ACTIONS if self.count(a)}
        if self.count("failed", role=None) != self.count("failed"):
            out["failed"] = self.count("failed", role=None)  # unreadable sources fail their translations
        lists = self.count("updated", "would-update", role="list")
        if lists:
            out["lists updated"] = lists
        skipped = self.count("skipped", role="article")
        if skipped:
            out["articles skipped"] = skipped
        return out

    def summary(self) -> str:
        """``3 created, 2 unchanged; translations lists updated in 3 files``."""
        counts = self.counts()
        lists = counts.pop("lists updated", 0)
        articles = counts.pop("articles skipped", 0)
        parts = [", ".join(f"{n} {a}" for a, n in counts.items())] if counts else []
        if articles:
            parts.append(f"{articles} article{'s' * (articles != 1)} skipped")
        if lists:
            parts.append(f"translations lists {'to update' if self.dry_run else 'updated'} in {lists} "
                         f"file{'s' * (lists != 1)}")
        return "; ".join(p for p in parts if p) or "nothing to do"

    def to_dict(self) -> dict[str, Any]:
        return {
            "engine": self.engine,
            "targets": self.targets,
            "dry_run": self.dry_run,
            "seconds": round(self.seconds, 3),
            "counts": self.counts(),
            "memory": {"hits": self.memory_hits, "misses": self.memory_misses},
            "files": [{k: v for k, v in asdict(o).items() if v not in (None, "")} for o in self.outcomes],
            "notices": [asdict(n) for n in self.notices],
        }


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
    #: target language -> provenance recorded beside the usual (untranslated, merged)
    extra: dict[str, dict] = field(default_factory=dict)
    failed: bool = False


@dataclass
class Kept:
    """A person's translation whose source changed: the translations of the
    segments that did not change, by source-segment digest, and what the
    person had written for the segments that did (kept in provenance)."""

    texts: dict[str, list[str]]
    previous: dict[str, str]
    #: The translation itself, when the source changed only inside segments:
    #: the merge is then made on it, so the person's text outside the
    #: segments (front-matter values, code comments) stays too.
    base: Document | None = None
    #: (translation segment index, source segment index) of changed segments.
    replaced: list[tuple[int, int]] = field(default_factory=list)


def run_translate(
    paths: Sequence[str | Path] = (),
    to: str | Sequence[str] | None = None,
    *,
    source: str | None = None,
    engine: str | None = None,
    layout: str | None = None,
    force: bool = False,
    merge: bool = False,
    dry_run: bool = False,
    trust_declared: bool = False,
    jobs: int | None = None,
    engine_options: dict | None = None,
    progress: Callable[[int], None] | None = None,
    on_total: Callable[[int], None] | None = None,
) -> Report:
    """Translate the articles under ``paths`` into the languages ``to``.

    ``merge``: a reviewed or person-edited translation whose source changed
    gets new translations of the changed segments only; the person's text of
    every other segment is kept. Without it such translations are skipped;
    ``force`` overwrites them whole.

    ``jobs``: worker processes for engines that allow it (``parallel = True``,
    as pseudo and copy do); default one per CPU. Other engines run in this
    process and use the CPUs their own way.
    """
    started = time.perf_counter()
    site, cfg, roots = open_site(paths)
    targets = cfg.resolve_targets(to)
    if layout is not None and layout not in configuration.LAYOUTS:
        raise ConfigError(f"layout must be one of {', '.join(configuration.LAYOUTS)}")
    cfg = cfg.with_options(layout=layout, engine=engine)
    forced_source = cfg.language(source).key if source else None
    engine_obj, engine_id = open_engine(cfg, targets, forced_source, engine_options)
    runner = _Runner(cfg, site, targets, engine_obj, engine_id, forced_source, force, dry_run, trust_declared, merge)
    report = runner.report
    report.engine, report.targets, report.dry_run = engine_id, targets, dry_run
    articles = find_articles(roots, site, cfg, targets, runner.made_from)
    if on_total:
        on_total(len(articles))
    workers = jobs if jobs is not None else (os.cpu_count() or 1)
    if workers < 1:
        raise ConfigError("--jobs must be 1 or more")
    parallel = getattr(engine_obj, "parallel", False) and workers > 1 and len(articles) >= 2 * MIN_CHUNK
    if parallel:  # what is current costs a read here, not a worker process
        done = len(articles)
        articles = [(a, lay) for a, lay in articles if not runner.current(a, lay)]
        if progress:
            progress(done - len(articles))
        parallel = len(articles) >= 2 * MIN_CHUNK
    size = max(MIN_CHUNK, min(CHUNK, -(-len(articles) // (workers * 4)))) if parallel else CHUNK
    chunks = [(start, min(start + size, len(articles))) for start in range(0, len(articles), size)]
    if parallel and not dry_run and not forced_source:
        runner.detector  # loaded once here, shared by the forked workers
    try:
        if parallel:
            _run_parallel(runner, articles, chunks, workers, progress)
        else:
            for start, end in chunks:
                runner.run_chunk(articles[start:end])
                if progress:
                    progress(end - start)
                runner.checkpoint()
    finally:
        runner.close()
        # what was written is recorded, even when the run is interrupted
        if not dry_run:
            runner.state.save()
    report.seconds = time.perf_counter() - started
    return report


def open_engine(cfg: configuration.Config, targets: Sequence[str], source: str | None = None,
                engine_options: dict | None = None) -> tuple[engines.Engine, str]:
    """The run's engine, constructed, and what provenance calls it; a pair it
    cannot translate (no model installed) stops the run here, before any work."""
    options = dict(cfg.engine_options)
    options.update({k: v for k, v in (engine_options or {}).items() if v is not None})
    engine_obj = engines.load(cfg.engine_name, **options)
    src = cfg.code(source or cfg.source_key)
    engines.check_pairs(engine_obj, [(src, cfg.code(t)) for t in targets if cfg.code(t) != src])
    return engine_obj, engines.identity(engine_obj, cfg.engine_name)


def _run_parallel(runner: _Runner, articles: list, chunks: list[tuple[int, int]], workers: int, progress) -> None:
    """Chunks in forked processes; their outcomes and provenance merged here."""
    from ..parallel import fork_map

    for (start, end), (outcomes, notices, sources, targets, memory) in zip(
        chunks, fork_map(_work, chunks, workers, (runner, articles))
    ):
        runner.report.outcomes.extend(outcomes)
        runner.report.notices.extend(notices)
        runner.report.memory_hits += memory[0]
        runner.report.memory_misses += memory[1]
        for key, entry in sources.items():
            runner.state.set_source(key, entry)
        for key, entry in targets.items():
            runner.state.set_target(key, entry)
        if progress:
            progress(end - start)
        runner.checkpoint()


def _work(shared: tuple[_Runner, list], bounds: tuple[int, int]):
    """One chunk in a worker: what it did, as data the parent merges."""
    runner, articles = shared
    report, pending = runner.report, runner.state._changed
    runner.report, runner.state._changed = Report(), set()
    try:
        runner.run_chunk(articles[bounds[0] : bounds[1]])
        runner.close()
        changed = runner.state._changed
        sources = {k: runner.state.sources[k] for t, k in changed if t == "sources"}
        targets = {k: runner.state.targets[k] for t, k in changed if t == "targets"}
        memory = (runner.report.memory_hits, runner.report.memory_misses)
        return runner.report.outcomes, runner.report.notices, sources, targets, memory
    finally:  # without fork this runs in the parent, whose records must stay
        runner.report, runner.state._changed = report, pending | runner.state._changed


def open_site(paths: Sequence[str | Path]) -> tuple[Path, configuration.Config, list[Path]]:
    """The site root, its settings, and the paths to work on (default: its content folder)."""
    roots = [Path(p) for p in paths]
    site = configuration.find_root(roots[0] if roots else Path.cwd())
    cfg = configuration.load(site)
    if not roots:
        content = site / cfg.content
        if not content.is_dir():
            raise ConfigError(
                f"no site here: {content} does not exist. l10n works on a site: the nearest folder at or above "
                f"{Path.cwd()} that holds l10n.toml, a Hugo config (hugo.toml, config.toml...) or .l10n/, else the "
                "folder that holds content/; run it there, or name the content folder or files (l10n translate PATH)")
        roots = [content]
    for root in roots:
        if not root.exists():
            raise ConfigError(f"{root}: no such file or folder")
    return site, cfg, roots


def find_articles(
    roots: Sequence[Path], site: Path, cfg: configuration.Config, languages: Sequence[str], made_from
) -> list[tuple[Article, Layout]]:
    """Every article under ``roots`` with the layout its translations follow."""
    articles: list[tuple[Article, Layout]] = []
    seen: set[str] = set()
    for root in roots:
        lay = _layout_for(root, site, cfg)
        if lay.kind == "dir" and Path(os.path.abspath(root)) in lay.root.parents:
            root = lay.root  # content/ holds one folder per language: the sources are in content/<source>
        lang_root = lay.lang_root
        if lang_root is not None:
            inside = Path(os.path.abspath(root))
            for folder in (inside, *inside.parents):
                if folder.parent == lang_root and folder.name != lay.source and lay.is_language(folder.name):
                    raise ConfigError(f"{root} is in the {folder.name} translations ({folder}); give the source, "
                                      f"under {lay.root}")
        for article in discover(root, lay, [*languages, *(cfg.targets or ())], made_from):
            key = os.path.abspath(article.source)
            if key not in seen:  # overlapping paths name an article once
                seen.add(key)
                articles.append((article, lay))
    return articles


def made_from_state(state: State, site: Path) -> Callable[[Path], Path | None]:
    """Which source l10n translated a file from, as its provenance says."""
    prefix = os.path.join(os.path.abspath(site), "")

    def made_from(path: Path) -> Path | None:
        entry = state.targets.get(_relative(os.path.abspath(path), prefix))
        if not entry or not isinstance(entry.get("source"), str):
            return None
        return site / entry["source"]

    return made_from


def _layout_for(root: Path, site: Path, cfg: configuration.Config) -> Layout:
    """Where translations of the files under ``root`` go.

    Layout dir: when the content folder holds a folder named after the source
    language, each language has its folder beside it (content/en ->
    content/de); else translations go into content/<lang>/.
    """
    source = cfg.source or "en"
    content = Path(os.path.abspath(site / cfg.content))
    resolved = Path(os.path.abspath(root))
    inside = resolved == content or content in resolved.parents
    base = content if inside else (resolved if resolved.is_dir() else resolved.parent)
    per_language = base / source
    if cfg.layout == "dir" and per_language.is_dir() and (resolved in (base, per_language) or per_language in resolved.parents):
        base = per_language
    return Layout(cfg.layout, base, source, frozenset(cfg.keys_known()))


class _Runner:
    def __init__(self, cfg, site: Path, targets, engine, engine_id: str, forced_source, force: bool, dry_run: bool,
                 trust_declared: bool = False, merge: bool = False):
        self.cfg = cfg
        self.site = site
        self.targets = targets
        self.engine = engine
        self.engine_id = engine_id
        self.forced_source = forced_source
        self.force = force
        self.dry_run = dry_run
        self.trust_declared = trust_declared
        self.merge = merge
        self._detector = None
        self._memory = None
        self.options = cfg.markdown_options()
        self.state = State.load(cfg.state_dir)
        self.report = Report()
        self.lang_field = cfg.lang_field
        self.tr_field = cfg.translations_field if cfg.maintain else None
        self._saved = time.monotonic()
        # what else decides a translation: a change to these remakes them all
        self.options_id = digest(repr((self.options, self.cfg.glossary)))
        self._site_prefix = os.path.join(os.path.abspath(site), "")
        self._cwd_prefix = os.path.join(os.getcwd(), "")

    # -- helpers -------------------------------------------------------------

    def key(self, path: Path) -> str:
        """A path relative to the site root, with slashes: how provenance names files."""
        return _relative(os.path.abspath(path), self._site_prefix)

    def shown(self, path: Path) -> str:
        """A path as the user would type it: relative to the working folder when inside it."""
        return _relative(os.path.abspath(path), self._cwd_prefix)

    def outcome(self, path: Path, action: str, **kw: Any) -> None:
        self.report.outcomes.append(Outcome(self.shown(path), action, **kw))

    def fail(self, path: Path, exc: L10nError, role: str = "article") -> None:
        line = getattr(exc, "line", None)
        message = getattr(exc, "message", None) or str(exc)
        self.outcome(path, "failed", reason=message, line=line, role=role)

    def checkpoint(self) -> None:
        """Save provenance now and then during a long run."""
        if not self.dry_run and time.monotonic() - self._saved > SAVE_EVERY:
            self.state.save()
            self._saved = time.monotonic()

    def made_from(self, path: Path) -> Path | None:
        """The source l10n translated ``path`` from, if l10n wrote it."""
        return made_from_state(self.state, self.site)(path)

    # -- one chunk -----------------------------------------------------------

    def run_chunk(self, chunk: list[tuple[Article, Layout]]) -> None:
        jobs: list[_Job] = []
        for article, lay in chunk:
            job = self.prepare(article, lay)
            if job is not None:
                jobs.append(job)
        if not self.dry_run:
            self.translate(jobs)
        for job in jobs:
            if not job.failed:
                self.finish(job)

    def prepare(self, article: Article, lay: Layout) -> _Job | None:
        path = article.source
        if article.orphan_of is not None:
            self.outcome(path, "skipped", reason=f"translation of {self.shown(article.orphan_of)}, which no longer exists",
                         role="article")
            return None
        try:
            str(path).encode("utf-8")
        except UnicodeEncodeError:
            self.fail(path, ContentError("file name is not valid UTF-8; rename the file", path))
            return None
        try:
            raw = markdown.read_bytes(path)
        except ContentError as exc:
            self.fail(path, exc)
            return None
        job = _Job(article, self.key(path), raw)
        wanted = {lang: lay.target(article, lang) for lang in self.targets}
        if self.current(article, lay, raw, wanted):
            return None
        try:
            job.doc = markdown.load(path, self.options, raw)
            job.lang = self.source_lang(job.doc, article, path)
        except LanguageMismatch as exc:
            self.outcome(path, "skipped", reason=exc.message, line=exc.line, role="article")
            return None
        except L10nError as exc:
            self.fail(path, exc)
            return None
        for line, reason in job.doc.skipped:
            self.report.notices.append(Notice(str(path), line, reason))
        job.languages = {job.lang, *article.siblings}
        source_sha = digest(job.doc.render_without_fields())
        for lang, target in wanted.items():
            if lang == job.lang or os.path.abspath(target) == os.path.abspath(path):
                continue
            reason = self.needs(target, lang, source_sha, job.key)
            if reason is None:
                job.languages.add(lang)
                self.outcome(target, "unchanged", lang=lang, source=str(path))
                continue
            if reason == "merge":
                kept = self.kept(target, job.doc)
                if isinstance(kept, Kept):
                    job.keep[lang] = kept
                    reason = "source changed: changed segments translated, the rest of a person's translation kept"
                    if kept.base is None:
                        reason += "; outside its segments (front matter, code) it follows the source, which changed there too"
                else:
                    reason = kept
            if reason.startswith(("edited", "reviewed", "not written by l10n")):
                job.languages.add(lang)
                self.outcome(target, "skipped", lang=lang, source=str(path), reason=reason)
                continue
            job.make[lang] = (target, reason)
            job.seen[lang] = _peek(target)
        return job

    def current(self, article: Article, lay: Layout, raw: bytes | None = None,
                wanted: dict[str, Path] | None = None) -> bool:
        """Whether the article and its translations are as l10n left them: then
        there is nothing to do, and it says so without parsing anything."""
        if self.force:
            return False
        recorded = self.state.sources.get(self.key(article.source))
        if not recorded:
            return False
        if raw is None:
            try:
                raw = article.source.read_bytes()
            except OSError:
                return False
        if wanted is None:
            wanted = {lang: lay.target(article, lang) for lang in self.targets}
        if recorded.get("raw") != digest(raw) or not self._up_to_date(article, recorded, wanted):
            return False
        for lang, target in wanted.items():
            if lang != recorded.get("lang"):
                self.outcome(target, "unchanged", lang=lang, source=str(article.source))
        return True

    def _up_to_date(self, article: Article, recorded: dict, wanted: dict[str, Path]) -> bool:
        lang = recorded.get("lang")
        languages = set(recorded.get("langs", ()))
        if languages != {lang, *article.siblings, *(t for t in wanted if t != lang)}:
            return False
        for target_lang, target in wanted.items():
            if target_lang == lang:
                continue
            entry = self.state.targets.get(self.key(target))
            if target_lang not in languages or entry is None or entry.get("source") != self.key(article.source):
                return False
            if "sha" not in recorded or entry.get("source_sha") != recorded["sha"]:
                return False  # made from an older source (and kept: a person's work)
            # a person's translation stays as it is whatever engine or settings are used now
            if not is_persons(entry) and (entry.get("engine") != self.engine_id or entry.get("options") != self.options_id):
                return False
            try:
                if digest(target.read_bytes()) != entry.get("raw"):
                    return False
            except OSError:
                return False
        return True

    def needs(self, target: Path, lang: str, source_sha: str, source_key: str) -> str | None:
        """Why ``target`` must be (re)made, or None when it is current.

        A reason starting with "edited" or "reviewed" is a person's work, which
        is kept; "merge": a person's work whose source changed, to be updated
        segment by segment (--merge)."""
        entry = self.state.targets.get(self.key(target))
        if not target.exists():
            return "new"
        if self.force:
            return "--force"
        if entry is None:
            return "not written by l10n (l10n review --approve adopts it, --force overwrites it)"
        if entry.get("source") != source_key:
            return f"edited: l10n made it from {entry.get('source')} (--force overwrites it)"
        try:
            raw = markdown.read_bytes(target)
        except ContentError:
            return "edited: cannot be read (--force overwrites it)"
        edited = edited_since(entry, raw, target, self.options)
        source_changed = entry.get("source_sha") != source_sha
        person = "edited" if edited or entry.get("merged") else "reviewed" if entry.get("reviewed") else None
        if person is not None:
            if not source_changed:
                if person == "reviewed":
                    return None
                if not edited:  # --merge made it: a person's work with new machine segments
                    return "edited: holds a person's translation (merged), not yet approved (--force overwrites it)"
                return "edited: changed since l10n wrote it (--force overwrites it)"
            if self.merge:
                return "merge"
            return (f"{person}: its source changed (--merge translates the changed segments and keeps the rest, "
                    "--force overwrites it)")
        if source_changed:
            return "source changed"
        if entry.get("engine") != self.engine_id:
            return f"made by {entry.get('engine')}"
        if entry.get("options") != self.options_id:
            return "settings changed"
        return None

    def kept(self, target: Path, doc: Document) -> Kept | str:
        """What --merge keeps of a person's translation, or why it cannot.

        The translation's segments line up one for one with the source's
        segments it was made from (their digests are in provenance): each
        unchanged source segment keeps its translation; the person's text of a
        changed one is remembered as ``previous``."""
        entry = self.state.targets.get(self.key(target)) or {}
        old = str(entry.get("segments", "")).split()
        try:
            base = markdown.load(target, self.options)
        except L10nError as exc:
            return f"edited: cannot be read ({getattr(exc, 'message', exc)}); --force overwrites it"
        theirs = list(base.segments())
        if not old or len(theirs) != len(old):
            return ("edited: its source changed, and its segments no longer line up with the source's; "
                    "update it by hand (l10n status says which segments changed) or --force")
        texts: dict[str, list[str]] = {}
        for key, seg in zip(old, theirs):
            texts.setdefault(key, []).append(seg.original)
        new = [seg.digest() for seg in doc.segments()]
        diff = diff_segments(old, new)
        updated = hand_updated(entry, new, theirs)  # already translated again by a person: theirs
        for j, i in updated.items():
            texts.setdefault(new[j], []).insert(0, theirs[i].original)
        previous = {new[j]: theirs[i].original for i, j in diff.replaced if j not in updated}
        kept = Kept(texts, previous)
        if entry.get("skeleton") == skeleton(doc) and not diff.added and not diff.removed:
            kept.base, kept.replaced = base, diff.replaced
        return kept

    def source_lang(self, doc: Document, article: Article, path: Path) -> str:
        """The article's language (a site key): --from, else what it declares, else
        what its text reads as, else the configured source. A declaration the text
        confidently contradicts stops the article (ContentError), unless --trust-declared."""
        if self.forced_source:
            return self.forced_source
        field_ = doc.fields.get(self.lang_field)
        declared = detect.declared_lang(doc, self.lang_field, article.suffix_lang)
        if declared is not None:
            declared = self.cfg.key(declared)
            if not langs.is_code(self.cfg.code(declared)):
                line = _field_line(doc, field_) if field_ else None
                raw = field_.value if field_ is not None else declared
                raise ContentError(f"{self.lang_field}: unknown language code {raw!r}", path, line)
        if declared is not None and self.trust_declared:
            return declared
        # the same judgement as l10n detect, so the two never disagree
        verdict = detect.judge(self.detector, doc, self.cfg.code(declared) if declared else None)
        if declared is None:
            sure = verdict.detected and verdict.words >= detect.MIN_WORDS and verdict.confidence >= detect.CONFIDENCE
            return self.cfg.key(verdict.detected) if sure else self.cfg.source_key
        if verdict.status == "mismatch":
            line = _field_line(doc, field_) if field_ else None
            raise LanguageMismatch(
                f"declared {declared}, but the text reads as {verdict.detected} (p={verdict.confidence:.2f}); "
                "correct lang (l10n detect --fix) or pass --trust-declared",
                path,
                line,
            )
        return declared

    def remembered(self, source: str, target: str):
        """The engine call for a language pair, behind the translation memory
        (for engines that want one: not pseudo or copy, which cost nothing)."""
        if not getattr(self.engine, "memory", True):
            return None
        if self._memory is None:
            from ..memory import Memory

            self._memory = Memory(self.cfg.state_dir / "memory.sqlite")
        name = self.engine_id.split(":", 1)[0]
        model_for = getattr(self.engine, "model_for", None)
        model = model_for(source, target) if model_for else str(getattr(self.engine, "model", "") or "")
        return self._memory.wrap(lambda texts: call_engine(self.engine, texts, source, target), name, model, source, target)

    def close(self) -> None:
        if self._memory is not None:
            self.report.memory_hits += self._memory.hits
            self.report.memory_misses += self._memory.misses
            self._memory.close()
            self._memory = None

    @property
    def detector(self):
        if self._detector is None:
            self._detector = detect.Detector()
        return self._detector

    # -- translation ---------------------------------------------------------

    def translate(self, jobs: list[_Job]) -> None:
        groups: dict[tuple[str, str], list[_Job]] = {}
        for job in jobs:
            for lang in job.make:
                groups.setdefault((job.lang, lang), []).append(job)
        for (src, tgt), members in groups.items():
            docs = [j.doc for j in members if j.doc is not None and not j.failed]
            for job in members:
                if tgt in job.keep and job.doc is not None:
                    job.extra[tgt] = _preset(job.doc, job.keep[tgt])
            source_code, target_code = self.cfg.code(src), self.cfg.code(tgt)
            try:
                notices = translate_documents(docs, self.engine, source_code, target_code,
                                              translate=self.remembered(source_code, target_code),
                                              glossary=dict(dict(self.cfg.glossary).get(tgt, ())))
            except EngineError as exc:
                for job in members:
                    target = job.make.pop(tgt)[0]
                    self.outcome(target, "failed", lang=tgt, source=str(job.article.source), reason=str(exc))
                reset(docs)
                continue
            self.report.notices.extend(notices)
            for job in members:
                assert job.doc is not None
                kept = job.keep.get(tgt)
                if kept is not None and kept.base is not None:
                    # merged into the person's file: only the changed segments change
                    ours, theirs = list(job.doc.segments()), list(kept.base.segments())
                    for i, j in kept.replaced:
                        theirs[i].rendered = ours[j].render()
                    parts = kept.base.parts
                else:
                    parts = job.doc.parts
                job.made[tgt] = [p if isinstance(p, Field) else (p if isinstance(p, str) else p.render()) for p in parts]
                job.languages.add(tgt)
                if untranslated_share(job.doc) >= checks.UNTRANSLATED_SHARE:
                    job.extra.setdefault(tgt, {})["untranslated"] = True
            reset(docs)

    # -- writing -------------------------------------------------------------

    def finish(self, job: _Job) -> None:
        doc = job.doc
        assert doc is not None
        article = job.article
        languages = langs.ordered(job.languages | set(job.made) | (set(job.make) if self.dry_run else set()), job.lang)
        now = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        source_sha = digest(doc.render_without_fields())
        segments = " ".join(seg.digest() for seg in doc.segments())
        written_targets: dict[str, Path] = {}
        for lang, (target, reason) in job.make.items():
            if self.dry_run:
                self.outcome(target, "would-create" if reason == "new" else "would-update", lang=lang, source=str(article.source), reason=reason)
                continue
            parts = job.made.get(lang)
            if parts is None:
                continue
            text = self.join(parts, doc, lang, languages)
            data = text.encode("utf-8")
            if _peek(target) != job.seen.get(lang):
                self.outcome(target, "skipped", lang=lang, source=str(article.source), reason="changed during the run; run again")
                continue
            try:
                existed = target.exists()
                write_atomic(target, data)
            except ContentError as exc:
                self.fail(target, exc, role="translation")
                continue
            written_targets[lang] = target
            self.outcome(target, "updated" if existed else "created", lang=lang, source=str(article.source), reason="" if reason == "new" else reason)
            self.state.set_target(
                self.key(target),
                {
                    "source": job.key,
                    "lang": lang,
                    "source_sha": source_sha,
                    "segments": segments,
                    "engine": self.engine_id,
                    "time": now,
                    "raw": digest(data),
                    "sha": digest(self.join(parts, doc, lang, languages, fields=False)),
                    "options": self.options_id,
                    "skeleton": skeleton(doc),
                    **job.extra.get(lang, {}),
                    **self.target_segments(lang, job, text),
                },
            )
        # the source and every existing sibling carry the same translations list
        source_raw = job.raw
        new = self.set_translations(doc, languages)
        if new is not None:
            if self.dry_run:
                self.outcome(article.source, "would-update", lang=job.lang, reason="translations list", role="list")
            elif _peek(article.source) != job.raw:
                self.outcome(article.source, "skipped", lang=job.lang, reason="changed during the run; run again",
                             role="list")
            else:
                try:
                    write_atomic(article.source, new.encode("utf-8"))
                    source_raw = new.encode("utf-8")
                    self.outcome(article.source, "updated", lang=job.lang, reason="translations list", role="list")
                except ContentError as exc:
                    self.fail(article.source, exc, role="list")
        if self.tr_field:
            for lang, sibling in article.siblings.items():
                if lang not in written_targets:
                    self.update_sibling(sibling, lang, languages)
        if not self.dry_run:
            self.state.set_source(job.key, {"raw": digest(source_raw), "lang": job.lang, "langs": languages,
                                            "sha": source_sha, "words": detect.article_words(doc)})

    def target_segments(self, lang: str, job: _Job, text: str) -> dict:
        """After a merge: the digests of the written translation's segments, so that
        a person's later update of one is told from l10n's text."""
        if lang not in job.keep:
            return {}
        try:
            written = markdown.parse(text, None, self.options)
        except L10nError:
            return {}
        return {"target_segments": " ".join(seg.digest() for seg in written.segments())}

    def join(self, parts: list, doc: Document, lang: str, languages: list[str], fields: bool = True) -> str:
        out = []
        for part in parts:
            if isinstance(part, Field):
                if not fields:
                    continue
                if part.name == self.lang_field:
                    code = self.cfg.code(lang)  # the field holds a code: pt-br, for the key pt_br
                    out.append(meta.encode_field(part, code) if part.value != code and part.value != [code] else part.src)
                elif part.name == self.tr_field:
                    out.append(part.src if part.value == languages else meta.encode_field(part, languages))
                else:
                    out.append(part.src)
            else:
                out.append(part)
        return "".join(out)

    def set_translations(self, doc: Document, languages: list[str]) -> str | None:
        """The document with its translations list set, or None if it already is."""
        f = doc.fields.get(self.tr_field) if self.tr_field else None
        if f is None or f.value == languages:
            return None
        f.replacement = meta.encode_field(f, languages)
        try:
            return doc.render()
        finally:
            f.replacement = None

    def update_sibling(self, path: Path, lang: str, languages: list[str]) -> bool:
        """Give an existing translation the article's translations list. True if it changes."""
        try:
            raw = markdown.read_bytes(path)
            doc = markdown.load(path, self.options, raw)
        except L10nError as exc:
            self.fail(path, exc, role="list")
            return False
        new = self.set_translations(doc, languages)
        if new is None:
            return False
        if self.dry_run:
            self.outcome(path, "would-update", lang=lang, reason="translations list", role="list")
            return True
        data = new.encode("utf-8")
        try:
            write_atomic(path, data)
        except ContentError as exc:
            self.fail(path, exc, role="list")
            return False
        self.outcome(path, "updated", lang=lang, reason="translations list", role="list")
        key = self.key(path)
        entry = self.state.targets.get(key)
        if entry is not None and entry.get("raw") == digest(raw):
            self.state.set_target(key, {**entry, "raw": digest(data)})
        return True


def is_persons(entry: dict) -> bool:
    """Whether a translation holds a person's work: approved, or merged into by --merge."""
    return bool(entry.get("reviewed") or entry.get("merged"))


def untranslated_share(doc: Document) -> float:
    """The share of a translated document's words that are still as in its source."""
    same = total = 0
    for seg in doc.segments():
        words = detect.count_words(seg.text)
        total += words
        if seg.rendered is None or seg.rendered == seg.original:
            same += words
    return same / total if total else 0.0


def _preset(doc: Document, kept: Kept) -> dict:
    """Give unchanged segments a person's translation; the rest go to the engine."""
    queues = {key: list(texts) for key, texts in kept.texts.items()}
    machine: list[str] = []
    count = 0
    for seg in doc.segments():  # nested segments first, then the one holding them
        key = seg.digest()
        if queues.get(key):
            seg.rendered = queues[key].pop(0)
            seg.outcome = "kept"
            count += 1
        else:
            machine.append(key)
    extra: dict = {"merged": {"kept": count, "machine": machine}}
    previous = {key: text for key, text in kept.previous.items() if key in machine}
    if previous:
        extra["previous"] = previous
    return extra


def edited_since(entry: dict, raw: bytes, path: Path, options: markdown.Options) -> bool:
    """Whether a translation's text (the fields l10n maintains aside) differs
    from what provenance recorded; an unreadable file counts as edited."""
    if digest(raw) == entry.get("raw"):
        return False
    try:
        text = markdown.load(path, options, raw).render_without_fields()
    except L10nError:
        return True
    return digest(text) != entry.get("sha")


def _peek(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None


class LanguageMismatch(ContentError):
    """An article's text is confidently not in the language it declares."""


def _relative(full: str, prefix: str) -> str:
    rel = full[len(prefix) :] if full.startswith(prefix) else full
    return rel.replace(os.sep, "/") if os.sep != "/" else rel


def _field_line(doc: Document, target: Field) -> int:
    """The line of a field's key (a block list's items start on the lines after it)."""
    text = ""
    for part in doc.parts:
        if part is target:
            return text.rstrip().count("\n") + 1
        text += part if isinstance(part, str) else part.render()
    return 1
