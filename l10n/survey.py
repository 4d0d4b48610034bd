"""A site opened: its settings, the articles under some paths, their translations, and what provenance says of each.

Every command that looks at a site's translations (translate, status, check,
review, build, export) opens it through :class:`Survey`. A translation is
judged from hashes first: a source and a translation whose bytes are as l10n
recorded them are never parsed, so a site of 10,000 articles answers in about
a second. Only a file that changed since (a person's edit, a changed source)
is parsed, to say which segments changed.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator, Sequence

from . import config, detect, langs, markdown
from .checks import UNTRANSLATED_SHARE, align, same_share
from .content import Article, Layout, discover
from .document import Document
from .errors import ConfigError, ContentError, L10nError, Problem
from .limits import read_file
from .provenance import (
    Keys,
    caught_up,
    diff_segments,
    made_from,
    relative,
    standing,
    weakest,
)
from .state import Provenance
from .write import digest

#: The statuses of a translation, in the order a person should look at them.
STATUSES = ("missing", "orphan", "stale", "edited", "human", "untranslated", "machine", "reviewed")
#: Statuses that ``status --check`` (and ``build``) fail on; and untranslated pages (a stub
#: Hugo would publish as translated) unless the site allows them (allow_untranslated).
FAILING = ("missing", "orphan", "stale")


def failing(cfg: config.Config) -> tuple[str, ...]:
    return FAILING if cfg.allow_untranslated else FAILING + ("untranslated",)


def open_site(paths: Sequence[str | Path] = ()) -> tuple[Path, config.Config, list[Path]]:
    """The site root, its settings, and the paths to work on (default: its content folder)."""
    roots = [Path(p) for p in paths]
    site = config.find_root(roots[0] if roots else Path.cwd())
    cfg = config.load(site)
    cfg.check_layout()
    if not roots:
        roots = [site / folder for folder in cfg.content_roots()]
        content = roots[0]
        if not content.is_dir():
            raise ConfigError(
                f"no site here: {content} does not exist. l10n works on a site: the nearest folder at or above "
                f"{Path.cwd()} that holds l10n.toml, a site generator's config (hugo.toml, docusaurus.config.js, "
                "mkdocs.yml...) or .l10n/, else the folder that holds content/; run it there, or name the content "
                "folder or files (l10n COMMAND PATH...)")
    top = os.path.join(os.path.realpath(site), "")
    for root in roots:
        if not root.exists():
            raise ConfigError(f"{root}: no such file or folder")
        real = os.path.join(os.path.realpath(root), "")
        if not real.startswith(top) and not cfg.write_outside_site:
            raise ConfigError(f"{root} is outside the site ({real.rstrip(os.sep)} is not under {site}); l10n writes "
                              "only inside the site: set write_outside_site = true in l10n.toml to allow it")
    return site, cfg, roots


def layout_for(root: Path, site: Path, cfg: config.Config) -> Layout:
    """Where translations of the files under ``root`` go.

    Layout dir: when the content folder holds a folder named after the source
    language, each language has its folder beside it (content/en ->
    content/de); else translations go into content/<lang>/.
    """
    source = cfg.source_key
    resolved = Path(os.path.abspath(root))
    if cfg.trees:
        return _tree_layout(resolved, site, cfg)
    content = Path(os.path.abspath(site / cfg.content))
    inside = resolved == content or content in resolved.parents
    base = content if inside else (resolved if resolved.is_dir() else resolved.parent)
    per_language = base / source
    if cfg.layout == "dir" and per_language.is_dir() and (resolved in (base, per_language) or per_language in resolved.parents):
        base = per_language
    return Layout(cfg.layout, base, source, frozenset(cfg.keys_known()), extensions=cfg.extensions)


def _tree_layout(resolved: Path, site: Path, cfg: config.Config) -> Layout:
    """The tree that holds ``resolved``: its sources' folder mirrored in each language's."""
    keys = frozenset(cfg.keys_known())
    for tree in cfg.trees:
        base = Path(os.path.abspath(site / tree.source))
        if resolved == base or base in resolved.parents:
            folders = tuple((key, Path(os.path.abspath(site / tree.folder(key)))) for key in sorted(keys | set(cfg.targets))
                            if key != cfg.source_key)
            return Layout("tree", base, cfg.source_key, keys, folders=folders,
                          pattern=os.path.join(os.path.abspath(site), tree.pattern), extensions=cfg.extensions)
        for key in keys - {cfg.source_key}:
            folder = Path(os.path.abspath(site / tree.folder(key)))
            if resolved == folder or folder in resolved.parents:
                raise ConfigError(f"{resolved} is in the {key} translations ({folder}); give the source, under {base}")
    raise ConfigError(f"{resolved} is in none of the site's source folders ({', '.join(t.source for t in cfg.trees)})")


def find_articles(roots: Sequence[Path], site: Path, cfg: config.Config, languages: Sequence[str],
                  source_of) -> list[tuple[Article, Layout]]:
    """Every article under ``roots`` with the layout its translations follow.

    ``source_of(path)``: the source l10n made a file from (provenance), so that a
    translation whose source is gone is known as an orphan, not an article."""
    articles: list[tuple[Article, Layout]] = []
    seen: set[str] = set()
    for root in roots:
        lay = layout_for(root, site, cfg)
        if lay.kind == "dir" and Path(os.path.abspath(root)) in lay.root.parents:
            root = lay.root  # content/ holds one folder per language: the sources are in content/<source>
        lang_root = lay.lang_root
        if lang_root is not None:
            inside = Path(os.path.abspath(root))
            for folder in (inside, *inside.parents):
                if folder.parent == lang_root and folder.name != lay.source and lay.is_language(folder.name):
                    raise ConfigError(f"{root} is in the {folder.name} translations ({folder}); give the source, "
                                      f"under {lay.root}")
        for article in discover(root, lay, [*languages, *cfg.targets], source_of):
            key = os.path.abspath(article.source)
            if key not in seen:  # overlapping paths name an article once
                seen.add(key)
                articles.append((article, lay))
    return articles


def declared_language(doc: Document, cfg: config.Config, fallback: str | None, path: Path | str | None) -> str | None:
    """The site key of the language a file declares (its lang field, else ``fallback``,
    the file name's or folder's); a value that names no language is a ContentError at the field's line."""
    declared = detect.declared_lang(doc, cfg.lang_field, fallback)
    if declared is None:
        return None
    key = cfg.key(declared)
    if not langs.is_code(cfg.code(key)):
        f = doc.fields.get(cfg.lang_field)
        value = f.value if f is not None else declared
        raise ContentError(f"{cfg.lang_field}: unknown language code {value!r}", path,
                           doc.field_line(f) if f is not None else None)
    return key


def shown(path: Path | str) -> str:
    """A path as the user would type it: relative to the working folder when inside it."""
    return relative(os.path.abspath(path), os.path.join(os.getcwd(), ""))


@dataclass
class Source:
    """What is known of an article's source file."""

    path: Path
    key: str
    #: Its bytes, when they were read (provenance answered without them: None).
    raw: bytes | None
    lang: str
    sha: str
    words: int
    doc: Document | None = None


@dataclass
class Cell:
    """One article in one language."""

    source: str
    target: str
    lang: str
    status: str
    words: int
    #: Why, in a few words: what changed, who made it.
    detail: str = ""
    #: stale: the lines of the source segments that changed, and how many went.
    changed: list[int] = field(default_factory=list)
    removed: int = 0
    engine: str = ""
    reviewed: str = ""
    #: The engine's confidence in the weakest segment, in percent (None: not known).
    confidence: int | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"path": self.target, "status": self.status, "words": self.words}
        for key in ("detail", "engine", "reviewed"):
            if getattr(self, key):
                out[key] = getattr(self, key)
        if self.confidence is not None:
            out["confidence"] = self.confidence
        if self.status == "stale":
            out["changed_lines"] = self.changed
            out["removed_segments"] = self.removed
        return out


class Survey:
    """A site's articles under some paths, in some target languages, and their provenance."""

    def __init__(self, paths: Sequence[str | Path] = (), to: str | Sequence[str] | None = None, *,
                 layout: str | None = None, engine: str | None = None, orphans: bool = False):
        self.site, cfg, self.roots = open_site(paths)
        if layout is not None and layout not in config.LAYOUTS:
            raise ConfigError(f"layout must be one of {', '.join(config.LAYOUTS)}")
        self.cfg = cfg.with_options(layout=layout, engine=engine)
        self.cfg.check_layout()
        self.targets = self.cfg.resolve_targets(to)
        self.state = Provenance.load(self.cfg.state_dir)
        self.keys = Keys(self.site)
        self.options = self.cfg.markdown_options()
        #: Where writes may go: the site (None: anywhere, as write_outside_site says).
        self.confined: Path | None = None if self.cfg.write_outside_site else self.site
        self._orphans = orphans
        self._articles: list[tuple[Article, Layout]] | None = None
        self._only: dict[str, set[str]] = {}
        #: Files that could not be read or parsed.
        self.errors: list[Problem] = []
        #: Each file's digest, by its stat: read once a run whatever step asks.
        self._prints: dict[str, tuple[tuple, str]] = {}

    @property
    def articles(self) -> list[tuple[Article, Layout]]:
        """(article, layout) under the paths, found on first use; orphans (translations
        of a source that is gone) only if the survey was asked for them."""
        if self._articles is None:
            found = find_articles(self.roots, self.site, self.cfg, self.targets, made_from(self.state, self.site))
            self._articles = [(a, lay) for a, lay in found if self._orphans or a.orphan_of is None]
            readable = []
            for article, lay in self._articles:  # their records, and their translations', are read now
                try:
                    self.state.ensure(self.key(article.orphan_of or article.source))
                except ContentError as exc:  # that article's state file: the others go on
                    self.errors.append(exc.problem(shown(exc.path or article.source)))
                    continue
                readable.append((article, lay))
            self._articles = readable
            # a translation named on its own (content/post.es.md) means that language only
            named = {os.path.abspath(p) for p in self.roots if p.is_file()}
            for article, lay in self._articles:
                if os.path.abspath(article.source) in named:
                    continue
                chosen = {lang for lang in self.targets if os.path.abspath(lay.target(article, lang)) in named}
                if chosen:
                    self._only[os.path.abspath(article.source)] = chosen
        return self._articles

    def forget_articles(self) -> None:
        """Find the articles again on next use (files moved)."""
        self._articles = None
        self._only = {}

    # -- names and reading ---------------------------------------------------

    def key(self, path: Path) -> str:
        return self.keys.key(path)

    def fingerprint(self, path: Path) -> str | None:
        """The digest of a file's bytes (None: it cannot be read), read once a run: the
        steps of a build (detect, translate, check, status) each ask of every file."""
        name = os.path.abspath(path)
        try:
            st = os.stat(name)
        except OSError:
            return None
        stamp = (st.st_mtime_ns, st.st_ctime_ns, st.st_size, st.st_ino)
        known = self._prints.get(name)
        if known is not None and known[0] == stamp:
            return known[1]
        try:
            found = digest(read_file(name))
        except OSError:
            return None
        self._prints[name] = (stamp, found)
        return found

    def parse(self, path: Path, raw: bytes | None = None, options=None) -> Document:
        """A file read as the site reads it (``options``: as one language reads it)."""
        return markdown.load(path, options or self.options, raw)

    def declared(self, doc: Document, suffix_lang: str | None) -> str | None:
        """The site key of the language a file declares (lang field, else file name), if it is a language."""
        try:
            return declared_language(doc, self.cfg, suffix_lang, None)
        except ContentError:
            return None

    def source(self, article: Article, parse: bool = False) -> Source:
        """The article's source, parsed only when provenance cannot answer (or ``parse``)."""
        key = self.key(article.source)
        recorded = self.state.sources.get(key)
        if not parse and recorded is not None and recorded.sha and recorded.raw == self.fingerprint(article.source):
            return Source(article.source, key, None, recorded.lang, recorded.sha, recorded.words)
        raw = markdown.read_bytes(article.source)
        doc = self.parse(article.source, raw)
        lang = self.declared(doc, article.suffix_lang) or (recorded.lang if recorded else None) or self.cfg.source_key
        return Source(article.source, key, raw, lang, digest(doc.render_without_fields()), detect.article_words(doc), doc)

    def parsed(self) -> Iterator[tuple[Article, Layout, Source]]:
        """Every article with its source parsed; one that cannot be is recorded in ``errors``."""
        for article, lay in self.articles:
            try:
                src = self.source(article, parse=True)
            except L10nError as exc:
                self.fail(article.source, exc)
                continue
            yield article, lay, src

    def language_of(self, doc: Document, article: Article, detector: detect.Detector, trust_declared: bool) -> str:
        """An article's language (a site key): what it declares, else what its text reads
        as, else the site's source. A declaration the text confidently contradicts is
        a LanguageMismatch, unless ``trust_declared``; l10n detect judges the same way."""
        declared = declared_language(doc, self.cfg, article.suffix_lang, article.source)
        if declared is not None and trust_declared:
            return declared
        verdict = detect.judge(detector, doc, self.cfg.code(declared) if declared else None)
        if declared is None:
            sure = verdict.detected and verdict.words >= detect.MIN_WORDS and verdict.confidence >= detect.CONFIDENCE
            return self.cfg.key(verdict.detected) if sure and verdict.detected else self.cfg.source_key
        if verdict.status == "mismatch":
            field_ = doc.fields.get(self.cfg.lang_field)
            line = doc.field_line(field_) if field_ is not None else None
            raise detect.LanguageMismatch(
                f"declared {declared}, but the text reads as {verdict.detected} (p={verdict.confidence:.2f}); "
                "correct lang (l10n detect --fix) or pass --trust-declared", article.source, line)
        return declared

    def languages(self, article: Article) -> list[str]:
        """The target languages to look at for an article: all, or the ones whose file was named."""
        self.articles  # noqa: B018 - finds which files were named
        only = self._only.get(os.path.abspath(article.source))
        return [lang for lang in self.targets if only is None or lang in only]

    def translations(self, article: Article, lay: Layout, lang: str | None = None) -> list[tuple[str, Path]]:
        """(language, path) of the article's targets to look at, the source's own language left out."""
        out = []
        for target_lang in self.languages(article):
            target = lay.target(article, target_lang)
            if target_lang != lang and os.path.abspath(target) != os.path.abspath(article.source):
                out.append((target_lang, target))
        return out

    def linked(self, article: Article, lay: Layout, page: str) -> Path | None:
        """The source file of the page a link or ref names (``other.md``, ``../guide``,
        ``/docs/setup``), found as Hugo does: from the page's folder, then the
        content root; None when there is none."""
        page = page.split("?", 1)[0]
        if not page:
            return None
        folders = [lay.root] if page.startswith("/") else [article.source.parent, lay.root]
        for folder in folders:
            base = (folder / page.lstrip("/")).resolve()
            candidates = [base] if base.suffix in lay.extensions else [
                *(base.with_name(base.name + ext) for ext in lay.extensions),
                *(base / f"{name}{ext}" for name in ("index", "_index") for ext in lay.extensions)]
            for path in candidates:
                if path.is_file() and lay.split(path.name)[1] in (None, lay.source):
                    return path
        return None

    def fail(self, path: Path, exc: L10nError) -> None:
        self.errors.append(exc.problem(shown(path)))

    # -- judging -------------------------------------------------------------

    def cell(self, article: Article, src: Source, lang: str, target: Path) -> Cell:
        """Where the translation of ``src`` into ``lang`` stands."""
        cell = Cell(shown(src.path), shown(target), lang, "missing", src.words)
        if not target.exists():
            return cell
        record = self.state.targets.get(self.key(target))
        printed = self.fingerprint(target)
        raw = None if record is not None and printed == record.raw else markdown.read_bytes(target)
        now = standing(record, src.key, src.sha, raw, target, self.options, printed)
        if not now.ours or record is None:
            cell.status, cell.detail = "human", "not written by l10n; l10n review --approve adopts it"
            if self.untranslated(src, target, raw):
                cell.status = "untranslated"
            return cell
        cell.engine, cell.reviewed = record.engine, record.reviewed
        cell.confidence = weakest(record)
        if now.source_changed:
            cell.status = "stale"
            self.changes(cell, article, src, record.segments)
            who = "edited by a person" if now.edited else "reviewed" if cell.reviewed else ""
            if who:
                cell.detail += f"; translation {who}"
            if now.edited and cell.changed:
                try:
                    if src.doc is not None and caught_up(record, src.doc, self.parse(target, raw)):
                        cell.detail += ", its changed segments too: approve it (l10n review --approve)"
                except L10nError:
                    pass
        elif now.edited:
            cell.status, cell.detail = "edited", "changed since l10n wrote it"
            if self.untranslated(src, target, raw):
                cell.status = "untranslated"
        elif record.merged and record.engine == "person":  # l10n import of part of the page, or --as edited
            machine = len(record.merged.get("machine", ()))
            cell.status = "edited"
            rest = f", {machine} segment{'s' * (machine != 1)} not yet theirs" if machine else ""
            cell.detail = (f"a person's translation (imported){rest}"
                           "; not yet approved (l10n review --approve)")
        elif record.untranslated:
            cell.status, cell.detail = "untranslated", f"made by {cell.engine}, still in the source language"
        elif cell.reviewed:
            cell.status, cell.detail = "reviewed", f"reviewed {cell.reviewed}"
        else:
            cell.status, cell.detail = "machine", f"made by {cell.engine}"
            if record.merged:
                made, kept = len(record.merged.get("machine", ())), record.merged.get("kept", 0)
                cell.detail += f": {made} segment{'s' * (made != 1)}, {kept} kept from a person"
        return cell

    def changes(self, cell: Cell, article: Article, src: Source, old: list[str]) -> None:
        """Say which source segments changed since the translation was made or reviewed."""
        if not old:
            cell.detail = "source changed"
            return
        if src.doc is None:
            src.doc = self.source(article, parse=True).doc
        assert src.doc is not None
        segments = list(src.doc.segments())
        diff = diff_segments(old, [seg.digest() for seg in segments])
        cell.changed = sorted({segments[j].line for _i, j in diff.replaced} | {segments[j].line for j in diff.added})
        cell.removed = len(diff.removed)
        parts = []
        for count, what in ((len(diff.replaced), "changed"), (len(diff.added), "new"), (cell.removed, "removed")):
            if count:
                parts.append(f"{count} segment{'s' * (count != 1)} {what}")
        if cell.changed:
            lines = ", ".join(map(str, cell.changed[:8])) + (", ..." if len(cell.changed) > 8 else "")
            parts[-1 if not cell.removed else -2] += f" (line{'s' * (len(cell.changed) != 1)} {lines})"
        cell.detail = "source changed: " + (", ".join(parts) or "outside its segments")

    def untranslated(self, src: Source, target: Path, raw: bytes) -> bool:
        """A translation l10n cannot vouch for: is most of its prose still the source's?"""
        try:
            if src.doc is None:
                src.doc = self.parse(src.path, src.raw)
            doc = self.parse(target, raw)
        except L10nError:
            return False
        return same_share(align(src.doc, doc)) >= UNTRANSLATED_SHARE
