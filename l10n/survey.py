"""``l10n status``: where every translation of every article stands.

A :class:`Survey` finds the articles under some paths, their target files and
what provenance (``.l10n/state.json``) says of each; ``status``, ``check``
and ``review`` all look at a site through it. A cell is judged from hashes
first: a source and a translation whose bytes are as l10n recorded them are
never parsed, so a site of 10,000 articles answers in about a second. Only a
file that changed since (a person's edit, a changed source) is parsed, to say
which segments changed.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator, Sequence

from . import detect, langs, markdown
from .content import Article, Layout
from .document import Document
from .errors import ConfigError, L10nError
from .write import State, digest

#: The statuses of a translation, in the order a person should look at them.
STATUSES = ("missing", "stale", "edited", "human", "untranslated", "machine", "reviewed")
#: Statuses that ``status --check`` (and ``build``) fail on.
FAILING = ("missing", "stale")


@dataclass
class Source:
    """What is known of an article's source file."""

    path: Path
    key: str
    raw: bytes
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

    def to_dict(self) -> dict[str, Any]:
        out = {"path": self.target, "status": self.status, "words": self.words}
        for key in ("detail", "engine", "reviewed"):
            if getattr(self, key):
                out[key] = getattr(self, key)
        if self.status == "stale":
            out["changed_lines"] = self.changed
            out["removed_segments"] = self.removed
        return out


@dataclass
class Translation:
    """A target file of an article: what ``check`` and ``review`` look at."""

    article: Article
    layout: Layout
    lang: str
    path: Path


class Survey:
    """A site's articles under some paths, in some target languages, and their provenance."""

    def __init__(self, paths: Sequence[str | Path] = (), to: str | Sequence[str] | None = None):
        from .commands.translate import find_articles, made_from_state, open_site

        self.site, self.cfg, roots = open_site(paths)
        self.targets = self.cfg.resolve_targets(to)
        self.state = State.load(self.cfg.state_dir)
        self.options = self.cfg.markdown_options()
        self.articles = [(a, lay) for a, lay in find_articles(roots, self.site, self.cfg, self.targets,
                                                             made_from_state(self.state, self.site))
                         if a.orphan_of is None]
        # a translation named on its own (content/post.es.md) means that language only
        named = {os.path.abspath(p) for p in roots if p.is_file()}
        self._only: dict[str, set[str]] = {}
        for article, lay in self.articles:
            if os.path.abspath(article.source) in named:
                continue
            chosen = {lang for lang in self.targets if os.path.abspath(lay.target(article, lang)) in named}
            if chosen:
                self._only[os.path.abspath(article.source)] = chosen
        self._site_prefix = os.path.join(os.path.abspath(self.site), "")
        self._cwd_prefix = os.path.join(os.getcwd(), "")
        #: Files that could not be read or parsed: (shown path, line, message).
        self.errors: list[tuple[str, int | None, str]] = []

    # -- names ---------------------------------------------------------------

    def key(self, path: Path) -> str:
        from .commands.translate import _relative

        return _relative(os.path.abspath(path), self._site_prefix)

    def shown(self, path: Path) -> str:
        from .commands.translate import _relative

        return _relative(os.path.abspath(path), self._cwd_prefix)

    # -- reading -------------------------------------------------------------

    def parse(self, path: Path, raw: bytes | None = None) -> Document:
        return markdown.load(path, self.options, raw)

    def source(self, article: Article, parse: bool = False) -> Source:
        """The article's source, parsed only when provenance cannot answer (or ``parse``)."""
        raw = markdown.read_bytes(article.source)
        key = self.key(article.source)
        recorded = self.state.sources.get(key) or {}
        if not parse and recorded.get("raw") == digest(raw) and "sha" in recorded and "words" in recorded:
            return Source(article.source, key, raw, recorded["lang"], recorded["sha"], recorded["words"])
        doc = self.parse(article.source, raw)
        declared = detect.declared_lang(doc, self.cfg.lang_field, article.suffix_lang)
        declared = self.cfg.key(declared) if declared else None
        if declared and not langs.is_code(self.cfg.code(declared)):
            declared = None
        lang = declared or recorded.get("lang") or self.cfg.source_key
        return Source(article.source, key, raw, lang, digest(doc.render_without_fields()), detect.article_words(doc), doc)

    def languages(self, article: Article) -> list[str]:
        """The target languages to look at for an article: all, or the ones whose file was named."""
        only = self._only.get(os.path.abspath(article.source))
        return [lang for lang in self.targets if only is None or lang in only]

    def fail(self, path: Path, exc: L10nError) -> None:
        self.errors.append((self.shown(path), getattr(exc, "line", None), getattr(exc, "message", None) or str(exc)))

    # -- judging -------------------------------------------------------------

    def cell(self, article: Article, src: Source, lang: str, target: Path) -> Cell:
        """Where the translation of ``src`` into ``lang`` stands."""
        from .commands.translate import edited_since

        cell = Cell(self.shown(src.path), self.shown(target), lang, "missing", src.words)
        if not target.exists():
            return cell
        raw = markdown.read_bytes(target)
        entry = self.state.targets.get(self.key(target))
        if entry is None or entry.get("source") != src.key:
            cell.status, cell.detail = "human", "not written by l10n; l10n review --approve adopts it"
            if self.untranslated(src, target, raw, lang):
                cell.status = "untranslated"
            return cell
        cell.engine = str(entry.get("engine", ""))
        cell.reviewed = str(entry.get("reviewed", ""))
        edited = edited_since(entry, raw, target, self.options)
        if entry.get("source_sha") != src.sha:
            cell.status = "stale"
            self.changes(cell, article, src, entry)
            who = "edited by a person" if edited else "reviewed" if cell.reviewed else ""
            if who:
                cell.detail += f"; translation {who}"
            if edited and cell.changed:
                try:
                    if src.doc is not None and caught_up(entry, src.doc, self.parse(target, raw)):
                        cell.detail += ", its changed segments too: approve it (l10n review --approve)"
                except L10nError:
                    pass
        elif edited:
            cell.status, cell.detail = "edited", "changed since l10n wrote it"
            if self.untranslated(src, target, raw, lang):
                cell.status = "untranslated"
        elif entry.get("untranslated"):
            cell.status, cell.detail = "untranslated", f"made by {cell.engine}, still in the source language"
        elif cell.reviewed:
            cell.status, cell.detail = "reviewed", f"reviewed {cell.reviewed}"
        else:
            cell.status, cell.detail = "machine", f"made by {cell.engine}"
            merged = entry.get("merged")
            if isinstance(merged, dict):
                cell.detail += f": {len(merged.get('machine', ()))} segments, {merged.get('kept', 0)} kept from a person"
        return cell

    def changes(self, cell: Cell, article: Article, src: Source, entry: dict) -> None:
        """Say which source segments changed since the translation was made or reviewed."""
        old = str(entry.get("segments", "")).split()
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
            where = ", ".join(map(str, cell.changed[:8])) + (", ..." if len(cell.changed) > 8 else "")
            parts[-1 if not cell.removed else -2] += f" (line{'s' * (len(cell.changed) != 1)} {where})"
        cell.detail = "source changed: " + (", ".join(parts) or "outside its segments")

    def untranslated(self, src: Source, target: Path, raw: bytes, lang: str) -> bool:
        """A translation l10n cannot vouch for: is most of its prose still the source's?"""
        from .checks import UNTRANSLATED_SHARE, align, same_share

        try:
            if src.doc is None:
                src.doc = self.parse(src.path, src.raw)
            doc = self.parse(target, raw)
        except L10nError:
            return False
        return same_share(align(src.doc, doc)) >= UNTRANSLATED_SHARE


@dataclass
class SegmentDiff:
    """How a source's segments changed: pairs (old index, new index) of changed
    segments, new segments' indexes, and removed segments' old indexes."""

    replaced: list[tuple[int, int]] = field(default_factory=list)
    added: list[int] = field(default_factory=list)
    removed: list[int] = field(default_factory=list)


def diff_segments(old: Sequence[str], new: Sequence[str]) -> SegmentDiff:
    """Line up two lists of segment digests (as provenance records them)."""
    from difflib import SequenceMatcher

    diff = SegmentDiff()
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, list(old), list(new), autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        common = min(i2 - i1, j2 - j1) if tag == "replace" else 0
        diff.replaced += list(zip(range(i1, i1 + common), range(j1, j1 + common)))
        diff.added += list(range(j1 + common, j2))
        diff.removed += list(range(i1 + common, i2))
    return diff


def skeleton(doc: Document) -> str:
    """A digest of a document's text outside its segments and maintained fields."""
    return digest("\0".join(p for p in doc.parts if isinstance(p, str)))


def hand_updated(entry: dict, new: Sequence[str], theirs: Sequence[Any]) -> dict[int, int]:
    """The changed source segments whose translation a person has updated since
    l10n recorded it: {new source index: translation segment index}.

    ``new``: the source's segment digests now; ``theirs``: the translation's
    segments now. Known only where provenance has the translation's own segment
    digests (recorded on approval and after a merge) and the segments line up."""
    old = str(entry.get("segments", "")).split()
    recorded = str(entry.get("target_segments", "")).split()
    if not old or len(recorded) != len(old) or len(theirs) != len(old):
        return {}
    return {j: i for i, j in diff_segments(old, new).replaced if theirs[i].digest() != recorded[i]}


def caught_up(entry: dict, source, translation) -> bool:
    """Whether a person has updated every segment of a translation whose source
    changed (only changes inside segments; nothing added or removed)."""
    old = str(entry.get("segments", "")).split()
    new = [seg.digest() for seg in source.segments()]
    diff = diff_segments(old, new)
    if diff.added or diff.removed or entry.get("skeleton") != skeleton(source):
        return False
    updated = hand_updated(entry, new, list(translation.segments()))
    return bool(diff.replaced) and all(j in updated for _i, j in diff.replaced)


@dataclass
class StatusReport:
    targets: list[str]
    #: (source shown, source words, {lang: cell})
    rows: list[tuple[str, int, dict[str, Cell]]] = field(default_factory=list)
    errors: list[tuple[str, int | None, str]] = field(default_factory=list)
    seconds: float = 0.0

    def cells(self) -> Iterator[Cell]:
        for _source, _words, cells in self.rows:
            yield from cells.values()

    def totals(self) -> dict[str, dict[str, dict[str, int]]]:
        """Per language, per status: articles and words."""
        out: dict[str, dict[str, dict[str, int]]] = {lang: {} for lang in self.targets}
        for cell in self.cells():
            slot = out[cell.lang].setdefault(cell.status, {"articles": 0, "words": 0})
            slot["articles"] += 1
            slot["words"] += cell.words
        return {lang: {s: by[s] for s in STATUSES if s in by} for lang, by in out.items()}

    @property
    def failing(self) -> list[Cell]:
        return [c for c in self.cells() if c.status in FAILING]

    def to_dict(self) -> dict[str, Any]:
        return {
            "targets": self.targets,
            "articles": [{"source": s, "words": w, "translations": {lang: c.to_dict() for lang, c in cells.items()}}
                         for s, w, cells in self.rows],
            "totals": self.totals(),
            "errors": [{"path": p, "line": line, "message": m} for p, line, m in self.errors],
            "seconds": round(self.seconds, 3),
        }


def run_status(paths: Sequence[str | Path] = (), to: str | Sequence[str] | None = None) -> StatusReport:
    """The status of every article under ``paths`` in every target language."""
    import time

    started = time.perf_counter()
    survey = Survey(paths, to)
    report = StatusReport(survey.targets)
    for article, _lay in survey.articles:
        try:
            src = survey.source(article)
        except L10nError as exc:
            survey.fail(article.source, exc)
            continue
        cells: dict[str, Cell] = {}
        for lang in survey.languages(article):
            if lang == src.lang:
                continue
            target = _lay.target(article, lang)
            if os.path.abspath(target) == os.path.abspath(article.source):
                continue
            try:
                cells[lang] = survey.cell(article, src, lang, target)
            except L10nError as exc:
                survey.fail(target, exc)
        report.rows.append((survey.shown(article.source), src.words, cells))
    report.errors = survey.errors
    report.seconds = time.perf_counter() - started
    return report
